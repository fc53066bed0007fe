import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {
  attend,
  attentionOutputExercise,
  attentionOutputSolution,
  ATTEND_CELL,
  causalVisibleExercise,
  checkAttentionOutput,
  dotScores,
  scoreBytesExercise,
  scoreCountExercise,
  scoreEntriesExercise,
  softmax,
  softmaxWeightExercise,
  weightedSum
} from "../../../lib/exercises/attention.js";

describe("the reference arithmetic", () => {
  test("softmax equals tf.softmax, sums to 1, and survives large scores", () => {
    const scores = [3, -1, 0.5, 2];
    const expected = tf.tidy(() => Array.from(tf.softmax(tf.tensor1d(scores)).dataSync()));
    softmax(scores).forEach((w, i) => expect(w).toBeCloseTo(expected[i], 6));
    expect(softmax(scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(softmax([1000, 1000])).toEqual([0.5, 0.5]);
    expect(() => softmax([])).toThrow();
  });
  test("dot scores and the weighted sum, by hand", () => {
    expect(
      dotScores(
        [1, 2],
        [
          [3, 4],
          [0, -1]
        ]
      )
    ).toEqual([11, -2]);
    expect(
      weightedSum(
        [0.25, 0.75],
        [
          [4, 0],
          [0, 4]
        ]
      )
    ).toEqual([1, 3]);
    expect(() => dotScores([1], [[1, 2]])).toThrow();
  });
});

describe("softmax-weight", () => {
  const ex = softmaxWeightExercise([2, 0.5, -1]);
  test("the answer by hand: e² / (e² + e^0.5 + e^−1)", () => {
    expect(ex.expected).toBeCloseTo(0.785597, 5);
  });
  test("right and wrong answers; the usual mistakes are named", () => {
    expect(ex.check(0.786).ok).toBe(true);
    expect(ex.check(0.7856).ok).toBe(true);
    expect(ex.check(2 / 1.5).message).toContain("exp");
    expect(ex.check(1).message).toContain("argmax");
    expect(ex.check(Math.exp(2)).message).toContain("합");
    expect(ex.check(0.5).ok).toBe(false);
    expect(ex.steps.join(" ")).toContain("0.7856");
  });
});

describe("attention-output", () => {
  const ex = attentionOutputExercise();
  test("the answer by hand: 0.5·0 + 0.3·2 + 0.2·1 = 0.8", () => {
    expect(ex.expected).toBeCloseTo(0.8, 12);
  });
  test("right and wrong answers; the usual mistakes are named", () => {
    expect(ex.check(0.8).ok).toBe(true);
    expect(ex.check(1).message).toContain("평균");
    expect(ex.check(0).message).toContain("하나만");
    expect(ex.check(3).message).toContain("짝");
    expect(ex.check(1.1).ok).toBe(false);
  });
});

describe("score-count", () => {
  const ex = scoreCountExercise(24, 14);
  test("one score per output step and source position", () => {
    expect(ex.expected).toBe(336);
    expect(ex.check(336).ok).toBe(true);
    expect(ex.check(24).message).toContain("time step");
    expect(ex.check(38).message).toContain("곱합니다");
    expect(ex.check(576).message).toContain("self-attention");
    expect(ex.check(300).ok).toBe(false);
  });
});

describe("the live-cell exercise", () => {
  // by hand: scores [0.7, 1, −0.25]; weights [0.365418, 0.493261, 0.141321]
  const output = [0.495684, 0.436079];
  test("the reference output by hand", () => {
    attend(ATTEND_CELL.query, ATTEND_CELL.states).output.forEach((x, i) => expect(x).toBeCloseTo(output[i], 5));
  });
  test("right, and each usual mistake named", () => {
    const {scores, weights, output: exact} = attend(ATTEND_CELL.query, ATTEND_CELL.states);
    expect(checkAttentionOutput(exact).ok).toBe(true);
    expect(checkAttentionOutput(weights).message).toContain("가중치를 돌려줬습니다");
    expect(checkAttentionOutput(scores).message).toContain("score를 돌려줬습니다");
    expect(checkAttentionOutput([0.233333, 0.5].map((x, i) => (i ? 0.5 : 0.7 / 3))).message).toContain("평균");
    expect(checkAttentionOutput(weightedSum(scores, ATTEND_CELL.states)).message).toContain("softmax");
    expect(checkAttentionOutput([1, 2, 3]).message).toContain("크기");
    expect(checkAttentionOutput("x").ok).toBe(false);
    expect(checkAttentionOutput([0.5, 0.4]).ok).toBe(false);
    expect(attentionOutputSolution().at(-1)).toContain("0.4957");
  });
});

describe("score-entries (self-attention)", () => {
  const ex = scoreEntriesExercise(12, 4);
  test("h · T² by hand: 4 · 144 = 576", () => {
    expect(ex.expected).toBe(576);
    expect(ex.check(576).ok).toBe(true);
    expect(ex.check(144).message).toContain("head 하나");
    expect(ex.check(48).message).toContain("query마다");
    expect(ex.check(312).message).toContain("causal mask");
    expect(ex.check(12).message).toContain("쌍");
    expect(ex.check(500).ok).toBe(false);
    expect(ex.steps.at(-1)).toContain("576");
  });
});

describe("score-bytes", () => {
  const ex = scoreBytesExercise(1024, 8);
  test("4 bytes · 8 · 1024² = 33,554,432 = 32 MiB", () => {
    expect(ex.expected).toBe(33_554_432);
    expect(ex.check(33554432).ok).toBe(true);
    expect(ex.check(33554432).message).toContain("32 MiB");
    expect(ex.check(8_388_608).message).toContain("4 byte");
    expect(ex.check(4_194_304).message).toContain("head 하나");
    expect(ex.check(67_108_864).message).toContain("float64");
    expect(ex.check(32_768).message).toContain("T²");
    expect(ex.check(33_000_000).ok).toBe(false);
  });
});

describe("causal-visible", () => {
  const ex = causalVisibleExercise(6);
  test("1 + 2 + … + 6 = 21, counted here by a loop over the mask", () => {
    let count = 0;
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) if (j <= i) count++;
    expect(ex.expected).toBe(count);
    expect(ex.check(21).ok).toBe(true);
    expect(ex.check(36).message).toContain("마스크가 없을");
    expect(ex.check(15).message).toContain("대각선을 뺐습니다");
    expect(ex.check(6).message).toContain("대각선만");
    expect(ex.check(20).ok).toBe(false);
  });
});
