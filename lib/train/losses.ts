/**
 * Losses and metrics for the training loop (./loop.ts): what a model is trained on is a parameter, from chapter 2's
 * digit classifier (softmax cross-entropy on one-hot labels, the default) to the sequence chapters (per-token
 * cross-entropy with padding) and regression (mean squared error).
 *
 * Every loss and metric is a **sum with a count**: `sum(yTrue, yPred)` adds up the per-item values of a batch and
 * `count(yTrue)` says how many items there are (examples, real tokens, regression values). The mean is
 * sum / count. Keeping the two apart is what lets the loop cut a batch into micro-batches and still take the
 * whole batch's step: each micro-batch's gradient is that of its sum divided by the **whole batch's** count, so a
 * padded sequence batch is averaged over its real tokens, not as a mean of micro-batch means (which would weigh a
 * token of a mostly-padded micro-batch more). The count depends on the labels only, never on the model.
 *
 * Losses (y = target, p = predicted probabilities, z = logits, p = softmax(z)):
 * - `categoricalCrossEntropy()`: −Σ_c y_c log p_c per example, labels one-hot `[N, C]` (any leading axes: one
 *   item per position). The default of `train()`.
 * - `sparseCategoricalCrossEntropy()`: −log p_label per example, labels integer class indices `[N]`.
 * - `tokenCrossEntropy({labels, padToken})`: −log p_target per token of `[N, T, V]` predictions, targets `[N, T]`
 *   (sparse) or `[N, T, V]` (one-hot). A position whose target is `padToken` (or, one-hot, an all-zero row) is
 *   padding: it counts neither in the loss nor in the token accuracy.
 * - `meanSquaredError()`: (ŷ − y)² per value, any shape; metric mean absolute error (`mae`) or none.
 *
 * `from`: whether the model ends in a softmax (`"probs"`, the default, as every model of chapters 2–3) or gives
 * raw logits (`"logits"`: log-softmax is taken here, which is the numerically safer way). Probabilities are clipped
 * to [1e-7, 1] before the log, as Keras does.
 */
import {tf} from "../tf.js";

/** A quantity summed over a batch's items, with the number of items (see the module comment). */
export interface BatchSum {
  /** Sum of the per-item values: a scalar. */
  sum(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar;
  /** Number of items the sum is over (depends on the labels only). A scalar. */
  count(yTrue: tf.Tensor): tf.Scalar;
}

export type Metric = BatchSum;

export interface Loss extends BatchSum {
  /** A short name for charts and events, e.g. "categoricalCrossEntropy". */
  name: string;
  /** Metrics reported beside the loss, by name ("accuracy", "mae"). */
  metrics: Record<string, Metric>;
}

/** What the model's last layer gives: probabilities (a softmax) or logits. */
export type OutputKind = "probs" | "logits";

/** The batch mean sum / count of a loss or metric (count 0, e.g. an all-padding batch: 0). */
export function batchMean(m: BatchSum, yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.div(m.sum(yTrue, yPred), tf.maximum(m.count(yTrue), 1)) as tf.Scalar);
}

/** log p over the last axis, from probabilities or logits. */
function logProbs(yPred: tf.Tensor, from: OutputKind): tf.Tensor {
  // probabilities: log of the clipped values, renormalised (log-softmax of log p), as the loop always did
  return tf.logSoftmax(from === "logits" ? yPred : tf.log(tf.clipByValue(yPred, 1e-7, 1)));
}

/** Which items count: 1 for a real item, 0 for padding. Shape = the labels' item shape. */
type MaskFn = (yTrue: tf.Tensor) => tf.Tensor;

/**
 * Cross-entropy and accuracy on one-hot targets [..., C] (items: every position of the leading axes). With label
 * smoothing ε the loss reads the target y(1 − ε) + ε/C (the accuracy still the one-hot label's).
 */
function oneHotCrossEntropy(name: string, from: OutputKind, mask: MaskFn, smoothing = 0): Loss {
  // labels may come as int32 (`tf.oneHot` makes int32): every sum and count is float32
  const f32 = (y: tf.Tensor) => tf.cast(y, "float32");
  const count = (yTrue: tf.Tensor) => tf.tidy(() => tf.sum(mask(f32(yTrue))) as tf.Scalar);
  return {
    name,
    // −Σ_c y_c log p_c per item, padding items weighted 0
    sum: (yTrue, yPred) =>
      tf.tidy(() => {
        const y = f32(yTrue);
        const target = smoothing > 0 ? smoothLabels(y, smoothing) : y;
        return tf.neg(tf.sum(tf.mul(tf.sum(tf.mul(target, logProbs(yPred, from)), -1), mask(y)))) as tf.Scalar;
      }),
    count,
    metrics: {
      accuracy: {
        sum: (yTrue, yPred) =>
          tf.tidy(() => {
            const hit = tf.cast(tf.equal(tf.argMax(yPred, -1), tf.argMax(yTrue, -1)), "float32");
            return tf.sum(tf.mul(hit, mask(f32(yTrue)))) as tf.Scalar;
          }),
        count
      }
    }
  };
}

/** Cross-entropy and accuracy on integer targets [...] against predictions [..., C]. */
function sparseCrossEntropy(name: string, from: OutputKind, mask: MaskFn): Loss {
  const count = (yTrue: tf.Tensor) => tf.tidy(() => tf.sum(mask(yTrue)) as tf.Scalar);
  return {
    name,
    sum: (yTrue, yPred) =>
      tf.tidy(() => {
        const classes = yPred.shape[yPred.shape.length - 1];
        const oneHot = tf.oneHot(tf.cast(tf.reshape(yTrue, [-1]), "int32"), classes).reshape(yPred.shape);
        // −log p_label per item: [...]
        const nll = tf.neg(tf.sum(tf.mul(oneHot, logProbs(yPred, from)), -1));
        return tf.sum(tf.mul(nll, mask(yTrue))) as tf.Scalar;
      }),
    count,
    metrics: {
      accuracy: {
        sum: (yTrue, yPred) =>
          tf.tidy(() => {
            const hit = tf.cast(tf.equal(tf.argMax(yPred, -1), tf.cast(yTrue, "int32")), "float32");
            return tf.sum(tf.mul(hit, mask(yTrue))) as tf.Scalar;
          }),
        count
      }
    }
  };
}

/**
 * Label smoothing (Szegedy et al. 2016, "Rethinking the Inception Architecture", section 7; DeiT trains with ε = 0.1):
 * one-hot rows y [..., C] -> y(1 − ε) + ε/C (an all-zero padding row stays zero). The caller disposes.
 */
export function smoothLabels(y: tf.Tensor, epsilon: number): tf.Tensor {
  return tf.tidy(() => {
    const classes = y.shape[y.shape.length - 1];
    const rowSum = tf.sum(y, -1, true); // 1 per one-hot row, 0 per padding row
    return tf.add(tf.mul(y, 1 - epsilon), tf.mul(rowSum, epsilon / classes));
  });
}

/**
 * Softmax cross-entropy on one-hot labels [N, C]: the default loss of `train()` and `evaluate()`. `labelSmoothing`
 * ε (default 0) trains on smoothed targets (see `smoothLabels`); accuracy is unchanged.
 */
export function categoricalCrossEntropy(opts: {from?: OutputKind; labelSmoothing?: number} = {}): Loss {
  // every item counts: the mask is 1 per row (Σ_c y_c of a one-hot row)
  return oneHotCrossEntropy(
    "categoricalCrossEntropy",
    opts.from ?? "probs",
    (y) => tf.onesLike(tf.sum(y, -1)),
    opts.labelSmoothing ?? 0
  );
}

/** Softmax cross-entropy on integer labels [N] (class indices, int32 or float32). */
export function sparseCategoricalCrossEntropy(opts: {from?: OutputKind} = {}): Loss {
  return sparseCrossEntropy("sparseCategoricalCrossEntropy", opts.from ?? "probs", (y) =>
    tf.onesLike(tf.cast(y, "float32"))
  );
}

export interface TokenCrossEntropyOptions {
  /** Targets as token ids [N, T] ("sparse", the default) or one-hot [N, T, V]. */
  labels?: "sparse" | "onehot";
  /**
   * The padding token id: positions whose target is this id count neither in the loss nor in the accuracy.
   * One-hot targets: all-zero rows are padding too. Default: none (every sparse position counts).
   */
  padToken?: number;
  from?: OutputKind;
}

/** Per-token softmax cross-entropy on [N, T, V] predictions with a padding mask; metric: token accuracy. */
export function tokenCrossEntropy(opts: TokenCrossEntropyOptions = {}): Loss {
  const {labels = "sparse", padToken, from = "probs"} = opts;
  if (labels === "sparse") {
    const mask: MaskFn = (y) =>
      padToken === undefined
        ? tf.onesLike(tf.cast(y, "float32"))
        : tf.cast(tf.notEqual(tf.cast(y, "int32"), padToken), "float32");
    return sparseCrossEntropy("tokenCrossEntropy", from, mask);
  }
  // one-hot: a row counts by its weight outside the padding column (1 for a real token, 0 for padding or zeros)
  const mask: MaskFn = (y) => {
    const total = tf.sum(y, -1); // [N, T]: 1 per one-hot row, 0 per all-zero row
    if (padToken === undefined) return total;
    const v = y.shape[y.shape.length - 1];
    // y[..., padToken]: 1 where the target is the padding token
    const column = tf.tensor1d(Array.from({length: v}, (_, i) => (i === padToken ? 1 : 0)));
    return tf.sub(total, tf.sum(tf.mul(y, column), -1));
  };
  return oneHotCrossEntropy("tokenCrossEntropy", from, mask);
}

/**
 * Sequence accuracy of [N, T, V] predictions against [N, T] token ids: an example (a row) counts as right when every
 * real (non-`padToken`) position's argmax is its target. Items: the examples with at least one real token. Under
 * teacher forcing this is the "every token right given the right prefix" accuracy, not greedy decoding's.
 */
export function sequenceAccuracy(opts: {padToken?: number} = {}): Metric {
  const {padToken} = opts;
  const real = (y: tf.Tensor) =>
    padToken === undefined
      ? tf.onesLike(tf.cast(y, "float32"))
      : tf.cast(tf.notEqual(tf.cast(y, "int32"), padToken), "float32"); // [N, T]
  const hasReal = (y: tf.Tensor) => tf.greater(tf.sum(real(y), -1), 0); // [N]
  return {
    sum: (yTrue, yPred) =>
      tf.tidy(() => {
        const wrong = tf.mul(
          tf.cast(tf.notEqual(tf.argMax(yPred, -1), tf.cast(yTrue, "int32")), "float32"),
          real(yTrue)
        );
        const right = tf.logicalAnd(tf.equal(tf.sum(wrong, -1), 0), hasReal(yTrue));
        return tf.sum(tf.cast(right, "float32")) as tf.Scalar;
      }),
    count: (yTrue) => tf.tidy(() => tf.sum(tf.cast(hasReal(yTrue), "float32")) as tf.Scalar)
  };
}

/** Mean squared error over every value (Keras: mean over the last axis, then the batch: the same number). */
export function meanSquaredError(opts: {metric?: "mae" | "none"} = {}): Loss {
  const count = (yTrue: tf.Tensor) => tf.scalar(yTrue.size);
  return {
    name: "meanSquaredError",
    sum: (yTrue, yPred) => tf.tidy(() => tf.sum(tf.squaredDifference(yPred, tf.cast(yTrue, "float32"))) as tf.Scalar),
    count,
    metrics:
      opts.metric === "none"
        ? {}
        : {
            mae: {
              sum: (yTrue, yPred) =>
                tf.tidy(() => tf.sum(tf.abs(tf.sub(yPred, tf.cast(yTrue, "float32")))) as tf.Scalar),
              count
            }
          }
  };
}
