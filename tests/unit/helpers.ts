import {readFileSync} from "node:fs";
import {PNG} from "pngjs";
import type {RgbaImage} from "../../lib/ops/image.js";
import {mulberry32} from "../../lib/random.js";

/** Decode a PNG of the course's data/ folder to RGBA bytes, as a canvas would give them. */
export function readPng(name: string): RgbaImage {
  const png = PNG.sync.read(readFileSync(new URL(`../../data/images/${name}`, import.meta.url)));
  return {data: png.data, width: png.width, height: png.height};
}

/** Nested arrays [d0][d1]…[dk] of seeded uniform numbers in [−1, 1). */
export function randomArray(shape: number[], seed: number): number[] | number[][] | number[][][] | number[][][][] {
  const rand = mulberry32(seed);
  const build = (dims: number[]): unknown =>
    dims.length === 0 ? rand() * 2 - 1 : Array.from({length: dims[0]}, () => build(dims.slice(1)));
  return build(shape) as number[][][][];
}

/** Largest |a − b| over two nested arrays of the same shape. */
export function maxAbsDiff(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b);
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return Infinity;
  return a.reduce((m: number, x, i) => Math.max(m, maxAbsDiff(x, b[i])), 0);
}
