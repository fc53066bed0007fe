import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {
  checkTeacherForcing,
  encoderParamsExercise,
  outputLayerExercise,
  sourceTokensExercise,
  teacherForcingPair,
  teacherForcingSolution
} from "../../../lib/exercises/seq2seq.js";

describe("source-tokens", () => {
  test("the answer is a hand count: sun , nov 2 9 , 2 0 2 6", () => {
    const ex = sourceTokensExercise("Sun, Nov 29, 2026");
    expect(ex.expected).toBe(10);
    // "29 November 2026" = 2 9 november 2 0 2 6 (no ▁: the spaces are not between two digits)
    expect(sourceTokensExercise("29 November 2026").expected).toBe(7);
    // "11/29/26 and 3/4/21": 1 1 / 2 9 / 2 6 and 3 / 4 / 2 1
    expect(sourceTokensExercise("11/29/26 and 3/4/21").expected).toBe(15);
  });
  test("the question's particle follows the quoted date as read (…2026 → 을, …sun → 을, …2022 → 를)", () => {
    expect(sourceTokensExercise().question).toContain('입력 "Sun, Nov 29, 2026"을 ');
    expect(sourceTokensExercise("Mar 3, 2022").question).toContain('입력 "Mar 3, 2022"를 ');
  });
  test("right and wrong answers; the usual mistakes are named", () => {
    const ex = sourceTokensExercise("Sun, Nov 29, 2026");
    expect(ex.check(10).ok).toBe(true);
    expect(ex.check(4).message).toContain("띄어쓰기");
    expect(ex.check(6).message).toContain("통째로");
    expect(ex.check(8).message).toContain("문장부호");
    expect(ex.check(14).message).toContain("글자 수");
    expect(ex.check(11).ok).toBe(false);
    expect(ex.steps.at(-1)).toContain("= 10개");
  });
});

describe("encoder-params", () => {
  test("the answer is countParams() of a real tf.layers.lstm reading e-dimensional vectors", () => {
    const [e, u] = [16, 24];
    const ex = encoderParamsExercise(e, u);
    const model = tf.sequential({layers: [tf.layers.lstm({units: u, inputShape: [30, e]})]});
    expect(ex.expected).toBe(model.countParams());
    model.dispose();
    expect(encoderParamsExercise(32, 128).expected).toBe(4 * 128 * 161); // 82,432 by hand
  });
  test("right and wrong answers; the usual mistakes are named", () => {
    const ex = encoderParamsExercise(32, 128);
    expect(ex.check(82_432).ok).toBe(true);
    expect(ex.check(4 * 128 * 160).message).toContain("bias");
    expect(ex.check(128 * 161).message).toContain("4배");
    expect(ex.check(3 * 128 * 161).message).toContain("GRU");
    expect(ex.check(30 * 82_432).message).toContain("입력 길이");
    expect(ex.check(4 * 128 * 130).message).toContain("embedding");
    expect(ex.check(80_000).ok).toBe(false);
  });
});

describe("output-layer", () => {
  test("the answer is countParams() of a dense layer from u units to V tokens", () => {
    const ex = outputLayerExercise(24, 64);
    const model = tf.sequential({layers: [tf.layers.dense({units: 24, inputShape: [64]})]});
    expect(ex.expected).toBe(model.countParams());
    model.dispose();
  });
  test("right and wrong answers", () => {
    const ex = outputLayerExercise(24, 64);
    expect(ex.check(64 * 24 + 24).ok).toBe(true);
    expect(ex.check(64 * 24).message).toContain("b를 빠뜨렸");
    expect(ex.check(64 + 24).message).toContain("행렬");
    expect(ex.check(64 * 64 + 64).message).toContain("vocabulary");
  });
});

describe("teacher-forcing cell", () => {
  const y = ["2", "0", "2", "6", "년"];
  const [S, E] = ["<start>", "<end>"];
  test("the expected pair is START + y and y + END (one step apart)", () => {
    expect(teacherForcingPair(y, S, E)).toEqual({
      input: [S, "2", "0", "2", "6", "년"],
      output: ["2", "0", "2", "6", "년", E]
    });
    expect(teacherForcingSolution(y, S, E).join("\n")).toContain(`input = ${S} 2 0 2 6 년`);
  });
  test("right and wrong answers; the usual mistakes are named", () => {
    expect(checkTeacherForcing({input: [S, ...y], output: [...y, E]}, y, S, E).ok).toBe(true);
    expect(checkTeacherForcing({input: y, output: y}, y, S, E).message).toContain("베끼기");
    expect(checkTeacherForcing({input: [...y, E], output: [S, ...y]}, y, S, E).message).toContain("바뀌었");
    expect(checkTeacherForcing({input: [S, ...y, E], output: [...y, E]}, y, S, E).message).toContain("입력에는");
    expect(checkTeacherForcing({input: [S, ...y], output: y}, y, S, E).message).toContain(`${E}로 끝나야`);
    expect(checkTeacherForcing({input: y, output: [...y, E]}, y, S, E).message).toContain("시작해야");
    expect(checkTeacherForcing([1, 2], y, S, E).ok).toBe(false);
    expect(checkTeacherForcing(undefined, y, S, E).message).toContain("{input, output}");
  });
});
