/**
 * Chapter 4 「RNN」, claim R2: a recall task that needs a memory of L steps (after the "adding/copy problems" of
 * Hochreiter & Schmidhuber 1997, section 5, simplified).
 *
 * A sequence has L + 1 steps. Step 0 shows the symbol to remember, s ∈ {0 … S − 1}. Steps 1 … L are noise: each a
 * random symbol of the same alphabet (a distractor) with the extra "noise" channel S set. After the last step the
 * model must output s. Inputs are one-hot [N, L + 1, S + 1], targets one-hot [N, S]. Chance is 1/S.
 * Everything is seeded (mulberry32): the same seed gives the same examples.
 *
 * `recallAccuracyByLag` trains a fresh recurrent model per (cell, lag) with the course's loop (../train/loop.ts)
 * and measures the accuracy on held-out sequences of the same lag.
 */
import {tf} from "../tf.js";
import {mulberry32} from "../random.js";
import {recurrentLayer, rnnParamCount, unitsForParams, type CellKind} from "../models/rnn.js";
import {evaluate, train, type TrainController} from "../train/loop.js";

export interface RecallTaskOptions {
  examples: number;
  /** L: noise steps between the symbol and the answer (≥ 0). */
  lag: number;
  /** S: alphabet size. Default 4. */
  symbols?: number;
  seed?: number;
}

/** The task's examples: xs one-hot [N, L + 1, S + 1], ys one-hot [N, S]. The caller disposes both. */
export function recallTask(opts: RecallTaskOptions): {xs: tf.Tensor3D; ys: tf.Tensor2D; symbols: number} {
  const {examples, lag, symbols = 4, seed = 1} = opts;
  const rand = mulberry32(seed);
  const steps = lag + 1;
  const width = symbols + 1;
  const x = new Float32Array(examples * steps * width);
  const y = new Float32Array(examples * symbols);
  for (let n = 0; n < examples; n++) {
    const s = Math.floor(rand() * symbols);
    x[n * steps * width + s] = 1; // step 0: the symbol
    y[n * symbols + s] = 1;
    for (let t = 1; t < steps; t++) {
      const base = (n * steps + t) * width;
      x[base + Math.floor(rand() * symbols)] = 1; // a distractor
      x[base + symbols] = 1; // the noise flag
    }
  }
  return {
    xs: tf.tensor3d(x, [examples, steps, width]),
    ys: tf.tensor2d(y, [examples, symbols]),
    symbols
  };
}

export interface RecallModelOptions {
  units: number;
  symbols: number;
  lag: number;
  seed?: number;
}

/** [B, L + 1, S + 1] -> recurrent layer (h_T, [B, u]) -> dense softmax [B, S]. */
export function recallModel(kind: CellKind, opts: RecallModelOptions): tf.LayersModel {
  const {units, symbols, lag, seed} = opts;
  const input = tf.input({shape: [lag + 1, symbols + 1], name: "sequence"});
  const h = recurrentLayer(kind, {units, seed, name: kind}).apply(input) as tf.SymbolicTensor; // [B, u]
  const kernelInitializer = seed == null ? undefined : tf.initializers.glorotUniform({seed: seed + 99});
  const output = tf.layers
    .dense({units: symbols, activation: "softmax", kernelInitializer, name: "readout"})
    .apply(h) as tf.SymbolicTensor; // [B, S]
  return tf.model({inputs: input, outputs: output, name: `recall-${kind}`});
}

export interface RecallResult {
  kind: CellKind;
  lag: number;
  /** Accuracy on held-out sequences of this lag (chance 1/S). */
  accuracy: number;
  /** Trainable parameters of the whole model (recurrent layer + readout). */
  params: number;
  /** Units of the recurrent layer. */
  units: number;
}

export interface RecallByLagOptions {
  /** Training sequences per (cell, lag); the held-out set has max(200, examples / 4). */
  examples: number;
  epochs: number;
  /**
   * Units of the LSTM; every other cell gets the units whose recurrent-layer parameter count is nearest to the
   * LSTM's (similar size), unless `sameUnits` is set.
   */
  units: number;
  sameUnits?: boolean;
  symbols?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  signal?: AbortSignal;
  controller?: TrainController;
  onProgress?: (p: {kind: CellKind; lag: number; fraction: number}) => void;
}

/** The units a cell of `kind` gets in `recallAccuracyByLag` for input width d (see `units` there). */
export function matchedUnits(kind: CellKind, d: number, lstmUnits: number): number {
  return kind === "lstm" ? lstmUnits : unitsForParams(kind, d, rnnParamCount("lstm", d, lstmUnits));
}

/**
 * Train a fresh model per cell and lag on a short budget (Adam), then measure held-out accuracy. Stops early (and
 * returns what it has) when `signal` aborts. Every tensor and model it makes is disposed.
 */
export async function recallAccuracyByLag(
  kinds: CellKind[],
  lags: number[],
  opts: RecallByLagOptions
): Promise<RecallResult[]> {
  const {examples, epochs, symbols = 4, batchSize = 32, learningRate = 0.01, seed = 1} = opts;
  const results: RecallResult[] = [];
  const d = symbols + 1;
  for (const lag of lags) {
    for (const kind of kinds) {
      if (opts.signal?.aborted) return results;
      const units = opts.sameUnits ? opts.units : matchedUnits(kind, d, opts.units);
      const data = recallTask({examples, lag, symbols, seed: seed + 1000 * lag});
      const test = recallTask({examples: Math.max(200, Math.floor(examples / 4)), lag, symbols, seed: seed + 7 + 1000 * lag});
      const model = recallModel(kind, {units, symbols, lag, seed});
      const optimizer = tf.train.adam(learningRate);
      try {
        const batches = Math.ceil(examples / batchSize);
        for await (const e of train({
          model,
          optimizer,
          train: data,
          epochs,
          batchSize,
          seed,
          signal: opts.signal,
          controller: opts.controller
        })) {
          if (e.type === "batch") {
            opts.onProgress?.({kind, lag, fraction: (e.epoch * batches + e.batch + 1) / (epochs * batches)});
          }
        }
        if (opts.signal?.aborted) return results;
        const {accuracy} = await evaluate(model, test);
        results.push({kind, lag, accuracy, params: model.countParams(), units});
      } finally {
        tf.dispose([data.xs, data.ys, test.xs, test.ys]);
        optimizer.dispose();
        model.dispose();
      }
    }
  }
  return results;
}
