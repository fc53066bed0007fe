/**
 * Chapter 8 「Attention / Transformer for Vision」, V3: drawing what the small ViT learned (without the DOM) and the
 * sentences that describe a run, written from its numbers.
 *
 * - `attentionOverlay`: a grey image with a patch-grid heat map on top (the class token's attention).
 * - `positionSimilaritySvg`: the grid of small heat maps of Dosovitskiy et al. 2021, Figure 7 (centre): tile (i, j)
 *   shows the cosine similarity of position (i, j)'s embedding with every position.
 * - `describeTraining`, `describePositions`, `describeAttention`: the page's result sentences.
 */
import type {RgbaImage} from "../ops/image.js";
import type {PositionStructure} from "../analysis/vit-maps.js";
import {colorAt, cssColorAt} from "./colormap.js";

/**
 * A grey H×W image (values 0…1, row-major) with `heat` (rows×cols patch values, scaled so its maximum is 1) blended
 * on top in magma: colour = (1 − α)·grey + α·magma(heat), α = `alpha` · heat.
 */
export function attentionOverlay(
  image: ArrayLike<number>,
  size: [number, number],
  heat: ArrayLike<number>,
  grid: [number, number],
  alpha = 0.75
): RgbaImage {
  const [h, w] = size;
  const [rows, cols] = grid;
  if (image.length !== h * w) throw new RangeError(`image has ${image.length} values, not ${h}×${w}`);
  if (heat.length !== rows * cols) throw new RangeError(`heat has ${heat.length} values, not ${rows}×${cols}`);
  let max = 0;
  for (let i = 0; i < heat.length; i++) max = Math.max(max, heat[i]);
  const data = new Uint8ClampedArray(h * w * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const t = max > 0 ? heat[Math.floor((y * rows) / h) * cols + Math.floor((x * cols) / w)] / max : 0;
      const [r, g, b] = colorAt("magma", t);
      const grey = 255 * image[y * w + x];
      const a = alpha * t;
      const k = (y * w + x) * 4;
      data[k] = (1 - a) * grey + a * r;
      data[k + 1] = (1 - a) * grey + a * g;
      data[k + 2] = (1 - a) * grey + a * b;
      data[k + 3] = 255;
    }
  }
  return {data, width: w, height: h};
}

export interface SimilaritySvgOptions {
  /** Side of one cell in px. Default 9. */
  cell?: number;
  /** Gap between tiles in px. Default 4. */
  gap?: number;
}

/**
 * rows×cols tiles; tile n holds row n of `similarity` laid out on the grid. Cosine similarity −1…1 in the diverging
 * colormap (blue −1, white 0, red 1). `data-position` on each tile, `data-value` on each cell.
 */
export function positionSimilaritySvg(
  similarity: number[][],
  grid: [number, number],
  {cell = 9, gap = 4}: SimilaritySvgOptions = {}
): string {
  const [rows, cols] = grid;
  const tileW = cols * cell;
  const tileH = rows * cell;
  const width = cols * tileW + (cols - 1) * gap;
  const height = rows * tileH + (rows - 1) * gap;
  const parts: string[] = [];
  for (let n = 0; n < rows * cols; n++) {
    const ox = (n % cols) * (tileW + gap);
    const oy = Math.floor(n / cols) * (tileH + gap);
    const cells = similarity[n].map((v, m) => {
      const x = ox + (m % cols) * cell;
      const y = oy + Math.floor(m / cols) * cell;
      const fill = cssColorAt("diverging", (Math.max(-1, Math.min(1, v)) + 1) / 2);
      return `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" data-value="${v.toFixed(4)}"/>`;
    });
    parts.push(
      `<g class="pos-tile" data-position="${n}">${cells.join("")}` +
        `<rect x="${ox + 0.5}" y="${oy + 0.5}" width="${tileW - 1}" height="${tileH - 1}" fill="none" stroke="#868e96" stroke-width="1"/></g>`
    );
  }
  return (
    `<svg class="pos-similarity" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" role="img" aria-label="position embedding cosine similarity">${parts.join("")}</svg>`
  );
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const num = (x: number) => x.toLocaleString("en-US");

export interface TrainingSummary {
  trainImages: number;
  epochs: number;
  /** Epochs actually finished (fewer when stopped). */
  epochsDone: number;
  seconds: number;
  testImages: number;
  /** Test accuracy before the first step and after the last. */
  before: number;
  after: number;
  stopped: boolean;
}

/** The sentence under the training curves. */
export function describeTraining(s: TrainingSummary): string {
  const speed = s.seconds > 0 ? ` (초당 약 ${num(Math.round((s.trainImages * s.epochsDone) / s.seconds))}장)` : "";
  const run = s.stopped
    ? `학습 이미지 ${num(s.trainImages)}장으로 ${s.epochs} epoch 중 ${s.epochsDone} epoch을 마치고 정지했습니다 (${s.seconds.toFixed(1)}초).`
    : `학습 이미지 ${num(s.trainImages)}장으로 ${s.epochs} epoch을 ${s.seconds.toFixed(1)}초 동안 학습했습니다${speed}.`;
  const change = s.after > s.before ? "올랐습니다" : "오르지 않았습니다";
  return (
    `${run} 테스트 이미지 ${num(s.testImages)}장 (학습에 쓰지 않은 것)의 정확도는 학습 전 ${pct(s.before)}에서 ` +
    `${pct(s.after)}로 ${change} (10개 class에서 무작위로 고르면 10%).`
  );
}

/** The sentence under the position-embedding similarity map. */
export function describePositions(p: PositionStructure, trained: boolean): string {
  const who = trained ? "학습한 모델" : "학습 전 모델 (무작위 초기값)";
  const far = p.byDistance[p.byDistance.length - 1];
  const closer = p.neighbours > p.farther;
  const verdict =
    closer && p.correlation < -0.3
      ? "가까운 위치끼리 더 비슷합니다: 모델이 2차원 배치를 학습했습니다."
      : closer
        ? "이웃이 조금 더 비슷하지만 거리와의 관계는 약합니다."
        : "이웃이라고 더 비슷하지 않습니다: 아직 위치의 배치를 배우지 않았습니다.";
  return (
    `${who}: 바로 옆 위치(거리 1)끼리의 평균 cosine similarity는 ${p.neighbours.toFixed(3)}, 더 먼 위치끼리는 ` +
    `${p.farther.toFixed(3)}, 가장 먼 위치(거리 ${far.distance.toFixed(2)})끼리는 ${far.mean.toFixed(3)}이고, 거리와 ` +
    `similarity의 상관계수는 ${p.correlation.toFixed(2)}입니다. ${verdict}`
  );
}

/** The sentence under the class-token attention maps: predictions, and the rollout's share on the garment. */
export function describeAttention(
  shown: {right: number; total: number; attention: number; patches: number},
  trained: boolean
): string {
  const who = trained ? "학습한 모델" : "학습 전 모델";
  const onObject =
    `rollout attention의 평균 ${pct(shown.attention)}가 옷이 있는 patch (평균 밝기 10% 초과, 전체 patch의 ${pct(shown.patches)})에 ` +
    `갑니다: ${shown.attention > shown.patches * 1.1 ? "고르게 볼 때보다 옷에 더 모입니다" : shown.attention < shown.patches * 0.9 ? "고르게 볼 때보다 오히려 배경을 더 봅니다" : "고르게 보는 것과 거의 같습니다"}.`;
  const predictions = trained
    ? `보이는 ${shown.total}장 중 ${shown.right}장을 맞혔습니다.`
    : `예측은 우연입니다 (보이는 ${shown.total}장 중 ${shown.right}장).`;
  return `${who}: ${predictions} ${onObject}`;
}
