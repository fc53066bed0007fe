/**
 * The Transformer's layers: position-wise feed-forward network, layer normalisation, and the encoder and decoder
 * layers with Add & Norm. Chapter 6 「Attention」 (SA3: a feed-forward module adds the nonlinearity attention lacks)
 * and chapter 7 「Transformer」 (T2: Add & Norm keeps a deep stack trainable).
 *
 * Vaswani et al., "Attention Is All You Need", NeurIPS 2017 (https://arxiv.org/abs/1706.03762), sections 3.1 and
 * 3.3: each sub-layer's output is LayerNorm(x + Sublayer(x)) ("post-norm"); FFN(x) = max(0, x W₁ + b₁) W₂ + b₂.
 * Reference implementation followed: PyTorch's `nn.TransformerEncoderLayer` / `nn.TransformerDecoderLayer`
 * (torch/nn/modules/transformer.py): the same sub-layers, weight names (`self_attn.in_proj_weight`,
 * `multihead_attn.*`, `linear1.weight`, `linear2.*`, `norm1.weight`, …), LayerNorm ε = 1e-5, ReLU, dropout 0.1 after
 * the attention, inside the feed-forward network and after it, and `norm_first` for pre-norm:
 *   post-norm  x = LN(x + SA(x));  x = LN(x + FF(x))          (the paper, PyTorch's default)
 *   pre-norm   x = x + SA(LN(x));  x = x + FF(LN(x))          (`normFirst: true`)
 * Course options beyond PyTorch, for the experiments: `residual: false` drops the "Add", `layerNorm: false` the "Norm"
 * (and its weights), `dimFeedforward: 0` the feed-forward sub-layer (and its weights).
 * Differs from PyTorch: linear biases start at 0 (PyTorch: uniform ±1/√fan_in); weights are [in, out].
 */
import {tf} from "../../tf.js";
import type {Cost} from "../../analysis/registry.js";
import {attentionCost, multiHeadAttention, type AttentionWeights} from "./attention.js";
import {CourseLayer, firstShape, inputList, lastDim, linear, type CourseLayerArgs} from "./course-layer.js";
import {registerCourseLayer} from "./register.js";

/** PyTorch's LayerNorm ε. */
export const LAYER_NORM_EPS = 1e-5;

/** x̂ = (x − mean) / √(var + ε) over the last axis, and 1/√(var + ε) [..., 1]. */
function normalise(x: tf.Tensor, eps: number): {xhat: tf.Tensor; rstd: tf.Tensor} {
  const mean = tf.mean(x, -1, true); // [..., 1]
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), -1, true);
  const rstd = tf.rsqrt(tf.add(variance, eps));
  return {xhat: tf.mul(centred, rstd), rstd};
}

/**
 * y = x̂ γ + β with its gradient written out (Ba et al. 2016; as PyTorch's layer_norm backward), one function per ε:
 *   dβ = Σ_rows dy,  dγ = Σ_rows dy·x̂,  g = dy·γ,  dx = (g − mean(g) − x̂·mean(g·x̂)) / √(var + ε).
 * About half the kernels of the gradient TF.js derives from the forward operations (measured by
 * scripts/vit-profile.ts); tested against that gradient in tests/unit/models/layers/attention.test.ts.
 */
const affineNorms = new Map<number, (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor>();
function affineNorm(eps: number) {
  let f = affineNorms.get(eps);
  if (f) return f;
  const g = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, gamma] = args as tf.Tensor[];
    const [beta, save] = [args[2] as tf.Tensor, args[3] as tf.GradSaveFunc];
    const {xhat, rstd} = normalise(x, eps);
    save([xhat, rstd, gamma]);
    return {
      value: tf.add(tf.mul(xhat, gamma), beta),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, r, gm] = saved;
        const d = gm.shape[0];
        const rows = (t: tf.Tensor) => tf.sum(tf.reshape(t, [-1, d]), 0); // [d]
        const gx = tf.mul(dy, gm);
        const dx = tf.mul(tf.sub(tf.sub(gx, tf.mean(gx, -1, true)), tf.mul(xh, tf.mean(tf.mul(gx, xh), -1, true))), r);
        return [dx, rows(tf.mul(dy, xh)), rows(dy)];
      }
    };
  }) as (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor;
  f = (x, gamma, beta) => g(x, gamma, beta);
  affineNorms.set(eps, f);
  return f;
}

/** `"written"` (default): the gradient above; `"derived"`: TF.js derives it from the forward operations (the same
 * numbers up to rounding; tests/bench/vit.ts's "before" row). */
export type LayerNormGradient = "written" | "derived";
let layerNormGradient: LayerNormGradient = "written";

export function setLayerNormGradient(kind: LayerNormGradient): void {
  layerNormGradient = kind;
}

/** (x − mean) / √(var + ε) · γ + β over the last axis (biased variance, as PyTorch and Keras). */
export function layerNorm(x: tf.Tensor, gamma?: tf.Tensor, beta?: tf.Tensor, eps = LAYER_NORM_EPS): tf.Tensor {
  return tf.tidy(() => {
    if (gamma && beta && gamma.rank === 1 && layerNormGradient === "written") return affineNorm(eps)(x, gamma, beta);
    let y = normalise(x, eps).xhat;
    if (gamma) y = tf.mul(y, gamma);
    if (beta) y = tf.add(y, beta);
    return y;
  });
}

/** FFN(x) = max(0, x W₁ + b₁) W₂ + b₂, position by position: [B, T, d] -> [B, T, d]. */
export function feedForward(
  x: tf.Tensor,
  w: {w1: tf.Tensor; b1?: tf.Tensor; w2: tf.Tensor; b2?: tf.Tensor},
  dropout = 0,
  training = false
): tf.Tensor {
  return tf.tidy(() => {
    let hidden = tf.relu(linear(x, w.w1, w.b1)); // [B, T, d_ff]
    if (training && dropout > 0) hidden = tf.dropout(hidden, dropout);
    return linear(hidden, w.w2, w.b2); // [B, T, d]
  });
}

/** Parameters and cost of the feed-forward network on T positions: 2·d·d_ff + d_ff + d weights. */
export function feedForwardCost(t: number, d: number, dff: number): Cost {
  const params = 2 * d * dff + dff + d;
  const macs = 2 * t * d * dff;
  // biases (T·d_ff + T·d) and the ReLU (T·d_ff)
  return {params, trainableParams: params, macs, flops: 2 * macs + 2 * t * dff + t * d};
}

/** LayerNorm on T·d elements: 2d weights, 7 operations per element (as ./analysis/layers.ts counts it). */
export function layerNormCost(t: number, d: number): Cost {
  return {params: 2 * d, trainableParams: 2 * d, macs: 0, flops: 7 * t * d};
}

const sum = (costs: Cost[]): Cost =>
  costs.reduce(
    (a, c) => ({
      params: a.params + c.params,
      trainableParams: (a.trainableParams ?? a.params) + (c.trainableParams ?? c.params),
      macs: a.macs + c.macs,
      flops: a.flops + c.flops
    }),
    {params: 0, trainableParams: 0, macs: 0, flops: 0}
  );

export interface FeedForwardArgs extends CourseLayerArgs {
  /** Hidden width d_ff (PyTorch's `dim_feedforward`). */
  dimFeedforward: number;
  dropout?: number;
}

/** The position-wise feed-forward network as a layer: [B, T, d] -> [B, T, d], weights linear1.*, linear2.*. */
export class PositionwiseFeedForward extends CourseLayer {
  static className = "PositionwiseFeedForward";
  readonly dimFeedforward: number;
  readonly dropout: number;
  private w: tf.LayerVariable[] = [];

  constructor(args: FeedForwardArgs) {
    super(args);
    this.dimFeedforward = args.dimFeedforward;
    this.dropout = args.dropout ?? 0;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const d = lastDim(firstShape(inputShape), "PositionwiseFeedForward");
    this.w = [
      this.weight("linear1.weight", [d, this.dimFeedforward], "glorotUniform"),
      this.weight("linear1.bias", [this.dimFeedforward], "zeros"),
      this.weight("linear2.weight", [this.dimFeedforward, d], "glorotUniform"),
      this.weight("linear2.bias", [d], "zeros")
    ];
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return firstShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict = {}): tf.Tensor {
    const [w1, b1, w2, b2] = this.w.map((v) => v.read());
    return feedForward(inputList(inputs)[0], {w1, b1, w2, b2}, this.dropout, kwargs.training === true);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...super.getConfig(), dimFeedforward: this.dimFeedforward, dropout: this.dropout};
  }
}

registerCourseLayer(PositionwiseFeedForward, {
  cost: (call) => {
    const [t, d] = call.inputShapes[0];
    return feedForwardCost(t, d, call.config.dimFeedforward as number);
  },
  weightLayer: true
});

export interface TransformerLayerArgs extends CourseLayerArgs {
  numHeads: number;
  /** d_ff; 0: no feed-forward sub-layer. PyTorch's default 2048. */
  dimFeedforward?: number;
  /** PyTorch's default 0.1. */
  dropout?: number;
  /** Pre-norm (PyTorch's `norm_first`). Default false: post-norm as in the paper. */
  normFirst?: boolean;
  /** The "Add" of Add & Norm. Default true. */
  residual?: boolean;
  /** The "Norm" of Add & Norm. Default true. */
  layerNorm?: boolean;
  layerNormEps?: number;
}

interface SublayerWeights {
  attention: {prefix: string; w?: Record<keyof AttentionWeights, tf.LayerVariable>}[];
  ff?: tf.LayerVariable[];
  norms: [tf.LayerVariable, tf.LayerVariable][];
}

/** What the encoder and decoder layers share: their options, weights and the Add & Norm around a sub-layer. */
abstract class TransformerLayer extends CourseLayer {
  readonly numHeads: number;
  readonly dimFeedforward: number;
  readonly dropout: number;
  readonly normFirst: boolean;
  readonly residual: boolean;
  readonly layerNorm: boolean;
  readonly layerNormEps: number;
  protected sub: SublayerWeights = {attention: [], norms: []};

  constructor(args: TransformerLayerArgs) {
    super(args);
    this.numHeads = args.numHeads;
    this.dimFeedforward = args.dimFeedforward ?? 2048;
    this.dropout = args.dropout ?? 0.1;
    this.normFirst = args.normFirst ?? false;
    this.residual = args.residual ?? true;
    this.layerNorm = args.layerNorm ?? true;
    this.layerNormEps = args.layerNormEps ?? LAYER_NORM_EPS;
  }

  /** Attention sublayers by PyTorch's prefix, then the feed-forward network, then norm1, norm2, … */
  protected buildWeights(d: number, attentionPrefixes: string[]): void {
    if (d % this.numHeads !== 0) throw new RangeError(`d = ${d} is not a multiple of ${this.numHeads} heads`);
    this.sub.attention = attentionPrefixes.map((prefix) => ({
      prefix,
      w: {
        inProj: this.weight(`${prefix}.in_proj_weight`, [d, 3 * d], "glorotUniform"),
        inBias: this.weight(`${prefix}.in_proj_bias`, [3 * d], "zeros"),
        outProj: this.weight(`${prefix}.out_proj.weight`, [d, d], "glorotUniform"),
        outBias: this.weight(`${prefix}.out_proj.bias`, [d], "zeros")
      }
    }));
    if (this.dimFeedforward > 0) {
      this.sub.ff = [
        this.weight("linear1.weight", [d, this.dimFeedforward], "glorotUniform"),
        this.weight("linear1.bias", [this.dimFeedforward], "zeros"),
        this.weight("linear2.weight", [this.dimFeedforward, d], "glorotUniform"),
        this.weight("linear2.bias", [d], "zeros")
      ];
    }
    const sublayers = attentionPrefixes.length + (this.dimFeedforward > 0 ? 1 : 0);
    this.sub.norms = this.layerNorm
      ? Array.from({length: sublayers}, (_, i): [tf.LayerVariable, tf.LayerVariable] => [
          this.weight(`norm${i + 1}.weight`, [d], "ones"),
          this.weight(`norm${i + 1}.bias`, [d], "zeros")
        ])
      : [];
    this.built = true;
  }

  protected attentionWeights(i: number): AttentionWeights {
    const w = this.sub.attention[i].w!;
    return {inProj: w.inProj.read(), inBias: w.inBias.read(), outProj: w.outProj.read(), outBias: w.outBias.read()};
  }

  protected norm(i: number, x: tf.Tensor): tf.Tensor {
    if (!this.layerNorm) return x;
    const [g, b] = this.sub.norms[i];
    return layerNorm(x, g.read(), b.read(), this.layerNormEps);
  }

  /** Add & Norm around `f`, sub-layer number i (0-based), post- or pre-norm. */
  protected addNorm(i: number, x: tf.Tensor, f: (x: tf.Tensor) => tf.Tensor, training: boolean): tf.Tensor {
    const drop = (y: tf.Tensor) => (training && this.dropout > 0 ? tf.dropout(y, this.dropout) : y);
    if (this.normFirst) {
      const y = drop(f(this.norm(i, x)));
      return this.residual ? tf.add(x, y) : y;
    }
    const y = drop(f(x));
    return this.norm(i, this.residual ? tf.add(x, y) : y);
  }

  protected ff(x: tf.Tensor, training: boolean): tf.Tensor {
    const [w1, b1, w2, b2] = this.sub.ff!.map((v) => v.read());
    return feedForward(x, {w1, b1, w2, b2}, this.dropout, training);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return firstShape(inputShape);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      dimFeedforward: this.dimFeedforward,
      dropout: this.dropout,
      normFirst: this.normFirst,
      residual: this.residual,
      layerNorm: this.layerNorm,
      layerNormEps: this.layerNormEps
    };
  }
}

/** Attention maps of one layer call: [B, h, T_q, T_k] each. */
export type LayerAttentionMaps = {
  self: tf.Tensor;
  cross?: tf.Tensor;
};

/**
 * `nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, norm_first)`, batch first. Inputs: x [B, T, d]
 * or [x, keyMask] (keyMask [B, T], 1 = real token; PyTorch's `src_key_padding_mask` inverted). Output [B, T, d].
 */
export class TransformerEncoderLayer extends TransformerLayer {
  static className = "TransformerEncoderLayer";

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    this.buildWeights(lastDim(firstShape(inputShape), "TransformerEncoderLayer"), ["self_attn"]);
  }

  private run(inputs: tf.Tensor | tf.Tensor[], training: boolean, maps?: LayerAttentionMaps): tf.Tensor {
    const [x, keyMask] = inputList(inputs);
    const opts = {numHeads: this.numHeads, keyMask};
    let y = this.addNorm(
      0,
      x,
      (z) => {
        const r = multiHeadAttention(z, null, this.attentionWeights(0), opts, maps !== undefined);
        if (maps) maps.self = r.weights!;
        return r.output;
      },
      training
    );
    if (this.dimFeedforward > 0) y = this.addNorm(1, y, (z) => this.ff(z, training), training);
    return y;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict = {}): tf.Tensor {
    return tf.tidy(() => this.run(inputs, kwargs.training === true));
  }

  /** Eager, inference mode: the output and the self-attention weights [B, h, T, T]. The caller disposes. */
  attentionMaps(inputs: tf.Tensor | tf.Tensor[]): {output: tf.Tensor; maps: LayerAttentionMaps} {
    return tf.tidy(() => {
      const maps = {} as LayerAttentionMaps;
      const output = this.run(inputs, false, maps);
      return {output, maps};
    });
  }
}

/**
 * `nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward, dropout, norm_first)`, batch first: masked
 * self-attention, attention over the encoder's output ("memory"), feed-forward, each with Add & Norm. Inputs
 * [y, memory] or [y, memory, memoryMask] (memoryMask [B, S], 1 = real source token). Output [B, T, d].
 * `causal` (default true) applies the look-ahead mask that PyTorch takes as the call's `tgt_mask`.
 */
export class TransformerDecoderLayer extends TransformerLayer {
  static className = "TransformerDecoderLayer";
  readonly causal: boolean;

  constructor(args: TransformerLayerArgs & {causal?: boolean}) {
    super(args);
    this.causal = args.causal ?? true;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    this.buildWeights(lastDim(firstShape(inputShape), "TransformerDecoderLayer"), ["self_attn", "multihead_attn"]);
  }

  private run(inputs: tf.Tensor | tf.Tensor[], training: boolean, maps?: LayerAttentionMaps): tf.Tensor {
    const [y, memory, memoryMask] = inputList(inputs);
    if (!memory) throw new Error("TransformerDecoderLayer needs [y, memory] or [y, memory, memoryMask]");
    const want = maps !== undefined;
    let h = this.addNorm(
      0,
      y,
      (z) => {
        const r = multiHeadAttention(
          z,
          null,
          this.attentionWeights(0),
          {numHeads: this.numHeads, causal: this.causal},
          want
        );
        if (maps) maps.self = r.weights!;
        return r.output;
      },
      training
    );
    h = this.addNorm(
      1,
      h,
      (z) => {
        const opts = {numHeads: this.numHeads, keyMask: memoryMask};
        const r = multiHeadAttention(z, memory, this.attentionWeights(1), opts, want);
        if (maps) maps.cross = r.weights!;
        return r.output;
      },
      training
    );
    if (this.dimFeedforward > 0) h = this.addNorm(2, h, (z) => this.ff(z, training), training);
    return h;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict = {}): tf.Tensor {
    return tf.tidy(() => this.run(inputs, kwargs.training === true));
  }

  /** Eager, inference mode: the output, the self-attention [B, h, T, T] and cross-attention [B, h, T, S] weights. */
  attentionMaps(inputs: tf.Tensor | tf.Tensor[]): {output: tf.Tensor; maps: LayerAttentionMaps} {
    return tf.tidy(() => {
      const maps = {} as LayerAttentionMaps;
      const output = this.run(inputs, false, maps);
      return {output, maps};
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...super.getConfig(), causal: this.causal};
  }
}

/** Cost of the Add & Norm parts: one add per element (when residual) and a LayerNorm (when on), per sub-layer. */
function addNormCost(t: number, d: number, config: tf.serialization.ConfigDict, sublayers: number): Cost {
  const add: Cost = {params: 0, trainableParams: 0, macs: 0, flops: config.residual === false ? 0 : t * d};
  const norm = config.layerNorm === false ? [] : [layerNormCost(t, d)];
  return sum(Array.from({length: sublayers}, () => sum([add, ...norm])));
}

registerCourseLayer(TransformerEncoderLayer, {
  cost: (call) => {
    const [t, d] = call.inputShapes[0];
    const c = call.config;
    const h = c.numHeads as number;
    const dff = c.dimFeedforward as number;
    // [x, keyMask]: the scores are masked
    const parts = [attentionCost(t, t, d, h, call.inputShapes.length > 1), addNormCost(t, d, c, dff > 0 ? 2 : 1)];
    if (dff > 0) parts.push(feedForwardCost(t, d, dff));
    return sum(parts);
  },
  receptiveField: "global",
  weightLayer: true
});

registerCourseLayer(TransformerDecoderLayer, {
  cost: (call) => {
    const [target, memory] = call.inputShapes;
    const [t, d] = target;
    const s = memory[0];
    const c = call.config;
    const h = c.numHeads as number;
    const dff = c.dimFeedforward as number;
    const parts = [
      attentionCost(t, t, d, h, c.causal !== false),
      attentionCost(t, s, d, h, call.inputShapes.length > 2),
      addNormCost(t, d, c, dff > 0 ? 3 : 2)
    ];
    if (dff > 0) parts.push(feedForwardCost(t, d, dff));
    return sum(parts);
  },
  receptiveField: "global",
  weightLayer: true
});

export function transformerEncoderLayer(args: TransformerLayerArgs): TransformerEncoderLayer {
  return new TransformerEncoderLayer(args);
}

export function transformerDecoderLayer(args: TransformerLayerArgs & {causal?: boolean}): TransformerDecoderLayer {
  return new TransformerDecoderLayer(args);
}
