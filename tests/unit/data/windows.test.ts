/** Chapter 4 「RNN」: forecasting windows, against a hand example; no look-ahead. */
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {meanStd, seriesWindows} from "../../../lib/data/windows.js";

const dispose = (w: ReturnType<typeof seriesWindows>) => tf.dispose([w.train.xs, w.train.ys, w.test.xs, w.test.ys]);

describe("seriesWindows", () => {
  test("hand example: 1…10, window 3, 30 % test", () => {
    const values = Array.from({length: 10}, (_, i) => i + 1);
    const w = seriesWindows(values, {window: 3, testFraction: 0.3});
    // training part 1…7: mean 4, std 2
    expect(w.mean).toBe(4);
    expect(w.std).toBe(2);
    expect(w.testStart).toBe(7);
    expect(w.trainTargetStart).toBe(3);
    expect(w.train.xs.shape).toEqual([4, 3, 1]);
    expect(w.test.xs.shape).toEqual([3, 3, 1]);
    expect(w.train.xs.arraySync()[0].flat()).toEqual([-1.5, -1, -0.5]);
    expect(w.train.ys.arraySync().flat()).toEqual([0, 0.5, 1, 1.5]); // values 4…7
    expect(w.test.xs.arraySync()[0].flat()).toEqual([0.5, 1, 1.5]); // values 5, 6, 7
    expect(w.test.ys.arraySync().flat()).toEqual([2, 2.5, 3]); // values 8, 9, 10
    dispose(w);
  });

  test("horizon 2: the target is two steps after the window", () => {
    const values = Array.from({length: 10}, (_, i) => i * i);
    const w = seriesWindows(values, {window: 2, horizon: 2, testFraction: 0.2});
    const back = (z: number) => z * w.std + w.mean;
    const x0 = w.train.xs.arraySync()[0].flat().map(back);
    expect(x0[0]).toBeCloseTo(0, 4);
    expect(x0[1]).toBeCloseTo(1, 4);
    expect(back(w.train.ys.arraySync()[0][0])).toBeCloseTo(9, 4); // values[3]
    expect(w.trainTargetStart).toBe(3);
    expect(back(w.test.ys.arraySync()[0][0])).toBeCloseTo(values[w.testStart], 3);
    dispose(w);
  });

  test("no look-ahead: changing the test part changes nothing of the training data or the normalisation", () => {
    const a = Array.from({length: 60}, (_, i) => Math.sin(i / 4) + i / 30);
    const b = a.map((v, i) => (i >= 45 ? v * 10 + 5 : v));
    const wa = seriesWindows(a, {window: 8, testFraction: 0.25});
    const wb = seriesWindows(b, {window: 8, testFraction: 0.25});
    expect(wa.testStart).toBe(45);
    expect(wb.mean).toBe(wa.mean);
    expect(wb.std).toBe(wa.std);
    expect(wb.train.xs.arraySync()).toEqual(wa.train.xs.arraySync());
    expect(wb.train.ys.arraySync()).toEqual(wa.train.ys.arraySync());
    expect(wb.test.ys.arraySync()).not.toEqual(wa.test.ys.arraySync());
    expect(meanStd(a, 45)).toEqual({mean: wa.mean, std: wa.std});
    dispose(wa);
    dispose(wb);
  });

  test("too short a series is refused", () => {
    expect(() => seriesWindows([1, 2, 3], {window: 3, testFraction: 0.5})).toThrow();
  });
});
