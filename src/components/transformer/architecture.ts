/**
 * Chapter 7 「Transformer」: the architecture drawn from a real model, and its parameter count beside PyTorch's.
 *
 * The models are dry-built (lib/analysis/dry-build.ts): the real builders of lib/models/transformer.ts run, with
 * `weights: "zeros"`, while every weight is a shape-only stand-in, so nn.Transformer's 44 M parameters are counted
 * without allocating 168 MB. The drawing and the counts come from that model's own layers (lib/viz/transformer.ts).
 */
import * as Inputs from "@observablehq/inputs";
import {dryBuild} from "../../lib/analysis/dry-build.js";
import {
  buildTransformer,
  TRANSFORMER_MODEL_INFO,
  TRANSFORMER_MODELS,
  TRANSFORMER_PRESETS,
  type TransformerConfig
} from "../../lib/models/transformer.js";
import {SOURCE_VOCAB, TARGET_VOCAB} from "../../lib/data/dates.js";
import {architectureSvg, transformerArchitecture, type TransformerArchitecture} from "../../lib/viz/transformer.js";
import {el} from "../shared/dom.js";

export type ArchitectureChoice = "transformer" | "dates";

/** The date task's lengths for the small preset's drawing (the page's experiments use the task's own). */
const SMALL_LENGTHS = {sourceLength: 16, targetLength: 18};

/** The architecture of a preset, post- or pre-norm, from a dry build of the real builder. */
export function presetArchitecture(choice: ArchitectureChoice, normFirst = false): TransformerArchitecture {
  const build = () => {
    if (choice === "transformer" && !normFirst) return TRANSFORMER_MODELS.transformer({weights: "zeros"});
    const base: TransformerConfig =
      choice === "transformer"
        ? TRANSFORMER_PRESETS.transformer
        : {
            ...TRANSFORMER_PRESETS.dates,
            ...SMALL_LENGTHS,
            tokens: {
              ...TRANSFORMER_PRESETS.dates.tokens,
              sourceVocab: SOURCE_VOCAB.size,
              targetVocab: TARGET_VOCAB.size
            }
          };
    return buildTransformer({...base, normFirst}, {weights: "zeros"});
  };
  return transformerArchitecture(dryBuild(build));
}

const fmt = (n: number) => n.toLocaleString("en-US");

/** The parameters by part, and (for nn.Transformer) PyTorch's count beside the model's. */
function paramTable(a: TransformerArchitecture, choice: ArchitectureChoice): HTMLElement {
  const rows: [string, number][] = [
    [`encoder ${a.encoder.layers}개 층 × ${fmt(a.encoder.paramsPerLayer)}`, a.params.encoder],
    [`decoder ${a.decoder.layers}개 층 × ${fmt(a.decoder.paramsPerLayer)}`, a.params.decoder]
  ];
  if (a.params.finalNorms) rows.push(["stack 끝의 LayerNorm 두 개", a.params.finalNorms]);
  if (a.tokens) rows.push(["embedding (source, target)", a.params.embeddings], ["출력 Linear", a.params.generator]);
  const table = el("table", "transformer-params");
  table.dataset.model = choice;
  const head = table.createTHead().insertRow();
  head.append(el("th", "", "부분"), el("th", "num", "파라미터"));
  const body = table.createTBody();
  for (const [label, value] of rows) {
    const tr = body.insertRow();
    tr.append(el("td", "", label), el("td", "num", fmt(value)));
  }
  const total = body.insertRow();
  total.className = "total";
  total.append(el("td", "", "합 (TF.js countParams())"), el("td", "num", fmt(a.params.total)));
  total.dataset.params = String(a.params.total);
  return table;
}

/** The diagram with its choices (model, norm placement), the parameter table and the comparison line. */
export function architectureView({width = 720}: {width?: number} = {}): HTMLElement {
  const root = el("div", "transformer-architecture");
  const modelInput = Inputs.radio(
    new Map<string, ArchitectureChoice>([
      ["nn.Transformer (PyTorch 기본값)", "transformer"],
      ["작은 preset (날짜 과제)", "dates"]
    ]),
    {
      label: "모델",
      value: "transformer"
    }
  );
  const normInput = Inputs.radio(
    new Map([
      ["post-norm (논문)", false],
      ["pre-norm", true]
    ]),
    {
      label: "LayerNorm 위치",
      value: false
    }
  );
  const figure = el("div", "arch-figure");
  const side = el("div", "arch-side");
  const tableBox = el("div", "arch-table");
  side.append(tableBox);
  const draw = () => {
    const choice = modelInput.value as ArchitectureChoice;
    const normFirst = normInput.value as boolean;
    const a = presetArchitecture(choice, normFirst);
    figure.innerHTML = architectureSvg(a, {width: Math.min(width, 640)});
    tableBox.replaceChildren(paramTable(a, choice));
    root.dataset.model = choice;
    root.dataset.normFirst = String(normFirst);
  };
  modelInput.addEventListener("input", draw);
  normInput.addEventListener("input", draw);
  // diagram and counts side by side where there is room (one slide at 1280×720), stacked on a phone
  const body = el("div", "arch-body");
  body.style.cssText = "display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: flex-start";
  figure.style.cssText = "flex: 0 1 640px; min-width: 0";
  side.style.cssText = "flex: 1 1 260px; min-width: 0";
  body.append(figure, side);
  root.append(el("div", "arch-controls"), body);
  root.firstElementChild!.append(modelInput, normInput);
  draw();
  return root;
}

/**
 * The two counts the chapter quotes: `TRANSFORMER_MODELS.transformer({weights: "zeros"})` beside PyTorch's
 * `nn.Transformer()` (and where that number comes from), and the small preset the experiments train.
 */
export function parameterComparison(): HTMLElement {
  const root = el("div", "transformer-counts");
  const base = presetArchitecture("transformer");
  const small = presetArchitecture("dates");
  const ref = TRANSFORMER_MODEL_INFO.transformer.pytorch;
  const code = (text: string) => Object.assign(document.createElement("code"), {textContent: text});
  const compare = el("p", "arch-compare");
  compare.append(
    code('TRANSFORMER_MODELS.transformer({weights: "zeros"})'),
    `의 countParams(): ${fmt(base.params.total)}개. PyTorch `,
    code(ref.module),
    `: ${fmt(ref.params)}개 → `,
    Object.assign(document.createElement("b"), {
      textContent:
        base.params.total === ref.params ? "정확히 같습니다" : `${fmt(base.params.total - ref.params)}개 다릅니다`
    }),
    "."
  );
  compare.dataset.params = String(base.params.total);
  compare.dataset.pytorch = String(ref.params);
  const source = el(
    "p",
    "small muted",
    "PyTorch의 수는 torch 2.x의 모듈 정의(torch/nn/modules/transformer.py, activation.py의 MultiheadAttention, Linear, " +
      "LayerNorm)에서 센 sum(p.numel())입니다. TF.js 쪽은 같은 builder를 가중치 없이 모양만 만들어(dry build) 셉니다: 메모리를 할당하지 않습니다."
  );
  const smallLine = el(
    "p",
    "arch-small",
    `작은 preset (날짜 과제, 아래 실험의 모델): ${fmt(small.params.total)}개 (d = ${small.dModel}, head ${small.encoder.numHeads}개, ` +
      `d_ff = ${small.encoder.dimFeedforward}, encoder · decoder 각 ${small.encoder.layers}개 층, embedding과 출력 Linear 포함).`
  );
  smallLine.dataset.params = String(small.params.total);
  root.append(compare, source, smallLine);
  return root;
}
