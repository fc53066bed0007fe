/**
 * Chapter 6 「Attention」, self-attention step by step.
 *
 * SA1: self-attention on plain numbers, every intermediate kept for display (Q, K, V, the scores Q Kᵀ / √d_k, the
 * softmax, the weighted sum, the heads' concatenation, the output projection), computed with plain loops in float64
 * from the weights of a real `MultiHeadAttention` layer, and compared with that layer's own output (float32).
 * SA3: attention is linear in V for fixed attention weights; a feed-forward module after it is not (`linearityGap`).
 *
 * Vaswani et al., "Attention Is All You Need", NeurIPS 2017 (https://arxiv.org/abs/1706.03762), section 3.2.
 */
import {tf} from "../tf.js";
import {MultiHeadAttention, scaledDotProductAttention} from "../models/layers/attention.js";
import {mulberry32} from "../random.js";

export type Matrix = number[][];

const matmul = (a: Matrix, b: Matrix): Matrix =>
  a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
const plusRow = (a: Matrix, bias: number[] | undefined): Matrix =>
  bias ? a.map((row) => row.map((v, j) => v + bias[j])) : a;
const cols = (a: Matrix, from: number, count: number): Matrix => a.map((row) => row.slice(from, from + count));

/**
 * A sentence as syllable tokens with one vector each (SA1, SA2): every non-space character is a token (Hangul
 * syllables stay whole, nothing renders as broken bytes), and a token's vector is seeded by its code point and `seed`,
 * uniform in [−1, 1): the same syllable always gets the same vector, so a repeated syllable shows as a repeated row.
 */
export function syllableVectors(text: string, opts: {dim: number; seed?: number}): {tokens: string[]; x: Matrix} {
  const tokens = Array.from(text).filter((c) => c.trim() !== "");
  const x = tokens.map((c) => {
    const rand = mulberry32((c.codePointAt(0)! * 2654435761 + (opts.seed ?? 1)) >>> 0);
    return Array.from({length: opts.dim}, () => rand() * 2 - 1);
  });
  return {tokens, x};
}

/** Row-wise softmax, max-subtracted. */
export function softmaxRows(a: Matrix): Matrix {
  return a.map((row) => {
    const m = Math.max(...row);
    const e = row.map((v) => (v === -Infinity ? 0 : Math.exp(v - m)));
    const s = e.reduce((x, y) => x + y, 0);
    return e.map((v) => v / s);
  });
}

/** One head's steps. */
export interface HeadSteps {
  /** [T, d_k] each. */
  q: Matrix;
  k: Matrix;
  v: Matrix;
  /** Q Kᵀ / √d_k, [T, T]; −∞ where the causal mask hides a key. */
  scores: Matrix;
  /** softmax of each row of the scores, [T, T]. */
  weights: Matrix;
  /** weights · V, [T, d_k]. */
  output: Matrix;
}

export interface SelfAttentionSteps {
  /** The input [T, d]. */
  x: Matrix;
  dk: number;
  heads: HeadSteps[];
  /** The heads side by side, [T, d]. */
  concat: Matrix;
  /** concat · W^O + b^O, [T, d]: what the layer returns. */
  output: Matrix;
}

/** The weights of a multi-head attention as plain arrays, Keras layout (in_proj [d, 3d], out_proj [d, d]). */
export interface PlainAttentionWeights {
  inProj: Matrix;
  inBias?: number[];
  outProj: Matrix;
  outBias?: number[];
}

/** Self-attention of x [T, d] with h heads, every step kept, in float64 plain arithmetic. */
export function selfAttentionSteps(
  x: Matrix,
  w: PlainAttentionWeights,
  opts: {numHeads: number; causal?: boolean}
): SelfAttentionSteps {
  const d = x[0].length;
  const h = opts.numHeads;
  const dk = d / h;
  const project = (offset: number) =>
    plusRow(matmul(x, cols(w.inProj, offset, d)), w.inBias && w.inBias.slice(offset, offset + d));
  const [qAll, kAll, vAll] = [0, d, 2 * d].map(project); // [T, d] each
  const heads = Array.from({length: h}, (_, i): HeadSteps => {
    const [q, k, v] = [qAll, kAll, vAll].map((m) => cols(m, i * dk, dk));
    const scores = q.map((qi, a) =>
      k.map((kj, b) =>
        opts.causal && b > a ? -Infinity : qi.reduce((s, val, c) => s + val * kj[c], 0) / Math.sqrt(dk)
      )
    );
    const weights = softmaxRows(scores);
    return {q, k, v, scores, weights, output: matmul(weights, v)};
  });
  const concat = x.map((_, t) => heads.flatMap((hd) => hd.output[t]));
  return {x, dk, heads, concat, output: plusRow(matmul(concat, w.outProj), w.outBias)};
}

/** A built layer's weights as plain arrays. */
export function plainAttentionWeights(layer: MultiHeadAttention): PlainAttentionWeights {
  const [inProj, ...rest] = layer.getWeights().map((t) => t.arraySync());
  if (layer.useBias) {
    const [inBias, outProj, outBias] = rest;
    return {
      inProj: inProj as Matrix,
      inBias: inBias as number[],
      outProj: outProj as Matrix,
      outBias: outBias as number[]
    };
  }
  return {inProj: inProj as Matrix, outProj: rest[0] as Matrix};
}

/**
 * SA1: the steps by hand from `layer`'s weights on x [T, d], the layer's own output and attention weights on the same
 * x, and the largest differences between the two (output and weights).
 */
export function checkSelfAttentionSteps(
  layer: MultiHeadAttention,
  x: Matrix
): {steps: SelfAttentionSteps; layerOutput: Matrix; layerWeights: Matrix[]; maxDiff: number; maxWeightDiff: number} {
  const {output, weights} = tf.tidy(() => {
    const r = layer.attention(tf.tensor3d([x]));
    return {output: r.output.arraySync() as Matrix[], weights: r.weights.arraySync() as Matrix[][]};
  });
  const steps = selfAttentionSteps(x, plainAttentionWeights(layer), {numHeads: layer.numHeads, causal: layer.causal});
  const diff = (a: Matrix, b: Matrix) => Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i][j]))));
  return {
    steps,
    layerOutput: output[0],
    layerWeights: weights[0],
    maxDiff: diff(steps.output, output[0]),
    maxWeightDiff: Math.max(...steps.heads.map((hd, i) => diff(hd.weights, weights[0][i])))
  };
}

/**
 * max |f(a·v1 + b·v2) − (a·f(v1) + b·f(v2))|: 0 (up to rounding) when f is linear. The caller keeps v1, v2.
 */
export function linearityGap(
  f: (v: tf.Tensor) => tf.Tensor,
  v1: tf.Tensor,
  v2: tf.Tensor,
  a: number,
  b: number
): number {
  return tf.tidy(() => {
    const mixed = f(tf.add(tf.mul(v1, a), tf.mul(v2, b)));
    const separate = tf.add(tf.mul(f(v1), a), tf.mul(f(v2), b));
    return tf.max(tf.abs(tf.sub(mixed, separate))).arraySync() as number;
  });
}

/**
 * SA3: for fixed queries and keys (so fixed attention weights), the attention output as a function of V is linear;
 * the same output through a ReLU feed-forward module is not. Returns both gaps of `linearityGap` and the size of the
 * outputs (max |f(a·v1 + b·v2)|) to compare them with. q [T, d_k], k [T, d_k], v1 and v2 [T, d_v]; ffn weights
 * w1 [d_v, d_ff], w2 [d_ff, d_v] (biases optional).
 */
export function attentionLinearity(
  inputs: {q: tf.Tensor; k: tf.Tensor; v1: tf.Tensor; v2: tf.Tensor; a: number; b: number},
  ffn: {w1: tf.Tensor; b1?: tf.Tensor; w2: tf.Tensor; b2?: tf.Tensor}
): {attentionGap: number; feedForwardGap: number; scale: number} {
  const {q, k, v1, v2, a, b} = inputs;
  const attention = (v: tf.Tensor) => {
    const r = scaledDotProductAttention(q, k, v);
    r.weights.dispose();
    return r.output;
  };
  const withFfn = (v: tf.Tensor) => {
    let hidden = tf.relu(tf.matMul(attention(v), ffn.w1));
    if (ffn.b1) hidden = tf.add(hidden, ffn.b1);
    const out = tf.matMul(hidden, ffn.w2);
    return ffn.b2 ? tf.add(out, ffn.b2) : out;
  };
  const scale = tf.tidy(() => tf.max(tf.abs(withFfn(tf.add(tf.mul(v1, a), tf.mul(v2, b))))).arraySync() as number);
  return {
    attentionGap: linearityGap(attention, v1, v2, a, b),
    feedForwardGap: linearityGap(withFfn, v1, v2, a, b),
    scale
  };
}
