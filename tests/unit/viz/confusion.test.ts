import {describe, expect, test} from "vitest";
import {mulberry32} from "../../../lib/random.js";
import {tf} from "../../../lib/tf.js";
import {confusionCells, confusionCounts, confusionMatrix, confusionRows} from "../../../lib/viz/confusion.js";
import {makeDocument, serialize} from "./dom.js";

/** Seeded labels of a 10-class classifier that is right 90 % of the time and confuses some digits more. */
function mnistLike(n: number, seed: number) {
  const rand = mulberry32(seed);
  const actual: number[] = [];
  const predicted: number[] = [];
  const likelyMistake = [6, 7, 7, 5, 9, 3, 0, 2, 3, 4]; // 4↔9, 3↔5, 7→2, …
  for (let i = 0; i < n; i++) {
    const t = Math.floor(rand() * 10);
    const r = rand();
    actual.push(t);
    predicted.push(r < 0.9 ? t : r < 0.96 ? likelyMistake[t] : Math.floor(rand() * 10));
  }
  return {actual, predicted};
}

describe("counts and cells", () => {
  test("counts by [true][predicted]", () => {
    expect(confusionCounts([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3)).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 2]
    ]);
    expect(confusionCounts(Int32Array.from([1, 1]), Uint8Array.from([0, 1]), 2)).toEqual([
      [0, 0],
      [1, 1]
    ]);
    expect(() => confusionCounts([0, 1], [0], 2)).toThrow(RangeError);
    expect(() => confusionCounts([0, 2], [0, 1], 2)).toThrow(/not in 0…1/);
    expect(() => confusionCounts([0.5], [0], 2)).toThrow(RangeError);
  });

  test("counts agree with one-hot(true)ᵀ · one-hot(predicted) in TF.js on seeded labels", () => {
    // what tf.math.confusionMatrix computes; its int32 matMul has no kernel on the wasm backend, so in float32
    const {actual, predicted} = mnistLike(500, 3);
    const reference = tf.tidy(() => {
      const a = tf.oneHot(tf.tensor1d(actual, "int32"), 10).toFloat();
      const p = tf.oneHot(tf.tensor1d(predicted, "int32"), 10).toFloat();
      return tf.matMul(a, p, true, false);
    });
    try {
      expect(confusionCounts(actual, predicted, 10)).toEqual(reference.arraySync());
      expect(confusionRows(reference)).toEqual(reference.arraySync());
    } finally {
      reference.dispose();
    }
  });

  test("nested, typed, flat and tensor matrices read the same", () => {
    const rows = [
      [5, 1],
      [2, 7]
    ];
    expect(confusionRows(rows)).toEqual(rows);
    expect(confusionRows([Int32Array.from([5, 1]), Int32Array.from([2, 7])])).toEqual(rows);
    expect(confusionRows(Int32Array.from([5, 1, 2, 7]))).toEqual(rows);
    expect(() => confusionRows([1, 2, 3])).toThrow(/k²/);
    const t = tf.tensor2d(rows, [2, 2], "int32");
    try {
      expect(confusionRows(t)).toEqual(rows);
    } finally {
      t.dispose();
    }
    expect(() => confusionRows([[1, 2], [3]])).toThrow(/square/);
  });

  test("colours: diagonal blue by row share, errors red by share of the worst, zero near-white", () => {
    const cells = confusionCells([
      [8, 2],
      [0, 10]
    ]);
    // (0,0): 0.8 of the way from blue 0 (231,245,255) to blue 9 (24,100,171) → (65.4, 129, 187.8)
    // (0,1): share 0.2 is the largest error → red 9; (1,1): share 1 → blue 9
    expect(cells).toEqual([
      {actual: 0, predicted: 0, count: 8, fraction: 0.8, fill: "rgb(65,129,188)", textFill: "white"},
      {actual: 0, predicted: 1, count: 2, fraction: 0.2, fill: "rgb(201,42,42)", textFill: "white"},
      {actual: 1, predicted: 0, count: 0, fraction: 0, fill: "#f8f9fa", textFill: "#212529"},
      {actual: 1, predicted: 1, count: 10, fraction: 1, fill: "rgb(24,100,171)", textFill: "white"}
    ]);
    // an error a quarter the share of the worst is drawn at √¼ = ½ of the red ramp: (228, 143.5, 143.5)
    const red = confusionCells([
      [6, 4, 0],
      [0, 9, 1],
      [0, 0, 1]
    ]).find((d) => d.actual === 1 && d.predicted === 2)!;
    expect(red.fill).toBe("rgb(228,144,144)");
    expect(red.textFill).toBe("#212529");
  });
});

describe("confusionMatrix", () => {
  const document = makeDocument();
  const {actual, predicted} = mnistLike(2000, 7);
  const counts = confusionCounts(actual, predicted, 10);

  test("counts, 10 classes, 640 px", async () => {
    const el = confusionMatrix(counts, {width: 640, document});
    const texts = [...el.querySelectorAll('g[aria-label="text"] text')].map((t) => t.textContent);
    expect(texts).toContain(String(counts[4][4]));
    expect(el.textContent).toContain("예측 (predicted)");
    expect(el.textContent).toContain("실제 (true)");
    await expect(serialize(el)).toMatchFileSnapshot("__snapshots__/confusion-counts.svg");
  });

  test("normalized rows, flat Int32Array input, long class names", async () => {
    const flat = Int32Array.from(counts.flat());
    const labels = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];
    const el = confusionMatrix(flat, {width: 640, labels, normalize: true, document});
    expect(el.querySelector('g[aria-label="x-axis tick label"] text')?.getAttribute("transform")).toContain("rotate");
    await expect(serialize(el)).toMatchFileSnapshot("__snapshots__/confusion-normalized.svg");
    const other = mnistLike(2000, 8);
    const otherCounts = confusionCounts(other.actual, other.predicted, 10);
    expect(serialize(confusionMatrix(otherCounts, {width: 640, document}))).not.toBe(
      serialize(confusionMatrix(counts, {width: 640, document}))
    );
  });
});
