import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {mulberry32} from "../../../lib/random.js";
import {featureMapGrid, featureMapTiles, filterGrid, filterTiles, gridLayout} from "../../../lib/viz/grids.js";
import {makeDocument, serialize} from "./dom.js";

const bytes = (a: Uint8ClampedArray) => Array.from(a);

/** Seeded values of a given shape, uniform in [lo, hi). */
function seeded(shape: number[], seed: number, lo = -1, hi = 1) {
  const rand = mulberry32(seed);
  const data = Float32Array.from({length: shape.reduce((a, b) => a * b, 1)}, () => lo + (hi - lo) * rand());
  return {shape, data};
}

describe("layout", () => {
  test("32 maps of 28×28 in 640 px: integer scale 2, 4 balanced rows of 8", () => {
    const l = gridLayout(32, 28, 28, {width: 640});
    // target 72 px → scale ⌊72/28⌋ = 2 → 56 px tiles; ⌊(640+8)/(56+8)⌋ = 10 fit → 4 rows → 8 columns
    expect([l.scale, l.tileWidth, l.tileHeight, l.columns, l.rows]).toEqual([2, 56, 56, 8, 4]);
    expect([l.width, l.height]).toEqual([8 * 56 + 7 * 8, 4 * (56 + 14) + 3 * 8]);
    expect([l.x[9], l.y[9]]).toEqual([64, 78]);
    expect([l.x[31], l.y[31]]).toEqual([7 * 64, 3 * 78]);
  });

  test("fixed columns, few tiles, wide sources, nothing", () => {
    // 4 columns in 300 px: (300 − 24) / 4 = 69 → ⌊69/5⌋ = 13 px per kernel pixel → 65 px tiles
    const l = gridLayout(6, 5, 5, {width: 300, columns: 4, gap: 8});
    expect([l.scale, l.tileWidth, l.columns, l.rows, l.width]).toEqual([13, 65, 4, 2, 4 * 65 + 3 * 8]);
    expect(gridLayout(3, 3, 3, {width: 640, tileSize: 48})).toMatchObject({columns: 3, rows: 1, scale: 16, width: 160});
    // sources larger than the tile stay at scale 1; non-square tiles keep their aspect
    expect(gridLayout(2, 100, 50, {width: 640})).toMatchObject({scale: 1, tileWidth: 100, tileHeight: 50});
    expect(gridLayout(0, 3, 3, {width: 640})).toMatchObject({rows: 0, width: 0, height: 0, x: [], y: []});
  });
});

describe("filter tiles", () => {
  // kernel [2, 2, 1, 2]; value (y, x, c, o) at ((y·2 + x)·1 + c)·2 + o
  // filter 0 = [[1, −1], [0.5, 0]], filter 1 = 2 × filter 0
  const kernel = {shape: [2, 2, 1, 2], data: Float32Array.from([1, 2, -1, -2, 0.5, 1, 0, 0])};
  const RED9 = [103, 0, 31, 255];
  const BLUE9 = [5, 48, 97, 255];
  const WHITE = [247, 247, 247, 255];
  const RED_HALF = [214, 96, 77, 255]; // t = 0.75: the fourth RdBu stop

  test("each filter symmetric about 0 by its own max |w|", () => {
    const {tiles, kh, kw, cin, cout, channel} = filterTiles(kernel);
    expect([kh, kw, cin, cout, channel]).toEqual([2, 2, 1, 2, 0]);
    expect(tiles.map((t) => t.maxAbs)).toEqual([1, 2]);
    expect(bytes(tiles[0].rgba)).toEqual([...RED9, ...BLUE9, ...RED_HALF, ...WHITE]);
    expect(bytes(tiles[1].rgba)).toEqual(bytes(tiles[0].rgba));
  });

  test("one range for all filters: the weaker filter is paler", () => {
    const {tiles} = filterTiles(kernel, {normalize: "all"});
    expect(tiles.map((t) => t.maxAbs)).toEqual([2, 2]);
    expect(bytes(tiles[0].rgba).slice(0, 4)).toEqual(RED_HALF); // 1 / 2 → t = 0.75
    expect(bytes(tiles[1].rgba).slice(0, 4)).toEqual(RED9);
  });

  test("RGB kernels: 0.5 + w / (2·max|w|) per channel; all-zero filters white; channel choice", () => {
    // [1, 1, 3, 2]: filter 0 = (0.5, −1, 0), filter 1 = 0
    const rgb = filterTiles({shape: [1, 1, 3, 2], data: [0.5, 0, -1, 0, 0, 0]});
    expect(rgb.channel).toBe("rgb");
    expect(bytes(rgb.tiles[0].rgba)).toEqual([191, 0, 128, 255]); // 0.75·255 = 191.25, 0, 0.5·255 = 127.5
    expect(bytes(rgb.tiles[1].rgba)).toEqual([128, 128, 128, 255]);
    expect(rgb.tiles[1].maxAbs).toBe(0);
    const zero = filterTiles({shape: [1, 1, 1, 1], data: [0]});
    expect(bytes(zero.tiles[0].rgba)).toEqual(WHITE);
    // cin = 2, channel 1: value (0, 0, 1, 0) at index 1
    expect(bytes(filterTiles({shape: [1, 1, 2, 1], data: [0, -3]}, {channel: 1}).tiles[0].rgba)).toEqual(BLUE9);
    expect(() => filterTiles({shape: [1, 1, 2, 1], data: [0, 0]}, {channel: 2})).toThrow(RangeError);
    expect(() => filterTiles({shape: [1, 1, 1, 1], data: [0]}, {channel: "rgb"})).toThrow(RangeError);
    expect(() => filterTiles({shape: [2, 2, 1], data: [0, 0, 0, 0]})).toThrow(/kh, kw, cin, cout/);
    expect(() => filterTiles({shape: [1, 1, 1, 2], data: [0]})).toThrow(/needs 2 values/);
  });

  test("a tf.Tensor4D reads the same as {shape, data}, and nothing leaks", () => {
    const t = tf.tensor4d(kernel.data, [2, 2, 1, 2]);
    try {
      expect(filterTiles(t)).toEqual(filterTiles(kernel));
    } finally {
      t.dispose();
    }
  });
});

describe("feature map tiles", () => {
  // [2, 2, 2]: channel 0 = [0, 1, 2, 4], channel 1 = 3 everywhere; value (y, x, ch) at (y·2 + x)·2 + ch
  const maps = {shape: [2, 2, 2], data: [0, 3, 1, 3, 2, 3, 4, 3]};

  test("each map from its own min (black) to max (white); constant maps black", () => {
    const {tiles, height, width, channels} = featureMapTiles(maps);
    expect([height, width, channels]).toEqual([2, 2, 2]);
    // (v − 0) / 4 → 0, 0.25, 0.5, 1 → 0, 63.75, 127.5, 255 grey
    expect(bytes(tiles[0].rgba)).toEqual([0, 0, 0, 255, 64, 64, 64, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
    expect(tiles[0]).toMatchObject({channel: 0, min: 0, max: 4, constant: false});
    expect(bytes(tiles[1].rgba)).toEqual(Array(4).fill([0, 0, 0, 255]).flat());
    expect(tiles[1]).toMatchObject({channel: 1, min: 3, max: 3, constant: true});
  });

  test("one range for all maps, first maps only, batch of one, colour maps", () => {
    const all = featureMapTiles(maps, {normalize: "all"});
    expect(bytes(all.tiles[1].rgba).slice(0, 4)).toEqual([191, 191, 191, 255]); // 3/4 · 255 = 191.25
    expect(all.tiles[1]).toMatchObject({min: 0, max: 4, constant: true});
    expect(featureMapTiles(maps, {maxMaps: 1}).tiles.length).toBe(1);
    expect(featureMapTiles({shape: [1, 2, 2, 2], data: maps.data})).toEqual(featureMapTiles(maps));
    expect(bytes(featureMapTiles(maps, {cmap: "magma"}).tiles[0].rgba).slice(12, 16)).toEqual([252, 253, 191, 255]);
    expect(() => featureMapTiles({shape: [4, 2], data: maps.data})).toThrow(RangeError);
  });

  test("a tf.Tensor reads the same, and nothing leaks", () => {
    const t = tf.tensor4d(maps.data, [1, 2, 2, 2]);
    try {
      expect(featureMapTiles(t)).toEqual(featureMapTiles(maps));
    } finally {
      t.dispose();
    }
  });
});

describe("grids in the DOM", () => {
  const document = makeDocument();

  test("filterGrid: 32 5×5 kernels of one input channel", async () => {
    const el = filterGrid(seeded([5, 5, 1, 32], 11), {width: 640, document});
    expect(el.querySelectorAll("svg > g[transform^=translate] > g > rect").length).toBe(32 * 25);
    expect([...el.querySelectorAll("svg > g > text")].map((t) => t.textContent).slice(0, 3)).toEqual(["0", "1", "2"]);
    await expect(serialize(el)).toMatchFileSnapshot("__snapshots__/filter-grid.svg");
  });

  test("filterGrid: 16 RGB 3×3 kernels, one range", async () => {
    const el = filterGrid(seeded([3, 3, 3, 16], 12), {width: 640, normalize: "all", document});
    await expect(serialize(el)).toMatchFileSnapshot("__snapshots__/filter-grid-rgb.svg");
    expect(serialize(el)).not.toBe(serialize(filterGrid(seeded([3, 3, 3, 16], 13), {width: 640, document})));
  });

  test("featureMapGrid: 32 maps of 28×28 as canvases of the maps' own size", async () => {
    const act = seeded([1, 28, 28, 32], 14, 0, 2);
    for (let i = 5; i < act.data.length; i += 32) act.data[i] = 0; // channel 5: a dead ReLU map
    const el = featureMapGrid(act, {width: 640, document});
    const canvases = [...el.querySelectorAll("canvas")];
    expect(canvases.length).toBe(32);
    expect([canvases[0].width, canvases[0].height, canvases[0].style.width]).toEqual([28, 28, "56px"]);
    expect(el.textContent).toContain("5 (= 0)");
    await expect(serialize(el)).toMatchFileSnapshot("__snapshots__/feature-map-grid.svg");
  });
});
