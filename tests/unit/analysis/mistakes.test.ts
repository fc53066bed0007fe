import {expect, test} from "vitest";
import {confidentMistakes} from "../../../lib/analysis/mistakes.js";

test("by hand: three mistakes out of five, the surest first", () => {
  const r = confidentMistakes([1, 2, 3, 4, 5], [1, 7, 3, 9, 0], [0.9, 0.6, 0.99, 0.95, 0.6]);
  expect(r.count).toBe(3);
  expect(r.top.map((m) => m.index)).toEqual([3, 1, 4]); // 0.95, then the 0.6 tie in test order
  expect(r.top[0]).toEqual({index: 3, label: 4, predicted: 9, confidence: 0.95});
  expect(confidentMistakes([1, 2, 3, 4, 5], [1, 7, 3, 9, 0], [0.9, 0.6, 0.99, 0.95, 0.6], 1).top).toHaveLength(1);
});

test("no mistakes, and mismatched lengths", () => {
  expect(confidentMistakes([1], [1], [0.5])).toEqual({count: 0, top: []});
  expect(() => confidentMistakes([1, 2], [1], [0.5])).toThrow(RangeError);
});
