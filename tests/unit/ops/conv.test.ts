import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {
  conv2d,
  convOutputSize,
  convTerms,
  describeOverlap,
  describePaddingGrowth,
  paddingGrowth,
  samePadding,
  windowOverlap,
  filter2d,
  naiveConv2d,
  type Array3D,
  type Array4D
} from "../../../lib/ops/conv.js";
import {VERTICAL} from "../../../lib/ops/kernels.js";
import {maxAbsDiff, randomArray} from "../helpers.js";

/** Independent reference: count the window positions one by one (start 0, step s, the window must fit). */
function countPositions(n: number, f: number, p: number, s: number): number {
  let count = 0;
  for (let start = 0; start + f <= n + 2 * p; start += s) count++;
  return count;
}

describe("stride and padding, as the page states them", () => {
  test("windows overlap by f − s when s < f, touch when s = f, skip s − f columns when s > f", () => {
    expect(windowOverlap(3, 1)).toEqual({overlap: 2, gap: 0});
    expect(windowOverlap(3, 2)).toEqual({overlap: 1, gap: 0}); // AlexNet's overlapping pooling
    expect(windowOverlap(2, 2)).toEqual({overlap: 0, gap: 0});
    expect(windowOverlap(2, 3)).toEqual({overlap: 0, gap: 1});
    // check against the columns two neighbouring windows actually read
    for (let f = 1; f <= 7; f++) {
      for (let s = 1; s <= 4; s++) {
        const first = new Set(Array.from({length: f}, (_, i) => i));
        const shared = Array.from({length: f}, (_, i) => s + i).filter((c) => first.has(c)).length;
        const unread = Math.max(0, s - f); // columns f … s−1 are read by neither window
        expect(windowOverlap(f, s), `f=${f} s=${s}`).toEqual({overlap: shared, gap: unread});
      }
    }
  });

  test("padding grows the output by 2p only at s = 1: n = 7, f = 3, s = 2 gives 3 with p = 0 and 4 with p = 1", () => {
    expect(paddingGrowth(7, 3, 1, 2)).toEqual({without: 3, padded: 4, growth: 1});
    expect(paddingGrowth(6, 3, 1, 1)).toEqual({without: 4, padded: 6, growth: 2});
    expect(paddingGrowth(2, 3, 1, 1)).toEqual({without: null, padded: 2, growth: null});
    for (let n = 1; n <= 12; n++) {
      for (let f = 1; f <= Math.min(n, 7); f++) {
        for (let p = 0; p <= 3; p++) {
          for (let s = 1; s <= 4; s++) {
            const g = paddingGrowth(n, f, p, s);
            expect(g.padded).toBe(countPositions(n, f, p, s));
            expect(g.growth).toBe(countPositions(n, f, p, s) - countPositions(n, f, 0, s));
            if (s === 1) expect(g.growth).toBe(2 * p);
            expect([Math.floor((2 * p) / s), Math.ceil((2 * p) / s)]).toContain(g.growth);
          }
        }
      }
    }
  });

  test("the page's sentences follow f, s (overlap) and n, f, p, s (padding)", () => {
    expect(describeOverlap(3, 1)).toContain("f − s = 2열을 함께 읽습니다");
    expect(describeOverlap(3, 3)).toContain("딱 붙어");
    expect(describeOverlap(2, 4)).toContain("s − f = 2열은 어떤 창도 읽지 않습니다");
    expect(describePaddingGrowth(7, 3, 1, 2)).toBe(
      "n = 7, f = 3, s = 2: p = 0이면 출력 3, p = 1이면 4. 입력은 2p = 2칸 커졌고 출력은 1칸 커졌습니다 " +
        "(2p = 2가 아닙니다: s = 2이면 2p/s = 1의 내림 또는 올림만큼만 커집니다)."
    );
    expect(describePaddingGrowth(6, 3, 0, 1)).toContain("p = 0이면 출력 4, p = 1이면 6");
    expect(describePaddingGrowth(6, 3, 2, 1)).toContain("출력은 4칸 커졌습니다 (s = 1이므로 정확히 2p입니다)");
    expect(describePaddingGrowth(6, 3, 2, 2)).toContain("p = 0이면 출력 2, p = 2이면 4"); // ⌊3/2⌋ + 1, ⌊7/2⌋ + 1
    expect(describePaddingGrowth(2, 3, 1, 1)).toContain("p = 0이면 창이 들어가지 않고, p = 1이면 출력이 2");
    expect(describePaddingGrowth(1, 7, 0, 1)).toContain("p = 1로도 창이 들어가지 않습니다");
  });

  test("same padding is (f − 1)/2 for odd f and keeps the size at stride 1", () => {
    expect(samePadding(5)).toBe(2);
    for (const f of [1, 3, 5, 7, 9]) expect(countPositions(20, f, samePadding(f), 1)).toBe(20);
    expect(() => samePadding(4)).toThrow(/odd kernel size/);
  });
});

describe("convOutputSize", () => {
  test("hand-worked values of ⌊(n + 2p − f)/s⌋ + 1", () => {
    expect(convOutputSize(6, 3)).toBe(4); // the notes' 6×6 * 3×3 → 4×4
    expect(convOutputSize(6, 3, 1)).toBe(6); // "same" padding keeps the size
    expect(convOutputSize(7, 3, 0, 2)).toBe(3);
    expect(convOutputSize(7, 3, 1, 2)).toBe(4);
    expect(convOutputSize(5, 2, 0, 2)).toBe(2); // the last column is skipped
    expect(convOutputSize(224, 11, 2, 4)).toBe(55); // AlexNet conv1
  });

  test("rejects a window that does not fit, with a readable message", () => {
    expect(() => convOutputSize(3, 5)).toThrow(/larger than the padded input/);
    expect(() => convOutputSize(5, 3, 0, 0)).toThrow(/s must be an integer ≥ 1/);
    expect(() => convOutputSize(5, 3, -1)).toThrow(/p must be/);
  });

  test("equals the real output shape of tf.conv2d on a grid of n, f, p, s", () => {
    for (let n = 1; n <= 9; n++) {
      for (let f = 1; f <= 5; f++) {
        for (let p = 0; p <= 2; p++) {
          for (let s = 1; s <= 3; s++) {
            if (f > n + 2 * p) continue;
            const shape = tf.tidy(
              () =>
                conv2d(tf.zeros([n, n, 1]) as tf.Tensor3D, tf.zeros([f, f, 1, 1]) as tf.Tensor4D, {
                  padding: p,
                  stride: s
                }).shape
            );
            expect(shape, `n=${n} f=${f} p=${p} s=${s}`).toEqual([
              convOutputSize(n, f, p, s),
              convOutputSize(n, f, p, s),
              1
            ]);
          }
        }
      }
    }
  });
});

describe("naiveConv2d", () => {
  test("Andrew Ng's vertical-edge example, worked by hand: a 10|0 step gives 0 30 30 0", () => {
    const row = [10, 10, 10, 0, 0, 0];
    const input = Array.from({length: 6}, () => row.map((v) => [v]));
    const kernel = VERTICAL.map((r) => r.map((v) => [[v]]));
    const out = naiveConv2d(input, kernel);
    expect(out.map((r) => r.map((c) => c[0]))).toEqual(Array.from({length: 4}, () => [0, 30, 30, 0]));
  });

  test("padding reads zeros: a 1×1 image of 1 with a 3×3 ones kernel and p = 1 gives 1", () => {
    const ones = [1, 1, 1].map(() => [1, 1, 1].map(() => [[1]]));
    expect(naiveConv2d([[[1]]], ones, {padding: 1})).toEqual([[[1]]]);
  });

  test("equals tf.conv2d over sizes, channels, paddings and strides (random inputs)", () => {
    let seed = 1;
    for (const n of [4, 5, 7, 8]) {
      for (const f of [1, 2, 3, 5]) {
        for (const p of [0, 1, 2]) {
          for (const s of [1, 2, 3]) {
            if (f > n + 2 * p) continue;
            for (const [cin, cout] of [
              [1, 1],
              [3, 2]
            ]) {
              const x = randomArray([n, n, cin], seed++) as Array3D;
              const k = randomArray([f, f, cin, cout], seed++) as Array4D;
              const expected = naiveConv2d(x, k, {padding: p, stride: s});
              const actual = tf.tidy(() => conv2d(tf.tensor3d(x), tf.tensor4d(k), {padding: p, stride: s}).arraySync());
              expect(maxAbsDiff(actual, expected), `n=${n} f=${f} p=${p} s=${s} c=${cin}→${cout}`).toBeLessThan(1e-5);
            }
          }
        }
      }
    }
  });

  test("convTerms lists the products whose sum is the output", () => {
    const x = randomArray([5, 5, 3], 7) as Array3D;
    const k = randomArray([3, 3, 3, 2], 8) as Array4D;
    const out = naiveConv2d(x, k, {padding: 1, stride: 2});
    const terms = convTerms(x, k, 1, 2, 1, {padding: 1, stride: 2});
    expect(terms).toHaveLength(27);
    expect(terms.reduce((a, t) => a + t.x * t.k, 0)).toBeCloseTo(out[1][2][1], 10);
  });

  test("a channel mismatch is reported", () => {
    const x = randomArray([4, 4, 3], 1) as Array3D;
    const k = randomArray([3, 3, 1, 1], 2) as Array4D;
    expect(() => naiveConv2d(x, k)).toThrow(/expects 1 input channel/);
    expect(() => tf.tidy(() => conv2d(tf.tensor3d(x), tf.tensor4d(k)))).toThrow(/expects 1 input channel/);
  });
});

describe("filter2d", () => {
  test("filters each channel on its own, like the naive loop per channel", () => {
    const x = randomArray([6, 7, 3], 3) as Array3D;
    const k = [
      [1, 2, 0],
      [-1, 0, 3],
      [0.5, 0, -2]
    ];
    const actual = tf.tidy(() => filter2d(tf.tensor3d(x), k, {padding: 1, stride: 2}).arraySync());
    for (let c = 0; c < 3; c++) {
      const channel = x.map((r) => r.map((v) => [v[c]]));
      const expected = naiveConv2d(
        channel,
        k.map((r) => r.map((v) => [[v]])),
        {padding: 1, stride: 2}
      );
      expect(
        maxAbsDiff(
          actual.map((r) => r.map((v) => v[c])),
          expected.map((r) => r.map((v) => v[0]))
        )
      ).toBeLessThan(1e-5);
    }
  });
});
