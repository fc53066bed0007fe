/**
 * Claim C5 (chapter 2 「CNN」: a CNN learns from the spatial arrangement of the pixels, an MLP ignores it), the
 * classic pixel-permutation experiment: one fixed, seeded permutation of the pixel positions is applied to every
 * training and test image; an MLP and a CNN of about the same size are trained on the original and on the permuted
 * images with the same budget, and their test accuracies compared.
 *
 * The permuted MLP starts from the original MLP's initial weights with the rows of its first FC 층 permuted the same
 * way (`permuteRows`): that is just another draw from the same random initialisation, and it makes the two MLP runs
 * the same computation up to the order of float additions (see lib/ops/permute.ts). The CNN starts from the same
 * seed on both data sets. Both pairs see the same batches in the same order.
 */
import {tf} from "../tf.js";
import {convNet, CONVNET_PRESETS} from "../models/convnet.js";
import {mlp} from "../models/mlp.js";
import {permutePixels, permuteRows, pixelPermutation} from "../ops/permute.js";
import {evaluate, type Dataset, type TrainController} from "./loop.js";
import {trainSideBySide, type SideBySideEvent} from "./side-by-side.js";

export type PermutationModel = "MLP" | "CNN";
export type PermutationData = "원본" | "픽셀 섞음";

export interface PermutationSettings {
  /** Training images (the first n). */
  examples: number;
  /** Test images (the first n). */
  testCount: number;
  epochs: number;
  batchSize: number;
  /** Adam's learning rate. */
  learningRate: number;
  /** Seed of the initial weights and of the batch order. */
  seed: number;
  /** Seed of the one pixel permutation. */
  permutationSeed: number;
}

/** Named budgets: `standard` for the page, `quick` for a short look (and the browser test). */
export const PERMUTATION_SETTINGS: Record<"standard" | "quick", PermutationSettings> = {
  standard: {
    examples: 6000,
    testCount: 2000,
    epochs: 1,
    batchSize: 32,
    learningRate: 0.002,
    seed: 1,
    permutationSeed: 7
  },
  quick: {examples: 1000, testCount: 500, epochs: 1, batchSize: 32, learningRate: 0.002, seed: 1, permutationSeed: 7}
};

export interface PermutationResult {
  model: PermutationModel;
  data: PermutationData;
  accuracy: number;
  params: number;
}

export interface PermutationProgress {
  data: PermutationData;
  event: SideBySideEvent;
  /** Fraction of all training batches done, 0…1. */
  fraction: number;
}

/**
 * Train the four runs on `train` and test them on `test` (xs [N, H, W, C], one-hot ys); the data stays the caller's.
 * Every model, optimizer and permuted tensor made here is disposed, also when `signal` stops it (an `AbortError`).
 */
export async function runPermutationExperiment(
  data: {train: Dataset; test: Dataset},
  settings: PermutationSettings,
  {
    signal,
    controller,
    onProgress,
    between
  }: {
    signal?: AbortSignal;
    controller?: TrainController;
    onProgress?: (p: PermutationProgress) => void;
    between?: () => Promise<unknown>;
  } = {}
): Promise<PermutationResult[]> {
  const [, h, w, c] = (data.train.xs as tf.Tensor4D).shape; // [N, H, W, C]
  const perm = pixelPermutation(h * w, settings.permutationSeed);
  const n = data.train.xs.shape[0];
  const batchesPerRun = settings.epochs * Math.ceil(n / settings.batchSize);
  const totalBatches = 4 * batchesPerRun;
  const owned: tf.Tensor[] = [];
  const models: tf.LayersModel[] = [];
  const optimizers: tf.Optimizer[] = [];
  const results: PermutationResult[] = [];
  let done = 0;
  try {
    const permuted = {
      train: {xs: permutePixels(data.train.xs as tf.Tensor4D, perm), ys: data.train.ys},
      test: {xs: permutePixels(data.test.xs as tf.Tensor4D, perm), ys: data.test.ys}
    };
    owned.push(permuted.train.xs, permuted.test.xs);
    const sets: [PermutationData, {train: Dataset; test: Dataset}][] = [
      ["원본", data],
      ["픽셀 섞음", permuted]
    ];
    for (const [name, set] of sets) {
      const mlpModel = mlp({inputShape: [h, w, c]}, settings.seed);
      models.push(mlpModel);
      if (name === "픽셀 섞음") {
        const [kernel, bias] = mlpModel.getLayer("fc1").getWeights();
        const moved = permuteRows(kernel as tf.Tensor2D, perm, c);
        mlpModel.getLayer("fc1").setWeights([moved, bias]);
        moved.dispose();
      }
      const cnnModel = convNet({...CONVNET_PRESETS.example, inputShape: [h, w, c]}, settings.seed);
      models.push(cnnModel);
      const runs = [
        {name: "MLP", model: mlpModel, optimizer: tf.train.adam(settings.learningRate)},
        {name: "CNN", model: cnnModel, optimizer: tf.train.adam(settings.learningRate)}
      ];
      optimizers.push(...runs.map((r) => r.optimizer));
      for await (const event of trainSideBySide(runs, {
        train: set.train,
        epochs: settings.epochs,
        batchSize: settings.batchSize,
        seed: settings.seed,
        signal,
        controller,
        between
      })) {
        if (event.event.type === "batch") done++;
        onProgress?.({data: name, event, fraction: done / totalBatches});
      }
      signal?.throwIfAborted();
      for (const run of runs) {
        const {accuracy} = await evaluate(run.model, set.test);
        results.push({model: run.name as PermutationModel, data: name, accuracy, params: run.model.countParams()});
      }
    }
    return results;
  } finally {
    tf.dispose(owned);
    optimizers.forEach((o) => o.dispose());
    models.forEach((m) => m.dispose());
  }
}

export interface PermutationSummary {
  accuracy: Record<PermutationModel, Record<PermutationData, number>>;
  /** Accuracy on permuted minus on original images, per model (fractions). */
  change: Record<PermutationModel, number>;
  /** CNN minus MLP, per data set. */
  cnnEdge: Record<PermutationData, number>;
  /** The result in one paragraph (Korean), every number from `results`. */
  sentence: string;
}

const pct = (v: number) => `${(Math.round(v * 1000) / 10).toFixed(1)}%`;
const pp = (v: number) => `${v >= 0 ? "+" : "−"}${Math.abs(v * 100).toFixed(1)}%p`;

/** Summarise the four results; `settings` gives the conditions the sentence states. */
export function summarisePermutation(
  results: readonly PermutationResult[],
  settings: Pick<PermutationSettings, "examples" | "testCount" | "epochs">
): PermutationSummary {
  const get = (model: PermutationModel, data: PermutationData) => {
    const r = results.find((x) => x.model === model && x.data === data);
    if (!r) throw new RangeError(`no result for ${model} on ${data}`);
    return r.accuracy;
  };
  const accuracy = {
    MLP: {원본: get("MLP", "원본"), "픽셀 섞음": get("MLP", "픽셀 섞음")},
    CNN: {원본: get("CNN", "원본"), "픽셀 섞음": get("CNN", "픽셀 섞음")}
  };
  // differences of the accuracies as shown (to 0.1%p), so the sentence's arithmetic checks out on screen
  const shown = (v: number) => Math.round(v * 1000) / 1000;
  const diff = (a: number, b: number) => Math.round((shown(a) - shown(b)) * 1000) / 1000;
  const change = {
    MLP: diff(accuracy.MLP["픽셀 섞음"], accuracy.MLP.원본),
    CNN: diff(accuracy.CNN["픽셀 섞음"], accuracy.CNN.원본)
  };
  const cnnEdge = {
    원본: diff(accuracy.CNN.원본, accuracy.MLP.원본),
    "픽셀 섞음": diff(accuracy.CNN["픽셀 섞음"], accuracy.MLP["픽셀 섞음"])
  };
  const small = (v: number) => Math.abs(v) < 0.005;
  const mlpWord = small(change.MLP) ? "거의 그대로이고" : change.MLP < 0 ? "떨어졌고" : "올랐고";
  const cnnWord = small(change.CNN) ? "거의 그대로입니다" : change.CNN < 0 ? "떨어졌습니다" : "올랐습니다";
  const after = cnnEdge["픽셀 섞음"];
  const edgeWord =
    cnnEdge.원본 <= 0
      ? `원본에서도 CNN이 앞서지 않았고 (CNN − MLP = ${pp(cnnEdge.원본)}), 픽셀을 섞은 뒤에는 ${pp(after)}였습니다` +
        (after < cnnEdge.원본 - 0.005 ? ": 섞으면서 CNN이 더 뒤처졌습니다" : "")
      : small(after)
        ? `원본에서 CNN이 MLP보다 ${pp(cnnEdge.원본)} 앞섰지만, 픽셀을 섞자 그 우위가 사라졌습니다 (CNN − MLP = ${pp(after)})`
        : after < 0
          ? `원본에서 CNN이 MLP보다 ${pp(cnnEdge.원본)} 앞섰지만, 픽셀을 섞자 순서가 뒤집혀 MLP가 앞섰습니다 (CNN − MLP = ${pp(after)})`
          : after < cnnEdge.원본
            ? `CNN의 우위는 ${pp(cnnEdge.원본)}에서 ${pp(after)}로 줄었습니다`
            : `CNN의 우위는 ${pp(cnnEdge.원본)}에서 ${pp(after)}로 줄지 않았습니다`;
  const sentence =
    `학습 ${settings.examples.toLocaleString("en-US")}장, ${settings.epochs} epoch, 테스트 ` +
    `${settings.testCount.toLocaleString("en-US")}장에서: MLP는 원본 ${pct(accuracy.MLP.원본)} → 픽셀 섞음 ` +
    `${pct(accuracy.MLP["픽셀 섞음"])} (${pp(change.MLP)})로 ${mlpWord}, CNN은 ${pct(accuracy.CNN.원본)} → ` +
    `${pct(accuracy.CNN["픽셀 섞음"])} (${pp(change.CNN)})로 ${cnnWord}. ${edgeWord}.`;
  return {accuracy, change, cnnEdge, sentence};
}
