/**
 * Chapter 2's ConvNet Example, trained in the page (claim C4): a panel with Start / Stop / clear, a
 * progress bar, examples/s and live curves; after training, the model is evaluated on the full 10,000-image
 * MNIST test set and kept in IndexedDB so a reload or presentation mode does not retrain.
 *
 * `ConvNetLab` is an EventTarget: "change" fires whenever `result` changes (trained, restored, cleared),
 * so page cells can follow it with `Generators.observe`.
 */
import {tf} from "../../lib/tf.js";
import {convNet, CONVNET_PRESETS} from "../../lib/models/convnet.js";
import {cosineDecay, train, TrainController, type Dataset} from "../../lib/train/loop.js";
import {mnistTensors, type MnistSet} from "../../lib/data/mnist.js";
import {emptyHistory, lossCurve, pushTrainEvent, type TrainHistory} from "../../lib/viz/loss-curve.js";
import {confusionCounts} from "../../lib/viz/confusion.js";
import {loadMnist} from "../shared/mnist.js";
import {loadDigits} from "../shared/digits.js";

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

export interface TrainSettings {
  epochs: number;
  /** Training examples used (the first n of the 60,000). */
  examples: number;
  batchSize: number;
  /** Adam's initial learning rate, decayed by a cosine to 5% over the run. */
  learningRate: number;
  /** Seed of the initial weights (the shuffling is seeded too), so a rerun gives the same curve. */
  seed: number;
}

/** Chosen with Node runs on the real data (README "목표"): 98.8% after one epoch, about 65 s of wasm here. */
export const DEFAULT_SETTINGS: TrainSettings = {
  epochs: 1,
  examples: 60_000,
  batchSize: 64,
  learningRate: 0.005,
  seed: 1
};

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

export class ConvNetLab extends EventTarget {
  result: LabResult | null = null;
  history: TrainHistory = emptyHistory();
  running = false;
  private abort: AbortController | null = null;
  private controller = new TrainController();
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

  /** Train a fresh ConvNet Example; `onEvent` sees every training event. */
  async train(
    settings: TrainSettings,
    hooks: {onStatus?: (s: string) => void; onEvent?: () => void; onProgress?: (fraction: number) => void} = {}
  ): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    const signal = this.abort.signal;
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
        test: 2000,
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
        seed: 1,
        signal,
        controller: this.controller,
        learningRate: cosineDecay(settings.learningRate)
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
        status("학습하기 전에 멈췄습니다.");
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
      status("");
    } catch (e) {
      if ((e as Error).name === "AbortError") status("멈췄습니다.");
      else throw e;
    } finally {
      if (data) tf.dispose([data.xs, data.ys]);
      if (validation) tf.dispose([validation.xs, validation.ys]);
      optimizer?.dispose();
      model?.dispose();
      this.running = false;
      this.abort = null;
      this.controller.resume();
      hooks.onEvent?.();
    }
  }

  stop(): void {
    this.abort?.abort();
    this.controller.resume();
  }

  pause(): void {
    this.controller.pause();
  }

  resume(): void {
    this.controller.resume();
  }

  get paused(): boolean {
    return this.controller.isPaused;
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
    this.stop();
    this.result?.model.dispose();
    this.result = null;
  }
}

/** The training panel: settings, Start / Pause / Stop / clear, progress, examples/s, live curves. */
export function trainPanel(lab: ConvNetLab): HTMLElement {
  const root = document.createElement("div");
  root.className = "train-panel";
  const controls = document.createElement("div");
  controls.className = "train-controls";
  const button = (text: string, cls: string) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.className = cls;
    return b;
  };
  const start = button("▶ 학습 시작", "train-start");
  const pause = button("❚❚ 일시정지", "train-pause");
  const stop = button("■ 정지", "train-stop");
  const clear = button("저장된 가중치 지우기", "train-clear");
  const examples = document.createElement("select");
  examples.setAttribute("aria-label", "학습 데이터 수");
  for (const [value, label] of [
    ["60000", "60,000장 (전체, 1 epoch)"],
    ["20000", "20,000장 (빠르게)"],
    ["5000", "5,000장 (시연용)"]
  ]) {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    examples.append(o);
  }
  controls.append(start, pause, stop, examples, clear);
  const progress = document.createElement("progress");
  progress.max = 1;
  progress.value = 0;
  const stats = document.createElement("div");
  stats.className = "train-stats";
  const message = document.createElement("div");
  message.className = "train-message";
  const chart = document.createElement("div");
  chart.className = "train-chart";
  root.append(controls, progress, stats, message, chart);

  let lastDraw = 0;
  const draw = (force = false) => {
    const now = performance.now();
    if (!force && now - lastDraw < 300) return;
    lastDraw = now;
    const h = lab.history;
    const count = h.batch.loss.length;
    const width = Math.max(320, Math.min(chart.clientWidth || 640, 900));
    chart.replaceChildren(lossCurve(h, {width, epochs: DEFAULT_SETTINGS.epochs, height: 170, caption: null}));
    stats.textContent = count
      ? `batch ${count.toLocaleString()} · 손실 (loss) ${h.batch.loss[count - 1].toFixed(3)} · 정확도 (accuracy) ${(h.batch.accuracy[count - 1] * 100).toFixed(1)}% · ${Math.round(h.examplesPerSec).toLocaleString()} examples/s`
      : "";
  };
  const sync = () => {
    start.disabled = lab.running;
    pause.disabled = stop.disabled = !lab.running;
    pause.textContent = lab.paused ? "▶ 계속" : "❚❚ 일시정지";
    examples.disabled = lab.running;
    clear.disabled = lab.running || !lab.result;
  };
  start.addEventListener("click", async () => {
    message.textContent = "";
    progress.value = 0;
    const settings = {...DEFAULT_SETTINGS, examples: Number(examples.value)};
    const run = lab.train(settings, {
      onStatus: (s) => (message.textContent = s),
      onEvent: () => {
        draw();
        sync();
      },
      onProgress: (f) => (progress.value = f)
    });
    sync();
    try {
      await run;
    } catch (e) {
      message.textContent = `학습 중 오류: ${(e as Error).message}`;
      message.classList.add("error");
    }
    draw(true);
    sync();
  });
  pause.addEventListener("click", () => {
    if (lab.paused) lab.resume();
    else lab.pause();
    sync();
  });
  stop.addEventListener("click", () => lab.stop());
  clear.addEventListener("click", async () => {
    await lab.clear();
    message.textContent = "저장된 가중치를 지웠습니다.";
    sync();
  });
  lab.addEventListener("change", sync);
  sync();
  return root;
}
