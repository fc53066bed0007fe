/** Losses and metrics (lib/train/losses.ts) against 2-example batches worked by hand. */
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {
  batchMean,
  categoricalCrossEntropy,
  meanSquaredError,
  sparseCategoricalCrossEntropy,
  tokenCrossEntropy,
  type Loss
} from "../../../lib/train/losses.js";

/** The loss's batch mean and every metric's, as numbers (tensors disposed). */
function values(loss: Loss, yTrue: tf.Tensor, yPred: tf.Tensor) {
  const read = (t: tf.Scalar) => {
    const v = t.dataSync()[0];
    t.dispose();
    return v;
  };
  const out: Record<string, number> = {loss: read(batchMean(loss, yTrue, yPred)), count: read(loss.count(yTrue))};
  for (const [k, m] of Object.entries(loss.metrics)) out[k] = read(batchMean(m, yTrue, yPred));
  tf.dispose([yTrue, yPred]);
  return out;
}

// p = softmax outputs of two examples; their labels 0 and 2
const P = [
  [0.7, 0.2, 0.1],
  [0.1, 0.6, 0.3]
];
// by hand: (−ln 0.7 − ln 0.3) / 2 = (0.356675 + 1.203973) / 2; argmax p = [0, 1] against [0, 2]: 1 of 2
const CE_PROBS = (0.356675 + 1.203973) / 2;
// logits z: −log softmax(z)_label = logsumexp(z) − z_label
const Z = [
  [2, 1, 0],
  [0, 1, 3]
];
const lse = (z: number[]) => Math.log(z.reduce((s, v) => s + Math.exp(v), 0));
const CE_LOGITS = (lse(Z[0]) - 2 + (lse(Z[1]) - 3)) / 2; // (2.407606 − 2 + 3.169846 − 3) / 2

describe("losses, by hand", () => {
  test("categorical cross-entropy on one-hot labels, from probabilities and from logits", () => {
    const y = () =>
      tf.tensor2d([
        [1, 0, 0],
        [0, 0, 1]
      ]);
    const probs = values(categoricalCrossEntropy(), y(), tf.tensor2d(P));
    expect(probs.loss).toBeCloseTo(CE_PROBS, 5);
    expect(probs.loss).toBeCloseTo(0.780324, 5);
    expect(probs.accuracy).toBe(0.5);
    expect(probs.count).toBe(2);
    const logits = values(categoricalCrossEntropy({from: "logits"}), y(), tf.tensor2d(Z));
    expect(logits.loss).toBeCloseTo(CE_LOGITS, 5);
    expect(logits.loss).toBeCloseTo(0.288726, 5);
    expect(logits.accuracy).toBe(1); // argmax z = [0, 2]
  });

  test("sparse cross-entropy gives the one-hot numbers from class indices (int32 or float32)", () => {
    const a = values(sparseCategoricalCrossEntropy(), tf.tensor1d([0, 2], "int32"), tf.tensor2d(P));
    expect(a.loss).toBeCloseTo(CE_PROBS, 5);
    expect(a.accuracy).toBe(0.5);
    const b = values(sparseCategoricalCrossEntropy({from: "logits"}), tf.tensor1d([0, 2]), tf.tensor2d(Z));
    expect(b.loss).toBeCloseTo(CE_LOGITS, 5);
    expect(b.accuracy).toBe(1);
  });

  test("per-token cross-entropy: padding counts neither in the loss nor in the token accuracy", () => {
    // N = 2 sequences, T = 3, V = 3, token 0 = padding. Targets [[1, 2, 0], [2, 0, 0]]: 3 real tokens
    const probs = [
      [
        [0.1, 0.8, 0.1], // target 1: p = 0.8, right
        [0.2, 0.5, 0.3], // target 2: p = 0.3, wrong (argmax 1)
        [0.01, 0.98, 0.01] // padding (a terrible prediction, were it counted)
      ],
      [
        [0.1, 0.2, 0.7], // target 2: p = 0.7, right
        [0.01, 0.01, 0.98], // padding
        [0.01, 0.98, 0.01] // padding
      ]
    ];
    const byHand = -(Math.log(0.8) + Math.log(0.3) + Math.log(0.7)) / 3; // 0.594597
    expect(byHand).toBeCloseTo(0.594597, 5);
    const targets = [
      [1, 2, 0],
      [2, 0, 0]
    ];
    const sparse = values(
      tokenCrossEntropy({padToken: 0}),
      tf.tensor2d(targets, undefined, "int32"),
      tf.tensor3d(probs)
    );
    expect(sparse).toEqual({loss: expect.closeTo(byHand, 5), count: 3, accuracy: expect.closeTo(2 / 3, 6)});
    // one-hot targets, the padding written as token 0's one-hot
    const oneHot = () => tf.tidy(() => tf.oneHot(tf.tensor2d(targets, undefined, "int32"), 3).cast("float32"));
    const dense = values(tokenCrossEntropy({labels: "onehot", padToken: 0}), oneHot(), tf.tensor3d(probs));
    expect(dense).toEqual({loss: expect.closeTo(byHand, 5), count: 3, accuracy: expect.closeTo(2 / 3, 6)});
    // one-hot targets, the padding written as all-zero rows (no padToken needed)
    const zeroRows = tf.tidy(() => oneHot().mul(tf.tensor2d(targets).notEqual(0).cast("float32").expandDims(-1)));
    const zeros = values(tokenCrossEntropy({labels: "onehot"}), zeroRows, tf.tensor3d(probs));
    expect(zeros).toEqual({loss: expect.closeTo(byHand, 5), count: 3, accuracy: expect.closeTo(2 / 3, 6)});
    // without a mask every position counts: 6 tokens, a larger loss
    const unmasked = values(tokenCrossEntropy(), tf.tensor2d(targets, undefined, "int32"), tf.tensor3d(probs));
    const all = -(Math.log(0.8) + Math.log(0.3) + Math.log(0.01) + Math.log(0.7) + Math.log(0.01) + Math.log(0.01)) / 6;
    expect(unmasked.count).toBe(6);
    expect(unmasked.loss).toBeCloseTo(all, 4);
  });

  test("mean squared error, with mean absolute error or no metric", () => {
    // ŷ − y = 0.5, 0, −1, 0.5: squares 0.25 + 0 + 1 + 0.25 = 1.5 over 4 values; |·| 2 over 4
    const y = () =>
      tf.tensor2d([
        [1, 2],
        [3, 4]
      ]);
    const yHat = () =>
      tf.tensor2d([
        [1.5, 2],
        [2, 4.5]
      ]);
    expect(values(meanSquaredError(), y(), yHat())).toEqual({loss: 0.375, count: 4, mae: 0.5});
    expect(values(meanSquaredError({metric: "none"}), y(), yHat())).toEqual({loss: 0.375, count: 4});
  });

  test("the default loss equals the TF.js reference on random probabilities", () => {
    const logits = tf.randomNormal([16, 5], 0, 2, "float32", 3);
    const probs = tf.softmax(logits);
    const labels = tf.tidy(() => tf.oneHot(tf.randomUniform([16], 0, 5, "int32", 4), 5).cast("float32"));
    const reference = tf.tidy(() => tf.losses.softmaxCrossEntropy(labels, logits).dataSync()[0]);
    const ours = values(categoricalCrossEntropy(), labels.clone(), probs);
    const ourLogits = values(categoricalCrossEntropy({from: "logits"}), labels, logits);
    expect(ours.loss).toBeCloseTo(reference, 5);
    expect(ourLogits.loss).toBeCloseTo(reference, 5);
  });
});
