/**
 * MNIST for chapter 2 (a CNN trained in the reader's browser): everything of `./mnist-format.ts` (the data, its
 * licence, the raw IDX files and the site's compact file format are documented there), plus tensors for training.
 *
 * The format lives in its own module without TF.js because the build's data loaders (`src/assets/mnist-*.bin.ts`,
 * run by tsx as Node ESM) cannot import TF.js's browser bundle.
 */
import {tf} from "../tf.js";
import {MNIST_CLASSES, MNIST_PIXELS, MNIST_SHAPE, type MnistSet} from "./mnist-format.js";

export * from "./mnist-format.js";

/**
 * Tensors for images `start` … `end − 1` of a set (like `Array.prototype.slice`, without negative indices):
 * xs float32 [n, 28, 28, 1] with pixels scaled to 0 … 1, ys float32 one-hot [n, 10]. The caller disposes both.
 */
export function mnistTensors(
  set: MnistSet,
  start = 0,
  end = set.count
): {xs: tf.Tensor4D; ys: tf.Tensor2D} {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > set.count) {
    throw new RangeError(`slice ${start}…${end} is not within 0…${set.count}`);
  }
  const n = end - start;
  const src = set.images.subarray(start * MNIST_PIXELS, end * MNIST_PIXELS);
  const x = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) x[i] = src[i] / 255;
  const y = new Float32Array(n * MNIST_CLASSES);
  for (let i = 0; i < n; i++) {
    const label = set.labels[start + i];
    if (label >= MNIST_CLASSES) throw new RangeError(`label ${start + i} is ${label}, not a digit 0–9`);
    y[i * MNIST_CLASSES + label] = 1;
  }
  // built on the JS side: no intermediate tensors to dispose
  return {xs: tf.tensor4d(x, [n, ...MNIST_SHAPE]), ys: tf.tensor2d(y, [n, MNIST_CLASSES])};
}
