/**
 * How chapter 8 trains its small models on Fashion-MNIST: one recipe that the page's experiments (V1, V3–V5) and
 * `npm run bench` share, so that a number in the bench is the number of the page's training.
 *
 * Adam (Kingma & Ba 2015) with a constant learning rate and no warm-up: at a tab's budget (a few epochs at most)
 * ViT papers' long warm-up and cosine schedules do not apply. Values chosen by short runs in Node on wasm; see the
 * README's bench table.
 */
import {tf} from "../tf.js";

export interface VitRecipe {
  /** Examples per step. */
  batchSize: number;
  /** Adam's step size. */
  learningRate: number;
  /** Test images the page evaluates on after each epoch (the full test set has 10,000). */
  validationSize: number;
}

export const VIT_RECIPE: VitRecipe = {batchSize: 64, learningRate: 1e-3, validationSize: 2000};

/** The recipe's optimizer (the caller disposes it). */
export function vitOptimizer(recipe: VitRecipe = VIT_RECIPE): tf.Optimizer {
  return tf.train.adam(recipe.learningRate);
}
