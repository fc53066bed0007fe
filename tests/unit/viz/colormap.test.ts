import {expect, test} from "vitest";
import {colorAt, mapToRgba, valueRange} from "../../../lib/viz/colormap.js";

test("colour maps hit their end colours and clamp", () => {
  expect(colorAt("gray", 0)).toEqual([0, 0, 0, 255]);
  expect(colorAt("gray", 1)).toEqual([255, 255, 255, 255]);
  expect(colorAt("gray", 2)).toEqual([255, 255, 255, 255]);
  expect(colorAt("gray", 0.5)).toEqual([128, 128, 128, 255]);
  expect(colorAt("diverging", 0.5)).toEqual([247, 247, 247, 255]);
  expect(colorAt("magma", NaN)).toEqual([0, 0, 0, 0]);
});

test("the diverging range is symmetric about zero, so 0 is drawn white", () => {
  expect(valueRange([-1, 3], {cmap: "diverging"})).toEqual([-3, 3]);
  expect(valueRange([-1, 3])).toEqual([-1, 3]);
  expect(valueRange([2, 2])).toEqual([2, 3]);
  const rgba = mapToRgba([-3, 0, 3], {cmap: "diverging"});
  expect(Array.from(rgba.slice(4, 8))).toEqual([247, 247, 247, 255]);
});
