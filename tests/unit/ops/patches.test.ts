// ViT's patches (lib/ops/patches.ts): the reshape against a hand-written loop, and the patch embedding as flatten +
// matmul against TF.js's strided convolution and against a real buildVit model's patch_embed layers.
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {extractPatches, patchEmbedByMatmul, patchLayout, patchSizes} from "../../../lib/ops/patches.js";
import {buildVit, VIT_PRESETS} from "../../../lib/models/vit.js";

describe("patch layout", () => {
  test("224×224×3 with P = 16: 14 × 14 = 196 patches of 768 values", () => {
    expect(patchLayout(224, 224, 3, 16)).toEqual({rows: 14, cols: 14, patches: 196, patchDim: 768});
    expect(patchLayout(28, 28, 1, 7)).toEqual({rows: 4, cols: 4, patches: 16, patchDim: 49});
    expect(() => patchLayout(28, 28, 1, 5)).toThrow(RangeError);
  });
  test("patch sizes that divide 224", () => {
    expect(patchSizes(224, 224, 4, 56)).toEqual([4, 7, 8, 14, 16, 28, 32, 56]);
  });
});

describe("extractPatches", () => {
  test("a 4×4 image with values 0…15 and P = 2: four patches in row-major order", () => {
    const image = tf.tensor3d(
      Array.from({length: 16}, (_, i) => i),
      [4, 4, 1]
    );
    const patches = extractPatches(image, 2);
    expect(patches.shape).toEqual([4, 4]);
    expect(patches.arraySync()).toEqual([
      [0, 1, 4, 5],
      [2, 3, 6, 7],
      [8, 9, 12, 13],
      [10, 11, 14, 15]
    ]);
    tf.dispose([image, patches]);
  });
  test("against a loop: (dy, dx, c) flattening, with channels and a batch", () => {
    const [B, H, W, C, P] = [2, 6, 9, 2, 3];
    const pixels = Float32Array.from({length: B * H * W * C}, (_, i) => Math.cos(i * 0.11));
    const x = tf.tensor4d(pixels, [B, H, W, C]);
    const got = extractPatches(x, P);
    expect(got.shape).toEqual([B, 6, P * P * C]);
    const values = got.arraySync() as number[][][];
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < H / P; i++) {
        for (let j = 0; j < W / P; j++) {
          const want: number[] = [];
          for (let dy = 0; dy < P; dy++)
            for (let dx = 0; dx < P; dx++)
              for (let c = 0; c < C; c++) want.push(pixels[((b * H + i * P + dy) * W + j * P + dx) * C + c]);
          values[b][i * (W / P) + j].forEach((v, q) => expect(v).toBeCloseTo(want[q], 6));
        }
      }
    }
    tf.dispose([x, got]);
  });
});

describe("patch embedding = flatten + matmul", () => {
  test("equals conv2d with kernel = stride = P", () => {
    const x = tf.randomUniform([1, 12, 8, 3], 0, 1, "float32", 5) as tf.Tensor4D;
    const kernel = tf.randomNormal([4, 4, 3, 5], 0, 1, "float32", 6) as tf.Tensor4D;
    const bias = tf.randomNormal([5], 0, 1, "float32", 7) as tf.Tensor1D;
    const conv = tf.tidy(() => tf.add(tf.conv2d(x, kernel, 4, "valid"), bias).reshape([1, 6, 5]));
    const patches = extractPatches(x, 4);
    const mm = patchEmbedByMatmul(patches, kernel, bias);
    expect(mm.shape).toEqual([1, 6, 5]);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(conv, mm))).dataSync()[0]);
    expect(diff).toBeLessThan(1e-4);
    tf.dispose([x, kernel, bias, conv, patches, mm]);
  });
  test("equals a buildVit model's patch_embed.proj + patch_embed.flatten on an image", () => {
    const model = buildVit(
      {...VIT_PRESETS.tiny, inputShape: [16, 16, 3], patchSize: 8, embedDim: 12, numHeads: 2, depth: 1},
      {seed: 2}
    );
    const image = tf.randomUniform([1, 16, 16, 3], 0, 1, "float32", 9) as tf.Tensor4D;
    const [kernel, bias] = model.getLayer("patch_embed.proj").getWeights() as [tf.Tensor4D, tf.Tensor1D];
    const byLayers = tf.tidy(
      () =>
        model
          .getLayer("patch_embed.flatten")
          .apply(model.getLayer("patch_embed.proj").apply(image) as tf.Tensor) as tf.Tensor
    );
    const patches = extractPatches(image, 8);
    const byHand = patchEmbedByMatmul(patches, kernel, bias);
    expect(byLayers.shape).toEqual([1, 4, 12]);
    const a = byLayers.dataSync();
    const b = byHand.dataSync();
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 4));
    tf.dispose([image, byLayers, patches, byHand]);
    model.dispose();
  });
});
