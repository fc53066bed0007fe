import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {
  angleErrors,
  describeWavelengthSweep,
  finiteStats,
  formatDegrees,
  formatRatio,
  leaning,
  planeWaves,
  ringErrorMap,
  summariseWavelengthSweep,
  sweepKernels,
  worstCase,
  wrapOrientation,
  type WavelengthWorst
} from "../../../lib/ops/orientation.js";
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

  test("finiteStats skips NaN pixels", () => {
    expect(finiteStats(new Float32Array([1, NaN, 3]))).toEqual({mean: 2, max: 3, count: 2});
    expect(finiteStats([NaN]).count).toBe(0);
  });

  test("sweepKernels tags each kernel's rows with its name, in order", () => {
    const rows = sweepKernels({Sobel: SOBEL_X, Scharr: SCHARR_X}, [0, 20], {wavelength: 5});
    expect(rows.map((d) => [d.kernel, d.angle])).toEqual([
      ["Sobel", 0],
      ["Sobel", 20],
      ["Scharr", 0],
      ["Scharr", 20]
    ]);
    expect(rows[1].error).toBeCloseTo(angleErrors(SOBEL_X, [20], {wavelength: 5})[0].error, 6);
  });

  test("between the exact angles both kernels lean toward the nearer axis at λ = 4 (the frequency response agrees)", () => {
    const sobel = angleErrors(SOBEL_X, ANGLES, {wavelength: 4});
    expect(leaning(sobel)).toBe("axis");
    expect(leaning(angleErrors(SCHARR_X, ANGLES, {wavelength: 4}))).toBe("axis");
    expect(analyticError(1, 2, 20, 4)).toBeLessThan(0); // 20° is read as less than 20°: toward 0°
    expect(leaning(sobel.map((e) => ({...e, error: -e.error})))).toBe("diagonal");
    expect(leaning(sobel.map((e) => ({...e, error: e.angle === 10 ? -e.error : e.error})))).toBe("mixed");
    expect(leaning([{angle: 0, error: 0, absError: 0}])).toBe("mixed");
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

describe("the wavelength sweep's summary (the sentences under F3's second chart)", () => {
  // the page's sweep: worst case over 0°…90° in 1° steps on 24×24 plane waves
  const WAVELENGTHS = [2.5, 3, 4, 5, 6, 8, 12, 16, 24, 32];
  const sweep: WavelengthWorst[] = WAVELENGTHS.flatMap((wavelength) =>
    (
      [
        ["Sobel", SOBEL_X],
        ["Scharr", SCHARR_X]
      ] as const
    ).map(([kernel, k]) => ({
      kernel,
      wavelength,
      worst: worstCase(angleErrors(k, ANGLES, {wavelength, size: 24})).absError
    }))
  );

  test("measured: Sobel falls steadily, Scharr rises once (λ 4 → 5), the ratio runs 2.5× → 11× → 4×", () => {
    const s = summariseWavelengthSweep(sweep);
    expect(s.wavelengths).toEqual(WAVELENGTHS);
    expect(s.kernels.Sobel.monotone).toBe(true);
    expect(s.kernels.Sobel.largest.wavelength).toBe(2.5);
    expect(s.kernels.Scharr.monotone).toBe(false);
    expect(s.kernels.Scharr.rises.map((r) => [r.from, r.to])).toEqual([[4, 5]]);
    // the frequency-response reference gives the same two numbers (0.289° and 0.309°)
    const analyticWorst = (wavelength: number) =>
      Math.max(...ANGLES.map((deg) => Math.abs(analyticError(3, 10, deg, wavelength))));
    expect(s.kernels.Scharr.rises[0].fromWorst).toBeCloseTo(analyticWorst(4), 2);
    expect(s.kernels.Scharr.rises[0].toWorst).toBeCloseTo(analyticWorst(5), 2);
    expect(s.bBelowEverywhere).toBe(true);
    expect(s.minRatio.wavelength).toBe(2.5);
    expect(s.minRatio.ratio).toBeCloseTo(2.5, 0);
    expect(s.maxRatio.wavelength).toBe(4);
    expect(s.maxRatio.ratio).toBeGreaterThan(10);
    expect(s.ratios.at(-1)!.ratio).toBeCloseTo(4, 0);
  });

  test("the sentences state what the summary found, with its numbers", () => {
    const s = summariseWavelengthSweep(sweep);
    const [sobel, scharr, compare, ratio] = describeWavelengthSweep(s);
    expect(sobel).toContain("한 번도 커지지 않고");
    expect(sobel).toContain(`λ = 2.5 px의 ${formatDegrees(s.kernels.Sobel.largest.worst)}`);
    expect(scharr).toContain("꼭 그렇지는 않습니다");
    expect(scharr).toContain("λ = 4 px → 5 px에서 0.289° → 0.309°");
    expect(compare).toBe("잰 10개 파장 모두에서 Scharr의 최대 오차가 Sobel보다 작습니다.");
    expect(ratio).toContain("λ = 2.5 px에서 2.5×로 가장 작고");
    expect(ratio).toContain("λ = 4 px에서 11×로 가장 크며");
    expect(ratio).toContain("λ = 32 px에서는 4.0×");
  });

  test("other outcomes give other sentences (hand-made sweeps)", () => {
    const rows = (a: number[], b: number[]) =>
      [1, 2, 3].flatMap((wavelength, i) => [
        {kernel: "A", wavelength, worst: a[i]},
        {kernel: "B", wavelength, worst: b[i]}
      ]);
    const s = summariseWavelengthSweep(rows([3, 2, 1], [1, 3, 0.5]), "A", "B");
    expect(s.kernels.A.monotone).toBe(true);
    expect(s.kernels.B.largest).toEqual({wavelength: 2, worst: 3});
    expect(s.bBelowEverywhere).toBe(false);
    expect(s.minRatio).toEqual({wavelength: 2, ratio: 2 / 3});
    expect(s.maxRatio).toEqual({wavelength: 1, ratio: 3});
    const [, b, compare] = describeWavelengthSweep(s, "A", "B");
    expect(b).toContain("λ = 1 px → 2 px에서 1° → 3°");
    expect(compare).toBe("λ = 2 px에서는 B의 최대 오차가 A보다 작지 않습니다.");
    expect(() => summariseWavelengthSweep([{kernel: "A", wavelength: 1, worst: 1}], "A", "B")).toThrow(/no B row/);
    expect(formatDegrees(0.28883)).toBe("0.289°");
    expect(formatRatio(11.23)).toBe("11×");
    expect(formatRatio(4.03)).toBe("4.0×");
  });
});
