import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {angleErrors, planeWaves, ringErrorMap, worstCase, wrapOrientation} from "../../../lib/ops/orientation.js";
import {SCHARR_X, SOBEL_X} from "../../../lib/ops/kernels.js";

const ANGLES = Array.from({length: 91}, (_, i) => i);

/**
 * Independent reference: the angle a separable 3×3 derivative kernel reports on a plane wave, from its
 * frequency response. For kx = s ⊗ [-1 0 1] with smoothing s = [s0 s1 s0], a wave with wave-vector
 * (ωx, ωy) gives Gx ∝ sin ωx · (s1 + 2 s0 cos ωy) and Gy ∝ sin ωy · (s1 + 2 s0 cos ωx).
 */
function analyticError(s0: number, s1: number, deg: number, wavelength: number): number {
  const w = (2 * Math.PI) / wavelength;
  const [wx, wy] = [w * Math.cos((deg * Math.PI) / 180), w * Math.sin((deg * Math.PI) / 180)];
  const est = Math.atan2(Math.sin(wy) * (s1 + 2 * s0 * Math.cos(wx)), Math.sin(wx) * (s1 + 2 * s0 * Math.cos(wy)));
  return wrapOrientation((est * 180) / Math.PI - deg);
}

describe("orientation error of derivative kernels (claim F3)", () => {
  test("wrapOrientation folds angles into (−90°, 90°]", () => {
    expect(wrapOrientation(181)).toBeCloseTo(1);
    expect(wrapOrientation(-95)).toBeCloseTo(85);
    expect(wrapOrientation(90)).toBe(90);
    expect(wrapOrientation(-90)).toBe(90);
  });

  test("plane waves have the requested shape and range", () => {
    const w = planeWaves([0, 30], {size: 16, wavelength: 5});
    expect(w.shape).toEqual([2, 16, 16, 1]);
    const [lo, hi] = tf.tidy(() => [w.min().dataSync()[0], w.max().dataSync()[0]]);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    w.dispose();
    expect(() => planeWaves([0], {wavelength: 1})).toThrow(/at least 2 pixels/);
  });

  test("the measured error equals the frequency-response prediction", () => {
    for (const wavelength of [3, 4, 6, 10]) {
      const sobel = angleErrors(SOBEL_X, ANGLES, {wavelength});
      const scharr = angleErrors(SCHARR_X, ANGLES, {wavelength});
      for (const deg of ANGLES) {
        expect(sobel[deg].error, `Sobel λ=${wavelength} θ=${deg}`).toBeCloseTo(analyticError(1, 2, deg, wavelength), 2);
        expect(scharr[deg].error, `Scharr λ=${wavelength} θ=${deg}`).toBeCloseTo(
          analyticError(3, 10, deg, wavelength),
          2
        );
      }
    }
  });

  test("axis-aligned and diagonal edges are exact for both kernels (symmetry)", () => {
    for (const k of [SOBEL_X, SCHARR_X]) {
      const e = angleErrors(k, [0, 45, 90], {wavelength: 4});
      for (const {absError} of e) expect(absError).toBeLessThan(1e-3);
    }
  });

  test("Scharr's worst-case angle error is below Sobel's at every wavelength tried", () => {
    for (const wavelength of [3, 4, 5, 6, 8, 12, 16]) {
      const sobel = worstCase(angleErrors(SOBEL_X, ANGLES, {wavelength}));
      const scharr = worstCase(angleErrors(SCHARR_X, ANGLES, {wavelength}));
      expect(scharr.absError, `λ=${wavelength}`).toBeLessThan(sobel.absError);
    }
    // at λ = 4 pixels the difference is large: several degrees for Sobel, well under one for Scharr
    const sobel4 = worstCase(angleErrors(SOBEL_X, ANGLES, {wavelength: 4})).absError;
    const scharr4 = worstCase(angleErrors(SCHARR_X, ANGLES, {wavelength: 4})).absError;
    expect(sobel4).toBeGreaterThan(3);
    expect(scharr4).toBeLessThan(sobel4 / 3);
  });

  test("the ring map follows the kernel's size", () => {
    const k5 = [
      [-1, -2, 0, 2, 1],
      [-4, -8, 0, 8, 4],
      [-6, -12, 0, 12, 6],
      [-4, -8, 0, 8, 4],
      [-1, -2, 0, 2, 1]
    ];
    const map = ringErrorMap(k5, 40, 6);
    expect(map.length).toBe(36 * 36);
    expect(Array.from(map).some((v) => Number.isNaN(v))).toBe(true);
    expect(
      Array.from(map)
        .filter((v) => !Number.isNaN(v))
        .every((v) => v >= 0 && v <= 90)
    ).toBe(true);
  });

  test("on concentric rings, Scharr's mean pixel error is below Sobel's", () => {
    const mean = (a: Float32Array) => {
      const v = Array.from(a).filter((x) => !Number.isNaN(x));
      return v.reduce((s, x) => s + x, 0) / v.length;
    };
    const sobel = ringErrorMap(SOBEL_X, 64, 4);
    const scharr = ringErrorMap(SCHARR_X, 64, 4);
    expect(sobel.length).toBe(62 * 62);
    expect(mean(scharr)).toBeLessThan(mean(sobel));
  });
});

test("no tensors left behind by the sweeps", () => {
  const before = tf.memory().numTensors;
  angleErrors(SOBEL_X, ANGLES);
  ringErrorMap(SCHARR_X, 32, 4);
  expect(tf.memory().numTensors).toBe(before);
});
