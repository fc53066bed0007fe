import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {activationFlops, countFlops, countLayerListFlops, layerCost} from "../../../lib/analysis/flops.js";
import {UnknownLayerError} from "../../../lib/analysis/registry.js";
import {layerListGraph, modelGraph} from "../../../lib/analysis/graph.js";

/** conv 3×3 "same" (4, ReLU) → max pool 2 → conv 3×3 "valid" (8) → flatten → dense 10 (softmax), on 8×8×3. */
const chain = () => [
  tf.layers.conv2d({filters: 4, kernelSize: 3, padding: "same", activation: "relu", name: "c1"}),
  tf.layers.maxPooling2d({poolSize: 2, name: "p1"}),
  tf.layers.conv2d({filters: 8, kernelSize: 3, padding: "valid", name: "c2"}),
  tf.layers.flatten({name: "f"}),
  tf.layers.dense({units: 10, activation: "softmax", name: "d"})
];

// Worked by hand (per image):
//   c1: out 8·8·4 = 256 values, each 3·3·3 = 27 MACs → 6,912 MACs; params 27·4 + 4 = 112;
//       FLOPs 2·6,912 + 256 (bias) + 256 (ReLU) = 14,336
//   p1: out 4·4·4 = 64 values, each the max of 4: 3 comparisons → 192 FLOPs
//   c2: out 2·2·8 = 32 values, each 3·3·4 = 36 MACs → 1,152 MACs; params 36·8 + 8 = 296; FLOPs 2,304 + 32 = 2,336
//   f:  32 values, free
//   d:  32·10 = 320 MACs; params 330; FLOPs 640 + 10 (bias) + 3·10 (softmax) = 680
const CHAIN = {
  rows: {
    c1: {params: 112, macs: 6912, flops: 14_336},
    p1: {params: 0, macs: 0, flops: 192},
    c2: {params: 296, macs: 1152, flops: 2336},
    f: {params: 0, macs: 0, flops: 0},
    d: {params: 330, macs: 320, flops: 680}
  },
  totals: {params: 738, trainableParams: 738, macs: 8384, flops: 17_544, uncounted: []}
};

describe("FLOP counter", () => {
  test("a small chain, counted by hand, from unbuilt layers and from the built model alike", () => {
    const dry = layerListGraph(chain(), [8, 8, 3]);
    const byLayer = Object.fromEntries(
      dry.calls.slice(1).map((c) => {
        const {params, macs, flops} = layerCost(c);
        return [c.name, {params, macs, flops}];
      })
    );
    expect(byLayer).toEqual(CHAIN.rows);
    expect(countFlops(dry)).toEqual(CHAIN.totals);
    expect(countLayerListFlops(chain(), [8, 8, 3])).toEqual(CHAIN.totals);

    const model = tf.sequential({layers: [tf.layers.inputLayer({inputShape: [8, 8, 3]}), ...chain()]});
    try {
      expect(countFlops(model)).toEqual(CHAIN.totals);
      expect(model.countParams()).toBe(738);
    } finally {
      model.dispose();
    }
  });

  test("a branching net with depthwise conv, BatchNorm, Add, Concatenate, average and global pooling", () => {
    // input 6×6×2
    //   dw: depthwise 3×3 "same", multiplier 2 → 6·6·4 = 144 values; MACs 6·6 · 2·2 · 9 = 1,296; params 9·2·2 + 4 = 40;
    //       FLOPs 2,592 + 144 (bias) = 2,736
    //   bn: 144 values · 2 = 288 FLOPs; params 4·4 = 16, of which γ, β trainable: 8
    //   pw: conv 1×1 (4) on the input → 144 values; MACs 144 · 2 = 288; params 2·4 + 4 = 12; FLOPs 576 + 144 = 720
    //   add(bn, pw): 144 FLOPs;   cat(add, pw): 6·6·8, free
    //   avg: pool 2 → 3·3·8 = 72 values, 4 each (3 adds, a divide) → 288 FLOPs
    //   gap: 3·3·8 = 72 FLOPs → 8 values;   out: dense 3: MACs 24, params 27, FLOPs 48 + 3 = 51
    // totals: params 95 (trainable 87), MACs 1,608, FLOPs 4,299
    const input = tf.input({shape: [6, 6, 2]});
    const dw = tf.layers.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2, padding: "same", name: "dw"}).apply(input);
    const bn = tf.layers.batchNormalization({name: "bn"}).apply(dw);
    const pw = tf.layers.conv2d({filters: 4, kernelSize: 1, name: "pw"}).apply(input);
    const add = tf.layers.add({name: "add"}).apply([bn, pw] as tf.SymbolicTensor[]);
    const cat = tf.layers.concatenate({name: "cat"}).apply([add, pw] as tf.SymbolicTensor[]);
    const avg = tf.layers.averagePooling2d({poolSize: 2, name: "avg"}).apply(cat);
    const gap = tf.layers.globalAveragePooling2d({name: "gap"}).apply(avg);
    const out = tf.layers.dense({units: 3, name: "out"}).apply(gap) as tf.SymbolicTensor;
    const model = tf.model({inputs: input, outputs: out});
    try {
      const costs = Object.fromEntries(
        modelGraph(model).calls.map((c) => {
          const {params, trainableParams, macs, flops} = layerCost(c);
          return [c.name, [params, trainableParams, macs, flops]];
        })
      );
      expect(costs).toMatchObject({
        dw: [40, 40, 1296, 2736],
        bn: [16, 8, 0, 288],
        pw: [12, 12, 288, 720],
        add: [0, 0, 0, 144],
        cat: [0, 0, 0, 0],
        avg: [0, 0, 0, 288],
        gap: [0, 0, 0, 72],
        out: [27, 27, 24, 51]
      });
      expect(countFlops(model)).toEqual({params: 95, trainableParams: 87, macs: 1608, flops: 4299, uncounted: []});
      expect(model.countParams()).toBe(95);
    } finally {
      model.dispose();
    }
  });

  test("grouped convolution (a config field TF.js layers lack, counted when present) and activation costs", () => {
    // 3×3 conv, 8 → 16 channels in 4 groups, on 5×5 "same": each output sees 3·3·(8/4) = 18 inputs
    const cost = layerCost({
      index: 1,
      name: "g",
      className: "Conv2D",
      config: {kernelSize: [3, 3], groups: 4, useBias: false, activation: "linear"},
      inputShapes: [[5, 5, 8]],
      outputShape: [5, 5, 16],
      inbound: [0],
      params: null,
      layer: null
    });
    expect(cost).toEqual({
      params: 18 * 16,
      trainableParams: 18 * 16,
      macs: 25 * 16 * 18,
      flops: 2 * 25 * 16 * 18,
      counted: true
    });
    expect([activationFlops("linear"), activationFlops("relu"), activationFlops("softmax")]).toEqual([0, 1, 3]);
  });

  test("chapter 2's claims: the cost grows with the square of the resolution, and a pool divides what follows by 4", () => {
    // the same conv → conv network with and without a 2×2 pool between, at 28², 56², 112²
    const net = (pool: boolean) => [
      tf.layers.conv2d({filters: 8, kernelSize: 3, padding: "same"}),
      ...(pool ? [tf.layers.maxPooling2d({poolSize: 2})] : []),
      tf.layers.conv2d({filters: 16, kernelSize: 3, padding: "same"})
    ];
    const macs = (pool: boolean, n: number) => countLayerListFlops(net(pool), [n, n, 1]).macs;
    // conv1: n²·8·9; conv2: (n or n/2)²·16·72
    for (const n of [28, 56, 112]) {
      expect(macs(false, n)).toBe(n * n * 8 * 9 + n * n * 16 * 72);
      expect(macs(true, n)).toBe(n * n * 8 * 9 + (n / 2) * (n / 2) * 16 * 72);
    }
    expect(macs(false, 56) / macs(false, 28)).toBe(4);
    expect(macs(false, 112) / macs(false, 28)).toBe(16);
    // the same layer objects, never built, count at any size and then still build a model
    const layers = net(true);
    expect(countLayerListFlops(layers, [1024, 1024, 1]).macs).toBe(1024 * 1024 * 72 + 512 * 512 * 1152);
    const model = tf.sequential({layers: [tf.layers.inputLayer({inputShape: [28, 28, 1]}), ...layers]});
    try {
      expect(countFlops(model).macs).toBe(macs(true, 28));
    } finally {
      model.dispose();
    }
  });

  test("a layer class with no registered analysis throws, naming it; or is reported, not guessed", () => {
    class Mystery extends tf.layers.Layer {
      static className = "Mystery";
    }
    const layers = () => [tf.layers.flatten(), new Mystery({name: "mystery"})];
    expect(() => countLayerListFlops(layers(), [3, 2])).toThrow(UnknownLayerError);
    expect(() => countLayerListFlops(layers(), [3, 2])).toThrow(/"Mystery" \(layer "mystery"\)/);
    const totals = countLayerListFlops(layers(), [3, 2], {unknown: "report"});
    expect(totals).toEqual({params: 0, trainableParams: 0, macs: 0, flops: 0, uncounted: ["Mystery"]});
  });
});
