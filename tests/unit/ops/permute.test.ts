// Claim C5's pixel permutation: a true permutation, undone by its inverse, and invisible to an MLP whose
// first-layer rows are permuted the same way (the reason the MLP does not care).
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {
  inversePermutation,
  isPermutation,
  movedPositions,
  permutePixels,
  permuteRows,
  pixelPermutation
} from "../../../lib/ops/permute.js";
import {mlp} from "../../../lib/models/mlp.js";

describe("pixelPermutation", () => {
  test("holds every index once, is seeded, and moves almost every pixel", () => {
    const p = pixelPermutation(784, 5);
    expect(p.length).toBe(784);
    expect(isPermutation(p)).toBe(true);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({length: 784}, (_, i) => i));
    expect(Array.from(pixelPermutation(784, 5))).toEqual(Array.from(p));
    expect(Array.from(pixelPermutation(784, 6))).not.toEqual(Array.from(p));
    expect(movedPositions(p)).toBeGreaterThan(770); // a random permutation fixes about one point
  });
  test("isPermutation refuses repeats, gaps and fractions", () => {
    expect(isPermutation([2, 0, 1])).toBe(true);
    expect(isPermutation([0, 0, 1])).toBe(false);
    expect(isPermutation([0, 1, 3])).toBe(false);
    expect(isPermutation([0, 1.5, 2])).toBe(false);
    expect(() => inversePermutation([1, 1])).toThrow(/not a permutation/);
    expect(() => pixelPermutation(0, 1)).toThrow(RangeError);
  });
  test("the inverse, by hand", () => {
    expect(Array.from(inversePermutation([2, 0, 1]))).toEqual([1, 2, 0]);
  });
});

describe("permutePixels", () => {
  test("output pixel i is input pixel perm[i], by hand on a 2×2 image with two channels", () => {
    const x = tf.tensor4d([1, 10, 2, 20, 3, 30, 4, 40], [1, 2, 2, 2]);
    const y = permutePixels(x, [3, 0, 2, 1]);
    expect(Array.from(y.dataSync())).toEqual([4, 40, 1, 10, 3, 30, 2, 20]);
    tf.dispose([x, y]);
  });
  test("the inverse permutation restores MNIST-sized images exactly", () => {
    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, "float32", 2) as tf.Tensor4D;
    const p = pixelPermutation(784, 11);
    const y = permutePixels(x, p);
    const back = permutePixels(y, inversePermutation(p));
    expect(Array.from(back.dataSync())).toEqual(Array.from(x.dataSync()));
    expect(Array.from(y.dataSync())).not.toEqual(Array.from(x.dataSync()));
    // the same values, rearranged: the sums per image are unchanged
    expect(Array.from(tf.tidy(() => y.sum([1, 2, 3]).dataSync()))).toEqual(
      Array.from(tf.tidy(() => x.sum([1, 2, 3]).dataSync())).map((v) => expect.closeTo(v, 3))
    );
    tf.dispose([x, y, back]);
  });
  test("refuses a permutation of the wrong length", () => {
    const x = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
    expect(() => permutePixels(x, [0, 1, 2])).toThrow(/2×2/);
    x.dispose();
  });
});

describe("why the MLP does not care", () => {
  test("permuteRows by hand: x·W = permuted x · permuted W", () => {
    const w = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]); // rows r0, r1, r2
    const moved = permuteRows(w, [2, 0, 1]);
    expect(moved.arraySync()).toEqual([
      [5, 6],
      [1, 2],
      [3, 4]
    ]);
    tf.dispose([w, moved]);
  });

  test("an MLP with its first-layer rows permuted gives identical outputs on permuted input", () => {
    const p = pixelPermutation(784, 3);
    const original = mlp({}, 1);
    const permuted = mlp({}, 2); // other weights, overwritten below
    const [kernel, bias] = original.getLayer("fc1").getWeights();
    const movedKernel = permuteRows(kernel as tf.Tensor2D, p);
    permuted.getLayer("fc1").setWeights([movedKernel, bias]);
    permuted.getLayer("classifier").setWeights(original.getLayer("classifier").getWeights());
    const x = tf.randomUniform([5, 28, 28, 1], 0, 1, "float32", 9) as tf.Tensor4D;
    const px = permutePixels(x, p);
    const a = original.predict(x) as tf.Tensor;
    const b = permuted.predict(px) as tf.Tensor;
    const c = original.predict(px) as tf.Tensor; // the unpermuted weights on permuted input: different
    const diff = tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);
    const other = tf.tidy(() => a.sub(c).abs().max().dataSync()[0]);
    expect(diff).toBeLessThan(1e-5);
    expect(other).toBeGreaterThan(1e-3);
    tf.dispose([movedKernel, x, px, a, b, c]);
    original.dispose();
    permuted.dispose();
  });
});
