/**
 * Cutting an image into ViT's patches and the patch embedding written out by hand: chapter 8 「Attention /
 * Transformer for Vision」, V3 (the fourth approach of the notes, ViT step by step on a real photo).
 *
 * Dosovitskiy et al., "An Image is Worth 16x16 Words", ICLR 2021, https://arxiv.org/abs/2010.11929, eq. 1: the image
 * x ∈ ℝ^{H×W×C} is reshaped into N = HW/P² flattened patches x_p ∈ ℝ^{N×(P²·C)}, each multiplied by the same
 * matrix E ∈ ℝ^{(P²·C)×D}. timm (and lib/models/vit.ts) compute the same thing as a convolution with kernel = stride = P;
 * `patchEmbedByMatmul` is the flatten + matmul form, so the page can show that the two agree on a photo.
 */
import {tf} from "../tf.js";

/** How an H×W×C image splits into P×P patches (the size must be a multiple of P). */
export interface PatchLayout {
  /** Patches per column and per row: H/P, W/P. */
  rows: number;
  cols: number;
  /** N = (H/P)·(W/P). */
  patches: number;
  /** P²·C: the length of one flattened patch. */
  patchDim: number;
}

export function patchLayout(height: number, width: number, channels: number, patchSize: number): PatchLayout {
  if (!Number.isInteger(patchSize) || patchSize < 1) throw new RangeError(`patch size ${patchSize} is not ≥ 1`);
  if (height % patchSize !== 0 || width % patchSize !== 0) {
    throw new RangeError(`a ${height}×${width} image does not split into ${patchSize}×${patchSize} patches`);
  }
  const rows = height / patchSize;
  const cols = width / patchSize;
  return {rows, cols, patches: rows * cols, patchDim: patchSize * patchSize * channels};
}

/** The patch sizes that divide both sides of an image, from `min` up (for a slider). */
export function patchSizes(height: number, width: number, min = 2, max = Math.min(height, width) / 2): number[] {
  const out: number[] = [];
  for (let p = min; p <= max; p++) if (height % p === 0 && width % p === 0) out.push(p);
  return out;
}

/**
 * [H, W, C] (or [B, H, W, C]) -> [N, P²·C] (or [B, N, P²·C]): patch n = (row i, column j) in row-major order, its
 * pixels flattened row by row, channels innermost (the order of a conv kernel [P, P, C, D] reshaped to [P²·C, D]).
 */
export function extractPatches(image: tf.Tensor3D | tf.Tensor4D, patchSize: number): tf.Tensor {
  return tf.tidy(() => {
    const batched = image.rank === 4;
    const x = (batched ? image : image.expandDims(0)) as tf.Tensor4D;
    const [b, h, w, c] = x.shape;
    const {rows, cols, patches, patchDim} = patchLayout(h, w, c, patchSize);
    const p = patchSize;
    // [B, H, W, C] -> [B, H/P, P, W/P, P, C] -> [B, H/P, W/P, P, P, C] -> [B, N, P·P·C]
    const split = x.reshape([b, rows, p, cols, p, c]).transpose([0, 1, 3, 2, 4, 5]);
    const out = split.reshape([b, patches, patchDim]);
    return batched ? out : out.squeeze([0]);
  });
}

/**
 * The patch embedding as flatten + matmul: patches [.., N, P²·C] times the conv kernel [P, P, C, D] read as
 * E [P²·C, D], plus the bias [D]. Equals `conv2d(image, kernel, stride P)` reshaped to [.., N, D].
 */
export function patchEmbedByMatmul(patches: tf.Tensor, kernel: tf.Tensor4D, bias?: tf.Tensor1D): tf.Tensor {
  return tf.tidy(() => {
    const [p1, p2, c, d] = kernel.shape;
    const e = kernel.reshape([p1 * p2 * c, d]); // E: [P²·C, D]
    const flat = patches.reshape([-1, p1 * p2 * c]);
    let y = tf.matMul(flat, e);
    if (bias) y = tf.add(y, bias);
    return y.reshape([...patches.shape.slice(0, -1), d]);
  });
}
