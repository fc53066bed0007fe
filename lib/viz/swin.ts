/**
 * What chapter 8's second page 「Swin Transformer」 (src/swin.md, claim V6) draws and says, computed: the frames of
 * the cyclic-shift stepper, region labels, the information-flow summary, the cost formulas as series, the sentence on the
 * measured time and memory of global against window attention, the stage shapes of Swin-T beside ResNet-50's, the relative
 * position index of a pair, the −100 of the mask inside a softmax, and the sentences that describe each result
 * (the measurement itself is lib/analysis/swin-cost.ts).
 *
 * The window bookkeeping itself (window ids, regions, mask, reach sets, stage shapes, Ω) is lib/analysis/swin.ts, the
 * layers lib/models/layers/swin-layers.ts; this file only arranges their numbers for the page.
 */
import {
  msaCost,
  reachCounts,
  reachSets,
  relativePositionIndex,
  rollGrid,
  shiftRegions,
  shiftRegionsOriginal,
  SWIN_MASK_VALUE,
  wmsaCost,
  type ReachMode
} from "../analysis/swin.js";
import type {AttentionCostRow} from "../analysis/swin-cost.js";
import {withParticle} from "../korean.js";
import {accuracyNoise} from "./attention-cnn.js";

const range = (n: number) => Array.from({length: n}, (_, i) => i);

/** The mask value as the page writes it, with a minus sign: "−100". */
export const MASK_TEXT = `\u2212${Math.abs(SWIN_MASK_VALUE)}`;

/** Region names A…I of the nine regions of the shifted grid (region r = 3·(row part) + (column part)). */
export const REGION_LABELS = ["A", "B", "C", "D", "E", "F", "G", "H", "I"] as const;

/** One colour per region (Okabe–Ito and two greys: apart for colour-blind readers; labels carry the meaning too). */
export const REGION_COLORS = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#F0E442",
  "#7f7f7f",
  "#000000"
] as const;

/** Windows of an H×W grid of patches with M×M windows. */
export function windowCount(h: number, w: number, m: number): number {
  if (h % m !== 0 || w % m !== 0) throw new RangeError(`a ${h}×${w} grid does not split into ${m}×${m} windows`);
  return (h / m) * (w / m);
}

/**
 * Windows of the shifted partition before the cyclic shift (the paper's Figure 2, right): the window lines moved by
 * s leave ⌈(H − s)/M⌉ + 1 parts per column side when 0 < s < M, many of them smaller than M×M.
 */
export function naiveShiftedWindowCount(h: number, w: number, m: number, s: number): number {
  if (s === 0) return windowCount(h, w, m);
  const parts = (n: number) => 1 + Math.ceil((n - s) / m);
  return parts(h) * parts(w);
}

/** The patches of the shift stepper's frames: `source[r][c]` is the original patch shown at (r, c). */
export interface ShiftFrame {
  step: number;
  /** Short title of the step. */
  title: string;
  /** What the step does, with its numbers. */
  caption: string;
  /** The roll applied to the patches (torch.roll shifts): [0, 0], [−s, 0] or [−s, −s]. */
  roll: [number, number];
  /** Window lines at origin + k·M (0, or s for the shifted partition drawn on the unrolled image). */
  windowOrigin: number;
  /** Colour the nine regions (A…I). */
  regions: boolean;
  /** Original patch index r·W + c shown at each displayed cell. */
  source: number[][];
}

/**
 * The cyclic shift step by step, for an H×W grid, M×M windows and shift s (0 < s < M): the windows of block l, the
 * shifted windows of block l + 1 drawn on the image (more, smaller windows), the roll up by s, the roll left by s
 * (back to M×M windows), the regions that now share a window, and the reverse shift after attention.
 */
export function shiftFrames(h: number, w: number, m: number, s: number): ShiftFrame[] {
  const ids = range(h).map((r) => range(w).map((c) => r * w + c));
  const n = windowCount(h, w, m);
  const naive = naiveShiftedWindowCount(h, w, m, s);
  const frame = (
    title: string,
    caption: string,
    roll: [number, number],
    windowOrigin: number,
    regions: boolean
  ): ShiftFrame => ({step: 0, title, caption, roll, windowOrigin, regions, source: rollGrid(ids, roll[0], roll[1])});
  const frames = [
    frame(
      "block l: window",
      `${h}×${w} patch를 ${m}×${m} window ${n}개로 나눕니다. attention은 각 window 안에서만 계산합니다.`,
      [0, 0],
      0,
      false
    ),
    frame(
      "block l+1: window를 옮김",
      `window 경계를 오른쪽 아래로 ${s} patch 옮기면 window가 ${naive}개가 되고, 가장자리의 window는 ${m}×${m}보다 작습니다. 색은 이 경계가 나누는 조각(region)입니다.`,
      [0, 0],
      s,
      true
    ),
    frame(
      "cyclic shift: 위로",
      `작은 window를 따로 계산하지 않도록 이미지를 위로 ${s} patch 굴립니다 (torch.roll): 맨 위 ${s}줄이 맨 아래로 갑니다.`,
      [-s, 0],
      s,
      true
    ),
    frame(
      "cyclic shift: 왼쪽으로",
      `다시 왼쪽으로 ${s} patch 굴리면 옮긴 경계가 원래 자리에 옵니다: window는 다시 ${m}×${m}, ${n}개입니다.`,
      [-s, -s],
      0,
      true
    ),
    frame(
      "mask",
      `마지막 행과 열의 window에는 이미지의 반대쪽 끝에서 넘어온 region이 섞입니다. mask가 다른 region 사이의 attention score에 ${MASK_TEXT}을 더해 막습니다.`,
      [-s, -s],
      0,
      true
    ),
    frame(
      "reverse shift",
      `attention 뒤에 오른쪽 아래로 ${s} patch 되굴려 모든 patch를 제자리로 돌려놓습니다.`,
      [0, 0],
      s,
      true
    )
  ];
  return frames.map((f, step) => ({...f, step}));
}

/** The region (0…8) of every displayed cell of a frame: regions travel with their patches. */
export function frameRegions(h: number, w: number, m: number, s: number, frame: ShiftFrame): number[][] {
  const original = shiftRegionsOriginal(h, w, m, s).flat();
  return frame.source.map((row) => row.map((p) => original[p]));
}

/** The regions in the cells of window `index` of the rolled grid (windows row by row), sorted. */
export function windowRegions(h: number, w: number, m: number, s: number, index: number): number[] {
  const regions = shiftRegions(h, w, m, s);
  const perRow = w / m;
  const [wr, wc] = [Math.floor(index / perRow), index % perRow];
  const found = new Set<number>();
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) found.add(regions[wr * m + i][wc * m + j]);
  return [...found].sort((a, b) => a - b);
}

/** Counts of a window's mask: pairs that attend (0) and pairs blocked (−100). */
export function maskCounts(mask: readonly (readonly number[])[]): {open: number; blocked: number} {
  const flat = mask.flat();
  const blocked = flat.filter((v) => v === SWIN_MASK_VALUE).length;
  return {open: flat.length - blocked, blocked};
}

/**
 * New pairs of patches that meet in one interior shifted window (pairs from different windows of the block before):
 * the shifted window takes pieces of (M − s)², s(M − s), (M − s)s and s² patches from four old windows, and the
 * pairs inside one piece had met already. Largest at s = M/2: why the paper shifts by ⌊M/2⌋.
 */
export function newPairs(m: number, s: number): number {
  const pieces = [(m - s) ** 2, s * (m - s), (m - s) * s, s * s];
  return (m * m) ** 2 - pieces.reduce((a, p) => a + p * p, 0);
}

export interface ReachSummary {
  mode: ReachMode;
  /** Patches reached after 0, 1, …, `blocks` blocks. */
  counts: number[];
  /** First block count after which every patch is reached; null when not within the blocks looked at. */
  full: number | null;
}

/** Reach counts and the blocks until every patch is reached, for the three kinds of attention. */
export function reachSummary(
  h: number,
  w: number,
  m: number,
  start: [number, number],
  blocks: number,
  shift = Math.floor(m / 2)
): ReachSummary[] {
  return (["window", "shifted", "global"] as const).map((mode) => {
    const counts = reachCounts(reachSets(h, w, m, start, blocks, {mode, shift}));
    const k = counts.findIndex((n) => n === h * w);
    return {mode, counts, full: k < 0 ? null : k};
  });
}

/** The sentence under the three reach grids, from the sets. */
export function describeReach(
  h: number,
  w: number,
  m: number,
  start: [number, number],
  blocks: number,
  summary: ReachSummary[]
): string {
  const [win, shifted, global] = summary;
  const total = h * w;
  const at = (s: ReachSummary) => s.counts[Math.min(blocks, s.counts.length - 1)];
  const full = (s: ReachSummary) =>
    s.full === null
      ? `${s.counts.length - 1} block 안에 모두에 닿지 못합니다`
      : `${s.full} block 뒤에 ${total}개 모두에 닿습니다`;
  return (
    `patch (${start[0]}, ${start[1]})는 ${blocks} block 뒤에 window만 쓰면 ${at(win)}개, shifted window를 번갈아 쓰면 ` +
    `${at(shifted)}개, ViT의 global attention이면 ${at(global)}개의 patch와 정보를 주고받았습니다 (모두 ${total}개). ` +
    `window만 쓰면 ${win.counts.at(-1)}개 (자기 window의 ${m}×${m})에서 더 넓어지지 않습니다. shifted window는 ${full(shifted)}. ` +
    `global attention은 ${full(global)}.`
  );
}

export interface CostRow {
  /** Image side in pixels. */
  resolution: number;
  /** Patches per side h = w = resolution / P. */
  h: number;
  msa: number;
  wmsa: number;
}

/** Ω(MSA) and Ω(W-MSA) of one stage-1 layer as the image grows (h = w = resolution / P). */
export function costSeries(resolutions: number[], c: {patch: number; channels: number; window: number}): CostRow[] {
  return resolutions.map((resolution) => {
    const h = resolution / c.patch;
    return {resolution, h, msa: msaCost(h, h, c.channels), wmsa: wmsaCost(h, h, c.channels, c.window)};
  });
}

/** Multiply-adds in words: 1.2 G, 340 M, 12 k. */
export function formatMacs(x: number): string {
  const units: [number, string][] = [
    [1e12, "T"],
    [1e9, "G"],
    [1e6, "M"],
    [1e3, "k"]
  ];
  for (const [v, u] of units) if (x >= v) return `${(x / v).toFixed(x / v < 10 ? 2 : 1)} ${u}`;
  return String(x);
}

/** The sentence beside the formulas at one resolution. */
export function describeCost(row: CostRow, c: {channels: number; window: number}): string {
  const ratio = row.msa / row.wmsa;
  return (
    `${row.resolution}×${row.resolution} 이미지 (h = w = ${row.h}, C = ${c.channels}, M = ${c.window})에서 global ` +
    `attention은 ${formatMacs(row.msa)}, window attention은 ${formatMacs(row.wmsa)} multiply-add로, ` +
    `${ratio.toFixed(1)}배 차이입니다. 두 식의 차이는 둘째 항뿐입니다: (hw)² = ${(row.h ** 4).toLocaleString("en-US")} 대신 ` +
    `M²·hw = ${(c.window ** 2 * row.h ** 2).toLocaleString("en-US")}.`
  );
}

const mb = (b: number) => (b / 2 ** 20).toFixed(b < 2 ** 20 ? 2 : 1);

/** The measured sentence: ratios at the largest size, and how each grew from the smallest. */
export function describeMeasured(rows: AttentionCostRow[], backend: string): string {
  const last = rows.at(-1)!;
  const first = rows[0];
  const timeRatio = last.globalMs / last.windowMs;
  const memRatio = last.globalBytes / last.windowBytes;
  const growth = (a: number, b: number) => (b / a).toFixed(1);
  const faster = timeRatio >= 1;
  return (
    `${backend} backend에서 ${last.side}×${last.side} patch (${last.tokens.toLocaleString("en-US")}개)일 때 global attention은 ` +
    `${last.globalMs.toFixed(1)} ms, ${mb(last.globalBytes)} MB, window attention은 ${last.windowMs.toFixed(1)} ms, ` +
    `${mb(last.windowBytes)} MB였습니다: 시간은 ${faster ? `window가 ${timeRatio.toFixed(1)}배 빠르고` : `window가 ${(1 / timeRatio).toFixed(1)}배 느리고`}, ` +
    `메모리는 ${memRatio.toFixed(1)}배 적습니다. ${first.side}×${first.side}에서 ${last.side}×${last.side}로 patch 수가 ` +
    `${growth(first.tokens, last.tokens)}배 되는 동안 global attention의 메모리는 ${growth(first.globalBytes, last.globalBytes)}배, ` +
    `window attention의 메모리는 ${growth(first.windowBytes, last.windowBytes)}배 늘었습니다. ` +
    `global attention이 ${growth(first.tokens, last.tokens)}² = ${growth(first.tokens ** 2, last.tokens ** 2)}배가 아닌 것은 ` +
    `score 행렬만 patch 수의 제곱 (hw)²으로 크고, Q, K, V와 출력은 patch 수 hw에 비례해 커지기 때문입니다.`
  );
}

/** A stage of a hierarchical network: feature map h×w×C at `stride` pixels per cell. */
export interface StageShape {
  name: string;
  height: number;
  width: number;
  channels: number;
  stride: number;
}

/**
 * ResNet's stages from a built (or dry-built) model: the output of each stage's last block (`layer{i}.{j}.relu`,
 * torchvision's names in lib/models/resnet.ts), with its stride from the input size.
 */
export function resnetStages(layers: readonly {name: string; outputShape: unknown}[], inputSize: number): StageShape[] {
  const last = new Map<number, number[]>();
  for (const layer of layers) {
    const m = /^layer(\d+)\.\d+\.relu$/.exec(layer.name);
    if (m) last.set(Number(m[1]), (layer.outputShape as number[]).slice(1));
  }
  return [...last.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([i, [height, width, channels]]) => ({
      name: `layer${i}`,
      height,
      width,
      channels,
      stride: inputSize / height
    }));
}

/** Δrow, Δcol and the bias-table row of patches i and j of an M×M window (row-major in the window). */
export function relativePair(
  m: number,
  i: number,
  j: number
): {dr: number; dc: number; row: number; col: number; index: number} {
  const [ri, ci, rj, cj] = [Math.floor(i / m), i % m, Math.floor(j / m), j % m];
  const dr = ri - rj;
  const dc = ci - cj;
  // the table is (2M − 1) × (2M − 1): row dr + M − 1, column dc + M − 1
  return {dr, dc, row: dr + m - 1, col: dc + m - 1, index: relativePositionIndex(m)[i][j]};
}

/** Softmax of a row of scores plus a row of the mask (0 / −100), in float64: what −100 does to the weights. */
export function maskedSoftmax(scores: readonly number[], mask: readonly number[]): number[] {
  const z = scores.map((s, i) => s + mask[i]);
  const top = Math.max(...z);
  const e = z.map((v) => Math.exp(v - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** A weight as the mask table writes it: 0, 1.71e-43 below 0.001, else four decimals. */
export function formatWeight(v: number): string {
  return v === 0 ? "0" : v < 1e-3 ? v.toExponential(2) : v.toFixed(4);
}

/**
 * The sentence under the mask's softmax table: key 4 (blocked) with score `blocked`, its weight without the mask
 * (`plain`), with it in float64 and in TF.js float32, and the weight left to the two open keys. The mask multiplies
 * exp(score) by e^−100; softmax then renormalises, so the weight itself changes by `masked / plain`, not by e^−100.
 */
export function describeMaskSoftmax(
  blocked: number,
  w: {plain: number; masked: number; f32: number; open: number; higher: boolean}
): string {
  const score = blocked.toFixed(1);
  const ratio = w.masked / w.plain;
  return (
    `key 4의 score는 ${w.higher ? `${withParticle(score, "으로/로")} 같은 region의 두 key보다 높지만` : `${score}이고`}, ` +
    `다른 region이라 ${withParticle(MASK_TEXT, "이/가")} 더해집니다: exp(score)에 e^(${MASK_TEXT}) = ${Math.exp(SWIN_MASK_VALUE).toExponential(2)}가 ` +
    `곱해지고, softmax가 합을 다시 1로 나누므로 가중치는 mask 없이 ${formatWeight(w.plain)}에서 ${formatWeight(w.masked)} (float64)로, ` +
    `${ratio.toExponential(2)}배가 됩니다. TF.js의 float32 softmax는 ${withParticle(formatWeight(w.f32), "을/를")} 냅니다. ` +
    `같은 region의 두 key가 가중치 ${withParticle(w.open.toFixed(4), "을/를")} 나눠 갖습니다.`
  );
}

export interface V6Row {
  name: string;
  params: number;
  /** Test accuracy at the end (0…1). */
  accuracy: number;
  /** Mean training milliseconds per step, after the first (warm-up) step unless `warmupIncluded`. */
  msPerStep: number;
  steps: number;
  /** The mean includes the first step (only one step was taken). */
  warmupIncluded?: boolean;
}

export interface V6Conditions {
  examples: number;
  testExamples: number;
  epochs: number;
  batchSize: number;
  backend: string;
}

/** Fashion-MNIST has ten classes: guessing gets 10%. */
export const V6_CHANCE = 0.1;

/**
 * Whether an accuracy is still at chance: within two standard errors of 10% on `n` test images (accuracyNoise of
 * lib/viz/attention-cnn.ts with the second accuracy 0 or 1, whose variance is 0, is the band of one accuracy).
 */
export function atChance(accuracy: number, n: number): boolean {
  return accuracy - V6_CHANCE <= accuracyNoise(V6_CHANCE, 0, n);
}

/** The training result in one honest paragraph, from the run's numbers. */
export function describeV6(rows: [V6Row, V6Row], c: V6Conditions): string {
  const [swin, vit] = rows;
  const pct = (a: number) => `${(100 * a).toFixed(1)}%`;
  const pp = (x: number) => `${(100 * x).toFixed(1)}%p`;
  const n = c.testExamples;
  const gap = swin.accuracy - vit.accuracy;
  const band = accuracyNoise(swin.accuracy, vit.accuracy, n);
  const chance = rows.filter((r) => atChance(r.accuracy, n));
  const who =
    chance.length > 0
      ? `${chance.map((r) => r.name).join("과 ")}의 정확도가 아직 우연 수준 (10%, 테스트 ${n.toLocaleString("en-US")}장의 잡음 범위 ` +
        `±${pp(accuracyNoise(V6_CHANCE, 0, n))}) 안이라, 이 예산은 두 모델을 비교하기에 너무 작습니다 (학습 예제 수나 epoch를 늘려 보세요)`
      : Math.abs(gap) <= band
        ? `차이 ${pp(Math.abs(gap))}는 테스트 ${n.toLocaleString("en-US")}장의 잡음 범위 (표준오차의 2배, ±${pp(band)}) 안이라, ` +
          `이 실행으로는 어느 쪽이 낫다고 말할 수 없습니다`
        : `${gap > 0 ? "Swin이" : "ViT가"} ${pp(Math.abs(gap))} 높습니다 (잡음 범위 ±${pp(band)} 밖)`;
  const speed = swin.msPerStep / vit.msPerStep;
  const time =
    speed >= 1
      ? `step마다 Swin이 ${speed.toFixed(1)}배 오래 걸렸습니다`
      : `step마다 Swin이 ${(1 / speed).toFixed(1)}배 빨랐습니다`;
  const warm =
    swin.warmupIncluded || vit.warmupIncluded ? "첫 step (warm-up)을 포함한 평균" : "첫 step (warm-up)을 뺀 평균";
  return (
    `Fashion-MNIST 학습 ${c.examples.toLocaleString("en-US")}장, ${c.epochs} epoch, batch ${c.batchSize} (${c.backend} backend)에서 ` +
    `파라미터 ${swin.params.toLocaleString("en-US")}개의 Swin은 테스트 ${n.toLocaleString("en-US")}장에서 ${pct(swin.accuracy)}, ` +
    `${vit.params.toLocaleString("en-US")}개의 ViT는 ${pct(vit.accuracy)}: ${who}. ` +
    `${time} (${warm}, ${swin.msPerStep.toFixed(0)} ms 대 ${vit.msPerStep.toFixed(0)} ms). ` +
    `이 규모의 한 번의 실행이라 차이는 seed와 예산에 따라 바뀔 수 있습니다.`
  );
}
