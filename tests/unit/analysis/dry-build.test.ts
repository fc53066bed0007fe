/** Dry builds (lib/analysis/dry-build.ts): the builder's own graph, without allocating a single weight. */
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {dryBuild, dryGraph} from "../../../lib/analysis/dry-build.js";
import {countFlops} from "../../../lib/analysis/flops.js";
import {modelGraph} from "../../../lib/analysis/graph.js";
import {modelSummary, weightLayerCount} from "../../../lib/analysis/summary.js";
import {buildGoogLeNet, GOOGLENET_PRESETS} from "../../../lib/models/googlenet.js";
import {MODEL_INFO, MODEL_NAMES, MODELS, TINY_MODELS} from "../../../lib/models/registry.js";

describe("dryGraph", () => {
  test.each(MODEL_NAMES)("%s at 224²: torchvision's parameters and the paper's depth, with no memory used", (name) => {
    const before = tf.memory();
    const graph = dryGraph(() => MODELS[name]());
    const after = tf.memory();
    expect(after.numBytes).toBe(before.numBytes);
    expect(after.numTensors).toBe(before.numTensors);
    expect(countFlops(graph).trainableParams).toBe(MODEL_INFO[name].torchvision.params);
    expect(weightLayerCount(graph).depth).toBe(MODEL_INFO[name].depth);
  });

  test.each(Object.keys(TINY_MODELS) as (keyof typeof TINY_MODELS)[])(
    "tiny %s: the same summary as the real model, row by row",
    (family) => {
      const model = TINY_MODELS[family]({seed: 1});
      try {
        const real = modelSummary(modelGraph(model));
        const dry = modelSummary(dryGraph(() => TINY_MODELS[family]({seed: 1})));
        // layer names get a suffix from TF.js's global name counter only for unnamed layers: none here
        expect(dry).toEqual(real);
      } finally {
        model.dispose();
      }
    }
  );

  test("GoogLeNet with auxiliary heads: three outputs, torchvision's 13,004,888 parameters", () => {
    const graph = dryGraph(() => buildGoogLeNet({...GOOGLENET_PRESETS.googlenet, auxLogits: true}));
    expect(graph.outputs).toHaveLength(3);
    expect(countFlops(graph).trainableParams).toBe(13_004_888);
    expect(countFlops(graph, {output: 0}).trainableParams).toBe(6_624_904);
  });

  test("a dry weight has a shape but no values; TF.js builds normally again afterwards", () => {
    const model = dryBuild(() => TINY_MODELS.vgg());
    const kernel = model.getLayer("features.0").trainableWeights[0];
    expect(kernel.shape).toEqual([3, 3, 1, 4]);
    expect(() => kernel.read()).toThrow(/no values/);
    model.dispose();
    const real = tf.layers.dense({units: 2, inputShape: [3]});
    const m = tf.sequential({layers: [real]});
    expect(m.trainableWeights[0].read().shape).toEqual([3, 2]);
    m.dispose();
  });

  test("a builder that throws leaves TF.js's addWeight restored", () => {
    const proto = tf.layers.Layer.prototype as unknown as {addWeight: unknown};
    const original = proto.addWeight;
    expect(() =>
      dryBuild(() => {
        throw new Error("boom");
      })
    ).toThrow("boom");
    expect(proto.addWeight).toBe(original);
  });
});
