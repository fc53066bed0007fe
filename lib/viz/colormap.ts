/**
 * Colour maps from numbers to RGBA bytes, without the DOM, so images can be drawn (and tested) anywhere.
 * Maps are piecewise-linear through a few control colours taken from well-known scales:
 * `gray`; `diverging` (ColorBrewer RdBu, reversed so positive is red); `magma` (matplotlib); `turbo`-like
 * `cyclic` hue wheel for angles; `red`, `green`, `blue` (white to the channel's colour) for RGB channels.
 */

export type ColormapName = "gray" | "diverging" | "magma" | "cyclic" | "red" | "green" | "blue";

type Rgb = readonly [number, number, number];

const STOPS: Record<ColormapName, readonly Rgb[]> = {
  gray: [
    [0, 0, 0],
    [255, 255, 255]
  ],
  diverging: [
    [5, 48, 97],
    [67, 147, 195],
    [247, 247, 247],
    [214, 96, 77],
    [103, 0, 31]
  ],
  magma: [
    [0, 0, 4],
    [81, 18, 124],
    [183, 55, 121],
    [252, 137, 97],
    [252, 253, 191]
  ],
  red: [
    [255, 255, 255],
    [201, 42, 42]
  ],
  green: [
    [255, 255, 255],
    [47, 158, 68]
  ],
  blue: [
    [255, 255, 255],
    [25, 113, 194]
  ],
  cyclic: [
    [228, 26, 28],
    [255, 200, 0],
    [77, 175, 74],
    [55, 126, 184],
    [152, 78, 163],
    [228, 26, 28]
  ]
};

/** The colour of t ∈ [0, 1] in a map. Values outside are clamped; NaN is transparent black. */
export function colorAt(name: ColormapName, t: number): [number, number, number, number] {
  if (Number.isNaN(t)) return [0, 0, 0, 0];
  const stops = STOPS[name];
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [stops[i], stops[i + 1]];
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f),
    255
  ];
}

/** Relative luminance (sRGB, 0…1) of t's colour: pick dark or light text over it. */
export function luminanceAt(name: ColormapName, t: number): number {
  const [r, g, b] = colorAt(name, t);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

/** CSS colour string of t ∈ [0, 1]. */
export function cssColorAt(name: ColormapName, t: number): string {
  const [r, g, b] = colorAt(name, t);
  return `rgb(${r},${g},${b})`;
}

export interface ScaleOptions {
  cmap?: ColormapName;
  /** Value drawn at the low end. Default: the data minimum (or −max|v| for `diverging`). */
  min?: number;
  /** Value drawn at the high end. Default: the data maximum (or max|v| for `diverging`). */
  max?: number;
}

/** The [min, max] a scale uses for these values: symmetric about 0 for the diverging map. */
export function valueRange(values: ArrayLike<number>, opts: ScaleOptions = {}): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) [lo, hi] = [0, 1];
  if ((opts.cmap ?? "gray") === "diverging") {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    [lo, hi] = [-m, m];
  }
  return [opts.min ?? lo, opts.max ?? (hi > (opts.min ?? lo) ? hi : (opts.min ?? lo) + 1)];
}

/** Map one channel of values to RGBA bytes (4 per value). */
export function mapToRgba(values: ArrayLike<number>, opts: ScaleOptions = {}): Uint8ClampedArray {
  const cmap = opts.cmap ?? "gray";
  const [lo, hi] = valueRange(values, opts);
  const out = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) out.set(colorAt(cmap, (values[i] - lo) / (hi - lo)), i * 4);
  return out;
}
