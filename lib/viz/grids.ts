/**
 * Looking inside a CNN, from chapter 2 on: the learned kernels of a conv layer (`filterGrid`) and the feature
 * maps it produces for one input (`featureMapGrid`), one small tile each, with its index.
 *
 * The pure half (tile layout, per-tile normalisation into RGBA bytes) is deterministic and tested by hand; the
 * DOM half only places those bytes:
 * - kernels are small (3×3…11×11), so each is drawn as SVG rects: crisp at any zoom, and readable in tests;
 * - feature maps are large (32 maps of 28×28 are 25 088 pixels, far too many rects), so each map is a
 *   canvas at its own resolution, scaled up by an integer factor with `image-rendering: pixelated`
 *   (one `putImageData` per map, a few milliseconds for all 32).
 *
 * Tensors are read once with `dataSync()`; nothing here creates a tensor, so nothing needs disposing, and the
 * functions must not be called inside `tf.tidy` (they return DOM).
 */
import {colorAt, type ColormapName} from "./colormap.js";

/** A tensor's shape and values: a `tf.Tensor` (read with `dataSync`) or a plain `{shape, data}`. */
export type TensorSource =
  | {readonly shape: readonly number[]; dataSync(): ArrayLike<number>}
  | {readonly shape: readonly number[]; readonly data: ArrayLike<number>};

function read(t: TensorSource): {shape: readonly number[]; data: ArrayLike<number>} {
  const data =
    "dataSync" in t && typeof t.dataSync === "function" ? t.dataSync() : (t as {data: ArrayLike<number>}).data;
  const size = t.shape.reduce((a, b) => a * b, 1);
  if (data.length !== size)
    throw new RangeError(`shape [${t.shape.join(", ")}] needs ${size} values, got ${data.length}`);
  return {shape: t.shape, data};
}

// ---------------------------------------------------------------------------------------------------------
// Layout

export interface GridLayoutOptions {
  /** Room available, in CSS pixels. */
  width: number;
  /** Fixed number of columns. Default: as many tiles of `tileSize` as fit, balanced over the rows. */
  columns?: number;
  /** Target tile size in pixels; tiles are the source size times the largest integer that fits. Default 72. */
  tileSize?: number;
  /** Space between tiles. Default 8. */
  gap?: number;
  /** Room under each tile for its label. Default 14. */
  labelHeight?: number;
}

export interface GridLayout {
  columns: number;
  rows: number;
  /** Screen pixels per source pixel (an integer ≥ 1, so pixels stay square and even). */
  scale: number;
  tileWidth: number;
  tileHeight: number;
  /** Size of the whole grid, labels included. */
  width: number;
  height: number;
  /** Top-left corner of each tile. */
  x: number[];
  y: number[];
}

/** Where `count` tiles of srcWidth × srcHeight source pixels go. */
export function gridLayout(count: number, srcWidth: number, srcHeight: number, opts: GridLayoutOptions): GridLayout {
  const {width, tileSize = 72, gap = 8, labelHeight = 14} = opts;
  const target = opts.columns
    ? Math.floor((width - gap * (opts.columns - 1)) / opts.columns)
    : Math.min(tileSize, width);
  const scale = Math.max(1, Math.floor(target / Math.max(srcWidth, srcHeight)));
  const [tileWidth, tileHeight] = [srcWidth * scale, srcHeight * scale];
  let columns: number;
  if (opts.columns) {
    columns = Math.max(1, Math.min(count, opts.columns));
  } else {
    // as many as fit, then spread evenly over the rows that needs (32 tiles, 10 fit → 4 rows of 8)
    const fit = Math.max(1, Math.min(count, Math.floor((width + gap) / (tileWidth + gap))));
    columns = count ? Math.ceil(count / Math.ceil(count / fit)) : 1;
  }
  const rows = Math.ceil(count / columns);
  const x = Array.from({length: count}, (_, i) => (i % columns) * (tileWidth + gap));
  const y = Array.from({length: count}, (_, i) => Math.floor(i / columns) * (tileHeight + labelHeight + gap));
  return {
    columns,
    rows,
    scale,
    tileWidth,
    tileHeight,
    width: count ? columns * tileWidth + (columns - 1) * gap : 0,
    height: rows ? rows * (tileHeight + labelHeight) + (rows - 1) * gap : 0,
    x,
    y
  };
}

// ---------------------------------------------------------------------------------------------------------
// Kernels

export interface FilterTilesOptions {
  /** Input channel to show, or "rgb" (needs 3 input channels) for colour kernels. Default "rgb" if cin = 3, else 0. */
  channel?: number | "rgb";
  /** Colour range: each filter's own max |w| ("filter"), or one max |w| for all ("all"). Default "filter". */
  normalize?: "filter" | "all";
}

export interface FilterTile {
  /** Output filter index. */
  index: number;
  /** kh × kw pixels, 4 bytes each, row-major. */
  rgba: Uint8ClampedArray;
  /** The |w| drawn at full colour (0 for an all-zero filter, drawn white). */
  maxAbs: number;
}

export interface FilterTiles {
  kh: number;
  kw: number;
  cin: number;
  cout: number;
  channel: number | "rgb";
  tiles: FilterTile[];
}

/**
 * Conv kernels [kh, kw, cin, cout] → one RGBA tile per output filter, symmetric about 0 so the sign shows:
 * one channel through the diverging map (0 white, + red, − blue), or "rgb" as 0.5 + w / (2·max|w|) per colour
 * channel (0 grey).
 */
export function filterTiles(weights: TensorSource, opts: FilterTilesOptions = {}): FilterTiles {
  const {shape, data} = read(weights);
  if (shape.length !== 4) throw new RangeError(`kernels are [kh, kw, cin, cout], got [${shape.join(", ")}]`);
  const [kh, kw, cin, cout] = shape;
  const channel = opts.channel ?? (cin === 3 ? "rgb" : 0);
  if (channel === "rgb" ? cin !== 3 : channel < 0 || channel >= cin || !Number.isInteger(channel)) {
    throw new RangeError(`channel ${channel} of a kernel with ${cin} input channels`);
  }
  const channels = channel === "rgb" ? [0, 1, 2] : [channel];
  // weight (y, x, c, o) sits at ((y·kw + x)·cin + c)·cout + o
  const at = (y: number, x: number, c: number, o: number) => data[((y * kw + x) * cin + c) * cout + o];
  const maxAbs = Array.from({length: cout}, (_, o) => {
    let m = 0;
    for (let y = 0; y < kh; y++)
      for (let x = 0; x < kw; x++) for (const c of channels) m = Math.max(m, Math.abs(at(y, x, c, o)));
    return m;
  });
  const shared = Math.max(0, ...maxAbs);
  const tiles = maxAbs.map((own, o) => {
    const drawnMax = opts.normalize === "all" ? shared : own;
    const m = drawnMax || 1; // an all-zero filter is drawn white
    const rgba = new Uint8ClampedArray(kh * kw * 4);
    for (let y = 0; y < kh; y++) {
      for (let x = 0; x < kw; x++) {
        const p = (y * kw + x) * 4;
        if (channel === "rgb") {
          for (const c of channels)
            rgba[p + c] = Math.round(255 * Math.min(1, Math.max(0, 0.5 + at(y, x, c, o) / (2 * m))));
          rgba[p + 3] = 255;
        } else {
          rgba.set(colorAt("diverging", 0.5 + at(y, x, channel, o) / (2 * m)), p);
        }
      }
    }
    return {index: o, rgba, maxAbs: drawnMax};
  });
  return {kh, kw, cin, cout, channel, tiles};
}

export interface FilterGridOptions extends FilterTilesOptions {
  width?: number;
  columns?: number;
  /** Target tile size in pixels. Default 48. */
  tileSize?: number;
  /** Show at most this many filters. Default all. */
  maxFilters?: number;
  /** Caption under the grid; null for none. Default: what the colours mean. */
  caption?: string | null;
  /** Document to build the DOM in (jsdom in Node tests). Default `globalThis.document`. */
  document?: Document;
}

const SVG = "http://www.w3.org/2000/svg";

function svgEl(document: Document, name: string, attrs: Record<string, string | number>): SVGElement {
  const el = document.createElementNS(SVG, name) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

const rgb = (rgba: ArrayLike<number>, p: number) => `rgb(${rgba[p]},${rgba[p + 1]},${rgba[p + 2]})`;

function fmt(v: number): string {
  return v === 0 ? "0" : Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(2);
}

/**
 * Conv kernels [kh, kw, cin, cout] (a `tf.Tensor4D`, e.g. `layer.getWeights()[0]`, or `{shape, data}`) as a grid of
 * small tiles, one per output filter, drawn as SVG rects. Returns a `figure` with the SVG and a caption.
 */
export function filterGrid(weights: TensorSource, opts: FilterGridOptions = {}): HTMLElement {
  const {width = 640, document = globalThis.document} = opts;
  const all = filterTiles(weights, opts);
  const tiles = all.tiles.slice(0, opts.maxFilters ?? all.cout);
  const {kh, kw} = all;
  const layout = gridLayout(tiles.length, kw, kh, {width, columns: opts.columns, tileSize: opts.tileSize ?? 48});
  const {scale} = layout;
  const rgbMode = all.channel === "rgb";
  const legendHeight = rgbMode ? 0 : 26;
  const svgWidth = Math.max(layout.width, rgbMode ? 0 : 150);
  const svg = svgEl(document, "svg", {
    width: svgWidth,
    height: layout.height + legendHeight,
    viewBox: `0 0 ${svgWidth} ${layout.height + legendHeight}`,
    role: "img",
    "aria-label": `${tiles.length} conv filters ${kh}×${kw}`,
    "font-family": "system-ui, sans-serif",
    "font-size": 11,
    style: "display:block;max-width:100%;height:auto"
  });
  tiles.forEach((tile, i) => {
    const g = svgEl(document, "g", {transform: `translate(${layout.x[i]},${layout.y[i]})`});
    const title = svgEl(document, "title", {});
    title.textContent = `filter ${tile.index}: 가장 큰 |w| ${fmt(tile.maxAbs)}`;
    const pixels = svgEl(document, "g", {"shape-rendering": "crispEdges"});
    for (let y = 0; y < kh; y++) {
      for (let x = 0; x < kw; x++) {
        const p = (y * kw + x) * 4;
        pixels.append(
          svgEl(document, "rect", {x: x * scale, y: y * scale, width: scale, height: scale, fill: rgb(tile.rgba, p)})
        );
      }
    }
    const frame = svgEl(document, "rect", {
      x: 0.5,
      y: 0.5,
      width: layout.tileWidth - 1,
      height: layout.tileHeight - 1,
      fill: "none",
      stroke: "#adb5bd"
    });
    const label = svgEl(document, "text", {
      x: layout.tileWidth / 2,
      y: layout.tileHeight + 11,
      "text-anchor": "middle",
      fill: "currentColor"
    });
    label.textContent = String(tile.index);
    g.append(title, pixels, frame, label);
    svg.append(g);
  });
  if (!rgbMode) {
    // a small ramp: − blue, 0 white, + red
    const y = layout.height + 8;
    const legend = svgEl(document, "g", {transform: `translate(14,${y})`, "shape-rendering": "crispEdges"});
    for (let i = 0; i <= 10; i++) {
      const [r, g, b] = colorAt("diverging", i / 10);
      legend.append(svgEl(document, "rect", {x: i * 10, y: 0, width: 10, height: 10, fill: `rgb(${r},${g},${b})`}));
    }
    const text = (x: number, anchor: string, s: string) => {
      const t = svgEl(document, "text", {x, y: 9, "text-anchor": anchor, fill: "currentColor"});
      t.textContent = s;
      return t;
    };
    legend.append(text(-4, "end", "−"), text(114, "start", "+"));
    svg.append(legend);
  }
  const figure = document.createElement("figure");
  figure.className = "filter-grid";
  figure.setAttribute("style", `margin:0;max-width:${Math.max(svgWidth, 320)}px`);
  figure.append(svg);
  const caption =
    opts.caption !== undefined
      ? opts.caption
      : `${kh}×${kw} 필터 ${all.cout}개` +
        (tiles.length < all.cout ? ` 중 처음 ${tiles.length}개` : "") +
        (rgbMode
          ? " (RGB): 회색이 0, 각 색 채널의 + 는 밝게, − 는 어둡게"
          : `${all.cin > 1 ? ` (입력 채널 ${all.channel}/${all.cin})` : ""}: 빨강 +, 흰색 0, 파랑 −`) +
        (opts.normalize === "all"
          ? ` · 모든 필터를 같은 |w| ${fmt(tiles[0]?.maxAbs ?? 0)}에 맞춤`
          : " · 필터마다 자기 가장 큰 |w|에 맞춤");
  if (caption) {
    const figcaption = document.createElement("figcaption");
    figcaption.textContent = caption;
    figure.append(figcaption);
  }
  return figure;
}

// ---------------------------------------------------------------------------------------------------------
// Feature maps

export interface FeatureMapTilesOptions {
  /** Show at most this many channels (the first ones). Default all. */
  maxMaps?: number;
  /** Colour map. Default "gray" (black = the map's minimum, white = its maximum). */
  cmap?: ColormapName;
  /** Colour range: each map's own [min, max] ("map"), or one range for all ("all"). Default "map". */
  normalize?: "map" | "all";
}

export interface FeatureMapTile {
  channel: number;
  /** h × w pixels, 4 bytes each, row-major. */
  rgba: Uint8ClampedArray;
  /** The value range drawn from the low to the high end of the colour map. */
  min: number;
  max: number;
  /** Every value of this map is the same (a dead ReLU channel is all 0); drawn at the low end. */
  constant: boolean;
}

export interface FeatureMapTiles {
  height: number;
  width: number;
  channels: number;
  tiles: FeatureMapTile[];
}

/**
 * Activations [h, w, c] or [1, h, w, c] (the first example of a batch is used) → one RGBA tile per channel,
 * each through the colour map from its min to its max.
 */
export function featureMapTiles(activation: TensorSource, opts: FeatureMapTilesOptions = {}): FeatureMapTiles {
  const {shape, data} = read(activation);
  if (shape.length !== 3 && shape.length !== 4) {
    throw new RangeError(`feature maps are [h, w, c] or [batch, h, w, c], got [${shape.join(", ")}]`);
  }
  const [h, w, c] = shape.slice(-3);
  const count = Math.min(c, opts.maxMaps ?? c);
  const cmap = opts.cmap ?? "gray";
  // value (y, x, ch) of example 0 sits at (y·w + x)·c + ch
  const ranges = Array.from({length: count}, (_, ch) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < h * w; i++) {
      const v = data[i * c + ch];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return [lo, hi];
  });
  const shared = [Math.min(...ranges.map((r) => r[0])), Math.max(...ranges.map((r) => r[1]))];
  // 256 colours, looked up by round(255·t): the same bytes as colorAt for "gray", within one level for the others,
  // and about ten times faster than a colorAt call per pixel
  const lut = new Uint8ClampedArray(256 * 4);
  for (let k = 0; k < 256; k++) lut.set(colorAt(cmap, k / 255), k * 4);
  const tiles = ranges.map(([ownLo, ownHi], ch) => {
    const [lo, hi] = opts.normalize === "all" ? shared : [ownLo, ownHi];
    const span = hi - lo;
    const rgba = new Uint8ClampedArray(h * w * 4);
    for (let i = 0; i < h * w; i++) {
      const v = data[i * c + ch];
      if (Number.isNaN(v)) continue; // transparent
      const k = span > 0 ? Math.min(255, Math.max(0, Math.round(((v - lo) / span) * 255))) * 4 : 0;
      rgba[i * 4] = lut[k];
      rgba[i * 4 + 1] = lut[k + 1];
      rgba[i * 4 + 2] = lut[k + 2];
      rgba[i * 4 + 3] = lut[k + 3];
    }
    return {channel: ch, rgba, min: lo, max: hi, constant: ownHi === ownLo};
  });
  return {height: h, width: w, channels: c, tiles};
}

export interface FeatureMapGridOptions extends FeatureMapTilesOptions {
  width?: number;
  columns?: number;
  /** Target tile size in pixels (an integer multiple of the map size is used). Default 72. */
  tileSize?: number;
  /** Caption under the grid; null for none. Default: how the maps are normalised. */
  caption?: string | null;
  /** Document to build the DOM in (jsdom in Node tests). Default `globalThis.document`. */
  document?: Document;
}

/**
 * Activations [h, w, c] or [1, h, w, c] (a `tf.Tensor`, e.g. a layer's output for one image, or `{shape, data}`)
 * as a grid of per-channel tiles with their channel index. Returns a `figure`: a CSS grid of canvases (each at
 * the map's own resolution, scaled up pixelated) and a caption. Without a canvas (jsdom), the tiles are empty.
 */
export function featureMapGrid(activation: TensorSource, opts: FeatureMapGridOptions = {}): HTMLElement {
  const {width = 640, document = globalThis.document} = opts;
  const maps = featureMapTiles(activation, opts);
  const layout = gridLayout(maps.tiles.length, maps.width, maps.height, {
    width,
    columns: opts.columns,
    tileSize: opts.tileSize
  });
  const figure = document.createElement("figure");
  figure.className = "feature-map-grid";
  figure.setAttribute("style", `margin:0;max-width:${Math.max(layout.width, 320)}px`);
  const grid = document.createElement("div");
  grid.setAttribute(
    "style",
    `display:grid;grid-template-columns:repeat(${layout.columns},${layout.tileWidth}px);gap:8px;` +
      "font:11px/14px system-ui,sans-serif;text-align:center"
  );
  for (const tile of maps.tiles) {
    const cell = document.createElement("div");
    cell.setAttribute("title", `채널 ${tile.channel}: 최소 ${fmt(tile.min)}, 최대 ${fmt(tile.max)}`);
    const canvas = document.createElement("canvas");
    canvas.width = maps.width;
    canvas.height = maps.height;
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `feature map ${tile.channel}`);
    canvas.setAttribute(
      "style",
      `display:block;width:${layout.tileWidth}px;height:${layout.tileHeight}px;image-rendering:pixelated;` +
        "outline:1px solid #dee2e6"
    );
    paint(canvas, tile.rgba, maps.width, maps.height);
    const label = document.createElement("div");
    label.textContent = tile.constant ? `${tile.channel} (= ${fmt(tile.min)})` : String(tile.channel);
    cell.append(canvas, label);
    grid.append(cell);
  }
  figure.append(grid);
  const dead = maps.tiles.filter((t) => t.constant).length;
  const cmap = opts.cmap ?? "gray";
  const ends =
    cmap === "gray"
      ? "검정 = 최솟값, 흰색 = 최댓값"
      : cmap === "magma"
        ? "검정 = 최솟값, 밝은 노랑 = 최댓값"
        : `색 지도 ${cmap}의 처음 = 최솟값, 끝 = 최댓값`;
  const caption =
    opts.caption !== undefined
      ? opts.caption
      : `${maps.height}×${maps.width} 특징 맵 (feature map) ${maps.channels}개` +
        (maps.tiles.length < maps.channels ? ` 중 처음 ${maps.tiles.length}개` : "") +
        (opts.normalize === "all"
          ? ` · 모든 맵을 같은 범위 [${fmt(maps.tiles[0]?.min ?? 0)}, ${fmt(maps.tiles[0]?.max ?? 0)}]로: ${ends}`
          : ` · 맵마다 따로 정규화: ${ends}`) +
        (dead ? ` · 값이 하나뿐인 맵 ${dead}개 (ReLU 뒤라면 모두 0)` : "");
  if (caption) {
    const figcaption = document.createElement("figcaption");
    figcaption.textContent = caption;
    figure.append(figcaption);
  }
  return figure;
}

/** Put RGBA bytes on a canvas, where the document has a 2-D canvas (jsdom without the `canvas` package has none). */
function paint(canvas: HTMLCanvasElement, rgba: Uint8ClampedArray, width: number, height: number): void {
  let ctx: CanvasRenderingContext2D | null = null;
  try {
    ctx = canvas.getContext("2d");
  } catch {
    ctx = null;
  }
  if (!ctx) return;
  const image = ctx.createImageData(width, height);
  image.data.set(rgba);
  ctx.putImageData(image, 0, 0);
}
