/**
 * How well a derivative kernel measures the *direction* of an edge: the experiment behind the notes' claim
 * "Scharr는 정확도와 회전 불변성을 높인 버전" (chapter 1 「Filter」, claim F3).
 *
 * A plane wave I(x, y) = ½ + ½·sin(2π/λ · (x cos θ + y sin θ)) has its gradient along θ everywhere.
 * A perfect derivative filter would report atan2(Gy, Gx) = θ (mod 180°). A 3×3 kernel samples the wave
 * coarsely, so it reports a slightly wrong angle that depends on θ: the filter is not rotation invariant.
 * Scharr (2000) chose the smoothing weights [3 10 3] to make that error small for every θ.
 *
 * Everything here is measured with real convolutions of real images, not with the kernels' formulas.
 */
import {tf} from "../tf.js";
import {transpose, type Kernel2D} from "./kernels.js";
import {kernelTensor} from "./conv.js";

const DEG = 180 / Math.PI;

export interface WaveOptions {
  /** Width and height of each test image in pixels. Default 32. */
  size?: number;
  /** Wavelength λ of the pattern in pixels (≥ 2). Shorter waves are harder. Default 4. */
  wavelength?: number;
}

/** Plane waves at the given angles (degrees, y down): a batch [A, size, size, 1] with values in [0, 1]. */
export function planeWaves(anglesDeg: readonly number[], opts: WaveOptions = {}): tf.Tensor4D {
  const {size = 32, wavelength = 4} = opts;
  if (!(wavelength >= 2)) throw new RangeError(`the wavelength must be at least 2 pixels, got ${wavelength}`);
  const data = new Float32Array(anglesDeg.length * size * size);
  anglesDeg.forEach((deg, a) => {
    const c = Math.cos(deg / DEG);
    const s = Math.sin(deg / DEG);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        data[(a * size + y) * size + x] = 0.5 + 0.5 * Math.sin(((2 * Math.PI) / wavelength) * (x * c + y * s));
      }
    }
  });
  return tf.tensor4d(data, [anglesDeg.length, size, size, 1]);
}

/** Concentric rings I = ½ + ½·cos(2π r / λ) around the image centre, [size, size, 1]. Edges face every way. */
export function ringImage(size = 96, wavelength = 4): tf.Tensor3D {
  const data = new Float32Array(size * size);
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      data[y * size + x] = 0.5 + 0.5 * Math.cos(((2 * Math.PI) / wavelength) * Math.hypot(x - c, y - c));
    }
  }
  return tf.tensor3d(data, [size, size, 1]);
}

/** Wrap an angle difference in degrees into (−90°, 90°]: edge orientation is defined modulo 180°. */
export function wrapOrientation(deg: number): number {
  let d = deg % 180;
  if (d <= -90) d += 180;
  if (d > 90) d -= 180;
  return d;
}

export interface AngleError {
  /** The true angle θ of the wave, degrees. */
  angle: number;
  /** The measured angle minus θ, degrees, magnitude-weighted mean over the image. */
  error: number;
  /** Magnitude-weighted mean of |measured − θ|, degrees. */
  absError: number;
}

/**
 * Measure the angle error of a derivative kernel at each angle: convolve plane waves with kx and its
 * transpose, take atan2(Gy, Gx) at every pixel, and compare with θ.
 */
export function angleErrors(kx: Kernel2D, anglesDeg: readonly number[], opts: WaveOptions = {}): AngleError[] {
  const [gx, gy] = tf.tidy(() => {
    const waves = planeWaves(anglesDeg, opts); // [A, S, S, 1]
    const bank = tf.concat([kernelTensor(kx), kernelTensor(transpose(kx))], 3); // [3, 3, 1, 2]
    const g = tf.conv2d(waves, bank, 1, "valid"); // [A, S-2, S-2, 2]
    const [a, b] = tf.unstack(g, 3);
    return [a.reshape([anglesDeg.length, -1]), b.reshape([anglesDeg.length, -1])];
  });
  const gxs = gx.arraySync() as number[][];
  const gys = gy.arraySync() as number[][];
  tf.dispose([gx, gy]);
  return anglesDeg.map((angle, a) => {
    let wSum = 0;
    let eSum = 0;
    let absSum = 0;
    for (let i = 0; i < gxs[a].length; i++) {
      const m = Math.hypot(gxs[a][i], gys[a][i]);
      const e = wrapOrientation(Math.atan2(gys[a][i], gxs[a][i]) * DEG - angle);
      wSum += m;
      eSum += m * e;
      absSum += m * Math.abs(e);
    }
    return {angle, error: wSum > 0 ? eSum / wSum : NaN, absError: wSum > 0 ? absSum / wSum : NaN};
  });
}

/** Mean and maximum of the values that are numbers (a ring map's NaN pixels have no reliable direction). */
export function finiteStats(values: ArrayLike<number>): {mean: number; max: number; count: number} {
  let sum = 0;
  let max = -Infinity;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    sum += v;
    max = Math.max(max, v);
    count++;
  }
  return {mean: count ? sum / count : NaN, max: count ? max : NaN, count};
}

/** `angleErrors` for several named kernels, each row tagged with its kernel's name (one chart, one legend). */
export function sweepKernels(
  kernels: Record<string, Kernel2D>,
  anglesDeg: readonly number[],
  opts: WaveOptions = {}
): (AngleError & {kernel: string})[] {
  return Object.entries(kernels).flatMap(([kernel, k]) => angleErrors(k, anglesDeg, opts).map((d) => ({kernel, ...d})));
}

/** The largest |error| over a sweep, and the angle where it happens. */
export function worstCase(errors: readonly AngleError[]): AngleError {
  if (errors.length === 0) throw new RangeError("worstCase() needs at least one measured angle");
  return errors.reduce((worst, e) => (e.absError > worst.absError ? e : worst));
}

/**
 * Per-pixel |orientation error| in degrees on the ring image, [size−f+1, size−f+1] for an f×f kernel. Pixels
 * whose gradient magnitude is below `minMagnitude` × the maximum are NaN (no reliable direction there).
 */
export function ringErrorMap(kx: Kernel2D, size = 96, wavelength = 4, minMagnitude = 0.2): Float32Array {
  const [gx, gy] = tf.tidy(() => {
    const rings = ringImage(size, wavelength);
    const bank = tf.concat([kernelTensor(kx), kernelTensor(transpose(kx))], 3);
    const g = tf.conv2d(rings, bank, 1, "valid");
    return tf.unstack(g, 2);
  });
  const gxv = gx.dataSync();
  const gyv = gy.dataSync();
  tf.dispose([gx, gy]);
  const n = size - kx.length + 1;
  const offset = (kx.length - 1) / 2;
  const c = (size - 1) / 2;
  const out = new Float32Array(n * n);
  let maxMag = 0;
  for (let i = 0; i < out.length; i++) maxMag = Math.max(maxMag, Math.hypot(gxv[i], gyv[i]));
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const i = y * n + x;
      // the valid output pixel (y, x) sits over input pixel (y + offset, x + offset)
      const truth = Math.atan2(y + offset - c, x + offset - c) * DEG;
      const m = Math.hypot(gxv[i], gyv[i]);
      out[i] = m < minMagnitude * maxMag ? NaN : Math.abs(wrapOrientation(Math.atan2(gyv[i], gxv[i]) * DEG - truth));
    }
  }
  return out;
}

/**
 * Which way a kernel's measured angle leans between the exact angles 0°, 45° and 90°: "axis" when it is pulled
 * toward the nearer axis (negative error on 0°…45°, positive on 45°…90°), "diagonal" for the reverse, "mixed"
 * otherwise. Errors smaller than `tolerance` degrees count as exact.
 */
export function leaning(errors: readonly AngleError[], tolerance = 1e-3): "axis" | "diagonal" | "mixed" {
  const inner = errors.filter((e) => e.angle % 45 !== 0 && Math.abs(e.error) > tolerance);
  if (inner.length === 0) return "mixed";
  const towardAxis = (e: AngleError) => (e.angle % 90 < 45 ? e.error < 0 : e.error > 0);
  if (inner.every(towardAxis)) return "axis";
  if (inner.every((e) => !towardAxis(e))) return "diagonal";
  return "mixed";
}

/** One point of the wavelength sweep: a kernel's worst |angle error| over all angles at one wavelength. */
export interface WavelengthWorst {
  kernel: string;
  wavelength: number;
  /** Worst |angle error| over the angles measured, degrees. */
  worst: number;
}

export interface KernelSweepSummary {
  /** The wavelength where the worst error is largest, and that error. */
  largest: {wavelength: number; worst: number};
  /** The wavelength where the worst error is smallest, and that error. */
  smallest: {wavelength: number; worst: number};
  /** True when the worst error never rises as λ grows (the pattern gets coarser). */
  monotone: boolean;
  /** Each step between neighbouring wavelengths (in increasing λ) where the worst error rose. */
  rises: {from: number; to: number; fromWorst: number; toWorst: number}[];
}

export interface WavelengthSweepSummary {
  /** The wavelengths measured, increasing. */
  wavelengths: number[];
  /** Per kernel name. */
  kernels: Record<string, KernelSweepSummary>;
  /** worst(a) / worst(b) at each wavelength (a = the first kernel named, b = the second). */
  ratios: {wavelength: number; ratio: number}[];
  /** The smallest and the largest ratio, with their wavelengths (the first one found on ties). */
  minRatio: {wavelength: number; ratio: number};
  maxRatio: {wavelength: number; ratio: number};
  /** True when b's worst error is below a's at every wavelength. */
  bBelowEverywhere: boolean;
}

/**
 * Summarise a sweep of worst-case angle errors over wavelengths for two kernels `a` and `b` (default Sobel
 * and Scharr): where each kernel's error is largest, whether it falls steadily as the pattern gets coarser,
 * and how the ratio a/b moves. The page's sentences about the sweep are written from this, not by hand.
 */
export function summariseWavelengthSweep(
  rows: readonly WavelengthWorst[],
  a = "Sobel",
  b = "Scharr"
): WavelengthSweepSummary {
  const wavelengths = [...new Set(rows.map((d) => d.wavelength))].sort((x, y) => x - y);
  const worstOf = (kernel: string, wavelength: number) => {
    const row = rows.find((d) => d.kernel === kernel && d.wavelength === wavelength);
    if (!row) throw new RangeError(`the sweep has no ${kernel} row at λ = ${wavelength}`);
    return row.worst;
  };
  if (wavelengths.length === 0) throw new RangeError("summariseWavelengthSweep() needs at least one wavelength");
  const kernels: Record<string, KernelSweepSummary> = {};
  for (const kernel of [a, b]) {
    const points = wavelengths.map((wavelength) => ({wavelength, worst: worstOf(kernel, wavelength)}));
    const rises = [];
    for (let i = 1; i < points.length; i++) {
      if (points[i].worst > points[i - 1].worst) {
        rises.push({
          from: points[i - 1].wavelength,
          to: points[i].wavelength,
          fromWorst: points[i - 1].worst,
          toWorst: points[i].worst
        });
      }
    }
    kernels[kernel] = {
      largest: points.reduce((m, p) => (p.worst > m.worst ? p : m)),
      smallest: points.reduce((m, p) => (p.worst < m.worst ? p : m)),
      monotone: rises.length === 0,
      rises
    };
  }
  const ratios = wavelengths.map((wavelength) => ({
    wavelength,
    ratio: worstOf(a, wavelength) / worstOf(b, wavelength)
  }));
  return {
    wavelengths,
    kernels,
    ratios,
    minRatio: ratios.reduce((m, r) => (r.ratio < m.ratio ? r : m)),
    maxRatio: ratios.reduce((m, r) => (r.ratio > m.ratio ? r : m)),
    bBelowEverywhere: wavelengths.every((w) => worstOf(b, w) < worstOf(a, w))
  };
}

/** Degrees with three significant digits (9.85, 0.289, 0.0461): enough to see a rise from 0.289 to 0.309. */
export const formatDegrees = (v: number): string => `${Number(v.toPrecision(3))}°`;

/** A ratio with two significant digits: 2.5×, 11×, 4.0×. */
export const formatRatio = (v: number): string => `${v >= 10 ? Math.round(v) : v.toFixed(1)}×`;

/**
 * The page's sentences about a wavelength sweep (Korean), written from its summary: one per kernel (where its
 * worst error is largest and whether it falls steadily as λ grows), one comparing the two kernels, one on how
 * the ratio a/b moves. Conditions (angles, image size) are the page's to state.
 */
export function describeWavelengthSweep(s: WavelengthSweepSummary, a = "Sobel", b = "Scharr"): string[] {
  const px = (w: number) => `λ = ${w} px`;
  const last = s.wavelengths[s.wavelengths.length - 1];
  const perKernel = [a, b].map((name) => {
    const k = s.kernels[name];
    const range = `가장 큰 값은 ${px(k.largest.wavelength)}의 ${formatDegrees(k.largest.worst)}, 가장 작은 값은 ${px(k.smallest.wavelength)}의 ${formatDegrees(k.smallest.worst)}입니다`;
    if (k.monotone) {
      return `${name}의 최대 오차는 λ가 커질수록(무늬가 성길수록) 한 번도 커지지 않고 줄어듭니다: ${range}.`;
    }
    const rises = k.rises
      .map((r) => `${px(r.from)} → ${r.to} px에서 ${formatDegrees(r.fromWorst)} → ${formatDegrees(r.toWorst)}`)
      .join(", ");
    return `${name}의 최대 오차는 대체로 λ가 커질수록 줄지만 꼭 그렇지는 않습니다: ${rises}로 커집니다. ${range}.`;
  });
  const below = s.wavelengths.filter((w) => s.ratios.find((r) => r.wavelength === w)!.ratio <= 1);
  const compare = s.bBelowEverywhere
    ? `잰 ${s.wavelengths.length}개 파장 모두에서 ${b}의 최대 오차가 ${a}보다 작습니다.`
    : `${below.map(px).join(", ")}에서는 ${b}의 최대 오차가 ${a}보다 작지 않습니다.`;
  const lastRatio = s.ratios[s.ratios.length - 1];
  const ratio =
    `그 비율(${a} ÷ ${b})은 일정하지 않습니다: ${px(s.minRatio.wavelength)}에서 ${formatRatio(s.minRatio.ratio)}로 가장 작고, ` +
    `${px(s.maxRatio.wavelength)}에서 ${formatRatio(s.maxRatio.ratio)}로 가장 크며, 가장 성긴 ${px(last)}에서는 ${formatRatio(lastRatio.ratio)}입니다.`;
  return [...perKernel, compare, ratio];
}
