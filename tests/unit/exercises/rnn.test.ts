import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {
  checkHiddenSequence,
  hiddenSequenceSolution,
  hiddenStepExercise,
  lstmParamsExercise,
  RECURRENCE_CELL,
  scalarRnn
} from "../../../lib/exercises/rnn.js";

describe("lstm-params", () => {
  const ex = lstmParamsExercise(8, 32);
  test("the answer is countParams() of a real tf.layers.lstm, at any sequence length", () => {
    for (const T of [5, 100]) {
      const model = tf.sequential({layers: [tf.layers.lstm({units: 32, inputShape: [T, 8]})]});
      expect(ex.expected).toBe(model.countParams());
      model.dispose();
    }
    expect(ex.expected).toBe(5248);
  });
  test("right and wrong answers; the usual mistakes are named", () => {
    expect(ex.check(5248).ok).toBe(true);
    expect(ex.check(4 * 32 * 40).message).toContain("bias");
    expect(ex.check(32 * 41).message).toContain("4배");
    expect(ex.check(3 * 32 * 41).message).toContain("GRU");
    expect(ex.check(4 * 32 * 42).message).toContain("PyTorch");
    expect(ex.check(524_800).message).toContain("시퀀스 길이");
    expect(ex.check(6000).ok).toBe(false);
  });
});

describe("hidden-step", () => {
  const ex = hiddenStepExercise([1, -0.5], {wx: 0.8, wh: 1.5, b: 0.1});
  test("the answer equals tf.layers.simpleRNN with the same one-unit weights", () => {
    const layer = tf.layers.simpleRNN({units: 1, inputShape: [2, 1]});
    const model = tf.sequential({layers: [layer]});
    const h2 = tf.tidy(() => {
      layer.setWeights([tf.tensor2d([[0.8]]), tf.tensor2d([[1.5]]), tf.tensor1d([0.1])]);
      return (model.predict(tf.tensor3d([[[1], [-0.5]]])) as tf.Tensor).dataSync()[0];
    });
    expect(ex.expected).toBeCloseTo(h2, 6);
    model.dispose();
    // hand-worked: h1 = tanh(0.9) = 0.7163, h2 = tanh(-0.4 + 1.0745 + 0.1) = tanh(0.7745) = 0.6494
    expect(ex.expected).toBeCloseTo(0.6494, 3);
  });
  test("right and wrong answers within the tolerance", () => {
    expect(ex.check(0.649).ok).toBe(true);
    expect(ex.check(0.66).ok).toBe(false);
    expect(ex.check(0.7745).message).toContain("tanh");
    expect(ex.check(Math.tanh(-0.3)).message).toContain("h_1을 쓰지");
    expect(ex.check(Math.tanh(0.9)).message).toContain("h_1입니다");
  });
});

describe("the recurrence cell", () => {
  test("scalarRnn follows the formula (hand-worked first step)", () => {
    const hs = scalarRnn([0.5, -1], {wx: 0.7, wh: 0.9, b: -0.2});
    expect(hs[0]).toBeCloseTo(Math.tanh(0.15), 12);
    expect(hs[1]).toBeCloseTo(Math.tanh(-0.7 + 0.9 * Math.tanh(0.15) - 0.2), 12);
  });
  test("the right loop passes, the common wrong loops are named", () => {
    const {xs, w} = RECURRENCE_CELL;
    expect(checkHiddenSequence(scalarRnn(xs, w)).ok).toBe(true);
    expect(checkHiddenSequence(xs.map((x) => Math.tanh(w.wx * x + w.b))).message).toContain("전달되지");
    let h = 0;
    expect(checkHiddenSequence(xs.map((x) => (h = w.wx * x + w.wh * h + w.b))).message).toContain("tanh");
    expect(checkHiddenSequence([1, 2]).ok).toBe(false);
    expect(checkHiddenSequence("x").ok).toBe(false);
    expect(hiddenSequenceSolution().at(-1)).toContain(scalarRnn(xs, w)[0].toFixed(4));
  });
});
