/**
 * V1's three networks (lib/models/attention-cnn.ts): shapes, parameter counts against counts by hand (layer by layer,
 * written out here), lib/analysis's counts, the non-local attention map, a serialization round trip, and a short
 * training in Node that learns.
 */
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {
  ATTENTION_CNN_KINDS,
  ATTENTION_CNN_LEARNING_RATE,
  attentionCnn,
  attentionCnnParams,
  nonLocalAttention,
  NON_LOCAL_LAYER
} from "../../../lib/models/attention-cnn.js";
import {LocalSelfAttention} from "../../../lib/models/layers/vision-attention.js";
import {countFlops} from "../../../lib/analysis/flops.js";
import "../../../lib/analysis/layers.js";
import {train} from "../../../lib/train/loop.js";

describe("V1 networks", () => {
  test("parameter counts equal hand counts, layer by layer", () => {
    // stem 9·1·16 + 16 = 160; conv 16→32: 9·16·32 + 32 = 4,640; conv 32→32: 9·32·32 + 32 = 9,248; head 32·10 + 10 = 330
    const cnn = 160 + 4640 + 9248 + 330;
    // non-local at C = 16, C' = 8: θ, φ, g 3·(16·8 + 8) = 408, W_z 8·16 + 16 = 144
    const nonLocal = cnn + 408 + 144;
    // local attention d = 56, k = 3: 16→56: 3·16·56 + 3·56 = 2,856; 56→56: 3·56·56 + 3·56 = 9,576; head 56·10 + 10 = 570;
    // a BatchNorm after each attention layer: γ, β, running mean and variance, 4·56 = 224 each
    const local = 160 + 2856 + 224 + 9576 + 224 + 570;
    const hand = {cnn, nonLocal, local};
    for (const kind of ATTENTION_CNN_KINDS) {
      const model = attentionCnn(kind, {}, {weights: "zeros"});
      expect(model.countParams(), kind).toBe(hand[kind]);
      expect(attentionCnnParams(kind), kind).toBe(hand[kind]);
      const counted = countFlops(model);
      expect(counted.params, `${kind}: lib/analysis`).toBe(hand[kind]);
      expect(counted.uncounted).toEqual([]);
      model.dispose();
    }
    // similar sizes: within 15% of the CNN
    for (const kind of ATTENTION_CNN_KINDS) expect(Math.abs(hand[kind] / cnn - 1)).toBeLessThan(0.15);
  });

  test("multiply-adds: the non-local block adds 2·N²·C' for its two N × N products, on top of its 1×1 convolutions", () => {
    const cost = (kind: "cnn" | "nonLocal") => {
      const m = attentionCnn(kind, {}, {weights: "zeros"});
      const c = countFlops(m).macs;
      m.dispose();
      return c;
    };
    const n = 14 * 14;
    // θ, φ, g: 3·N·16·8; W_z: N·8·16; θφᵀ and the weighted sum: 2·N·N·8
    expect(cost("nonLocal") - cost("cnn")).toBe(3 * n * 16 * 8 + n * 8 * 16 + 2 * n * n * 8);
  });

  test("shapes: [B, 28, 28, 1] -> [B, 10] probabilities; the non-local block keeps [B, 14, 14, 16]", () => {
    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, "float32", 2);
    for (const kind of ATTENTION_CNN_KINDS) {
      const model = attentionCnn(kind, {}, {seed: 3});
      const y = model.predict(x) as tf.Tensor;
      expect(y.shape).toEqual([3, 10]);
      const sums = tf.sum(y, 1);
      for (const s of sums.dataSync()) expect(s).toBeCloseTo(1, 5);
      tf.dispose([y, sums]);
      if (kind === "nonLocal") expect(model.getLayer(NON_LOCAL_LAYER).outputShape).toEqual([null, 14, 14, 16]);
      model.dispose();
    }
    x.dispose();
  });

  test("the non-local map: [B, 196, 196], rows sum to 1, equal to softmax(θφᵀ) computed by hand from the weights", () => {
    const model = attentionCnn("nonLocal", {}, {seed: 5});
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, "float32", 6) as tf.Tensor4D;
    const w = nonLocalAttention(model, x);
    expect(w.shape).toEqual([2, 196, 196]);
    const rows = tf.sum(w, -1);
    for (const s of rows.dataSync()) expect(s).toBeCloseTo(1, 5);
    // independent: the feature map by hand (stem conv, ReLU, pool), then θ, φ and a row-wise softmax
    const ref = tf.tidy(() => {
      const [kernel, bias] = model.getLayer("stem").getWeights();
      const f = tf.maxPool(
        tf.relu(tf.add(tf.conv2d(x, kernel as tf.Tensor4D, 1, "same"), bias)) as tf.Tensor4D,
        2,
        2,
        "valid"
      );
      const tokens = tf.reshape(f, [2, 196, 16]);
      const get = (name: string) =>
        model
          .getLayer(NON_LOCAL_LAYER)
          .weights.find((v) => v.originalName.endsWith(name))!
          .read();
      const theta = tf.add(
        tf.matMul(tokens, tf.tile(tf.expandDims(get("theta.weight"), 0), [2, 1, 1])),
        get("theta.bias")
      );
      const phi = tf.add(tf.matMul(tokens, tf.tile(tf.expandDims(get("phi.weight"), 0), [2, 1, 1])), get("phi.bias"));
      return tf.softmax(tf.matMul(theta, tf.transpose(phi, [0, 2, 1])));
    });
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(w, ref))));
    expect(diff.dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([x, w, rows, ref, diff]);
    model.dispose();
  });

  test("local self-attention's gradient (softmax written per neighbour) equals central differences of its forward pass", () => {
    const layer = new LocalSelfAttention({filters: 4, kernelSize: 3, numHeads: 2, seed: 21});
    const x = tf.tensor4d(
      Float32Array.from({length: 3 * 4 * 2}, (_, i) => Math.sin(i * 1.3)),
      [1, 3, 4, 2]
    );
    const probe = tf.tensor4d(
      Float32Array.from({length: 3 * 4 * 4}, (_, i) => Math.cos(i * 0.7)),
      [1, 3, 4, 4]
    );
    const f = (t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, probe));
    const g = tf.tidy(() => tf.grad((t: tf.Tensor) => f(t))(x));
    const grad = g.dataSync();
    const base = x.dataSync();
    const eps = 1e-2;
    for (let i = 0; i < base.length; i++) {
      const at = (delta: number) =>
        tf.tidy(() => {
          const v = Float32Array.from(base);
          v[i] += delta;
          return f(tf.tensor4d(v, [1, 3, 4, 2])).dataSync()[0];
        });
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      expect(grad[i], `∂/∂x[${i}]`).toBeCloseTo(numeric, 2);
    }
    tf.dispose([x, probe, g]);
    layer.dispose();
  });

  test("serialization round trip: the same outputs after toJSON / modelFromJSON with the weights", async () => {
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, "float32", 8);
    for (const kind of ATTENTION_CNN_KINDS) {
      const model = attentionCnn(kind, {}, {seed: 9});
      const json = model.toJSON(null, false) as tf.serialization.ConfigDict;
      const copy = await tf.models.modelFromJSON({modelTopology: json});
      copy.setWeights(model.getWeights());
      const a = model.predict(x) as tf.Tensor;
      const b = copy.predict(x) as tf.Tensor;
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
      expect(diff.dataSync()[0], kind).toBeLessThan(1e-6);
      tf.dispose([a, b, diff]);
      model.dispose();
      copy.dispose();
    }
    x.dispose();
  });

  test("a short training learns: loss falls on a separable toy task (bright top half against bright bottom half)", async () => {
    const n = 64;
    const labels = Array.from({length: n}, (_, i) => i % 2);
    const xs = tf.tidy(() => {
      const noise = tf.randomUniform([n, 28, 28, 1], 0, 0.3, "float32", 11);
      const top = tf.concat([tf.ones([1, 14, 28, 1]), tf.zeros([1, 14, 28, 1])], 1);
      const masks = tf.stack(labels.map((l) => (l ? tf.sub(1, top) : top)).map((t) => tf.squeeze(t, [0])));
      return tf.add(noise, tf.mul(masks, 0.7));
    });
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), 10));
    for (const kind of ATTENTION_CNN_KINDS) {
      const model = attentionCnn(kind, {}, {seed: 12});
      const optimizer = tf.train.adam(ATTENTION_CNN_LEARNING_RATE); // the page's V1 optimizer
      const losses: number[] = [];
      for await (const e of train({model, optimizer, train: {xs, ys}, epochs: 6, batchSize: 16, seed: 1})) {
        if (e.type === "epoch") losses.push(e.loss);
      }
      optimizer.dispose();
      model.dispose();
      expect(losses.at(-1)!, `${kind}: ${losses.map((l) => l.toFixed(3)).join(" ")}`).toBeLessThan(losses[0] * 0.75);
    }
    tf.dispose([xs, ys]);
  }, 120_000);
});
