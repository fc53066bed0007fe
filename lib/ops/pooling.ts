/**
 * Max against average pooling on a noisy input (chapter 2 「CNN」, claims P1–P2).
 *
 * The notes: max pooling keeps the most salient feature; average pooling misses nothing but keeps the
 * noise. Measured here as a contrast-to-noise ratio (CNR) of the pooled map,
 *   CNR = (mean output over feature windows − mean output over background windows) / std(background outputs),
 * where a window is "feature" when the clean input has any ink in it. The same seeded Gaussian noise goes
 * through both poolings, so the difference is the pooling's alone.
 */
import {tf} from "../tf.js";

export type PoolKind = "max" | "avg";

/** 2-D pooling of an [H, W] or [H, W, C] map with a square window; stride defaults to the window. */
export function pool2d(x: tf.Tensor, kind: PoolKind, size = 2, stride = size): tf.Tensor3D {
  return tf.tidy(() => {
    const x3 = (x.rank === 2 ? x.expandDims(2) : x) as tf.Tensor3D; // [H, W, C]
    return kind === "max" ? tf.maxPool(x3, size, stride, "valid") : tf.avgPool(x3, size, stride, "valid");
  });
}

export interface PoolingNoise {
  kind: PoolKind | "input";
  /** Contrast-to-noise ratio of the map (see the module comment). */
  cnr: number;
  /** Mean output over feature windows, and over background windows. */
  feature: number;
  background: number;
  /** Standard deviation of the background outputs. */
  noise: number;
}

function cnrOf(map: Float32Array | Int32Array | Uint8Array, mask: boolean[]): Omit<PoolingNoise, "kind"> {
  const f: number[] = [];
  const b: number[] = [];
  map.forEach((v, i) => (mask[i] ? f : b).push(v));
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / Math.max(1, a.length);
  const mb = mean(b);
  const sd = Math.sqrt(mean(b.map((v) => (v - mb) ** 2)));
  const feature = mean(f);
  return {cnr: (feature - mb) / sd, feature, background: mb, noise: sd};
}

/**
 * Add seeded Gaussian noise (std `sigma`) to `clean` [H, W] (ink 0…1) and measure the CNR of the input
 * and of its 2×2 max and average poolings. Returns the noisy input and pooled maps for display.
 */
export function poolingNoise(
  clean: tf.Tensor2D,
  sigma: number,
  seed = 1
): {noisy: tf.Tensor2D; pooled: Record<PoolKind, tf.Tensor3D>; rows: PoolingNoise[]} {
  if (!(sigma > 0)) throw new RangeError(`noise σ must be > 0, not ${sigma}`);
  const noisy = tf.tidy(() => tf.add(clean, tf.randomNormal(clean.shape, 0, sigma, "float32", seed))) as tf.Tensor2D;
  const pooled = {max: pool2d(noisy, "max"), avg: pool2d(noisy, "avg")};
  const inkIn = clean.dataSync();
  const inputMask = Array.from(inkIn, (v) => v > 0.5);
  const cleanMax = pool2d(clean, "max");
  const windowMask = Array.from(cleanMax.dataSync(), (v) => v > 0.5);
  cleanMax.dispose();
  const rows: PoolingNoise[] = [
    {kind: "input", ...cnrOf(noisy.dataSync() as Float32Array, inputMask)},
    {kind: "max", ...cnrOf(pooled.max.dataSync() as Float32Array, windowMask)},
    {kind: "avg", ...cnrOf(pooled.avg.dataSync() as Float32Array, windowMask)}
  ];
  return {noisy, pooled, rows};
}
