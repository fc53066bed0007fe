/**
 * Drawing tensors: every image on a page (input, kernel, output map) goes through here, from the tensor of
 * that run. The DOM half of lib/ops/image.ts.
 */
import {tf} from "../../lib/tf.js";
import {tensorToRgba, type RgbaImage} from "../../lib/ops/image.js";
import {cssColorAt, luminanceAt, valueRange, type ColormapName, type ScaleOptions} from "../../lib/viz/colormap.js";

export interface ImshowOptions extends ScaleOptions {
  /** Caption under the image. */
  caption?: string | Node;
  /** Display width in CSS pixels (the canvas keeps the tensor's resolution). */
  width?: number;
  /** Accessible label; also names the canvas in browser-test reports. */
  label?: string;
  /** Draw a colour bar with the value range under the image. */
  colorbar?: boolean;
}

/** A figure with a canvas showing a tensor ([H, W], [H, W, 1] or [H, W, 3]) or RGBA bytes. */
export function imshow(image: tf.Tensor | RgbaImage, opts: ImshowOptions = {}): HTMLElement {
  // one-channel tensors are read back once: the same range serves the colours and the colour bar
  const oneChannel = image instanceof tf.Tensor && (image.rank === 2 || image.shape[2] === 1);
  const range = oneChannel && opts.colorbar ? valueRange(image.dataSync(), opts) : undefined;
  const scale = range ? {...opts, min: range[0], max: range[1]} : opts;
  const rgba = image instanceof tf.Tensor ? tensorToRgba(image, scale) : image;
  const canvas = document.createElement("canvas");
  canvas.width = rgba.width;
  canvas.height = rgba.height;
  const label = opts.label ?? (typeof opts.caption === "string" ? opts.caption : "image");
  canvas.setAttribute("aria-label", label);
  canvas.setAttribute("role", "img");
  const ctx = canvas.getContext("2d")!;
  ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba.data), rgba.width, rgba.height), 0, 0);
  const width = opts.width ?? rgba.width;
  canvas.style.width = `${width}px`;
  const figure = document.createElement("figure");
  figure.className = "panel";
  figure.style.width = `${width + 2}px`;
  figure.append(canvas);
  if (range) figure.append(colorbar(opts.cmap ?? "gray", range[0], range[1], width));
  if (opts.caption !== undefined) {
    const caption = document.createElement("figcaption");
    caption.append(opts.caption);
    figure.append(caption);
  }
  return figure;
}

/** A horizontal colour bar with its end values. */
export function colorbar(cmap: ColormapName, lo: number, hi: number, width: number): HTMLElement {
  const bar = document.createElement("div");
  bar.className = "colorbar";
  const stops = Array.from({length: 11}, (_, i) => `${cssColorAt(cmap, i / 10)} ${i * 10}%`).join(", ");
  bar.innerHTML = `<div style="height:8px;width:${width}px;background:linear-gradient(to right, ${stops})"></div>
<div style="display:flex;justify-content:space-between;width:${width}px;font-size:11px" class="readout"><span>${fmt(lo)}</span><span>${fmt(hi)}</span></div>`;
  return bar;
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 || Number.isInteger(v) ? v.toFixed(0) : v.toPrecision(2);
}

/**
 * Draw a tensor made on the spot, then dispose it. Use this instead of `tf.tidy(() => imshow(…))`:
 * tf.tidy searches its return value for tensors, and a DOM node leads it through the whole document.
 */
export function imshowOf(make: () => tf.Tensor, opts: ImshowOptions = {}): HTMLElement {
  const t = tf.tidy(make);
  try {
    return imshow(t, opts);
  } finally {
    t.dispose();
  }
}

/** `matrixView` of a 2-D tensor made on the spot, disposed after drawing (see `imshowOf`). */
export function matrixOf(make: () => tf.Tensor2D, opts: MatrixOptions = {}): HTMLElement {
  const t = tf.tidy(make);
  try {
    return matrixView(t, opts);
  } finally {
    t.dispose();
  }
}

/** Lay figures out side by side, wrapping on narrow screens. */
export function panels(...items: (Node | string)[]): HTMLElement {
  const div = document.createElement("div");
  div.className = "panels";
  div.append(...items);
  return div;
}

/** Pixels of a loaded image as RGBA bytes, through a canvas: what lib/ops/image.ts reads. */
export function imageData(img: HTMLImageElement | ImageBitmap): ImageData {
  const canvas = document.createElement("canvas");
  canvas.width = img.width;
  canvas.height = img.height;
  const ctx = canvas.getContext("2d", {willReadFrequently: true})!;
  ctx.drawImage(img, 0, 0);
  return ctx.getImageData(0, 0, img.width, img.height);
}

export interface MatrixOptions extends ScaleOptions {
  /** Cell size in pixels. */
  cell?: number;
  caption?: string;
  /** Highlight these [row, col] cells. */
  highlight?: [number, number][];
  /** Digits after the decimal point. */
  digits?: number;
}

/** A small matrix (a kernel, a patch of pixels) with its numbers visible, drawn from a 2-D tensor. */
export function matrixView(t: tf.Tensor2D, opts: MatrixOptions = {}): HTMLElement {
  const {cmap = "diverging", cell = 34, digits = 0} = opts;
  const [rows, cols] = t.shape;
  const values = t.dataSync();
  const [lo, hi] = valueRange(values, {...opts, cmap});
  const marked = new Set((opts.highlight ?? []).map(([r, c]) => r * cols + c));
  const svgNS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(svgNS, "svg");
  svg.setAttribute("width", String(cols * cell + 2));
  svg.setAttribute("height", String(rows * cell + 2));
  svg.setAttribute("class", "matrix");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", opts.caption ?? "matrix");
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c];
      const t01 = (v - lo) / (hi - lo);
      const rect = document.createElementNS(svgNS, "rect");
      rect.setAttribute("x", String(1 + c * cell));
      rect.setAttribute("y", String(1 + r * cell));
      rect.setAttribute("width", String(cell));
      rect.setAttribute("height", String(cell));
      rect.setAttribute("fill", cssColorAt(cmap, t01));
      rect.setAttribute("stroke", marked.has(r * cols + c) ? "#e8590c" : "#dee2e6");
      rect.setAttribute("stroke-width", marked.has(r * cols + c) ? "3" : "1");
      const text = document.createElementNS(svgNS, "text");
      text.setAttribute("x", String(1 + c * cell + cell / 2));
      text.setAttribute("y", String(1 + r * cell + cell / 2));
      text.setAttribute("text-anchor", "middle");
      text.setAttribute("dominant-baseline", "central");
      text.setAttribute("font-size", String(Math.round(cell * 0.38)));
      text.setAttribute("fill", luminanceAt(cmap, t01) < 0.5 ? "#fff" : "#222");
      text.textContent = v.toFixed(digits);
      svg.append(rect, text);
    }
  }
  const figure = document.createElement("figure");
  figure.className = "panel";
  figure.append(svg);
  if (opts.caption) {
    const caption = document.createElement("figcaption");
    caption.textContent = opts.caption;
    figure.append(caption);
  }
  return figure;
}

/** A message shown in place of a figure when its input is out of range: the page keeps working. */
export function errorNote(error: unknown): HTMLElement {
  const div = document.createElement("div");
  div.className = "error-note";
  div.setAttribute("role", "alert");
  div.textContent = `⚠ ${error instanceof Error ? error.message : String(error)}`;
  return div;
}
