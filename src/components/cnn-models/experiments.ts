/**
 * The two training experiments of chapter 3 「CNN Model 비교」, each a panel with a start button, Stop, progress and
 * live charts. Nothing trains until the reader presses the button; a finished or stopped run disposes its models,
 * optimizers and data (the page's `tf.memory().numTensors` returns to where it was).
 *
 *   residualExperiment({depth, examples, …})   claim M4: plain vs residual network of equal depth
 *   raceExperiment({examples, …})              the four families' tiny presets on one budget
 *
 * The computation is in lib/ (`trainSideBySide`, `layerGradNorms`, `resnet6n2Config`, the registry); this file wires
 * it to buttons and charts.
 */
import * as Plot from "@observablehq/plot";
import {tf} from "../../lib/tf.js";
import {buildResNet} from "../../lib/models/resnet.js";
import {resnet6n2Config} from "../../lib/models/resnet-6n2.js";
import {FAMILIES, TINY_MODELS, type FamilyName} from "../../lib/models/registry.js";
import {layerGradNorms, type LayerGradNorm} from "../../lib/train/grad-norms.js";
import {trainSideBySide, type SideBySideRun} from "../../lib/train/side-by-side.js";
import {emptyHistory, lossCurve, pushTrainEvent, RUN_COLORS, type TrainHistory} from "../../lib/viz/loss-curve.js";
import {formatCount} from "../../lib/analysis/summary.js";
import {loadDigits, type Digits} from "../shared/digits.js";
import {errorNote} from "../shared/imshow.js";

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

/** A panel with ▶ / ■ buttons and a status line; `run` gets an AbortSignal and the panel's output area. */
function panel(
  startLabel: string,
  run: (signal: AbortSignal, out: HTMLElement, status: (text: string) => void) => Promise<void>,
  invalidation?: Promise<unknown>
): HTMLElement {
  const root = document.createElement("div");
  root.className = "experiment";
  const bar = document.createElement("div");
  bar.className = "experiment-controls";
  const start = document.createElement("button");
  start.textContent = `▶ ${startLabel}`;
  start.className = "experiment-start";
  const stop = document.createElement("button");
  stop.textContent = "■ Stop";
  stop.className = "experiment-stop";
  stop.disabled = true;
  const statusLine = document.createElement("span");
  statusLine.className = "experiment-status";
  statusLine.textContent = "버튼을 누르면 이 브라우저에서 학습합니다.";
  bar.append(start, stop, statusLine);
  const out = document.createElement("div");
  out.className = "experiment-output";
  root.append(bar, out);
  let controller: AbortController | null = null;
  const status = (text: string) => (statusLine.textContent = text);
  start.addEventListener("click", async () => {
    controller = new AbortController();
    start.disabled = true;
    stop.disabled = false;
    root.dataset.busy = "true";
    delete root.dataset.state;
    out.replaceChildren();
    try {
      await run(controller.signal, out, status);
      root.dataset.state = controller.signal.aborted ? "stopped" : "done";
    } catch (error) {
      if (controller.signal.aborted) {
        // Stop while the data was still downloading
        root.dataset.state = "stopped";
        status("멈췄습니다.");
      } else {
        root.dataset.state = "error";
        status("학습하지 못했습니다.");
        out.append(errorNote(error));
      }
    } finally {
      controller = null;
      start.disabled = false;
      stop.disabled = true;
      delete root.dataset.busy;
    }
  });
  stop.addEventListener("click", () => controller?.abort());
  invalidation?.then(() => controller?.abort());
  return root;
}

/** Dispose a loaded dataset. */
function disposeDigits(d: Digits | null) {
  if (d) tf.dispose([d.train.xs, d.train.ys, d.test.xs, d.test.ys]);
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
  depth: number;
  examples: number;
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
export function residualExperiment(opts: ResidualExperimentOptions): HTMLElement {
  const {depth, examples, epochs = 1, batchSize = 64, width = 900} = opts;
  return panel(
    `plain-${depth} vs ResNet-${depth} 학습`,
    async (signal, out, status) => {
      let data: Digits | null = null;
      const runs: SideBySideRun[] = [];
      try {
        data = await loadDigits({train: examples, test: 500, signal, onProgress: status});
        const probe = {xs: data.test.xs.slice(0, 64), ys: data.test.ys.slice(0, 64) as tf.Tensor2D};
        try {
          for (const residual of [false, true]) {
            const model = buildResNet(resnet6n2Config(depth, {residual}), {seed: 7});
            runs.push({name: `${residual ? "ResNet" : "plain"}-${depth}`, model, optimizer: tf.train.adam(1e-3)});
          }
          const histories: TrainHistory[] = runs.map(() => emptyHistory());
          const norms: (LayerGradNorm & {run: string; when: string})[] = [];
          const measure = async (when: string) => {
            for (const r of runs) {
              const rows = await layerGradNorms(r.model, probe.xs, probe.ys);
              for (let i = norms.length - 1; i >= 0; i--)
                if (norms[i].run === r.name && norms[i].when !== "init") norms.splice(i, 1);
              norms.push(...rows.map((row) => ({...row, run: r.name, when})));
            }
          };
          await measure("init");
          const curves = document.createElement("div");
          curves.className = "experiment-curves";
          const gradBox = document.createElement("div");
          gradBox.className = "experiment-grads";
          const result = document.createElement("p");
          result.className = "experiment-result";
          out.append(curves, gradBox, result);
          const draw = () => {
            curves.replaceChildren(
              lossCurve(
                runs.map((r, i) => ({name: r.name, history: histories[i]})),
                {width, epochs, height: 190}
              )
            );
            gradBox.replaceChildren(gradNormChart(norms, {width, height: 230, runs: runs.map((r) => r.name)}));
          };
          draw();
          const batches = Math.ceil(examples / batchSize);
          let lastDraw = 0;
          let seen = 0;
          for await (const e of trainSideBySide(runs, {
            train: data.train,
            validation: data.test,
            epochs,
            batchSize,
            seed: 3,
            signal,
            between: nextFrame
          })) {
            pushTrainEvent(histories[e.run], e.event);
            if (e.event.type === "batch") {
              seen++;
              status(`배치 ${e.event.batch + 1}/${batches} (epoch ${e.event.epoch + 1}/${epochs}) · ${e.name}`);
              // gradient norms every 10 rounds
              if (e.run === runs.length - 1 && (e.event.batch + 1) % 10 === 0)
                await measure(`batch ${e.event.batch + 1}`);
            }
            if (performance.now() - lastDraw > 250) {
              draw();
              lastDraw = performance.now();
            }
          }
          await measure("end");
          draw();
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
          const stopped = signal.aborted;
          const better = loss[res] < loss[plain];
          result.dataset.plainLoss = String(loss[plain]);
          result.dataset.residualLoss = String(loss[res]);
          result.dataset.plainGradRatio = String(ratio[plain]);
          result.dataset.residualGradRatio = String(ratio[res]);
          result.dataset.plainGradSpread = String(spread[plain]);
          result.dataset.residualGradSpread = String(spread[res]);
          const fmt = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : "—");
          const times = (v: number) => `${v.toPrecision(2).replace(/e\+(\d+)$/, "×10^$1")}배`;
          const [pn, rn] = [runs[plain].name, runs[res].name];
          result.textContent =
            `${stopped ? "멈춘 시점까지" : `${seen / 2}개 배치를 학습한 뒤`}, 마지막 ${k}개 배치의 평균 학습 loss는 ` +
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
          status(stopped ? "멈췄습니다." : `끝났습니다 (${data.source}).`);
        } finally {
          tf.dispose([probe.xs, probe.ys]);
        }
      } finally {
        for (const r of runs) {
          r.optimizer.dispose();
          r.model.dispose();
        }
        disposeDigits(data);
      }
    },
    opts.invalidation
  );
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
export function raceExperiment(opts: {
  examples: number;
  batchSize?: number;
  width?: number;
  invalidation?: Promise<unknown>;
}): HTMLElement {
  const {examples, batchSize = 64, width = 900} = opts;
  return panel(
    "네 모델 경주 시작",
    async (signal, out, status) => {
      let data: Digits | null = null;
      const runs: (SideBySideRun & {family: FamilyName})[] = [];
      try {
        data = await loadDigits({train: examples, test: 1000, signal, onProgress: status});
        for (const family of Object.keys(TINY_MODELS) as FamilyName[]) {
          runs.push({
            family,
            name: FAMILIES[family].title,
            model: TINY_MODELS[family]({seed: 5}),
            optimizer: tf.train.adam(2e-3)
          });
        }
        const histories = runs.map(() => emptyHistory());
        const seconds = runs.map(() => 0);
        const curves = document.createElement("div");
        const charts = document.createElement("div");
        charts.className = "experiment-race";
        const result = document.createElement("p");
        result.className = "experiment-result";
        out.append(curves, charts, result);
        const draw = () =>
          curves.replaceChildren(
            lossCurve(
              runs.map((r, i) => ({name: r.name, history: histories[i]})),
              {width, epochs: RACE_EPOCHS, height: 170}
            )
          );
        draw();
        let lastDraw = 0;
        for await (const e of trainSideBySide(runs, {
          train: data.train,
          validation: data.test,
          epochs: RACE_EPOCHS,
          batchSize,
          seed: 3,
          signal,
          between: nextFrame
        })) {
          pushTrainEvent(histories[e.run], e.event);
          seconds[e.run] = e.seconds;
          if (e.event.type === "batch") status(`배치 ${e.event.batch + 1}/${e.event.batches} · ${e.name}`);
          if (performance.now() - lastDraw > 250) {
            draw();
            lastDraw = performance.now();
          }
        }
        draw();
        if (signal.aborted) {
          status("멈췄습니다: 정확도는 epoch이 끝나야 잽니다.");
          return;
        }
        const rows: RaceResult[] = runs.map((r, i) => ({
          family: r.family,
          title: r.name,
          params: r.model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0),
          seconds: seconds[i],
          accuracy: histories[i].epoch.valAccuracy.at(-1) ?? NaN
        }));
        const half = Math.floor((width - 40) / 2);
        charts.replaceChildren(
          raceChart(rows, {width: half, x: "params"}),
          raceChart(rows, {width: half, x: "seconds"})
        );
        const best = [...rows].sort((a, b) => b.accuracy - a.accuracy)[0];
        const fastest = [...rows].sort((a, b) => a.seconds - b.seconds)[0];
        result.dataset.rows = JSON.stringify(rows);
        result.textContent =
          `${examples.toLocaleString("en-US")}장으로 ${RACE_EPOCHS} epoch: 가장 정확한 모델은 ${best.title} (${(best.accuracy * 100).toFixed(1)}%, ` +
          `${formatCount(best.params)} 파라미터), 가장 빨리 학습한 모델은 ${fastest.title} (${fastest.seconds.toFixed(1)} s)였습니다. ` +
          rows.map((r) => `${r.title} ${(r.accuracy * 100).toFixed(1)}% · ${r.seconds.toFixed(1)} s`).join(" / ");
        status(`끝났습니다 (${data.source}).`);
      } finally {
        for (const r of runs) {
          r.optimizer.dispose();
          r.model.dispose();
        }
        disposeDigits(data);
      }
    },
    opts.invalidation
  );
}
