/**
 * Chapter 6 「Attention」, second half: the sentences and the position similarity of lib/viz/attention.ts on made-up
 * numbers, including the outcomes that contradict the notes (no gain from the feed-forward network, a leaking mask).
 */
import {describe, expect, test} from "vitest";
import {sinusoidalEncodingRows} from "../../../lib/models/layers/positional-encoding.js";
import {
  describeSA2,
  describeSA3,
  describeSA4,
  describeSA5,
  isRounding,
  positionSimilarity,
  type SA3Conditions
} from "../../../lib/viz/attention.js";

describe("positionSimilarity", () => {
  test("hand-worked: two positions in 2-D", () => {
    const rows = positionSimilarity([
      [1, 0],
      [0, 1],
      [1, 1]
    ]);
    // distance 0: 1, 1, 2; distance 1: 0, 1; distance 2: 1
    expect(rows.map((r) => [r.distance, r.mean, r.min, r.max])).toEqual([
      [0, 4 / 3, 1, 2],
      [1, 0.5, 0, 1],
      [2, 1, 1, 1]
    ]);
  });
  test("sinusoidal: the dot product depends on the distance only, Σ cos(ω_i k), and is d/2 at distance 0", () => {
    const d = 16;
    const rows = positionSimilarity(sinusoidalEncodingRows(40, d));
    for (const r of rows) {
      expect(r.max - r.min).toBeLessThan(1e-9);
      const expected = Array.from({length: d / 2}, (_, i) =>
        Math.cos(r.distance / Math.pow(10000, (2 * i) / d))
      ).reduce((a, b) => a + b, 0);
      expect(r.mean).toBeCloseTo(expected, 9);
    }
    expect(rows[0].mean).toBeCloseTo(d / 2, 12);
    expect(rows[5].mean).toBeLessThan(rows[0].mean);
  });
});

describe("describeSA2", () => {
  test("order ignored, then seen", () => {
    const text = describeSA2({permutation: [2, 3, 1], permutedGap: 2e-7, encodedGap: 0.4, scale: 1.2});
    expect(text).toContain("[2, 3, 1]");
    expect(text).toContain("2.0e-7");
    expect(text).toContain("순서를 보지 못합니다");
    expect(text).toContain("4.0e-1");
    expect(text).toContain("33%");
  });
  test("identity, a non-equivariant result, and an encoding that changes nothing are said as they are", () => {
    expect(describeSA2({permutation: [1, 2], permutedGap: 0, encodedGap: 0, scale: 1})).toContain("섞지 않은");
    expect(describeSA2({permutation: [2, 1], permutedGap: 0.1, encodedGap: 0.3, scale: 1})).toContain(
      "영향을 주었습니다"
    );
    expect(describeSA2({permutation: [2, 1], permutedGap: 0, encodedGap: 1e-8, scale: 1})).toContain("토큰이 같아서");
  });
  test("isRounding is relative to the outputs' size", () => {
    expect(isRounding(5e-5, 1)).toBe(true);
    expect(isRounding(5e-4, 1)).toBe(false);
    expect(isRounding(5e-4, 10)).toBe(true);
  });
});

describe("describeSA3", () => {
  const base: SA3Conditions = {
    names: ["feed-forward 있음", "feed-forward 없음"],
    trainExamples: 2000,
    validationExamples: 256,
    epochs: 3,
    batchSize: 64,
    seed: 1,
    seconds: [10.2, 8.1],
    params: [20000, 11000],
    valAccuracy: [0.9, 0.7],
    valLoss: [0.3, 0.8]
  };
  test("the better model, the gap and the parameter caveat", () => {
    const text = describeSA3(base);
    expect(text).toContain("90%");
    expect(text).toContain("70%");
    expect(text).toContain("feed-forward 있음이 20.0%p 높습니다");
    expect(text).toContain("9,000개 더 많습니다");
    expect(text).toContain("2,000개");
  });
  test("a tie and a reversed result", () => {
    expect(describeSA3({...base, valAccuracy: [0.8, 0.795]})).toContain("비깁니다");
    expect(describeSA3({...base, valAccuracy: [0.6, 0.7]})).toContain("노트의 주장과 다른 결과");
  });
});

describe("describeSA4", () => {
  test("masked: unchanged; unmasked: changed", () => {
    const text = describeSA4({t: 3, length: 6, maskedGap: 0, unmaskedGap: 0.2, changedGap: 0.5, scale: 1});
    expect(text).toContain("위치 4…6");
    expect(text).toContain("위치 1…3의 출력 최대 차이는 0");
    expect(text).toContain("미래의 토큰을 본 것");
  });
  test("a leak and nothing after t are said", () => {
    expect(describeSA4({t: 2, length: 4, maskedGap: 0.1, unmaskedGap: 0.2, changedGap: 0.5, scale: 1})).toContain(
      "새고"
    );
    expect(describeSA4({t: 4, length: 4, maskedGap: 0, unmaskedGap: 0, changedGap: 0, scale: 1})).toContain(
      "뒤에 토큰이 없"
    );
  });
  test("one position reads 위치 1, not 위치 1…1", () => {
    const text = describeSA4({t: 1, length: 2, maskedGap: 0, unmaskedGap: 0.2, changedGap: 0.5, scale: 1});
    expect(text).not.toContain("…");
    expect(text).toContain("위치 1의 출력 최대 차이는 0");
    expect(text).toContain("위치 2의 토큰을 바꾸면 (그 위치의 출력은");
  });
});

describe("describeSA5", () => {
  test("growth, the fit and the tab limit, from the numbers given", () => {
    const rows = [64, 128, 256].map((l) => ({length: l, scoreBytes: 16 * l * l, layerBytes: 40 * l * l + 1000 * l}));
    const text = describeSA5(
      {rows, layerFit: {coefficients: [0, 1000, 40], r2: 1}, limitLength: 10352.4, tabBytes: 4 * 2 ** 30},
      {dModel: 64, heads: 4}
    );
    expect(text).toContain("64에서 256으로 4배");
    expect(text).toContain("(16배)");
    expect(text).toContain("R² = 1.0000");
    expect(text).toContain("약 10,352 토큰");
    expect(text).toContain("4 GiB");
    // L² share at 256: 40·256² / (40·256² + 1000·256) = 91%
    expect(text).toContain("91%");
  });
  test("no limit found", () => {
    const rows = [1, 2, 3].map((l) => ({length: l, scoreBytes: l, layerBytes: l}));
    expect(
      describeSA5(
        {rows, layerFit: {coefficients: [0, 1, 0], r2: 1}, limitLength: NaN, tabBytes: 1},
        {dModel: 8, heads: 2}
      )
    ).toContain("이르지 않습니다");
  });
});
