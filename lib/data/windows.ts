/**
 * Chapter 4 「RNN」 (section Real data): forecasting windows over a series, for the recurrent forecasters and the
 * chapter 3 1D convolution alike (../models/forecaster.ts).
 *
 * Window i is the inputs values[i … i + W − 1] and the target values[i + W + H − 1] (H = horizon, 1 = the next
 * value). The series is cut at `testStart`: training windows have their target before it, test windows at or after
 * it (their inputs may reach back into the training part, which is known at forecast time). Normalisation uses the
 * mean and standard deviation of the training part only (values[0 … testStart − 1]), so nothing of the test part
 * leaks into training. Pure apart from the tensors it returns (the caller disposes them).
 */
import {tf} from "../tf.js";

export interface WindowOptions {
  /** W: input steps per window. */
  window: number;
  /** H: how many steps ahead the target is (1 = the next value). Default 1. */
  horizon?: number;
  /** Share of the series (by time, at the end) whose values are test targets, in (0, 1). */
  testFraction: number;
}

export interface SeriesWindows {
  /** xs [N, W, 1] normalised inputs; ys [N, 1] normalised targets. */
  train: {xs: tf.Tensor3D; ys: tf.Tensor2D};
  test: {xs: tf.Tensor3D; ys: tf.Tensor2D};
  /** Training part's mean and standard deviation: value = normalised · std + mean. */
  mean: number;
  std: number;
  /** Index of the first test target in `values`; test window k's target is values[testStart + k]. */
  testStart: number;
  /** Index in `values` of training window 0's target (W + H − 1); training window k's is that + k. */
  trainTargetStart: number;
}

/** Mean and (population) standard deviation of values[0 … end − 1]. */
export function meanStd(values: ArrayLike<number>, end = values.length): {mean: number; std: number} {
  let sum = 0;
  for (let i = 0; i < end; i++) sum += values[i];
  const mean = sum / end;
  let sq = 0;
  for (let i = 0; i < end; i++) sq += (values[i] - mean) ** 2;
  return {mean, std: Math.sqrt(sq / end) || 1};
}

export function seriesWindows(values: number[], opts: WindowOptions): SeriesWindows {
  const {window, horizon = 1, testFraction} = opts;
  const n = values.length;
  const first = window + horizon - 1; // earliest index that can be a target
  const testStart = Math.max(first + 1, Math.round(n * (1 - testFraction)));
  if (testStart >= n) throw new Error(`series of ${n} values too short for window ${window} and a test part`);
  const {mean, std} = meanStd(values, testStart);
  const z = values.map((v) => (v - mean) / std);
  const build = (from: number, to: number) => {
    // targets at from … to − 1
    const count = Math.max(0, to - from);
    const x = new Float32Array(count * window);
    const y = new Float32Array(count);
    for (let k = 0; k < count; k++) {
      const target = from + k;
      const start = target - horizon - window + 1;
      for (let j = 0; j < window; j++) x[k * window + j] = z[start + j];
      y[k] = z[target];
    }
    return {xs: tf.tensor3d(x, [count, window, 1]), ys: tf.tensor2d(y, [count, 1])};
  };
  return {
    train: build(first, testStart),
    test: build(testStart, n),
    mean,
    std,
    testStart,
    trainTargetStart: first
  };
}
