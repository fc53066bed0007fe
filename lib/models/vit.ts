/**
 * The Vision Transformer (ViT) and DeiT's distilled variant: chapter 8 「Attention / Transformer for Vision」 (V3 a
 * ViT trained in the page, V4 against a ResNet as data grows, V5 distillation).
 *
 * Papers: Dosovitskiy, Beyer, Kolesnikov, Weissenborn, Zhai, Unterthiner, Dehghani, Minderer, Heigold, Gelly,
 * Uszkoreit, Houlsby, "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale", ICLR 2021,
 * https://arxiv.org/abs/2010.11929; Touvron, Cord, Douze, Massa, Sablayrolles, Jégou, "Training data-efficient image
 * transformers & distillation through attention" (DeiT), ICML 2021, https://arxiv.org/abs/2012.12877.
 * Reference implementation: timm, timm/models/vision_transformer.py (`VisionTransformer`) and timm/models/deit.py
 * (`VisionTransformerDistilled`); the blocks are in ./layers/vit-layers.ts.
 *
 *   image [B, H, W, C]
 *   -> patch_embed.proj: conv P×P, stride P (a linear map of each flattened patch)   [B, H/P, W/P, D]
 *   -> reshape                                                                       [B, N, D], N = HW/P²
 *   -> cls_token (and DeiT's dist_token) in front                                    [B, N + k, D]
 *   -> pos_embed: a learned vector per position, added                               [B, N + k, D]
 *   -> blocks.0 … blocks.{depth−1}: pre-norm attention + GELU MLP                    [B, N + k, D]
 *   -> norm: LayerNorm ε = 10⁻⁶                                                      [B, N + k, D]
 *   -> head(token 0) logits [B, classes]; DeiT also head_dist(token 1)              [B, classes] × 2
 *
 * Outputs are logits (train with `from: "logits"`). A distilled model has two outputs, [head, head_dist], as timm's
 * `distilled_training` mode; timm's inference averages them (`(x + x_dist) / 2`, `averageHeads` here).
 * Differs from timm: the attention matrices start Xavier-uniform, the linear layers outside the blocks and the patch
 * projection from ./common.ts's schemes (see `buildVit`); no dropout in the blocks unless the config asks.
 */
import {tf} from "../tf.js";
import {patchEmbeddingConv, seedCounter, type BuildOptions, type ImageShape, type ModelOptions} from "./common.js";
import {setHeadLayout} from "./layers/attention.js";
import {LayerNorm} from "./layers/layer-norm.js";
import {positionEmbedding} from "./layers/position-embedding.js";
import {setLayerNormGradient} from "./layers/transformer-layers.js";
import {ClassTokens, SelectToken, setClassTokenTile, VitEncoderBlock, VIT_LAYER_NORM_EPS} from "./layers/vit-layers.js";

export interface VitConfig {
  name: string;
  /** [H, W, C]; H and W multiples of the patch size. */
  inputShape: ImageShape;
  numClasses: number;
  /** P: patches of P×P pixels. */
  patchSize: number;
  /** D, the token width (timm's `embed_dim`). */
  embedDim: number;
  /** Encoder blocks. */
  depth: number;
  numHeads: number;
  /** MLP hidden width = mlpRatio · D (timm's default 4). */
  mlpRatio: number;
  /** DeiT's distillation token and second head. */
  distilled: boolean;
  /** Dropout after each sub-layer and inside the MLP (timm's `proj_drop_rate`; default 0). */
  dropout: number;
  /**
   * Stochastic depth (timm's `drop_path_rate`, default 0): block i of L drops its residual branches with probability
   * dropPath · i / (L − 1) (timm's `torch.linspace(0, drop_path_rate, depth)`), per example, in training only.
   */
  dropPath?: number;
}

const timm = (name: string, embedDim: number, numHeads: number, distilled: boolean): VitConfig => ({
  name,
  inputShape: [224, 224, 3],
  numClasses: 1000,
  patchSize: 16,
  embedDim,
  depth: 12,
  numHeads,
  mlpRatio: 4,
  distilled,
  dropout: 0,
  dropPath: 0
});

/**
 * timm's configurations (224×224×3, 1000 classes, patch 16, depth 12, MLP ratio 4) and the small ones for 28×28×1
 * images that train in a tab: `tiny` (patch 7 -> 4×4 = 16 tokens + class token, D = 64, 4 heads, 4 blocks, MLP 128,
 * 139,018 parameters) and `tinyDistilled` (the same with DeiT's token and second head).
 */
export const VIT_PRESETS = {
  vit_tiny_patch16_224: timm("vit_tiny_patch16_224", 192, 3, false),
  vit_small_patch16_224: timm("vit_small_patch16_224", 384, 6, false),
  vit_base_patch16_224: timm("vit_base_patch16_224", 768, 12, false),
  deit_tiny_distilled_patch16_224: timm("deit_tiny_distilled_patch16_224", 192, 3, true),
  deit_small_distilled_patch16_224: timm("deit_small_distilled_patch16_224", 384, 6, true),
  deit_base_distilled_patch16_224: timm("deit_base_distilled_patch16_224", 768, 12, true),
  tiny: {
    name: "vit_tiny_28",
    inputShape: [28, 28, 1],
    numClasses: 10,
    patchSize: 7,
    embedDim: 64,
    depth: 4,
    numHeads: 4,
    mlpRatio: 2,
    distilled: false,
    dropout: 0,
    dropPath: 0
  },
  tinyDistilled: {
    name: "deit_tiny_28",
    inputShape: [28, 28, 1],
    numClasses: 10,
    patchSize: 7,
    embedDim: 64,
    depth: 4,
    numHeads: 4,
    mlpRatio: 2,
    distilled: true,
    dropout: 0,
    dropPath: 0
  }
} satisfies Record<string, VitConfig>;

export type VitModelName =
  | "vit_tiny_patch16_224"
  | "vit_small_patch16_224"
  | "vit_base_patch16_224"
  | "deit_tiny_distilled_patch16_224"
  | "deit_small_distilled_patch16_224"
  | "deit_base_distilled_patch16_224";

/** `buildVit`'s options: chapter 3's, and which LayerNorm the final `norm` is. */
export interface VitBuildOptions extends BuildOptions {
  /**
   * `"course"` (default): ./layers/layer-norm.ts's `LayerNorm`. `"layers"`: `tf.layers.layerNormalization`, the same
   * weights and numbers, several times slower to train on wasm (its tiled γ and β; the bench's "before" row).
   */
  finalNorm?: "course" | "layers";
}

/**
 * Switch every run-time choice of issue 15's speed-up at once: `true` gives the code path before it (the "slices" head
 * layout, LayerNorm's gradient derived by TF.js, class tokens copied by `tf.tile`; with `buildVit(…, {finalNorm:
 * "layers"})` that is the issue's baseline), `false` (default) today's. The same numbers either way; for
 * tests/bench/vit.ts and scripts/vit-profile.ts.
 */
export function useVitBaseline(on: boolean): void {
  setHeadLayout(on ? "slices" : "packed");
  setLayerNormGradient(on ? "derived" : "written");
  setClassTokenTile(on);
}

/** Stochastic-depth rate of block i of `depth` (timm's linspace from 0 to `dropPath`). */
export function dropPathRate(dropPath: number, i: number, depth: number): number {
  return depth > 1 ? (dropPath * i) / (depth - 1) : 0;
}

const sym = (x: tf.SymbolicTensor | tf.SymbolicTensor[] | tf.Tensor | tf.Tensor[]) => x as tf.SymbolicTensor;

/** Tokens of a config: patches N = (H/P)·(W/P), plus the class token and DeiT's. */
export function vitTokens(c: Pick<VitConfig, "inputShape" | "patchSize" | "distilled">): {
  patches: number;
  grid: [number, number];
  total: number;
} {
  const [h, w] = c.inputShape;
  if (h % c.patchSize !== 0 || w % c.patchSize !== 0) {
    throw new RangeError(`a ${h}×${w} image does not split into ${c.patchSize}×${c.patchSize} patches`);
  }
  const grid: [number, number] = [h / c.patchSize, w / c.patchSize];
  const patches = grid[0] * grid[1];
  return {patches, grid, total: patches + (c.distilled ? 2 : 1)};
}

/**
 * Build a ViT (or DeiT with `distilled`). Layer names follow timm's modules: `patch_embed.proj`, `patch_embed.flatten`,
 * `tokens` (cls_token, dist_token), `pos_embed`, `blocks.0` …, `norm`, `head` (and `head_dist`).
 * Initialisation (`weights: "random"`): patch projection U(±1/√fan_in) as PyTorch's `nn.Conv2d`, heads truncated
 * N(0, 0.02²) as timm's `init_weights_vit_timm`, position embedding truncated N(0, 0.02²), biases 0.
 */
export function buildVit(config: VitConfig, opts: VitBuildOptions = {}): tf.LayersModel {
  const c = config;
  const {grid} = vitTokens(c);
  if (c.embedDim % c.numHeads !== 0) throw new RangeError(`D = ${c.embedDim} is not a multiple of ${c.numHeads} heads`);
  const zeros = opts.weights === "zeros";
  const nextSeed = seedCounter(opts.seed);
  const init = zeros ? "zeros" : "random";

  const image = tf.input({shape: c.inputShape, name: "image"});
  // [B, H, W, C] -> [B, H/P, W/P, D]: every P×P×C patch times the same [P·P·C, D] matrix
  let x = patchEmbeddingConv(image, {embedDim: c.embedDim, patchSize: c.patchSize, zeros, seed: nextSeed()});
  x = sym(tf.layers.reshape({targetShape: [grid[0] * grid[1], c.embedDim], name: "patch_embed.flatten"}).apply(x)); // [B, N, D]
  x = sym(new ClassTokens({distillation: c.distilled, initWeights: init, seed: nextSeed(2), name: "tokens"}).apply(x)); // [B, N + k, D]
  x = sym(positionEmbedding({seed: nextSeed(), name: "pos_embed"}).apply(x)); // [B, N + k, D]
  for (let i = 0; i < c.depth; i++) {
    const block = new VitEncoderBlock({
      numHeads: c.numHeads,
      dimFeedforward: c.mlpRatio * c.embedDim,
      dropout: c.dropout,
      dropPath: dropPathRate(c.dropPath ?? 0, i, c.depth),
      initWeights: init,
      seed: nextSeed(16),
      name: `blocks.${i}`
    });
    x = sym(block.apply(x)); // [B, N + k, D]
  }
  const norm =
    opts.finalNorm === "layers"
      ? tf.layers.layerNormalization({epsilon: VIT_LAYER_NORM_EPS, name: "norm"})
      : new LayerNorm({epsilon: VIT_LAYER_NORM_EPS, name: "norm"});
  x = sym(norm.apply(x));

  const head = (index: number, name: string) => {
    const token = sym(new SelectToken({index, name: `${name}.token`}).apply(x)); // [B, D]
    return sym(
      tf.layers
        .dense({
          units: c.numClasses,
          kernelInitializer: zeros
            ? "zeros"
            : tf.initializers.truncatedNormal({mean: 0, stddev: 0.02, seed: nextSeed()}),
          name
        })
        .apply(token)
    ); // [B, classes] logits
  };
  const outputs = c.distilled ? [head(0, "head"), head(1, "head_dist")] : head(0, "head");
  return tf.model({inputs: image, outputs, name: opts.name ?? c.name});
}

/** A preset with the caller's input shape and class count, built with the rest of the options. */
export type VitModelOptions = ModelOptions & Pick<VitBuildOptions, "finalNorm">;

function fromPreset(preset: VitConfig) {
  return (opts: VitModelOptions = {}) => {
    const {inputShape = preset.inputShape, numClasses = preset.numClasses, ...build} = opts;
    return buildVit({...preset, inputShape, numClasses}, build);
  };
}

/** The timm-sized models by timm's names (224×224×3, 1000 classes); `weights: "zeros"` to count. */
export const VIT_MODELS: Record<VitModelName, (opts?: VitModelOptions) => tf.LayersModel> = {
  vit_tiny_patch16_224: fromPreset(VIT_PRESETS.vit_tiny_patch16_224),
  vit_small_patch16_224: fromPreset(VIT_PRESETS.vit_small_patch16_224),
  vit_base_patch16_224: fromPreset(VIT_PRESETS.vit_base_patch16_224),
  deit_tiny_distilled_patch16_224: fromPreset(VIT_PRESETS.deit_tiny_distilled_patch16_224),
  deit_small_distilled_patch16_224: fromPreset(VIT_PRESETS.deit_small_distilled_patch16_224),
  deit_base_distilled_patch16_224: fromPreset(VIT_PRESETS.deit_base_distilled_patch16_224)
};

export const VIT_MODEL_NAMES = Object.keys(VIT_MODELS) as VitModelName[];

/** The small models for 28×28×1 (Fashion-MNIST) that train in a tab. */
export const TINY_VIT_MODELS = {
  vit: fromPreset(VIT_PRESETS.tiny),
  deit: fromPreset(VIT_PRESETS.tinyDistilled)
};

export interface VitModelInfo {
  name: VitModelName;
  title: string;
  /**
   * timm's `sum(p.numel() for p in model.parameters())` (derived from timm's module definitions in
   * tests/unit/models/vit.test.ts) and the published multiply-adds at 224² (G, one decimal, as the comparison tables
   * of later papers list DeiT: Ti 1.3, S 4.6, B 17.6 = ViT-B/16's 17.6; the distilled models add one token, +0.5%).
   * Ours count attention's two products too: 1.254 / 4.599 / 17.564 G (ViT), 1.261 / 4.624 / 17.657 G (DeiT ⚗).
   */
  timm: {params: number; gmacs: number};
}

const info = (name: VitModelName, title: string, params: number, gmacs: number): VitModelInfo => ({
  name,
  title,
  timm: {params, gmacs}
});

export const VIT_MODEL_INFO: Record<VitModelName, VitModelInfo> = {
  vit_tiny_patch16_224: info("vit_tiny_patch16_224", "ViT-Ti/16", 5_717_416, 1.3),
  vit_small_patch16_224: info("vit_small_patch16_224", "ViT-S/16", 22_050_664, 4.6),
  vit_base_patch16_224: info("vit_base_patch16_224", "ViT-B/16", 86_567_656, 17.6),
  deit_tiny_distilled_patch16_224: info("deit_tiny_distilled_patch16_224", "DeiT-Ti⚗", 5_910_800, 1.3),
  deit_small_distilled_patch16_224: info("deit_small_distilled_patch16_224", "DeiT-S⚗", 22_436_432, 4.6),
  deit_base_distilled_patch16_224: info("deit_base_distilled_patch16_224", "DeiT-B⚗", 87_338_192, 17.6)
};

/** timm's inference output of a distilled model: the mean of the two heads' logits (the caller disposes). */
export function averageHeads(outputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  if (!Array.isArray(outputs)) return outputs.clone();
  return tf.tidy(() => tf.div(tf.addN(outputs), outputs.length));
}
