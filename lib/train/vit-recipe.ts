/**
 * How chapter 8 trains its small models on Fashion-MNIST: one recipe that the page's experiments (V1, V3–V5) and
 * `npm run bench` share, so that a number in the bench is the number of the page's training.
 *
 * Adam (Kingma & Ba 2015; fused on wasm, `./fused-adam.ts`) with a constant learning rate and no warm-up: at a tab's budget (a few thousand images,
 * a few epochs at most) ViT papers' long warm-up and cosine schedules do not apply.
 *
 * The values were chosen with scripts/vit-recipe.ts (Node, wasm, course kernels; 29 Nov 2026): the tiny ViT
 * (`TINY_VIT_MODELS.vit`, seed 1) trained on the first 20,000 training images for the same number of images, then
 * measured on the first 1,000 test images. After 4,096 images (one pass over them):
 *
 *   batch 16, lr 0.001: 66.5%     batch 32, lr 0.001: 71.5%     batch 64, lr 0.001: 63.6%
 *                                 batch 32, lr 0.002: 70.9%     batch 64, lr 0.002: 67.1%
 *                                 batch 32, lr 0.003: 69.7%
 *
 * After 8,192 images: batch 32, lr 0.001: 74.8%; batch 32, lr 0.002: 72.0%; batch 64, lr 0.002: 73.9%.
 *
 * At this budget more, smaller steps learn more per image down to batch 32; batch 16 learns less again. Images per
 * second of batch 32 and 64 could not be separated on that shared 2-core machine (one setting's rate varied about 2×
 * between runs), so batch 32 is also taken as the fastest per second. Learning rates 0.001–0.003 at batch 32 are
 * within 2 points after 4,096 images, and 0.001 stays ahead after 8,192 (batch 64 catches up as the run grows).
 */
import {tf} from "../tf.js";
import {fusedAdam} from "./fused-adam.js";

export interface VitRecipe {
  /** Examples per step. */
  batchSize: number;
  /** Adam's step size. */
  learningRate: number;
  /** Test images the page evaluates on after each epoch (the full test set has 10,000). */
  validationSize: number;
}

export const VIT_RECIPE: VitRecipe = {batchSize: 32, learningRate: 1e-3, validationSize: 2000};

/** The recipe's optimizer (the caller disposes it). */
export function vitOptimizer(recipe: VitRecipe = VIT_RECIPE): tf.Optimizer {
  return fusedAdam(recipe.learningRate);
}
