/**
 * Claim C2 (chapter 2 「CNN」, position invariance): a CNN and an MLP of about the same size train on the same MNIST
 * images with the same budget, then classify the test images shifted sideways by −4…+4 pixels. The page's sentence
 * about the result is `summariseShift`, computed from the measured rows.
 */
import {tf} from "../tf.js";
import {convNet, CONVNET_PRESETS} from "../models/convnet.js";
import {mlp} from "../models/mlp.js";
import {shiftImages} from "../ops/shift.js";
import {evaluate, train, type Dataset, type TrainController} from "./loop.js";

export type ShiftModel = "CNN" | "MLP";

export interface ShiftRow {
  model: ShiftModel;
  shift: number;
  accuracy: number;
}

export interface ShiftSettings {
  /** Training-set sizes the reader can choose; the first is the default. */
  examples: readonly number[];
  testCount: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Horizontal shifts of the test images, in pixels. */
  shifts: readonly number[];
}

export const SHIFT_SETTINGS: ShiftSettings = {
  examples: [12_000, 3_000],
  testCount: 2_000,
  epochs: 1,
  batchSize: 32,
  learningRate: 0.002,
  seed: 1,
  shifts: [-4, -3, -2, -1, 0, 1, 2, 3, 4]
};

export interface ShiftProgress {
  model: ShiftModel;
  phase: "train" | "evaluate";
  /** Fraction of the whole experiment done, 0…1. */
  fraction: number;
}

/**
 * Train both models on `data.train` and measure their accuracy on `data.test` shifted by each of `settings.shifts`.
 * The data stays the caller's; models and optimizers are disposed, also on a stop (`AbortError`).
 */
export async function runShiftExperiment(
  data: {train: Dataset; test: Dataset},
  settings: Omit<ShiftSettings, "examples">,
  {
    signal,
    controller,
    onProgress
  }: {signal?: AbortSignal; controller?: TrainController; onProgress?: (p: ShiftProgress) => void} = {}
): Promise<{rows: ShiftRow[]; params: Record<ShiftModel, number>}> {
  const rows: ShiftRow[] = [];
  const params = {CNN: 0, MLP: 0};
  const names = ["CNN", "MLP"] as const;
  for (const [m, name] of names.entries()) {
    const model = name === "CNN" ? convNet(CONVNET_PRESETS.example, settings.seed) : mlp({}, settings.seed);
    const optimizer = tf.train.adam(settings.learningRate);
    params[name] = model.countParams();
    try {
      for await (const e of train({
        model,
        optimizer,
        train: data.train,
        epochs: settings.epochs,
        batchSize: settings.batchSize,
        seed: settings.seed + 1,
        signal,
        controller
      })) {
        if (e.type === "batch") {
          const done = (e.epoch * e.batches + e.batch + 1) / (settings.epochs * e.batches);
          onProgress?.({model: name, phase: "train", fraction: (m + 0.9 * done) / names.length});
        }
      }
      signal?.throwIfAborted();
      for (const [i, shift] of settings.shifts.entries()) {
        const xs = shiftImages(data.test.xs as tf.Tensor4D, shift, 0);
        try {
          const {accuracy} = await evaluate(model, {xs, ys: data.test.ys});
          rows.push({model: name, shift, accuracy});
        } finally {
          xs.dispose();
        }
        onProgress?.({
          model: name,
          phase: "evaluate",
          fraction: (m + 0.9 + (0.1 * (i + 1)) / settings.shifts.length) / 2
        });
      }
    } finally {
      optimizer.dispose();
      model.dispose();
    }
  }
  return {rows, params};
}

export interface ShiftSummary {
  /** Accuracy at 0 px per model. */
  centre: Record<ShiftModel, number>;
  /** Largest drop from 0 px to either end of the shifts, per model (fractions). */
  drop: Record<ShiftModel, number>;
  /** The largest shift measured, in pixels. */
  maxShift: number;
  sentence: string;
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** The measured result in words; every number from `rows` and `params`. */
export function summariseShift(rows: readonly ShiftRow[], params: Record<ShiftModel, number>): ShiftSummary {
  const at = (model: ShiftModel, shift: number) => {
    const r = rows.find((x) => x.model === model && x.shift === shift);
    if (!r) throw new RangeError(`no row for ${model} at ${shift} px`);
    return r.accuracy;
  };
  const shifts = [...new Set(rows.map((r) => r.shift))].sort((a, b) => a - b);
  const [lo, hi] = [shifts[0], shifts[shifts.length - 1]];
  const maxShift = Math.max(-lo, hi);
  const drop = (m: ShiftModel) => at(m, 0) - Math.min(at(m, lo), at(m, hi));
  const d = {CNN: drop("CNN"), MLP: drop("MLP")};
  const centre = {CNN: at("CNN", 0), MLP: at("MLP", 0)};
  const sentence =
    `제자리(0 px)에서 CNN ${pct(centre.CNN)}, MLP ${pct(centre.MLP)}. ±${maxShift} px에서 CNN은 최대 ` +
    `${(d.CNN * 100).toFixed(1)}%p, MLP는 ${(d.MLP * 100).toFixed(1)}%p 떨어졌습니다 ` +
    `(파라미터 CNN ${params.CNN.toLocaleString("en-US")}, MLP ${params.MLP.toLocaleString("en-US")}). ` +
    (d.CNN < d.MLP
      ? "이번 실행에서는 CNN이 이동에 더 강했습니다."
      : "이번 실행에서는 CNN이 이동에 더 강하지 않았습니다.") +
    (d.CNN > 0.01
      ? ` 그래도 CNN은 ${d.CNN > 0.1 ? "크게" : "조금"} 떨어집니다: convolution은 이동을 따라가지만(equivariance), ` +
        "마지막 FC 층은 위치마다 다른 가중치를 씁니다."
      : " CNN은 거의 떨어지지 않았습니다.");
  return {centre, drop: d, maxShift, sentence};
}
