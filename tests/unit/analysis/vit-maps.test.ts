// lib/analysis/vit-maps.ts against hand-worked numbers and naive loops; the layer-by-layer forward pass against the
// model's own predict.
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {
  attentionRollout,
  classTokenToPatches,
  cosineSimilarityMatrix,
  foregroundShare,
  headMean,
  positionEmbeddingRows,
  positionStructure,
  vitForwardWithMaps
} from "../../../lib/analysis/vit-maps.js";
import {buildVit, VIT_PRESETS} from "../../../lib/models/vit.js";

describe("cosine similarity", () => {
  test("hand-worked: [1,0], [0,1], [1,1]", () => {
    const s = cosineSimilarityMatrix([
      [1, 0],
      [0, 1],
      [1, 1]
    ]);
    expect(s[0][0]).toBeCloseTo(1, 12);
    expect(s[0][1]).toBeCloseTo(0, 12);
    expect(s[0][2]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(s[2][1]).toBeCloseTo(Math.SQRT1_2, 12);
  });
  test("scale does not matter; opposite rows are −1; a zero row is 0", () => {
    const s = cosineSimilarityMatrix([
      [3, 4],
      [-6, -8],
      [0, 0]
    ]);
    expect(s).toEqual([
      [1, -1, 0],
      [-1, 1, 0],
      [0, 0, 0]
    ]);
  });
});

describe("similarity by distance on the patch grid", () => {
  test("2×2 grid by hand: 8 ordered neighbour pairs at distance 1, 4 diagonal pairs at √2", () => {
    // positions 0 1 / 2 3; neighbours (0,1), (0,2), (1,3), (2,3); diagonals (0,3), (1,2)
    const s = [
      [1, 0.8, 0.6, 0.1],
      [0.8, 1, 0.3, 0.4],
      [0.6, 0.3, 1, 0.5],
      [0.1, 0.4, 0.5, 1]
    ];
    const r = positionStructure(s, [2, 2]);
    expect(r.byDistance.map((b) => b.pairs)).toEqual([8, 4]);
    expect(r.byDistance[0].distance).toBe(1);
    expect(r.byDistance[1].distance).toBeCloseTo(Math.SQRT2, 12);
    expect(r.byDistance[0].mean).toBeCloseTo((0.8 + 0.6 + 0.4 + 0.5) / 4, 12);
    expect(r.byDistance[1].mean).toBeCloseTo((0.1 + 0.3) / 2, 12);
    expect(r.neighbours).toBeCloseTo(0.575, 12);
    expect(r.farther).toBeCloseTo(0.2, 12);
    // Pearson over the 12 pairs, written out: x ∈ {1 (×8), √2 (×4)}
    const xs = [...Array(8).fill(1), ...Array(4).fill(Math.SQRT2)];
    const ys = [0.8, 0.6, 0.8, 0.4, 0.6, 0.5, 0.4, 0.5, 0.1, 0.3, 0.3, 0.1];
    const mx = xs.reduce((a, b) => a + b) / 12;
    const my = ys.reduce((a, b) => a + b) / 12;
    const cov = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0);
    const sx = Math.sqrt(xs.reduce((a, x) => a + (x - mx) ** 2, 0));
    const sy = Math.sqrt(ys.reduce((a, y) => a + (y - my) ** 2, 0));
    expect(r.correlation).toBeCloseTo(cov / (sx * sy), 10);
    expect(r.correlation).toBeLessThan(0);
  });
  test("embeddings that encode the position give neighbours more similarity than far pairs", () => {
    const rows = Array.from({length: 16}, (_, n) => {
      const [i, j] = [Math.floor(n / 4), n % 4];
      return [Math.cos(i), Math.sin(i), Math.cos(j), Math.sin(j)];
    });
    const r = positionStructure(cosineSimilarityMatrix(rows), [4, 4]);
    expect(r.neighbours).toBeGreaterThan(r.farther);
    expect(r.correlation).toBeLessThan(-0.5);
    expect(r.byDistance.reduce((a, b) => a + b.pairs, 0)).toBe(16 * 15);
  });
});

describe("class-token attention and rollout", () => {
  test("head mean", () => {
    expect(
      headMean([
        [
          [1, 0],
          [0, 1]
        ],
        [
          [0, 1],
          [0.5, 0.5]
        ]
      ])
    ).toEqual([
      [0.5, 0.5],
      [0.25, 0.75]
    ]);
  });
  test("rollout by hand: 0.5·A + 0.5·I, multiplied last block first", () => {
    const a1 = [
      [0.5, 0.5],
      [0.2, 0.8]
    ];
    const swap = [
      [0, 1],
      [1, 0]
    ];
    // Ã1 = [[0.75, 0.25], [0.1, 0.9]]; Ã2 = [[0.5, 0.5], [0.5, 0.5]]; Ã2·Ã1 = [[0.425, 0.575], [0.425, 0.575]]
    const r = attentionRollout([a1, swap]);
    expect(r[0][0]).toBeCloseTo(0.425, 12);
    expect(r[0][1]).toBeCloseTo(0.575, 12);
    expect(r[1][1]).toBeCloseTo(0.575, 12);
    // without the residual: plain product swap·A1
    const plain = attentionRollout([a1, swap], false);
    expect(plain[0]).toEqual([0.2, 0.8]);
    expect(attentionRollout([a1])[1]).toEqual([0.1, 0.9]);
  });
  test("the class token's row without itself, renormalised", () => {
    expect(classTokenToPatches([[0.5, 0.1, 0.3, 0.1]])).toEqual([0.2, 0.6, 0.2].map((v) => expect.closeTo(v, 12)));
  });
});

describe("attention on the object", () => {
  test("a 4×4 image in 2×2 patches: the bright top-left patch takes 0.7 of the map and is 1 of 4 patches", () => {
    // pixels: top-left 2×2 block bright (mean 0.75), one faint pixel (mean 0.05) in the bottom-right patch
    const pixels = [1, 0.5, 0, 0, 0.5, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.2];
    const r = foregroundShare(pixels, [4, 4], [0.7, 0.1, 0.1, 0.1], [2, 2]);
    expect(r.attention).toBeCloseTo(0.7, 12);
    expect(r.patches).toBe(0.25);
    expect(foregroundShare(pixels, [4, 4], [0.7, 0.1, 0.1, 0.1], [2, 2], 0.01).patches).toBe(0.5);
  });
});

describe("a ViT read layer by layer", () => {
  test("logits equal predict; one [B, h, T, T] map per block, rows summing to 1; position embedding rows", () => {
    const model = buildVit({...VIT_PRESETS.tiny, depth: 2}, {seed: 4});
    const images = tf.randomUniform([3, 28, 28, 1], 0, 1, "float32", 8) as tf.Tensor4D;
    const {logits, maps} = vitForwardWithMaps(model, images);
    const want = model.predict(images) as tf.Tensor;
    expect(logits.shape).toEqual([3, 10]);
    const a = logits.dataSync();
    want.dataSync().forEach((v, i) => expect(a[i]).toBeCloseTo(v, 4));
    expect(maps.map((m) => m.shape)).toEqual([
      [3, 4, 17, 17],
      [3, 4, 17, 17]
    ]);
    const sums = tf.tidy(() => tf.sum(maps[1], -1).dataSync());
    sums.forEach((s) => expect(s).toBeCloseTo(1, 5));
    const rows = positionEmbeddingRows(model);
    expect([rows.length, rows[0].length]).toEqual([17, 64]);
    tf.dispose([images, logits, want, ...maps]);
    model.dispose();
  });
});
