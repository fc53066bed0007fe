/**
 * SA2, order: self-attention without positions is permutation-equivariant. The reader's sentence (syllable vectors,
 * d = 8, two heads) goes through a `MultiHeadAttention` layer as it is and in a shuffled order; the shuffled outputs,
 * put back in the original order, equal the plain outputs (max difference printed, computed). With the sinusoidal
 * positional encoding added after shuffling (position i gets PE(i) whatever token sits there), they no longer do.
 * `encodingCharts` draws the encoding (positions × dimensions) and PE(p)·PE(q) against the distance |p − q|.
 *
 * The root carries `data-claim="SA2"` and `data-permutation`, `data-permuted-gap`, `data-encoded-gap`, `data-scale`.
 */
import * as Plot from "@observablehq/plot";
import {tf} from "../../lib/tf.js";
import {MultiHeadAttention} from "../../lib/models/layers/attention.js";
import {sinusoidalEncodingRows} from "../../lib/models/layers/positional-encoding.js";
import {mulberry32} from "../../lib/random.js";
import type {Matrix} from "../../lib/analysis/attention-steps.js";
import {describeSA2, positionSimilarity} from "../../lib/viz/attention.js";
import {el, matrixTable, maxAbs, maxAbsDiff, SA_SENTENCE, sentenceInput, sentenceVectors} from "./sa-common.js";

export const SA2_DIM = 8;
export const SA2_HEADS = 2;
export const SA2_SEED = 11;

/** A seeded shuffle of 0 … n − 1 that moves something whenever n > 1. */
export function shuffled(n: number, seed: number): number[] {
  const rand = mulberry32(seed);
  for (let tries = 0; ; tries++) {
    const p = Array.from({length: n}, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [p[i], p[j]] = [p[j], p[i]];
    }
    if (n < 2 || tries > 20 || p.some((v, i) => v !== i)) return p;
  }
}

const addRows = (a: Matrix, b: Matrix): Matrix => a.map((row, i) => row.map((v, j) => v + b[i][j]));

export function orderExperiment({
  text = SA_SENTENCE,
  invalidation
}: {text?: string; invalidation?: Promise<unknown>} = {}): HTMLElement {
  const d = SA2_DIM;
  const layer = new MultiHeadAttention({numHeads: SA2_HEADS, seed: SA2_SEED, name: "sa2_attention"});
  tf.tidy(() => void layer.apply(tf.zeros([1, 1, d])));
  invalidation?.then(() => layer.dispose());
  const f = (x: Matrix): Matrix =>
    tf.tidy(() => (layer.apply(tf.tensor3d([x])) as tf.Tensor).arraySync() as Matrix[])[0];

  const root = el("div", "sa-order");
  root.dataset.claim = "SA2";
  let sentence = text;
  let round = 1;
  const again = el("button", "sa-shuffle", "다시 섞기");
  again.type = "button";
  const controls = el("div", "sa-row");
  controls.append(
    sentenceInput(text, "문장", (t) => {
      sentence = t;
      render();
    }),
    again
  );
  const tables = el("div", "sa-row");
  const sentenceLine = el("p", "sa2-result claim-line");
  root.append(controls, tables, sentenceLine);
  again.addEventListener("click", () => {
    round++;
    render();
  });

  const render = () => {
    const {tokens, x} = sentenceVectors(sentence, d);
    if (tokens.length < 2) {
      sentenceLine.textContent = "섞으려면 음절이 둘 이상 있어야 합니다.";
      return;
    }
    const perm = shuffled(tokens.length, 1000 + round);
    const px = perm.map((i) => x[i]); // slot i holds token perm[i]
    const pe = sinusoidalEncodingRows(tokens.length, d);
    /** f of the shuffled input (plus `extra` by slot), put back in the original order. */
    const back = (extra?: Matrix): Matrix => {
      const y = f(extra ? addRows(px, extra) : px);
      const out: Matrix = new Array(tokens.length);
      perm.forEach((src, slot) => (out[src] = y[slot]));
      return out;
    };
    const plain = f(x);
    const encoded = f(addRows(x, pe));
    const permutedGap = maxAbsDiff(back(), plain);
    const encodedGap = maxAbsDiff(back(pe), encoded);
    const scale = maxAbs(plain);
    const labels = tokens.map((t, i) => `${i + 1} ${t}`);
    const shownLabels = perm.map((i) => `${i + 1} ${tokens[i]}`);
    const cols = Array.from({length: 3}, (_, j) => `y${j + 1}`);
    const first3 = (m: Matrix) => m.map((r) => r.slice(0, 3));
    tables.replaceChildren(
      matrixTable(first3(plain), {title: "원래 순서의 출력 (앞 3개 성분)", rows: labels, columns: cols}),
      matrixTable(first3(f(px)), {title: "섞은 순서로 넣은 출력", rows: shownLabels, columns: cols})
    );
    const numbers = {permutation: perm.map((i) => i + 1), permutedGap, encodedGap, scale};
    sentenceLine.textContent = describeSA2(numbers);
    root.dataset.permutation = JSON.stringify(numbers.permutation);
    root.dataset.permutedGap = String(permutedGap);
    root.dataset.encodedGap = String(encodedGap);
    root.dataset.scale = String(scale);
  };
  render();
  return root;
}

/** The encoding PE [length, dim] as a heatmap and PE(p)·PE(q) against |p − q|. */
export function encodingCharts({length = 64, dim = 32, width = 720} = {}): HTMLElement {
  const rows = sinusoidalEncodingRows(length, dim);
  const cells = rows.flatMap((r, pos) => r.map((v, k) => ({pos, k, v})));
  const w = Math.max(300, Math.min(width, 960));
  const half = w >= 640 ? Math.floor(w / 2) - 12 : w;
  const heat = Plot.plot({
    width: half,
    height: 260,
    marginLeft: 44,
    x: {label: "차원 k →"},
    y: {label: "↓ 위치 pos", reverse: true},
    // no ramp legend (an svg without data marks): the colours are named in the caption below
    color: {type: "diverging", scheme: "rdbu", domain: [-1, 1]},
    marks: [Plot.raster(cells, {x: "k", y: "pos", fill: "v", interpolate: "nearest"})]
  });
  const sim = positionSimilarity(rows);
  const line = Plot.plot({
    width: half,
    height: 260,
    marginLeft: 44,
    x: {label: "거리 |p − q| →"},
    y: {label: "↑ PE(p) · PE(q)", grid: true},
    marks: [
      Plot.areaY(sim, {x: "distance", y1: "min", y2: "max", fill: "#1971c2", fillOpacity: 0.2}),
      Plot.line(sim, {x: "distance", y: "mean", stroke: "#1971c2", strokeWidth: 2}),
      Plot.ruleY([0])
    ]
  });
  const spread = Math.max(...sim.map((s) => s.max - s.min));
  const root = el("div", "sa-encoding");
  root.dataset.spread = String(spread);
  const charts = el("div", "sa-row");
  charts.append(heat, line);
  const best = sim.slice(1).reduce((m, s) => (s.mean > m.mean ? s : m), sim[1]);
  root.append(
    charts,
    el(
      "p",
      "sa-encoding-note",
      `왼쪽: PE(pos, k), 빨강 −1 · 흰색 0 · 파랑 +1. 위치 ${length}개, d = ${dim}. 오른쪽: 같은 거리의 모든 쌍 (p, q)의 내적은 서로 최대 ${spread.toExponential(1)}만큼만 다릅니다 ` +
        `(띠의 폭): 내적은 거리에만 달려 있습니다. 거리 0에서 ${sim[0].mean.toFixed(1)} (= d/2)이고, 거리 1 이상에서 가장 큰 값은 ` +
        `거리 ${best.distance}의 ${best.mean.toFixed(2)}입니다.`
    )
  );
  return root;
}
