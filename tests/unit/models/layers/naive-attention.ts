/**
 * The Transformer's blocks written out with plain loops over nested arrays (no TF.js): the independent reference
 * the layer tests compare against. Matrices are [rows][cols]; weights in Keras's [in][out] layout.
 */
export type Mat = number[][];

export function matmul(a: Mat, b: Mat): Mat {
  const out: Mat = [];
  for (let i = 0; i < a.length; i++) {
    out.push([]);
    for (let j = 0; j < b[0].length; j++) {
      let s = 0;
      for (let k = 0; k < b.length; k++) s += a[i][k] * b[k][j];
      out[i].push(s);
    }
  }
  return out;
}

export const transpose = (a: Mat): Mat => a[0].map((_, j) => a.map((row) => row[j]));
export const addRow = (a: Mat, b: number[]): Mat => a.map((row) => row.map((v, j) => v + b[j]));
export const add = (a: Mat, b: Mat): Mat => a.map((row, i) => row.map((v, j) => v + b[i][j]));
export const columns = (a: Mat, from: number, count: number): Mat => a.map((row) => row.slice(from, from + count));
export const relu = (a: Mat): Mat => a.map((row) => row.map((v) => Math.max(0, v)));

export function softmaxRows(a: Mat): Mat {
  return a.map((row) => {
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const s = e.reduce((x, y) => x + y, 0);
    return e.map((v) => v / s);
  });
}

/** softmax(q kᵀ/√d_k + mask) v; mask[i][j] = 1 allowed, 0 not. */
export function naiveAttention(q: Mat, k: Mat, v: Mat, mask?: Mat): {output: Mat; weights: Mat} {
  const dk = q[0].length;
  const scores = matmul(q, transpose(k)).map((row, i) =>
    row.map((s, j) => (mask && mask[i][j] === 0 ? -Infinity : s / Math.sqrt(dk)))
  );
  const weights = softmaxRows(scores);
  return {output: matmul(weights, v), weights};
}

export interface NaiveMhaWeights {
  inProj: Mat;
  inBias: number[];
  outProj: Mat;
  outBias: number[];
}

/** nn.MultiheadAttention for one example: query [T_q][d], keyValue [T_k][d]; mask [T_q][T_k]. */
export function naiveMha(
  query: Mat,
  keyValue: Mat,
  w: NaiveMhaWeights,
  heads: number,
  mask?: Mat
): {output: Mat; weights: Mat[]} {
  const d = query[0].length;
  const dk = d / heads;
  const q = addRow(matmul(query, columns(w.inProj, 0, d)), w.inBias.slice(0, d));
  const k = addRow(matmul(keyValue, columns(w.inProj, d, d)), w.inBias.slice(d, 2 * d));
  const v = addRow(matmul(keyValue, columns(w.inProj, 2 * d, d)), w.inBias.slice(2 * d));
  const outs: Mat[] = [];
  const weights: Mat[] = [];
  for (let h = 0; h < heads; h++) {
    const r = naiveAttention(columns(q, h * dk, dk), columns(k, h * dk, dk), columns(v, h * dk, dk), mask);
    outs.push(r.output);
    weights.push(r.weights);
  }
  const concat = query.map((_, i) => outs.flatMap((o) => o[i]));
  return {output: addRow(matmul(concat, w.outProj), w.outBias), weights};
}

export function naiveLayerNorm(x: Mat, gamma: number[], beta: number[], eps = 1e-5): Mat {
  return x.map((row) => {
    const mean = row.reduce((a, b) => a + b, 0) / row.length;
    const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length;
    return row.map((v, j) => ((v - mean) / Math.sqrt(variance + eps)) * gamma[j] + beta[j]);
  });
}

export function naiveFeedForward(x: Mat, w1: Mat, b1: number[], w2: Mat, b2: number[]): Mat {
  return addRow(matmul(relu(addRow(matmul(x, w1), b1)), w2), b2);
}

export const causal = (t: number): Mat =>
  Array.from({length: t}, (_, i) => Array.from({length: t}, (_, j) => (j <= i ? 1 : 0)));
