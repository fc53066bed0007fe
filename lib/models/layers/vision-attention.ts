/**
 * Attention inside a CNN, two of chapter 8's four ways to bring attention to images (V1): a non-local block that
 * lets every pixel attend to every other, and a local self-attention layer over a k×k neighbourhood that can replace
 * a 3×3 convolution.
 *
 * - `NonLocalBlock`: Wang, Girshick, Gupta, He, "Non-local Neural Networks", CVPR 2018,
 *   https://arxiv.org/abs/1711.07971, section 3 (embedded Gaussian, Figure 2): with x [B, H, W, C] and the N = H·W
 *   positions as tokens, θ, φ, g are 1×1 convolutions C -> C' (C' = C/2 by default), f = softmax(θ(x) φ(x)ᵀ) [N, N],
 *   y = f g(x), z = W_z y + x (W_z a 1×1 convolution C' -> C). Differs from the paper: no BatchNorm after W_z; the
 *   paper zero-initialises that BatchNorm's scale so the block starts as the identity, here W_z starts at 0 for the
 *   same effect. θ, φ, g start Xavier-uniform. Weight names follow the paper's letters (`theta.weight`, …).
 * - `LocalSelfAttention`: Ramachandran, Parmar, Vaswani, Bello, Levskaya, Shlens, "Stand-Alone Self-Attention in
 *   Vision Models", NeurIPS 2019, https://arxiv.org/abs/1906.05909, section 3.1, equation (3):
 *   y_ij = Σ_{ab ∈ N_k(i,j)} softmax_ab(q_ijᵀ k_ab + q_ijᵀ r_{a−i, b−j}) v_ab, q = W_Q x, k = W_K x, v = W_V x
 *   (no biases), per head on d_out/h channels, r the concatenation of a row-offset embedding (d/2 channels) and a
 *   column-offset embedding (d/2 channels), shared by the heads (as the paper's code). Stride 1, output
 *   [B, H, W, d_out]. Neighbours outside the image are left out of the softmax (the paper pads; masking keeps a border
 *   pixel's weights on real pixels). Relative embeddings start N(0, 1) truncated, the projections Xavier-uniform.
 */
import {tf} from "../../tf.js";
import type {Cost} from "../../analysis/registry.js";
import {receptiveFieldStep} from "../../analysis/registry.js";
import {MASKED_SCORE} from "./attention.js";
import {CourseLayer, firstShape, inputList, lastDim, linear, type CourseLayerArgs} from "./course-layer.js";
import {registerCourseLayer} from "./register.js";

const spatial = (shape: tf.Shape, layer: string): [number, number, number] => {
  const [, h, w, c] = shape;
  if (shape.length !== 4 || h == null || w == null || c == null) {
    throw new RangeError(`${layer} needs [B, H, W, C] of known size, got [${shape.join(", ")}]`);
  }
  return [h, w, c];
};

export interface NonLocalBlockArgs extends CourseLayerArgs {
  /** C', the channels of θ, φ, g. Default C/2 (the paper's bottleneck). */
  innerChannels?: number;
}

/** The non-local block (embedded Gaussian) with its residual: [B, H, W, C] -> [B, H, W, C]. */
export class NonLocalBlock extends CourseLayer {
  static className = "NonLocalBlock";
  readonly innerChannels?: number;
  private w: Record<string, tf.LayerVariable> = {};

  constructor(args: NonLocalBlockArgs = {}) {
    super(args);
    this.innerChannels = args.innerChannels;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = lastDim(firstShape(inputShape), "NonLocalBlock");
    const ci = this.innerChannels ?? Math.max(1, Math.floor(c / 2));
    for (const name of ["theta", "phi", "g"]) {
      this.w[`${name}.weight`] = this.weight(`${name}.weight`, [c, ci], "glorotUniform");
      this.w[`${name}.bias`] = this.weight(`${name}.bias`, [ci], "zeros");
    }
    this.w["W_z.weight"] = this.weight("W_z.weight", [ci, c], "zeros");
    this.w["W_z.bias"] = this.weight("W_z.bias", [c], "zeros");
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return firstShape(inputShape);
  }

  private run(x: tf.Tensor): {output: tf.Tensor; weights: tf.Tensor} {
    const [b, h, w, c] = x.shape;
    const r = (name: string) => this.w[name].read();
    const tokens = tf.reshape(x, [b, h * w, c]); // [B, N, C]
    const theta = linear(tokens, r("theta.weight"), r("theta.bias")); // [B, N, C']
    const phi = linear(tokens, r("phi.weight"), r("phi.bias")); // [B, N, C']
    const g = linear(tokens, r("g.weight"), r("g.bias")); // [B, N, C']
    const weights = tf.softmax(tf.matMul(theta, phi, false, true)); // [B, N, N]: row i = where position i looks
    const y = tf.matMul(weights, g); // [B, N, C']
    const z = tf.add(linear(y, r("W_z.weight"), r("W_z.bias")), tokens); // [B, N, C]
    return {output: tf.reshape(z, [b, h, w, c]), weights};
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => this.run(inputList(inputs)[0]).output);
  }

  /** Eager: the output and the attention weights [B, N, N] (N = H·W, row-major positions). The caller disposes. */
  attention(x: tf.Tensor): {output: tf.Tensor; weights: tf.Tensor} {
    if (!this.built) tf.tidy(() => void this.apply(x));
    return tf.tidy(() => this.run(x));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...super.getConfig(), ...(this.innerChannels === undefined ? {} : {innerChannels: this.innerChannels})};
  }
}

registerCourseLayer(NonLocalBlock, {
  cost: (call): Cost => {
    const [h, w, c] = call.inputShapes[0];
    const ci = (call.config.innerChannels as number | undefined) ?? Math.max(1, Math.floor(c / 2));
    const n = h * w;
    const params = 3 * (c * ci + ci) + ci * c + c;
    // θ, φ, g and W_z; the scores θφᵀ (N·N·C') and the weighted sum (N·N·C')
    const macs = 3 * n * c * ci + n * ci * c + 2 * n * n * ci;
    // biases, the softmax (3 per score) and the residual add
    const ops = 3 * n * ci + n * c + 3 * n * n + n * c;
    return {params, trainableParams: params, macs, flops: 2 * macs + ops};
  },
  receptiveField: "global",
  weightLayer: true
});

export interface LocalSelfAttentionArgs extends CourseLayerArgs {
  /** d_out, the output channels (as a convolution's `filters`); a multiple of 2·numHeads. */
  filters: number;
  /** k: the neighbourhood is k×k (odd). Default 3. */
  kernelSize?: number;
  /** Heads h (the paper's "groups"). Default 1. */
  numHeads?: number;
}

/** [k·k] offsets (dy, dx) of a k×k neighbourhood, row-major, from (−(k−1)/2, −(k−1)/2). */
export function neighbourhoodOffsets(k: number): [number, number][] {
  const p = (k - 1) / 2;
  return Array.from({length: k * k}, (_, o): [number, number] => [Math.floor(o / k) - p, (o % k) - p]);
}

/** Local self-attention over k×k neighbourhoods (stand-alone self-attention): [B, H, W, C] -> [B, H, W, d_out]. */
export class LocalSelfAttention extends CourseLayer {
  static className = "LocalSelfAttention";
  readonly filters: number;
  readonly kernelSize: number;
  readonly numHeads: number;
  private w: Record<string, tf.LayerVariable> = {};

  constructor(args: LocalSelfAttentionArgs) {
    super(args);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize ?? 3;
    this.numHeads = args.numHeads ?? 1;
    if (this.kernelSize % 2 !== 1) throw new RangeError(`kernelSize must be odd, got ${this.kernelSize}`);
    if (this.filters % (2 * this.numHeads) !== 0) {
      throw new RangeError(`filters ${this.filters} must be a multiple of 2 × ${this.numHeads} heads`);
    }
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = spatial(firstShape(inputShape), "LocalSelfAttention")[2];
    const d = this.filters;
    const k = this.kernelSize;
    for (const name of ["query", "key", "value"]) this.w[name] = this.weight(`${name}.weight`, [c, d], "glorotUniform");
    // relative embeddings: row offset a − i (d/2 channels), column offset b − j (d/2 channels)
    const init = (seed?: number) =>
      this.weightsInit === "zeros"
        ? tf.initializers.zeros()
        : tf.initializers.truncatedNormal({mean: 0, stddev: 1, seed});
    this.w.rel_rows = this.addWeight("rel_rows", [k, d / 2], "float32", init(this.seed));
    this.w.rel_cols = this.addWeight(
      "rel_cols",
      [k, d / 2],
      "float32",
      init(this.seed === undefined ? undefined : this.seed + 100)
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = firstShape(inputShape);
    return [s[0], s[1], s[2], this.filters];
  }

  /** k² additive masks [H, W, 1], one per neighbour: 0 where the neighbour is inside the image, MASKED_SCORE outside. */
  private outsideMasks(h: number, w: number): tf.Tensor[] {
    return neighbourhoodOffsets(this.kernelSize).map(([dy, dx]) => {
      const m = new Float32Array(h * w);
      for (let i = 0; i < h; i++) {
        for (let j = 0; j < w; j++) {
          const inside = i + dy >= 0 && i + dy < h && j + dx >= 0 && j + dx < w;
          m[i * w + j] = inside ? 0 : MASKED_SCORE;
        }
      }
      return tf.tensor3d(m, [h, w, 1]);
    });
  }

  /**
   * The forward pass; `weights` only when asked (the eager `attention`). The softmax over the k² neighbours is written
   * out per neighbour (max, exp, sum) instead of stacking the scores on a last axis: on wasm, stacking and unstacking
   * [B, H, W, h, k²] took most of a training step (Pack/Unpack), the elementwise form is several times faster.
   */
  private run(x: tf.Tensor, withWeights = false): {output: tf.Tensor; weights?: tf.Tensor} {
    const [b, h, w] = x.shape;
    const d = this.filters;
    const nh = this.numHeads;
    const dk = d / nh;
    const k = this.kernelSize;
    const p = (k - 1) / 2;
    const q = linear(x, this.w.query.read()); // [B, H, W, d]
    const pad = (t: tf.Tensor) =>
      tf.pad(t, [
        [0, 0],
        [p, p],
        [p, p],
        [0, 0]
      ]);
    const kp = pad(linear(x, this.w.key.read())); // [B, H + 2p, W + 2p, d]
    const vp = pad(linear(x, this.w.value.read()));
    const rows = this.w.rel_rows.read(); // [k, d/2]
    const cols = this.w.rel_cols.read(); // [k, d/2]
    const heads = (t: tf.Tensor) => tf.reshape(t, [b, h, w, nh, dk]); // [B, H, W, h, d_k]
    const qh = heads(q);
    const offsets = neighbourhoodOffsets(k);
    const masks = this.outsideMasks(h, w);
    const scores: tf.Tensor[] = [];
    const values: tf.Tensor[] = [];
    offsets.forEach(([dy, dx], o) => {
      const kk = tf.slice(kp, [0, dy + p, dx + p, 0], [b, h, w, d]); // the neighbour (i + dy, j + dx): [B, H, W, d]
      // r_{dy, dx} = [row embedding of dy | column embedding of dx]: [d]
      const rel = tf.concat([
        tf.reshape(tf.slice(rows, [dy + p, 0], [1, d / 2]), [d / 2]),
        tf.reshape(tf.slice(cols, [dx + p, 0], [1, d / 2]), [d / 2])
      ]);
      // q·(k + r) per head, plus the mask: [B, H, W, h]
      scores.push(tf.add(tf.sum(tf.mul(qh, heads(tf.add(kk, rel))), -1), masks[o]));
      values.push(heads(tf.slice(vp, [0, dy + p, dx + p, 0], [b, h, w, d])));
    });
    // softmax over the k² neighbours, one [B, H, W, h] tensor per neighbour
    const top = scores.reduce((m, s) => tf.maximum(m, s));
    const exps = scores.map((s) => tf.exp(tf.sub(s, top)));
    const total = exps.reduce((a, e) => tf.add(a, e));
    let y = tf.mul(tf.expandDims(exps[0], -1), values[0]);
    for (let o = 1; o < exps.length; o++) y = tf.add(y, tf.mul(tf.expandDims(exps[o], -1), values[o]));
    y = tf.div(y, tf.expandDims(total, -1)); // Σ_o softmax_o · v_o: [B, H, W, h, d_k]
    const output = tf.reshape(y, [b, h, w, d]); // [B, H, W, d]
    // [B, H, W, h, k²]
    const weights = withWeights
      ? tf.stack(
          exps.map((e) => tf.div(e, total)),
          -1
        )
      : undefined;
    return {output, weights};
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => this.run(inputList(inputs)[0]).output);
  }

  /** Eager: the output and the weights [B, H, W, h, k²] (neighbours row-major, `neighbourhoodOffsets`). */
  attention(x: tf.Tensor): {output: tf.Tensor; weights: tf.Tensor} {
    if (!this.built) tf.tidy(() => void this.apply(x));
    return tf.tidy(() => {
      const {output, weights} = this.run(x, true);
      return {output, weights: weights!};
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      numHeads: this.numHeads
    };
  }
}

registerCourseLayer(LocalSelfAttention, {
  cost: (call): Cost => {
    const [h, w, c] = call.inputShapes[0];
    const d = call.config.filters as number;
    const k = call.config.kernelSize as number;
    const nh = call.config.numHeads as number;
    const n = h * w;
    const params = 3 * c * d + k * d;
    // projections 3·N·C·d; per pixel and neighbour: the score q·(k + r) (d) and the weighted value (d)
    const macs = 3 * n * c * d + 2 * n * k * k * d;
    // k + r (d per pair), the mask add and softmax (4 per score)
    const ops = n * k * k * d + 4 * n * k * k * nh;
    return {params, trainableParams: params, macs, flops: 2 * macs + ops};
  },
  receptiveField: (call, state) => {
    const k = call.config.kernelSize as number;
    return {...receptiveFieldStep(state, {kernelSize: k, padBefore: (k - 1) / 2}), global: state.global};
  },
  weightLayer: true
});
