/**
 * Claim R1 of chapter 4: the RNN formula bound to a step-by-step computation on a real input. A seeded
 * `tf.layers.simpleRNN` gives the weights; `traceSimpleRnn` (lib/models/rnn.ts, plain numbers) gives x_t, h_{t−1},
 * the pre-activation and h_t of every step; the layer itself runs on the same input, and its h_t are shown beside
 * (they must agree). The reader steps t = 1…T with buttons or ←/→; the formula is re-typeset with the step's
 * numbers and the unrolled diagram highlights the step.
 *
 * The root carries `data-claim="R1"`, the weights and input as JSON (`data-weights`, `data-xs`) and each step's h_t
 * (`data-h` on the rows), so the browser test can rebuild the layer and compare.
 */
import {tf} from "../../lib/tf.js";
import {
  layerWeights,
  recurrentLayer,
  simpleRnnMatrices,
  traceSimpleRnn,
  type SimpleRnnMatrices,
  type SimpleRnnTrace
} from "../../lib/models/rnn.js";
import {tex} from "../shared/tex.js";
import {unrolledDiagram} from "./unrolled.js";

export interface SimpleRnnDemo {
  matrices: SimpleRnnMatrices;
  trace: SimpleRnnTrace[];
  /** h_1…h_T from the TF.js layer itself (returnSequences), same weights and input. */
  layerStates: number[][];
  /** Largest |trace − layer| over every h_t. */
  maxDiff: number;
}

/** Build a seeded SimpleRNN layer, read its weights, trace the input by hand and run the layer. Disposes all. */
export function simpleRnnDemo(
  xs: number[][],
  {units = 3, seed = 7}: {units?: number; seed?: number} = {}
): SimpleRnnDemo {
  const d = xs[0].length;
  const layer = recurrentLayer("simpleRNN", {units, inputShape: [xs.length, d], returnSequences: true, seed});
  const model = tf.sequential({layers: [layer]});
  try {
    const matrices = simpleRnnMatrices(layerWeights(layer));
    const trace = traceSimpleRnn(xs, matrices);
    const layerStates = tf.tidy(() => {
      const out = model.predict(tf.tensor3d([xs])) as tf.Tensor3D;
      return (out.arraySync() as number[][][])[0];
    });
    const maxDiff = Math.max(...trace.flatMap((s, i) => s.h.map((h, j) => Math.abs(h - layerStates[i][j]))));
    return {matrices, trace, layerStates, maxDiff};
  } finally {
    model.dispose();
  }
}

const num = (x: number) => (Math.abs(x) < 5e-5 ? "0.0000" : x.toFixed(4));
const col = (v: number[]) => String.raw`\begin{pmatrix}${v.map(num).join(String.raw`\\`)}\end{pmatrix}`;
const row = (v: number[]) => String.raw`(${v.map(num).join(",\\;")})^{\top}`;
const mat = (m: number[][]) =>
  String.raw`\begin{pmatrix}${m.map((r) => r.map(num).join("&")).join(String.raw`\\`)}\end{pmatrix}`;

export interface StepperOptions {
  demo: SimpleRnnDemo;
  /** Label of each x_t (e.g. "1990년 3월"). */
  labels: string[];
  width?: number;
}

export function recurrenceStepper({demo, labels, width = 720}: StepperOptions): HTMLElement {
  const {trace, matrices, layerStates} = demo;
  const T = trace.length;
  const d = trace[0].x.length;
  const u = trace[0].h.length;
  const root = document.createElement("div");
  root.className = "rnn-stepper";
  root.dataset.claim = "R1";
  root.dataset.weights = JSON.stringify(matrices);
  root.dataset.xs = JSON.stringify(trace.map((s) => s.x));
  root.tabIndex = 0;
  root.setAttribute("aria-label", "RNN 계산 한 time step씩: ← → 키로 이동");

  const controls = document.createElement("div");
  controls.className = "rnn-stepper-controls";
  const button = (text: string, cls: string) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.className = cls;
    return b;
  };
  const first = button("⇤ 처음", "rnn-first");
  const prev = button("◀ 이전", "rnn-prev");
  const next = button("다음 ▶", "rnn-next");
  const where = document.createElement("span");
  where.className = "rnn-stepper-where";
  where.setAttribute("aria-live", "polite");
  controls.append(first, prev, next, where);

  const formula = document.createElement("div");
  formula.className = "rnn-stepper-formula";
  const diagram = document.createElement("div");
  diagram.className = "rnn-stepper-diagram";
  const table = document.createElement("table");
  table.className = "rnn-stepper-table";
  table.innerHTML = `<thead><tr><th>t</th><th>입력</th><th>x_t</th><th>h_t (<code>traceSimpleRnn</code>)</th><th>h_t (<code>tf.layers.simpleRNN</code>)</th></tr></thead>`;
  const body = document.createElement("tbody");
  table.append(body);
  trace.forEach((s, i) => {
    const tr = document.createElement("tr");
    tr.dataset.t = String(s.t);
    tr.dataset.h = JSON.stringify(s.h);
    tr.dataset.layerH = JSON.stringify(layerStates[i]);
    for (const text of [
      String(s.t),
      labels[i] ?? "",
      s.x.map(num).join(", "),
      s.h.map(num).join(", "),
      layerStates[i].map(num).join(", ")
    ]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    body.append(tr);
  });
  const scroll = document.createElement("div");
  scroll.className = "rnn-stepper-scroll";
  scroll.append(table);
  const shared = document.createElement("div");
  shared.className = "rnn-stepper-weights";
  shared.style.cssText = "display: flex; flex-wrap: wrap; gap: 0.5em 1.5em; align-items: center";
  shared.append(
    "모든 t에서 같은 가중치:",
    tex.string(String.raw`\displaystyle W_{xh} = ${mat(matrices.Wxh)}`),
    tex.string(String.raw`\displaystyle W_{hh} = ${mat(matrices.Whh)}`),
    tex.string(String.raw`\displaystyle b = ${col(matrices.b)}`)
  );
  for (const box of [formula, diagram, scroll, shared]) box.style.overflowX = "auto";
  root.append(controls, formula, diagram, shared, scroll);

  let t = 1;
  const show = (step: number) => {
    t = Math.max(1, Math.min(T, step));
    const s = trace[t - 1];
    root.dataset.step = String(t);
    where.textContent = `t = ${t} / ${T} (${labels[t - 1] ?? ""})`;
    prev.disabled = first.disabled = t === 1;
    next.disabled = t === T;
    const xPart = matrices.Wxh.map((row) => row.reduce((a, w, k) => a + w * s.x[k], 0));
    const hPart = matrices.Whh.map((row) => row.reduce((a, w, k) => a + w * s.hPrev[k], 0));
    formula.replaceChildren(
      tex.block`\begin{aligned} h_{${t}} &= \tanh\big(W_{xh}\,x_{${t}} + W_{hh}\,h_{${t - 1}} + b\big) \\ &= \tanh\big(\underbrace{${row(xPart)}}_{W_{xh} x_{${t}}} + \underbrace{${row(hPart)}}_{W_{hh} h_{${t - 1}}} \\ &\qquad + \underbrace{${row(matrices.b)}}_{b}\big) \\ &= \tanh${row(s.pre)} = ${row(s.h)} \end{aligned}`
    );
    diagram.replaceChildren(unrolledDiagram({T, d, u, active: t, width}));
    for (const row of body.rows) row.classList.toggle("current", Number(row.dataset.t) === t);
    for (const row of body.rows) row.hidden = Number(row.dataset.t) > t;
  };
  first.addEventListener("click", () => show(1));
  prev.addEventListener("click", () => show(t - 1));
  next.addEventListener("click", () => show(t + 1));
  root.addEventListener("keydown", (e) => {
    if (e.target !== root) return;
    if (e.key === "ArrowRight") show(t + 1);
    else if (e.key === "ArrowLeft") show(t - 1);
    else if (e.key === "Home") show(1);
    else if (e.key === "End") show(T);
    else return;
    e.preventDefault();
    e.stopPropagation();
  });
  show(1);
  return root;
}

/** T months of a monthly series from January of `year`, normalised by their own mean and standard deviation. */
export function co2Window(
  series: {start: {year: number; month: number}; values: number[]},
  year: number,
  T: number
): {xs: number[][]; labels: string[]; mean: number; std: number} {
  const first = Math.max(0, (year - series.start.year) * 12 + (1 - series.start.month));
  const raw = series.values.slice(first, first + T);
  const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
  const std = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / raw.length) || 1;
  const labels = raw.map((_, i) => {
    const m = series.start.month - 1 + first + i;
    return `${series.start.year + Math.floor(m / 12)}년 ${(m % 12) + 1}월`;
  });
  return {xs: raw.map((v) => [(v - mean) / std]), labels, mean, std};
}
