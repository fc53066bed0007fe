/**
 * Every family's `tiny` preset (28×28×1 → 10 classes): the models a page trains in a tab. For each: the output
 * shape and a softmax without NaN, one training step that moves the weights, and a save / load round trip through
 * memory that predicts exactly the same. Nothing may leak (tests/unit/setup.ts).
 *
 * Training needs gradient kernels that stock TF.js's wasm backend lacks (Conv2DBackpropFilter); where the running
 * backend has them all (cpu, or wasm once the course's kernels are registered) the step runs there, else on cpu.
 */
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {countFlops} from "../../../lib/analysis/flops.js";
import {weightLayerCount} from "../../../lib/analysis/summary.js";
import {GOOGLENET_PRESETS, buildGoogLeNet} from "../../../lib/models/googlenet.js";
import {FAMILIES, TINY_MODELS, type FamilyName} from "../../../lib/models/registry.js";
import {mulberry32} from "../../../lib/random.js";

const GRADIENT_KERNELS = ["Conv2DBackpropFilter", "Conv2DBackpropInput", "MaxPoolGrad", "AvgPoolGrad"];

/** Run `fn` on a backend that can train a CNN, and switch back afterwards. */
async function onTrainingBackend<T>(fn: () => Promise<T>): Promise<T> {
  const current = tf.getBackend();
  const ok = GRADIENT_KERNELS.every((k) => tf.getKernel(k, current) !== undefined);
  if (ok) return fn();
  await tf.setBackend("cpu");
  try {
    return await fn();
  } finally {
    await tf.setBackend(current);
  }
}

/** A seeded batch of digit-sized inputs in [0, 1) and one-hot labels. */
function batch(n: number, seed: number): {x: tf.Tensor4D; y: tf.Tensor2D} {
  const rand = mulberry32(seed);
  const x = tf.tensor4d(
    Float32Array.from({length: n * 28 * 28}, () => rand()),
    [n, 28, 28, 1]
  );
  const y = tf.tidy(() =>
    tf
      .oneHot(
        tf.tensor1d(
          Array.from({length: n}, (_, i) => i % 10),
          "int32"
        ),
        10
      )
      .toFloat()
  );
  return {x, y: y as tf.Tensor2D};
}

/** The model's outputs as arrays (one per output). */
function predictAll(model: tf.LayersModel, x: tf.Tensor): number[][][] {
  return tf.tidy(() => {
    const out = model.predict(x);
    return (Array.isArray(out) ? out : [out]).map((t) => t.arraySync() as number[][]);
  });
}

/** Save to memory and load back. */
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

const CASES: [string, () => tf.LayersModel][] = [
  ...(Object.keys(TINY_MODELS) as FamilyName[]).map((f): [string, () => tf.LayersModel] => [
    f,
    () => TINY_MODELS[f]({seed: 1})
  ]),
  ["googlenet with auxiliary heads", () => buildGoogLeNet({...GOOGLENET_PRESETS.tiny, auxLogits: true}, {seed: 1})]
];

describe("tiny presets", () => {
  test("every family has one, on 28×28×1 digits, 10 classes, with at most a few ten thousand parameters", () => {
    expect(Object.keys(TINY_MODELS)).toEqual(Object.keys(FAMILIES));
    const depths: Record<string, number> = {};
    for (const family of Object.keys(TINY_MODELS) as FamilyName[]) {
      const model = FAMILIES[family].tiny({weights: "zeros"});
      try {
        expect(model.inputs[0].shape).toEqual([null, 28, 28, 1]);
        expect(model.outputs[0].shape).toEqual([null, 10]);
        const {trainableParams} = countFlops(model);
        expect(trainableParams, family).toBeGreaterThan(5_000);
        expect(trainableParams, family).toBeLessThan(40_000);
        depths[family] = weightLayerCount(model).depth;
      } finally {
        model.dispose();
      }
    }
    // the families' shapes survive the shrinking: AlexNet's 8 layers, VGG-11's 11, GoogLeNet's stem + 2 per module
    expect(depths).toEqual({alexnet: 8, vgg: 11, googlenet: 3 + 2 * 5 + 1, resnet: 1 + 3 * 2 + 1});
  });

  test.each(CASES)("%s: forward pass on the running backend: shape, softmax, no NaN", (_, build) => {
    const model = build();
    const {x, y} = batch(4, 2);
    try {
      const outputs = predictAll(model, x);
      expect(outputs).toHaveLength(model.outputs.length);
      for (const out of outputs) {
        expect(out.length).toBe(4);
        for (const row of out) {
          expect(row).toHaveLength(10);
          expect(row.every(Number.isFinite)).toBe(true);
          expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        }
      }
    } finally {
      tf.dispose([x, y]);
      model.dispose();
    }
  });

  test.each(CASES)(
    "%s: one training step, then a save / load round trip with identical predictions",
    async (_, build) => {
      await onTrainingBackend(async () => {
        const model = build();
        const {x, y} = batch(8, 3);
        let loaded: tf.LayersModel | undefined;
        try {
          const heads = model.outputs.length;
          model.compile({
            optimizer: "sgd",
            loss: "categoricalCrossentropy",
            // GoogLeNet's auxiliary losses count 0.3 each (the paper)
            ...(heads > 1 ? {lossWeights: [1, ...Array.from({length: heads - 1}, () => 0.3)]} : {})
          });
          const before = tf.tidy(() => model.trainableWeights.map((w) => w.read().clone()));
          const loss = await model.trainOnBatch(x, heads > 1 ? Array.from({length: heads}, () => y) : y);
          const losses = Array.isArray(loss) ? loss : [loss];
          expect(losses.every(Number.isFinite)).toBe(true);
          const moved = tf.tidy(
            () => model.trainableWeights.filter((w, i) => tf.any(tf.notEqual(w.read(), before[i])).dataSync()[0]).length
          );
          tf.dispose(before);
          expect(moved).toBeGreaterThan(model.trainableWeights.length / 2);

          loaded = await roundTrip(model);
          expect(loaded.outputs.map((o) => o.shape)).toEqual(model.outputs.map((o) => o.shape));
          expect(predictAll(loaded, x)).toEqual(predictAll(model, x));
        } finally {
          tf.dispose([x, y]);
          loaded?.dispose();
          model.dispose();
        }
      });
    }
  );
});
