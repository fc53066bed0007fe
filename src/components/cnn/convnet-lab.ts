/**
 * Chapter 2's ConvNet Example, trained in the page (claim C4): the kit's experiment panel (시작 / 일시정지 / 정지,
 * progress, status) with the data-size choice, a clear-weights button, a stats line (batch, loss, 정확도, examples/s)
 * and live curves; after training, the model is evaluated on the whole MNIST test set and kept in IndexedDB so a
 * reload or presentation mode does not retrain.
 *
 * `ConvNetLab` is an EventTarget: "change" fires whenever `result` changes (trained, restored, cleared),
 * so page cells can follow it with `Generators.observe`.
 */
import {tf} from "../../lib/tf.js";
import {convNet, CONVNET_PRESETS} from "../../lib/models/convnet.js";
import {train, type Dataset, type TrainController} from "../../lib/train/loop.js";
import {CONVNET_RECIPE, convNetSchedule, type ConvNetRecipe} from "../../lib/train/convnet-recipe.js";
import {mnistTensors, type MnistSet} from "../../lib/data/mnist.js";
import {emptyHistory, lossCurve, pushTrainEvent, type TrainHistory} from "../../lib/viz/loss-curve.js";
import {confusionCounts} from "../../lib/viz/confusion.js";
import {loadMnist} from "../shared/mnist.js";
import {loadDigits} from "../shared/digits.js";
import {experimentPanel} from "../shared/experiment-panel.js";

/** Where the trained weights live in the browser. */
export const CONVNET_STORE = "indexeddb://dl4i-cnn-convnet-example";

export interface TestResult {
  accuracy: number;
  /** [true][predicted] counts over the 10,000 test images. */
  confusion: number[][];
  /** Predicted digit per test image. */
  predicted: Uint8Array;
  /** Softmax probability of the predicted digit per test image. */
  confidence: Float32Array;
}

export interface LabResult {
  model: tf.LayersModel;
  test: TestResult;
  testSet: MnistSet;
  /** "trained" in this page, or "restored" from IndexedDB. */
  source: "trained" | "restored";
  /** Training examples seen and seconds spent, when trained here. */
  examples?: number;
  seconds?: number;
}

/** How the page trains (lib/train/convnet-recipe.ts); the reader's data-size choice changes `examples`. */
export type TrainSettings = ConvNetRecipe;

/** The recipe (lib/train/convnet-recipe.ts), shared with `npm run bench`. */
export const DEFAULT_SETTINGS: TrainSettings = CONVNET_RECIPE;

/** Predict the whole test set in batches; returns predictions and the confusion matrix. */
async function testModel(model: tf.LayersModel, testSet: MnistSet): Promise<TestResult> {
  const predicted = new Uint8Array(testSet.count);
  const confidence = new Float32Array(testSet.count);
  for (let start = 0; start < testSet.count; start += 500) {
    const end = Math.min(testSet.count, start + 500);
    const {xs, ys} = mnistTensors(testSet, start, end);
    const [arg, max] = tf.tidy(() => {
      const p = model.predict(xs) as tf.Tensor2D; // [n, 10]
      return [p.argMax(1), p.max(1)];
    });
    predicted.set(await arg.data(), start);
    confidence.set((await max.data()) as Float32Array, start);
    tf.dispose([xs, ys, arg, max]);
    await new Promise((r) => setTimeout(r, 0));
  }
  const confusion = confusionCounts(testSet.labels, predicted, 10);
  const correct = confusion.reduce((s, row, i) => s + row[i], 0);
  return {accuracy: correct / testSet.count, confusion, predicted, confidence};
}

export interface TrainHooks {
  signal?: AbortSignal;
  controller?: TrainController;
  onStatus?: (s: string) => void;
  onEvent?: () => void;
  onProgress?: (fraction: number) => void;
}

export class ConvNetLab extends EventTarget {
  result: LabResult | null = null;
  history: TrainHistory = emptyHistory();
  running = false;
  private disposed = false;

  /** Replace the current result (disposing the old model) and tell the page. */
  private setResult(result: LabResult | null): void {
    if (this.result && this.result.model !== result?.model) this.result.model.dispose();
    this.result = result;
    this.dispatchEvent(new Event("change"));
  }

  /** Load weights kept by an earlier visit, if any. Resolves to whether it did. */
  async restore(onStatus: (s: string) => void = () => {}): Promise<boolean> {
    let model: tf.LayersModel;
    try {
      const stored = await tf.io.listModels();
      if (!(CONVNET_STORE in stored)) return false;
      onStatus("저장된 가중치를 불러오는 중…");
      model = await tf.loadLayersModel(CONVNET_STORE);
    } catch {
      return false; // no IndexedDB (private mode) or nothing usable stored: train from scratch
    }
    if (this.disposed) {
      model.dispose();
      return false;
    }
    onStatus("테스트 데이터로 평가하는 중…");
    const testSet = await loadMnist("test");
    const test = await testModel(model, testSet);
    this.setResult({model, test, testSet, source: "restored"});
    return true;
  }

  /**
   * Train a fresh ConvNet Example. A stop (`signal`) ends training early; what was trained so far is still
   * evaluated and kept, unless no batch ran.
   */
  async train(settings: TrainSettings, hooks: TrainHooks = {}): Promise<void> {
    if (this.running) return;
    this.running = true;
    const {signal, controller} = hooks;
    const status = hooks.onStatus ?? (() => {});
    this.history = emptyHistory();
    let data: Dataset | null = null;
    let validation: Dataset | null = null;
    let model: tf.LayersModel | null = null;
    let optimizer: tf.Optimizer | null = null;
    try {
      // the first `examples` training images, and 2,000 test images for the per-epoch validation
      ({train: data, test: validation} = await loadDigits({
        train: settings.examples,
        test: settings.validation,
        signal,
        onProgress: status
      }));
      const testSet = await loadMnist("test"); // loaded above: cached, for the full evaluation
      const n = data.xs.shape[0];
      model = convNet(CONVNET_PRESETS.example, settings.seed);
      optimizer = tf.train.adam(settings.learningRate);
      status("학습 중…");
      const t0 = performance.now();
      let seen = 0;
      const total = settings.epochs * Math.ceil(n / settings.batchSize);
      let done = 0;
      for await (const e of train({
        model,
        optimizer,
        train: data,
        validation,
        epochs: settings.epochs,
        batchSize: settings.batchSize,
        seed: settings.seed,
        signal,
        controller,
        learningRate: convNetSchedule(settings),
        taskBudgetMs: settings.taskBudgetMs,
        readEvery: settings.readEvery
      })) {
        pushTrainEvent(this.history, e);
        if (e.type === "batch") {
          done++;
          seen += Math.min(settings.batchSize, n - e.batch * settings.batchSize);
          hooks.onProgress?.(done / total);
        }
        hooks.onEvent?.();
      }
      const seconds = (performance.now() - t0) / 1000;
      tf.dispose([data.xs, data.ys, validation.xs, validation.ys]);
      data = validation = null;
      optimizer.dispose();
      optimizer = null;
      if (seen === 0) {
        model.dispose();
        status("학습하기 전에 정지했습니다.");
        return;
      }
      status(`전체 테스트 데이터 ${testSet.count.toLocaleString()}장으로 평가하는 중…`);
      const test = await testModel(model, testSet);
      const trained = model;
      model = null;
      this.setResult({model: trained, test, testSet, source: "trained", examples: seen, seconds});
      try {
        await trained.save(CONVNET_STORE);
      } catch {
        // IndexedDB unavailable: the model still works for this visit
      }
      status(
        signal?.aborted
          ? `정지했습니다: ${seen.toLocaleString()}장까지 학습한 모델을 평가했습니다.`
          : `끝났습니다: ${seen.toLocaleString()}장, ${seconds.toFixed(0)}초.`
      );
    } finally {
      if (data) tf.dispose([data.xs, data.ys]);
      if (validation) tf.dispose([validation.xs, validation.ys]);
      optimizer?.dispose();
      model?.dispose();
      this.running = false;
      hooks.onEvent?.();
    }
  }

  /** Forget the kept weights (IndexedDB) and the model. */
  async clear(): Promise<void> {
    try {
      await tf.io.removeModel(CONVNET_STORE);
    } catch {
      // nothing stored
    }
    this.setResult(null);
  }

  dispose(): void {
    this.disposed = true;
    this.result?.model.dispose();
    this.result = null;
  }
}

/** The data sizes the reader can choose (the first is the default). */
export const EXAMPLE_CHOICES: readonly {examples: number; label: string}[] = [
  {examples: DEFAULT_SETTINGS.examples, label: "권장"},
  {examples: 60_000, label: "전체"},
  {examples: 5_000, label: "시연용"}
];

/**
 * The training panel (claim C4) on the kit's experiment panel: the data-size choice and the clear-weights button sit
 * in its control bar; the stats line and the live curves fill its output while training runs.
 */
export function trainPanel(lab: ConvNetLab, {invalidation}: {invalidation?: Promise<unknown>} = {}): HTMLElement {
  const examples = document.createElement("select");
  examples.setAttribute("aria-label", "학습 데이터 수");
  for (const {examples: n, label} of EXAMPLE_CHOICES) {
    const o = document.createElement("option");
    o.value = String(n);
    o.textContent = `${n.toLocaleString()}장 (${label}, ${DEFAULT_SETTINGS.epochs} epoch)`;
    examples.append(o);
  }
  const clear = document.createElement("button");
  clear.type = "button";
  clear.className = "train-clear";
  clear.textContent = "저장된 가중치 지우기";
  const panel = experimentPanel({
    claim: "C4",
    action: "학습 시작",
    idle: "버튼을 누르면 MNIST를 받아 이 브라우저에서 학습합니다.",
    settings: [examples, clear],
    invalidation,
    async run(ctx) {
      const stats = document.createElement("div");
      stats.className = "train-stats";
      // one text node, changed in place: no layout of new nodes, and no childList mutation for the page's observers
      const statsText = document.createTextNode("");
      stats.append(statsText);
      const chart = document.createElement("div");
      chart.className = "train-chart";
      ctx.out.append(stats, chart);
      // measured once (reading it while training would force a layout per redraw)
      const width = Math.max(320, Math.min(chart.clientWidth || 640, 900));
      let progress = 0;
      const writeStats = () => {
        const h = lab.history;
        const count = h.batch.loss.length;
        statsText.data = count
          ? `batch ${count.toLocaleString()} · loss ${h.batch.loss[count - 1].toFixed(3)} · 정확도 ${(h.batch.accuracy[count - 1] * 100).toFixed(1)}% · ${Math.round(h.examplesPerSec).toLocaleString()} examples/s`
          : "";
        ctx.progress(progress);
      };
      const drawChart = () =>
        chart.replaceChildren(
          lossCurve(lab.history, {width, epochs: DEFAULT_SETTINGS.epochs, height: 170, caption: null})
        );
      // the page's own work while training, kept off the training's path: the stats and the progress bar at most
      // every 250 ms, the chart (a new SVG) every second, each in an animation frame
      const STATS_MS = 250;
      const CHART_MS = 1000;
      let lastStats = -Infinity;
      let lastChart = -Infinity;
      let frame = 0;
      const onEvent = () => {
        const now = performance.now();
        if (frame || now - lastStats < STATS_MS) return;
        frame = requestAnimationFrame(() => {
          frame = 0;
          const t = performance.now();
          lastStats = t;
          writeStats();
          if (t - lastChart >= CHART_MS) {
            lastChart = t;
            drawChart();
          }
        });
      };
      await lab.train(
        {...DEFAULT_SETTINGS, examples: Number(examples.value)},
        {
          signal: ctx.signal,
          controller: ctx.controller,
          onStatus: ctx.status,
          onEvent,
          onProgress: (f) => (progress = f)
        }
      );
      cancelAnimationFrame(frame);
      writeStats();
      drawChart();
    }
  });
  const sync = () => {
    if (panel.dataset.busy) return; // the panel disables its settings while running
    clear.disabled = !lab.result;
  };
  // the panel re-enables its settings when a run ends: check the clear button again after it
  new MutationObserver(sync).observe(panel, {attributes: true, attributeFilter: ["data-state"]});
  clear.addEventListener("click", async () => {
    await lab.clear();
    panel.querySelector(".panel-status")!.textContent = "저장된 가중치를 지웠습니다.";
    sync();
  });
  lab.addEventListener("change", sync);
  sync();
  return panel;
}
