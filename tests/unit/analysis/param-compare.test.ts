import {expect, test} from "vitest";
import {convLayerParams, convVsDenseParams} from "../../../lib/analysis/param-compare.js";

test("by hand: conv (3·3·3+1)·32 at every size; FC (H·W·3 + 1)·32", () => {
  const rows = convVsDenseParams([28, 224]);
  expect(rows).toEqual([
    {size: 28, layer: "conv 3×3", params: 896},
    {size: 28, layer: "FC", params: (28 * 28 * 3 + 1) * 32},
    {size: 224, layer: "conv 3×3", params: 896},
    {size: 224, layer: "FC", params: (224 * 224 * 3 + 1) * 32}
  ]);
});

test("a conv layer's count is (f·f·c_in + 1)·c_out and ignores the input size", () => {
  expect(convLayerParams(5, 16, 32)).toBe(12_832);
  expect(convLayerParams(5, 16, 32, 64)).toBe(12_832);
  expect(convLayerParams(1, 1, 1)).toBe(2);
});
