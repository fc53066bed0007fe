/**
 * The Swin Transformer's own layers (chapter 8 「Attention / Transformer for Vision」, V6): window partition and its
 * inverse, the cyclic shift and its inverse, window attention with the relative position bias (W-MSA / SW-MSA), the
 * Swin block and patch merging. The model is ../swin.ts; the numbers behind the windows, the regions, the mask and
 * the relative position index are ../../analysis/swin.ts.
 *
 * Liu, Lin, Cao, Hu, Wei, Zhang, Lin, Guo, "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows",
 * ICCV 2021, https://arxiv.org/abs/2103.14030. Reference implementation followed for names, layouts and counts:
 * timm, timm/models/swin_transformer.py (`window_partition`, `window_reverse`, `WindowAttention`,
 * `SwinTransformerBlock`, `PatchMerging`), itself from the authors' microsoft/Swin-Transformer.
 *
 * - `SwinBlock` (timm's `SwinTransformerBlock`): x = x + R⁻¹(W-MSA(P(S(LN₁(x))))), x = x + fc2(GELU(fc1(LN₂(x)))), with
 *   S the cyclic shift by −s (torch.roll(x, (−s, −s)); TF.js has no roll, so two slices and a concat per axis), P the
 *   window partition, R⁻¹ the reverse partition and the shift back. Weights as timm's: `norm1`, `attn.qkv` [C, 3C]
 *   with bias, `attn.relative_position_bias_table` [(2M − 1)², heads] (a trainable parameter), `attn.proj`, `norm2`,
 *   `mlp.fc1` [C, rC], `mlp.fc2` [rC, C]. The relative position index [M², M²] and the shifted-window mask are
 *   constants computed from (H, W, M, s) at every call (they are timm's buffers, not parameters).
 * - `PatchMerging`: the 2×2 neighbours concatenated in timm's order x0 = (even row, even column), x1 = (odd, even),
 *   x2 = (even, odd), x3 = (odd, odd) -> LayerNorm(4C) -> `reduction` 4C -> 2C without bias.
 * The feature map stays [B, H, W, C] between layers (timm passes [B, H·W, C]; LayerNorm and the linear maps act per
 * patch, so the numbers are the same).
 * Initialisation: the bias table truncated N(0, 0.02²) as timm, biases 0, LayerNorm γ = 1, β = 0; the matrices start
 * Xavier-uniform as the course's ViT blocks (./vit-layers.ts), so that the chapter's small Swin and small ViT start
 * alike (timm: truncated N(0, 0.02²), which learned slower in a short run here: 21% against 47% held-out accuracy
 * after 48 steps of 32 Fashion-MNIST images).
 * Differs from timm also in: no dropout and no stochastic depth (timm's default `drop_path_rate` is 0.1).
 */
import {tf} from "../../tf.js";
import {receptiveFieldStep, type Cost} from "../../analysis/registry.js";
import {relativePositionIndex, shiftedWindowMask} from "../../analysis/swin.js";
import {CourseLayer, firstShape, inputList, linear, type CourseLayerArgs} from "./course-layer.js";
import {registerCourseLayer} from "./register.js";
import {layerNorm} from "./transformer-layers.js";
import {geluMlp} from "./vit-layers.js";

/** timm's Swin LayerNorm ε (`nn.LayerNorm` default). */
export const SWIN_LAYER_NORM_EPS = 1e-5;

const spatial = (shape: tf.Shape, layer: string): [number, number, number] => {
  const [, h, w, c] = shape;
  if (shape.length !== 4 || h == null || w == null || c == null) {
    throw new RangeError(`${layer} needs [B, H, W, C] of known size, got [${shape.join(", ")}]`);
  }
  return [h, w, c];
};

/**
 * torch.roll(x, shifts=(dy, dx), dims=(1, 2)) for x [B, H, W, C]: out[:, r, c] = x[:, (r − dy) mod H, (c − dx) mod W].
 * TF.js has no roll: along each axis the tail and the head are sliced and concatenated the other way round.
 */
export function roll2d(x: tf.Tensor, dy: number, dx: number): tf.Tensor {
  return tf.tidy(() => {
    const rollAxis = (t: tf.Tensor, k: number, axis: 1 | 2) => {
      const n = t.shape[axis] as number;
      const s = ((k % n) + n) % n;
      if (s === 0) return t;
      // fresh arrays per slice: the gradient reads the op's begin and size later
      const at = (value: number, rest: number) => [0, 1, 2, 3].map((a) => (a === axis ? value : rest));
      const head = tf.slice(t, at(0, 0), at(n - s, -1)); // rows (columns) 0 … n − s − 1
      const tail = tf.slice(t, at(n - s, 0), at(s, -1)); // the last s
      return tf.concat([tail, head], axis); // the last s rows (columns) first
    };
    return rollAxis(rollAxis(x, dy, 1), dx, 2);
  });
}

/** Swin's cyclic shift: the map moves up and left by s, the first s rows and columns wrap to the bottom and right. */
export function cyclicShift(x: tf.Tensor, shift: number): tf.Tensor {
  return roll2d(x, -shift, -shift);
}

/** The inverse of `cyclicShift`: down and right by s. */
export function reverseCyclicShift(x: tf.Tensor, shift: number): tf.Tensor {
  return roll2d(x, shift, shift);
}

/**
 * timm's `window_partition`: [B, H, W, C] -> [B·nW, M², C], windows row by row per image, the M² patches of a window
 * row by row (the order of ../../analysis/swin.ts's `windowTokens`). One rank-4 transpose.
 */
export function windowPartition(x: tf.Tensor, windowSize: number): tf.Tensor {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const m = windowSize;
  if (h % m !== 0 || w % m !== 0) throw new RangeError(`a ${h}×${w} map does not split into ${m}×${m} windows`);
  return tf.tidy(() => {
    const rows = tf.reshape(x, [b * (h / m), m, w / m, m * c]); // [B·H/M, M (row in window), W/M, M·C]
    const t = tf.transpose(rows, [0, 2, 1, 3]); // [B·H/M, W/M, M, M·C]
    return tf.reshape(t, [b * (h / m) * (w / m), m * m, c]);
  });
}

/** timm's `window_reverse`: [B·nW, M², C] -> [B, H, W, C]. */
export function windowReverse(windows: tf.Tensor, windowSize: number, h: number, w: number): tf.Tensor {
  const m = windowSize;
  const [bn, , c] = windows.shape as [number, number, number];
  const b = bn / ((h / m) * (w / m));
  return tf.tidy(() => {
    const t = tf.reshape(windows, [b * (h / m), w / m, m, m * c]);
    return tf.reshape(tf.transpose(t, [0, 2, 1, 3]), [b, h, w, c]);
  });
}

/** The relative position bias [heads, M², M²] of a table [(2M − 1)², heads]: table rows picked by the index. */
export function relativePositionBias(table: tf.Tensor, windowSize: number): tf.Tensor {
  return tf.tidy(() => {
    const n = windowSize * windowSize;
    const heads = table.shape[1] as number;
    const index = tf.tensor1d(relativePositionIndex(windowSize).flat(), "int32"); // [M⁴]
    const picked = tf.reshape(tf.gather(table, index), [n, n, heads]); // [M², M², heads]
    return tf.transpose(picked, [2, 0, 1]);
  });
}

/** The shifted-window mask as a tensor [nW, M², M²] (0 or −100), from ../../analysis/swin.ts. */
export function shiftedWindowMaskTensor(h: number, w: number, windowSize: number, shift: number): tf.Tensor3D {
  const mask = shiftedWindowMask(h, w, windowSize, shift);
  const n = windowSize * windowSize;
  return tf.tensor3d(mask.flat(2), [mask.length, n, n]);
}

/** The weights of one window attention, Keras layout ([in, out]). */
export interface WindowAttentionWeights {
  /** [C, 3C]: columns W^Q | W^K | W^V, head i in columns i·d … of each (timm's `qkv`). */
  qkv: tf.Tensor;
  qkvBias?: tf.Tensor;
  /** [C, C] (timm's `proj`). */
  proj: tf.Tensor;
  projBias?: tf.Tensor;
  /** [(2M − 1)², heads]; none: no relative position bias. */
  table?: tf.Tensor;
}

export interface WindowAttentionOptions {
  numHeads: number;
  windowSize: number;
  /** [nW, M², M²], added to the scores of the windows of every image (0 / −100); none for W-MSA. */
  mask?: tf.Tensor;
}

/**
 * timm's `WindowAttention.forward`: multi-head self-attention inside every window, windows [B·nW, N, C] with
 * N = M², scores q·kᵀ/√d + B (relative position bias) + mask. Returns the output [B·nW, N, C] and, when asked, the
 * weights [B·nW, heads, N, N]. Not tidied: call inside `tf.tidy`.
 */
export function windowAttention(
  windows: tf.Tensor,
  w: WindowAttentionWeights,
  opts: WindowAttentionOptions,
  returnWeights = false
): {output: tf.Tensor; weights?: tf.Tensor} {
  const [bn, n, c] = windows.shape as [number, number, number];
  const h = opts.numHeads;
  const d = c / h;
  // [B_, N, 3C] -> [B_, N, 3h, d] -> [B_, 3h, N, d]: q = heads 0…h−1, k = h…2h−1, v = 2h…3h−1
  const qkv = tf.transpose(tf.reshape(linear(windows, w.qkv, w.qkvBias), [bn, n, 3 * h, d]), [0, 2, 1, 3]);
  const [q, k, v] = tf.split(qkv, 3, 1); // 3 × [B_, h, N, d]
  let scores = tf.matMul(tf.mul(q, 1 / Math.sqrt(d)), k, false, true); // [B_, h, N, N]
  if (w.table) scores = tf.add(scores, relativePositionBias(w.table, opts.windowSize)); // + [h, N, N]
  if (opts.mask) {
    const nw = opts.mask.shape[0] as number;
    // [B, nW, h, N, N] + [1, nW, 1, N, N]: window n of every image gets mask n
    scores = tf.reshape(tf.add(tf.reshape(scores, [bn / nw, nw, h, n, n]), tf.reshape(opts.mask, [1, nw, 1, n, n])), [
      bn,
      h,
      n,
      n
    ]);
  }
  const weights = tf.softmax(scores);
  const heads = tf.transpose(tf.matMul(weights, v), [0, 2, 1, 3]); // [B_, N, h, d]
  const output = linear(tf.reshape(heads, [bn, n, c]), w.proj, w.projBias);
  return returnWeights ? {output, weights} : {output};
}

export interface SwinBlockArgs extends CourseLayerArgs {
  numHeads: number;
  /** M, the window side in patches. */
  windowSize: number;
  /** s: 0 for W-MSA, ⌊M/2⌋ for SW-MSA. */
  shiftSize?: number;
  /** MLP hidden width = mlpRatio · C. Default 4. */
  mlpRatio?: number;
}

/** timm's `SwinTransformerBlock` on [B, H, W, C] -> [B, H, W, C] (see the file comment). */
export class SwinBlock extends CourseLayer {
  static className = "SwinBlock";
  readonly numHeads: number;
  readonly windowSize: number;
  readonly shiftSize: number;
  readonly mlpRatio: number;
  private w: Record<string, tf.LayerVariable> = {};
  private seedOffset = 0;

  constructor(args: SwinBlockArgs) {
    super(args);
    this.numHeads = args.numHeads;
    this.windowSize = args.windowSize;
    this.shiftSize = args.shiftSize ?? 0;
    this.mlpRatio = args.mlpRatio ?? 4;
    if (this.shiftSize < 0 || (this.shiftSize > 0 && this.shiftSize >= this.windowSize)) {
      throw new RangeError(`the shift must lie in 0…${this.windowSize - 1}, got ${this.shiftSize}`);
    }
  }

  /** A trainable weight: Xavier-uniform, timm's truncated N(0, 0.02²), or zeros / ones. */
  protected param(name: string, shape: number[], init: "glorot" | "trunc02" | "zeros" | "ones"): tf.LayerVariable {
    let initializer: ReturnType<typeof tf.initializers.zeros>;
    if (init === "ones") initializer = tf.initializers.ones();
    else if (init === "zeros" || this.weightsInit === "zeros") initializer = tf.initializers.zeros();
    else {
      const seed = this.seed === undefined ? undefined : this.seed + this.seedOffset++;
      initializer =
        init === "glorot"
          ? tf.initializers.glorotUniform({seed})
          : tf.initializers.truncatedNormal({mean: 0, stddev: 0.02, seed});
    }
    const v = this.addWeight(name, shape, "float32", initializer);
    this.w[name] = v;
    return v;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const [h, w, c] = spatial(firstShape(inputShape), "SwinBlock");
    if (c % this.numHeads !== 0) throw new RangeError(`C = ${c} is not a multiple of ${this.numHeads} heads`);
    const m = this.windowSize;
    if (h % m !== 0 || w % m !== 0) throw new RangeError(`a ${h}×${w} map does not split into ${m}×${m} windows`);
    const hidden = Math.floor(c * this.mlpRatio);
    this.param("norm1.weight", [c], "ones");
    this.param("norm1.bias", [c], "zeros");
    this.param("attn.relative_position_bias_table", [(2 * m - 1) ** 2, this.numHeads], "trunc02");
    this.param("attn.qkv.weight", [c, 3 * c], "glorot");
    this.param("attn.qkv.bias", [3 * c], "zeros");
    this.param("attn.proj.weight", [c, c], "glorot");
    this.param("attn.proj.bias", [c], "zeros");
    this.param("norm2.weight", [c], "ones");
    this.param("norm2.bias", [c], "zeros");
    this.param("mlp.fc1.weight", [c, hidden], "glorot");
    this.param("mlp.fc1.bias", [hidden], "zeros");
    this.param("mlp.fc2.weight", [hidden, c], "glorot");
    this.param("mlp.fc2.bias", [c], "zeros");
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return firstShape(inputShape);
  }

  /** The attention weights as tensors (read inside a tidy). */
  attentionWeights(): WindowAttentionWeights {
    const r = (name: string) => this.w[name].read();
    return {
      qkv: r("attn.qkv.weight"),
      qkvBias: r("attn.qkv.bias"),
      proj: r("attn.proj.weight"),
      projBias: r("attn.proj.bias"),
      table: r("attn.relative_position_bias_table")
    };
  }

  private run(x: tf.Tensor, returnWeights: boolean): {output: tf.Tensor; weights?: tf.Tensor} {
    const [, h, w] = x.shape as [number, number, number, number];
    const m = this.windowSize;
    const s = this.shiftSize;
    const r = (name: string) => this.w[name].read();
    let y = layerNorm(x, r("norm1.weight"), r("norm1.bias"), SWIN_LAYER_NORM_EPS); // [B, H, W, C]
    if (s > 0) y = cyclicShift(y, s);
    const mask = s > 0 ? shiftedWindowMaskTensor(h, w, m, s) : undefined;
    const attended = windowAttention(
      windowPartition(y, m), // [B·nW, M², C]
      this.attentionWeights(),
      {numHeads: this.numHeads, windowSize: m, mask},
      returnWeights
    );
    y = windowReverse(attended.output, m, h, w);
    if (s > 0) y = reverseCyclicShift(y, s);
    const x1 = tf.add(x, y);
    const mlp = geluMlp(layerNorm(x1, r("norm2.weight"), r("norm2.bias"), SWIN_LAYER_NORM_EPS), {
      w1: r("mlp.fc1.weight"),
      b1: r("mlp.fc1.bias"),
      w2: r("mlp.fc2.weight"),
      b2: r("mlp.fc2.bias")
    });
    return {output: tf.add(x1, mlp), weights: attended.weights};
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => this.run(inputList(inputs)[0], false).output);
  }

  /**
   * Eager: the block's output [B, H, W, C] and the attention weights [B·nW, heads, M², M²] of its windows (on the
   * shifted grid when s > 0; `windowTokens` order). The caller disposes both.
   */
  attention(x: tf.Tensor): {output: tf.Tensor; weights: tf.Tensor} {
    if (!this.built) tf.tidy(() => void this.apply(x));
    return tf.tidy(() => {
      const r = this.run(x, true);
      return {output: r.output, weights: r.weights!};
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      windowSize: this.windowSize,
      shiftSize: this.shiftSize,
      mlpRatio: this.mlpRatio
    };
  }
}

/**
 * Parameters and multiply-adds of one Swin block on an H×W map of C channels (N = H·W patches, M×M windows, h heads,
 * MLP ratio r):
 * - params 12C² + 13C + (2M − 1)²·h for r = 4: qkv 3C² + 3C, proj C² + C, fc1 rC² + rC, fc2 rC² + C, two LayerNorms
 *   4C, the bias table (2M − 1)²·h;
 * - MACs (4 + 2r)·N·C² + 2·N·M²·C: the projections 4NC² and the window products 2M²NC (the paper's Ω(W-MSA)), and
 *   the MLP 2rNC²;
 * - element operations: two LayerNorms (7 per element), two residual adds, the biases, the 1/√d scaling, per score
 *   the bias add, the mask add when shifted and 3 for the softmax, and one per hidden element for GELU.
 */
export function swinBlockCost(
  h: number,
  w: number,
  c: number,
  m: number,
  heads: number,
  shifted: boolean,
  mlpRatio = 4
): Cost {
  const n = h * w;
  const hidden = Math.floor(c * mlpRatio);
  const params = 4 * c * c + 4 * c + 2 * c * hidden + hidden + c + 4 * c + (2 * m - 1) ** 2 * heads;
  const macs = 4 * n * c * c + 2 * n * m * m * c + 2 * n * c * hidden;
  const scores = heads * n * m * m;
  const ops =
    2 * 7 * n * c + 2 * n * c + (4 * c + hidden + c) * n + n * c + scores * (1 + (shifted ? 1 : 0) + 3) + n * hidden;
  return {params, trainableParams: params, macs, flops: 2 * macs + ops};
}

registerCourseLayer(SwinBlock, {
  cost: (call) => {
    const [h, w, c] = call.inputShapes[0];
    const cfg = call.config;
    const shift = (cfg.shiftSize as number | undefined) ?? 0;
    return swinBlockCost(h, w, c, cfg.windowSize as number, cfg.numHeads as number, shift > 0, cfg.mlpRatio as number);
  },
  // a patch sees its own window (M patches along each axis, not centred on it); a window covering the whole map sees
  // everything
  receptiveField: (call, input, axis) => {
    const m = call.config.windowSize as number;
    if (m >= call.inputShapes[0][axis]) return {...input, size: Infinity, global: true};
    return {...input, size: input.size + (m - 1) * input.jump};
  },
  weightLayer: true
});

/** The 2×2 neighbours side by side in timm's order: [B, H, W, C] -> [B, H/2, W/2, 4C] (x0, x1, x2, x3). */
export function mergeNeighbours(x: tf.Tensor): tf.Tensor {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  if (h % 2 !== 0 || w % 2 !== 0) throw new RangeError(`patch merging needs an even map, got ${h}×${w}`);
  return tf.tidy(() => {
    // [B·H/2, 2 (row parity), W/2, 2·C (column parity, channel)]: no transpose, four slices
    const t = tf.reshape(x, [b * (h / 2), 2, w / 2, 2 * c]);
    const part = (row: number, col: number) => tf.slice(t, [0, row, 0, col * c], [-1, 1, -1, c]);
    const merged = tf.concat([part(0, 0), part(1, 0), part(0, 1), part(1, 1)], 3); // [B·H/2, 1, W/2, 4C]
    return tf.reshape(merged, [b, h / 2, w / 2, 4 * c]);
  });
}

export interface PatchMergingArgs extends CourseLayerArgs {
  /** Output channels. Default 2C (timm's `out_dim or 2 * dim`). */
  outDim?: number;
}

/** timm's `PatchMerging`: [B, H, W, C] -> [B, H/2, W/2, 2C] (neighbours, LayerNorm(4C), linear 4C -> 2C, no bias). */
export class PatchMerging extends CourseLayer {
  static className = "PatchMerging";
  readonly outDim?: number;
  private w: Record<string, tf.LayerVariable> = {};

  constructor(args: PatchMergingArgs = {}) {
    super(args);
    this.outDim = args.outDim;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const [h, w, c] = spatial(firstShape(inputShape), "PatchMerging");
    if (h % 2 !== 0 || w % 2 !== 0) throw new RangeError(`patch merging needs an even map, got ${h}×${w}`);
    const out = this.outDim ?? 2 * c;
    this.w.gamma = this.addWeight("norm.weight", [4 * c], "float32", tf.initializers.ones());
    this.w.beta = this.addWeight("norm.bias", [4 * c], "float32", tf.initializers.zeros());
    const init =
      this.weightsInit === "zeros" ? tf.initializers.zeros() : tf.initializers.glorotUniform({seed: this.seed});
    this.w.reduction = this.addWeight("reduction.weight", [4 * c, out], "float32", init);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w, c] = firstShape(inputShape);
    return [b, h == null ? null : h / 2, w == null ? null : w / 2, this.outDim ?? (c == null ? null : 2 * c)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const merged = mergeNeighbours(inputList(inputs)[0]); // [B, H/2, W/2, 4C]
      const normed = layerNorm(merged, this.w.gamma.read(), this.w.beta.read(), SWIN_LAYER_NORM_EPS);
      return linear(normed, this.w.reduction.read()); // [B, H/2, W/2, 2C]
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...super.getConfig(), ...(this.outDim === undefined ? {} : {outDim: this.outDim})};
  }
}

/** Patch merging on H×W×C: params 8C + 4C·C_out; MACs (HW/4)·4C·C_out; LayerNorm 7 per element of the 4C map. */
export function patchMergingCost(h: number, w: number, c: number, out = 2 * c): Cost {
  const params = 8 * c + 4 * c * out;
  const macs = ((h * w) / 4) * 4 * c * out;
  return {params, trainableParams: params, macs, flops: 2 * macs + 7 * h * w * c};
}

registerCourseLayer(PatchMerging, {
  cost: (call) => {
    const [h, w, c] = call.inputShapes[0];
    return patchMergingCost(h, w, c, (call.config.outDim as number | undefined) ?? 2 * c);
  },
  // each output patch covers 2×2 input patches: a 2×2 window with stride 2
  receptiveField: (_call, input) => ({...input, ...receptiveFieldStep(input, {kernelSize: 2, strides: 2})}),
  weightLayer: true
});

// PyTorch's `nn.LayerNorm(C)` over the last axis: the course layer of ./layer-norm.ts (γ and β broadcast, so their
// gradients are one sum each; `tf.layers.layerNormalization` tiles them, and the tile's gradient is 2·B·H·W small
// kernels on a [B, H, W, C] map, most of a Swin training step). One class, so one serialized name "LayerNorm".
export {LayerNorm, type LayerNormArgs} from "./layer-norm.js";
