/**
 * Chapter 6 「Attention」, claim SA5: self-attention's memory grows with the square of the sequence length.
 *
 * Measured, not computed: for each length L, the bytes that `tf.memory()` reports for
 * - the score matrix Q Kᵀ of one self-attention layer on one sequence ([h, L, L] float32 values), and
 * - the whole layer's forward pass (`MultiHeadAttention` of ../models/layers/attention.ts): the peak of the engine's
 *   allocated bytes during the call (`tf.profile`'s peakBytes: the most after any kernel) above what was allocated
 *   before it (input and weights excluded).
 *   Inside the layer's `tf.tidy` every intermediate stays allocated until the call ends, as training would keep it.
 * Then a least-squares quadratic bytes ≈ c₀ + c₁·L + c₂·L², and the length at which the fitted bytes reach a tab's
 * memory (4 GiB by default: a typical 32-bit-addressed WebAssembly heap or a tab's budget), solved from the fit.
 */
import {tf} from "../tf.js";
import {MultiHeadAttention} from "../models/layers/attention.js";

/** Bytes a typical browser tab can give one computation: 4 GiB. */
export const TAB_BYTES = 4 * 2 ** 30;

export interface AttentionMemoryRow {
  length: number;
  /** Bytes of the score matrix [h, L, L], as tf.memory() reports them. */
  scoreBytes: number;
  /** Peak bytes above the start during the layer's forward pass. */
  layerBytes: number;
}

/** y ≈ c[0] + c[1]·x + c[2]·x², least squares, with R². */
export interface QuadraticFit {
  coefficients: [number, number, number];
  r2: number;
}

export interface AttentionMemory {
  rows: AttentionMemoryRow[];
  scoreFit: QuadraticFit;
  layerFit: QuadraticFit;
  /** Length at which the fitted layer bytes reach `tabBytes` (the larger root of the quadratic). */
  limitLength: number;
  tabBytes: number;
}

/** Least squares fit of y ≈ c₀ + c₁x + c₂x² (normal equations, solved by Gaussian elimination in float64). */
export function quadraticFit(xs: number[], ys: number[]): QuadraticFit {
  if (xs.length < 3) throw new RangeError("a quadratic fit needs at least 3 points");
  // scale x to ~1 for conditioning, fit in the scaled variable, then unscale
  const s = Math.max(...xs.map(Math.abs)) || 1;
  const u = xs.map((x) => x / s);
  const m = [0, 1, 2].map((i) => [0, 1, 2].map((j) => u.reduce((acc, x) => acc + x ** (i + j), 0)));
  const r = [0, 1, 2].map((i) => u.reduce((acc, x, n) => acc + x ** i * ys[n], 0));
  // Gaussian elimination with partial pivoting on [m | r]
  const a = m.map((row, i) => [...row, r[i]]);
  for (let col = 0; col < 3; col++) {
    let pivot = col;
    for (let row = col + 1; row < 3; row++) if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) pivot = row;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    for (let row = col + 1; row < 3; row++) {
      const f = a[row][col] / a[col][col];
      for (let k = col; k < 4; k++) a[row][k] -= f * a[col][k];
    }
  }
  const c = [0, 0, 0];
  for (let row = 2; row >= 0; row--) {
    let v = a[row][3];
    for (let k = row + 1; k < 3; k++) v -= a[row][k] * c[k];
    c[row] = v / a[row][row];
  }
  const coefficients: [number, number, number] = [c[0], c[1] / s, c[2] / (s * s)];
  const mean = ys.reduce((x, y) => x + y, 0) / ys.length;
  const predicted = xs.map((x) => coefficients[0] + coefficients[1] * x + coefficients[2] * x * x);
  const ssRes = ys.reduce((acc, y, i) => acc + (y - predicted[i]) ** 2, 0);
  const ssTot = ys.reduce((acc, y) => acc + (y - mean) ** 2, 0);
  return {coefficients, r2: ssTot === 0 ? 1 : 1 - ssRes / ssTot};
}

/** The larger x with c₀ + c₁x + c₂x² = y (NaN when there is none). */
export function solveQuadratic(fit: QuadraticFit, y: number): number {
  const [c0, c1, c2] = fit.coefficients;
  if (c2 === 0) return (y - c0) / c1;
  const disc = c1 * c1 - 4 * c2 * (c0 - y);
  return disc < 0 ? NaN : (-c1 + Math.sqrt(disc)) / (2 * c2);
}

/**
 * Measure the score matrix and a whole `MultiHeadAttention` forward pass (d = dModel, h = heads, one sequence) at
 * each length, fit both, and solve where the layer would fill `tabBytes`. Leaves no tensors behind.
 */
export async function attentionMemory(
  lengths: number[],
  opts: {dModel: number; heads: number; tabBytes?: number; seed?: number}
): Promise<AttentionMemory> {
  const {dModel: d, heads: h, tabBytes = TAB_BYTES, seed = 1} = opts;
  const layer = new MultiHeadAttention({numHeads: h, seed});
  const rows: AttentionMemoryRow[] = [];
  try {
    for (const length of lengths) {
      const dk = d / h;
      const q = tf.randomNormal([h, length, dk], 0, 1, "float32", seed);
      const k = tf.randomNormal([h, length, dk], 0, 1, "float32", seed + 1);
      const before = tf.memory().numBytes;
      const scores = tf.matMul(q, k, false, true); // [h, L, L]
      const scoreBytes = tf.memory().numBytes - before;
      tf.dispose([q, k, scores]);

      const x = tf.randomNormal([1, length, d], 0, 1, "float32", seed + 2);
      if (!layer.built) tf.tidy(() => void layer.apply(x)); // weights exist before measuring
      const start = tf.memory().numBytes;
      // peakBytes: the most bytes allocated after any kernel of the call
      const info = await tf.profile(() => layer.apply(x) as tf.Tensor);
      const layerBytes = info.peakBytes - start;
      tf.dispose([x, info.result as tf.Tensor]);
      rows.push({length, scoreBytes, layerBytes});
    }
  } finally {
    layer.dispose();
  }
  const ls = rows.map((r) => r.length);
  const scoreFit = quadraticFit(
    ls,
    rows.map((r) => r.scoreBytes)
  );
  const layerFit = quadraticFit(
    ls,
    rows.map((r) => r.layerBytes)
  );
  return {rows, scoreFit, layerFit, limitLength: solveQuadratic(layerFit, tabBytes), tabBytes};
}
