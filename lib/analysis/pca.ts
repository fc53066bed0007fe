/**
 * Chapter 5 「Seq2Seq」, claim S1: a 2-D picture of the context vectors (principal component analysis).
 *
 * The rows are centred; the top two eigenvectors of their covariance matrix are found by power iteration with
 * deflation, and each row is projected onto them. Pure JS (no tensors), deterministic: a fixed start vector and a
 * fixed sign (each component's largest-magnitude loading is positive).
 */

export interface Pca2 {
  /** Each row's coordinates on the first two principal components. */
  points: [number, number][];
  /** The share of the total variance along each component (0 … 1). */
  explained: [number, number];
  /** The two components (unit vectors, length d). */
  components: [number[], number[]];
}

/** Centred rows projected onto their top-2 principal components. Rows must share one length d ≥ 1. */
export function pca2(rows: number[][]): Pca2 {
  const n = rows.length;
  const d = n > 0 ? rows[0].length : 0;
  if (rows.some((r) => r.length !== d)) throw new Error("pca2: rows of different lengths");
  if (n === 0 || d === 0) return {points: rows.map(() => [0, 0]), explained: [0, 0], components: [[], []]};
  const mean = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j] / n;
  const centred = rows.map((r) => r.map((x, j) => x - mean[j]));
  // covariance C = XᵀX / n   [d, d]
  const cov = Array.from({length: d}, () => new Array<number>(d).fill(0));
  for (const r of centred) {
    for (let i = 0; i < d; i++) {
      if (r[i] === 0) continue;
      for (let j = i; j < d; j++) cov[i][j] += (r[i] * r[j]) / n;
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) cov[i][j] = cov[j][i];
  let total = 0;
  for (let i = 0; i < d; i++) total += cov[i][i];

  const first = topEigenvector(cov, []);
  const deflated = cov.map((row, i) => row.map((c, j) => c - first.value * first.vector[i] * first.vector[j]));
  const second = d > 1 ? topEigenvector(deflated, [first.vector]) : {vector: [0], value: 0};
  const components: [number[], number[]] = [first.vector, second.vector];
  const dot = (a: number[], b: number[]) => a.reduce((s, x, j) => s + x * b[j], 0);
  return {
    points: centred.map((r) => [dot(r, components[0]), dot(r, components[1])]),
    explained: total > 0 ? [first.value / total, Math.max(0, second.value) / total] : [0, 0],
    components
  };
}

/** Power iteration on a symmetric positive semi-definite matrix, kept orthogonal to `against`. */
function topEigenvector(m: number[][], against: number[][]): {vector: number[]; value: number} {
  const d = m.length;
  const orthogonalise = (v: number[]) => {
    for (const u of against) {
      const p = v.reduce((s, x, j) => s + x * u[j], 0);
      for (let j = 0; j < d; j++) v[j] -= p * u[j];
    }
    return v;
  };
  const normalise = (v: number[]) => {
    const norm = Math.hypot(...v);
    return norm > 0 ? v.map((x) => x / norm) : v;
  };
  const times = (v: number[]) => m.map((row) => row.reduce((s, c, j) => s + c * v[j], 0));
  // a fixed start with no special direction (unlikely to be orthogonal to the answer)
  let v = normalise(orthogonalise(Array.from({length: d}, (_, j) => 1 + 0.618 * Math.sin(1 + 2.3 * j))));
  for (let step = 0; step < 5000; step++) {
    const next = normalise(orthogonalise(times(v)));
    if (next.every((x) => x === 0)) break; // nothing left in this direction
    const change = Math.min(Math.hypot(...next.map((x, j) => x - v[j])), Math.hypot(...next.map((x, j) => x + v[j])));
    v = next;
    if (change < 1e-12) break;
  }
  // deterministic sign: the largest-magnitude loading is positive
  let big = 0;
  for (let j = 1; j < d; j++) if (Math.abs(v[j]) > Math.abs(v[big]) + 1e-12) big = j;
  if (v[big] < 0) v = v.map((x) => -x);
  const mv = times(v);
  return {vector: v, value: v.reduce((s, x, j) => s + x * mv[j], 0)};
}
