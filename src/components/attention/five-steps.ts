/**
 * A2: the notes' attention process 1–5 on one example, in numbers from the model (`attentionSteps` of
 * lib/models/seq2seq.ts): the decoder state h_t (query), the encoder states h̄_s, the attention score vector, the
 * softmax weights, the weighted sum (attention output), its combination with h_t, and the predicted token. Each step
 * is a KaTeX line bound to the live values; the figure (lib/viz/attention.ts) draws the same numbers. The reader
 * picks the output step with the buttons or the arrow keys, and can type another date.
 *
 * The root carries `data-claim="A2"` and, for the tests, the full-precision numbers of the shown step
 * (`data-query`, `data-keys`, `data-scores`, `data-weights`, `data-output`, real source positions only).
 */
import {tf} from "../../lib/tf.js";
import {encodeSource, sourceTokens, START, TARGET_VOCAB} from "../../lib/data/dates.js";
import {attentionSteps, translate, type AttentionSteps} from "../../lib/models/seq2seq.js";
import {attentionFigure, tokenLabel} from "../../lib/viz/attention.js";
import {tex} from "../shared/tex.js";
import {UNTRAINED_MAX_LENGTH, type AttentionModelStore, type HeldModel} from "./model-store.js";

/** Two decimals, or two significant digits for small values (an untrained model's states are near 0). */
const f2 = (x: number) => (Math.abs(x) >= 0.1 || x === 0 ? x.toFixed(2) : x.toPrecision(2));
const texText = (s: string) => `\\text{${tokenLabel(s).replace(/[\\{}$&#^_%~]/g, (c) => `\\${c}`)}}`;

/** A vector as a KaTeX row, the first `k` entries and the size. */
function row(v: number[], k = 3): string {
  const shown = v.slice(0, k).map(f2);
  return `\\begin{bmatrix}${shown.join(" & ")}${v.length > k ? " & \\cdots" : ""}\\end{bmatrix}_{${v.length}}`;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export interface FiveStepsOptions {
  store: AttentionModelStore;
  /** The example typed at first. */
  text?: string;
  width?: number;
  invalidation?: Promise<unknown>;
}

/** What one shown step needs: the step's numbers and the source tokens of the real positions. */
interface Shown {
  steps: AttentionSteps;
  real: number[];
  tokens: string[];
}

export function fiveSteps({
  store,
  text = "Sun, Nov 29, 2026",
  width = 720,
  invalidation
}: FiveStepsOptions): HTMLElement {
  const root = el("div", "attention-steps");
  root.dataset.claim = "A2";
  root.tabIndex = 0;
  root.setAttribute("aria-label", "attention 다섯 단계: 화살표 키로 출력 time step을 고릅니다");
  const input = el("input", "steps-input");
  input.type = "text";
  input.value = text;
  input.size = 28;
  input.setAttribute("aria-label", "영어 날짜");
  const label = el("label", "steps-label");
  label.append("입력 (영어 날짜): ", input);
  const first = el("button", "steps-first", "처음");
  const prev = el("button", "steps-prev", "◀ 이전");
  const next = el("button", "steps-next", "다음 ▶");
  for (const b of [first, prev, next]) b.type = "button";
  first.setAttribute("aria-label", "첫 time step");
  const where = el("span", "steps-where");
  where.setAttribute("aria-live", "polite");
  const controls = el("div", "steps-controls");
  controls.append(label, first, prev, next, where);
  const model = el("p", "steps-model small");
  const formulas = el("div", "steps-formulas");
  const figure = el("div", "steps-figure");
  figure.style.overflowX = formulas.style.overflowX = "auto";
  root.append(controls, model, formulas, figure);

  let held: HeldModel | null = null;
  let outputTokens: string[] = [];
  let sourceIds: tf.Tensor2D | null = null;
  let real: number[] = [];
  let tokens: string[] = [];
  let t = 1;

  const dispose = () => {
    sourceIds?.dispose();
    sourceIds = null;
  };

  /** Encode the text and translate it greedily: the output steps to walk through. */
  const prepare = () => {
    dispose();
    if (!held) return;
    const words = sourceTokens(input.value);
    // the trained model reads inputs left-padded to its training length; a longer input is read whole
    const length = Math.max(held.sourceLength ?? 1, words.length, 1);
    const enc = encodeSource([input.value], length);
    sourceIds = enc.source;
    const S = length;
    real = Array.from({length: enc.lengths[0]}, (_, i) => S - enc.lengths[0] + i);
    tokens = words.slice(0, enc.lengths[0]);
    const [translation] = translate(held.s, sourceIds, {maxLength: held.trained ? undefined : UNTRAINED_MAX_LENGTH});
    outputTokens = translation.tokens;
    const notes = [
      translation.ended ? "" : `끝 토큰 없이 ${translation.tokens.length}개에서 멈췄습니다.`,
      enc.unknown[0].length
        ? `모르는 토큰 ${enc.unknown[0].map((u) => `“${u}”`).join(", ")}은 <unk>로 바꿨습니다.`
        : "",
      held.sourceLength && words.length > held.sourceLength
        ? `입력 (토큰 ${words.length}개)이 학습한 가장 긴 입력 (${held.sourceLength}개)보다 깁니다.`
        : ""
    ].filter(Boolean);
    model.textContent =
      (held.trained
        ? `학습한 attention 모델 (${store.attention} score; ${held.note})의 숫자입니다.`
        : `아직 학습하지 않은 모델 (${held.note}, ${store.attention} score)의 숫자입니다: 가중치가 무작위라 번역도 attention도 아직 의미가 없습니다. 아래 A1 실험을 실행하면 학습한 모델로 바뀝니다.`) +
      ` 번역: “${translation.text}”. ${notes.join(" ")}`;
  };

  const compute = (step: number): Shown | null => {
    if (!held || !sourceIds) return null;
    // the decoder input of output step t: START and the t − 1 tokens the model has produced so far
    const decoderInput = [START, ...outputTokens.slice(0, step - 1).map((tok) => TARGET_VOCAB.id(tok))];
    return {steps: attentionSteps(held.s, sourceIds, decoderInput), real, tokens};
  };

  const show = (step: number) => {
    const T = outputTokens.length + 1; // the tokens and END
    t = Math.max(1, Math.min(T, step));
    root.dataset.step = String(t);
    prev.disabled = first.disabled = t === 1;
    next.disabled = t === T;
    const shown = compute(t);
    if (!shown) return;
    const {steps} = shown;
    const pick = <V>(v: V[]) => shown.real.map((s) => v[s]);
    const scores = pick(steps.scores);
    const weights = pick(steps.weights);
    const keys = pick(steps.keys);
    Object.assign(root.dataset, {
      query: JSON.stringify(steps.query),
      keys: JSON.stringify(keys),
      scores: JSON.stringify(scores),
      weights: JSON.stringify(weights),
      output: JSON.stringify(steps.output),
      token: steps.token
    });
    where.textContent = `출력 time step t = ${t} / ${T} → “${steps.token}”`;
    const lab = (v: number[]) =>
      `\\left[\\;${v.map((x, i) => `\\underset{${texText(shown.tokens[i])}}{${f2(x)}}`).join(",\\;")}\\;\\right]`;
    const top = [...weights.keys()].sort((a, b) => weights[b] - weights[a]).slice(0, 2);
    const sum = weights.reduce((a, b) => a + b, 0);
    const order = [...steps.logits.keys()].sort((a, b) => steps.logits[b] - steps.logits[a]).slice(0, 3);
    const scoreFormula =
      store.attention === "dot"
        ? `\\text{score}_s = h_{${t}}^{\\top}\\,\\bar h_s`
        : `\\text{score}_s = v^{\\top}\\tanh(W_1 \\bar h_s + W_2 h_{${t}})`;
    const lines: [string, string][] = [
      ["1. query와 key · value", `h_{${t}} = ${row(steps.query)}, \\quad \\bar h_1 \\dots \\bar h_{${keys.length}}`],
      ["2. attention score", `${scoreFormula} = ${lab(scores)}`],
      [
        "3. softmax → attention 가중치",
        `a = \\operatorname{softmax}(\\text{score}) = ${lab(weights)}, \\ \\textstyle\\sum_s a_s = ${sum.toFixed(3)}`
      ],
      [
        "4. 가중합 → attention output",
        `c_{${t}} = ${top.map((s) => `${f2(weights[s])}\\,\\bar h_{${s + 1}}`).join(" + ")} + \\cdots = ${row(steps.output)}`
      ],
      [
        "5. h_t와 결합 → 예측",
        `\\tilde h_{${t}} = ${row(steps.combined)}, \\ W_o \\tilde h_{${t}} + b:\\ ${order.map((i) => `${texText(TARGET_VOCAB.tokens[i])}\\ ${f2(steps.logits[i])}`).join(",\\ ")} \\;\\Rightarrow\\; ${texText(steps.token)}`
      ]
    ];
    formulas.replaceChildren(
      ...lines.map(([name, formula]) => {
        const line = el("div", "steps-line");
        line.style.cssText = "display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 1em; margin: 0.2em 0";
        const nameBox = el("b", "steps-name", name);
        nameBox.style.cssText = "flex: 0 0 10em; font-size: 0.9em";
        const formulaBox = tex.string(formula);
        formulaBox.style.cssText =
          "flex: 1 1 24em; min-width: 0; overflow-x: auto; overflow-y: hidden; font-size: 0.9em";
        line.append(nameBox, formulaBox);
        return line;
      })
    );
    figure.innerHTML = attentionFigure(
      {...steps, keys: pick(steps.keys), masked: pick(steps.masked), scores, weights},
      {sourceTokens: shown.tokens, width: Math.min(width, 960), dims: 16}
    );
  };

  const refresh = () => {
    prepare();
    show(1);
  };
  first.addEventListener("click", () => show(1));
  prev.addEventListener("click", () => show(t - 1));
  next.addEventListener("click", () => show(t + 1));
  input.addEventListener("change", refresh);
  root.addEventListener("keydown", (e) => {
    if (e.target !== root) return;
    const T = outputTokens.length + 1;
    if (e.key === "ArrowRight") show(t + 1);
    else if (e.key === "ArrowLeft") show(t - 1);
    else if (e.key === "Home") show(1);
    else if (e.key === "End") show(T);
    else return;
    e.preventDefault();
    e.stopPropagation();
  });
  const unsubscribe = store.subscribe((h) => {
    held = h;
    refresh();
  });
  invalidation?.then(() => {
    unsubscribe();
    dispose();
  });
  return root;
}
