// Chapter 2's exercise checkers, each with a right and a wrong answer; the answers against hand-worked numbers
// and TF.js's own counts.
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {
  checkConvMacs,
  checkConvParams,
  checkPoolShape,
  checkSmallCnn,
  checkSoftmaxLoss,
  CONV_MACS,
  CONV_PARAMS,
  POOL_SHAPE,
  SMALL_CNN_LIMIT,
  SMALL_CNN_SOLUTION_CODE,
  smallCnnSolution,
  SOFTMAX_LOSS
} from "../../../lib/exercises/cnn.js";
import {convLayerParams} from "../../../lib/analysis/param-compare.js";

describe("conv-params", () => {
  test("the answer by hand, and TF.js agrees", () => {
    expect(CONV_PARAMS.answer).toBe((5 * 5 * 16 + 1) * 32);
    expect(convLayerParams(CONV_PARAMS.f, CONV_PARAMS.cin, CONV_PARAMS.cout)).toBe(CONV_PARAMS.answer);
  });
  test("right, and wrong with the forgotten-bias hint", () => {
    expect(checkConvParams(12_832).ok).toBe(true);
    const wrong = checkConvParams(12_800);
    expect(wrong.ok).toBe(false);
    expect(wrong.message).toContain("bias");
    expect(checkConvParams(99).ok).toBe(false);
  });
});

describe("pool-shape", () => {
  test("28 − 5 + 1 = 24, then 12", () => {
    expect(POOL_SHAPE).toEqual({n: 28, f: 5, conv: 24, answer: 12});
    expect(checkPoolShape(12).ok).toBe(true);
    expect(checkPoolShape(14).message).toContain("pooling만");
    expect(checkPoolShape(24).ok).toBe(false);
  });
});

describe("conv-macs", () => {
  test("8·8·32 outputs × 5·5·16 = 819,200", () => {
    expect(CONV_MACS.answer).toBe(8 * 8 * 32 * 5 * 5 * 16);
    expect(checkConvMacs(819_200).ok).toBe(true);
    expect(checkConvMacs(1_638_400).message).toContain("FLOPs");
    expect(checkConvMacs(12 * 12 * 32 * 400).message).toContain("12×12");
  });
});

describe("softmax-loss", () => {
  test("−ln(e²/(e² + 2)) by hand", () => {
    const hand = -Math.log(Math.exp(2) / (Math.exp(2) + 2));
    expect(SOFTMAX_LOSS.loss).toBeCloseTo(hand, 5);
    expect(checkSoftmaxLoss(0.24).ok).toBe(true);
    expect(checkSoftmaxLoss(SOFTMAX_LOSS.pTrue).message).toContain("확률 p");
    expect(checkSoftmaxLoss(-hand).message).toContain("부호");
    expect(checkSoftmaxLoss(1).ok).toBe(false);
  });
});

describe("small-cnn", () => {
  test("the worked answer passes, and its shown code builds the same model", () => {
    const model = smallCnnSolution();
    const shown = new Function("tf", SMALL_CNN_SOLUTION_CODE.replace(/model;\s*$/, "return model;"))(
      tf
    ) as tf.LayersModel;
    expect(checkSmallCnn(model).ok).toBe(true);
    expect(shown.countParams()).toBe(model.countParams());
    expect(model.countParams()).toBeLessThan(SMALL_CNN_LIMIT);
    model.dispose();
    shown.dispose();
  });
  test("wrong: not a model, an MLP, the big ConvNet Example, a wrong output", () => {
    expect(checkSmallCnn(42).ok).toBe(false);
    const mlp = tf.sequential({
      layers: [tf.layers.flatten({inputShape: [28, 28, 1]}), tf.layers.dense({units: 10, activation: "softmax"})]
    });
    expect(checkSmallCnn(mlp).message).toContain("conv 층이 없습니다");
    const big = tf.sequential({
      layers: [
        tf.layers.conv2d({inputShape: [28, 28, 1], kernelSize: 3, filters: 8}),
        tf.layers.flatten(),
        tf.layers.dense({units: 10, activation: "softmax"})
      ]
    });
    expect(checkSmallCnn(big).message).toContain("이상입니다");
    const eleven = tf.sequential({
      layers: [
        tf.layers.conv2d({inputShape: [28, 28, 1], kernelSize: 28, filters: 2}),
        tf.layers.flatten(),
        tf.layers.dense({units: 11, activation: "softmax"})
      ]
    });
    expect(checkSmallCnn(eleven).message).toContain("[11]");
    for (const m of [mlp, big, eleven]) m.dispose();
  });
});
