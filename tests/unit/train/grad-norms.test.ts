/** Per-layer gradient norms (lib/train/grad-norms.ts) against a hand-computed gradient, and without side effects. */
import {expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {layerGradNorms} from "../../../lib/train/grad-norms.js";
import {buildResNet} from "../../../lib/models/resnet.js";
import {resnet6n2Config} from "../../../lib/models/resnet-6n2.js";

test("one dense softmax layer: the norm equals ‖(p − y) xᵀ‖ / B computed by hand", async () => {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        units: 3,
        inputShape: [2],
        activation: "softmax",
        kernelInitializer: "glorotUniform",
        name: "fc"
      })
    ]
  });
  const xs = tf.tensor2d([
    [1, 2],
    [-1, 0.5]
  ]);
  const ys = tf.tensor2d([
    [1, 0, 0],
    [0, 0, 1]
  ]);
  try {
    const [row] = await layerGradNorms(model, xs, ys);
    // dL/dW = xᵀ (p − y) / B for the mean cross-entropy of a softmax layer
    const expected = tf.tidy(() => {
      const p = model.predict(xs) as tf.Tensor2D;
      return tf.norm(tf.matMul(xs, p.sub(ys), true, false).div(2)).dataSync()[0];
    });
    expect(row.name).toBe("fc");
    expect(row.depth).toBe(1);
    expect(row.norm).toBeCloseTo(expected, 5);
    expect(row.rms).toBeCloseTo(expected / Math.sqrt(6), 5);
  } finally {
    tf.dispose([xs, ys]);
    model.dispose();
  }
});

test("a 20-layer ResNet: one norm per layer on the main path, finite, and the weights are untouched", async () => {
  const model = buildResNet(resnet6n2Config(20), {seed: 3});
  const xs = tf.randomUniform([8, 28, 28, 1], 0, 1, "float32", 1);
  const ys = tf.tidy(() =>
    tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], "int32"), 10).cast("float32")
  ) as tf.Tensor2D;
  const kernel = model.getLayer("layer2.1.conv1").getWeights()[0];
  const before = kernel.dataSync().slice();
  try {
    const rows = await layerGradNorms(model, xs, ys);
    expect(rows).toHaveLength(20);
    expect(rows.map((r) => r.depth)).toEqual(Array.from({length: 20}, (_, i) => i + 1));
    expect(rows[0].name).toBe("conv1");
    expect(rows.at(-1)!.name).toBe("fc");
    expect(rows.some((r) => r.name.includes("downsample"))).toBe(false);
    for (const r of rows) expect(r.norm).toBeGreaterThan(0);
    expect(Array.from(model.getLayer("layer2.1.conv1").getWeights()[0].dataSync())).toEqual(Array.from(before));
  } finally {
    tf.dispose([xs, ys]);
    model.dispose();
  }
});
