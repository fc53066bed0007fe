/** Training several models in turns on the same batches (lib/train/side-by-side.ts). */
import {expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {trainSideBySide, type SideBySideEvent, type SideBySideRun} from "../../../lib/train/side-by-side.js";
import {TINY_MODELS} from "../../../lib/models/registry.js";
import {meanSquaredError} from "../../../lib/train/losses.js";

function setup(n = 48) {
  const xs = tf.randomUniform([n, 28, 28, 1], 0, 1, "float32", 1);
  const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([n], 0, 10, "int32", 2), 10).cast("float32")) as tf.Tensor2D;
  const runs: SideBySideRun[] = (["resnet", "vgg"] as const).map((f) => ({
    name: f,
    model: TINY_MODELS[f]({seed: 1}),
    optimizer: tf.train.adam(1e-3)
  }));
  const dispose = () => {
    tf.dispose([xs, ys]);
    for (const r of runs) {
      r.optimizer.dispose();
      r.model.dispose();
    }
  };
  return {data: {xs, ys}, runs, dispose};
}

test("the runs take turns batch by batch, each sees every batch, and both end", async () => {
  const {data, runs, dispose} = setup();
  try {
    const events: SideBySideEvent[] = [];
    let between = 0;
    for await (const e of trainSideBySide(runs, {
      train: data,
      validation: data,
      epochs: 1,
      batchSize: 16,
      between: async () => void between++
    }))
      events.push(e);
    const batches = events.filter((e) => e.event.type === "batch");
    expect(batches.map((e) => e.run)).toEqual([0, 1, 0, 1, 0, 1]);
    expect(events.filter((e) => e.event.type === "epoch")).toHaveLength(2);
    expect(events.filter((e) => e.event.type === "end").map((e) => e.event)).toEqual([
      {type: "end", reason: "done", epochs: 1},
      {type: "end", reason: "done", epochs: 1}
    ]);
    expect(between).toBe(events.length);
    // training time grows with every batch of the run and is not counted for the others
    for (const run of [0, 1]) {
      const seconds = batches.filter((e) => e.run === run).map((e) => e.seconds);
      expect(seconds.every((s, i) => s > 0 && (i === 0 || s >= seconds[i - 1]))).toBe(true);
    }
  } finally {
    dispose();
  }
});

test("the signal stops every run; breaking out of the loop leaves no tensors", async () => {
  const {data, runs, dispose} = setup();
  try {
    const controller = new AbortController();
    const ends: string[] = [];
    for await (const e of trainSideBySide(runs, {train: data, batchSize: 16, signal: controller.signal})) {
      if (e.event.type === "batch") controller.abort();
      if (e.event.type === "end") ends.push(e.event.reason);
    }
    expect(ends).toEqual(["stopped", "stopped"]);
    for await (const e of trainSideBySide(runs, {train: data, batchSize: 16})) {
      if (e.event.type === "batch") break;
    }
  } finally {
    dispose();
  }
});

test("every loop option reaches each run: the loss, the task budget, the learning-rate schedule", async () => {
  // y = x₁ + x₂: two regressors on mean squared error
  const xs = tf.randomUniform([32, 2], -1, 1, "float32", 5);
  const ys = tf.tidy(() => tf.sum(xs, 1, true));
  const runs: SideBySideRun[] = [0, 1].map((i) => ({
    name: `r${i}`,
    model: tf.sequential({layers: [tf.layers.dense({units: 1, inputShape: [2], kernelInitializer: "zeros"})]}),
    optimizer: tf.train.sgd(1)
  }));
  try {
    const rates: number[][] = [[], []];
    const events: SideBySideEvent[] = [];
    for await (const e of trainSideBySide(runs, {
      train: {xs, ys},
      validation: {xs, ys},
      loss: meanSquaredError(),
      batchSize: 16,
      epochs: 2,
      taskBudgetMs: 0,
      minMicroBatch: 4,
      learningRate: (step) => 0.1 / (step + 1)
    })) {
      events.push(e);
      if (e.event.type === "batch")
        rates[e.run].push((runs[e.run].optimizer as unknown as {learningRate: number}).learningRate);
    }
    for (const run of [0, 1]) {
      const mine = events.filter((e) => e.run === run).map((e) => e.event);
      const batches = mine.filter((e) => e.type === "batch");
      // the loss's metric (MAE, no accuracy), micro-batches cut by the budget, the schedule per step
      expect(batches.map((e) => (e.type === "batch" ? Object.keys(e.metrics!) : []))).toEqual([
        ["mae"],
        ["mae"],
        ["mae"],
        ["mae"]
      ]);
      expect(batches.every((e) => e.type === "batch" && Number.isNaN(e.accuracy))).toBe(true);
      expect(batches.map((e) => (e.type === "batch" ? e.microBatch : 0))).toEqual([16, 8, 4, 4]);
      expect(rates[run]).toEqual([0.1, 0.05, 0.1 / 3, 0.025]);
      const lastEpoch = mine.filter((e) => e.type === "epoch").at(-1);
      expect(lastEpoch?.type === "epoch" && Object.keys(lastEpoch.valMetrics!)).toEqual(["mae"]);
      // and the validation loss is the MSE of the run's own model
      const mse = tf.tidy(() => tf.mean(tf.square(tf.sub(runs[run].model.predict(xs) as tf.Tensor, ys))).dataSync()[0]);
      expect(lastEpoch?.type === "epoch" && lastEpoch.valLoss).toBeCloseTo(mse, 6);
    }
  } finally {
    tf.dispose([xs, ys]);
    for (const r of runs) {
      r.optimizer.dispose();
      r.model.dispose();
    }
  }
});
