/**
 * The two models of chapter 8's V4 (ViT against ResNet as data grows) and V5's teacher: the small ViT of ./vit.ts
 * (`TINY_VIT_MODELS.vit`, 139,018 parameters) and a small ResNet of about the same parameter count for 28×28×1
 * Fashion-MNIST images, built by ./resnet.ts's `buildResNet`.
 *
 * Why this ResNet (`VIT_VS_RESNET.resnet`):
 * - one basic block per stage at 21/42/84 filters: 134,221 parameters, the closest to the ViT's 139,018 (−3.4%) of
 *   the widths f/2f/4f (20: 121,870; 22: 147,168), so "similar parameter count" holds as the paper compares models;
 * - a 3×3 stem with stride 2 (28² → 14² → 7² → 4²), as ImageNet ResNets start by downsampling (their 7×7/2 stem
 *   and max pool). The ViT starts at 4×4 tokens of 7×7 pixels; a stride-1 stem at 28² costs about 3–4× the time per
 *   step of this one (measured in Node on wasm), which a tab cannot afford for two models on five data sizes;
 * - logits out (`outputActivation: "linear"`), as the ViT: both train with the same loss (`from: "logits"`), and
 *   V5's distillation reads the teacher's logits.
 */
import {tf} from "../tf.js";
import {fusedAdam} from "../train/fused-adam.js";
import {VIT_RECIPE} from "../train/vit-recipe.js";
import {ATTENTION_CNN_LEARNING_RATE} from "./attention-cnn.js";
import type {BuildOptions} from "./common.js";
import {buildResNet, RESNET_PRESETS, type ResNetConfig} from "./resnet.js";
import {TINY_VIT_MODELS, VIT_PRESETS} from "./vit.js";

const WIDTH = 21;

export const VIT_VS_RESNET_RESNET: ResNetConfig = {
  ...RESNET_PRESETS.tiny,
  name: "resnet_v4_28",
  blocks: [1, 1, 1],
  filters: [WIDTH, 2 * WIDTH, 4 * WIDTH],
  stem: {filters: WIDTH, kernelSize: 3, strides: 2, maxPool: false},
  outputActivation: "linear"
};

export type ComparedModel = "vit" | "resnet";

/** The names the page shows. */
export const COMPARED_TITLES: Record<ComparedModel, string> = {vit: "ViT", resnet: "ResNet"};

/** The two builders (logits out, 28×28×1, 10 classes). */
export const VIT_VS_RESNET: Record<ComparedModel, (opts?: BuildOptions) => tf.LayersModel> = {
  vit: (opts = {}) => TINY_VIT_MODELS.vit(opts),
  resnet: (opts = {}) => buildResNet(VIT_VS_RESNET_RESNET, opts)
};

/** The ViT config of the comparison (for counting and the page's text). */
export const VIT_VS_RESNET_VIT = VIT_PRESETS.tiny;

/**
 * Adam's step size per model. The ViT keeps the chapter's recipe (../train/vit-recipe.ts, 1e-3); the ResNet, a small
 * CNN ending in global average pooling, uses the rate V1 chose for its CNNs (./attention-cnn.ts, 3e-3), at which such
 * CNNs learn on a tab's budget and at 1e-3 barely do. One constant, so that V1, V4 and V5's teacher agree.
 */
export const COMPARED_LEARNING_RATES: Record<ComparedModel, number> = {
  vit: VIT_RECIPE.learningRate,
  resnet: ATTENTION_CNN_LEARNING_RATE
};

/** The optimizer of one compared model (the caller disposes it). */
export function comparedOptimizer(model: ComparedModel): tf.Optimizer {
  return fusedAdam(COMPARED_LEARNING_RATES[model]);
}
