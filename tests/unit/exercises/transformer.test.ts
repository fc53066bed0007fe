import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {
  ADD_NORM_CELL,
  addNorm,
  addNormSolution,
  checkAddNorm,
  encoderParamsExercise,
  layerNormVector,
  positionalExercise,
  positionalValue,
  sequentialExercise
} from "../../../lib/exercises/transformer.js";
import {buildEncoderLayerModel} from "../../../lib/models/transformer.js";
import {sinusoidalEncodingRows} from "../../../lib/models/layers/positional-encoding.js";
import {layerNorm} from "../../../lib/models/layers/transformer-layers.js";

describe("encoder-params", () => {
  const ex = encoderParamsExercise(256, 4, 1024);
  test("the answer is countParams() of a real TransformerEncoderLayer, and PyTorch's 3,152,384 at 512/2048", () => {
    const model = buildEncoderLayerModel(
      {dModel: 256, numHeads: 4, dimFeedforward: 1024, length: 5},
      {weights: "zeros"}
    );
    expect(ex.expected).toBe(model.countParams());
    model.dispose();
    // hand count: 4·256² + 4·256 + (2·256·1024 + 1024 + 256) + 4·256
    expect(ex.expected).toBe(263_168 + 525_568 + 1024);
    expect(encoderParamsExercise(512, 8, 2048).expected).toBe(3_152_384);
  });
  test("right and wrong answers; the usual mistakes are named", () => {
    expect(ex.check(789_760).ok).toBe(true);
    expect(ex.check(789_760 - 1024).message).toContain("LayerNorm");
    expect(ex.check(4 * 4 * 256 * 256 + 4 * 256 + 525_568 + 1024).message).toContain("head마다");
    expect(ex.check(263_168 + 1024).message).toContain("feed-forward");
    expect(ex.check(3 * 65536 + 768 + 525_568 + 1024).message).toContain("W_O");
    expect(ex.check(789_760 - 512).message).toContain("하나만");
    expect(ex.check(700_000).ok).toBe(false);
  });
});

describe("pe-value", () => {
  const ex = positionalExercise(7, 5, 16);
  test("the answer is the library's encoding and the formula by hand: cos(7 / 10000^(4/16)) = cos(0.7)", () => {
    expect(ex.expected).toBeCloseTo(Math.cos(0.7), 12);
    expect(ex.expected).toBeCloseTo(sinusoidalEncodingRows(8, 16)[7][5], 12);
    for (const [pos, k] of [
      [0, 0],
      [7, 2],
      [11, 9]
    ])
      expect(positionalValue(pos, k, 16)).toBeCloseTo(sinusoidalEncodingRows(12, 16)[pos][k], 12);
  });
  test("right and wrong answers; the usual mistakes are named", () => {
    expect(ex.check(0.765).ok).toBe(true);
    expect(ex.check(0.8).ok).toBe(false);
    expect(ex.check(Math.sin(0.7)).message).toContain("홀수 차원은 cos");
    expect(ex.check(Math.cos(7 / Math.pow(10000, 5 / 16))).message).toContain("2i/d");
    expect(ex.check(Math.cos((0.7 * Math.PI) / 180)).message).toContain("라디안");
    expect(ex.check(0.7).message).toContain("각도 자체");
  });
});

describe("sequential-steps", () => {
  const ex = sequentialExercise(20, 24, 6);
  test("LSTM S + T against Transformer encoder + decoder layers", () => {
    expect(ex.expected).toBe(44 - 12);
    expect(ex.check(32).ok).toBe(true);
    expect(ex.check(20 - 12).message).toContain("decoder");
    expect(ex.check(44 - 6).message).toContain("decoder 층");
    expect(ex.check(43).message).toContain("한 단계로");
    expect(ex.check(480 - 12).message).toContain("attention score");
    expect(ex.check(10).ok).toBe(false);
  });
});

describe("add-norm live cell", () => {
  test("the reference equals the library's layerNorm on x + f(x)", () => {
    const {x, fx} = ADD_NORM_CELL;
    const expected = tf.tidy(() => Array.from(layerNorm(tf.add(tf.tensor1d(x), tf.tensor1d(fx))).dataSync()));
    addNorm().forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    const y = addNorm();
    expect(y.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9);
    expect(y.reduce((a, b) => a + b * b, 0) / y.length).toBeCloseTo(1, 4);
  });
  test("right and wrong answers; the usual mistakes are named", () => {
    const {x, fx} = ADD_NORM_CELL;
    expect(checkAddNorm(addNorm()).ok).toBe(true);
    expect(checkAddNorm(layerNormVector(fx)).message).toContain("Add");
    expect(checkAddNorm(x.map((v, i) => v + fx[i])).message).toContain("더하기만");
    const sum = x.map((v, i) => v + fx[i]);
    const mean = sum.reduce((a, b) => a + b, 0) / 4;
    const s1 = Math.sqrt(sum.reduce((a, b) => a + (b - mean) ** 2, 0) / 3 + 1e-5);
    expect(checkAddNorm(sum.map((v) => (v - mean) / s1)).message).toContain("n − 1");
    const variance = sum.reduce((a, b) => a + (b - mean) ** 2, 0) / 4;
    expect(checkAddNorm(sum.map((v) => (v - mean) / (variance + 1e-5))).message).toContain("제곱근");
    expect(checkAddNorm([1, 2, 3]).ok).toBe(false);
    expect(checkAddNorm("x").ok).toBe(false);
    expect(checkAddNorm([0, 0, 0, 0]).ok).toBe(false);
    expect(addNormSolution().at(-1)).toContain(addNorm()[0].toFixed(4));
  });
});
