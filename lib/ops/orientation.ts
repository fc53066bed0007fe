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
