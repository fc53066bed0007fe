import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {mulberry32} from "../../../lib/random.js";
import {augmentPixels, augments, batchAugmenter, drawAugmentations} from "../../../lib/train/augment.js";
import {shiftImages} from "../../../lib/ops/shift.js";
import {train} from "../../../lib/train/loop.js";

/** A 2-image batch [2, 3, 4, 1] with distinct values 1…24. */
const pixels = Array.from({length: 24}, (_, i) => i + 1);
const shape = [2, 3, 4, 1] as const;
/** Naive reference: image i's pixel (y, x) after the draw, written from the definition. */
function reference(i: number, y: number, x: number, d: {dy: number; dx: number; flip: boolean}) {
  const sy = y - d.dy;
  const sxShifted = x - d.dx;
  if (sy < 0 || sy >= 3 || sxShifted < 0 || sxShifted >= 4) return 0;
  const sx = d.flip ? 3 - sxShifted : sxShifted;
  return pixels[i * 12 + sy * 4 + sx];
}

describe("augmentation (V5)", () => {
  test("a shift moves every pixel by (dy, dx), zero where nothing comes in (by hand)", () => {
    const out = augmentPixels(pixels, shape, [
      {dy: 1, dx: -1, flip: false},
      {dy: 0, dx: 0, flip: false}
    ]);
    // image 0 is rows [1 2 3 4; 5 6 7 8; 9 10 11 12]: down 1, left 1
    expect(Array.from(out.slice(0, 12))).toEqual([0, 0, 0, 0, 2, 3, 4, 0, 6, 7, 8, 0]);
    expect(Array.from(out.slice(12))).toEqual(pixels.slice(12));
  });

  test("a flip mirrors each row; flip then shift matches the naive definition", () => {
    const out = augmentPixels(pixels, shape, [
      {dy: 0, dx: 0, flip: true},
      {dy: -1, dx: 2, flip: true}
    ]);
    expect(Array.from(out.slice(0, 12))).toEqual([4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9]);
    const d = {dy: -1, dx: 2, flip: true};
    for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) expect(out[12 + y * 4 + x]).toBe(reference(1, y, x, d));
  });

  test("draws are seeded and within ±shift; no flip unless asked", () => {
    const a = drawAugmentations(200, {shift: 2, flip: true}, mulberry32(5));
    const b = drawAugmentations(200, {shift: 2, flip: true}, mulberry32(5));
    expect(a).toEqual(b);
    expect(a.every((d) => Math.abs(d.dx) <= 2 && Math.abs(d.dy) <= 2)).toBe(true);
    // all 5 offsets occur, and both flips
    expect(new Set(a.map((d) => d.dx)).size).toBe(5);
    expect(new Set(a.map((d) => d.flip)).size).toBe(2);
    expect(drawAugmentations(50, {shift: 1}, mulberry32(1)).some((d) => d.flip)).toBe(false);
    expect(augments({})).toBe(false);
    expect(augments({flip: true})).toBe(true);
  });

  test("batchAugmenter: seeded tensors, the input untouched; a uniform draw equals ops/shift's shiftImages", () => {
    const xs = tf.tensor4d(pixels, [...shape]);
    const f = batchAugmenter({shift: 1, flip: true, seed: 9});
    const g = batchAugmenter({shift: 1, flip: true, seed: 9});
    const a = f(xs);
    const b = g(xs);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(xs.dataSync())).toEqual(pixels);
    const s = shiftImages(xs, 1, -1); // right 1, up 1
    const same = augmentPixels(
      pixels,
      shape,
      [0, 1].map(() => ({dy: -1, dx: 1, flip: false}))
    );
    expect(Array.from(s.dataSync())).toEqual(Array.from(same));
    tf.dispose([xs, a, b, s]);
  });

  test("the loop's augment hook sees training batches only, labels unchanged, nothing leaks", async () => {
    const xs = tf.tensor4d(
      Array.from({length: 8 * 4}, (_, i) => (i % 4) / 4),
      [8, 2, 2, 1]
    );
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], "int32"), 2).toFloat());
    const model = tf.sequential({
      layers: [tf.layers.flatten({inputShape: [2, 2, 1]}), tf.layers.dense({units: 2, activation: "softmax"})]
    });
    const optimizer = tf.train.sgd(0.1);
    const seen: number[][] = [];
    const augment = (batch: tf.Tensor) => {
      seen.push(batch.shape);
      return tf.zerosLike(batch);
    };
    let valAccuracy = NaN;
    for await (const e of train({
      model,
      optimizer,
      train: {xs, ys},
      validation: {xs, ys},
      batchSize: 4,
      epochs: 1,
      augment
    })) {
      if (e.type === "epoch") valAccuracy = e.valAccuracy!;
    }
    // two training batches of 4, none for validation
    expect(seen).toEqual([
      [4, 2, 2, 1],
      [4, 2, 2, 1]
    ]);
    expect(valAccuracy).toBeGreaterThanOrEqual(0);
    tf.dispose([xs, ys]);
    model.dispose();
    optimizer.dispose();
  });
});
