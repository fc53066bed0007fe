/**
 * SA3, no nonlinearity: the small Transformer of lib/models/transformer.ts on chapter 5's date task, with and without
 * its feed-forward sub-layers (`feedForwardPair`: the same seed for everything else), trained side by side on the same
 * batches (`trainSideBySide`), live curves, then held-out token accuracy and loss of both and a sentence from the run
 * (`describeSA3`, lib/viz/attention.ts). Everything is disposed when the run ends, is stopped or re-run.
 */
import * as Inputs from "@observablehq/inputs";
import {tf} from "../../lib/tf.js";
import {dateTask, encodePairs, SOURCE_VOCAB, TARGET_VOCAB} from "../../lib/data/dates.js";
import {feedForwardPair} from "../../lib/models/transformer.js";
import {translationLoss} from "../../lib/models/seq2seq.js";
import {trainSideBySide, type SideBySideRun} from "../../lib/train/side-by-side.js";
import {emptyHistory, lossCurve, pushTrainEvent} from "../../lib/viz/loss-curve.js";
import {describeSA3, type SA3Conditions} from "../../lib/viz/attention.js";
import {experimentPanel, type ExperimentPanel} from "../shared/experiment-panel.js";
import {el} from "./sa-common.js";
import {nextFrame} from "../shared/dom.js";

export const SA3_DEFAULTS = {
  train: 2000,
  validation: 256,
  epochs: 3,
  batchSize: 64,
  learningRate: 0.005,
  seed: 1,
  /** One date per example: short sequences, so a small budget learns something. */
  maxDates: 1
};

/** The names of the two runs, in the legend and the sentence. */
export const SA3_NAMES: [string, string] = ["feed-forward 있음", "feed-forward 없음"];

export function feedForwardExperiment({
  width = 900,
  invalidation
}: {width?: number; invalidation?: Promise<unknown>} = {}): ExperimentPanel {
  const d = SA3_DEFAULTS;
  const examplesInput = Inputs.select([256, 1000, d.train, 4000], {label: "학습 예제 수", value: d.train});
  const epochsInput = Inputs.select([1, 2, d.epochs, 5, 10], {label: "epoch", value: d.epochs});
  return experimentPanel({
    claim: "SA3",
    action: "두 모델 학습",
    idle: "버튼을 누르면 feed-forward network가 있는 모델과 없는 모델을 같은 데이터, 같은 순서로 이 브라우저에서 학습합니다.",
    settings: [examplesInput, epochsInput],
    invalidation,
    async run(ctx) {
      const trainCount = examplesInput.value as number;
      const epochs = epochsInput.value as number;
      const validationCount = Math.min(d.validation, trainCount);
      const task = dateTask({train: trainCount, test: validationCount, seed: d.seed, maxDates: d.maxDates});
      const lengths = {source: task.sourceLength, target: task.targetLength};
      const tr = encodePairs(task.train, lengths);
      const va = encodePairs(task.test, lengths);
      ctx.defer(() => tf.dispose([tr.source, tr.decoderInput, tr.target, va.source, va.decoderInput, va.target]));
      const dims = {
        sourceLength: task.sourceLength,
        targetLength: task.targetLength,
        sourceVocab: SOURCE_VOCAB.size,
        targetVocab: TARGET_VOCAB.size
      };
      const pair = feedForwardPair(dims, {}, {seed: d.seed});
      const runs: SideBySideRun[] = [pair.withFeedForward, pair.withoutFeedForward].map((model, i) => ({
        name: SA3_NAMES[i],
        model,
        optimizer: tf.train.adam(d.learningRate)
      }));
      ctx.defer(() => {
        for (const r of runs) {
          r.optimizer.dispose();
          r.model.dispose();
        }
      });
      const histories = runs.map(() => emptyHistory());
      const curves = el("div", "panel-curves");
      const resultBox = el("div", "sa3-result");
      ctx.out.append(curves, resultBox);
      const chartWidth = Math.max(300, Math.min(width, 900));
      const draw = () =>
        curves.replaceChildren(
          lossCurve(
            runs.map((r, i) => ({name: r.name, history: histories[i]})),
            {width: chartWidth, epochs, height: 170}
          )
        );
      draw();
      const total = runs.length * epochs * Math.ceil(trainCount / d.batchSize);
      let steps = 0;
      let lastDraw = 0;
      const seconds: [number, number] = [0, 0];
      for await (const e of trainSideBySide(runs, {
        train: {xs: [tr.source, tr.decoderInput], ys: tr.target},
        validation: {xs: [va.source, va.decoderInput], ys: va.target},
        loss: translationLoss(),
        epochs,
        batchSize: d.batchSize,
        seed: d.seed,
        signal: ctx.signal,
        controller: ctx.controller,
        taskBudgetMs: 400,
        between: nextFrame
      })) {
        pushTrainEvent(histories[e.run], e.event);
        seconds[e.run] = e.seconds;
        if (e.event.type === "batch") {
          ctx.progress(++steps / total);
          ctx.status(`${e.name}: epoch ${e.event.epoch + 1}/${epochs}, batch ${e.event.batch + 1}/${e.event.batches}`);
        }
        if (performance.now() - lastDraw > 250) {
          draw();
          lastDraw = performance.now();
        }
      }
      draw();
      if (ctx.signal.aborted) return;
      const last = (values: number[]) => values[values.length - 1] ?? NaN;
      const conditions: SA3Conditions = {
        names: SA3_NAMES,
        trainExamples: trainCount,
        validationExamples: validationCount,
        epochs: Math.min(...histories.map((h) => h.epoch.epoch.length)),
        batchSize: d.batchSize,
        seed: d.seed,
        seconds,
        params: [runs[0].model.countParams(), runs[1].model.countParams()],
        valAccuracy: [last(histories[0].epoch.valAccuracy), last(histories[1].epoch.valAccuracy)],
        valLoss: [last(histories[0].epoch.valLoss), last(histories[1].epoch.valLoss)]
      };
      const sentence = el("p", "experiment-result");
      sentence.textContent = describeSA3(conditions);
      sentence.dataset.conditions = JSON.stringify(conditions);
      resultBox.append(sentence);
      ctx.status("끝났습니다.");
    }
  });
}
