/**
 * Softmax and cross-entropy for one example (chapter 2 「CNN」, the ConvNet Example's last 층 and its loss):
 *   p_i = exp(z_i) / Σ_j exp(z_j),   loss = −log p_y  for the true class y.
 * Computed with TF.js (`tf.softmax`, `tf.logSoftmax`, the numerically stable forms) so the page shows what the
 * training loop uses; the unit tests check it against a naive loop.
 */
import {tf} from "../tf.js";

export interface SoftmaxCrossEntropy {
  /** Probabilities, summing to 1. */
  probs: number[];
  /** Index of the largest probability (the prediction). */
  predicted: number;
  /** p of the true class. */
  pTrue: number;
  /** −log p of the true class (natural log). */
  loss: number;
}

/** Softmax of `logits` and the cross-entropy loss for class `label`. */
export function softmaxCrossEntropy(logits: readonly number[], label: number): SoftmaxCrossEntropy {
  if (logits.length === 0) throw new RangeError("softmax of an empty vector");
  if (!Number.isInteger(label) || label < 0 || label >= logits.length) {
    throw new RangeError(`label ${label} outside 0…${logits.length - 1}`);
  }
  if (!logits.every(Number.isFinite)) throw new RangeError("logits must be finite numbers");
  const [probs, logProbs] = tf.tidy(() => {
    const z = tf.tensor1d(logits as number[]);
    return [Array.from(tf.softmax(z).dataSync()), Array.from(tf.logSoftmax(z).dataSync())];
  });
  const predicted = probs.reduce((best, p, i) => (p > probs[best] ? i : best), 0);
  return {probs, predicted, pTrue: probs[label], loss: -logProbs[label]};
}
