/** The training loop with other losses (lib/train/loop.ts + losses.ts): sequences with padding, regression. */
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {evaluate, train, type Dataset, type TrainEvent} from "../../../lib/train/loop.js";
import {
  batchMean,
  meanSquaredError,
  sparseCategoricalCrossEntropy,
  tokenCrossEntropy
} from "../../../lib/train/losses.js";
import {mulberry32} from "../../../lib/random.js";
import {lossCurve} from "../../../lib/viz/loss-curve.js";
import {makeDocument} from "../viz/dom.js";

const T = 5;
const V = 4; // token 0 = padding, tokens 1…3

/**
 * Sequences of one-hot tokens [N, T, V] and targets [N, T] = the previous token (the first: itself), padded with
 * token 0 after a length of 2…T that varies from sequence to sequence.
 */
function delayedCopy(n: number, seed: number): Dataset {
  const rand = mulberry32(seed);
  const tokens: number[][] = [];
  const targets: number[][] = [];
  for (let i = 0; i < n; i++) {
    const length = 2 + (i % (T - 1));
    const seq = Array.from({length: T}, (_, t) => (t < length ? 1 + Math.floor(rand() * (V - 1)) : 0));
    tokens.push(seq);
    targets.push(seq.map((v, t) => (v === 0 ? 0 : t === 0 ? v : seq[t - 1])));
  }
  return tf.tidy(() => ({
    xs: tf.oneHot(tf.tensor2d(tokens, undefined, "int32"), V).cast("float32"),
    ys: tf.tensor2d(targets, undefined, "int32")
  }));
}

/** A Dense over [N, T, F] (the same weights at every position): no memory, but a padded per-token loss. */
function perToken(seed: number) {
  return tf.sequential({
    layers: [
      tf.layers.dense({
        units: V,
        inputShape: [T, V],
        activation: "softmax",
        kernelInitializer: tf.initializers.glorotUniform({seed})
      })
    ]
  });
}

async function collect(gen: AsyncGenerator<TrainEvent>): Promise<TrainEvent[]> {
  const events: TrainEvent[] = [];
  for await (const e of gen) events.push(e);
  return events;
}

const noYield = async () => {};

describe("train with a padded per-token loss", () => {
  test("micro-batches take the whole batch's step: the mean is over the batch's real tokens", async () => {
    const data = delayedCopy(24, 1);
    const loss = tokenCrossEntropy({padToken: 0});
    const run = async (taskBudgetMs: number) => {
      const m = perToken(7);
      const optimizer = tf.train.sgd(0.5);
      const events = await collect(
        train({model: m, optimizer, train: data, loss, batchSize: 8, minMicroBatch: 2, taskBudgetMs, yieldFn: noYield})
      );
      const weights = m.getWeights().map((w) => Array.from(w.dataSync()));
      optimizer.dispose();
      m.dispose();
      return {events: events.filter((e) => e.type === "batch"), weights};
    };
    const whole = await run(Infinity);
    const cut = await run(0);
    expect(cut.events.map((e) => (e.type === "batch" ? e.microBatch : 0))).toEqual([8, 4, 2]);
    for (let i = 0; i < whole.weights.length; i++) {
      const diff = Math.max(...whole.weights[i].map((v, j) => Math.abs(v - cut.weights[i][j])));
      expect(diff).toBeLessThan(1e-5);
    }
    for (let i = 0; i < 3; i++) {
      const [a, b] = [whole.events[i], cut.events[i]];
      if (a.type !== "batch" || b.type !== "batch") throw new Error("batch events expected");
      expect(b.loss).toBeCloseTo(a.loss, 5);
      expect(b.accuracy).toBeCloseTo(a.accuracy, 6);
    }

    // the test can tell: on this batch, the mean of micro-batch means is another gradient
    const m = perToken(7);
    const variables = m.trainableWeights.map((w) => w.read() as tf.Variable);
    const [wholeGrad, meanOfMeans] = tf.tidy(() => {
      const xs = data.xs.slice(0, 8);
      const ys = data.ys.slice(0, 8);
      const g = (f: () => tf.Scalar) =>
        tf.concat(Object.values(tf.variableGrads(f, variables).grads).map((t) => t.flatten()));
      const a = g(() => batchMean(loss, ys, m.apply(xs) as tf.Tensor));
      const b = g(() => {
        const parts = [0, 2, 4, 6].map((s) => batchMean(loss, ys.slice(s, 2), m.apply(xs.slice(s, 2)) as tf.Tensor));
        return tf.mean(tf.stack(parts)) as tf.Scalar;
      });
      return [a, b];
    });
    const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(wholeGrad, meanOfMeans))).dataSync()[0]);
    expect(gap).toBeGreaterThan(1e-3);
    tf.dispose([wholeGrad, meanOfMeans, data.xs, data.ys]);
    m.dispose();
  });

  test("a tiny LSTM learns the delayed copy (per-token loss falls, token accuracy rises) and leaks nothing", async () => {
    const data = delayedCopy(96, 2);
    const validation = delayedCopy(48, 3);
    const loss = tokenCrossEntropy({padToken: 0, from: "logits"});
    const model = tf.sequential({
      layers: [
        tf.layers.lstm({
          units: 16,
          inputShape: [T, V],
          returnSequences: true,
          kernelInitializer: tf.initializers.glorotUniform({seed: 1}),
          recurrentInitializer: tf.initializers.glorotUniform({seed: 2})
        }),
        tf.layers.dense({units: V, kernelInitializer: tf.initializers.glorotUniform({seed: 3})}) // logits
      ]
    });
    const optimizer = tf.train.adam(0.03);
    const before = tf.memory().numTensors;
    const events = await collect(
      train({model, optimizer, train: data, validation, loss, epochs: 12, batchSize: 32, yieldFn: noYield})
    );
    const epochs = events.filter((e) => e.type === "epoch");
    const first = epochs[0];
    const last = epochs.at(-1)!;
    if (first.type !== "epoch" || last.type !== "epoch") throw new Error("epoch events expected");
    expect(last.loss).toBeLessThan(0.5 * first.loss);
    expect(last.valAccuracy).toBeGreaterThan(0.9);
    expect(Object.keys(last.metrics!)).toEqual(["accuracy"]);
    // evaluate with the same loss gives the epoch's validation figures
    const again = await evaluate(model, validation, {loss, batchSize: 20});
    expect(again.loss).toBeCloseTo(last.valLoss!, 5);
    expect(again.accuracy).toBeCloseTo(last.valAccuracy!, 6);
    expect(tf.memory().numTensors - before).toBe(2 * model.trainableWeights.length); // Adam's two moments
    optimizer.dispose();
    model.dispose();
    tf.dispose([data.xs, data.ys, validation.xs, validation.ys]);
  });
});

describe("label dtypes", () => {
  test("int32 one-hot labels (what tf.oneHot makes) and int32 class indices train as float32 one-hot labels do", async () => {
    const rand = mulberry32(6);
    const x = Array.from({length: 32}, () => [rand() * 2 - 1, rand() * 2 - 1]);
    const labels = x.map(([a, b]) => (a + b > 0 ? 1 : 0));
    const xs = tf.tensor2d(x);
    const variants = {
      float: {ys: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), 2).cast("float32")), loss: undefined},
      int: {ys: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), 2)), loss: undefined},
      sparse: {ys: tf.tensor1d(labels, "int32"), loss: sparseCategoricalCrossEntropy()}
    };
    const losses: Record<string, number[]> = {};
    for (const [name, {ys, loss}] of Object.entries(variants)) {
      const model = tf.sequential({
        layers: [tf.layers.dense({units: 2, inputShape: [2], activation: "softmax", kernelInitializer: "zeros"})]
      });
      const optimizer = tf.train.sgd(0.5);
      const events = await collect(
        train({
          model,
          optimizer,
          train: {xs, ys},
          validation: {xs, ys},
          loss,
          epochs: 2,
          batchSize: 8,
          yieldFn: noYield
        })
      );
      losses[name] = events.flatMap((e) =>
        e.type === "batch" ? [e.loss, e.accuracy] : e.type === "epoch" ? [e.valLoss!] : []
      );
      optimizer.dispose();
      model.dispose();
      ys.dispose();
    }
    expect(losses.float).toHaveLength(8 * 2 + 2);
    for (const name of ["int", "sparse"]) {
      losses[name].forEach((v, i) => expect(v).toBeCloseTo(losses.float[i], 5));
    }
    xs.dispose();
  });
});

describe("train a regressor on mean squared error", () => {
  /** y = 2·x₁ − 3·x₂ + 1 on 128 points, a column [N, 1]. */
  function line(n: number, seed: number): Dataset {
    const rand = mulberry32(seed);
    const x = Array.from({length: n}, () => [rand() * 2 - 1, rand() * 2 - 1]);
    return {xs: tf.tensor2d(x), ys: tf.tensor2d(x.map(([a, b]) => [2 * a - 3 * b + 1]))};
  }

  test("a Dense(1) learns the line; metrics are MAE, accuracy is NaN; the loss curve still draws", async () => {
    const data = line(128, 4);
    const model = tf.sequential({
      layers: [tf.layers.dense({units: 1, inputShape: [2], kernelInitializer: tf.initializers.zeros()})]
    });
    const optimizer = tf.train.sgd(0.2);
    const events = await collect(
      train({model, optimizer, train: data, validation: data, loss: meanSquaredError(), epochs: 20, yieldFn: noYield})
    );
    const epochs = events.filter((e) => e.type === "epoch");
    const [first, last] = [epochs[0], epochs.at(-1)!];
    if (first.type !== "epoch" || last.type !== "epoch") throw new Error("epoch events expected");
    expect(last.loss).toBeLessThan(0.01 * first.loss);
    expect(Number.isNaN(last.accuracy)).toBe(true);
    expect(last.valMetrics!.mae).toBeLessThan(0.05);
    // MSE of the learned weights, by hand from the data
    const [w, b] = model.getWeights().map((t) => Array.from(t.dataSync()));
    const x = data.xs.arraySync() as number[][];
    const y = data.ys.arraySync() as number[][];
    const mse = x.reduce((s, [a, c], i) => s + (w[0] * a + w[1] * c + b[0] - y[i][0]) ** 2, 0) / x.length;
    expect(last.valLoss).toBeCloseTo(mse, 5);
    const batch = events.find((e) => e.type === "batch");
    expect(batch?.type === "batch" && Object.keys(batch.metrics!)).toEqual(["mae"]);
    const figure = lossCurve(events, {document: makeDocument(), width: 600});
    expect(figure.querySelectorAll("svg").length).toBeGreaterThanOrEqual(2);
    expect(figure.textContent).toContain("검증");
    optimizer.dispose();
    model.dispose();
    tf.dispose([data.xs, data.ys]);
  });
});
