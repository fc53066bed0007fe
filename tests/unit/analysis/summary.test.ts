import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {modelGraph} from "../../../lib/analysis/graph.js";
import {formatCount, modelSummary, weightLayerCount} from "../../../lib/analysis/summary.js";

/** x → conv a → conv b → add(b, shortcut conv s of x) → GAP → dense; plus a second head on a. */
function residualNet() {
  const input = tf.input({shape: [8, 8, 2], name: "x"});
  const a = tf.layers.conv2d({filters: 4, kernelSize: 3, padding: "same", name: "a"}).apply(input) as tf.SymbolicTensor;
  const b = tf.layers.conv2d({filters: 4, kernelSize: 3, padding: "same", name: "b"}).apply(a) as tf.SymbolicTensor;
  const s = tf.layers.conv2d({filters: 4, kernelSize: 1, name: "s"}).apply(input) as tf.SymbolicTensor;
  const sum = tf.layers.add({name: "sum"}).apply([b, s]) as tf.SymbolicTensor;
  const gap = tf.layers.globalAveragePooling2d({name: "gap"}).apply(sum) as tf.SymbolicTensor;
  const out = tf.layers.dense({units: 3, name: "out"}).apply(gap) as tf.SymbolicTensor;
  const headGap = tf.layers.globalAveragePooling2d({name: "head_gap"}).apply(a) as tf.SymbolicTensor;
  const head = tf.layers.dense({units: 3, name: "head"}).apply(headGap) as tf.SymbolicTensor;
  return tf.model({inputs: input, outputs: [out, head]});
}

describe("model summary", () => {
  test("one row per layer in creation order, with shapes, parameters, MACs and inbound names", () => {
    const model = residualNet();
    try {
      const rows = modelSummary(model);
      expect(rows.map((r) => r.name)).toEqual(["x", "a", "b", "s", "sum", "gap", "out", "head_gap", "head"]);
      expect(rows.find((r) => r.name === "b")).toEqual({
        index: 2,
        name: "b",
        className: "Conv2D",
        outputShape: [8, 8, 4],
        params: 3 * 3 * 4 * 4 + 4, // 148
        trainableParams: 148,
        macs: 64 * 4 * 36, // 8·8 positions · 4 filters · 3·3·4
        flops: 2 * 64 * 4 * 36 + 256,
        inbound: ["a"]
      });
      expect(rows.find((r) => r.name === "sum")?.inbound).toEqual(["b", "s"]);
      expect(rows.reduce((n, r) => n + r.params, 0)).toBe(model.countParams());
      // only what output 0 needs
      expect(modelSummary(model, {output: 0}).map((r) => r.name)).toEqual(["x", "a", "b", "s", "sum", "gap", "out"]);
    } finally {
      model.dispose();
    }
  });

  test("weight layers: depth on the longest path (the shortcut and the other head do not count), and the total", () => {
    const model = residualNet();
    try {
      expect(weightLayerCount(model)).toEqual({depth: 3, total: 4, path: ["a", "b", "out"]});
      expect(weightLayerCount(model, {output: 1})).toEqual({depth: 2, total: 2, path: ["a", "head"]});
    } finally {
      model.dispose();
    }
  });

  test("the graph is topologically ordered; a shared layer's parameters count once; sequential models work", () => {
    const input = tf.input({shape: [4]});
    const shared = tf.layers.dense({units: 4, name: "shared"});
    const h1 = shared.apply(input) as tf.SymbolicTensor;
    const h2 = shared.apply(h1) as tf.SymbolicTensor;
    const model = tf.model({inputs: input, outputs: h2});
    const seq = tf.sequential({
      layers: [tf.layers.dense({units: 5, inputShape: [3], name: "d1"}), tf.layers.dense({units: 2, name: "d2"})]
    });
    try {
      const graph = modelGraph(model);
      for (const call of graph.calls) for (const i of call.inbound) expect(i).toBeLessThan(call.index);
      const calls = graph.calls.filter((c) => c.name === "shared");
      expect(calls.map((c) => c.params?.total)).toEqual([20, 0]);
      expect(modelSummary(model).reduce((n, r) => n + r.macs, 0)).toBe(2 * 16);
      expect(modelSummary(seq).map((r) => [r.className, r.outputShape, r.params])).toEqual([
        ["InputLayer", [3], 0],
        ["Dense", [5], 20],
        ["Dense", [2], 12]
      ]);
    } finally {
      model.dispose();
      shared.dispose(); // TF.js counts one reference per call of a layer, and a model's dispose releases one
      seq.dispose();
    }
  });

  test("formatCount", () => {
    expect(formatCount(61_100_840)).toBe("61.1 M");
    expect(formatCount(1_498_000_000)).toBe("1.5 G");
    expect(formatCount(138_357_544, 4)).toBe("138.4 M");
    expect(formatCount(19_618)).toBe("19.6 k");
    expect(formatCount(950)).toBe("950");
  });
});
