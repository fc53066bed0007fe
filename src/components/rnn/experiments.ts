/**
 * The four experiments of chapter 4 「RNN」, each an `experimentPanel` of the chapter kit (▶ 시작, 일시정지, 정지,
 * progress). Nothing runs until the reader presses the button; every model, optimizer and tensor a run makes is
 * disposed when it ends (the page's `tf.memory().numTensors` returns to where it was).
 *
 *   forecastExperiment   real data: SimpleRNN, LSTM, GRU and conv1d forecasters on the same sunspot windows
 *   gradientExperiment   R2: ‖∂h_T/∂h_t‖ against T − t for untrained SimpleRNN and LSTM (log scale)
 *   recallExperiment     R2: recall accuracy against the lag for SimpleRNN and LSTM of similar size
 *   timingExperiment     R3: time per sequence against length, recurrent forward pass vs one self-attention layer
 *
 * The computation is in lib/ (models/rnn, models/forecaster, data/windows, data/recall, train/rnn-gradients,
 * analysis/sequential-cost); the sentences are lib/viz/rnn.ts, written from the run's own numbers.
 */
import * as Plot from "@observablehq/plot";
import * as Inputs from "@observablehq/inputs";
import {tf} from "../../lib/tf.js";
import {layerWeights, type CellKind} from "../../lib/models/rnn.js";
import {forecaster, type ForecasterKind} from "../../lib/models/forecaster.js";
import {seriesWindows} from "../../lib/data/windows.js";
import {recallAccuracyByLag, recallModel, recallTask} from "../../lib/data/recall.js";
import {train} from "../../lib/train/loop.js";
import {hiddenGradNorms} from "../../lib/train/rnn-gradients.js";
import {timeSequenceOps} from "../../lib/analysis/sequential-cost.js";
import {meanSquaredError} from "../../lib/train/losses.js";
import {trainSideBySide, type SideBySideRun} from "../../lib/train/side-by-side.js";
import {emptyHistory, lossCurve, pushTrainEvent, RUN_COLORS} from "../../lib/viz/loss-curve.js";
import {describeForecast, describeGradients, describeRecall, describeTiming} from "../../lib/viz/rnn.js";
import {experimentPanel, tagged, type ExperimentPanel} from "../shared/experiment-panel.js";
import {el, nextFrame} from "../shared/dom.js";

const NAMES: Record<ForecasterKind, string> = {simpleRNN: "SimpleRNN", lstm: "LSTM", gru: "GRU", conv1d: "conv1d"};

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** A small table from rows of plain values. */
function table(rows: Record<string, string | number>[], className: string): HTMLTableElement {
  const t = el("table", className);
  const head = t.createTHead().insertRow();
  for (const k of Object.keys(rows[0] ?? {})) head.append(el("th", "", k));
  const body = t.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    for (const v of Object.values(r)) {
      const td = tr.insertCell();
      td.textContent = typeof v === "number" ? v.toLocaleString("en-US", {maximumSignificantDigits: 4}) : v;
      if (typeof v === "number") td.className = "num";
    }
  }
  return t;
}

export interface ForecastOptions {
  values: number[];
  years: number[];
  width?: number;
  invalidation?: Promise<unknown>;
}

/** Four forecasters on the same windows of a yearly series: live curves, forecast over the truth, test errors. */
export function forecastExperiment({values, years, width = 900, invalidation}: ForecastOptions): ExperimentPanel {
  const kinds: ForecasterKind[] = ["simpleRNN", "lstm", "gru", "conv1d"];
  const windowInput = Inputs.select([5, 11, 22], {label: "창 W (년)", value: 11});
  const epochsInput = Inputs.select([1, 5, 20, 50], {label: "epoch", value: 20});
  return tagged(
    experimentPanel({
      claim: undefined,
      action: "네 모델 학습",
      idle: "버튼을 누르면 네 모델을 이 브라우저에서 학습합니다.",
      settings: [windowInput, epochsInput],
      invalidation,
      async run(ctx) {
        const window = windowInput.value as number;
        const epochs = epochsInput.value as number;
        const batchSize = 32;
        const data = seriesWindows(values, {window, testFraction: 0.2});
        ctx.defer(() => tf.dispose([data.train.xs, data.train.ys, data.test.xs, data.test.ys]));
        const runs: SideBySideRun[] = kinds.map((kind) => ({
          name: NAMES[kind],
          model: forecaster(kind, {window, units: 16, seed: 1}),
          optimizer: tf.train.adam(0.01)
        }));
        ctx.defer(() => {
          for (const r of runs) {
            r.optimizer.dispose();
            r.model.dispose();
          }
        });
        const histories = runs.map(() => emptyHistory());
        const curves = el("div", "panel-curves");
        const resultBox = el("div", "forecast-result");
        ctx.out.append(curves, resultBox);
        const draw = () =>
          curves.replaceChildren(
            lossCurve(
              runs.map((r, i) => ({name: r.name, history: histories[i]})),
              {width: Math.min(width, 900), epochs, metric: "loss", height: 200}
            )
          );
        draw();
        const total = runs.length * epochs * Math.ceil(data.train.xs.shape[0] / batchSize);
        let steps = 0;
        let lastDraw = 0;
        for await (const e of trainSideBySide(runs, {
          train: data.train,
          validation: data.test,
          loss: meanSquaredError({metric: "mae"}),
          epochs,
          batchSize,
          seed: 1,
          signal: ctx.signal,
          controller: ctx.controller,
          between: nextFrame
        })) {
          pushTrainEvent(histories[e.run], e.event);
          if (e.event.type === "batch") {
            ctx.progress(++steps / total);
            ctx.status(`${e.name}: epoch ${e.event.epoch + 1}/${epochs}`);
          }
          if (performance.now() - lastDraw > 250) {
            draw();
            lastDraw = performance.now();
          }
        }
        draw();
        if (ctx.signal.aborted) return;
        // forecasts on the test windows, back in the series' units
        const denorm = (v: number) => v * data.std + data.mean;
        const truth = Array.from(data.test.ys.dataSync(), denorm);
        const lastOfWindow = tf.tidy(() =>
          Array.from(data.test.xs.slice([0, window - 1, 0], [-1, 1, 1]).dataSync(), denorm)
        );
        const naiveMae = mean(truth.map((y, i) => Math.abs(y - lastOfWindow[i])));
        const forecasts = runs.map((r) => {
          const pred = tf.tidy(() => Array.from((r.model.predict(data.test.xs) as tf.Tensor).dataSync(), denorm));
          return {
            name: r.name,
            pred,
            testMae: mean(pred.map((p, i) => Math.abs(p - truth[i]))),
            params: r.model.countParams()
          };
        });
        const at = (i: number) => years[data.testStart + i];
        const lines = forecasts.flatMap((f) => f.pred.map((v, i) => ({year: at(i), v, name: f.name})));
        const start = years[Math.max(0, data.testStart - 60)];
        resultBox.append(
          Plot.plot({
            width: Math.min(width, 900),
            height: 260,
            marginLeft: 50,
            x: {label: "연도 →", tickFormat: "d"},
            y: {label: "↑ 흑점 수", grid: true},
            color: {legend: true, domain: ["실제", ...forecasts.map((f) => f.name)], range: ["#adb5bd", ...RUN_COLORS]},
            marks: [
              Plot.ruleX([at(0)], {strokeDasharray: "4 3"}),
              Plot.lineY(
                values.map((v, i) => ({year: years[i], v})).filter((d) => d.year >= start),
                {x: "year", y: "v", stroke: () => "실제", strokeWidth: 3}
              ),
              Plot.lineY(lines, {x: "year", y: "v", stroke: "name", strokeWidth: 1.5})
            ]
          }),
          el(
            "p",
            "small muted",
            `점선 오른쪽이 test 부분 (${at(0)}–${at(truth.length - 1)}년, 창 ${truth.length}개): 각 모델이 직전 ${window}년으로 낸 예측입니다.`
          ),
          table(
            [
              ...forecasts.map((f) => ({모델: f.name, 파라미터: f.params, "test MAE": f.testMae})),
              {모델: "기준: 창의 마지막 값", 파라미터: 0, "test MAE": naiveMae}
            ],
            "forecast-table"
          )
        );
        const sentence = el("p", "experiment-result");
        sentence.textContent = describeForecast(forecasts, {naiveMae, epochs, window, unit: "(흑점 수)"});
        sentence.dataset.rows = JSON.stringify(forecasts.map(({name, testMae, params}) => ({name, testMae, params})));
        sentence.dataset.naiveMae = String(naiveMae);
        resultBox.append(sentence);
        ctx.status("끝났습니다.");
      }
    }),
    "forecast"
  );
}

export interface PanelOptions {
  width?: number;
  invalidation?: Promise<unknown>;
}

/** R2: ‖∂h_T/∂h_t‖ against the distance for untrained SimpleRNN and LSTM of the same units, on one random input. */
export function gradientExperiment({width = 900, invalidation}: PanelOptions = {}): ExperimentPanel {
  const lengthInput = Inputs.select([10, 30, 60, 100], {label: "길이 T", value: 60});
  const unitsInput = Inputs.select([8, 16, 32], {label: "units", value: 16});
  const kinds: CellKind[] = ["simpleRNN", "lstm"];
  // the short training between the two measurements: the recall task of the next slide, with lag T − 1
  const TRAINING = {examples: 256, epochs: 3, batchSize: 32, learningRate: 0.01, symbols: 4};
  return tagged(
    experimentPanel({
      claim: "R2",
      action: "gradient 재기",
      idle: "버튼을 누르면 SimpleRNN과 LSTM에서 ‖∂h_T/∂h_t‖ (LSTM은 ‖∂h_T/∂(h_t, c_t)‖)를 학습 전에 재고, recall 과제로 짧게 학습한 뒤 다시 잽니다.",
      settings: [lengthInput, unitsInput],
      invalidation,
      async run(ctx) {
        const T = lengthInput.value as number;
        const units = unitsInput.value as number;
        const data = recallTask({examples: TRAINING.examples, lag: T - 1, symbols: TRAINING.symbols, seed: 11});
        ctx.defer(() => tf.dispose([data.xs, data.ys]));
        const probe = data.xs.slice([0, 0, 0], [1, T, data.xs.shape[2]]) as tf.Tensor3D; // one recall sequence
        ctx.defer(() => probe.dispose());
        const curves: {name: string; points: {distance: number; norm: number}[]}[] = [];
        for (const [i, kind] of kinds.entries()) {
          const model = recallModel(kind, {units, symbols: data.symbols, lag: T - 1, seed: 3});
          const optimizer = tf.train.adam(TRAINING.learningRate);
          try {
            const weights = () => layerWeights(model.getLayer(kind));
            curves.push({name: `${NAMES[kind]} (학습 전)`, points: await hiddenGradNorms(kind, weights(), probe)});
            for await (const e of train({
              model,
              optimizer,
              train: {xs: data.xs, ys: data.ys},
              epochs: TRAINING.epochs,
              batchSize: TRAINING.batchSize,
              seed: 1,
              signal: ctx.signal,
              controller: ctx.controller
            })) {
              if (e.type === "batch") {
                const done = (e.epoch * e.batches + e.batch + 1) / (TRAINING.epochs * e.batches);
                ctx.progress((i + done) / kinds.length);
                ctx.status(`${NAMES[kind]}: recall 과제로 학습 중 (epoch ${e.epoch + 1}/${TRAINING.epochs})`);
              }
            }
            if (ctx.signal.aborted) return;
            curves.push({name: `${NAMES[kind]} (학습 후)`, points: await hiddenGradNorms(kind, weights(), probe)});
          } finally {
            optimizer.dispose();
            model.dispose();
          }
          await ctx.checkpoint();
          if (ctx.signal.aborted) return;
        }
        const rows = curves.flatMap((c) => c.points.map((p) => ({...p, name: c.name})));
        ctx.out.append(
          Plot.plot({
            width: Math.min(width, 800),
            height: 260,
            marginLeft: 60,
            x: {label: "거리 T − t →"},
            y: {type: "log", label: "↑ ‖∂h_T/∂h_t‖ (LSTM: ‖∂h_T/∂(h_t, c_t)‖)", grid: true, tickFormat: ".0e"},
            color: {legend: true, range: RUN_COLORS},
            marks: [false, true].map((before) =>
              Plot.lineY(
                rows.filter((r) => r.name.endsWith("(학습 전)") === before),
                {
                  x: "distance",
                  y: "norm",
                  stroke: "name",
                  strokeWidth: 2,
                  strokeDasharray: before ? "5,3" : undefined,
                  tip: true
                }
              )
            )
          })
        );
        const sentence = el("p", "experiment-result");
        sentence.textContent =
          describeGradients(curves) +
          ` (T = ${T}, units ${units}, recall 과제의 시퀀스 하나 (lag ${T - 1}, 기호 ${data.symbols}개); 학습 전 = TF.js의 초기화` +
          ` (커널 Glorot, 순환 커널 orthogonal), 학습 후 = 같은 모델을 recall 과제 ${TRAINING.examples}개로 ${TRAINING.epochs} epoch,` +
          ` Adam ${TRAINING.learningRate}. 점선이 학습 전입니다.)`;
        sentence.dataset.curves = JSON.stringify(curves);
        ctx.out.append(sentence);
        ctx.status("끝났습니다.");
      }
    }),
    "gradients"
  );
}

/** R2: the recall task's accuracy against the lag, SimpleRNN vs LSTM, trained on a short budget per lag. */
export function recallExperiment({width = 900, invalidation}: PanelOptions = {}): ExperimentPanel {
  const maxLagInput = Inputs.select([4, 8, 16, 32], {label: "최대 lag", value: 16});
  const epochsInput = Inputs.select([1, 5, 10, 20], {label: "epoch", value: 10});
  const examplesInput = Inputs.select([64, 256, 1024], {label: "학습 예제 수", value: 1024});
  const kinds: CellKind[] = ["simpleRNN", "lstm"];
  return tagged(
    experimentPanel({
      claim: undefined,
      action: "기억 과제 학습",
      idle: "버튼을 누르면 lag마다 SimpleRNN과 LSTM을 학습하고 정확도를 잽니다.",
      settings: [maxLagInput, epochsInput, examplesInput],
      invalidation,
      async run(ctx) {
        const maxLag = maxLagInput.value as number;
        const epochs = epochsInput.value as number;
        const examples = examplesInput.value as number;
        const lags: number[] = [];
        for (let L = 2; L <= maxLag; L *= 2) lags.push(L);
        const probe = recallTask({examples: 1, lag: 1});
        const chance = 1 / probe.symbols;
        tf.dispose([probe.xs, probe.ys]);
        const rows = await recallAccuracyByLag(kinds, lags, {
          examples,
          epochs,
          units: 32,
          seed: 1,
          signal: ctx.signal,
          controller: ctx.controller,
          onProgress: (p) => {
            ctx.progress(
              (kinds.indexOf(p.kind) * lags.length + lags.indexOf(p.lag) + p.fraction) / (kinds.length * lags.length)
            );
            ctx.status(`${NAMES[p.kind]}, lag ${p.lag}`);
          }
        });
        if (ctx.signal.aborted) return;
        const named = rows.map((r) => ({...r, name: NAMES[r.kind]}));
        ctx.out.append(
          Plot.plot({
            width: Math.min(width, 800),
            height: 240,
            marginLeft: 50,
            x: {type: "log", base: 2, label: "lag L →", ticks: lags},
            y: {domain: [0, 1], label: "↑ 정확도 (새 시퀀스)", grid: true, percent: false},
            color: {legend: true, range: RUN_COLORS},
            marks: [
              Plot.ruleY([chance], {strokeDasharray: "4 3"}),
              Plot.text([{x: lags[0], y: chance}], {x: "x", y: "y", text: () => "찍기", dy: -8, textAnchor: "start"}),
              Plot.lineY(named, {x: "lag", y: "accuracy", stroke: "name", marker: "dot", strokeWidth: 2, tip: true})
            ]
          }),
          table(
            kinds.map((k) => ({
              모델: NAMES[k],
              파라미터: named.find((r) => r.kind === k)?.params ?? 0,
              ...Object.fromEntries(
                named.filter((r) => r.kind === k).map((r) => [`lag ${r.lag}`, `${(100 * r.accuracy).toFixed(0)}%`])
              )
            })),
            "recall-table"
          )
        );
        const sentence = el("p", "experiment-result");
        sentence.textContent = describeRecall(named, {chance, epochs, examples});
        sentence.dataset.rows = JSON.stringify(named);
        sentence.dataset.chance = String(chance);
        ctx.out.append(sentence);
        ctx.status("끝났습니다.");
      }
    }),
    "recall"
  );
}

export interface TimingOptions extends PanelOptions {
  backendName: () => string;
}

/** R3: median time per sequence against length, recurrent forward pass vs one self-attention layer. */
export function timingExperiment({width = 900, backendName, invalidation}: TimingOptions): ExperimentPanel {
  const maxInput = Inputs.select([64, 256, 1024], {label: "최대 길이", value: 1024});
  const widthInput = Inputs.select([32, 64, 128], {label: "너비 (units = D)", value: 64});
  return tagged(
    experimentPanel({
      claim: "R3",
      action: "시간 재기",
      idle: "버튼을 누르면 길이마다 순전파 시간을 잽니다 (학습 없음).",
      settings: [maxInput, widthInput],
      pausable: false,
      invalidation,
      async run(ctx) {
        const maxLength = maxInput.value as number;
        const lengths: number[] = [];
        for (let T = 16; T <= maxLength; T *= 4) lengths.push(T);
        ctx.status(`길이 ${lengths.join(", ")}를 재는 중…`);
        await nextFrame();
        const rows = await timeSequenceOps(lengths, {width: widthInput.value as number, signal: ctx.signal});
        if (ctx.signal.aborted) return;
        const long = rows.flatMap((r) => [
          {length: r.length, ms: r.rnnMs, name: "RNN (SimpleRNN 순전파)"},
          {length: r.length, ms: r.attentionMs, name: "self-attention 한 층"}
        ]);
        ctx.out.append(
          Plot.plot({
            width: Math.min(width, 800),
            height: 250,
            marginLeft: 60,
            x: {type: "log", base: 2, label: "길이 T →", ticks: lengths},
            y: {type: "log", label: "↑ 시퀀스 하나의 시간 (ms, 중앙값)", grid: true},
            color: {legend: true, range: RUN_COLORS},
            marks: [Plot.lineY(long, {x: "length", y: "ms", stroke: "name", marker: "dot", strokeWidth: 2, tip: true})]
          }),
          table(
            rows.map((r) => ({
              "길이 T": r.length,
              "RNN (ms)": r.rnnMs,
              "attention (ms)": r.attentionMs,
              "RNN의 순차 단계": r.rnnSteps,
              "attention의 순차 단계": r.attentionSteps
            })),
            "timing-table"
          )
        );
        const sentence = el("p", "experiment-result");
        sentence.textContent = describeTiming(rows, backendName());
        sentence.dataset.rows = JSON.stringify(rows);
        ctx.out.append(sentence);
        ctx.status("끝났습니다.");
      }
    }),
    "timing"
  );
}
