// The fused Adam (lib/train/fused-adam.ts) against TF.js's own `tf.train.adam` on the stock `cpu` backend: the same
// weights and moments after several steps, in place on wasm, and TF.js's path wherever in place is unsafe.
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {adamStepArrays, fusedAdam} from "../../../lib/train/fused-adam.js";
import {mulberry32} from "../../../lib/random.js";

const main = tf.getBackend(); // wasm (or cpu when TFJS_BACKEND=cpu)

function randn(n: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({length: n}, () => r() * 2 - 1);
}

/** Three weights trained 5 steps on a fixed quadratic loss; returns the weights and the optimizer's moments. */
async function train(make: () => tf.Optimizer, backend: string): Promise<{weights: number[][]; moments: number[][]}> {
  const previous = tf.getBackend();
  tf.setBackend(backend);
  try {
    const shapes = [[3, 5], [7], [2, 2, 3]];
    const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
    const vars = shapes.map((shape, i) => {
      const init = tf.tensor(randn(sizeOf(shape), 10 + i), shape);
      const v = tf.variable(init);
      init.dispose(); // the variable alone holds its buffer
      return v;
    });
    const targets = shapes.map((shape, i) => tf.tensor(randn(sizeOf(shape), 20 + i), shape));
    const optimizer = make();
    for (let step = 0; step < 5; step++) {
      optimizer.minimize(
        () => tf.addN(vars.map((v, i) => tf.sum(tf.mul(tf.square(tf.sub(v, targets[i])), step + 1)))) as tf.Scalar
      );
    }
    const weights = vars.map((v) => Array.from(v.dataSync()));
    const saved = await optimizer.getWeights();
    const moments = saved.slice(1).map((w) => Array.from(w.tensor.dataSync()));
    saved[0].tensor.dispose(); // the iteration count
    tf.dispose([...vars, ...targets]);
    optimizer.dispose();
    return {weights, moments};
  } finally {
    tf.setBackend(previous);
  }
}

const maxDiff = (a: number[][], b: number[][]) =>
  Math.max(...a.map((row, i) => Math.max(...row.map((x, j) => Math.abs(x - b[i][j])))));

describe("fused Adam", () => {
  test("one step on arrays equals the formula worked by hand", () => {
    const w = Float32Array.of(1, -2);
    const m = Float32Array.of(0.5, 0);
    const v = Float32Array.of(0.25, 0);
    const g = Float32Array.of(2, -1);
    adamStepArrays(w, m, v, g, {
      learningRate: 0.1,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      accBeta1: 0.81,
      accBeta2: 0.998001
    });
    // m = 0.9·0.5 + 0.1·2 = 0.65; v = 0.999·0.25 + 0.001·4 = 0.25375
    expect(m[0]).toBeCloseTo(0.65, 6);
    expect(v[0]).toBeCloseTo(0.25375, 6);
    // w = 1 − 0.1 · (0.65/0.19) / (√(0.25375/0.001999) + 1e-7)
    expect(w[0]).toBeCloseTo(1 - (0.1 * (0.65 / 0.19)) / Math.sqrt(0.25375 / (1 - 0.998001)), 5);
    // second weight: m = −0.1, v = 0.001
    expect(w[1]).toBeCloseTo(-2 - (0.1 * (-0.1 / 0.19)) / Math.sqrt(0.001 / (1 - 0.998001)), 5);
  });

  test("five steps give tf.train.adam's weights and moments (stock cpu), and update in place on wasm", async () => {
    const before = tf.memory().numTensors;
    const ref = await train(() => tf.train.adam(0.05), "cpu");
    let fused: ReturnType<typeof fusedAdam> | null = null;
    const got = await train(() => (fused = fusedAdam(0.05)), main);
    expect(maxDiff(got.weights, ref.weights)).toBeLessThan(2e-6);
    expect(maxDiff(got.moments, ref.moments)).toBeLessThan(2e-6);
    expect(got.moments.length).toBe(6);
    // the weights moved (the test can fail)
    expect(
      maxDiff(got.weights, [Array.from(randn(15, 10)), Array.from(randn(7, 11)), Array.from(randn(12, 12))])
    ).toBeGreaterThan(0.1);
    if (main === "wasm") expect(fused!.fusedUpdates).toBe(15);
    expect(tf.memory().numTensors).toBe(before);
  });

  test("a clone of a weight or of a moment is never changed behind its back", async () => {
    const before = tf.memory().numTensors;
    const init = tf.tensor1d([1, 2, 3]);
    const w = tf.variable(init);
    init.dispose();
    const copy = tf.clone(w);
    const optimizer = fusedAdam(0.1);
    optimizer.minimize(() => tf.sum(tf.square(w)) as tf.Scalar);
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3]);
    expect(w.dataSync()[0]).toBeLessThan(1);
    expect(optimizer.fusedUpdates).toBe(main === "wasm" ? 1 : 0);
    // a clone of the first moment: the next step must not change it in place, so it takes TF.js's path
    const saved = await optimizer.getWeights();
    const m = tf.clone(saved[1].tensor);
    const mBefore = Array.from(m.dataSync());
    optimizer.minimize(() => tf.sum(tf.square(w)) as tf.Scalar);
    expect(Array.from(m.dataSync())).toEqual(mBefore);
    expect(optimizer.fusedUpdates).toBe(main === "wasm" ? 1 : 0);
    tf.dispose([copy, m, saved[0].tensor, w]);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  test("a product with the weight after a step uses the new weight (wasm caches XNNPACK's packed weights per buffer)", () => {
    const before = tf.memory().numTensors;
    const init = tf.tensor2d(randn(64 * 32, 31), [64, 32]);
    const w = tf.variable(init);
    init.dispose();
    const x = tf.tensor2d(randn(8 * 64, 32), [8, 64]);
    const optimizer = fusedAdam(0.05);
    for (let step = 0; step < 3; step++) {
      tf.matMul(x, w).dispose(); // the product the step's forward pass computes
      optimizer.minimize(() => tf.sum(tf.square(tf.matMul(x, w))) as tf.Scalar);
      const got = tf.matMul(x, w);
      // the same product from the weight's values, through a fresh buffer
      const fresh = tf.tensor2d(w.dataSync(), [64, 32]);
      const want = tf.matMul(x, fresh);
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]);
      expect(diff).toBeLessThan(1e-4);
      tf.dispose([got, fresh, want]);
    }
    tf.dispose([x, w]);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
