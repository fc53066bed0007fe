import {describe, expect, test} from "vitest";
import {checkKernel, KERNELS, SCHARR_X, SCHARR_Y, SOBEL_X, SOBEL_Y, transpose} from "../../../lib/ops/kernels.js";

describe("named kernels", () => {
  test("Sobel and Scharr equal their published values (OpenCV docs, imgproc 'Sobel Derivatives')", () => {
    // OpenCV: Gx = [-1 0 +1; -2 0 +2; -1 0 +1], Gy = [-1 -2 -1; 0 0 0; +1 +2 +1]
    expect(SOBEL_X).toEqual([
      [-1, 0, 1],
      [-2, 0, 2],
      [-1, 0, 1]
    ]);
    expect(SOBEL_Y).toEqual([
      [-1, -2, -1],
      [0, 0, 0],
      [1, 2, 1]
    ]);
    // OpenCV Scharr: Gx = [-3 0 +3; -10 0 +10; -3 0 +3], Gy = [-3 -10 -3; 0 0 0; +3 +10 +3]
    expect(SCHARR_X).toEqual([
      [-3, 0, 3],
      [-10, 0, 10],
      [-3, 0, 3]
    ]);
    expect(SCHARR_Y).toEqual([
      [-3, -10, -3],
      [0, 0, 0],
      [3, 10, 3]
    ]);
  });

  test("vertical and horizontal edge kernels are Andrew Ng's 3×3 detectors", () => {
    expect(KERNELS.vertical).toEqual([
      [1, 0, -1],
      [1, 0, -1],
      [1, 0, -1]
    ]);
    expect(KERNELS.horizontal).toEqual(transpose(KERNELS.vertical));
  });

  test("every derivative kernel sums to zero: a flat image gives no edge", () => {
    for (const k of Object.values(KERNELS)) expect(k.flat().reduce((a, b) => a + b, 0)).toBe(0);
  });

  test("checkKernel names what is wrong", () => {
    expect(() => checkKernel([])).toThrow(/non-empty/);
    expect(() => checkKernel([[1, 2], [3]])).toThrow(/row 1 has 1 entries, expected 2/);
    expect(() => checkKernel([[1, NaN]])).toThrow(/kernel\[0\]\[1\] is NaN/);
    expect(() => checkKernel(SOBEL_X)).not.toThrow();
  });
});
