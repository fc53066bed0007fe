import {describe, expect, test} from "vitest";
import {centreOfMass, preprocessDigit, resizeArea} from "../../../lib/data/digit.js";

describe("resizeArea", () => {
  test("2×2 → 1×1 is the mean; 4×2 → 2×1 averages pairs (by hand)", () => {
    expect(Array.from(resizeArea(Float32Array.from([1, 0, 0, 1]), 2, 2, 1, 1))).toEqual([0.5]);
    expect(Array.from(resizeArea(Float32Array.from([1, 1, 0, 0, 1, 1, 0, 0]), 4, 2, 2, 1))).toEqual([1, 0]);
  });
});

describe("preprocessDigit", () => {
  test("an off-centre bar of 20×60 px in a 200×200 drawing becomes a centred 7×20 bar", () => {
    const w = 200;
    const ink = new Float32Array(w * w);
    for (let y = 10; y < 70; y++) for (let x = 150; x < 170; x++) ink[y * w + x] = 1;
    const r = preprocessDigit(ink, w, w);
    expect(r.box).toEqual([150, 10, 170, 70]);
    expect(r.size).toEqual([7, 20]); // 20·(20/60) = 6.67 → 7 wide, 20 tall
    const [cx, cy] = centreOfMass(r.input);
    expect(Math.abs(cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(cy - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.max(...r.input)).toBeLessThanOrEqual(1);
  });
  test("nothing drawn gives an empty input and no box; a wrong size is refused", () => {
    const r = preprocessDigit(new Float32Array(100), 10, 10);
    expect(r.box).toBeNull();
    expect(r.input.every((v) => v === 0)).toBe(true);
    expect(() => preprocessDigit(new Float32Array(5), 10, 10)).toThrow(/not 10×10/);
  });
});
