/**
 * The Vision Transformer and DeiT (lib/models/vit.ts, lib/models/layers/vit-layers.ts): timm's parameter counts
 * derived here from timm's module definitions, multiply-adds against the published figures (dry-built, nothing
 * allocated), the patch embedding against a manual reshape, the tokens in their places, the block against a
 * hand-written pre-norm block, serialization, and a short training on Fashion-MNIST that learns.
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {gunzipSync} from "node:zlib";
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {dryGraph} from "../../../lib/analysis/dry-build.js";
import {countFlops} from "../../../lib/analysis/flops.js";
import {FASHION_MNIST_DIR, FASHION_MNIST_FILES} from "../../../lib/data/fashion-mnist.js";
import {mnistFromIdx, mnistTensors, type MnistSet} from "../../../lib/data/mnist.js";
import {ClassTokens, dropPath, gelu, SelectToken, VitEncoderBlock} from "../../../lib/models/layers/vit-layers.js";
import {LayerNorm} from "../../../lib/models/layers/layer-norm.js";
import {LocalSelfAttention, neighbourhoodOffsets, NonLocalBlock} from "../../../lib/models/layers/vision-attention.js";
import {modelGraph} from "../../../lib/analysis/graph.js";
import {layerCost} from "../../../lib/analysis/flops.js";
import {
  averageHeads,
  buildVit,
  dropPathRate,
  TINY_VIT_MODELS,
  VIT_MODEL_INFO,
  VIT_MODEL_NAMES,
  VIT_MODELS,
  VIT_PRESETS,
  vitTokens,
  type VitConfig
} from "../../../lib/models/vit.js";
import {evaluate, train} from "../../../lib/train/loop.js";
import {maxAbsDiff} from "../helpers.js";
import {categoricalCrossEntropy} from "../../../lib/train/losses.js";

/**
 * `sum(p.numel() for p in model.parameters())` of timm's modules, term by term:
 * - VisionTransformer: `patch_embed.proj` = nn.Conv2d(C, D, P, stride=P) (P·P·C·D + D); `cls_token` [1, 1, D];
 *   `pos_embed` [1, N + 1, D]; `blocks` = depth × Block; `norm` = LayerNorm(D) (2D); `head` = nn.Linear(D, K).
 * - Block: `norm1`, `norm2` (2D each); `attn.qkv` = nn.Linear(D, 3D, bias=qkv_bias=True); `attn.proj` =
 *   nn.Linear(D, D); `mlp.fc1` = nn.Linear(D, r·D), `mlp.fc2` = nn.Linear(r·D, D). (No LayerScale, no q/k norm.)
 * - VisionTransformerDistilled (deit.py): also `dist_token` [1, 1, D], `pos_embed` [1, N + 2, D], `head_dist`.
 */
function timmParams(c: VitConfig): number {
  const D = c.embedDim;
  const [h, w, C] = c.inputShape;
  const P = c.patchSize;
  const N = (h / P) * (w / P);
  const k = c.distilled ? 2 : 1;
  const linear = (i: number, o: number) => i * o + o;
  const block = 2 * D + linear(D, 3 * D) + linear(D, D) + 2 * D + linear(D, c.mlpRatio * D) + linear(c.mlpRatio * D, D);
  return P * P * C * D + D + k * D + (N + k) * D + c.depth * block + 2 * D + k * linear(D, c.numClasses);
}

const count = (weights: tf.LayerVariable[]) =>
  weights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 0), 1), 0);

describe("registry models at 224×224×3, 1000 classes (dry-built: no weights allocated)", () => {
  test("timm's counts, derived from the module definitions, are the registry's (ViT-B/16 86,567,656)", () => {
    for (const name of VIT_MODEL_NAMES)
      expect([name, timmParams(VIT_PRESETS[name])]).toEqual([name, VIT_MODEL_INFO[name].timm.params]);
    expect(VIT_MODEL_INFO.vit_base_patch16_224.timm.params).toBe(86_567_656);
    expect(VIT_MODEL_INFO.deit_base_distilled_patch16_224.timm.params).toBe(87_338_192);
  });

  test.each(VIT_MODEL_NAMES)("%s: timm's parameters, published multiply-adds", (name) => {
    const graph = dryGraph(() => VIT_MODELS[name]({weights: "zeros"}));
    const totals = countFlops(graph);
    expect(totals.uncounted).toEqual([]);
    expect(totals.trainableParams).toBe(VIT_MODEL_INFO[name].timm.params);
    expect(totals.params).toBe(totals.trainableParams); // no buffers
    const gmacs = totals.macs / 1e9;
    const published = VIT_MODEL_INFO[name].timm.gmacs;
    // within 3%, or (the tiny ones: 1.25–1.26 G against a published 1.3) the same at the published precision
    const close = Math.abs(gmacs / published - 1) < 0.03 || Math.round(gmacs * 10) / 10 === published;
    expect(close, `${name}: ${gmacs.toFixed(3)} G against ${published} G`).toBe(true);
    expect(graph.calls.find((c) => c.className === "Conv2D")!.name).toBe("patch_embed.proj");
    expect(graph.calls.at(-1)!.outputShape).toEqual([1000]);
  });

  test("ViT-B/16: 17.6 G multiply-adds, counted by hand: patches, 12 blocks of 197 tokens, head", () => {
    const T = 197;
    const D = 768;
    const block = T * D * 3 * D + 2 * T * T * D + T * D * D + 2 * T * D * 4 * D;
    const byHand = 196 * 16 * 16 * 3 * D + 12 * block + D * 1000;
    const totals = countFlops(dryGraph(() => VIT_MODELS.vit_base_patch16_224({weights: "zeros"})));
    expect(totals.macs).toBe(byHand);
    expect(Math.abs(byHand / 17.6e9 - 1)).toBeLessThan(0.03);
  });

  test("builders take chapter 3's options (input shape, classes)", () => {
    const graph = dryGraph(() => VIT_MODELS.deit_tiny_distilled_patch16_224({inputShape: [64, 32, 3], numClasses: 7}));
    const tokens = graph.calls.find((c) => c.name === "pos_embed")!;
    expect(tokens.outputShape).toEqual([4 * 2 + 2, 192]);
    expect(graph.calls.filter((c) => c.className === "Dense").map((c) => c.outputShape)).toEqual([[7], [7]]);
  });
});

describe("small presets for 28×28×1", () => {
  test("tiny: 16 patches of 7×7 + class token, D 64, 139,018 parameters", () => {
    expect(vitTokens(VIT_PRESETS.tiny)).toEqual({patches: 16, grid: [4, 4], total: 17});
    expect(vitTokens(VIT_PRESETS.tinyDistilled).total).toBe(18);
    const model = TINY_VIT_MODELS.vit({seed: 1});
    try {
      expect(model.countParams()).toBe(timmParams(VIT_PRESETS.tiny));
      expect(model.countParams()).toBe(139_018);
      expect(count(model.trainableWeights)).toBe(139_018);
      expect(model.outputs[0].shape).toEqual([null, 10]);
    } finally {
      model.dispose();
    }
    expect(() => vitTokens({inputShape: [28, 28, 1], patchSize: 5, distilled: false})).toThrow(RangeError);
  });

  test("the patch embedding is a linear map of each flattened P×P×C patch (against a manual reshape)", () => {
    const config: VitConfig = {...VIT_PRESETS.tiny, inputShape: [8, 12, 2], patchSize: 4, embedDim: 8, numHeads: 2};
    const model = buildVit(config, {seed: 3});
    try {
      const [H, W, C, P, D] = [8, 12, 2, 4, 8];
      const pixels = Float32Array.from({length: H * W * C}, (_, i) => Math.sin(i * 0.37));
      const probe = tf.model({inputs: model.inputs, outputs: model.getLayer("patch_embed.flatten").output});
      const [kernel, bias] = model.getLayer("patch_embed.proj").getWeights();
      const k = kernel.dataSync(); // [P, P, C, D]
      const b = bias.dataSync();
      const got = tf.tidy(() =>
        (probe.predict(tf.tensor4d(pixels, [1, H, W, C])) as tf.Tensor).arraySync()
      ) as number[][][];
      expect([got[0].length, got[0][0].length]).toEqual([6, D]);
      // patch n = (row i, column j) in row-major order, its pixels flattened (dy, dx, c) times the [P·P·C, D] matrix
      for (let i = 0; i < H / P; i++) {
        for (let j = 0; j < W / P; j++) {
          const flat: number[] = [];
          for (let dy = 0; dy < P; dy++) {
            for (let dx = 0; dx < P; dx++) {
              for (let c = 0; c < C; c++) flat.push(pixels[((i * P + dy) * W + j * P + dx) * C + c]);
            }
          }
          const want = Array.from({length: D}, (_, d) => flat.reduce((s, v, q) => s + v * k[q * D + d], b[d]));
          got[0][i * (W / P) + j].forEach((v, d) => expect(v).toBeCloseTo(want[d], 5));
        }
      }
    } finally {
      model.dispose();
    }
  });
});

describe("the ViT layers", () => {
  test("GELU is exact (erf): x·Φ(x) at known points", () => {
    const y = tf.tidy(() => gelu(tf.tensor1d([-2, -1, 0, 0.5, 1, 2])).dataSync());
    // Φ(1) = 0.841344746, Φ(2) = 0.977249868, Φ(0.5) = 0.691462461
    const want = [-2 * (1 - 0.977249868), -(1 - 0.841344746), 0, 0.5 * 0.691462461, 0.841344746, 2 * 0.977249868];
    want.forEach((w, i) => expect(y[i]).toBeCloseTo(w, 5));
  });

  test("class token first, distillation token second, then the patches", () => {
    const layer = new ClassTokens({distillation: true, seed: 5});
    const x = tf.tensor3d(
      Float32Array.from({length: 2 * 3 * 4}, (_, i) => i + 1),
      [2, 3, 4]
    );
    try {
      const y = tf.tidy(() => layer.apply(x) as tf.Tensor);
      expect(y.shape).toEqual([2, 5, 4]);
      const [cls, dist] = layer.getWeights().map((w) => Array.from(w.dataSync()));
      expect(layer.getWeights().map((w) => w.shape)).toEqual([[4], [4]]);
      const out = y.arraySync() as number[][][];
      const xs = x.arraySync();
      for (let b = 0; b < 2; b++) {
        out[b][0].forEach((v, d) => expect(v).toBeCloseTo(cls[d], 6));
        out[b][1].forEach((v, d) => expect(v).toBeCloseTo(dist[d], 6));
        expect(out[b].slice(2)).toEqual(xs[b]);
      }
      // class token N(0, 1e-12): tiny; distillation token truncated N(0, 0.02²)
      expect(Math.max(...cls.map(Math.abs))).toBeLessThan(1e-5);
      expect(Math.max(...dist.map(Math.abs))).toBeLessThanOrEqual(0.04);
      expect(Math.max(...dist.map(Math.abs))).toBeGreaterThan(1e-4);
      const picked = tf.tidy(() => (new SelectToken({index: 1}).apply(y) as tf.Tensor).arraySync()) as number[][];
      expect(picked).toEqual(out.map((row) => row[1]));
      y.dispose();
    } finally {
      x.dispose();
      layer.dispose();
    }
  });

  test("VitEncoderBlock = x + Attn(LN(x)), then + fc2(GELU(fc1(LN(·)))), one head, by hand", () => {
    const [T, D] = [3, 4];
    const block = new VitEncoderBlock({numHeads: 1, dimFeedforward: 6, seed: 9});
    const x = tf.tensor3d(
      Float32Array.from({length: T * D}, (_, i) => Math.cos(i * 1.3) * 2),
      [1, T, D]
    );
    try {
      const y = tf.tidy(() => (block.apply(x) as tf.Tensor).arraySync()) as number[][][];
      const w = Object.fromEntries(block.weights.map((v) => [v.originalName.split("/").pop()!, v.read().arraySync()]));
      type M = number[][];
      const mat = (a: M, b: M): M => a.map((r) => b[0].map((_, j) => r.reduce((s, v, q) => s + v * b[q][j], 0)));
      const addRow = (a: M, bias: number[]): M => a.map((r) => r.map((v, j) => v + bias[j]));
      const ln = (a: M, g: number[], b: number[]): M =>
        a.map((r) => {
          const m = r.reduce((s, v) => s + v, 0) / r.length;
          const v = r.reduce((s, u) => s + (u - m) ** 2, 0) / r.length;
          return r.map((u, j) => ((u - m) / Math.sqrt(v + 1e-6)) * g[j] + b[j]);
        });
      const erf = (z: number) => {
        // Abramowitz–Stegun 7.1.26 is too coarse; a series is exact enough for |z| < 3
        let sum = z;
        let term = z;
        for (let n = 1; n < 60; n++) {
          term *= (-z * z) / n;
          sum += term / (2 * n + 1);
        }
        return (2 / Math.sqrt(Math.PI)) * sum;
      };
      const x0 = (x.arraySync() as number[][][])[0];
      const h = ln(x0, w["norm1.weight"] as number[], w["norm1.bias"] as number[]);
      const qkv = addRow(mat(h, w["self_attn.in_proj_weight"] as M), w["self_attn.in_proj_bias"] as number[]);
      const q = qkv.map((r) => r.slice(0, D));
      const k = qkv.map((r) => r.slice(D, 2 * D));
      const v = qkv.map((r) => r.slice(2 * D));
      const att = q.map((qi) => {
        const s = k.map((kj) => qi.reduce((a, u, d) => a + u * kj[d], 0) / Math.sqrt(D));
        const e = s.map((u) => Math.exp(u - Math.max(...s)));
        const z = e.reduce((a, u) => a + u, 0);
        return v[0].map((_, d) => e.reduce((a, u, j) => a + (u / z) * v[j][d], 0));
      });
      const sa = addRow(mat(att, w["self_attn.out_proj.weight"] as M), w["self_attn.out_proj.bias"] as number[]);
      const x1 = x0.map((r, i) => r.map((u, d) => u + sa[i][d]));
      const h2 = ln(x1, w["norm2.weight"] as number[], w["norm2.bias"] as number[]);
      const hidden = addRow(mat(h2, w["linear1.weight"] as M), w["linear1.bias"] as number[]).map((r) =>
        r.map((u) => 0.5 * u * (1 + erf(u / Math.SQRT2)))
      );
      const mlp = addRow(mat(hidden, w["linear2.weight"] as M), w["linear2.bias"] as number[]);
      const want = x1.map((r, i) => r.map((u, d) => u + mlp[i][d]));
      y[0].forEach((r, i) => r.forEach((u, d) => expect(u).toBeCloseTo(want[i][d], 4)));
    } finally {
      x.dispose();
      block.dispose();
    }
  });
});

describe("issue 15's speed-up: the course LayerNorm and stochastic depth", () => {
  test("LayerNorm = tf.layers.layerNormalization: same weights (gamma, beta), outputs and gradients", () => {
    const x = tf.randomNormal([3, 5, 8], 0, 2, "float32", 11);
    const dy = tf.randomNormal([3, 5, 8], 0, 1, "float32", 12);
    const ours = new LayerNorm({epsilon: 1e-6});
    const keras = tf.layers.layerNormalization({epsilon: 1e-6});
    const before = tf.memory().numTensors;
    try {
      tf.tidy(() => void ours.apply(x));
      tf.tidy(() => void keras.apply(x));
      expect(ours.weights.map((w) => w.originalName.split("/").pop())).toEqual(["gamma", "beta"]);
      expect(ours.weights.map((w) => w.shape)).toEqual(keras.weights.map((w) => w.shape));
      // non-trivial γ and β, the same in both
      const gb = [tf.randomNormal([8], 1, 0.5, "float32", 13), tf.randomNormal([8], 0, 0.5, "float32", 14)];
      ours.setWeights(gb);
      keras.setWeights(gb);
      tf.dispose(gb);
      const run = (layer: tf.layers.Layer) =>
        tf.tidy(() => {
          const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
          const f = () => tf.sum(tf.mul(layer.apply(x, {training: true}) as tf.Tensor, dy)) as tf.Scalar;
          const {grads} = tf.variableGrads(f, vars);
          const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, dy)))(x);
          return [layer.apply(x) as tf.Tensor, dx, ...vars.map((v) => grads[v.name])].map((t) => t.arraySync());
        });
      const [a, b] = [run(ours), run(keras)];
      a.forEach((v, i) => expect(maxAbsDiff(v, b[i])).toBeLessThan(1e-5));
    } finally {
      tf.dispose([x, dy]);
      ours.dispose();
      keras.dispose();
    }
    expect(tf.memory().numTensors).toBe(before - 2);
  });

  test("the tiny ViT's final norm is the course LayerNorm by default, Keras's on request; same count and numbers", () => {
    const a = TINY_VIT_MODELS.vit({seed: 4});
    const b = TINY_VIT_MODELS.vit({seed: 4, finalNorm: "layers"});
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, "float32", 15);
    try {
      expect(a.getLayer("norm").getClassName()).toBe("LayerNorm");
      expect(b.getLayer("norm").getClassName()).toBe("LayerNormalization");
      expect(a.countParams()).toBe(139_018);
      expect(b.countParams()).toBe(139_018);
      expect(a.getWeights().map((w) => w.shape)).toEqual(b.getWeights().map((w) => w.shape));
      const diff = tf.tidy(
        () => tf.max(tf.abs(tf.sub(a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor))).dataSync()[0]
      );
      expect(diff).toBeLessThan(1e-5);
      // the analysis counts the course LayerNorm as Keras's: 2·64 weights, 7 operations per element
      const call = modelGraph(a).calls.find((c) => c.name === "norm")!;
      const keras = modelGraph(b).calls.find((c) => c.name === "norm")!;
      expect(layerCost(call)).toEqual(layerCost(keras));
    } finally {
      x.dispose();
      a.dispose();
      b.dispose();
    }
  });

  test("dropPath: rate 0 and inference are the identity; in training each example is dropped or scaled by 1/(1 − p)", () => {
    const x = tf.ones([4000, 3, 2]);
    try {
      expect(dropPath(x, 0, true)).toBe(x);
      expect(dropPath(x, 0.3, false)).toBe(x);
      const y = tf.tidy(() => dropPath(x, 0.3, true).arraySync()) as number[][][];
      // per example: all of it 0 or all of it 1/0.7
      const perExample = y.map((rows) => {
        const flat = rows.flat();
        expect(new Set(flat).size).toBe(1);
        return flat[0];
      });
      const kept = perExample.filter((v) => v !== 0);
      kept.forEach((v) => expect(v).toBeCloseTo(1 / 0.7, 5));
      // dropped fraction ≈ 0.3 (4000 draws: standard error 0.007) and the mean ≈ 1 (the expected value is kept)
      expect(Math.abs(1 - kept.length / 4000 - 0.3)).toBeLessThan(0.03);
      expect(Math.abs(perExample.reduce((s, v) => s + v, 0) / 4000 - 1)).toBeLessThan(0.05);
    } finally {
      x.dispose();
    }
  });

  test("blocks get timm's linspace of rates; a block with dropPath is unchanged in inference; the config keeps it", async () => {
    [0, 0.1, 0.2, 0.3].forEach((want, i) => expect(dropPathRate(0.3, i, 4)).toBeCloseTo(want, 12));
    expect(dropPathRate(0.3, 0, 1)).toBe(0);
    const model = buildVit({...VIT_PRESETS.tiny, dropPath: 0.3}, {seed: 6});
    const plain = buildVit(VIT_PRESETS.tiny, {seed: 6});
    const x = tf.randomUniform([16, 28, 28, 1], 0, 1, "float32", 16);
    let saved: tf.io.ModelArtifacts | undefined;
    try {
      [0, 0.1, 0.2, 0.3].forEach((want, i) =>
        expect((model.getLayer(`blocks.${i}`) as VitEncoderBlock).dropPath).toBeCloseTo(want, 12)
      );
      tf.tidy(() => {
        const inference = tf.max(tf.abs(tf.sub(model.predict(x) as tf.Tensor, plain.predict(x) as tf.Tensor)));
        expect(inference.dataSync()[0]).toBeLessThan(1e-6);
        // in training some examples' branches are dropped: the outputs differ from the plain model's
        const train = model.apply(x, {training: true}) as tf.Tensor;
        const perExample = tf.max(tf.abs(tf.sub(train, plain.apply(x, {training: true}) as tf.Tensor)), 1);
        expect(perExample.max().dataSync()[0]).toBeGreaterThan(1e-4);
      });
      await model.save(
        tf.io.withSaveHandler(async (artifacts) => {
          saved = artifacts;
          return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: "JSON"}};
        })
      );
      const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
      expect((loaded.getLayer("blocks.3") as VitEncoderBlock).dropPath).toBeCloseTo(0.3, 12);
      expect(loaded.getLayer("norm").getClassName()).toBe("LayerNorm");
      loaded.dispose();
    } finally {
      x.dispose();
      model.dispose();
      plain.dispose();
    }
  });
});

describe("the whole model", () => {
  test("a distilled model has two heads on tokens 0 and 1; averageHeads is timm's inference output", () => {
    const model = TINY_VIT_MODELS.deit({seed: 2});
    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, "float32", 4);
    try {
      expect(model.outputs.map((o) => o.shape)).toEqual([
        [null, 10],
        [null, 10]
      ]);
      expect(model.outputs.map((o) => o.sourceLayer.name)).toEqual(["head", "head_dist"]);
      tf.tidy(() => {
        const [a, b] = model.predict(x) as tf.Tensor[];
        const avg = averageHeads([a, b]);
        expect(Array.from(avg.dataSync())).toEqual(
          Array.from(a.dataSync()).map((v, i) => expect.closeTo((v + b.dataSync()[i]) / 2, 6) as unknown as number)
        );
        // the heads read different tokens: head_dist applied to token 0 would not give head_dist's output
        const norm = tf.model({inputs: model.inputs, outputs: model.getLayer("norm").output}).predict(x) as tf.Tensor;
        const [kernel, bias] = model.getLayer("head_dist").getWeights();
        const onToken1 = tf.add(tf.matMul(tf.reshape(tf.slice(norm, [0, 1, 0], [3, 1, 64]), [3, 64]), kernel), bias);
        expect(tf.max(tf.abs(tf.sub(onToken1, b))).dataSync()[0]).toBeLessThan(1e-5);
      });
    } finally {
      x.dispose();
      model.dispose();
    }
  });

  test("serialization round trip: same config, weights and predictions", async () => {
    const model = TINY_VIT_MODELS.deit({seed: 7});
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, "float32", 8);
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: "JSON"}};
      })
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    try {
      expect(loaded.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
      expect(loaded.countParams()).toBe(model.countParams());
      tf.tidy(() => {
        const a = model.predict(x) as tf.Tensor[];
        const b = loaded.predict(x) as tf.Tensor[];
        for (let i = 0; i < 2; i++) expect(tf.max(tf.abs(tf.sub(a[i], b[i]))).dataSync()[0]).toBeLessThan(1e-5);
      });
    } finally {
      x.dispose();
      model.dispose();
      loaded.dispose();
    }
  });
});

describe("training on Fashion-MNIST (original IDX files, a small subset)", () => {
  const read = (name: string) => new Uint8Array(gunzipSync(readFileSync(join(FASHION_MNIST_DIR, name))));
  const slice = (set: MnistSet, start: number, n: number): MnistSet => ({
    images: set.images.slice(start * 784, (start + n) * 784),
    labels: set.labels.slice(start, start + n),
    count: n
  });

  test("the tiny ViT clearly beats chance (10%) after two short epochs; images/s of a training step", async () => {
    const all = mnistFromIdx(read(FASHION_MNIST_FILES.train.images), read(FASHION_MNIST_FILES.train.labels));
    const trainSet = mnistTensors(slice(all, 0, 2048));
    const testSet = mnistTensors(slice(all, 50_000, 500));
    const model = TINY_VIT_MODELS.vit({seed: 1});
    const optimizer = tf.train.adam(0.003);
    const loss = categoricalCrossEntropy({from: "logits"});
    try {
      const rates: number[] = [];
      for await (const e of train({
        model,
        optimizer,
        train: trainSet,
        loss,
        epochs: 2,
        batchSize: 64,
        taskBudgetMs: Infinity
      })) {
        if (e.type === "batch" && e.batch > 2) rates.push(e.examplesPerSec);
      }
      const result = await evaluate(model, testSet, {loss});
      rates.sort((a, b) => a - b);
      console.log(
        `tiny ViT on ${tf.getBackend()}: median ${Math.round(rates[rates.length >> 1])} images/s ` +
          `(batch 64), held-out accuracy ${(result.accuracy * 100).toFixed(1)}% after 2 epochs of 2,048 images`
      );
      expect(result.accuracy).toBeGreaterThan(0.5);
    } finally {
      model.dispose();
      optimizer.dispose();
      for (const t of [trainSet.xs, trainSet.ys, testSet.xs, testSet.ys]) t.dispose();
    }
  }, 120_000);
});

describe("attention inside a CNN (V1): against hand-written loops", () => {
  type M = number[][];
  const mat = (a: M, b: M): M => a.map((r) => b[0].map((_, j) => r.reduce((s, v, q) => s + v * b[q][j], 0)));
  const addRow = (a: M, bias: number[]): M => a.map((r) => r.map((v, j) => v + bias[j]));
  const softmax = (s: number[]) => {
    const e = s.map((u) => Math.exp(u - Math.max(...s)));
    const z = e.reduce((a, u) => a + u, 0);
    return e.map((u) => u / z);
  };

  test("non-local block: z = W_z softmax(θ φᵀ) g + x, and its attention map", () => {
    const [H, W, C] = [2, 3, 4];
    const layer = new NonLocalBlock({seed: 11});
    const x = tf.tensor4d(
      Float32Array.from({length: H * W * C}, (_, i) => Math.sin(i * 0.7) * 1.5),
      [1, H, W, C]
    );
    try {
      tf.tidy(() => void layer.apply(x));
      // W_z starts at 0 (the block is the identity); give it values to test the whole path
      const ws = layer.getWeights();
      const names = layer.weights.map((v) => v.originalName.split("/").pop()!);
      const iz = names.indexOf("W_z.weight");
      const fresh = tf.randomNormal(ws[iz].shape, 0, 1, "float32", 5);
      layer.setWeights(ws.map((t, i) => (i === iz ? fresh : t)));
      fresh.dispose();
      const w = Object.fromEntries(layer.weights.map((v, i) => [names[i], v.read().arraySync()]));
      const X = (x.arraySync() as number[][][][])[0].flat(); // [N, C], row-major positions
      const theta = addRow(mat(X, w["theta.weight"] as M), w["theta.bias"] as number[]);
      const phi = addRow(mat(X, w["phi.weight"] as M), w["phi.bias"] as number[]);
      const g = addRow(mat(X, w["g.weight"] as M), w["g.bias"] as number[]);
      const f = theta.map((ti) => softmax(phi.map((pj) => ti.reduce((a, u, c) => a + u * pj[c], 0))));
      const y = mat(f, g);
      const z = addRow(mat(y, w["W_z.weight"] as M), w["W_z.bias"] as number[]).map((r, i) =>
        r.map((u, c) => u + X[i][c])
      );
      const {output, weights} = layer.attention(x);
      const out = (output.arraySync() as number[][][][])[0].flat();
      out.forEach((r, i) => r.forEach((u, c) => expect(u).toBeCloseTo(z[i][c], 4)));
      (weights.arraySync() as M[])[0].forEach((r, i) => r.forEach((u, j) => expect(u).toBeCloseTo(f[i][j], 5)));
      expect(weights.shape).toEqual([1, 6, 6]);
      tf.dispose([output, weights]);
    } finally {
      x.dispose();
      layer.dispose();
    }
  });

  test("local self-attention: softmax over the k×k neighbours inside the image of q·(k + r), per head", () => {
    const [H, W, C, D, heads, K] = [3, 4, 2, 4, 2, 3];
    const layer = new LocalSelfAttention({filters: D, kernelSize: K, numHeads: heads, seed: 13});
    const x = tf.tensor4d(
      Float32Array.from({length: H * W * C}, (_, i) => Math.cos(i * 0.9)),
      [1, H, W, C]
    );
    try {
      const {output, weights} = layer.attention(x);
      expect(output.shape).toEqual([1, H, W, D]);
      expect(weights.shape).toEqual([1, H, W, heads, K * K]);
      const w = Object.fromEntries(layer.weights.map((v) => [v.originalName.split("/").pop()!, v.read().arraySync()]));
      const px = (x.arraySync() as number[][][][])[0];
      const proj = (name: string) => px.map((row) => mat(row, w[name] as M)); // [H][W][D]
      const [q, k, v] = [proj("query.weight"), proj("key.weight"), proj("value.weight")];
      const rows = w.rel_rows as M;
      const cols = w.rel_cols as M;
      const out = (output.arraySync() as number[][][][])[0];
      const att = (weights.arraySync() as number[][][][][])[0];
      const dk = D / heads;
      const p = (K - 1) / 2;
      for (let i = 0; i < H; i++) {
        for (let j = 0; j < W; j++) {
          for (let hd = 0; hd < heads; hd++) {
            const inside = neighbourhoodOffsets(K).filter(
              ([dy, dx]) => i + dy >= 0 && i + dy < H && j + dx >= 0 && j + dx < W
            );
            const scores = inside.map(([dy, dx]) => {
              const r = [...rows[dy + p], ...cols[dx + p]];
              let s = 0;
              for (let c = hd * dk; c < (hd + 1) * dk; c++) s += q[i][j][c] * (k[i + dy][j + dx][c] + r[c]);
              return s;
            });
            const a = softmax(scores);
            for (let c = hd * dk; c < (hd + 1) * dk; c++) {
              const want = inside.reduce((sum, [dy, dx], n) => sum + a[n] * v[i + dy][j + dx][c], 0);
              expect(out[i][j][c]).toBeCloseTo(want, 4);
            }
            // the weights of neighbours outside the image are 0, the others are the softmax
            const all = neighbourhoodOffsets(K);
            all.forEach(([dy, dx], o) => {
              const n = inside.findIndex(([ey, ex]) => ey === dy && ex === dx);
              expect(att[i][j][hd][o]).toBeCloseTo(n < 0 ? 0 : a[n], 5);
            });
          }
        }
      }
      tf.dispose([output, weights]);
    } finally {
      x.dispose();
      layer.dispose();
    }
  });

  test("a small CNN with both: the analysis counts their real weights; local attention has fewer than a 3×3 conv", () => {
    const input = tf.input({shape: [8, 8, 4]});
    let y = new LocalSelfAttention({filters: 8, kernelSize: 3, numHeads: 2, seed: 1}).apply(input) as tf.SymbolicTensor;
    y = new NonLocalBlock({seed: 2}).apply(y) as tf.SymbolicTensor;
    const model = tf.model({inputs: input, outputs: y});
    try {
      const graph = modelGraph(model);
      for (const call of graph.calls) {
        expect([call.name, layerCost({...call, params: null}).params]).toEqual([call.name, call.params!.total]);
      }
      expect(graph.calls[1].params!.total).toBe(3 * 4 * 8 + 3 * 8); // W_Q, W_K, W_V and the relative embeddings
      expect(graph.calls[1].params!.total).toBeLessThan(9 * 4 * 8 + 8); // a 3×3 convolution 4 -> 8
      const trained = tf.tidy(() => {
        const grads = tf.variableGrads(
          () => tf.mean(tf.square(model.apply(tf.ones([2, 8, 8, 4]), {training: true}) as tf.Tensor)) as tf.Scalar
        );
        return Object.values(grads.grads).every((g) => Number.isFinite(tf.sum(tf.abs(g)).dataSync()[0]));
      });
      expect(trained).toBe(true);
    } finally {
      model.dispose();
    }
  });
});
