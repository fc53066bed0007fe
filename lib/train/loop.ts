/**
 * A training loop for pages (issue 5, used from chapter 2 on): it trains a `tf.LayersModel` batch by batch,
 * yields to the browser after every batch so the page stays responsive, and reports a stream of events
 * (loss, accuracy, examples/s per batch; validation per epoch) that a chart can follow live.
 *
 * - Seeded shuffling (mulberry32): the same seed gives the same batches.
 * - Short tasks: a batch whose step takes longer than `taskBudgetMs` is split, from the next batch on,
 *   into micro-batches whose gradients are accumulated, with a yield between them. The update is the
 *   same batch-mean gradient step (up to float rounding; BatchNorm sees the micro-batch statistics), so
 *   a slow laptop gets the same training with a page that still answers clicks.
 * - `signal` stops it; `controller.pause()` / `resume()` hold it between batches.
 * - Every tensor it makes is disposed; the model and optimizer stay the caller's.
 */
import {tf} from "../tf.js";
import {mulberry32} from "../random.js";

export interface Dataset {
  /** Inputs, first axis = examples. */
  xs: tf.Tensor;
  /** One-hot labels [N, classes]. */
  ys: tf.Tensor2D;
}

export type TrainEvent =
  | {
      type: "batch";
      epoch: number;
      batch: number;
      batches: number;
      loss: number;
      accuracy: number;
      examplesPerSec: number;
      /** Examples per task in this batch (the batch size unless the loop cut it, see `taskBudgetMs`). */
      microBatch: number;
    }
  | {type: "epoch"; epoch: number; loss: number; accuracy: number; valLoss?: number; valAccuracy?: number}
  | {type: "end"; reason: "done" | "stopped"; epochs: number};

export interface TrainOptions {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  train: Dataset;
  validation?: Dataset;
  epochs?: number;
  batchSize?: number;
  /** Shuffling seed. Default 1. */
  seed?: number;
  signal?: AbortSignal;
  controller?: TrainController;
  /** How to give the event loop a turn between batches. Default: `nextTask` (a new task, no timer clamp). */
  yieldFn?: () => Promise<unknown>;
  /**
   * Longest main-thread task wanted, in ms (default 100). When one step takes longer, later batches are
   * cut into micro-batches (halving, down to `minMicroBatch`). `Infinity` keeps whole batches.
   */
  taskBudgetMs?: number;
  /** Smallest micro-batch. Default 8. */
  minMicroBatch?: number;
  /**
   * Learning rate per step (0-based, out of `totalSteps`), set on the optimizer before each batch, e.g.
   * `cosineDecay(0.003)`. Default: leave the optimizer's rate alone.
   */
  learningRate?: (step: number, totalSteps: number) => number;
}

/**
 * Cosine decay (Loshchilov & Hutter, "SGDR", ICLR 2017, without restarts): from `initial` down to
 * `initial · floor` at the last step.
 */
export function cosineDecay(initial: number, floor = 0.05): (step: number, totalSteps: number) => number {
  return (step, totalSteps) => {
    const t = totalSteps <= 1 ? 1 : step / (totalSteps - 1);
    return initial * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * t)));
  };
}

/**
 * Give the event loop a turn: a new task, so input and rendering can run, without `setTimeout`'s
 * ≥ 4 ms clamp on nested timers (which alone would add 7 s to an epoch of 1,875 batches). A
 * MessageChannel message; `setTimeout` where there is none.
 */
export function nextTask(): Promise<void> {
  if (typeof MessageChannel === "undefined") return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Pause and resume a running `train`. */
export class TrainController {
  private paused = false;
  private waiters: (() => void)[] = [];
  get isPaused(): boolean {
    return this.paused;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    for (const w of this.waiters.splice(0)) w();
  }
  /** Resolves at once when running, or when resumed, or when `signal` aborts. */
  wait(signal?: AbortSignal): Promise<void> {
    if (!this.paused || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      signal?.addEventListener("abort", () => resolve(), {once: true});
    });
  }
}

/** A seeded permutation of 0…n−1 (Fisher–Yates). */
export function shuffledIndices(n: number, seed: number): Int32Array {
  const rand = mulberry32(seed);
  const idx = Int32Array.from({length: n}, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx;
}

/** Mean cross-entropy loss and accuracy of one batch. The model's output must be probabilities (a softmax). */
function lossAndAccuracy(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor2D, training: boolean) {
  const pred = model.apply(xs, {training}) as tf.Tensor2D; // [B, classes]
  const loss = tf.losses.softmaxCrossEntropy(ys, tf.log(tf.clipByValue(pred, 1e-7, 1))) as tf.Scalar;
  const accuracy = tf.mean(tf.cast(tf.equal(tf.argMax(pred, 1), tf.argMax(ys, 1)), "float32")) as tf.Scalar;
  return {loss, accuracy};
}

/** Loss and accuracy over a whole dataset, in batches. */
export async function evaluate(
  model: tf.LayersModel,
  data: Dataset,
  batchSize = 256
): Promise<{loss: number; accuracy: number}> {
  const n = data.xs.shape[0];
  let loss = 0;
  let correct = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const [l, a] = tf.tidy(() => {
      const xs = data.xs.slice(start, size);
      const ys = data.ys.slice(start, size) as tf.Tensor2D;
      const r = lossAndAccuracy(model, xs, ys, false);
      return [r.loss.mul(size), r.accuracy.mul(size)];
    });
    const [lv, av] = await Promise.all([l.data(), a.data()]);
    tf.dispose([l, a]);
    loss += lv[0];
    correct += av[0];
  }
  return {loss: loss / n, accuracy: correct / n};
}

/**
 * Train, yielding an event after every batch and every epoch. The model's layers are trained with the
 * optimizer on a softmax cross-entropy loss (the model's last layer is a softmax).
 */
export async function* train(opts: TrainOptions): AsyncGenerator<TrainEvent> {
  const {model, optimizer, train: data, validation, epochs = 1, batchSize = 32, seed = 1, signal, controller} = opts;
  const {taskBudgetMs = 100, minMicroBatch = 8} = opts;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let micro = batchSize;
  const yieldFn = opts.yieldFn ?? nextTask;
  const n = data.xs.shape[0];
  const batches = Math.ceil(n / batchSize);
  let rate = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = shuffledIndices(n, seed + epoch);
    let lossSum = 0;
    let accSum = 0;
    for (let batch = 0; batch < batches; batch++) {
      await controller?.wait(signal);
      if (signal?.aborted) {
        yield {type: "end", reason: "stopped", epochs: epoch};
        return;
      }
      if (opts.learningRate && "learningRate" in optimizer) {
        (optimizer as unknown as {learningRate: number}).learningRate = opts.learningRate(
          epoch * batches + batch,
          epochs * batches
        );
      }
      const t0 = performance.now();
      const idx = order.subarray(batch * batchSize, Math.min(n, (batch + 1) * batchSize));
      // one task per micro-batch: gradients of the batch-mean loss, summed over the slices
      const sums = new Map<string, tf.Tensor>();
      const cut = micro;
      let lv = 0;
      let av = 0;
      for (let start = 0; start < idx.length; start += cut) {
        if (start > 0) await yieldFn();
        const t1 = performance.now();
        const slice = idx.subarray(start, Math.min(idx.length, start + cut));
        const weight = slice.length / idx.length;
        const [lossT, accT] = tf.tidy(() => {
          const indices = tf.tensor1d(slice, "int32");
          const xs = tf.gather(data.xs, indices);
          const ys = tf.gather(data.ys, indices) as tf.Tensor2D;
          let accuracy: tf.Scalar | undefined;
          const {value, grads} = tf.variableGrads(() => {
            const r = lossAndAccuracy(model, xs, ys, true);
            accuracy = tf.keep(r.accuracy);
            return tf.mul(r.loss, weight) as tf.Scalar;
          }, variables);
          for (const [name, g] of Object.entries(grads)) {
            const prev = sums.get(name);
            sums.set(name, tf.keep(prev ? tf.add(prev, g) : g));
            prev?.dispose();
          }
          return [tf.div(value, weight), accuracy!];
        });
        const [l, a] = await Promise.all([lossT.data(), accT.data()]);
        tf.dispose([lossT, accT]);
        lv += l[0] * weight;
        av += a[0] * weight;
        // too long a task: cut the next batches finer
        if (performance.now() - t1 > taskBudgetMs && micro > minMicroBatch) {
          micro = Math.max(minMicroBatch, Math.ceil(micro / 2));
        }
      }
      optimizer.applyGradients(Object.fromEntries(sums));
      tf.dispose([...sums.values()]);
      const seconds = (performance.now() - t0) / 1000;
      const current = idx.length / Math.max(seconds, 1e-6);
      rate = rate === 0 ? current : 0.8 * rate + 0.2 * current;
      lossSum += lv * idx.length;
      accSum += av * idx.length;
      yield {type: "batch", epoch, batch, batches, loss: lv, accuracy: av, examplesPerSec: rate, microBatch: cut};
      await yieldFn();
    }
    if (signal?.aborted) {
      yield {type: "end", reason: "stopped", epochs: epoch};
      return;
    }
    const valid = validation ? await evaluate(model, validation) : undefined;
    yield {
      type: "epoch",
      epoch,
      loss: lossSum / n,
      accuracy: accSum / n,
      valLoss: valid?.loss,
      valAccuracy: valid?.accuracy
    };
  }
  yield {type: "end", reason: "done", epochs};
}
