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
import {attentionFigure, tokenLabel, unknownNote} from "../../lib/viz/attention.js";
import {tex} from "../shared/tex.js";
import {UNTRAINED_MAX_LENGTH, type AttentionModelStore, type HeldModel} from "./model-store.js";
import {el} from "../shared/dom.js";

/** Two decimals, or two significant digits for small values (an untrained model's states are near 0). */
const f2 = (x: number) => (Math.abs(x) >= 0.1 || x === 0 ? x.toFixed(2) : x.toPrecision(2));
const cut = (s: string, max: number) => ([...s].length > max ? [...s].slice(0, max).join("") + "…" : s);

/** A token in KaTeX text, cut to `max` characters (a reader's long unknown word must not widen the formula). */
const texText = (s: string, max = 8) => `\\text{${cut(tokenLabel(s), max).replace(/[\\{}$&#^_%~]/g, (c) => `\\${c}`)}}`;

/** A vector as a KaTeX row, the first `k` entries and the size. */
function row(v: number[], k = 3): string {
  const shown = v.slice(0, k).map(f2);
  return `\\begin{bmatrix}${shown.join(" & ")}${v.length > k ? " & \\cdots" : ""}\\end{bmatrix}_{${v.length}}`;
}

/** Steps 2 and 3 in full: one column per source position, rows token, score and weight. */
function vectorTable(tokens: string[], scores: number[], weights: number[], inFormula: number): HTMLElement {
  const table = el("table", "steps-vector-table");
  table.style.cssText = "font-size: 12px; border-collapse: collapse; margin: 0.3em 0; max-width: none";
  const caption = table.createCaption();
  caption.textContent =
    tokens.length > inFormula
      ? `식 2와 3의 벡터 전체 (식에는 앞의 ${inFormula}개만 적었습니다)`
      : "식 2와 3의 벡터 전체";
  caption.style.cssText = "text-align: left; caption-side: top; font-size: 12px";
  const rows: [string, string[]][] = [
    ["s", tokens.map((_, i) => String(i + 1))],
    ["입력 토큰", tokens.map((tok) => cut(tokenLabel(tok), 12))],
    ["score", scores.map(f2)],
    ["a_s", weights.map(f2)]
  ];
  for (const [name, cells] of rows) {
    const tr = table.insertRow();
    const th = el("th", "", name);
    th.style.cssText = "text-align: left; padding: 1px 6px; white-space: nowrap";
    tr.append(th);
    for (const c of cells) {
      const td = tr.insertCell();
      td.textContent = c;
      td.style.cssText = "text-align: right; padding: 1px 4px; white-space: nowrap";
    }
  }
  return table;
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

/** The five steps and, apart, their full table and figure (a slide of their own in presentation mode). */
export interface FiveStepsParts {
  /** Controls, the model line and the formulas (data-claim A2). */
  root: HTMLElement;
  /** Every score and weight, and the figure of the same numbers; they follow the root's step. */
  details: HTMLElement;
}

/** The five steps in one element. */
export function fiveSteps(options: FiveStepsOptions): HTMLElement {
  const {root, details} = fiveStepsParts(options);
  root.append(details);
  return root;
}

export function fiveStepsParts({
  store,
  text = "Sun, Nov 29, 2026",
  width = 720,
  invalidation
}: FiveStepsOptions): FiveStepsParts {
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
  first.setAttribute("aria-label", "처음: 첫 time step");
  const where = el("span", "steps-where");
  where.setAttribute("aria-live", "polite");
  const controls = el("div", "steps-controls");
  controls.append(label, first, prev, next, where);
  const model = el("p", "steps-model small");
  // a long unbroken input quoted back must wrap, not widen the page
  model.style.overflowWrap = "anywhere";
  const formulas = el("div", "steps-formulas");
  const figure = el("div", "steps-figure");
  // every score and weight (the formulas show the first few): a table that scrolls sideways in its own box
  const vectors = el("div", "steps-vectors");
  figure.style.overflowX = formulas.style.overflowX = vectors.style.overflowX = "auto";
  const details = el("div", "steps-details");
  details.append(vectors, figure);
  root.append(controls, model, formulas);
  /** Entries of the score and weight vectors written in the formulas; the table below holds them all. */
  // the formulas' own width once on the page (the slide or phone it is on), the page's column width before that
  const narrow = () => (formulas.clientWidth || width) < 480;

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
    outputTokens = [];
    if (!words.length) {
      model.textContent = "입력이 비어 있습니다: 영어 날짜를 적어 주세요.";
      return;
    }
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
      unknownNote(enc.unknown[0]),
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
    if (!shown) {
      // nothing to show (an empty input): no step, no numbers
      delete root.dataset.step;
      prev.disabled = first.disabled = next.disabled = true;
      where.textContent = "";
      formulas.replaceChildren();
      vectors.replaceChildren();
      figure.innerHTML = "";
      return;
    }
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
    // the first entries under their source tokens, then ⋯ and the length (the table below lists them all)
    const shownEntries = narrow() ? 3 : 5;
    const k = narrow() ? 2 : 3;
    const lab = (v: number[]) =>
      `\\left[\\;${v
        .slice(0, shownEntries)
        .map((x, i) => `\\underset{${texText(shown.tokens[i], narrow() ? 5 : 8)}}{${f2(x)}}`)
        .join(",\\;")}${v.length > shownEntries ? ",\\;\\cdots" : ""}\\;\\right]_{${v.length}}`;
    const top = [...weights.keys()].sort((a, b) => weights[b] - weights[a]).slice(0, 2);
    const sum = weights.reduce((a, b) => a + b, 0);
    const order = [...steps.logits.keys()].sort((a, b) => steps.logits[b] - steps.logits[a]).slice(0, 3);
    const scoreFormula =
      store.attention === "dot"
        ? `\\text{score}_s = h_{${t}}^{\\top}\\,\\bar h_s`
        : `\\text{score}_s = v^{\\top}\\tanh(W_1 \\bar h_s + W_2 h_{${t}})`;
    // each formula on left-aligned lines (a long one continues on the next line after "="), so it fits a phone
    const rows = (...parts: string[]) => `\\begin{aligned}&${parts.join(" \\\\ &")}\\end{aligned}`;
    const then = narrow() ? "= " : "\\quad = ";
    const predicted = order.map((i) => `${texText(TARGET_VOCAB.tokens[i])}\\ ${f2(steps.logits[i])}`).join(",\\ ");
    const arrow = `\\Rightarrow\\; ${texText(steps.token)}`;
    const lines: [string, string][] = [
      [
        "1. query와 key · value",
        rows(`h_{${t}} = ${row(steps.query, k)}`, `\\bar h_1 \\dots \\bar h_{${keys.length}}`)
      ],
      ["2. attention score", rows(scoreFormula, then + lab(scores))],
      [
        "3. softmax → attention 가중치",
        rows(
          "a = \\operatorname{softmax}(\\text{score})",
          then + lab(weights),
          `\\textstyle\\sum_s a_s = ${sum.toFixed(3)}`
        )
      ],
      [
        "4. 가중합 → attention output",
        rows(
          `c_{${t}} = ${top.map((s) => `${f2(weights[s])}\\,\\bar h_{${s + 1}}`).join(" + ")} + \\cdots`,
          then + row(steps.output, k)
        )
      ],
      [
        "5. h_t와 결합 → 예측",
        narrow()
          ? rows(
              `\\tilde h_{${t}} = ${row(steps.combined, k)}`,
              `W_o \\tilde h_{${t}} + b:\\ ${predicted}`,
              `\\quad ${arrow}`
            )
          : rows(`\\tilde h_{${t}} = ${row(steps.combined, k)}`, `W_o \\tilde h_{${t}} + b:\\ ${predicted} \\;${arrow}`)
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
    vectors.replaceChildren(vectorTable(shown.tokens, scores, weights, shownEntries));
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
  let wasNarrow: boolean | undefined;
  const resized = new ResizeObserver(() => {
    if (!formulas.clientWidth || narrow() === wasNarrow) return;
    wasNarrow = narrow();
    if (sourceIds) show(t);
  });
  resized.observe(formulas);
  const unsubscribe = store.subscribe((h) => {
    held = h;
    refresh();
  });
  invalidation?.then(() => {
    unsubscribe();
    resized.disconnect();
    dispose();
  });
  return {root, details};
}
