/** The checkers of the Swin page's exercises (lib/exercises/swin.ts): hand-counted answers, right and wrong. */
import {describe, expect, test} from "vitest";
import {
  maskExercise,
  relativeIndexExercise,
  SWIN_EXERCISES,
  windowCountExercise,
  wmsaExercise
} from "../../../lib/exercises/swin.js";

describe("relative-index", () => {
  const ex = relativeIndexExercise(7, [1, 5], [4, 2]);
  test("the answer by hand: Δ = (−3, 3), (3)·13 + 9 = 48", () => {
    expect(ex.expected).toBe(48);
  });
  test("right and wrong, with the usual mistakes named", () => {
    expect(ex.check(48).ok).toBe(true);
    expect(ex.check(120).message).toContain("j − i"); // (3 + 6)·13 + (−3 + 6)
    expect(ex.check(-36).message).toContain("M − 1"); // −3·13 + 3
    expect(ex.check(30).message).toContain("2M − 1"); // 3·7 + 9
    expect(ex.check(120 - 1).ok).toBe(false);
  });
});

describe("window-count", () => {
  const ex = windowCountExercise(224, 4, 7);
  test("224/4 = 56, 56/7 = 8, 8² = 64", () => expect(ex.expected).toBe(64));
  test("right and wrong", () => {
    expect(ex.check(64).ok).toBe(true);
    expect(ex.check(8).message).toContain("한 변");
    expect(ex.check(448).message).toContain("M²");
    expect(ex.check(81).message).toContain("cyclic shift");
    expect(ex.check(65).ok).toBe(false);
  });
});

describe("wmsa-cost", () => {
  const ex = wmsaExercise(56, 96, 7);
  test("by hand: 4·3136·9216 + 2·49·3136·96 = 145,108,992", () => {
    expect(ex.expected).toBe(115_605_504 + 29_503_488);
    expect(ex.expected).toBe(145_108_992);
  });
  test("right and wrong", () => {
    expect(ex.check(145_108_992).ok).toBe(true);
    expect(ex.check(4 * 3136 * 9216 + 2 * 3136 * 3136 * 96).message).toContain("Ω(MSA)");
    expect(ex.check(29_503_488).message).toContain("첫째 항");
    expect(ex.check(115_605_504).message).toContain("둘째 항");
    expect(ex.check(145_108_993).ok).toBe(false);
  });
});

describe("mask-count", () => {
  test("the page's case is not the live cell's 8×8, M = 4, s = 2: 12×12, M = 6, s = 3", () => {
    expect(SWIN_EXERCISES.mask.expected).toBe(maskExercise(12, 6, 3).expected);
    // four 3×3 regions in a 36-patch window: 36² − 4·9² = 1296 − 324 = 972
    expect(SWIN_EXERCISES.mask.expected).toBe(972);
    expect(SWIN_EXERCISES.mask.question).toContain("12×12 patch, M = 6, shift s = 3");
  });
  const ex = maskExercise(8, 4, 2);
  test("by hand: four 2×2 regions, 256 − 4·16 = 192", () => expect(ex.expected).toBe(192));
  test("right and wrong", () => {
    expect(ex.check(192).ok).toBe(true);
    expect(ex.check(64).message).toContain("같은 region");
    expect(ex.check(96).message).toContain("대칭");
    expect(ex.check(0).message).toContain("mask가 필요");
    expect(ex.check(100).ok).toBe(false);
  });
  test("another shift: M = 4, s = 1: regions 9, 3, 3, 1 -> 256 − 100 = 156", () => {
    expect(maskExercise(8, 4, 1).expected).toBe(156);
  });
});

test("the page's four exercises have unique ids and worked steps", () => {
  const all = Object.values(SWIN_EXERCISES);
  expect(new Set(all.map((e) => e.id)).size).toBe(4);
  for (const e of all) expect(e.steps.length).toBeGreaterThanOrEqual(3);
});
