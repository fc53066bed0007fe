// Softmax and cross-entropy of one example, against a naive loop and numbers worked by hand.
import {expect, test} from "vitest";
import {softmaxCrossEntropy} from "../../../lib/ops/softmax.js";

function naive(z: number[], y: number) {
  const e = z.map(Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  const p = e.map((v) => v / s);
  return {p, loss: -Math.log(p[y])};
}

test("by hand: equal logits give 1/n each and loss log n", () => {
  const r = softmaxCrossEntropy([0, 0, 0, 0], 2);
  r.probs.forEach((p) => expect(p).toBeCloseTo(0.25, 6));
  expect(r.loss).toBeCloseTo(Math.log(4), 5);
  expect(r.pTrue).toBeCloseTo(0.25, 6);
});

test("by hand: logits [ln 1, ln 3] give p = [0.25, 0.75]", () => {
  const r = softmaxCrossEntropy([0, Math.log(3)], 0);
  expect(r.probs[0]).toBeCloseTo(0.25, 6);
  expect(r.probs[1]).toBeCloseTo(0.75, 6);
  expect(r.predicted).toBe(1);
  expect(r.loss).toBeCloseTo(Math.log(4), 5);
});

test("agrees with a naive loop; large logits stay finite", () => {
  const z = [2.0, -1.0, 0.5, 3.2, 0, -2, 1, 0.1, -0.3, 1.7];
  for (const y of [0, 3, 9]) {
    const r = softmaxCrossEntropy(z, y);
    const ref = naive(z, y);
    r.probs.forEach((p, i) => expect(p).toBeCloseTo(ref.p[i], 6));
    expect(r.loss).toBeCloseTo(ref.loss, 5);
  }
  const big = softmaxCrossEntropy([1000, 0], 1);
  expect(big.loss).toBeCloseTo(1000, 1);
  expect(big.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
});

test("refuses an empty vector, a label out of range, NaN", () => {
  expect(() => softmaxCrossEntropy([], 0)).toThrow(RangeError);
  expect(() => softmaxCrossEntropy([1, 2], 2)).toThrow(/label/);
  expect(() => softmaxCrossEntropy([1, NaN], 0)).toThrow(/finite/);
});
