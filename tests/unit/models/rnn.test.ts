/**
 * Chapter 4 「RNN」 (R1): the cells of lib/models/rnn.ts equal TF.js's simpleRNN / lstm / gru layers with the same
 * weights; the plain-JS trace equals both; the parameter formula equals `countParams()` at every sequence length.
 */
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {
  CELL_KINDS,
  GATES,
  layerWeights,
  recurrentLayer,
  rnnParamCount,
  simpleRnnMatrices,
  traceSimpleRnn,
  unitsForParams,
  unroll,
  type CellKind
} from "../../../lib/models/rnn.js";
import {maxAbsDiff, randomArray} from "../helpers.js";

/** A seeded layer of `kind` built for [T, d], its biases set to random values (the default zeros would hide bugs). */
function builtLayer(kind: CellKind, d: number, u: number, seed: number, returnSequences = true): tf.layers.Layer {
  const layer = recurrentLayer(kind, {units: u, returnSequences, seed});
  tf.tidy(() => void layer.apply(tf.zeros([1, 1, d]))); // builds the layer
  const g = GATES[kind];
  const bias = tf.tensor1d(randomArray([g * u], seed + 7) as number[]);
  const w = layerWeights(layer);
  layer.setWeights([w.kernel, w.recurrentKernel, bias]);
  bias.dispose();
  return layer;
}

const SHAPES = [
  {batch: 1, steps: 1, d: 1, u: 1},
  {batch: 3, steps: 5, d: 2, u: 4},
  {batch: 4, steps: 9, d: 5, u: 3},
  {batch: 2, steps: 7, d: 3, u: 8}
];

describe("cells written from their formulas equal TF.js's layers", () => {
  for (const kind of CELL_KINDS) {
    for (const s of SHAPES) {
      test(`${kind} B=${s.batch} T=${s.steps} d=${s.d} u=${s.u}`, () => {
        const layer = builtLayer(kind, s.d, s.u, 11 + s.u);
        const xs = tf.tensor3d(randomArray([s.batch, s.steps, s.d], s.steps * 3 + 1) as number[][][]);
        const expected = tf.tidy(() => (layer.apply(xs) as tf.Tensor).arraySync());
        const {outputs, states} = unroll(kind, xs, layerWeights(layer));
        expect(outputs.shape).toEqual([s.batch, s.steps, s.u]);
        expect(states).toHaveLength(s.steps);
        expect(maxAbsDiff(outputs.arraySync(), expected)).toBeLessThanOrEqual(1e-5);
        // states[t − 1] is h_t
        const last = (expected as number[][][]).map((b) => b[s.steps - 1]);
        expect(maxAbsDiff(states[s.steps - 1].arraySync(), last)).toBeLessThanOrEqual(1e-5);
        tf.dispose([xs, outputs, ...states]);
        layer.dispose();
      });
    }
  }

  test("a 1 % change of U is seen (the comparison can fail)", () => {
    const layer = builtLayer("lstm", 2, 3, 5);
    const xs = tf.tensor3d(randomArray([2, 4, 2], 9) as number[][][]);
    const w = layerWeights(layer);
    const expected = tf.tidy(() => (layer.apply(xs) as tf.Tensor).arraySync());
    const recurrentKernel = tf.mul(w.recurrentKernel, 1.01) as tf.Tensor2D;
    const {outputs, states} = unroll("lstm", xs, {...w, recurrentKernel});
    expect(maxAbsDiff(outputs.arraySync(), expected)).toBeGreaterThan(1e-4);
    tf.dispose([xs, outputs, ...states, recurrentKernel]);
    layer.dispose();
  });

  test("the layer's default recurrent activation would differ (hardSigmoid): recurrentLayer sets sigmoid", () => {
    const ours = builtLayer("lstm", 2, 3, 3);
    const stock = tf.layers.lstm({units: 3, returnSequences: true});
    tf.tidy(() => void stock.apply(tf.zeros([1, 1, 2])));
    stock.setWeights(ours.getWeights());
    const xs = tf.tensor3d(randomArray([1, 6, 2], 4) as number[][][]);
    const a = tf.tidy(() => (ours.apply(xs) as tf.Tensor).arraySync());
    const b = tf.tidy(() => (stock.apply(xs) as tf.Tensor).arraySync());
    expect(maxAbsDiff(a, b)).toBeGreaterThan(1e-4);
    xs.dispose();
    ours.dispose();
    stock.dispose();
  });
});

describe("recurrentLayer", () => {
  test("the LSTM's forget-gate bias starts at 1, the other gates at 0 (Keras's unit_forget_bias)", () => {
    const model = tf.sequential({layers: [recurrentLayer("lstm", {units: 3, inputShape: [null, 2], seed: 1})]});
    expect(layerWeights(model.layers[0]).bias.arraySync()).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(model.layers[0].getConfig().recurrentActivation).toBe("sigmoid");
    model.dispose();
  });
});

describe("traceSimpleRnn (plain numbers)", () => {
  test("a 1-unit case worked by hand", () => {
    // h1 = tanh(0.5·1 + 0 + 0.1) = tanh(0.6); h2 = tanh(0.5·(−1) + 0.8·tanh(0.6) + 0.1)
    const trace = traceSimpleRnn([[1], [-1]], {Wxh: [[0.5]], Whh: [[0.8]], b: [0.1]});
    expect(trace[0]).toEqual({t: 1, x: [1], hPrev: [0], pre: [0.6], h: [Math.tanh(0.6)]});
    expect(trace[1].t).toBe(2);
    expect(trace[1].pre[0]).toBeCloseTo(-0.4 + 0.8 * Math.tanh(0.6), 12);
    expect(trace[1].h[0]).toBeCloseTo(Math.tanh(-0.4 + 0.8 * Math.tanh(0.6)), 12);
  });

  test("equals unroll() and tf.layers.simpleRNN with the layer's weights", () => {
    const layer = builtLayer("simpleRNN", 3, 4, 21);
    const seq = randomArray([6, 3], 8) as number[][];
    const xs = tf.tensor3d([seq]);
    const w = layerWeights(layer);
    const expected = tf.tidy(() => (layer.apply(xs) as tf.Tensor3D).arraySync()[0]);
    const {outputs, states} = unroll("simpleRNN", xs, w);
    const trace = traceSimpleRnn(seq, simpleRnnMatrices(w));
    expect(
      maxAbsDiff(
        trace.map((s) => s.h),
        expected
      )
    ).toBeLessThanOrEqual(1e-5);
    expect(
      maxAbsDiff(
        trace.map((s) => s.h),
        outputs.arraySync()[0]
      )
    ).toBeLessThanOrEqual(1e-5);
    expect(trace.slice(1).map((s) => s.hPrev)).toEqual(trace.slice(0, -1).map((s) => s.h));
    tf.dispose([xs, outputs, ...states]);
    layer.dispose();
  });
});

describe("parameters: g·u·(d + u + 1), whatever the sequence length", () => {
  const cases = [
    {d: 1, u: 1},
    {d: 1, u: 16},
    {d: 5, u: 8},
    {d: 28, u: 64}
  ];
  for (const kind of CELL_KINDS) {
    test(kind, () => {
      for (const {d, u} of cases) {
        for (const steps of [1, 10, 100]) {
          const model = tf.sequential({layers: [recurrentLayer(kind, {units: u, inputShape: [steps, d]})]});
          expect(model.countParams(), `${kind} d=${d} u=${u} T=${steps}`).toBe(rnnParamCount(kind, d, u));
          model.dispose();
        }
      }
    });
  }
  test("hand values: 1·u(d+u+1), 4u(d+u+1), 3u(d+u+1)", () => {
    expect(rnnParamCount("simpleRNN", 3, 4)).toBe(32);
    expect(rnnParamCount("lstm", 3, 4)).toBe(128);
    expect(rnnParamCount("gru", 3, 4)).toBe(96);
  });
  test("unitsForParams picks the nearest size", () => {
    expect(unitsForParams("lstm", 3, 128)).toBe(4);
    const u = unitsForParams("simpleRNN", 1, rnnParamCount("lstm", 1, 16));
    expect(u).toBe(33); // 33·35 = 1155 vs LSTM 4·16·18 = 1152
  });
});
