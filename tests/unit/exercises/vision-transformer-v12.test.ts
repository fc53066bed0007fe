/** Chapter 8 part v12's exercises: right and wrong answers, and the answers against an independent count. */
import {describe, expect, test} from "vitest";
import {
  patchAttentionExercise,
  pixelAttentionMiBExercise,
  V12_EXERCISES
} from "../../../lib/exercises/vision-transformer/v12.js";

describe("attention matrix entries with patches", () => {
  const ex = V12_EXERCISES.patchEntries;
  test("the answer by hand: (224/16)² = 196 tokens, 196² = 38,416", () => {
    expect(ex.expected).toBe(38_416);
    expect(ex.check(38_416).ok).toBe(true);
    expect(ex.check(38_416).message).toContain("196");
  });
  test("usual mistakes are named", () => {
    expect(ex.check(196)).toMatchObject({ok: false});
    expect(ex.check(196).message).toContain("N × N");
    expect(ex.check(14).message).toContain("한 변의 patch 수");
    expect(ex.check(153_664).message).toContain("바이트");
    expect(ex.check(2_517_630_976).message).toContain("픽셀");
    expect(ex.check(50_176).message).toContain("픽셀 수");
    expect(ex.check(1).message).toContain("답이 아닙니다");
  });
  test("other sizes compute their own answer", () => {
    expect(patchAttentionExercise(28, 7).expected).toBe(256);
    expect(patchAttentionExercise(28, 4).expected).toBe(2401);
  });
});

describe("pixel-token matrix in MiB", () => {
  const ex = V12_EXERCISES.pixelMiB;
  test("64² pixels: 4,096² · 4 bytes = 64 MiB", () => {
    expect(ex.expected).toBe(64);
    expect(ex.check(64).ok).toBe(true);
    // the answer is exact: 64.5 and 64.3 are wrong
    expect(ex.check(64.5).ok).toBe(false);
    expect(ex.check(64.3).ok).toBe(false);
    // a side whose answer is not whole: two decimals are accepted
    const odd = pixelAttentionMiBExercise(100);
    expect(odd.check(381.47).ok).toBe(true);
    expect(odd.check(381.5).ok).toBe(false);
  });
  test("usual mistakes are named", () => {
    expect(ex.check(16).message).toContain("4바이트");
    expect(ex.check(67.1).message).toContain("MiB는");
    expect(ex.check(0.015625).message).toContain("N × N");
    expect(ex.check(128).ok).toBe(false);
  });
  test("another size", () => {
    expect(pixelAttentionMiBExercise(32).expected).toBe(4); // 1,024² · 4 = 4 MiB
  });
});
