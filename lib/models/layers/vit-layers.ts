/**
 * The Vision Transformer's own layers (chapter 8 「Attention / Transformer for Vision」, V3 and V5): the class (and
 * DeiT distillation) tokens, the pre-norm encoder block with timm's GELU MLP, and picking one token for a head.
 * The patch embedding is a plain strided `tf.layers.conv2d` and the position embedding is ./position-embedding.ts.
 *
 * Reference implementation followed: timm (huggingface/pytorch-image-models), timm/models/vision_transformer.py
 * (`VisionTransformer`, `Block`, `Attention`, `Mlp`) and timm/models/deit.py (`VisionTransformerDistilled`).
 * - `ClassTokens`: timm's `cls_token` [1, 1, D] (initial N(0, 10⁻¹²), `nn.init.normal_(std=1e-6)`) and, for DeiT,
 *   `dist_token` (truncated N(0, 0.02²)), put in front of the patch tokens: [B, N, D] -> [B, N + k, D], class token
 *   first, distillation token second (DeiT's `torch.cat((cls_token, dist_token, x), dim=1)`).
 * - `VitEncoderBlock`: timm's `Block` is x = x + Attn(LN₁(x)); x = x + Mlp(LN₂(x)), Mlp = fc2(GELU(fc1(x))) with the
 *   exact (erf) GELU of `nn.GELU`, LayerNorm ε = 10⁻⁶, qkv with bias. That is `nn.TransformerEncoderLayer` with
 *   `norm_first=True` and GELU, so it extends ./transformer-layers.ts's `TransformerEncoderLayer` (same weights:
 *   `self_attn.in_proj_weight` = timm's `attn.qkv`, `self_attn.out_proj` = `attn.proj`, `linear1` / `linear2` =
 *   `mlp.fc1` / `mlp.fc2`, `norm1`, `norm2`) and only replaces the MLP's activation. Same parameter count as timm.
 *   Stochastic depth (`dropPath`, timm's `DropPath` / `drop_path`; Huang, Sun, Liu, Sedra, Weinberger, "Deep Networks
 *   with Stochastic Depth", ECCV 2016, https://arxiv.org/abs/1603.09382): in training, each example's residual
 *   branch (attention, then MLP, drawn separately) is dropped with probability p and kept ones are scaled by
 *   1/(1 − p), so x + branch keeps its expected value; in inference the block is unchanged.
 * Differs from timm: the attention's matrices start Xavier-uniform (timm: truncated N(0, 0.02²)); no attention
 * dropout, no LayerScale (timm's defaults are off for both).
 */
import {tf} from "../../tf.js";
import {layerAnalysis, type Cost} from "../../analysis/registry.js";
import {CourseLayer, firstShape, inputList, lastDim, linear, type CourseLayerArgs} from "./course-layer.js";
import {registerCourseLayer} from "./register.js";
import {TransformerEncoderLayer, type TransformerLayerArgs} from "./transformer-layers.js";

/** timm's LayerNorm ε for ViT (`partial(nn.LayerNorm, eps=1e-6)`). */
export const VIT_LAYER_NORM_EPS = 1e-6;

/** GELU(x) = x · Φ(x) = x/2 · (1 + erf(x/√2)), exact as PyTorch's `nn.GELU()` (not the tanh approximation). */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))));
}

/** timm's `Mlp`: fc2(GELU(fc1(x))) position by position, [B, T, D] -> [B, T, D]. */
export function geluMlp(
  x: tf.Tensor,
  w: {w1: tf.Tensor; b1?: tf.Tensor; w2: tf.Tensor; b2?: tf.Tensor},
  dropout = 0,
  training = false
): tf.Tensor {
  return tf.tidy(() => {
    let hidden = gelu(linear(x, w.w1, w.b1)); // [B, T, D_mlp]
    if (training && dropout > 0) hidden = tf.dropout(hidden, dropout);
    return linear(hidden, w.w2, w.b2); // [B, T, D]
  });
}

/**
 * timm's `drop_path(x, p, training)`: in training, each example (first axis) of `x` is zeroed with probability p and
 * the others are scaled by 1/(1 − p); otherwise (or p = 0) `x` itself. Not tidied: call inside a tidy.
 */
export function dropPath(x: tf.Tensor, p: number, training: boolean): tf.Tensor {
  if (!training || p <= 0) return x;
  if (p >= 1) return tf.zerosLike(x);
  const keep = 1 - p;
  // one draw per example, broadcast over the other axes: floor(keep + U[0, 1)) is 1 with probability keep
  const shape = [x.shape[0], ...x.shape.slice(1).map(() => 1)];
  const mask = tf.floor(tf.add(tf.randomUniform(shape), keep));
  return tf.mul(x, tf.div(mask, keep));
}

export interface VitEncoderBlockArgs extends Omit<TransformerLayerArgs, "normFirst"> {
  /** Stochastic depth: probability that an example's residual branch is dropped in training. Default 0. */
  dropPath?: number;
}

/** timm's ViT `Block`: pre-norm self-attention and GELU MLP with residuals, [B, T, D] -> [B, T, D]. */
export class VitEncoderBlock extends TransformerEncoderLayer {
  static override className = "VitEncoderBlock";
  readonly dropPath: number;

  constructor(args: VitEncoderBlockArgs) {
    const {dropPath: rate = 0, ...rest} = args;
    super({layerNormEps: VIT_LAYER_NORM_EPS, dropout: 0, ...rest, normFirst: true});
    this.dropPath = rate;
  }

  /** x + DropPath(Dropout(f(LN(x)))) (timm's `x + drop_path(attn(norm1(x)))`, then the same for the MLP). */
  protected override addNorm(i: number, x: tf.Tensor, f: (x: tf.Tensor) => tf.Tensor, training: boolean): tf.Tensor {
    if (!training || this.dropPath <= 0) return super.addNorm(i, x, f, training);
    let y = f(this.norm(i, x));
    if (this.dropout > 0) y = tf.dropout(y, this.dropout);
    y = dropPath(y, this.dropPath, training);
    return this.residual ? tf.add(x, y) : y;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...super.getConfig(), dropPath: this.dropPath};
  }

  protected override ff(x: tf.Tensor, training: boolean): tf.Tensor {
    const [w1, b1, w2, b2] = this.sub.ff!.map((v) => v.read());
    return geluMlp(x, {w1, b1, w2, b2}, this.dropout, training);
  }
}

// the encoder layer's cost (attention, MLP, two LayerNorms, two residual adds); GELU counted as one operation per
// hidden element like the ReLU there (it is a few more: an erf, two multiplies, an add)
registerCourseLayer(VitEncoderBlock, {...layerAnalysis("TransformerEncoderLayer")!});

export interface ClassTokensArgs extends CourseLayerArgs {
  /** Also DeiT's distillation token (second position). Default false. */
  distillation?: boolean;
}

let classTokenTile = false;

/** Copy the class tokens to the batch by `tf.tile` (true: the code before issue 15's speed-up, for the bench's
 * "before" row) or by a broadcast add (false, default). Same numbers. */
export function setClassTokenTile(on: boolean): void {
  classTokenTile = on;
}

/** Learned tokens in front of the patch tokens: [B, N, D] -> [B, N + 1, D] (class), or N + 2 with DeiT's token. */
export class ClassTokens extends CourseLayer {
  static className = "ClassTokens";
  readonly distillation: boolean;
  private tokens: tf.LayerVariable[] = [];

  constructor(args: ClassTokensArgs = {}) {
    super(args);
    this.distillation = args.distillation ?? false;
  }

  private tokenWeight(name: string, d: number, stddev: number, truncated: boolean): tf.LayerVariable {
    if (this.weightsInit === "zeros") return this.weight(name, [d], "zeros");
    const seed = this.seed === undefined ? undefined : this.seed + this.tokens.length;
    const init = truncated
      ? tf.initializers.truncatedNormal({mean: 0, stddev, seed})
      : tf.initializers.randomNormal({mean: 0, stddev, seed});
    return this.addWeight(name, [d], "float32", init);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const d = lastDim(firstShape(inputShape), "ClassTokens");
    this.tokens = [];
    this.tokens.push(this.tokenWeight("cls_token", d, 1e-6, false));
    if (this.distillation) this.tokens.push(this.tokenWeight("dist_token", d, 0.02, true));
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, n, d] = firstShape(inputShape);
    return [b, n == null ? null : n + (this.distillation ? 2 : 1), d];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = inputList(inputs)[0]; // [B, N, D]
      const [b, , d] = x.shape;
      // each token [D] -> [B, 1, D], broadcast (tf.tile's gradient is one slice and one add per example)
      const zeros = tf.zeros([b, 1, d]);
      const front = this.tokens.map((t) =>
        classTokenTile ? tf.tile(tf.reshape(t.read(), [1, 1, d]), [b, 1, 1]) : tf.add(zeros, t.read())
      );
      return tf.concat([...front, x], 1); // [B, k + N, D]
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...super.getConfig(), distillation: this.distillation};
  }
}

registerCourseLayer(ClassTokens, {
  cost: (call): Cost => {
    const d = call.inputShapes[0][call.inputShapes[0].length - 1];
    const k = call.config.distillation === true ? 2 : 1;
    return {params: k * d, trainableParams: k * d, macs: 0, flops: 0};
  }
});

export interface SelectTokenArgs extends CourseLayerArgs {
  /** Which position: 0 = the class token, 1 = DeiT's distillation token. */
  index: number;
}

/** One token of a sequence, for a head: [B, T, D] -> [B, D] (timm's `x[:, 0]` / `x[:, 1]`). */
export class SelectToken extends CourseLayer {
  static className = "SelectToken";
  readonly index: number;

  constructor(args: SelectTokenArgs) {
    super(args);
    this.index = args.index;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = firstShape(inputShape);
    return [s[0], s[s.length - 1]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = inputList(inputs)[0];
      const [b, , d] = x.shape;
      return tf.reshape(tf.slice(x, [0, this.index, 0], [b, 1, d]), [b, d]); // [B, 1, D] -> [B, D]
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...super.getConfig(), index: this.index};
  }
}

registerCourseLayer(SelectToken, {cost: () => ({params: 0, trainableParams: 0, macs: 0, flops: 0})});
