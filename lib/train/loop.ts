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
 * - The loss and its metrics are a parameter (./losses.ts): softmax cross-entropy on one-hot labels by default,
 *   sparse labels, per-token cross-entropy with padding, mean squared error. Losses are sums with counts, so the
 *   micro-batch step above is still the whole batch's step for a padded sequence batch (the mean is over the
 *   batch's real tokens).
 * - `signal` stops it; `controller.pause()` / `resume()` hold it between batches.
 * - Every tensor it makes is disposed; the model and optimizer stay the caller's.
 */
import {tf} from "../tf.js";
import {mulberry32} from "../random.js";
import {categoricalCrossEntropy, type Loss} from "./losses.js";

/** A model's inputs: one tensor, or one per input of a multi-input model (e.g. a Seq2Seq's source and decoder input). */
export type ModelInputs = tf.Tensor | tf.Tensor[];

/**
 * Inputs and targets. `Dataset` (one input tensor) is what the image chapters use; the loop (`train`, `evaluate`,
 * side by side) takes `Dataset<ModelInputs>`: one tensor or a list of them, all with the same first axis (the loop
 * gathers every input by the same batch indices).
 */
export interface Dataset<X extends ModelInputs = tf.Tensor> {
  /** ModelInputs, first axis = examples (every input of a list). */
  xs: X;
  /**
   * Targets, first axis = examples, in the form the loss reads: one-hot [N, classes] (the default loss), class
   * indices [N], token ids [N, T], regression values [N, …].
   */
  ys: tf.Tensor;
}

/** Metric values by name, e.g. `{accuracy: 0.93}` or `{mae: 0.41}`. */
export type MetricValues = Record<string, number>;

export type TrainEvent =
  | {
      type: "batch";
      epoch: number;
      batch: number;
      batches: number;
      /** The batch's mean loss (over its items: examples, real tokens, values). */
      loss: number;
      /** `metrics.accuracy`, NaN when the loss has no accuracy metric (regression). */
      accuracy: number;
      /** Every metric of the loss, by name (always set by `train`; optional for hand-made events). */
      metrics?: MetricValues;
      examplesPerSec: number;
      /** Examples per task in this batch (the batch size unless the loop cut it, see `taskBudgetMs`). */
      microBatch: number;
    }
  | {
      type: "epoch";
      epoch: number;
      loss: number;
      accuracy: number;
      /** The epoch's means over all its items, by name (always set by `train`). */
      metrics?: MetricValues;
      valLoss?: number;
      valAccuracy?: number;
      valMetrics?: MetricValues;
    }
  | {type: "end"; reason: "done" | "stopped"; epochs: number};

export interface TrainOptions {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  train: Dataset<ModelInputs>;
  validation?: Dataset<ModelInputs>;
  /** What to minimise, and the metrics to report (./losses.ts). Default `categoricalCrossEntropy()`. */
  loss?: Loss;
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
  /**
   * Data augmentation (e.g. ./augment.ts's `batchAugmenter`): applied to each training batch's inputs (a single
   * input tensor), never to validation. It returns a new tensor, which the loop disposes; the labels stay as they are.
   */
  augment?: (xs: tf.Tensor) => tf.Tensor;
  /**
   * Read the loss and metrics back every `readEvery` batches (default 1): the batches in between are not waited for,
   * so a GPU backend keeps its queue full; their events come together when read (the last batch of an epoch, and a
   * stop, read at once). On wasm and cpu a read costs little.
   */
  readEvery?: number;
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
 * One-cycle schedule (Smith & Topin, "Super-Convergence", 2019): a linear warm-up from `peak · start` to `peak` over
 * the first `warmup` fraction of the steps, then a cosine down to `peak · floor` at the last step.
 */
export function oneCycle(
  peak: number,
  {warmup = 0.2, start = 0.1, floor = 0.02}: {warmup?: number; start?: number; floor?: number} = {}
): (step: number, totalSteps: number) => number {
  return (step, totalSteps) => {
    const up = Math.max(1, Math.round(warmup * totalSteps));
    if (step < up) return peak * (start + ((1 - start) * step) / up);
    const t = totalSteps - up <= 1 ? 1 : (step - up) / (totalSteps - up - 1);
    return peak * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, t))));
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
    if (!taskChannel) {
      // one channel for the page's life (a new channel per yield costs more than the yield)
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        taskWaiters.shift()?.();
        if (taskWaiters.length === 0) nodePort(channel.port1).unref?.(); // Node: an idle channel keeps no process alive
      };
      taskChannel = channel;
    }
    taskWaiters.push(resolve);
    nodePort(taskChannel.port1).ref?.();
    taskChannel.port2.postMessage(null);
  });
}
let taskChannel: MessageChannel | undefined;
const taskWaiters: (() => void)[] = [];
const nodePort = (port: MessagePort) => port as unknown as {ref?: () => void; unref?: () => void};

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

/** Number of examples of a dataset's inputs (the first axis; every input of a multi-input dataset agrees). */
export function exampleCount(xs: ModelInputs): number {
  const list = Array.isArray(xs) ? xs : [xs];
  if (list.length === 0) throw new Error("a dataset needs at least one input");
  const n = list[0].shape[0];
  for (const x of list) {
    if (x.shape[0] !== n) throw new Error(`inputs disagree on the number of examples: ${list.map((t) => t.shape[0])}`);
  }
  return n;
}

/** Rows `indices` of every input (one tensor or a list, as given). */
function gatherInputs(xs: ModelInputs, indices: tf.Tensor1D): ModelInputs {
  return Array.isArray(xs) ? xs.map((x) => tf.gather(x, indices)) : tf.gather(xs, indices);
}

/** Rows start…start+size−1 of every input. */
function sliceInputs(xs: ModelInputs, start: number, size: number): ModelInputs {
  return Array.isArray(xs) ? xs.map((x) => x.slice(start, size)) : xs.slice(start, size);
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

/** Running sums of a loss and its metrics over several batches (see ./losses.ts: sums with counts). */
class Totals {
  loss = 0;
  count = 0;
  sums: Record<string, number> = {};
  counts: Record<string, number> = {};
  constructor(private names: string[]) {
    for (const k of names) this.sums[k] = this.counts[k] = 0;
  }
  add(other: Totals): void {
    this.loss += other.loss;
    this.count += other.count;
    for (const k of this.names) {
      this.sums[k] += other.sums[k];
      this.counts[k] += other.counts[k];
    }
  }
  get meanLoss(): number {
    return this.count > 0 ? this.loss / this.count : 0;
  }
  get metrics(): MetricValues {
    return Object.fromEntries(this.names.map((k) => [k, this.counts[k] > 0 ? this.sums[k] / this.counts[k] : NaN]));
  }
}

/**
 * The loss and every metric on one batch as one vector (one read-back): [loss sum, loss count, then a sum and a
 * count per metric].
 */
function sumsOf(
  loss: Loss,
  names: string[],
  ys: tf.Tensor,
  pred: tf.Tensor,
  lossSum: tf.Scalar = loss.sum(ys, pred)
): tf.Tensor1D {
  return tf.tidy(() =>
    tf.stack(
      [
        lossSum,
        loss.count(ys),
        ...names.flatMap((k) => [loss.metrics[k].sum(ys, pred), loss.metrics[k].count(ys)])
      ].map((t) => tf.cast(t, "float32")) // int32 labels give int32 counts
    )
  ) as tf.Tensor1D;
}

/** Read back a `sumsOf` vector (and dispose it) as a `Totals`. */
async function readTotals(sums: tf.Tensor1D, names: string[]): Promise<Totals> {
  const values = await sums.data();
  sums.dispose();
  const t = new Totals(names);
  t.loss = values[0];
  t.count = values[1];
  names.forEach((k, i) => {
    t.sums[k] = values[2 + 2 * i];
    t.counts[k] = values[3 + 2 * i];
  });
  return t;
}

export interface EvaluateOptions {
  /** Examples per forward pass. Default 256. */
  batchSize?: number;
  /** Default `categoricalCrossEntropy()`. */
  loss?: Loss;
}

/**
 * Loss and metrics over a whole dataset, in batches: each the mean over all its items (examples, real tokens,
 * values). `accuracy` is NaN when the loss has no accuracy metric. A number as third argument is the batch size.
 */
export async function evaluate(
  model: tf.LayersModel,
  data: Dataset<ModelInputs>,
  options: number | EvaluateOptions = {}
): Promise<{loss: number; accuracy: number; metrics: MetricValues}> {
  const {batchSize = 256, loss = categoricalCrossEntropy()} =
    typeof options === "number" ? {batchSize: options} : options;
  const names = Object.keys(loss.metrics);
  const n = exampleCount(data.xs);
  const totals = new Totals(names);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const tensors = tf.tidy(() => {
      const ys = data.ys.slice(start, size);
      const pred = model.apply(sliceInputs(data.xs, start, size), {training: false}) as tf.Tensor;
      return sumsOf(loss, names, ys, pred);
    });
    totals.add(await readTotals(tensors, names));
  }
  const metrics = totals.metrics;
  return {loss: totals.meanLoss, accuracy: metrics.accuracy ?? NaN, metrics};
}

/**
 * Train, yielding an event after every batch and every epoch. The model's layers are trained with the
 * optimizer on `loss` (default: softmax cross-entropy on one-hot labels, the model's last layer a softmax).
 */
export async function* train(opts: TrainOptions): AsyncGenerator<TrainEvent> {
  const {model, optimizer, train: data, validation, epochs = 1, batchSize = 32, seed = 1, signal, controller} = opts;
  const {taskBudgetMs = 100, minMicroBatch = 8, loss = categoricalCrossEntropy()} = opts;
  const readEvery = Math.max(1, Math.floor(opts.readEvery ?? 1));
  const names = Object.keys(loss.metrics);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let micro = batchSize;
  const yieldFn = opts.yieldFn ?? nextTask;
  const n = exampleCount(data.xs);
  const batches = Math.ceil(n / batchSize);
  let rate = 0;
  // batches trained but not yet read back: their summed loss and metrics stay on the device until `flush`
  type Pending = {sums: tf.Tensor1D; epoch: number; batch: number; size: number; cut: number; ms: number};
  const pending: Pending[] = [];
  let epochTotals = new Totals(names);
  async function* flush(): AsyncGenerator<TrainEvent> {
    if (pending.length === 0) return;
    const group = pending.splice(0);
    const t0 = performance.now();
    const joined = group.length === 1 ? group[0].sums : tf.concat(group.map((p) => p.sums));
    const values = await joined.data();
    tf.dispose([joined, ...group.map((p) => p.sums)]);
    const width = 2 + 2 * names.length;
    const readMs = (performance.now() - t0) / group.length;
    for (const [i, p] of group.entries()) {
      const totals = new Totals(names);
      totals.loss = values[i * width];
      totals.count = values[i * width + 1];
      names.forEach((k, j) => {
        totals.sums[k] = values[i * width + 2 + 2 * j];
        totals.counts[k] = values[i * width + 3 + 2 * j];
      });
      epochTotals.add(totals);
      const current = p.size / Math.max((p.ms + readMs) / 1000, 1e-6);
      rate = rate === 0 ? current : 0.8 * rate + 0.2 * current;
      const metrics = totals.metrics;
      yield {
        type: "batch",
        epoch: p.epoch,
        batch: p.batch,
        batches,
        loss: totals.meanLoss,
        accuracy: metrics.accuracy ?? NaN,
        metrics,
        examplesPerSec: rate,
        microBatch: p.cut
      };
    }
  }
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = shuffledIndices(n, seed + epoch);
      epochTotals = new Totals(names);
      for (let batch = 0; batch < batches; batch++) {
        await controller?.wait(signal);
        if (signal?.aborted) {
          yield* flush();
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
        // the whole batch's item count (examples, real tokens, values): every micro-batch divides by it (kept on the
        // device: no read-back before the step)
        const denominator = tf.tidy(() => tf.maximum(loss.count(tf.gather(data.ys, tf.tensor1d(idx, "int32"))), 1));
        // one task per micro-batch: gradients of (micro-batch loss sum) / (batch count), summed over the slices
        const sums = new Map<string, tf.Tensor>();
        const cut = micro;
        let batchSums: tf.Tensor1D | null = null;
        for (let start = 0; start < idx.length; start += cut) {
          if (start > 0) await yieldFn();
          const t1 = performance.now();
          const slice = idx.subarray(start, Math.min(idx.length, start + cut));
          const tensors = tf.tidy(() => {
            const indices = tf.tensor1d(slice, "int32");
            let xs = gatherInputs(data.xs, indices);
            if (opts.augment) {
              if (Array.isArray(xs)) throw new Error("augment takes a single-input model's batch");
              xs = opts.augment(xs);
            }
            const ys = tf.gather(data.ys, indices);
            let totals: tf.Tensor1D | undefined;
            const {value, grads} = tf.variableGrads(() => {
              const pred = model.apply(xs, {training: true}) as tf.Tensor;
              const lossSum = loss.sum(ys, pred);
              totals = tf.keep(sumsOf(loss, names, ys, pred, lossSum));
              // the gradient of (this slice's loss sum) / (the whole batch's count)
              return tf.div(lossSum, denominator) as tf.Scalar;
            }, variables);
            value.dispose();
            for (const [name, g] of Object.entries(grads)) {
              const prev = sums.get(name);
              sums.set(name, tf.keep(prev ? tf.add(prev, g) : g));
              prev?.dispose();
            }
            return totals!;
          });
          if (batchSums) {
            const previous: tf.Tensor1D = batchSums;
            batchSums = tf.add(previous, tensors) as tf.Tensor1D;
            tf.dispose([previous, tensors]);
          } else {
            batchSums = tensors;
          }
          // too long a task: cut the next batches finer
          if (performance.now() - t1 > taskBudgetMs && micro > minMicroBatch) {
            micro = Math.max(minMicroBatch, Math.ceil(micro / 2));
          }
        }
        optimizer.applyGradients(Object.fromEntries(sums));
        tf.dispose([...sums.values(), denominator]);
        pending.push({sums: batchSums!, epoch, batch, size: idx.length, cut, ms: performance.now() - t0});
        if (pending.length >= readEvery || batch === batches - 1) yield* flush();
        await yieldFn();
      }
      if (signal?.aborted) {
        yield {type: "end", reason: "stopped", epochs: epoch};
        return;
      }
      const valid = validation ? await evaluate(model, validation, {loss}) : undefined;
      const metrics = epochTotals.metrics;
      yield {
        type: "epoch",
        epoch,
        loss: epochTotals.meanLoss,
        accuracy: metrics.accuracy ?? NaN,
        metrics,
        valLoss: valid?.loss,
        valAccuracy: valid?.accuracy,
        valMetrics: valid?.metrics
      };
    }
    yield {type: "end", reason: "done", epochs};
  } finally {
    // a consumer that stops iterating (break, return, an error) leaves nothing behind
    tf.dispose(pending.splice(0).map((p) => p.sums));
  }
}
