/**
 * Convolution for chapter 1 「Filter」: the output-size formula, a convolution with zero padding and stride
 * on TF.js, and a naive loop-based reference that spells out the sum the formula counts.
 *
 * Layout is TF.js's NHWC: an image is [H, W, C], a kernel bank is [f, f, C_in, C_out].
 * Like every deep-learning "convolution", these compute cross-correlation (the kernel is not flipped).
 */
import {withParticle} from "../korean.js";
import {tf} from "../tf.js";
import {checkKernel, type Kernel2D} from "./kernels.js";

export interface ConvOptions {
  /** Zero padding p added on every side. Default 0. */
  padding?: number;
  /** Step s between window positions, in both directions. Default 1. */
  stride?: number;
}

/**
 * Output size along one axis: ⌊(n + 2p − f) / s⌋ + 1.
 * Throws a RangeError with a readable message when the window does not fit or a size is not a whole number.
 */
export function convOutputSize(n: number, f: number, padding = 0, stride = 1): number {
  for (const [name, v, min] of [
    ["n", n, 1],
    ["f", f, 1],
    ["p", padding, 0],
    ["s", stride, 1]
  ] as const) {
    if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${v}`);
  }
  if (f > n + 2 * padding) {
    throw new RangeError(`the ${f}×${f} filter is larger than the padded input (n + 2p = ${n + 2 * padding})`);
  }
  return Math.floor((n + 2 * padding - f) / stride) + 1;
}

/**
 * How two neighbouring windows sit along one axis, for a window of f and a stride s: they share f − s
 * columns when s < f (the windows overlap), touch when s = f, and leave s − f columns that no window
 * reads when s > f. (The notes' "겹치지 않고" holds only for s ≥ f.)
 */
export function windowOverlap(f: number, s: number): {overlap: number; gap: number} {
  return {overlap: Math.max(f - s, 0), gap: Math.max(s - f, 0)};
}

/**
 * How much a padding p grows the output along one axis: ⌊(n + 2p − f)/s⌋ − ⌊(n − f)/s⌋. Padding adds 2p to
 * the input, but the output grows by 2p only when s = 1; in general by ⌊2p/s⌋ or ⌈2p/s⌉. `without` is null
 * (and so is `growth`) when the window does not fit the unpadded input.
 */
export function paddingGrowth(
  n: number,
  f: number,
  p: number,
  s = 1
): {without: number | null; padded: number; growth: number | null} {
  const padded = convOutputSize(n, f, p, s);
  const without = f <= n ? convOutputSize(n, f, 0, s) : null;
  return {without, padded, growth: without === null ? null : padded - without};
}

/** The page's sentence (Korean) on how neighbouring windows sit for the reader's f and s. */
export function describeOverlap(f: number, s: number): string {
  const {overlap, gap} = windowOverlap(f, s);
  if (overlap > 0) return `f = ${f}, s = ${s}: 이웃한 두 창은 f − s = ${overlap}열을 함께 읽습니다. 창이 겹칩니다.`;
  if (gap > 0) return `f = ${f}, s = ${s}: 두 창 사이의 s − f = ${gap}열은 어떤 창도 읽지 않습니다.`;
  return `f = s = ${f}: 이웃한 두 창은 딱 붙어, 겹치지도 건너뛰지도 않습니다.`;
}

/**
 * The page's sentence (Korean) on what a padding does to the output for the reader's n, f, p and s. With p = 0
 * it shows p = 1, so the sentence always compares two paddings.
 */
export function describePaddingGrowth(n: number, f: number, p: number, s: number): string {
  const q = Math.max(p, 1);
  if (f > n + 2 * q) return `n = ${n}, f = ${f}: p = ${q}로도 창이 들어가지 않습니다.`;
  const g = paddingGrowth(n, f, q, s);
  if (g.without === null) {
    return `n = ${n}, f = ${f}, s = ${s}: p = 0이면 창이 들어가지 않고, p = ${q}이면 출력이 ${g.padded}입니다.`;
  }
  // for s ≥ 2 and p ≥ 1 the growth is at most ⌈2p/s⌉ ≤ p < 2p, never 2p
  const why =
    s === 1
      ? "s = 1이므로 정확히 2p입니다"
      : `${withParticle(`2p = ${2 * q}`, "이/가")} 아닙니다: s = ${s}이면 2p/s = ${Number(((2 * q) / s).toFixed(2))}의 내림 또는 올림만큼만 커집니다`;
  return (
    `n = ${n}, f = ${f}, s = ${s}: p = 0이면 출력 ${g.without}, p = ${q}이면 ${g.padded}. ` +
    `입력은 2p = ${2 * q}칸 커졌고 출력은 ${g.growth}칸 커졌습니다 (${why}).`
  );
}

/** The padding that keeps the size at stride 1 ("same"): p = (f − 1)/2, a whole number only for odd f. */
export function samePadding(f: number): number {
  if (!Number.isInteger(f) || f < 1 || f % 2 === 0) {
    throw new RangeError(`same padding needs an odd kernel size f (it is (f − 1)/2 on each side), got ${f}`);
  }
  return (f - 1) / 2;
}

/** A 2-D kernel as a [f_h, f_w, 1, 1] tensor for `tf.conv2d`. */
export function kernelTensor(k: Kernel2D): tf.Tensor4D {
  checkKernel(k);
  return tf.tensor4d(k.flat(), [k.length, k[0].length, 1, 1]);
}

/**
 * `tf.conv2d` with symmetric zero padding and a stride. Accepts an image [H, W, C] or a batch [B, H, W, C];
 * returns the same rank. The caller owns (disposes) the result.
 */
export function conv2d<T extends tf.Tensor3D | tf.Tensor4D>(input: T, kernel: tf.Tensor4D, opts: ConvOptions = {}): T {
  const {padding = 0, stride = 1} = opts;
  const [h, w] = input.rank === 3 ? input.shape : input.shape.slice(1);
  const [fh, fw, cin] = kernel.shape;
  const cinInput = input.shape[input.rank - 1];
  if (cin !== cinInput) {
    throw new RangeError(`the kernel expects ${cin} input channel(s), the input has ${cinInput}`);
  }
  convOutputSize(h, fh, padding, stride);
  convOutputSize(w, fw, padding, stride);
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [
    [0, 0],
    [padding, padding],
    [padding, padding],
    [0, 0]
  ];
  return tf.conv2d(input, kernel, stride, pad) as T;
}

/**
 * Apply one 2-D kernel to every channel of an image [H, W, C] separately (as image-processing filters do).
 * Returns [H', W', C]. The caller disposes the result.
 */
export function filter2d(image: tf.Tensor3D, k: Kernel2D, opts: ConvOptions = {}): tf.Tensor3D {
  return tf.tidy(() => {
    const channels = image.shape[2];
    const kt = kernelTensor(k);
    // [f, f, 1, 1] -> [f, f, C, 1]: depthwise, one copy of the kernel per channel
    const depthwise = channels === 1 ? kt : tf.tile(kt, [1, 1, channels, 1]);
    const {padding = 0, stride = 1} = opts;
    convOutputSize(image.shape[0], k.length, padding, stride);
    convOutputSize(image.shape[1], k[0].length, padding, stride);
    const padded =
      padding > 0
        ? tf.pad(image, [
            [padding, padding],
            [padding, padding],
            [0, 0]
          ])
        : image;
    return tf.depthwiseConv2d(padded, depthwise as tf.Tensor4D, stride, "valid");
  });
}

/** An image as nested arrays, [H][W][C]. */
export type Array3D = number[][][];
/** A kernel bank as nested arrays, [f_h][f_w][C_in][C_out]. */
export type Array4D = number[][][][];

/**
 * The reference convolution: four nested loops, written to be read.
 * out[i][j][o] = Σ_u Σ_v Σ_c  x_pad[i·s + u][j·s + v][c] · k[u][v][c][o]
 */
export function naiveConv2d(input: Array3D, kernel: Array4D, opts: ConvOptions = {}): Array3D {
  const {padding: p = 0, stride: s = 1} = opts;
  const h = input.length;
  const w = input[0].length;
  const cin = input[0][0].length;
  const fh = kernel.length;
  const fw = kernel[0].length;
  const cout = kernel[0][0][0].length;
  if (kernel[0][0].length !== cin) {
    throw new RangeError(`the kernel expects ${kernel[0][0].length} input channel(s), the input has ${cin}`);
  }
  const ho = convOutputSize(h, fh, p, s);
  const wo = convOutputSize(w, fw, p, s);
  // reading outside the image returns the zero padding
  const at = (y: number, x: number, c: number) => (y < 0 || y >= h || x < 0 || x >= w ? 0 : input[y][x][c]);
  const out: Array3D = [];
  for (let i = 0; i < ho; i++) {
    const row: number[][] = [];
    for (let j = 0; j < wo; j++) {
      const cell: number[] = [];
      for (let o = 0; o < cout; o++) {
        let sum = 0;
        for (let u = 0; u < fh; u++) {
          for (let v = 0; v < fw; v++) {
            for (let c = 0; c < cin; c++) sum += at(i * s + u - p, j * s + v - p, c) * kernel[u][v][c][o];
          }
        }
        cell.push(sum);
      }
      row.push(cell);
    }
    out.push(row);
  }
  return out;
}

/**
 * The terms of one output value, for showing the arithmetic: every product x·k that the sum adds,
 * in the order the naive loops visit them. Padding reads as 0.
 */
export function convTerms(
  input: Array3D,
  kernel: Array4D,
  i: number,
  j: number,
  o = 0,
  opts: ConvOptions = {}
): {u: number; v: number; c: number; x: number; k: number}[] {
  const {padding: p = 0, stride: s = 1} = opts;
  const h = input.length;
  const w = input[0].length;
  const terms = [];
  for (let u = 0; u < kernel.length; u++) {
    for (let v = 0; v < kernel[0].length; v++) {
      for (let c = 0; c < input[0][0].length; c++) {
        const y = i * s + u - p;
        const x = j * s + v - p;
        terms.push({u, v, c, x: y < 0 || y >= h || x < 0 || x >= w ? 0 : input[y][x][c], k: kernel[u][v][c][o]});
      }
    }
  }
  return terms;
}
