/**
 * One fixed pixel permutation applied to every image (chapter 2 「CNN」, claim C5: does a network use the spatial
 * arrangement of the pixels?). The classic experiment shuffles the 784 pixel positions of MNIST with one seeded
 * permutation, the same for every training and test image: the image is no longer a picture, but no information is
 * lost (the inverse permutation restores it).
 *
 * Why an MLP does not care: its first FC 층 computes x·W, a sum over pixels in which order plays no part. Permuting
 * the input and the rows of W the same way gives the same sum (`permuteRows`), so an MLP trained on permuted images
 * can learn exactly what it learns on the originals. A CNN's 5×5 filters assume that neighbouring pixels belong
 * together; after the permutation they do not.
 */
import {tf} from "../tf.js";
import {mulberry32} from "../random.js";

/** A seeded permutation of 0…n−1 (Fisher–Yates with mulberry32): `p[i]` is the source of position i. */
export function pixelPermutation(n: number, seed: number): Int32Array {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`permutation length must be a positive integer, not ${n}`);
  const p = Int32Array.from({length: n}, (_, i) => i);
  const rand = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Whether `p` holds every index 0…n−1 exactly once. */
export function isPermutation(p: ArrayLike<number>): boolean {
  const seen = new Uint8Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (!Number.isInteger(v) || v < 0 || v >= p.length || seen[v]) return false;
    seen[v] = 1;
  }
  return true;
}

/** The permutation that undoes `p`: `permute(permute(x, p), inverse(p))` is x. */
export function inversePermutation(p: ArrayLike<number>): Int32Array {
  if (!isPermutation(p)) throw new RangeError("not a permutation");
  const inv = new Int32Array(p.length);
  for (let i = 0; i < p.length; i++) inv[p[i]] = i;
  return inv;
}

/** How many positions the permutation moves (0 for the identity). */
export function movedPositions(p: ArrayLike<number>): number {
  let moved = 0;
  for (let i = 0; i < p.length; i++) if (p[i] !== i) moved++;
  return moved;
}

/**
 * Images [N, H, W, C] with their H·W pixel positions rearranged by `perm` (length H·W): output pixel i is input
 * pixel perm[i]; the channels of a pixel move together.
 */
export function permutePixels(xs: tf.Tensor4D, perm: ArrayLike<number>): tf.Tensor4D {
  const [n, h, w, c] = xs.shape;
  if (perm.length !== h * w) throw new RangeError(`permutation of ${perm.length} positions for ${h}×${w} images`);
  if (!isPermutation(perm)) throw new RangeError("not a permutation");
  return tf.tidy(() => {
    const flat = xs.reshape([n, h * w, c]); // [N, H·W, C]
    const moved = tf.gather(flat, tf.tensor1d(Array.from(perm), "int32"), 1); // [N, H·W, C]
    return moved.reshape([n, h, w, c]) as tf.Tensor4D;
  });
}

/**
 * The rows of a first FC 층's kernel [H·W·C, units] rearranged like `permutePixels` rearranges the input (its
 * flatten order is h, w, c): permutePixels(x) · permuteRows(W) = x · W, for any x.
 */
export function permuteRows(kernel: tf.Tensor2D, perm: ArrayLike<number>, channels = 1): tf.Tensor2D {
  if (perm.length * channels !== kernel.shape[0]) {
    throw new RangeError(`permutation of ${perm.length}×${channels} rows for a kernel of ${kernel.shape[0]}`);
  }
  const rows = new Int32Array(kernel.shape[0]);
  for (let i = 0; i < perm.length; i++)
    for (let k = 0; k < channels; k++) rows[i * channels + k] = perm[i] * channels + k;
  return tf.tidy(() => tf.gather(kernel, tf.tensor1d(rows, "int32"), 0) as tf.Tensor2D);
}
