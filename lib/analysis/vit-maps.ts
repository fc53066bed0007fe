/**
 * What a trained ViT has learned, as numbers a page can draw: chapter 8 「Attention / Transformer for Vision」, V3.
 *
 * - Position-embedding similarity (Dosovitskiy et al. 2021, Figure 7 centre): the cosine similarity of the learned
 *   position embedding of each patch position with every other's, and its mean by distance on the patch grid.
 * - The class token's attention: per block, the row of the class token in the attention weights (mean over heads);
 *   and attention rollout (Abnar & Zuidema, "Quantifying Attention Flow in Transformers", ACL 2020,
 *   https://arxiv.org/abs/2005.00928): each block's head-mean attention with the residual added as 0.5·A + 0.5·I,
 *   rows renormalised, multiplied from the first block to the last.
 *
 * The maths is plain arrays (tested against hand-worked numbers and naive loops); `vitForwardWithMaps` and
 * `positionEmbeddingRows` read a `buildVit` model with TF.js.
 */
import {tf} from "../tf.js";
import {VitEncoderBlock} from "../models/layers/vit-layers.js";

export type Matrix = number[][];

/** Cosine similarity of every pair of rows of an [n, d] matrix (a zero row is 0 to everything). */
export function cosineSimilarityMatrix(list: ArrayLike<number>[]): Matrix {
  const norms = list.map((r) => {
    let s = 0;
    for (let k = 0; k < r.length; k++) s += r[k] * r[k];
    return Math.sqrt(s);
  });
  return list.map((a, i) =>
    list.map((b, j) => {
      let dot = 0;
      for (let k = 0; k < a.length; k++) dot += a[k] * b[k];
      const denom = norms[i] * norms[j];
      return denom > 0 ? dot / denom : 0;
    })
  );
}

/** One distance on the patch grid and the mean similarity of the pairs of positions that far apart. */
export interface DistanceBin {
  /** Euclidean distance in patches, √(Δrow² + Δcol²). */
  distance: number;
  mean: number;
  /** Ordered pairs (i ≠ j) at this distance. */
  pairs: number;
}

export interface PositionStructure {
  byDistance: DistanceBin[];
  /** Mean similarity of direct neighbours (distance 1). */
  neighbours: number;
  /** Mean similarity of all pairs farther than 1. */
  farther: number;
  /** Pearson correlation of distance and similarity over all pairs i ≠ j (negative: near positions are more alike). */
  correlation: number;
}

/** Similarity by distance for positions on a rows×cols grid (position n = row n / cols, column n % cols). */
export function positionStructure(similarity: Matrix, grid: [number, number]): PositionStructure {
  const [rows, cols] = grid;
  const n = rows * cols;
  if (similarity.length !== n) throw new RangeError(`${similarity.length} positions, not ${rows}×${cols}`);
  const bins = new Map<number, {sum: number; pairs: number}>();
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const dr = Math.floor(i / cols) - Math.floor(j / cols);
      const dc = (i % cols) - (j % cols);
      const squared = dr * dr + dc * dc;
      const bin = bins.get(squared) ?? {sum: 0, pairs: 0};
      bin.sum += similarity[i][j];
      bin.pairs++;
      bins.set(squared, bin);
      xs.push(Math.sqrt(squared));
      ys.push(similarity[i][j]);
    }
  }
  const byDistance = [...bins.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([squared, b]) => ({distance: Math.sqrt(squared), mean: b.sum / b.pairs, pairs: b.pairs}));
  const near = byDistance.filter((b) => b.distance === 1);
  const far = byDistance.filter((b) => b.distance > 1);
  const pooled = (list: DistanceBin[]) =>
    list.reduce((s, b) => s + b.mean * b.pairs, 0) /
    Math.max(
      1,
      list.reduce((s, b) => s + b.pairs, 0)
    );
  return {byDistance, neighbours: pooled(near), farther: pooled(far), correlation: pearson(xs, ys)};
}

function pearson(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

/** The mean over heads of one example's attention weights [h][T][T] -> [T][T]. */
export function headMean(heads: Matrix[]): Matrix {
  const h = heads.length;
  return heads[0].map((row, i) => row.map((_, j) => heads.reduce((s, m) => s + m[i][j], 0) / h));
}

function matmul(a: Matrix, b: Matrix): Matrix {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
}

/**
 * Attention rollout over blocks (first to last), each [T][T] already averaged over heads: with `residual` (default, as
 * Abnar & Zuidema) Ã = 0.5·A + 0.5·I with rows renormalised; rollout = Ã_L ⋯ Ã_2 · Ã_1. Row t of the result says how
 * much each input token reaches token t's output through all blocks.
 */
export function attentionRollout(blocks: Matrix[], residual = true): Matrix {
  let out: Matrix | null = null;
  for (const a of blocks) {
    const withResidual = residual ? a.map((row, i) => row.map((v, j) => 0.5 * v + (i === j ? 0.5 : 0))) : a;
    const normalised = withResidual.map((row) => {
      const s = row.reduce((x, y) => x + y, 0);
      return row.map((v) => v / s);
    });
    out = out ? matmul(normalised, out) : normalised;
  }
  if (!out) throw new RangeError("rollout needs at least one block");
  return out;
}

/** What the class token (position 0) takes from each patch: row 0 without column 0, renormalised to sum 1. */
export function classTokenToPatches(matrix: Matrix, tokens = 1): number[] {
  const row = matrix[0].slice(tokens);
  const s = row.reduce((a, b) => a + b, 0);
  return row.map((v) => (s > 0 ? v / s : 0));
}

/** How much of an attention map falls on the object: patches whose mean pixel exceeds `threshold` (a dark background). */
export interface ForegroundShare {
  /** Sum of the map over the object's patches (the map sums to 1 over all patches). */
  attention: number;
  /** The object's patches as a share of all patches: what a uniform map would give. */
  patches: number;
}

/**
 * `heat` (rows×cols, summing to 1) against the object's patches of an H×W grey image (values 0…1, row-major): a
 * patch is the object's when its mean pixel is above `threshold` (Fashion-MNIST's background is 0).
 */
export function foregroundShare(
  pixels: ArrayLike<number>,
  size: [number, number],
  heat: ArrayLike<number>,
  grid: [number, number],
  threshold = 0.1
): ForegroundShare {
  const [h, w] = size;
  const [rows, cols] = grid;
  const ph = h / rows;
  const pw = w / cols;
  let attention = 0;
  let count = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let y = i * ph; y < (i + 1) * ph; y++) for (let x = j * pw; x < (j + 1) * pw; x++) sum += pixels[y * w + x];
      if (sum / (ph * pw) > threshold) {
        attention += heat[i * cols + j];
        count++;
      }
    }
  }
  return {attention, patches: count / (rows * cols)};
}

/**
 * A ViT's forward pass layer by layer, in inference mode, keeping every encoder block's attention weights: logits
 * [B, classes] and one [B, h, T, T] tensor per block (the caller disposes them all). For a single-head `buildVit` model
 * (DeiT's two heads are not a chain).
 */
export function vitForwardWithMaps(model: tf.LayersModel, images: tf.Tensor4D): {logits: tf.Tensor; maps: tf.Tensor[]} {
  if (model.outputs.length !== 1) throw new RangeError("vitForwardWithMaps reads a ViT with one head");
  return tf.tidy(() => {
    let x: tf.Tensor = images;
    const maps: tf.Tensor[] = [];
    for (const layer of model.layers) {
      if (layer.getClassName() === "InputLayer") continue;
      if (layer instanceof VitEncoderBlock) {
        const r = layer.attentionMaps(x);
        x = r.output;
        maps.push(r.maps.self); // [B, h, T, T]
      } else {
        x = layer.apply(x, {training: false}) as tf.Tensor;
      }
    }
    return {logits: x, maps};
  });
}

/** The learned position embedding of a `buildVit` model as rows [T][D] (T = tokens incl. the class token). */
export function positionEmbeddingRows(model: tf.LayersModel): number[][] {
  const w = model.getLayer("pos_embed").getWeights()[0];
  return w.arraySync() as number[][];
}
