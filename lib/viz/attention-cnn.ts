/**
 * Chapter 8, V1 and V2: the result rows and sentences the page writes from a run (pure; the page's experiments are
 * src/components/vision-transformer/v12/). Every number in a sentence is an argument; nothing is typed.
 */
import {withParticle} from "../korean.js";
import {
  formatBytes,
  largestSide,
  type AttentionMatrixSize,
  type PixelAttentionMeasurement
} from "../analysis/pixel-attention.js";

export interface V1Row {
  name: string;
  /** Test accuracy after the run, 0…1. */
  accuracy: number;
  params: number;
  /** Multiply-adds of one image's forward pass (lib/analysis). */
  macs: number;
  /** Measured training time per step (batch), ms. */
  msPerStep: number;
  steps: number;
}

export interface V1Conditions {
  trainImages: number;
  testImages: number;
  epochs: number;
  batchSize: number;
  stopped?: boolean;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const pp = (x: number) => `${(100 * Math.abs(x)).toFixed(1)}%p`;
const times = (x: number) => `${x.toFixed(x >= 10 ? 0 : 1)}배`;

/**
 * Two standard errors of the difference of two accuracies on the same `n` test images (binomial, independent
 * errors assumed): a difference inside it is within what one seed and n images can tell apart.
 */
export function accuracyNoise(a: number, b: number, n: number): number {
  return 2 * Math.sqrt((a * (1 - a) + b * (1 - b)) / Math.max(1, n));
}

/** Fashion-MNIST's classes: guessing is right 1 time in 10. */
export const CHANCE = 1 / 10;

/**
 * Two standard errors of an accuracy measured on `n` test images around chance (binomial): a model whose accuracy is
 * no more than this above `chance` has not shown that it learned anything.
 */
export function chanceBand(n: number, chance = CHANCE): number {
  return 2 * Math.sqrt((chance * (1 - chance)) / Math.max(1, n));
}

/** Whether a test accuracy on `n` images is within the noise band of chance. */
export function atChance(accuracy: number, n: number, chance = CHANCE): boolean {
  return accuracy - chance <= chanceBand(n, chance);
}

/**
 * The sentence that replaces a comparison when some models are still at chance: which ones, the band, and what to
 * change. `names` are the models at chance (listed before a colon, so that no particle follows a name).
 */
export function atChanceSentence(names: readonly string[], n: number, what: string, chance = CHANCE): string {
  return (
    `${names.join(", ")}: 아직 우연 수준 (${pct(chance)}, 10개 클래스 중 찍기)에서 ` +
    `테스트 ${n.toLocaleString("en-US")}장의 잡음 폭 (+${pp(chanceBand(n, chance))}) 안입니다: 이 예산은 ${what} 너무 작습니다. ` +
    `학습 이미지나 epoch를 늘려 다시 재 보세요.`
  );
}

/** How a model compares with the plain CNN, in words (index 0 of `rows` is the CNN). */
function versus(row: V1Row, cnn: V1Row, n: number): string {
  const diff = row.accuracy - cnn.accuracy;
  const noise = accuracyNoise(row.accuracy, cnn.accuracy, n);
  const verdict =
    Math.abs(diff) <= noise
      ? `CNN과 차이 ${pp(diff)}로, 테스트 ${n.toLocaleString("en-US")}장의 우연 범위 (±${pp(noise)}) 안입니다`
      : `CNN보다 ${pp(diff)} ${diff > 0 ? "높습니다" : "낮습니다"} (우연 범위 ±${pp(noise)} 밖)`;
  return (
    `${withParticle(row.name, "은/는")} ${pct(row.accuracy)}: ${verdict}. 비용은 multiply-add ${times(row.macs / cnn.macs)}, ` +
    `step당 시간 ${times(row.msPerStep / cnn.msPerStep)}입니다`
  );
}

/** The V1 sentence: accuracy of the three models after the same budget, and at what cost against the CNN. */
export function describeV1(rows: readonly V1Row[], c: V1Conditions): string {
  const [cnn, ...others] = rows;
  const budget =
    `같은 예산 (Fashion-MNIST 학습 ${c.trainImages.toLocaleString("en-US")}장, epoch ${c.epochs}, batch ${c.batchSize}` +
    `${c.stopped ? ", 중간에 정지" : ""})으로 학습한 뒤 테스트 ${c.testImages.toLocaleString("en-US")}장에서`;
  const idle = rows.filter((r) => atChance(r.accuracy, c.testImages));
  if (idle.length > 0) {
    const all = rows.map((r) => `${r.name} ${pct(r.accuracy)}`).join(", ");
    return `${budget} ${all}. ${atChanceSentence(
      idle.map((r) => r.name),
      c.testImages,
      "세 모델을 비교하기에"
    )}`;
  }
  const parts = others.map((r) => versus(r, cnn, c.testImages));
  const local = others.find((r) => /local attention/.test(r.name));
  let notes = "";
  if (local) {
    const noise = accuracyNoise(local.accuracy, cnn.accuracy, c.testImages);
    const diff = local.accuracy - cnn.accuracy;
    notes =
      diff > noise
        ? ` 노트는 "CNN은 없앨 수는 있는데 성능이 드라마틱하게 좋아지진 않았다"고 했지만, 이번 실행에서는 local attention이 우연 범위보다 더 좋았습니다.`
        : diff < -noise
          ? ` 노트는 "CNN은 없앨 수는 있는데 성능이 드라마틱하게 좋아지진 않았다"고 했는데, 이번 실행에서 local attention은 좋아지기는커녕 CNN보다 낮았습니다: 이 예산에서는 더 느리게 배웠습니다 (학습 이미지나 epoch를 늘려 다시 재 보세요).`
          : ` 노트의 "CNN은 없앨 수는 있는데 성능이 드라마틱하게 좋아지진 않았다"와 맞습니다: local attention 모델은 stem 뒤의 3×3 convolution을 local attention으로 바꿨지만 CNN과의 차이가 우연 범위 안입니다.`;
  }
  return `${budget} CNN은 ${pct(cnn.accuracy)}입니다. ${parts.join(". ")}.${notes}`;
}

/** The V2 sentence for one image size, one patch size and one memory limit. */
export function describeV2(
  pixels: AttentionMatrixSize,
  patches: AttentionMatrixSize,
  limit: {label: string; bytes: number}
): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const side = largestSide(limit.bytes, 1, 1);
  const fits = pixels.bytes <= limit.bytes;
  return (
    `${pixels.height}×${pixels.width} 이미지의 픽셀을 토큰으로 쓰면 N = ${n(pixels.tokens)}, attention 행렬 하나 (head 하나, 이미지 하나)가 ` +
    `${n(pixels.entries)}개 값, float32로 ${formatBytes(pixels.bytes)}입니다. ${patches.patch}×${patches.patch} patch를 토큰으로 쓰면 ` +
    `N = ${n(patches.tokens)}, ${n(patches.entries)}개 값, ${formatBytes(patches.bytes)}로 ` +
    `${n(Math.round(pixels.entries / Math.max(1, patches.entries)))}배 작습니다. ` +
    `메모리 한도를 ${limit.label}의 ${formatBytes(limit.bytes)}로 잡으면 이 크기에서 픽셀 토큰의 행렬 하나가 ` +
    `${fits ? "들어갑니다" : "들어가지 않습니다"}. 행렬 하나가 들어가는 가장 큰 정사각형 이미지는 ${side}×${side}입니다 ` +
    `(층마다, head마다, batch의 이미지마다 행렬이 하나씩 더 필요하므로 실제 한도는 더 작습니다).`
  );
}

/** The V2 measurement sentence: did tf.memory() match 4·N², and how did time grow. */
export function describeV2Measurement(rows: readonly PixelAttentionMeasurement[], backend: string): string {
  if (rows.length === 0) return "잰 크기가 없습니다.";
  const exact = rows.filter((r) => r.scoreBytes === r.expectedBytes).length;
  const last = rows[rows.length - 1];
  const first = rows[0];
  const tokenRatio = last.tokens / first.tokens;
  const timeRatio = last.ms / Math.max(first.ms, 1e-3);
  return (
    `${backend} backend에서 ${rows.length}개 크기 중 ${exact}개에서 tf.memory()가 보고한 score 행렬의 바이트가 공식 4N²와 정확히 같았습니다. ` +
    `가장 큰 ${last.side}×${last.side} (N = ${last.tokens.toLocaleString("en-US")})에서 score 행렬 ${formatBytes(last.scoreBytes)}, ` +
    `softmax가 같은 크기의 행렬 ${formatBytes(last.softmaxBytes)}를 하나 더 만들었고, 둘에 ${last.ms.toFixed(0)} ms가 걸렸습니다. ` +
    `N이 ${times(tokenRatio)}가 되는 동안 메모리는 ${times(last.scoreBytes / Math.max(1, first.scoreBytes))}, 시간은 ${times(timeRatio)}가 되었습니다.`
  );
}

export interface AttentionRowSummary {
  /** Grid position (row, column) of the largest weight. */
  top: [number, number];
  topWeight: number;
  /** 1/N: every weight if the row were uniform. */
  uniform: number;
  /** Sum of the `k` largest weights. */
  topMass: number;
  k: number;
  /** Σ weights (1 for a softmax row). */
  total: number;
}

/** One query position's attention row over a grid of `gridWidth` columns (row-major): where it looks most. */
export function attentionRowSummary(row: ArrayLike<number>, gridWidth: number, k = 10): AttentionRowSummary {
  const values = Array.from(row);
  let best = 0;
  values.forEach((v, i) => {
    if (v > values[best]) best = i;
  });
  const sorted = [...values].sort((a, b) => b - a);
  const kk = Math.min(k, values.length);
  return {
    top: [Math.floor(best / gridWidth), best % gridWidth],
    topWeight: values[best],
    uniform: 1 / values.length,
    topMass: sorted.slice(0, kk).reduce((a, b) => a + b, 0),
    k: kk,
    total: values.reduce((a, b) => a + b, 0)
  };
}

/** The sentence under the attention map. */
export function describeAttentionRow(query: [number, number], s: AttentionRowSummary, className: string): string {
  return (
    `${className} 이미지에서 위치 (${query[0]}, ${query[1]})의 query가 가장 많이 보는 곳은 (${s.top[0]}, ${s.top[1]}), ` +
    `가중치 ${s.topWeight.toFixed(4)}입니다 (모든 곳을 똑같이 보면 ${s.uniform.toFixed(4)}). ` +
    `가중치가 큰 ${s.k}곳이 합계의 ${(100 * s.topMass).toFixed(1)}%를 가집니다.`
  );
}
