/**
 * Scaled dot-product attention and multi-head attention: chapter 6 「Attention」 (self-attention, SA1–SA5) and
 * chapter 7 「Transformer」.
 *
 * Vaswani, Shazeer, Parmar, Uszkoreit, Jones, Gomez, Kaiser, Polosukhin, "Attention Is All You Need", NeurIPS 2017,
 * https://arxiv.org/abs/1706.03762, section 3.2:
 *   Attention(Q, K, V) = softmax(Q Kᵀ / √d_k) V
 *   MultiHead(Q, K, V) = Concat(head_1, …, head_h) W^O,   head_i = Attention(Q W_i^Q, K W_i^K, V W_i^V)
 *
 * The layer follows PyTorch's `torch.nn.MultiheadAttention` (torch/nn/modules/activation.py): one packed input
 * projection `in_proj_weight` (3·d² weights: W^Q, W^K, W^V side by side, head i using columns i·d_k … (i+1)·d_k − 1 of
 * each) with `in_proj_bias` (3·d), then `out_proj` (d² + d); d_k = d / h. Initialisation as `nn.Transformer`
 * resets it: Xavier uniform matrices, zero biases. Layout differences from PyTorch: batch first ([B, T, d], PyTorch's
 * `batch_first=True`), weights stored [in, out] (PyTorch [out, in]), masks as 1 = may attend / 0 = may not (PyTorch's
 * boolean masks mean the opposite).
 *
 * Heads run as one batch of 3-D products [h·B, T, d_k]. Three ways to get there (`setHeadLayout`, the same numbers):
 * - `"packed"` (default): the packed projection [B, T, 3d] as [B·T, 3h, d_k], one rank-3 transpose to
 *   [3h, B·T, d_k], whose three contiguous thirds are Q, K and V with heads on the batch axis; merged back by the
 *   inverse transpose. Per attention 2 transposes and a split, where `"slices"` takes 3h slices (each slice's
 *   gradient a full-size pad and add) and `"transpose"` rank-4 transposes.
 * - `"slices"`: columns sliced per head and stacked on the batch axis (h slices per Q, K, V; the chapter-7 layout).
 * - `"transpose"`: the usual reshape to [B, T, h, d_k] and a rank-4 transpose (batch order b·h + i).
 * tests/bench/transformer.ts and tests/bench/vit.ts time them against each other.
 */
import {tf} from "../../tf.js";
import type {LayerCall} from "../../analysis/graph.js";
import type {Cost} from "../../analysis/registry.js";
import {CourseLayer, firstShape, inputList, lastDim, linear, type CourseLayerArgs} from "./course-layer.js";
import {registerCourseLayer} from "./register.js";

/** What a masked score becomes before the softmax: exp of it is exactly 0 in float32. */
export const MASKED_SCORE = -1e9;

/** [T, T] causal mask: 1 where query position i may see key position j (j ≤ i), 0 after it. */
export function causalMask(length: number): tf.Tensor2D {
  return tf.tidy(() => tf.linalg.bandPart(tf.ones([length, length]), -1, 0) as tf.Tensor2D);
}

/** A 0/1 mask as what is added to the scores: 0 where allowed, MASKED_SCORE where not. */
export function additiveMask(mask: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.sub(1, tf.cast(mask, "float32")), MASKED_SCORE));
}

/** softmax(q kᵀ / √d_k + additive) v, every tensor [..., T, ·]. */
function attend(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  additive?: tf.Tensor
): {output: tf.Tensor; weights: tf.Tensor} {
  const dk = q.shape[q.shape.length - 1];
  // q / √d_k first (T·d_k multiplies instead of T·T), as PyTorch does
  let scores = tf.matMul(tf.mul(q, 1 / Math.sqrt(dk)), k, false, true); // [..., T_q, T_k]
  if (additive) scores = tf.add(scores, additive);
  const weights = tf.softmax(scores); // each row sums to 1 over the keys
  return {output: tf.matMul(weights, v), weights}; // [..., T_q, d_v]
}

/**
 * Attention(Q, K, V) = softmax(Q Kᵀ / √d_k) V for q [..., T_q, d_k], k [..., T_k, d_k], v [..., T_k, d_v]; `mask`
 * (optional, broadcast to [..., T_q, T_k]) is 1 where a query may attend to a key and 0 where not. Returns the
 * output [..., T_q, d_v] and the attention weights [..., T_q, T_k]; the caller disposes both.
 */
export function scaledDotProductAttention(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  mask?: tf.Tensor
): {output: tf.Tensor; weights: tf.Tensor} {
  return tf.tidy(() => attend(q, k, v, mask ? additiveMask(mask) : undefined));
}

/** The four weights of a multi-head attention, Keras layout. */
export interface AttentionWeights {
  /** [d, 3d]: W^Q | W^K | W^V. */
  inProj: tf.Tensor;
  /** [3d] or none. */
  inBias?: tf.Tensor;
  /** [d, d]. */
  outProj: tf.Tensor;
  /** [d] or none. */
  outBias?: tf.Tensor;
}

export interface AttentionOptions {
  numHeads: number;
  /** A query may not attend to later keys (decoder self-attention; T_q = T_k). */
  causal?: boolean;
  /** [B, T_k]: 1 for a real key, 0 for padding that no query may attend to. */
  keyMask?: tf.Tensor;
}

/**
 * How heads are laid out on the batch axis. `"packed"` (default): one rank-3 transpose of the packed projection,
 * head-major ([h·B, T, d_k], row i·B + b). `"slices"`: column slices of the activations stacked, head-major too.
 * `"transpose"`: the usual reshape to [B, T, h, d_k] and transpose to [B, h, T, d_k] (row b·h + i). Same numbers;
 * tests/bench/transformer.ts and tests/bench/vit.ts time them.
 */
export type HeadLayout = "packed" | "slices" | "transpose";
export const HEAD_LAYOUTS: readonly HeadLayout[] = ["packed", "slices", "transpose"];
let headLayout: HeadLayout = "packed";

/** Choose the head layout for every attention computed from now on (for measuring; the default is fastest). */
export function setHeadLayout(layout: HeadLayout): void {
  headLayout = layout;
}

export function getHeadLayout(): HeadLayout {
  return headLayout;
}

/**
 * [B, T, m·h·d_k] (m projections side by side, e.g. Q | K | V) -> m tensors [h·B, T, d_k] (head i in rows i·B …):
 * one rank-3 transpose [B·T, m·h, d_k] -> [m·h, B·T, d_k], then m contiguous parts.
 */
function headsFirst(x: tf.Tensor, parts: number, heads: number, dk: number): tf.Tensor[] {
  const [b, t] = x.shape as [number, number, number];
  const moved = tf.transpose(tf.reshape(x, [b * t, parts * heads, dk]), [1, 0, 2]); // [m·h, B·T, d_k]
  const one = (p: tf.Tensor) => tf.reshape(p, [heads * b, t, dk]);
  return parts === 1 ? [one(moved)] : tf.split(moved, parts, 0).map(one);
}

/** Layouts "slices" and "transpose": [B, T, ·] columns offset … offset + h·d_k − 1 as h heads on the batch axis. */
function splitHeads(x: tf.Tensor, offset: number, heads: number, dk: number): tf.Tensor {
  const [b, t, width] = x.shape as [number, number, number];
  if (headLayout === "transpose") {
    const part = width === heads * dk ? x : tf.slice(x, [0, 0, offset], [b, t, heads * dk]);
    // [B, T, d] -> [B, T, h, d_k] -> [B, h, T, d_k] -> [B·h, T, d_k]
    return tf.reshape(tf.transpose(tf.reshape(part, [b, t, heads, dk]), [0, 2, 1, 3]), [b * heads, t, dk]);
  }
  const parts = Array.from({length: heads}, (_, i) => tf.slice(x, [0, 0, offset + i * dk], [b, t, dk]));
  return heads === 1 ? parts[0] : tf.concat(parts, 0); // head i holds rows i·B … i·B + B − 1
}

/** The heads back side by side: [B, T, h·d_k] (head i in columns i·d_k …). */
function mergeHeads(x: tf.Tensor, heads: number, b: number): tf.Tensor {
  if (heads === 1) return x;
  const [, t, dk] = x.shape as [number, number, number];
  if (headLayout === "packed") {
    // [h·B, T, d_k] = [h, B·T, d_k] -> [B·T, h, d_k] -> [B, T, d]
    return tf.reshape(tf.transpose(tf.reshape(x, [heads, b * t, dk]), [1, 0, 2]), [b, t, heads * dk]);
  }
  if (headLayout === "transpose") {
    // [B·h, T, d_k] -> [B, h, T, d_k] -> [B, T, h, d_k] -> [B, T, d]
    return tf.reshape(tf.transpose(tf.reshape(x, [b, heads, t, dk]), [0, 2, 1, 3]), [b, t, heads * dk]);
  }
  return tf.concat(tf.split(x, heads, 0), 2);
}

/**
 * Multi-head attention of `query` [B, T_q, d] over `keyValue` [B, T_k, d] (null: self-attention on the query) with
 * the given weights. Returns the output [B, T_q, d] and, when asked, the weights [B, h, T_q, T_k]. Not tidied: call
 * inside `tf.tidy` (the layers do).
 */
export function multiHeadAttention(
  query: tf.Tensor,
  keyValue: tf.Tensor | null,
  w: AttentionWeights,
  opts: AttentionOptions,
  returnWeights = false
): {output: tf.Tensor; weights?: tf.Tensor} {
  const h = opts.numHeads;
  const [b, tq, d] = query.shape as [number, number, number];
  const dk = d / h;
  let q: tf.Tensor, k: tf.Tensor, v: tf.Tensor;
  if (headLayout === "packed") {
    if (keyValue === null) {
      [q, k, v] = headsFirst(linear(query, w.inProj, w.inBias), 3, h, dk); // [B, T, 3d] -> 3 × [h·B, T, d_k]
    } else {
      const qw = tf.slice(w.inProj, [0, 0], [d, d]);
      const kvw = tf.slice(w.inProj, [0, d], [d, 2 * d]);
      [q] = headsFirst(linear(query, qw, w.inBias && tf.slice(w.inBias, [0], [d])), 1, h, dk);
      [k, v] = headsFirst(linear(keyValue, kvw, w.inBias && tf.slice(w.inBias, [d], [2 * d])), 2, h, dk);
    }
  } else if (keyValue === null) {
    const qkv = linear(query, w.inProj, w.inBias); // [B, T, 3d]
    [q, k, v] = [0, d, 2 * d].map((offset) => splitHeads(qkv, offset, h, dk)); // 3 × [h·B, T, d_k]
  } else {
    const qw = tf.slice(w.inProj, [0, 0], [d, d]);
    const kvw = tf.slice(w.inProj, [0, d], [d, 2 * d]);
    const qp = linear(query, qw, w.inBias && tf.slice(w.inBias, [0], [d])); // [B, T_q, d]
    const kv = linear(keyValue, kvw, w.inBias && tf.slice(w.inBias, [d], [2 * d])); // [B, T_k, 2d]
    q = splitHeads(qp, 0, h, dk); // [h·B, T_q, d_k]
    k = splitHeads(kv, 0, h, dk); // [h·B, T_k, d_k]
    v = splitHeads(kv, d, h, dk);
  }
  const tk = k.shape[1] as number;
  let additive: tf.Tensor | undefined;
  if (opts.causal) {
    if (tq !== tk) throw new RangeError(`a causal mask needs T_q = T_k, got ${tq} and ${tk}`);
    additive = additiveMask(causalMask(tq)); // [T_q, T_k]
  }
  if (opts.keyMask) {
    // [B, T_k] -> [h·B, 1, T_k] or [B·h, 1, T_k], the batch order of the heads
    const mask = additiveMask(opts.keyMask);
    const keys =
      headLayout === "transpose"
        ? tf.reshape(tf.tile(tf.reshape(mask, [b, 1, 1, tk]), [1, h, 1, 1]), [b * h, 1, tk])
        : tf.tile(tf.reshape(mask, [b, 1, tk]), [h, 1, 1]);
    additive = additive ? tf.add(additive, keys) : keys;
  }
  const {output, weights} = attend(q, k, v, additive); // [h·B, T_q, d_k], [h·B, T_q, T_k]
  const merged = mergeHeads(output, h, b); // [B, T_q, d]
  const out = linear(merged, w.outProj, w.outBias); // [B, T_q, d]
  if (!returnWeights) return {output: out};
  // [h·B, T_q, T_k] -> [h, B, T_q, T_k] -> [B, h, T_q, T_k]; or [B·h, T_q, T_k] -> [B, h, T_q, T_k]
  const perHead =
    headLayout === "transpose"
      ? tf.reshape(weights, [b, h, tq, tk])
      : tf.transpose(tf.reshape(weights, [h, b, tq, tk]), [1, 0, 2, 3]);
  return {output: out, weights: perHead};
}

/**
 * Parameters, MACs and FLOPs of one multi-head attention of T_q queries over T_k keys, width d, h heads:
 * - params 4d² + 4d (with biases): in_proj 3d² + 3d, out_proj d² + d;
 * - MACs: projections T_q·d² (Q) + 2·T_k·d² (K, V) + T_q·d² (out), scores T_q·T_k·d, weighted sum T_q·T_k·d;
 * - element operations: the biases (2·T_q·d + 2·T_k·d), the 1/√d_k scaling (T_q·d), per score a mask add when masked
 *   and 3 for the softmax (exp, sum, divide: as ./analysis/layers.ts counts a softmax).
 */
export function attentionCost(tq: number, tk: number, d: number, h: number, masked: boolean, bias = true): Cost {
  const params = 4 * d * d + (bias ? 4 * d : 0);
  const macs = 2 * tq * d * d + 2 * tk * d * d + 2 * tq * tk * d;
  const scores = h * tq * tk;
  const ops = (bias ? 2 * tq * d + 2 * tk * d : 0) + tq * d + scores * ((masked ? 1 : 0) + 3);
  return {params, trainableParams: params, macs, flops: 2 * macs + ops};
}

export interface MultiHeadAttentionArgs extends CourseLayerArgs {
  numHeads: number;
  /** Causal self-attention (a query sees only keys at or before its position). Default false. */
  causal?: boolean;
  /** Biases in the projections, PyTorch's `bias=True`. Default true. */
  useBias?: boolean;
}

/**
 * `nn.MultiheadAttention(d, numHeads)` as a layer. Inputs: `query` [B, T, d] (self-attention), `[query, keyValue]`
 * (cross-attention, keyValue [B, T_k, d]) or `[query, keyValue, keyMask]` (keyMask [B, T_k], 1 = real key). Output
 * [B, T_q, d]. `attention(inputs)` runs it eagerly and also returns the weights [B, h, T_q, T_k].
 */
export class MultiHeadAttention extends CourseLayer {
  static className = "MultiHeadAttention";
  readonly numHeads: number;
  readonly causal: boolean;
  readonly useBias: boolean;
  private w: {
    inProj?: tf.LayerVariable;
    inBias?: tf.LayerVariable;
    outProj?: tf.LayerVariable;
    outBias?: tf.LayerVariable;
  } = {};

  constructor(args: MultiHeadAttentionArgs) {
    super(args);
    this.numHeads = args.numHeads;
    this.causal = args.causal ?? false;
    this.useBias = args.useBias ?? true;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const d = lastDim(firstShape(inputShape), "MultiHeadAttention");
    if (d % this.numHeads !== 0) throw new RangeError(`d = ${d} is not a multiple of ${this.numHeads} heads`);
    this.w.inProj = this.weight("in_proj_weight", [d, 3 * d], "glorotUniform"); // [d, 3d]
    if (this.useBias) this.w.inBias = this.weight("in_proj_bias", [3 * d], "zeros");
    this.w.outProj = this.weight("out_proj.weight", [d, d], "glorotUniform"); // [d, d]
    if (this.useBias) this.w.outBias = this.weight("out_proj.bias", [d], "zeros");
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return firstShape(inputShape);
  }

  /** The weights as tensors (read inside a tidy). */
  attentionWeights(): AttentionWeights {
    return {
      inProj: this.w.inProj!.read(),
      inBias: this.w.inBias?.read(),
      outProj: this.w.outProj!.read(),
      outBias: this.w.outBias?.read()
    };
  }

  private run(inputs: tf.Tensor | tf.Tensor[], returnWeights: boolean) {
    const [query, keyValue, keyMask] = inputList(inputs);
    return multiHeadAttention(
      query,
      keyValue ?? null,
      this.attentionWeights(),
      {numHeads: this.numHeads, causal: this.causal, keyMask},
      returnWeights
    );
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => this.run(inputs, false).output);
  }

  /** Eager: the output [B, T_q, d] and the attention weights [B, h, T_q, T_k]. The caller disposes both. */
  attention(inputs: tf.Tensor | tf.Tensor[]): {output: tf.Tensor; weights: tf.Tensor} {
    // build through apply, so the layer counts its use and dispose() frees its weights
    if (!this.built) tf.tidy(() => void this.apply(inputs));
    return tf.tidy(() => {
      const r = this.run(inputs, true);
      return {output: r.output, weights: r.weights!};
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...super.getConfig(), numHeads: this.numHeads, causal: this.causal, useBias: this.useBias};
  }
}

/** T_q, T_k, d and whether a mask applies, from a call of a layer with inputs [query] / [query, kv] / [query, kv, mask]. */
export function attentionShapes(call: LayerCall): {tq: number; tk: number; d: number; keyMask: boolean} {
  const [query, keyValue] = call.inputShapes;
  return {tq: query[0], tk: (keyValue ?? query)[0], d: query[query.length - 1], keyMask: call.inputShapes.length > 2};
}

registerCourseLayer(MultiHeadAttention, {
  cost: (call) => {
    const {tq, tk, d, keyMask} = attentionShapes(call);
    const c = call.config;
    return attentionCost(tq, tk, d, c.numHeads as number, keyMask || c.causal === true, c.useBias !== false);
  },
  receptiveField: "global",
  weightLayer: true
});

export function multiHeadAttentionLayer(args: MultiHeadAttentionArgs): MultiHeadAttention {
  return new MultiHeadAttention(args);
}
