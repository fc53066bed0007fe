/** The course's custom layer (lib/models/layers/position-embedding.ts): values, analysis, training, save and load. */
import {describe, expect, test} from "vitest";
import {tf} from "../../../../lib/tf.js";
import {dryGraph} from "../../../../lib/analysis/dry-build.js";
import {countFlops} from "../../../../lib/analysis/flops.js";
import {PositionEmbedding, positionEmbedding} from "../../../../lib/models/layers/position-embedding.js";
import {TINY_MODELS} from "../../../../lib/models/registry.js";
import {train} from "../../../../lib/train/loop.js";
import {meanSquaredError} from "../../../../lib/train/losses.js";

const T = 4;
const D = 3;

/** [T, D] -> Dense(D) -> + positions -> Dense(2). */
function build(seed = 1) {
  const input = tf.input({shape: [T, D]});
  const h = tf.layers.dense({units: D, kernelInitializer: tf.initializers.glorotUniform({seed}), name: "proj"});
  const pos = positionEmbedding({seed: seed + 1, name: "pos"});
  const out = tf.layers.dense({
    units: 2,
    kernelInitializer: tf.initializers.glorotUniform({seed: seed + 2}),
    name: "head"
  });
  return tf.model({inputs: input, outputs: out.apply(pos.apply(h.apply(input))) as tf.SymbolicTensor});
}

/** Save to memory and load back: TF.js finds the class by its registered `className`. */
async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: "JSON"}};
    })
  );
  return tf.loadLayersModel(tf.io.fromMemory(saved!));
}

describe("PositionEmbedding", () => {
  test("adds one vector per position, the same for every example (by hand)", () => {
    const layer = new PositionEmbedding({stddev: 1, seed: 3});
    const x = tf.tensor3d([
      [
        [1, 2, 3],
        [4, 5, 6]
      ],
      [
        [0, 0, 0],
        [1, 1, 1]
      ]
    ]);
    const y = layer.apply(x) as tf.Tensor;
    const e = layer.getWeights()[0].arraySync() as number[][];
    expect(layer.getWeights()[0].shape).toEqual([2, 3]);
    const expected = (x.arraySync() as number[][][]).map((seq) => seq.map((v, t) => v.map((a, d) => a + e[t][d])));
    const got = y.arraySync() as number[][][];
    got.flat(2).forEach((v, i) => expect(v).toBeCloseTo(expected.flat(2)[i], 6));
    tf.dispose([x, y]);
    layer.dispose();
  });

  test("the analysis knows it: T·D weights and T·D adds, from the config, built or dry", () => {
    const model = build();
    try {
      const pos = model.getLayer("pos");
      expect(pos.countParams()).toBe(T * D);
      // proj: 3·3 + 3 weights, 4·9 MACs, 2·36 + 12 FLOPs; pos: 12 weights, 12 adds; head: 3·2 + 2, 4·6, 2·24 + 8
      const expected = {params: 12 + 12 + 8, trainableParams: 32, macs: 36 + 24, flops: 84 + 12 + 56, uncounted: []};
      expect(countFlops(model)).toEqual(expected);
      expect(countFlops(dryGraph(() => build()))).toEqual(expected);
    } finally {
      model.dispose();
    }
  });

  test("its weights train (the gradient reaches them)", async () => {
    const model = build(5);
    const xs = tf.randomNormal([16, T, D], 0, 1, "float32", 7);
    const ys = tf.randomNormal([16, T, 2], 0, 1, "float32", 8);
    const optimizer = tf.train.sgd(0.1);
    const before = model.getLayer("pos").getWeights()[0].arraySync() as number[][];
    for await (const e of train({model, optimizer, train: {xs, ys}, loss: meanSquaredError(), yieldFn: async () => {}}))
      void e;
    const after = model.getLayer("pos").getWeights()[0].arraySync() as number[][];
    expect(Math.max(...after.flat().map((v, i) => Math.abs(v - before.flat()[i])))).toBeGreaterThan(1e-4);
    tf.dispose([xs, ys]);
    optimizer.dispose();
    model.dispose();
  });

  test("a model using it saves and loads with identical outputs", async () => {
    const model = build(9);
    const loaded = await roundTrip(model);
    const x = tf.randomNormal([5, T, D], 0, 1, "float32", 10);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(loaded.getLayer("pos")).toBeInstanceOf(PositionEmbedding);
    expect(loaded.getLayer("pos").getConfig()).toMatchObject({stddev: 0.02, seed: 10});
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });

  test("a course model built from the PyTorch-style blocks saves and loads too (tiny ResNet)", async () => {
    const model = TINY_MODELS.resnet({seed: 2});
    const loaded = await roundTrip(model);
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, "float32", 3);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });
});
