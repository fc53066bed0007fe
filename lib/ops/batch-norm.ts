/**
 * BatchNorm on one small batch, chapter 3 「CNN Model 비교」 (first met in GoogLeNet's and ResNet's convolutions):
 * a real `tf.layers.batchNormalization` in training mode beside the formula worked in plain numbers,
 *
 *   μ = mean(x),  σ² = mean((x − μ)²),  x̂ = (x − μ) / √(σ² + ε),  y = γ x̂ + β.
 *
 * (In training the layer uses the batch's own μ and σ² — the biased variance, divided by N — and updates its
 * moving averages; at inference it uses those moving averages instead.)
 */
import {tf} from "../tf.js";

export interface BatchNormExample {
  /** The batch: one activation of one channel per example. */
  x: number[];
  mean: number;
  variance: number;
  epsilon: number;
  gamma: number;
  beta: number;
  /** What the TF.js layer returns in training mode. */
  layer: number[];
  /** The formula, computed here without TF.js. */
  formula: number[];
  /** Mean and variance of the layer's output. */
  outMean: number;
  outVariance: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]) => {
  const m = mean(xs);
  return mean(xs.map((v) => (v - m) ** 2));
};

/** Normalise a batch of one channel with a real BatchNorm layer and with the formula. Leaves no tensor behind. */
export function batchNormExample(
  x: number[],
  {gamma = 1, beta = 0, epsilon = 1e-3}: {gamma?: number; beta?: number; epsilon?: number} = {}
): BatchNormExample {
  const layer = tf.layers.batchNormalization({
    axis: -1,
    epsilon,
    gammaInitializer: tf.initializers.constant({value: gamma}),
    betaInitializer: tf.initializers.constant({value: beta})
  });
  let out: number[];
  try {
    out = tf.tidy(() => {
      // [N, 1]: N examples, one channel; training mode normalises with the batch's own statistics
      const y = layer.apply(tf.tensor2d(x, [x.length, 1]), {training: true}) as tf.Tensor;
      return Array.from(y.dataSync());
    });
  } finally {
    layer.dispose();
  }
  const mu = mean(x);
  const v = variance(x);
  const formula = x.map((xi) => gamma * ((xi - mu) / Math.sqrt(v + epsilon)) + beta);
  return {
    x,
    mean: mu,
    variance: v,
    epsilon,
    gamma,
    beta,
    layer: out,
    formula,
    outMean: mean(out),
    outVariance: variance(out)
  };
}
