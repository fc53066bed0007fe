import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {
  cosineDecay,
  evaluate,
  exampleCount,
  nextTask,
  oneCycle,
  shuffledIndices,
  train,
  TrainController,
  type TrainEvent
} from "../../../lib/train/loop.js";
import {mulberry32} from "../../../lib/random.js";

/** Two Gaussian blobs in 2-D, labels one-hot: linearly separable. */
function blobs(n: number, seed: number) {
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    x.push(gauss() * 0.5 + (c ? 2 : -2), gauss() * 0.5 + (c ? 1 : -1));
    y.push(c ? 0 : 1, c ? 1 : 0);
  }
  return {xs: tf.tensor2d(x, [n, 2]), ys: tf.tensor2d(y, [n, 2])};
}

function model(seed = 3) {
  return tf.sequential({
    layers: [
      tf.layers.dense({
        units: 8,
        inputShape: [2],
        activation: "relu",
        kernelInitializer: tf.initializers.glorotUniform({seed})
      }),
      tf.layers.dense({
        units: 2,
        activation: "softmax",
        kernelInitializer: tf.initializers.glorotUniform({seed: seed + 1})
      })
    ]
  });
}

async function collect(gen: AsyncGenerator<TrainEvent>): Promise<TrainEvent[]> {
  const events: TrainEvent[] = [];
  for await (const e of gen) events.push(e);
  return events;
}

describe("train", () => {
  test("cosineDecay: initial at step 0, half-way at the middle, the floor at the end (by hand)", () => {
    const f = cosineDecay(0.004, 0.05);
    expect(f(0, 101)).toBeCloseTo(0.004, 12);
    expect(f(50, 101)).toBeCloseTo(0.004 * (0.05 + 0.95 * 0.5), 12);
    expect(f(100, 101)).toBeCloseTo(0.004 * 0.05, 12);
  });

  test("oneCycle: linear warm-up from start·peak to the peak, then a cosine to floor·peak (by hand)", () => {
    const f = oneCycle(0.01, {warmup: 0.2, start: 0.1, floor: 0.02});
    // 100 steps: warm-up over steps 0…19, the peak at step 20, the floor at step 99
    expect(f(0, 100)).toBeCloseTo(0.001, 12);
    expect(f(10, 100)).toBeCloseTo(0.01 * (0.1 + 0.9 * 0.5), 12);
    expect(f(20, 100)).toBeCloseTo(0.01, 12);
    expect(f(99, 100)).toBeCloseTo(0.01 * 0.02, 12);
    // half-way down the cosine (step 20 + 79/2): the mean of peak and floor
    expect(f(59.5, 100)).toBeCloseTo(0.01 * (0.02 + 0.98 * 0.5), 12);
    for (let i = 1; i < 20; i++) expect(f(i, 100)).toBeGreaterThan(f(i - 1, 100));
    for (let i = 21; i < 100; i++) expect(f(i, 100)).toBeLessThan(f(i - 1, 100));
  });

  test("readEvery: the same training and the same events, read back in groups; a stop reads what ran", async () => {
    const data = blobs(200, 12);
    const run = async (readEvery: number, stopAfter = Infinity) => {
      const before = tf.memory().numTensors;
      const m = model(21);
      const optimizer = tf.train.adam(0.05);
      const abort = new AbortController();
      const events: TrainEvent[] = [];
      // how many batches had been trained (learning rate set) when each batch event arrived
      const stepsAtEvent: number[] = [];
      let steps = 0;
      for await (const e of train({
        model: m,
        optimizer,
        train: data,
        epochs: 2,
        batchSize: 16,
        readEvery,
        signal: abort.signal,
        learningRate: () => (steps++, 0.05),
        yieldFn: async () => {}
      })) {
        events.push(e);
        if (e.type === "batch") stepsAtEvent.push(steps);
        if (events.filter((x) => x.type === "batch").length >= stopAfter) abort.abort();
      }
      const weights = m.getWeights().map((w) => Array.from(w.dataSync()));
      optimizer.dispose();
      m.dispose();
      expect(tf.memory().numTensors).toBe(before); // nothing left behind, a stop between reads included
      return {events, weights, stepsAtEvent};
    };
    const one = await run(1);
    const five = await run(5);
    // 13 batches per epoch: events of batches 0…4 arrive after batch 4 ran, 5…9 after 9, 10…12 at the epoch's end
    expect(one.stepsAtEvent.slice(0, 13)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(five.stepsAtEvent.slice(0, 13)).toEqual([5, 5, 5, 5, 5, 10, 10, 10, 10, 10, 13, 13, 13]);
    expect(five.events.map((e) => e.type)).toEqual(one.events.map((e) => e.type));
    for (const [i, e] of five.events.entries()) {
      const o = one.events[i];
      if (e.type === "batch" && o.type === "batch") {
        expect([e.epoch, e.batch]).toEqual([o.epoch, o.batch]);
        expect(e.loss).toBeCloseTo(o.loss, 5);
        expect(e.accuracy).toBeCloseTo(o.accuracy, 6);
      } else if (e.type === "epoch" && o.type === "epoch") {
        expect(e.loss).toBeCloseTo(o.loss, 5);
      }
    }
    for (let i = 0; i < one.weights.length; i++) {
      expect(Math.max(...one.weights[i].map((v, j) => Math.abs(v - five.weights[i][j])))).toBeLessThan(1e-6);
    }
    // a stop after the first group: its 5 batches are reported, then the end
    const stopped = await run(5, 5);
    expect(stopped.events.filter((e) => e.type === "batch")).toHaveLength(5);
    expect(stopped.events.at(-1)).toEqual({type: "end", reason: "stopped", epochs: 0});
    tf.dispose([data.xs, data.ys]);
  });

  test("the learning-rate schedule is set on the optimizer before every batch; nextTask resolves", async () => {
    const data = blobs(64, 9);
    const m = model(5);
    const optimizer = tf.train.adam(1);
    const seen: number[] = [];
    for await (const e of train({
      model: m,
      optimizer,
      train: data,
      epochs: 2,
      batchSize: 16,
      learningRate: (step, total) => (total - step) / 1000,
      yieldFn: nextTask
    })) {
      if (e.type === "batch") seen.push((optimizer as unknown as {learningRate: number}).learningRate);
    }
    expect(seen).toEqual([8, 7, 6, 5, 4, 3, 2, 1].map((v) => v / 1000));
    optimizer.dispose();
    m.dispose();
    tf.dispose([data.xs, data.ys]);
  });

  test("micro-batches with accumulated gradients give the whole batch's SGD step", async () => {
    const data = blobs(96, 5);
    const run = async (taskBudgetMs: number) => {
      const m = model(11);
      const optimizer = tf.train.sgd(0.5);
      const events = await collect(
        train({model: m, optimizer, train: data, epochs: 1, batchSize: 32, taskBudgetMs, yieldFn: async () => {}})
      );
      const weights = m.getWeights().map((w) => Array.from(w.dataSync()));
      optimizer.dispose();
      m.dispose();
      return {events: events.filter((e) => e.type === "batch"), weights};
    };
    const whole = await run(Infinity);
    const cut = await run(0); // every task is "too long": 32, then 16, then 8 examples per task
    expect(whole.events.map((e) => (e.type === "batch" ? e.microBatch : 0))).toEqual([32, 32, 32]);
    expect(cut.events.map((e) => (e.type === "batch" ? e.microBatch : 0))).toEqual([32, 16, 8]);
    for (let i = 0; i < whole.weights.length; i++) {
      const diff = Math.max(...whole.weights[i].map((v, j) => Math.abs(v - cut.weights[i][j])));
      expect(diff).toBeLessThan(1e-5);
    }
    // the reported batch loss is the whole batch's mean either way
    for (let i = 0; i < 3; i++) {
      const a = whole.events[i];
      const b = cut.events[i];
      if (a.type === "batch" && b.type === "batch") expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-5);
    }
    tf.dispose([data.xs, data.ys]);
  });

  test("shuffledIndices is a seeded permutation", () => {
    const a = shuffledIndices(50, 7);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({length: 50}, (_, i) => i));
    expect([...shuffledIndices(50, 7)]).toEqual([...a]);
    expect([...shuffledIndices(50, 8)]).not.toEqual([...a]);
  });

  test("learns separable blobs, reports batches and epochs with validation, and leaks nothing", async () => {
    const data = blobs(256, 1);
    const validation = blobs(128, 2);
    const m = model();
    const optimizer = tf.train.adam(0.05);
    const before = tf.memory().numTensors;
    const events = await collect(
      train({model: m, optimizer, train: data, validation, epochs: 3, batchSize: 32, yieldFn: async () => {}})
    );
    const batches = events.filter((e) => e.type === "batch");
    const epochs = events.filter((e) => e.type === "epoch");
    expect(batches).toHaveLength(3 * 8);
    expect(epochs).toHaveLength(3);
    expect(events.at(-1)).toEqual({type: "end", reason: "done", epochs: 3});
    const last = epochs.at(-1)!;
    if (last.type !== "epoch") throw new Error();
    expect(last.valAccuracy).toBeGreaterThan(0.95);
    expect(last.loss).toBeLessThan((epochs[0] as {loss: number}).loss);
    for (const b of batches) if (b.type === "batch") expect(b.examplesPerSec).toBeGreaterThan(0);
    // Adam keeps two moments per trainable weight; the loop itself leaves nothing behind
    const afterTraining = tf.memory().numTensors;
    expect(afterTraining - before).toBe(2 * m.trainableWeights.length);
    await collect(train({model: m, optimizer, train: data, epochs: 2, yieldFn: async () => {}}));
    expect(tf.memory().numTensors).toBe(afterTraining);
    // evaluate agrees with a direct computation
    const direct = tf.tidy(() => {
      const p = m.predict(validation.xs) as tf.Tensor;
      return tf.mean(tf.cast(tf.equal(p.argMax(1), validation.ys.argMax(1)), "float32")).dataSync()[0];
    });
    expect((await evaluate(m, validation, 50)).accuracy).toBeCloseTo(direct, 6);
    optimizer.dispose();
    m.dispose();
    tf.dispose([data.xs, data.ys, validation.xs, validation.ys]);
  });

  test("the same seed gives the same run", async () => {
    const data = blobs(96, 5);
    const run = async () => {
      const m = model(11);
      const optimizer = tf.train.sgd(0.1);
      const events = await collect(
        train({
          model: m,
          optimizer,
          train: data,
          epochs: 2,
          batchSize: 16,
          seed: 42,
          yieldFn: async () => {},
          taskBudgetMs: Infinity
        })
      );
      optimizer.dispose();
      m.dispose();
      return events.filter((e) => e.type === "batch").map((e) => (e as {loss: number}).loss);
    };
    expect(await run()).toEqual(await run());
    tf.dispose([data.xs, data.ys]);
  });

  test("stop ends it between batches; pause holds it until resume", async () => {
    const data = blobs(160, 9);
    const m = model();
    const optimizer = tf.train.sgd(0.1);
    const controller = new AbortController();
    const pause = new TrainController();
    const seen: TrainEvent[] = [];
    const gen = train({
      model: m,
      optimizer,
      train: data,
      epochs: 5,
      batchSize: 16,
      signal: controller.signal,
      controller: pause
    });
    for await (const e of gen) {
      seen.push(e);
      if (e.type === "batch" && e.batch === 2 && e.epoch === 0) {
        pause.pause();
        setTimeout(() => pause.resume(), 60);
        const t0 = performance.now();
        await pause.wait();
        expect(performance.now() - t0).toBeGreaterThanOrEqual(50);
      }
      if (e.type === "batch" && e.batch === 4) controller.abort();
    }
    expect(seen.filter((e) => e.type === "batch")).toHaveLength(5);
    expect(seen.at(-1)).toEqual({type: "end", reason: "stopped", epochs: 0});
    optimizer.dispose();
    m.dispose();
    tf.dispose([data.xs, data.ys]);
  });
  test("a two-input model: every input gathered by the same indices; micro-batches, validation, no leaks", async () => {
    // label = [a > b]: neither input alone decides it, so inputs gathered by different indices could not be learnt
    const two = (n: number, seed: number) => {
      const rand = mulberry32(seed);
      const a = Array.from({length: n}, () => rand() * 2 - 1);
      const b = Array.from({length: n}, () => rand() * 2 - 1);
      const y = a.flatMap((v, i) => (v > b[i] ? [0, 1] : [1, 0]));
      return {xs: [tf.tensor2d(a, [n, 1]), tf.tensor2d(b, [n, 1])], ys: tf.tensor2d(y, [n, 2])};
    };
    const twoInputModel = () => {
      const a = tf.input({shape: [1]});
      const b = tf.input({shape: [1]});
      const joined = tf.layers.concatenate().apply([a, b]) as tf.SymbolicTensor;
      const out = tf.layers
        .dense({units: 2, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({seed: 4})})
        .apply(joined) as tf.SymbolicTensor;
      return tf.model({inputs: [a, b], outputs: out});
    };
    const data = two(256, 3);
    const validation = two(128, 4);
    expect(() => exampleCount([data.xs[0], validation.xs[0]])).toThrow();
    expect(exampleCount(data.xs)).toBe(256);
    const run = async (taskBudgetMs: number, epochs: number) => {
      const m = twoInputModel();
      const optimizer = tf.train.adam(0.1);
      const events = await collect(
        train({
          model: m,
          optimizer,
          train: data,
          validation,
          epochs,
          batchSize: 32,
          taskBudgetMs,
          yieldFn: async () => {}
        })
      );
      const weights = m.getWeights().map((w) => Array.from(w.dataSync()));
      const direct = tf.tidy(() => {
        const p = m.predict(validation.xs) as tf.Tensor;
        return tf.mean(tf.cast(tf.equal(p.argMax(1), validation.ys.argMax(1)), "float32")).dataSync()[0];
      });
      const evaluated = (await evaluate(m, validation, 50)).accuracy;
      optimizer.dispose();
      m.dispose();
      return {events, weights, direct, evaluated};
    };
    const learnt = await run(Infinity, 8);
    const last = learnt.events.filter((e) => e.type === "epoch").at(-1);
    if (last?.type !== "epoch") throw new Error("no epoch event");
    expect(last.valAccuracy).toBeGreaterThan(0.9);
    expect(learnt.evaluated).toBeCloseTo(learnt.direct, 6);
    expect(last.valAccuracy).toBeCloseTo(learnt.direct, 6);
    // micro-batches of a multi-input batch: the same step as the whole batch
    const whole = await run(Infinity, 1);
    const cut = await run(0, 1);
    expect(cut.events.some((e) => e.type === "batch" && e.microBatch < 32)).toBe(true);
    for (let i = 0; i < whole.weights.length; i++) {
      const diff = Math.max(...whole.weights[i].map((v, j) => Math.abs(v - cut.weights[i][j])));
      expect(diff).toBeLessThan(1e-5);
    }
    tf.dispose([...data.xs, data.ys, ...validation.xs, validation.ys]);
  });
});
