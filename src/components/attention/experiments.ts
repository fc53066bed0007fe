/**
 * A1: the Seq2Seq without attention and the one with attention, on the same date task, budget and seed, trained side
 * by side (`trainSideBySide`, live curves), then greedy decoding of the held-out test set: sequence and token accuracy
 * against source length of both on one chart (colour and hollow or filled points = model, line style and point shape = metric) (`evaluate`'s buckets over the same test set, as chapter 5's S2), and a sentence from the run
 * (`describeA1`, lib/viz/attention.ts). The trained attention model is handed to the page's model store, which the
 * five steps and the heatmap read; everything else is disposed when the run ends, is stopped or re-run.
 */
import * as Plot from "@observablehq/plot";
import * as Inputs from "@observablehq/inputs";
import {tf} from "../../lib/tf.js";
import {dateTask, encodePairs, sourceTokens, SOURCE_VOCAB, TARGET_VOCAB} from "../../lib/data/dates.js";
import {evaluate, seq2seq, SEQ2SEQ_DEFAULTS, translationLoss, type Seq2Seq} from "../../lib/models/seq2seq.js";
import {trainSideBySide, type SideBySideRun} from "../../lib/train/side-by-side.js";
import {emptyHistory, lossCurve, pushTrainEvent, RUN_COLORS} from "../../lib/viz/loss-curve.js";
import {A1_METRICS, bucketLabels, describeA1, formatEpochs, lengthBuckets} from "../../lib/viz/attention.js";
import {experimentPanel, type ExperimentPanel} from "../shared/experiment-panel.js";
import type {AttentionModelStore} from "./model-store.js";
import {el, nextFrame} from "../shared/dom.js";

/** Longest main-thread task a training step may take before the loop cuts batches (chapter 5's S1 uses the same). */

export interface A1Options {
  store: AttentionModelStore;
  width?: number;
  invalidation?: Promise<unknown>;
}

/** The names of the two runs, in the legend and the sentence. */
export const A1_NAMES = ["attention 없음", "attention"] as const;

export function attentionExperiment({store, width = 900, invalidation}: A1Options): ExperimentPanel {
  const d = SEQ2SEQ_DEFAULTS;
  const secondsInput = Inputs.select([5, 15, 30, 60, 120, 300], {
    label: "학습 시간 (초)",
    value: d.seconds,
    format: (x: number) => `${x}초`
  });
  const epochsInput = Inputs.select([1, 5, 10, d.epochs], {label: "최대 epoch", value: d.epochs});
  const examplesInput = Inputs.select([256, 1000, 2000, d.train], {label: "학습 예제 수", value: d.train});
  const panel = experimentPanel({
    claim: "A1",
    action: "두 모델 학습",
    idle: "버튼을 누르면 attention 없는 모델과 attention 모델을 같은 데이터, 같은 순서로 이 브라우저에서 학습합니다.",
    settings: [secondsInput, epochsInput, examplesInput],
    invalidation,
    async run(ctx) {
      const trainCount = examplesInput.value as number;
      const epochs = epochsInput.value as number;
      const budget = secondsInput.value as number;
      const testCount = trainCount < d.test ? Math.max(64, Math.round(trainCount / 2)) : d.test;
      const task = dateTask({train: trainCount, test: testCount, seed: d.seed, maxDates: d.maxDates});
      const lengths = {source: task.sourceLength, target: task.targetLength};
      const data = encodePairs(task.train, lengths);
      ctx.defer(() => tf.dispose([data.source, data.decoderInput, data.target]));
      const common = {sourceVocab: SOURCE_VOCAB.size, targetVocab: TARGET_VOCAB.size, seed: d.seed};
      const models: Seq2Seq[] = [
        seq2seq({...common, attention: "none"}),
        seq2seq({...common, attention: store.attention})
      ];
      let handedOver = false;
      const runs: SideBySideRun[] = models.map((s, i) => ({
        name: A1_NAMES[i],
        model: s.model,
        optimizer: tf.train.adam(d.learningRate)
      }));
      ctx.defer(() => {
        for (const r of runs) r.optimizer.dispose();
        models.forEach((s, i) => {
          if (!(handedOver && i === 1)) s.dispose();
        });
      });
      const histories = runs.map(() => emptyHistory());
      const curves = el("div", "panel-curves");
      const resultBox = el("div", "a1-result");
      ctx.out.append(curves, resultBox);
      const chartWidth = Math.max(300, Math.min(width, 900));
      const draw = () =>
        curves.replaceChildren(
          lossCurve(
            runs.map((r, i) => ({name: r.name, history: histories[i]})),
            {
              width: chartWidth,
              epochs,
              height: 180,
              // A1 records training values only (no validation pass): the caption says what is drawn
              caption:
                "선: 배치마다의 학습 값 (지수 평활). 이 실험은 검증 값을 재지 않습니다: 학습 뒤의 평가는 아래 길이별 정확도 차트입니다."
            }
          )
        );
      draw();
      const total = runs.length * epochs * Math.ceil(trainCount / d.batchSize);
      let steps = 0;
      let lastDraw = 0;
      let seconds: [number, number] = [0, 0];
      let seen = 0;
      // the budget: both models stop after the same batch, when their mean training time reaches it (or at the
      // last epoch); 정지 stops without evaluating
      const timeUp = new AbortController();
      const stopAll = () => timeUp.abort();
      ctx.signal.addEventListener("abort", stopAll);
      ctx.defer(() => ctx.signal.removeEventListener("abort", stopAll));
      for await (const e of trainSideBySide(runs, {
        train: {xs: [data.source, data.decoderInput], ys: data.target},
        loss: translationLoss(),
        epochs,
        batchSize: d.batchSize,
        seed: d.seed,
        signal: timeUp.signal,
        controller: ctx.controller,
        // whole batches per task, as chapter 5 does (micro-batches of 8 cost this small LSTM most of its speed)
        taskBudgetMs: SEQ2SEQ_DEFAULTS.taskBudgetMs,
        between: nextFrame
      })) {
        pushTrainEvent(histories[e.run], e.event);
        seconds[e.run] = e.seconds;
        if (e.event.type === "batch") {
          const mean = (seconds[0] + seconds[1]) / 2;
          ctx.progress(0.9 * Math.max(++steps / total, mean / budget));
          ctx.status(
            `${e.name}: epoch ${e.event.epoch + 1}/${epochs}, batch ${e.event.batch + 1}/${e.event.batches} (${mean.toFixed(0)}/${budget}초)`
          );
          if (e.run === 1) {
            seen = e.event.epoch + (e.event.batch + 1) / e.event.batches;
            if (mean >= budget) timeUp.abort();
          }
        }
        if (performance.now() - lastDraw > 250) {
          draw();
          lastDraw = performance.now();
        }
      }
      draw();
      seconds = [seconds[0], seconds[1]];
      if (ctx.signal.aborted) return;
      ctx.status("학습하지 않은 입력을 greedy decoding으로 번역하는 중…");
      await nextFrame();
      const buckets = lengthBuckets(task.test.map((e) => sourceTokens(e.source).length));
      const evaluations = models.map((s) => evaluate(s, task.test, lengths, {buckets}));
      const labels = bucketLabels(evaluations[0].byLength);
      const points = evaluations.flatMap((ev, i) =>
        ev.byLength.flatMap((b, j) =>
          A1_METRICS.map((metric) => ({
            model: A1_NAMES[i],
            metric,
            bucket: labels[j],
            accuracy: metric === A1_METRICS[0] ? b.sequenceAccuracy : b.tokenAccuracy,
            examples: b.examples
          }))
        )
      );
      const shown = points.filter((p) => p.examples > 0);
      const chart = a1Chart(shown, labels, {width: chartWidth});
      resultBox.append(chart);
      const overall: [number, number] = [evaluations[0].sequenceAccuracy, evaluations[1].sequenceAccuracy];
      const overallToken: [number, number] = [evaluations[0].tokenAccuracy, evaluations[1].tokenAccuracy];
      const sentence = el("p", "experiment-result");
      const conditions = {
        epochs: seen,
        budget,
        trainExamples: trainCount,
        testExamples: task.test.length,
        seed: d.seed,
        scoring: store.attention,
        seconds,
        overall,
        overallToken
      };
      sentence.textContent = describeA1(evaluations[0].byLength, evaluations[1].byLength, conditions);
      sentence.dataset.rows = JSON.stringify(evaluations.map((ev) => ev.byLength));
      sentence.dataset.conditions = JSON.stringify(conditions);
      resultBox.append(sentence);
      store.setTrained(models[1], {
        sourceLength: task.sourceLength,
        note: `예제 ${trainCount.toLocaleString("en-US")}개, ${formatEpochs(seen)} epoch`
      });
      handedOver = true;
      ctx.status("끝났습니다. 위의 다섯 단계와 아래 heatmap이 이제 학습한 attention 모델을 씁니다.");
    }
  });
  return panel;
}

/** One point of A1's accuracy chart: a model's accuracy (one metric) in one length bucket. */
export interface A1Point {
  model: string;
  metric: (typeof A1_METRICS)[number];
  bucket: string;
  accuracy: number;
  examples: number;
}

/** Line style = metric: solid = sequence accuracy, dashed = token accuracy. */
const DASH = ["none", "5,4"];
/** Point fill = model, besides colour (WCAG 1.4.1): hollow without attention, filled with it. */
const HOLLOW = [true, false];

/**
 * A1's accuracy chart: colour and point fill = model (hollow: without attention, filled: with it), line style and
 * point shape = metric, and a legend above the chart that shows all of them (a `<figure>`: the legend, then the plot).
 */
export function a1Chart(shown: A1Point[], labels: string[], {width = 900} = {}): HTMLElement {
  const colours = RUN_COLORS.slice(0, 2);
  const plot = Plot.plot({
    width,
    height: 260,
    marginLeft: 50,
    x: {label: "입력 길이 (source 토큰 수) →", domain: labels, type: "point", padding: 0.3},
    y: {label: "↑ 정확도 (held-out)", domain: [0, 1], grid: true, tickFormat: "%"},
    color: {domain: [...A1_NAMES], range: colours},
    symbol: {domain: [...A1_METRICS], range: ["circle", "triangle"]},
    marks: [
      ...A1_METRICS.map((metric, m) =>
        Plot.line(
          shown.filter((p) => p.metric === metric),
          {
            x: "bucket",
            y: "accuracy",
            stroke: "model",
            strokeWidth: 2,
            strokeDasharray: DASH[m],
            className: `a1-${m === 0 ? "sequence" : "token"}`
          }
        )
      ),
      ...A1_NAMES.map((model, i) =>
        Plot.dot(
          shown.filter((p) => p.model === model),
          {
            x: "bucket",
            y: "accuracy",
            symbol: "metric",
            r: 3.5,
            ...(HOLLOW[i] ? {fill: "white", stroke: "model", strokeWidth: 1.5} : {fill: "model"}),
            className: `a1-dots-${i}`,
            tip: true,
            title: (p: A1Point) => `${p.model}, ${p.metric} ${(100 * p.accuracy).toFixed(1)}% (${p.examples}개)`
          }
        )
      )
    ]
  });
  const figure = el("figure", "a1-chart");
  figure.style.margin = "0";
  figure.append(a1Legend(colours), plot);
  return figure;
}

/** A1's legend (Plot's legends cover colour and symbol, not dashes or hollow points): the models, then the metrics. */
function a1Legend(colours: string[]): HTMLElement {
  const box = el("div", "a1-legend small");
  box.style.cssText = "display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: center; margin: 4px 0;";
  A1_NAMES.forEach((model, i) => {
    const item = el("span", "a1-model-key");
    item.dataset.model = model;
    const c = colours[i];
    const fill = HOLLOW[i] ? "white" : c;
    item.innerHTML =
      `<svg width="30" height="12" aria-hidden="true"><line x1="1" y1="6" x2="29" y2="6" stroke="${c}" ` +
      `stroke-width="2"/><circle cx="15" cy="6" r="4" fill="${fill}" stroke="${c}" stroke-width="1.5"/></svg> `;
    item.append(`${model} (${HOLLOW[i] ? "빈 점 ○" : "채운 점 ●"})`);
    box.append(item);
  });
  A1_METRICS.forEach((metric, m) => {
    const item = el("span", "a1-metric-key");
    item.dataset.metric = metric;
    item.innerHTML =
      `<svg width="30" height="10" aria-hidden="true"><line x1="1" y1="5" x2="29" y2="5" stroke="currentColor" ` +
      `stroke-width="2" stroke-dasharray="${DASH[m]}"/></svg> `;
    item.append(`${metric} (${m === 0 ? "실선, ●" : "점선, ▲"})`);
    box.append(item);
  });
  return box;
}
