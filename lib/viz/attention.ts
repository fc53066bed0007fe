/**
 * The pictures and sentences of chapter 6 「Attention」, first half (pure: numbers in, SVG markup or Korean text out).
 * The page's components (src/components/attention/) insert them; tests/unit/viz/attention.test.ts checks them on
 * made-up numbers, including the outcomes that contradict the notes (attention no better, no reordering).
 *
 *   attentionFigure   A2: the notes' missing picture, drawn from one decoder step's numbers: encoder states as columns
 *                     of cells, the attention 가중치 as bars and as line widths into the attention output
 *   attentionHeatmap  A2: attention 가중치 of a whole translation, output tokens (rows) × source tokens (columns)
 *   describeLooks     A2: where the first output tokens look in the source, and whether the order is reversed
 *   describeA1        A1: sequence and token accuracy against source length of the two models, the gaps and ties
 */
import {cssColorAt, luminanceAt} from "./colormap.js";
import {withParticle} from "../korean.js";

const f2 = (x: number) => x.toFixed(2);
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;

/** Escape text for SVG markup. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})[c]!);
}

/** A source token as the figures print it: the word-space marker and PAD made visible. */
export function tokenLabel(token: string): string {
  if (token === "▁") return "␣";
  return token;
}

/** What the figure needs of one decoder step (lib/models/seq2seq.ts `AttentionSteps` has these fields). */
export interface StepNumbers {
  query: number[];
  keys: number[][];
  masked: boolean[];
  scores: number[];
  weights: number[];
  output: number[];
  token: string;
}

export interface FigureOptions {
  /** Source tokens, one per key (PAD positions included, as in `keys`). */
  sourceTokens: string[];
  width?: number;
  /** Cells drawn per state (the first `dims` units). Default: all, up to 32. */
  dims?: number;
}

/** One vector as a strip of coloured cells (diverging: blue negative, white 0, red positive), scaled by `scale`. */
function strip(v: number[], x: number, y: number, cw: number, ch: number, scale: number, vertical: boolean): string {
  return v
    .map((value, j) => {
      const t = 0.5 - value / (2 * scale); // the diverging map runs red → white → blue
      const [cx, cy] = vertical ? [x, y + j * ch] : [x + j * cw, y];
      return `<rect x="${cx.toFixed(1)}" y="${cy.toFixed(1)}" width="${cw.toFixed(1)}" height="${ch.toFixed(1)}" fill="${cssColorAt("diverging", t)}"><title>${value.toFixed(3)}</title></rect>`;
    })
    .join("");
}

/**
 * The five steps of one decoder step as an SVG: the decoder state h_t (query) and the encoder states h̄_s (columns),
 * the attention 가중치 a_s as bars above the columns and as the widths of the lines that carry each state into the
 * attention output, which is combined with h_t into the predicted token. Masked (PAD) positions are drawn faded.
 */
export function attentionFigure(step: StepNumbers, opts: FigureOptions): string {
  const S = step.keys.length;
  const dims = Math.min(step.query.length, opts.dims ?? 32);
  // as wide as the drawing needs (columns of at most 28 px; the top row), at most the width given
  const natural = Math.max(24 + S * 28, 24 + 215 + dims * 6 + 230);
  const width = Math.max(320, Math.min(opts.width ?? 720, natural));
  const scale = Math.max(1e-6, ...[...step.keys.flat(), ...step.query, ...step.output].map(Math.abs));
  const left = 12;
  const colW = Math.min(28, (width - 2 * left) / S);
  const cellW = Math.max(2, colW - 2);
  const cellH = Math.max(1.5, Math.min(4, 96 / dims));
  // top row, left to right: the attention output, h_t, and what they make; both strips as wide as fits
  const stripW = Math.max(1.5, Math.min(6, (width - 2 * left - 230) / (2 * dims)));
  const top = 16;
  const nodeY = top + 8; // the strips
  const barBase = nodeY + 64; // bottom of the weight bars
  const statesY = barBase + 6;
  const labelY = statesY + dims * cellH + 14;
  const height = labelY + 22;
  const outX = left;
  const qX = outX + Math.max(dims * stripW + 34, 215); // after the output strip and its label
  const parts: string[] = [];
  parts.push(
    `<text x="${outX}" y="${top}" class="fig-label">attention output c_t = Σ a_s h̄_s</text>`,
    strip(step.output.slice(0, dims), outX, nodeY, stripW, 10, scale, false),
    `<text x="${qX - 22}" y="${nodeY + 9}" class="fig-label">＋</text>`,
    `<text x="${qX}" y="${top}" class="fig-label">h_t (query)</text>`,
    strip(step.query.slice(0, dims), qX, nodeY, stripW, 10, scale, false),
    `<text x="${qX + dims * stripW + 8}" y="${nodeY + 9}" class="fig-token">→ tanh(W_c[c_t; h_t]) → “${escapeXml(step.token)}”</text>`
  );
  const maxW = Math.max(...step.weights, 1e-9);
  step.keys.forEach((k, s) => {
    const x = left + s * colW;
    const cx = x + cellW / 2;
    const w = step.weights[s];
    const faded = step.masked[s] ? ` opacity="0.25"` : "";
    const barH = (w / maxW) * 44;
    parts.push(
      `<g class="fig-state" data-position="${s}" data-weight="${w}"${faded}>`,
      `<line x1="${cx.toFixed(1)}" y1="${(barBase - barH).toFixed(1)}" x2="${(outX + (dims * stripW) / 2).toFixed(1)}" y2="${nodeY + 10}" stroke="#e8590c" stroke-opacity="0.7" stroke-width="${(0.3 + 7 * w).toFixed(2)}"/>`,
      `<rect class="fig-bar" x="${x.toFixed(1)}" y="${(barBase - barH).toFixed(1)}" width="${cellW.toFixed(1)}" height="${barH.toFixed(1)}" fill="#e8590c"><title>a_${s + 1} = ${w.toFixed(3)} (score ${Number.isFinite(step.scores[s]) ? step.scores[s].toFixed(3) : "−∞"})</title></rect>`,
      strip(k.slice(0, dims), x, statesY, cellW, cellH, scale, true),
      `<text x="${cx.toFixed(1)}" y="${labelY}" text-anchor="middle" class="fig-source">${escapeXml(tokenLabel(opts.sourceTokens[s] ?? ""))}</text>`,
      `</g>`
    );
  });
  parts.push(
    `<text x="${left}" y="${height - 4}" class="fig-caption">h̄_s: encoder 은닉 상태 (key = value; 세로 칸 = units ${dims}${dims < step.query.length ? `/${step.query.length}` : ""}개) · 막대와 선 굵기: a_s</text>`
  );
  return `<svg class="attention-figure" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-size="12" font-family="inherit" style="max-width: 100%; height: auto" role="img" aria-label="attention 한 time step의 그림">${parts.join("")}</svg>`;
}

export interface HeatmapOptions {
  /** Largest width; cells shrink to fit. */
  width?: number;
}

/**
 * Attention 가중치 of a translation: one row per output token, one column per source token (PAD columns left out
 * by the caller). Each cell carries `data-t`, `data-s` and its weight; darker is larger.
 */
export function attentionHeatmap(
  weights: number[][],
  sourceTokens: string[],
  outputTokens: string[],
  opts: HeatmapOptions = {}
): string {
  const T = weights.length;
  const S = sourceTokens.length;
  // room for the labels: source tokens written upwards at −60°, output tokens (Korean weekdays) at the left
  const longest = (ts: string[]) => Math.max(1, ...ts.map((t) => tokenLabel(t).length));
  const labelW = Math.min(80, 16 + 11 * longest(outputTokens));
  // one- or two-character source tokens (syllables) stand upright; longer ones are written upwards
  const upright = longest(sourceTokens) <= 2;
  const labelH = upright ? 18 : Math.min(70, 14 + 6 * longest(sourceTokens));
  // cells shrink to fit the width, and a long translation to about 440 px of height (a slide)
  const cell = Math.max(8, Math.min(26, ((opts.width ?? 720) - labelW - 8) / Math.max(1, S), 440 / Math.max(1, T)));
  const width = labelW + S * cell + 8;
  const height = labelH + T * cell + 8;
  const parts: string[] = [];
  sourceTokens.forEach((tok, s) => {
    const x = labelW + s * cell + cell / 2;
    parts.push(
      upright
        ? `<text x="${x.toFixed(1)}" y="${labelH - 5}" text-anchor="middle" class="hm-source">${escapeXml(tokenLabel(tok))}</text>`
        : `<text x="${x.toFixed(1)}" y="${labelH - 4}" transform="rotate(-60 ${x.toFixed(1)} ${labelH - 4})" class="hm-source">${escapeXml(tokenLabel(tok))}</text>`
    );
  });
  weights.forEach((row, t) => {
    const y = labelH + t * cell;
    parts.push(
      `<text x="${labelW - 6}" y="${(y + cell / 2 + 4).toFixed(1)}" text-anchor="end" class="hm-target">${escapeXml(outputTokens[t] ?? "")}</text>`
    );
    for (let s = 0; s < S; s++) {
      const w = row[s] ?? 0;
      const fill = cssColorAt("magma", 1 - w);
      parts.push(
        `<rect class="hm-cell" data-t="${t}" data-s="${s}" data-w="${w}" x="${(labelW + s * cell).toFixed(1)}" y="${y.toFixed(1)}" width="${(cell - 1).toFixed(1)}" height="${(cell - 1).toFixed(1)}" fill="${fill}"><title>${escapeXml(outputTokens[t] ?? "")} ← ${escapeXml(sourceTokens[s])}: ${w.toFixed(3)}</title></rect>`
      );
      if (w >= 0.5 && cell >= 18) {
        const ink = luminanceAt("magma", 1 - w) < 0.4 ? "#fff" : "#000";
        parts.push(
          `<text x="${(labelW + s * cell + cell / 2 - 0.5).toFixed(1)}" y="${(y + cell / 2 + 3).toFixed(1)}" text-anchor="middle" class="hm-value" fill="${ink}">${w.toFixed(1)}</text>`
        );
      }
    }
  });
  return `<svg class="attention-heatmap" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-size="11" font-family="inherit" style="max-width: 100%; height: auto" role="img" aria-label="attention heatmap: 출력 토큰 ${T}개 × 입력 토큰 ${S}개">${parts.join("")}</svg>`;
}

export interface Look {
  /** Output step (0-based) and its token. */
  t: number;
  token: string;
  /** Source position (0-based, among the shown source tokens) with the largest weight, its token and weight. */
  position: number;
  source: string;
  weight: number;
}

/** For each output step, the source position it looks at most. */
export function looks(weights: number[][], sourceTokens: string[], outputTokens: string[]): Look[] {
  return weights.map((row, t) => {
    let position = 0;
    for (let s = 1; s < sourceTokens.length; s++) if ((row[s] ?? 0) > (row[position] ?? 0)) position = s;
    return {
      t,
      token: outputTokens[t] ?? "",
      position,
      source: sourceTokens[position] ?? "",
      weight: row[position] ?? 0
    };
  });
}

/**
 * Where the first `first` output tokens look, in words: the source positions they weigh most, whether those lie in
 * the back half of the source (the year, for an English date), and how often the attended position moves backwards
 * from one output token to the next (word order changed). Says so when the weights are nearly uniform.
 */
export function describeLooks(
  weights: number[][],
  sourceTokens: string[],
  outputTokens: string[],
  {first = 4, trained = true}: {first?: number; trained?: boolean} = {}
): string {
  const S = sourceTokens.length;
  if (!weights.length || !S) return "";
  const all = looks(weights, sourceTokens, outputTokens);
  const head = all.slice(0, Math.min(first, all.length));
  const model = trained ? "학습한 모델" : "학습 전 (무작위로 초기화한) 모델";
  const uniform = 1 / S;
  const meanTop = head.reduce((a, l) => a + l.weight, 0) / head.length;
  const q = (s: string) => `“${tokenLabel(s)}”`;
  const where = head.map((l) => `${l.position + 1}번째 ${q(l.source)}`).join(", ");
  const subject =
    head.length === 1
      ? `${model}의 출력은 토큰 하나 (${q(head[0].token)})뿐이고, 그 토큰이 가장 많이 보는 입력 위치는 `
      : `${model}의 출력 첫 토큰 ${head.length}개 (${head.map((l) => q(l.token)).join(" ")})가 가장 많이 보는 입력 위치는 `;
  let text =
    subject + `${where}입니다 (입력 토큰 ${S}개, 가장 큰 가중치의 평균 ${f2(meanTop)}; 고르게 나누면 ${f2(uniform)}).`;
  if (meanTop < 2 * uniform) {
    return text + " 가중치가 거의 고르게 퍼져 있어서, 아직 어디를 봐야 할지 정하지 못했습니다.";
  }
  const back = head.filter((l) => l.position >= S / 2).length;
  text +=
    back === head.length
      ? ` 모두 입력의 뒤쪽 절반입니다: 번역은 입력의 끝 부분부터 씁니다.`
      : back === 0
        ? ` 모두 입력의 앞쪽 절반입니다.`
        : ` ${head.length}개 가운데 ${back}개가 입력의 뒤쪽 절반입니다.`;
  let backwards = 0;
  for (let t = 1; t < all.length; t++) if (all[t].position < all[t - 1].position) backwards++;
  text +=
    backwards > 0
      ? ` 출력 토큰 ${all.length}개를 차례로 따라가면, 보는 곳이 입력에서 앞으로 되돌아가는 곳이 ${backwards}번 있습니다: 어순이 바뀐 자리입니다.`
      : ` 출력 토큰 ${all.length}개가 보는 곳은 입력의 순서를 그대로 따라갑니다 (되돌아가는 곳 없음).`;
  return text;
}

export interface LengthRow {
  /** Bucket start: source tokens. */
  length: number;
  examples: number;
  sequenceAccuracy: number;
  /** Greedy token accuracy of the bucket's examples (NaN when it has none). */
  tokenAccuracy: number;
}

export interface A1Conditions {
  /** Epochs trained (a fraction when the time budget ended the training inside an epoch). */
  epochs: number;
  /** The time budget, in seconds (both models stop after the same batch when their mean time reaches it). */
  budget: number;
  trainExamples: number;
  testExamples: number;
  seed: number;
  scoring: string;
  /** Training seconds of each model. */
  seconds: [number, number];
  /** Overall held-out sequence accuracy of each model. */
  overall: [number, number];
  /** Overall held-out token accuracy of each model (greedy decoding). */
  overallToken: [number, number];
}

/** The two metrics of A1 (and chapter 5's S2), as the legends and sentences name them. */
export const A1_METRICS = ["시퀀스 정확도", "토큰 정확도"] as const;

/** A gap in percentage points with its sign: "+12%p", "−3%p", "±0%p". */
export function signedPoints(gap: number): string {
  const r = Math.round(100 * gap);
  return r > 0 ? `+${r}%p` : r < 0 ? `−${-r}%p` : "±0%p";
}

export function formatEpochs(epochs: number): string {
  return Number.isInteger(epochs) ? String(epochs) : epochs.toFixed(2);
}

/** Bucket starts for accuracy against source length: chapter 5's rule, so the two charts read alike. */
export {lengthBuckets} from "./seq2seq.js";

/** Bucket labels from the bucket starts: "5–9", …, "40+". */
export function bucketLabels(rows: readonly LengthRow[]): string[] {
  return rows.map((r, i) => (i + 1 < rows.length ? `${r.length}–${rows[i + 1].length - 1}` : `${r.length}+`));
}

/**
 * A1 in words: the no-attention and the attention model on the same data, budget and seed — their held-out sequence
 * and token accuracy (greedy decoding), the gap in both per length bucket (attention minus none), the buckets where
 * they tie (within `tie`), and whether the gap grows with the length, with the conditions. Token accuracy matters
 * because a short training leaves the no-attention model near 0 sequence accuracy at every length, where only the
 * token accuracy shows the length's effect. Nothing learned: every token accuracy below `learnedAtLeast`.
 */
export function describeA1(
  plain: LengthRow[],
  attention: LengthRow[],
  c: A1Conditions,
  tie = 0.05,
  learnedAtLeast = 0.2
): string {
  const labels = bucketLabels(plain);
  const rows = plain.map((p, i) => ({p, a: attention[i], label: labels[i]})).filter((r) => r.a && r.p.examples > 0);
  const cond =
    `같은 학습 예제 ${c.trainExamples.toLocaleString("en-US")}개에서 같은 batch ${formatEpochs(c.epochs)} epoch, seed ${c.seed}; ` +
    `학습 시간 ${c.seconds[0].toFixed(0)}초 / ${c.seconds[1].toFixed(0)}초, 한도 ${c.budget}초`;
  let text =
    `이번 실행 (${cond})에서 학습하지 않은 입력 ${c.testExamples.toLocaleString("en-US")}개를 greedy decoding으로 번역한 ` +
    `시퀀스 정확도는 attention 없는 모델 ${pct(c.overall[0])}, attention (${c.scoring}) 모델 ${pct(c.overall[1])}, ` +
    `토큰 정확도는 ${pct(c.overallToken[0])} 대 ${pct(c.overallToken[1])}입니다.`;
  if (!rows.length) return text;
  const bestToken = Math.max(...rows.flatMap((r) => [r.p.tokenAccuracy, r.a.tokenAccuracy]));
  if (bestToken < learnedAtLeast) {
    return (
      text +
      ` 두 모델 모두 토큰 정확도가 모든 구간에서 ${pct(learnedAtLeast)} 미만으로, 아직 거의 배우지 못했습니다: ` +
      `이 학습량으로는 비교할 수 없습니다. 학습 시간이나 epoch을 늘려 보세요.`
    );
  }
  const key = ["sequenceAccuracy", "tokenAccuracy"] as const;
  const gaps = rows.map((r) => ({...r, gap: key.map((k) => r.a[k] - r.p[k]) as [number, number]}));
  const pair = (g: (typeof gaps)[number], m: 0 | 1) =>
    `${pct(g.p[key[m]])} 대 ${pct(g.a[key[m]])} (${signedPoints(g.gap[m])})`;
  text +=
    ` 길이 구간별 (attention 없음 대 attention): ` +
    gaps.map((g) => `${g.label}개 시퀀스 ${pair(g, 0)}, 토큰 ${pair(g, 1)}`).join("; ") +
    ".";
  const ties = ([0, 1] as const).map((m) => gaps.filter((g) => Math.abs(g.gap[m]) <= tie).map((g) => g.label));
  if (ties.every((t) => t.length === gaps.length)) {
    return (
      text +
      ` 모든 구간에서 두 정확도 모두 차이가 ${pct(tie)}p 이내입니다: 이 학습량에서는 attention의 이득이 보이지 않습니다.`
    );
  }
  const tieText = (m: 0 | 1) =>
    !ties[m].length ? "없음" : ties[m].length === gaps.length ? "모든 구간" : ties[m].join(", ");
  text += ` ${pct(tie)}p 이내로 비기는 구간: 시퀀스 정확도 ${tieText(0)}, 토큰 정확도 ${tieText(1)}.`;
  const plainNothing = gaps.every((g) => g.p.sequenceAccuracy < tie);
  if (plainNothing) {
    const [first, last] = [gaps[0].p, gaps[gaps.length - 1].p];
    const tokenDrop = first.tokenAccuracy - last.tokenAccuracy;
    text +=
      ` attention 없는 모델은 시퀀스 정확도가 모든 구간에서 ${pct(tie)} 미만이라, 시퀀스 정확도로는 길이의 영향이 ` +
      (gaps.length >= 2 && tokenDrop >= 2 * tie
        ? `보이지 않지만, 토큰 정확도는 짧은 입력 ${pct(first.tokenAccuracy)}에서 긴 입력 ${pct(last.tokenAccuracy)}로 ` +
          `${pct(tokenDrop)}p 떨어집니다: 병목현상이 토큰 정확도에 먼저 보입니다.`
        : `보이지 않고, 토큰 정확도도 짧은 입력에서 긴 입력으로 뚜렷이 (${pct(2 * tie)}p 이상) 떨어지지 않습니다.`);
  }
  if (gaps.length >= 2) {
    const half = Math.floor(gaps.length / 2);
    const mean = (g: typeof gaps, m: 0 | 1) => g.reduce((a, x) => a + x.gap[m], 0) / Math.max(1, g.length);
    const [shorter, longer] = [gaps.slice(0, half), gaps.slice(half)];
    const trend = ([0, 1] as const).map((m) => {
      const [s, l] = [mean(shorter, m), mean(longer, m)];
      return {m, s, l, dir: l > s + tie ? 1 : l < s - tie ? -1 : 0};
    });
    const grows = trend.filter((t) => t.dir > 0);
    const shrinks = trend.filter((t) => t.dir < 0);
    const name = (t: (typeof trend)[number]) =>
      `${A1_METRICS[t.m]} (짧은 쪽 평균 ${signedPoints(t.s)}, 긴 쪽 ${signedPoints(t.l)})`;
    if (grows.length) {
      text +=
        ` 긴 입력일수록 차이가 커집니다: ${grows.map(name).join(", ")}. 병목현상이 긴 입력에서 나타나고 attention이 ` +
        `그것을 줄인다는 노트의 주장과 맞습니다.`;
    }
    if (shrinks.length) {
      text +=
        ` 이번 실행에서 ${shrinks.map(name).join(", ")}의 차이는 오히려 짧은 입력에서 더 큽니다: 노트의 주장 ` +
        `(긴 입력에서의 병목현상)과 다른 결과입니다.`;
    }
  }
  return text;
}

// ---------------------------------------------------------------------------------------------------------------
// Second half: self-attention (SA2–SA5). Sentences from the experiments' own numbers, honest whatever they show.

const sci = (x: number) => (x === 0 ? "0" : x.toExponential(1));
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 2 : 1)} MiB`;

/** A gap counts as float32 rounding when it is below this fraction of the outputs' size. */
export const ROUNDING = 1e-4;

/** Whether `gap` is rounding next to outputs of size `scale` (max |y|). */
export function isRounding(gap: number, scale: number): boolean {
  return gap <= ROUNDING * Math.max(1, scale);
}

/** One distance of `positionSimilarity`: PE(p)·PE(p + distance) over every p, its mean and its range. */
export interface SimilarityRow {
  distance: number;
  mean: number;
  min: number;
  max: number;
}

/**
 * SA2: dot products of the positional encodings of every pair of positions, grouped by their distance. For the
 * sinusoidal encoding PE(p)·PE(q) = Σ_i cos(ω_i (p − q)): it depends on the distance only (min = max).
 */
export function positionSimilarity(rows: readonly (readonly number[])[]): SimilarityRow[] {
  const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
  return rows.map((_, k) => {
    const values = rows.slice(0, rows.length - k).map((r, p) => dot(r, rows[p + k]));
    return {
      distance: k,
      mean: values.reduce((a, b) => a + b, 0) / values.length,
      min: Math.min(...values),
      max: Math.max(...values)
    };
  });
}

export interface OrderNumbers {
  /** The permutation as 1-based positions: output slot i holds input token permutation[i]. */
  permutation: number[];
  /** max |P⁻¹ f(P X) − f(X)|, without positions. */
  permutedGap: number;
  /** The same with the positional encoding added after the permutation: max |P⁻¹ f(P X + PE) − f(X + PE)|. */
  encodedGap: number;
  /** max |f(X)|, the outputs' size. */
  scale: number;
}

/** SA2 in words: permuting the tokens permutes the outputs; with the positional encoding it no longer does. */
export function describeSA2(n: OrderNumbers): string {
  const identity = n.permutation.every((p, i) => p === i + 1);
  const order = `[${n.permutation.join(", ")}]`;
  if (identity) return `순서 ${withParticle(order, "은/는")} 섞지 않은 순서입니다: 다시 섞어 보세요.`;
  const first = isRounding(n.permutedGap, n.scale)
    ? `토큰을 ${order} 순서로 섞어 넣고 출력을 원래 순서로 되돌리면, 섞지 않은 출력과의 최대 차이는 ${sci(n.permutedGap)}입니다 ` +
      `(출력 크기 ${n.scale.toFixed(2)}에 비해 float32 반올림 수준): 출력은 입력과 똑같이 섞였을 뿐, 토큰마다 같은 값입니다. ` +
      `positional encoding이 없는 self-attention은 순서를 보지 못합니다.`
    : `토큰을 ${order} 순서로 섞고 되돌린 출력의 최대 차이가 ${sci(n.permutedGap)}입니다 (출력 크기 ${n.scale.toFixed(2)}): ` +
      `반올림 수준보다 커서, 이번 입력에서는 순서가 출력에 영향을 주었습니다.`;
  const second = isRounding(n.encodedGap, n.scale)
    ? ` positional encoding을 더해도 차이가 ${sci(n.encodedGap)}로 반올림 수준입니다: 이 입력에서는 섞은 위치의 토큰이 같아서 순서가 드러나지 않습니다.`
    : ` 섞은 뒤 positional encoding을 더하면 같은 차이가 ${sci(n.encodedGap)} (출력 크기의 ${pct(n.encodedGap / Math.max(n.scale, 1e-12))})로, ` +
      `이제 같은 토큰도 자리에 따라 다른 출력을 냅니다.`;
  return first + second;
}

export interface SA3Conditions {
  /** The two runs' names: with and without the feed-forward sub-layers. */
  names: [string, string];
  trainExamples: number;
  validationExamples: number;
  /** Epochs finished by both. */
  epochs: number;
  batchSize: number;
  seed: number;
  /** Each model's training seconds and trainable parameters. */
  seconds: [number, number];
  params: [number, number];
  /** Held-out token accuracy (teacher forcing) and loss after the last epoch. */
  valAccuracy: [number, number];
  valLoss: [number, number];
}

/** SA3 in words: the held-out token accuracy of the models with and without the feed-forward network. */
export function describeSA3(c: SA3Conditions, tie = 0.01): string {
  const [withName, withoutName] = c.names;
  const cond =
    `같은 학습 예제 ${c.trainExamples.toLocaleString("en-US")}개, ${c.epochs} epoch, batch ${c.batchSize}, seed ${c.seed}; ` +
    `학습 시간 ${c.seconds[0].toFixed(1)}초 / ${c.seconds[1].toFixed(1)}초`;
  let text =
    `이번 실행 (${cond})에서 학습하지 않은 예제 ${c.validationExamples.toLocaleString("en-US")}개의 토큰 정확도 ` +
    `(teacher forcing)는 ${withName} ${pct(c.valAccuracy[0])} (loss ${f2(c.valLoss[0])}), ` +
    `${withoutName} ${pct(c.valAccuracy[1])} (loss ${f2(c.valLoss[1])})입니다.`;
  const gap = c.valAccuracy[0] - c.valAccuracy[1];
  if (Math.abs(gap) <= tie) {
    text += ` 차이가 ${pct(tie)}p 이내로 비깁니다: 이 과제와 학습량에서는 feed-forward network의 이득이 보이지 않습니다.`;
  } else if (gap > 0) {
    text += ` ${withParticle(withName, "이/가")} ${(100 * gap).toFixed(1)}%p 높습니다.`;
  } else {
    text += ` 이번에는 ${withParticle(withoutName, "이/가")} ${(100 * -gap).toFixed(1)}%p 높습니다: 노트의 주장과 다른 결과입니다.`;
  }
  const extra = c.params[0] - c.params[1];
  text +=
    ` 단, ${withParticle(withName, "은/는")} 파라미터가 ${extra.toLocaleString("en-US")}개 더 많습니다 ` +
    `(${c.params[0].toLocaleString("en-US")} 대 ${c.params[1].toLocaleString("en-US")}): 차이에는 비선형성과 크기가 함께 들어 있습니다.`;
  return text;
}

export interface FutureNumbers {
  /** 1-based: positions 1…t are compared; tokens after t were changed. */
  t: number;
  length: number;
  /** max |Δ output| at positions 1…t with the causal mask, and without it (same weights). */
  maskedGap: number;
  unmaskedGap: number;
  /** max |Δ output| at the changed positions t+1…T with the mask (they do change). */
  changedGap: number;
  scale: number;
}

/** "위치 a…b", or "위치 a" when the range holds one position. */
export function positions(a: number, b: number): string {
  return a === b ? `위치 ${a}` : `위치 ${a}…${b}`;
}

/** A reader's text quoted in a message: at most `max` characters, then "…" (long unbroken input must not widen the page). */
export function quoteShort(text: string, max = 40): string {
  const chars = [...text];
  return `“${chars.length > max ? chars.slice(0, max).join("") + "…" : text}”`;
}

/** The unknown source tokens, each quoted short, at most `max` of them; "" when there are none. */
export function unknownNote(unknown: readonly string[], max = 5): string {
  if (!unknown.length) return "";
  const shown = unknown
    .slice(0, max)
    .map((u) => quoteShort(u))
    .join(", ");
  const more = unknown.length > max ? ` 외 ${unknown.length - max}개` : "";
  return `<unk>로 읽은 모르는 토큰: ${shown}${more}.`;
}

/** SA4 in words: changing the tokens after t leaves the outputs at 1…t unchanged under the causal mask. */
export function describeSA4(n: FutureNumbers): string {
  if (n.t >= n.length) return `위치 ${n.t} 뒤에 토큰이 없습니다: t를 줄여 보세요.`;
  const upTo = positions(1, n.t);
  const masked = isRounding(n.maskedGap, n.scale)
    ? `causal mask가 있으면 ${upTo}의 출력 최대 차이는 ${sci(n.maskedGap)}입니다: 앞의 출력은 뒤의 토큰을 전혀 보지 않습니다`
    : `causal mask가 있는데도 ${upTo}의 출력이 ${sci(n.maskedGap)}만큼 바뀌었습니다: 마스크가 새고 있습니다`;
  const unmasked = isRounding(n.unmaskedGap, n.scale)
    ? ` 같은 가중치로 마스크를 빼도 차이가 ${withParticle(sci(n.unmaskedGap), "으로/로")} 거의 없습니다 (바뀐 토큰의 가중치가 작았습니다).`
    : ` 같은 가중치로 마스크를 빼면 ${upTo}의 출력도 ${sci(n.unmaskedGap)}만큼 바뀝니다: 앞의 출력이 미래의 토큰을 본 것입니다.`;
  return (
    `${positions(n.t + 1, n.length)}의 토큰을 바꾸면 (그 ${n.t + 1 === n.length ? "위치의" : "위치들의"} 출력은 ${sci(n.changedGap)}만큼 바뀜) ` +
    masked +
    "." +
    unmasked
  );
}

/** What `describeSA5` reads of lib/analysis/attention-memory.ts's `AttentionMemory`. */
export interface MemoryNumbers {
  rows: {length: number; scoreBytes: number; layerBytes: number}[];
  layerFit: {coefficients: [number, number, number]; r2: number};
  limitLength: number;
  tabBytes: number;
}

/** SA5 in words: the measured growth, the fitted quadratic and where a tab runs out. */
export function describeSA5(m: MemoryNumbers, c: {dModel: number; heads: number}): string {
  const first = m.rows[0];
  const last = m.rows[m.rows.length - 1];
  const ratio = last.length / first.length;
  const [c0, c1, c2] = m.layerFit.coefficients;
  const quadShare = (c2 * last.length ** 2) / (c0 + c1 * last.length + c2 * last.length ** 2);
  let text =
    `d = ${c.dModel}, head ${c.heads}개의 self-attention 층 하나, 문장 하나의 forward에서: 길이를 ${first.length}에서 ` +
    `${withParticle(String(last.length), "으로/로")} ${ratio.toFixed(0)}배 늘리면 score 행렬은 ${mib(first.scoreBytes)} → ${mib(last.scoreBytes)} ` +
    `(${(last.scoreBytes / first.scoreBytes).toFixed(0)}배), 층 전체의 최대 메모리는 ${mib(first.layerBytes)} → ${mib(last.layerBytes)} ` +
    `(${(last.layerBytes / first.layerBytes).toFixed(0)}배)입니다. ` +
    `2차식 맞춤 (R² = ${m.layerFit.r2.toFixed(4)})에서 길이 ${last.length}의 메모리 중 L² 항이 ${pct(quadShare)}입니다.`;
  text += Number.isFinite(m.limitLength)
    ? ` 이 식대로면 메모리가 ${(m.tabBytes / 2 ** 30).toFixed(0)} GiB (브라우저 탭 하나의 흔한 한도)에 이르는 길이는 약 ` +
      `${Math.round(m.limitLength).toLocaleString("en-US")} 토큰입니다 (층 하나, forward만: 학습은 gradient를 위해 더 많이 씁니다).`
    : ` 맞춘 식이 ${(m.tabBytes / 2 ** 30).toFixed(0)} GiB에 이르지 않습니다: 측정 길이를 늘려 보세요.`;
  return text;
}
