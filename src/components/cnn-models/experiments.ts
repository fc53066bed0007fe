/**
 * The two training experiments of chapter 3 「CNN Model 비교」, each a `runsPanel` of the chapter kit (▶ 시작,
 * 일시정지, 정지, progress, live loss curves). Nothing trains until the reader presses the button; a finished or
 * stopped run disposes its models, optimizers and data (the page's `tf.memory().numTensors` returns to where it was).
 *
 *   residualExperiment({invalidation})   claim M4: plain vs residual network of equal depth (depth, examples settings)
 *   raceExperiment({invalidation})       the four families' tiny presets on one budget (examples setting)
 *
 * The computation is in lib/ (`trainSideBySide`, `layerGradNorms`, `resnet6n2Config`, the registry); this file wires
 * it to the panel and charts, and writes the result sentences from the run's own numbers.
 */
import * as Plot from "@observablehq/plot";
import * as Inputs from "@observablehq/inputs";
import {tf} from "../../lib/tf.js";
import {buildResNet} from "../../lib/models/resnet.js";
import {resnet6n2Config} from "../../lib/models/resnet-6n2.js";
import {FAMILIES, TINY_MODELS, type FamilyName} from "../../lib/models/registry.js";
import {layerGradNorms, type LayerGradNorm} from "../../lib/train/grad-norms.js";
import type {SideBySideRun} from "../../lib/train/side-by-side.js";
import {RUN_COLORS} from "../../lib/viz/loss-curve.js";
import {formatCount} from "../../lib/analysis/summary.js";
import {loadDigits, type Digits} from "../shared/digits.js";
import {runsPanel, type ExperimentContext, type ExperimentPanel} from "../shared/experiment-panel.js";

/** Dispose a loaded dataset. */
function disposeDigits(d: Digits) {
  tf.dispose([d.train.xs, d.train.ys, d.test.xs, d.test.ys]);
}

/** Load the digits for a run and register their disposal with the panel. */
async function digitsFor(ctx: ExperimentContext, train: number, test: number): Promise<Digits> {
  const data = await loadDigits({train, test, signal: ctx.signal, onProgress: ctx.status});
  ctx.defer(() => disposeDigits(data));
  return data;
}

/** A paragraph for a computed result sentence. */
function resultLine(): HTMLParagraphElement {
  const p = document.createElement("p");
  p.className = "experiment-result";
  return p;
}

/** Per-layer gradient norms of several nets against depth (log y). */
export function gradNormChart(
  rows: (LayerGradNorm & {run: string; when: string})[],
  {width = 640, height = 260, runs}: {width?: number; height?: number; runs?: string[]} = {}
) {
  const domain = runs ?? [...new Set(rows.map((d) => d.run))];
  return Plot.plot({
    width,
    height,
    marginLeft: 60,
    y: {type: "log", label: "↑ RMS gradient ‖∂L/∂W‖ / √(가중치 수)", grid: true},
    x: {label: "층의 깊이 (1 = 입력 쪽) →"},
    color: {legend: true, domain, range: RUN_COLORS.slice(0, domain.length)},
    style: {fontSize: "12px"},
    marks: [
      // at initialisation: faded, dashed; latest measurement: solid
      Plot.line(
        rows.filter((d) => d.when === "init"),
        {x: "depth", y: "rms", stroke: "run", strokeOpacity: 0.4, strokeDasharray: "4 3"}
      ),
      Plot.line(
        rows.filter((d) => d.when !== "init"),
        {x: "depth", y: "rms", stroke: "run", strokeWidth: 2}
      ),
      Plot.dot(
        rows.filter((d) => d.when !== "init"),
        {
          x: "depth",
          y: "rms",
          fill: "run",
          r: 2.5,
          tip: true,
          title: (d) => `${d.run}\n${d.name}\n${d.rms.toExponential(2)}`
        }
      )
    ]
  });
}

export interface ResidualExperimentOptions {
  /** Depths offered (6n + 2); the first is selected. */
  depths?: number[];
  /** Initial number of training examples. */
  examples?: number;
  epochs?: number;
  batchSize?: number;
  width?: number;
  invalidation?: Promise<unknown>;
}

/** Mean of the last k values. */
const tailMean = (xs: number[], k: number) => {
  const tail = xs.slice(-k);
  return tail.reduce((a, b) => a + b, 0) / Math.max(1, tail.length);
};

/** Claim M4: a plain and a residual 6n+2 network of the same depth train on the same batches. */
export function residualExperiment(opts: ResidualExperimentOptions = {}): ExperimentPanel {
  const {depths = [20, 32, 56], epochs = 1, batchSize = 64, width = 900} = opts;
  const depthInput = Inputs.select(depths, {label: "깊이", value: depths[0]});
  const examplesInput = Inputs.range([128, 8192], {step: 128, value: opts.examples ?? 2048, label: "학습 예제 수"});
  // what one run shares between setup, its events and its end
  let runs: SideBySideRun[] = [];
  let probe: {xs: tf.Tensor; ys: tf.Tensor2D} | null = null;
  let norms: (LayerGradNorm & {run: string; when: string})[] = [];
  let gradBox: HTMLElement | null = null;
  const measure = async (when: string) => {
    for (const r of runs) {
      const rows = await layerGradNorms(r.model, probe!.xs, probe!.ys);
      norms = norms.filter((n) => n.run !== r.name || n.when === "init");
      norms.push(...rows.map((row) => ({...row, run: r.name, when})));
    }
    gradBox?.replaceChildren(gradNormChart(norms, {width, height: 230, runs: runs.map((r) => r.name)}));
  };
  return runsPanel({
    claim: "M4",
    action: "plain vs ResNet 학습",
    idle: "버튼을 누르면 같은 깊이의 plain 네트워크와 ResNet을 이 브라우저에서 학습합니다.",
    settings: [depthInput, examplesInput],
    invalidation: opts.invalidation,
    curveHeight: 190,
    async setup(ctx) {
      const depth = Number(depthInput.value);
      const examples = Number(examplesInput.value);
      runs = [];
      norms = [];
      const data = await digitsFor(ctx, examples, 500);
      const p = {xs: data.test.xs.slice(0, 64), ys: data.test.ys.slice(0, 64) as tf.Tensor2D};
      probe = p;
      ctx.defer(() => tf.dispose([p.xs, p.ys]));
      for (const residual of [false, true]) {
        const model = buildResNet(resnet6n2Config(depth, {residual}), {seed: 7});
        runs.push({name: `${residual ? "ResNet" : "plain"}-${depth}`, model, optimizer: tf.train.adam(1e-3)});
      }
      gradBox = document.createElement("div");
      gradBox.className = "experiment-grads";
      ctx.out.append(gradBox);
      await measure("init");
      return {runs, train: data.train, validation: data.test, options: {epochs, batchSize, seed: 3}};
    },
    async onEvent(e) {
      // gradient norms every 10 rounds of batches
      if (e.event.type === "batch" && e.run === runs.length - 1 && (e.event.batch + 1) % 10 === 0)
        await measure(`batch ${e.event.batch + 1}`);
    },
    async finish({histories, stopped}, ctx) {
      await measure("end");
      // what this run shows, computed
      const k = Math.max(1, Math.min(10, Math.floor(histories[0].batch.loss.length / 3)));
      const loss = histories.map((h) => tailMean(h.batch.loss, k));
      const acc = histories.map((h) => h.epoch.valAccuracy.at(-1) ?? NaN);
      // the convolutions' RMS gradients (the classifier left out): first against last, and the spread
      const convRms = runs.map((r) =>
        norms
          .filter((n) => n.run === r.name && n.when === "end")
          .slice(0, -1)
          .map((n) => n.rms)
      );
      const ratio = convRms.map((v) => v[0] / v[v.length - 1]);
      const spread = convRms.map((v) => Math.max(...v) / Math.min(...v));
      const [plain, res] = [0, 1];
      const better = loss[res] < loss[plain];
      const result = resultLine();
      result.dataset.plainLoss = String(loss[plain]);
      result.dataset.residualLoss = String(loss[res]);
      result.dataset.plainGradRatio = String(ratio[plain]);
      result.dataset.residualGradRatio = String(ratio[res]);
      result.dataset.plainGradSpread = String(spread[plain]);
      result.dataset.residualGradSpread = String(spread[res]);
      const fmt = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : "—");
      const times = (v: number) => `${v.toPrecision(2).replace(/e\+(\d+)$/, "×10^$1")}배`;
      const [pn, rn] = [runs[plain].name, runs[res].name];
      const batches = Math.min(...histories.map((h) => h.batch.loss.length));
      result.textContent =
        `${stopped ? `정지한 시점까지 (${batches}개 batch)` : `${batches}개 batch를 학습한 뒤`}, 마지막 ${k}개 batch의 평균 학습 loss는 ` +
        `${pn} ${loss[plain].toFixed(3)}, ${rn} ${loss[res].toFixed(3)}로 ` +
        `${better ? "residual 쪽이 낮았습니다" : "residual 쪽이 낮지 않았습니다"}. ` +
        (stopped ? "" : `테스트 정확도: ${pn} ${fmt(acc[plain])}, ${rn} ${fmt(acc[res])}. `) +
        `입력 쪽 첫 conv의 RMS gradient는 마지막 conv의 ${times(ratio[plain])}(${pn}), ${times(ratio[res])}(${rn})였고, ` +
        `conv 층들 사이의 최대/최소 비는 ${times(spread[plain])}(${pn}), ${times(spread[res])}(${rn})였습니다: ` +
        (spread[res] < spread[plain]
          ? `shortcut이 있는 쪽에서 gradient가 깊이에 걸쳐 더 고르게 전달되었습니다` +
            (ratio[plain] > 10 * Math.max(1, ratio[res])
              ? ` (${pn}에서는 입력 쪽으로 갈수록 gradient가 줄지 않고 커졌습니다: vanishing이 아니라 exploding).`
              : ".")
          : "이번 실행에서는 shortcut이 있는 쪽의 gradient가 더 고르지 않았습니다.");
      ctx.out.append(result);
    }
  });
}

export interface RaceResult {
  family: FamilyName;
  title: string;
  params: number;
  seconds: number;
  accuracy: number;
}

/** Test accuracy against parameters and against training time, one dot per family. */
export function raceChart(rows: RaceResult[], {width = 640, x}: {width?: number; x: "params" | "seconds"}) {
  return Plot.plot({
    width,
    height: 240,
    marginLeft: 56,
    marginRight: 96,
    x:
      x === "params"
        ? {type: "log", label: "파라미터 수 (log) →", tickFormat: (v: number) => formatCount(v, 2)}
        : {label: "학습 시간 (s) →", zero: true},
    y: {label: "↑ 테스트 정확도", tickFormat: "%", domain: [0, 1], grid: true},
    color: {domain: rows.map((r) => r.title), range: RUN_COLORS},
    style: {fontSize: "12px"},
    marks: [
      Plot.dot(rows, {x, y: "accuracy", fill: "title", r: 6, tip: true}),
      Plot.text(rows, {x, y: "accuracy", text: "title", dx: 9, textAnchor: "start", fontWeight: 600})
    ]
  });
}

/** Epochs of the tiny-model race. */
export const RACE_EPOCHS = 1;

/** The four families' tiny presets trained on the same digits, `RACE_EPOCHS` epochs, in turns. */
export function raceExperiment(
  opts: {examples?: number; batchSize?: number; width?: number; invalidation?: Promise<unknown>} = {}
): ExperimentPanel {
  const {batchSize = 64, width = 900} = opts;
  const examplesInput = Inputs.range([256, 8192], {step: 256, value: opts.examples ?? 4096, label: "학습 예제 수"});
  const families = Object.keys(TINY_MODELS) as FamilyName[];
  return runsPanel({
    action: "네 모델 경주 시작",
    idle: "버튼을 누르면 네 tiny 모델을 같은 batch로 차례로 학습합니다.",
    settings: [examplesInput],
    invalidation: opts.invalidation,
    curveHeight: 170,
    async setup(ctx) {
      const data = await digitsFor(ctx, Number(examplesInput.value), 1000);
      const runs = families.map((family) => ({
        name: FAMILIES[family].title,
        model: TINY_MODELS[family]({seed: 5}),
        optimizer: tf.train.adam(2e-3)
      }));
      return {runs, train: data.train, validation: data.test, options: {epochs: RACE_EPOCHS, batchSize, seed: 3}};
    },
    finish({runs, histories, seconds, stopped}, ctx) {
      if (stopped) {
        ctx.status("정지했습니다: 정확도는 epoch이 끝나야 잽니다.");
        return;
      }
      const examples = Number(examplesInput.value);
      const rows: RaceResult[] = runs.map((r, i) => ({
        family: families[i],
        title: r.name,
        params: r.model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0),
        seconds: seconds[i],
        accuracy: histories[i].epoch.valAccuracy.at(-1) ?? NaN
      }));
      const charts = document.createElement("div");
      charts.className = "experiment-race";
      const half = Math.floor((width - 40) / 2);
      charts.append(raceChart(rows, {width: half, x: "params"}), raceChart(rows, {width: half, x: "seconds"}));
      const best = [...rows].sort((a, b) => b.accuracy - a.accuracy)[0];
      const fastest = [...rows].sort((a, b) => a.seconds - b.seconds)[0];
      const result = resultLine();
      result.dataset.rows = JSON.stringify(rows);
      result.textContent =
        `${examples.toLocaleString("en-US")}장으로 ${RACE_EPOCHS} epoch: 가장 정확한 모델은 ${best.title} (${(best.accuracy * 100).toFixed(1)}%, ` +
        `${formatCount(best.params)} 파라미터), 가장 빨리 학습한 모델은 ${fastest.title} (${fastest.seconds.toFixed(1)} s)였습니다. ` +
        rows.map((r) => `${r.title} ${(r.accuracy * 100).toFixed(1)}% · ${r.seconds.toFixed(1)} s`).join(" / ");
      ctx.out.append(charts, result);
    }
  });
}
