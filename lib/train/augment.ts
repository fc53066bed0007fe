/**
 * Data augmentation for chapter 8's V5 (improving ViT): random shifts and horizontal flips of image batches, seeded,
 * applied per training batch through the loop's `augment` hook (./loop.ts). Labels never change.
 *
 * - Shift (DeiT trains with random-resized crops; on 28×28 a shift of up to s pixels is the same idea at this
 *   scale, as "pad s, random crop 28" of the CIFAR recipes): every image moves by its own (dy, dx) ∈ [−s, s]²,
 *   pixels that leave the frame are dropped and the uncovered border is 0 (Fashion-MNIST's background).
 * - Horizontal flip with probability ½: safe for every Fashion-MNIST class, since a mirrored shirt, bag or shoe is
 *   still a shirt, bag or shoe (left and right shoes are mirror images), so the label is unchanged.
 *
 * The pixel work is plain JavaScript over the batch's values (a batch of 64 images is 50,176 numbers): one read-back
 * and one new tensor per batch, testable without a backend.
 */
import {tf} from "../tf.js";
import {mulberry32} from "../random.js";

/** What happens to one image: a shift by (dy, dx) pixels (positive = down, right), after an optional mirror. */
export interface ImageDraw {
  dy: number;
  dx: number;
  flip: boolean;
}

export interface AugmentOptions {
  /** Largest shift in pixels along each axis (0: no shift). */
  shift?: number;
  /** Mirror left↔right with probability ½. */
  flip?: boolean;
}

/** One draw per image from a generator: dy, dx uniform in −s…s, flip with probability ½. */
export function drawAugmentations(count: number, opts: AugmentOptions, rand: () => number): ImageDraw[] {
  const s = Math.max(0, Math.floor(opts.shift ?? 0));
  const int = () => (s === 0 ? 0 : Math.floor(rand() * (2 * s + 1)) - s);
  return Array.from({length: count}, () => {
    const dy = int();
    const dx = int();
    return {dy, dx, flip: opts.flip ? rand() < 0.5 : false};
  });
}

/**
 * Apply draws to images stored [n, h, w, c] row-major: out[y][x] = in'[y − dy][x − dx], where in' is the image
 * mirrored when `flip`, and 0 outside the frame. Returns a new array.
 */
export function augmentPixels(
  pixels: ArrayLike<number>,
  shape: readonly [number, number, number, number],
  draws: readonly ImageDraw[]
): Float32Array {
  const [n, h, w, c] = shape;
  if (draws.length !== n) throw new RangeError(`${draws.length} draws for ${n} images`);
  const out = new Float32Array(n * h * w * c);
  for (let i = 0; i < n; i++) {
    const {dy, dx, flip} = draws[i];
    const base = i * h * w * c;
    for (let y = 0; y < h; y++) {
      const sy = y - dy;
      if (sy < 0 || sy >= h) continue;
      for (let x = 0; x < w; x++) {
        const shifted = x - dx;
        if (shifted < 0 || shifted >= w) continue;
        const sx = flip ? w - 1 - shifted : shifted;
        for (let k = 0; k < c; k++) out[base + (y * w + x) * c + k] = pixels[base + (sy * w + sx) * c + k];
      }
    }
  }
  return out;
}

/**
 * A per-batch augmentation for the loop's `augment` hook: seeded, so the same seed gives the same shifts and flips
 * batch after batch. Returns a new tensor (the loop disposes it); the input is left alone.
 */
export function batchAugmenter(opts: AugmentOptions & {seed?: number}): (xs: tf.Tensor) => tf.Tensor {
  const rand = mulberry32(opts.seed ?? 1);
  return (xs) => {
    const shape = xs.shape as [number, number, number, number];
    if (shape.length !== 4) throw new RangeError(`augmentation takes image batches [n, h, w, c], got [${shape}]`);
    const draws = drawAugmentations(shape[0], opts, rand);
    return tf.tensor4d(augmentPixels(xs.dataSync(), shape, draws), shape);
  };
}

/** Whether any augmentation is switched on. */
export const augments = (opts: AugmentOptions): boolean => (opts.shift ?? 0) > 0 || !!opts.flip;
