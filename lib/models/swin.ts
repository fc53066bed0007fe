/**
 * The Swin Transformer: chapter 8 「Attention / Transformer for Vision」, V6 (windows, the shifted windows and their
 * mask, patch merging, a small Swin trained beside the small ViT).
 *
 * Paper: Liu, Lin, Cao, Hu, Wei, Zhang, Lin, Guo, "Swin Transformer: Hierarchical Vision Transformer using Shifted
 * Windows", ICCV 2021, https://arxiv.org/abs/2103.14030 (Figure 3, Table 1, Table 7).
 * Reference implementation for names, configurations and counts: timm, timm/models/swin_transformer.py
 * (`SwinTransformer`, `swin_tiny_patch4_window7_224`, …), itself from the authors' microsoft/Swin-Transformer. The
 * blocks are in ./layers/swin-layers.ts, the window and mask bookkeeping in ../analysis/swin.ts.
 *
 *   image [B, H, W, 3]
 *   -> patch_embed.proj: conv P×P, stride P (patch partition + linear embedding)     [B, H/P, W/P, C]
 *   -> patch_embed.norm: LayerNorm (timm's `PatchEmbed` with `patch_norm=True`)       [B, H/P, W/P, C]
 *   -> stage 1: layers.0.blocks.0 (W-MSA), layers.0.blocks.1 (SW-MSA, shift ⌊M/2⌋) …    [B, H/P, W/P, C]
 *   -> layers.0.downsample: patch merging                                             [B, H/2P, W/2P, 2C]
 *   -> stage 2 … stage 4 (no merging after the last)                                  [B, H/8P, W/8P, 8C]
 *   -> norm: LayerNorm, pool: global average over the patches, head: linear           [B, classes] logits
 *
 * Outputs are logits (train with `from: "logits"`). Names follow the timm version whose `BasicLayer` ends with its
 * `downsample` (newer timm moves it to the start of the next stage as `layers.{i+1}.downsample`: same weights).
 * timm's rule for small maps is applied when building: a stage whose map is no larger than a window gets one window
 * of the map's size and no shift (Swin-T's stage 4 at 224²). Differs from timm: no absolute position embedding (timm's
 * default `ape=False` too), no dropout, no stochastic depth; the patch projection starts U(±1/√fan_in) as PyTorch's
 * `nn.Conv2d` (timm's `init_weights_vit_timm` leaves it so), the head truncated N(0, 0.02²) as timm, the blocks' and
 * merging's matrices Xavier-uniform as the course's ViT (./layers/swin-layers.ts says why).
 */
import {tf} from "../tf.js";
import {swinStageShapes, type SwinStageShape} from "../analysis/swin.js";
import {patchEmbeddingConv, seedCounter, type BuildOptions, type ImageShape, type ModelOptions} from "./common.js";
import {LayerNorm, PatchMerging, SwinBlock} from "./layers/swin-layers.js";

export interface SwinConfig {
  name: string;
  /** [H, W, C]; H and W multiples of P·2^(stages − 1)·… so that every stage splits into windows. */
  inputShape: ImageShape;
  numClasses: number;
  /** P: patches of P×P pixels (timm's `patch_size`, 4). */
  patchSize: number;
  /** C, the channels of stage 1 (timm's `embed_dim`); stage i has C·2^(i−1). */
  embedDim: number;
  /** Blocks per stage (timm's `depths`). */
  depths: number[];
  /** Heads per stage (timm's `num_heads`). */
  numHeads: number[];
  /** M, the window side in patches (timm's `window_size`, 7). */
  windowSize: number;
  /** MLP hidden width = mlpRatio · C (4). */
  mlpRatio: number;
}

const timm = (name: string, embedDim: number, depths: number[], numHeads: number[]): SwinConfig => ({
  name,
  inputShape: [224, 224, 3],
  numClasses: 1000,
  patchSize: 4,
  embedDim,
  depths,
  numHeads,
  windowSize: 7,
  mlpRatio: 4
});

/**
 * timm's configurations (224×224×3, 1000 classes, patch 4, window 7, MLP ratio 4) and `tiny`, a small Swin for
 * 28×28×1 images that trains in a tab: patches of 2×2 -> 14×14 patches, windows of 7×7 (four windows, shift 3), two
 * stages (C = 32 with 2 heads, then 7×7 patches, C = 64 with 4 heads in one window), two blocks each: 136,854
 * parameters, about the small ViT's 139,018.
 */
export const SWIN_PRESETS = {
  swin_tiny_patch4_window7_224: timm("swin_tiny_patch4_window7_224", 96, [2, 2, 6, 2], [3, 6, 12, 24]),
  swin_small_patch4_window7_224: timm("swin_small_patch4_window7_224", 96, [2, 2, 18, 2], [3, 6, 12, 24]),
  swin_base_patch4_window7_224: timm("swin_base_patch4_window7_224", 128, [2, 2, 18, 2], [4, 8, 16, 32]),
  tiny: {
    name: "swin_tiny_28",
    inputShape: [28, 28, 1],
    numClasses: 10,
    patchSize: 2,
    embedDim: 32,
    depths: [2, 2],
    numHeads: [2, 4],
    windowSize: 7,
    mlpRatio: 4
  }
} satisfies Record<string, SwinConfig>;

export type SwinModelName =
  "swin_tiny_patch4_window7_224" | "swin_small_patch4_window7_224" | "swin_base_patch4_window7_224";

const sym = (x: tf.SymbolicTensor | tf.SymbolicTensor[] | tf.Tensor | tf.Tensor[]) => x as tf.SymbolicTensor;

/** Feature-map size, channels, windows and shift of every stage of a config (../analysis/swin.ts). */
export function swinStages(c: SwinConfig): SwinStageShape[] {
  return swinStageShapes(c);
}

/**
 * Build a Swin Transformer. Layer names follow timm's modules: `patch_embed.proj`, `patch_embed.norm`,
 * `layers.{i}.blocks.{j}`, `layers.{i}.downsample`, `norm`, `pool`, `head`. Block j of a stage is shifted (SW-MSA,
 * s = ⌊M/2⌋) when j is odd, as timm's `BasicLayer`.
 */
export function buildSwin(config: SwinConfig, opts: BuildOptions = {}): tf.LayersModel {
  const c = config;
  const stages = swinStageShapes(c); // checks the shapes
  for (const s of stages) {
    if (s.channels % s.heads !== 0) throw new RangeError(`stage ${s.stage}: C = ${s.channels} and ${s.heads} heads`);
  }
  const zeros = opts.weights === "zeros";
  const nextSeed = seedCounter(opts.seed);
  const init = zeros ? "zeros" : "random";

  const image = tf.input({shape: c.inputShape, name: "image"});
  let x = patchEmbeddingConv(image, {embedDim: c.embedDim, patchSize: c.patchSize, zeros, seed: nextSeed()}); // [B, H/P, W/P, C]
  x = sym(new LayerNorm({name: "patch_embed.norm"}).apply(x));
  stages.forEach((s, i) => {
    for (let j = 0; j < s.blocks; j++) {
      const block = new SwinBlock({
        numHeads: s.heads,
        windowSize: s.window,
        shiftSize: j % 2 === 1 ? s.shift : 0,
        mlpRatio: c.mlpRatio,
        initWeights: init,
        seed: nextSeed(8),
        name: `layers.${i}.blocks.${j}`
      });
      x = sym(block.apply(x)); // [B, h, w, C_i]
    }
    if (i < stages.length - 1) {
      x = sym(new PatchMerging({initWeights: init, seed: nextSeed(), name: `layers.${i}.downsample`}).apply(x));
    }
  });
  x = sym(new LayerNorm({name: "norm"}).apply(x));
  x = sym(tf.layers.globalAveragePooling2d({name: "pool"}).apply(x)); // [B, 8C]: timm's x.mean(dim=1)
  const logits = tf.layers
    .dense({
      units: c.numClasses,
      kernelInitializer: zeros ? "zeros" : tf.initializers.truncatedNormal({mean: 0, stddev: 0.02, seed: nextSeed()}),
      name: "head"
    })
    .apply(x);
  return tf.model({inputs: image, outputs: sym(logits), name: opts.name ?? c.name});
}

/** A preset with the caller's input shape and class count, built with the rest of the options. */
function fromPreset(preset: SwinConfig) {
  return (opts: ModelOptions = {}) => {
    const {inputShape = preset.inputShape, numClasses = preset.numClasses, ...build} = opts;
    return buildSwin({...preset, inputShape, numClasses}, build);
  };
}

/** The timm-sized models by timm's names (224×224×3, 1000 classes); `weights: "zeros"` and `dryGraph` to count. */
export const SWIN_MODELS: Record<SwinModelName, (opts?: ModelOptions) => tf.LayersModel> = {
  swin_tiny_patch4_window7_224: fromPreset(SWIN_PRESETS.swin_tiny_patch4_window7_224),
  swin_small_patch4_window7_224: fromPreset(SWIN_PRESETS.swin_small_patch4_window7_224),
  swin_base_patch4_window7_224: fromPreset(SWIN_PRESETS.swin_base_patch4_window7_224)
};

export const SWIN_MODEL_NAMES = Object.keys(SWIN_MODELS) as SwinModelName[];

/** The small model for 28×28×1 (Fashion-MNIST) that trains in a tab, beside `TINY_VIT_MODELS.vit`. */
export const TINY_SWIN_MODELS = {
  swin: fromPreset(SWIN_PRESETS.tiny)
};

export interface SwinModelInfo {
  name: SwinModelName;
  title: string;
  /**
   * timm's `sum(p.numel() for p in model.parameters())` (derived from timm's module definitions in
   * tests/unit/models/swin.test.ts; torchvision's `swin_t` / `swin_s` / `swin_b` weights list the same
   * `num_params`) and the paper's multiply-adds at 224² (Table 1: 4.5 G, 8.7 G, 15.4 G FLOPs, which the paper
   * counts as multiply-adds). Ours: 4.49 / 8.75 / 15.44 G (the window products counted too).
   */
  timm: {params: number; gmacs: number};
}

const info = (name: SwinModelName, title: string, params: number, gmacs: number): SwinModelInfo => ({
  name,
  title,
  timm: {params, gmacs}
});

export const SWIN_MODEL_INFO: Record<SwinModelName, SwinModelInfo> = {
  swin_tiny_patch4_window7_224: info("swin_tiny_patch4_window7_224", "Swin-T", 28_288_354, 4.5),
  swin_small_patch4_window7_224: info("swin_small_patch4_window7_224", "Swin-S", 49_606_258, 8.7),
  swin_base_patch4_window7_224: info("swin_base_patch4_window7_224", "Swin-B", 87_768_224, 15.4)
};
