/**
 * Chapter 8, V1 (the notes' approaches 1–2): the plain CNN, the CNN with a non-local block and the local-attention
 * network (lib/models/attention-cnn.ts) trained side by side on the same Fashion-MNIST batches (`runsPanel`), then a
 * table of 정확도 and cost and a sentence written from the run (lib/viz/attention-cnn.ts), and the trained non-local
 * block's attention map for a position the reader picks (slider, click or arrow keys), drawn on the test image.
 *
 * Nothing is kept after a run but plain arrays: the maps of the first test images are read back before the models
 * are disposed.
 */
import * as Inputs from "@observablehq/inputs";
import {tf} from "../../../lib/tf.js";
import {
  ATTENTION_CNN_KINDS,
  ATTENTION_CNN_LEARNING_RATE,
  ATTENTION_CNN_NAMES,
  attentionCnn,
  nonLocalAttention,
  type AttentionCnnKind
} from "../../../lib/models/attention-cnn.js";
import {countFlops} from "../../../lib/analysis/flops.js";
import "../../../lib/analysis/layers.js";
import {VIT_RECIPE} from "../../../lib/train/vit-recipe.js";
import {evaluate, type Dataset} from "../../../lib/train/loop.js";
import {fashionClassName} from "../../../lib/data/fashion-mnist.js";
import {attentionRowSummary, describeAttentionRow, describeV1, type V1Row} from "../../../lib/viz/attention-cnn.js";
import {loadDigits} from "../../shared/digits.js";
import {runsPanel, tagged, type ExperimentPanel} from "../../shared/experiment-panel.js";
import {el} from "../../shared/dom.js";

/** Test images whose attention maps are kept for the picker. */
const MAP_IMAGES = 8;
const SEED = 1;

export interface ModelCost {
  kind: AttentionCnnKind;
  name: string;
  params: number;
  macs: number;
}

/** Parameters and multiply-adds of the three models (built with zero weights, counted by lib/analysis, disposed). */
export function v1Costs(): ModelCost[] {
  return ATTENTION_CNN_KINDS.map((kind) => {
    const model = attentionCnn(kind, {}, {weights: "zeros"});
    try {
      const c = countFlops(model);
      return {kind, name: ATTENTION_CNN_NAMES[kind], params: model.countParams(), macs: c.macs};
    } finally {
      model.dispose();
    }
  });
}

const fmt = (v: number) => v.toLocaleString("en-US");

/** A table with numbers right-aligned; `rows` are cells as text, `numeric` marks numeric columns. */
export function simpleTable(header: string[], rows: (string | number)[][], className: string): HTMLElement {
  const t = el("table", className);
  const head = t.createTHead().insertRow();
  for (const h of header) head.append(el("th", "", h));
  const body = t.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    for (const v of r) {
      const td = tr.insertCell();
      td.textContent = typeof v === "number" ? fmt(v) : v;
      if (typeof v === "number") td.className = "num";
    }
  }
  const scroll = el("div", "table-scroll");
  scroll.style.cssText = "overflow-x: auto; max-width: 100%";
  scroll.append(t);
  return scroll;
}

/** The three models' sizes before any training. */
export function v1CostTable(): HTMLElement {
  const costs = v1Costs();
  const root = simpleTable(
    ["모델", "파라미터", "multiply-add (이미지 한 장)"],
    costs.map((c) => [c.name, c.params, c.macs]),
    "v1-costs"
  );
  root.dataset.costs = JSON.stringify(costs);
  // the page's tables are 13 px; on a slide (larger body font) the table grows with the text
  root.querySelector("table")!.style.fontSize = "max(13px, 0.8em)";
  return root;
}

export interface AttentionMaps {
  /** [K, 28·28] images in 0…1. */
  images: Float32Array;
  labels: number[];
  /** [K, N, N] with N = grid² (row i: where position i looks). */
  weights: Float32Array;
  grid: number;
  imageSize: number;
}

/** The picker: a test image, a query position (row and column sliders, a click, arrow keys), its attention map. */
export function attentionPicker(maps: AttentionMaps): HTMLElement {
  const {grid, imageSize: size} = maps;
  const n = grid * grid;
  const count = maps.labels.length;
  const root = el("div", "v1-attention");
  const imageInput = Inputs.select(
    Array.from({length: count}, (_, i) => i),
    {label: "테스트 이미지", format: (i: number) => `${i + 1}번 (${fashionClassName(maps.labels[i])})`}
  );
  const rowInput = Inputs.range([0, grid - 1], {step: 1, value: Math.floor(grid / 2), label: "query 행"});
  const colInput = Inputs.range([0, grid - 1], {step: 1, value: Math.floor(grid / 2), label: "query 열"});
  const scale = 10;
  const canvas = el("canvas", "v1-attention-canvas");
  canvas.width = canvas.height = size * scale;
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "img");
  canvas.style.cssText = `width: ${size * scale}px; max-width: 100%; cursor: crosshair`;
  const line = el("p", "v1-attention-line");
  line.setAttribute("aria-live", "polite");
  const controls = el("div", "v1-attention-controls");
  controls.append(imageInput, rowInput, colInput);
  root.append(controls, canvas, line);

  const value = (input: HTMLElement) => Number((input as HTMLInputElement & {value: unknown}).value);
  const draw = () => {
    const image = value(imageInput);
    const r = value(rowInput);
    const c = value(colInput);
    const q = r * grid + c;
    const row = maps.weights.subarray((image * n + q) * n, (image * n + q + 1) * n);
    const summary = attentionRowSummary(row, grid);
    const g = canvas.getContext("2d")!;
    const pixels = maps.images.subarray(image * size * size, (image + 1) * size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const v = Math.round(255 * pixels[y * size + x]);
        g.fillStyle = `rgb(${v},${v},${v})`;
        g.fillRect(x * scale, y * scale, scale, scale);
      }
    }
    const cell = (size / grid) * scale;
    // colour from this row's smallest weight (clear) to its largest (deep orange): the sentence gives the values
    const low = Math.min(...row);
    const span = summary.topWeight - low || 1;
    for (let i = 0; i < n; i++) {
      const a = (row[i] - low) / span;
      g.fillStyle = `rgba(232, 89, 12, ${(0.75 * a).toFixed(3)})`;
      g.fillRect((i % grid) * cell, Math.floor(i / grid) * cell, cell, cell);
    }
    g.strokeStyle = "#1971c2";
    g.lineWidth = 3;
    g.strokeRect(c * cell + 1.5, r * cell + 1.5, cell - 3, cell - 3);
    const className = fashionClassName(maps.labels[image]);
    line.textContent = describeAttentionRow([r, c], summary, `${image + 1}번 (${className})`);
    canvas.setAttribute("aria-label", `non-local block의 attention: ${line.textContent}`);
    Object.assign(root.dataset, {image: String(image), row: String(r), col: String(c)});
    root.dataset.top = JSON.stringify(summary.top);
    root.dataset.total = String(summary.total);
    root.dataset.weights = JSON.stringify(Array.from(row, (w) => Number(w.toPrecision(6))));
  };
  const set = (input: HTMLElement, v: number) => {
    const range = input.querySelector("input[type=range]") as HTMLInputElement;
    range.value = String(Math.max(0, Math.min(grid - 1, v)));
    range.dispatchEvent(new Event("input", {bubbles: true}));
  };
  for (const input of [imageInput, rowInput, colInput]) input.addEventListener("input", draw);
  canvas.addEventListener("click", (event) => {
    const box = canvas.getBoundingClientRect();
    set(rowInput, Math.floor(((event.clientY - box.top) / box.height) * grid));
    set(colInput, Math.floor(((event.clientX - box.left) / box.width) * grid));
  });
  canvas.addEventListener("keydown", (event) => {
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1]
    };
    const m = moves[event.key];
    if (!m) return;
    event.preventDefault();
    set(rowInput, value(rowInput) + m[0]);
    set(colInput, value(colInput) + m[1]);
  });
  draw();
  return root;
}

export interface V1Options {
  width?: number;
  invalidation?: Promise<unknown>;
  /** Where the attention map goes after a run (its own slide); default: the panel's output. */
  mapSlot?: HTMLElement;
}

/** The slot for the attention map, with its text before the first run. */
export function v1MapSlot(): HTMLElement {
  const slot = el("div", "v1-map-slot");
  slot.append(el("p", "v1-map-idle", "V1을 학습하면 여기에 학습한 non-local block의 attention이 그려집니다."));
  return slot;
}

/** V1: the three models side by side on one budget, then the table, the sentence and the attention map. */
export function v1Experiment({invalidation, mapSlot}: V1Options = {}): ExperimentPanel {
  const trainInput = Inputs.select([256, 1000, 2000, 5000, 20000, 60000], {label: "학습 이미지", value: 2000});
  const epochsInput = Inputs.select([1, 2, 3, 5], {label: "epoch", value: 1});
  const testInput = Inputs.select([200, 1000, 2000, 10000], {label: "테스트 이미지", value: 1000});
  const costs = v1Costs();
  const steps = ATTENTION_CNN_KINDS.map(() => 0);
  let data: {train: number; test: number; epochs: number} = {train: 0, test: 0, epochs: 0};
  let testSet: Dataset | null = null;
  const panel = runsPanel({
    claim: "V1",
    action: "세 모델 학습",
    idle: "버튼을 누르면 CNN, CNN + non-local block, local attention을 같은 batch로 번갈아 학습합니다.",
    settings: [trainInput, epochsInput, testInput],
    // a pause would count as a run's training time
    pausable: false,
    invalidation,
    async setup(ctx) {
      steps.fill(0);
      const digits = await loadDigits({
        train: trainInput.value as number,
        test: testInput.value as number,
        set: "fashion",
        signal: ctx.signal,
        onProgress: (text) => ctx.status(text)
      });
      ctx.defer(() => tf.dispose([digits.train.xs, digits.train.ys, digits.test.xs, digits.test.ys]));
      data = {train: digits.train.xs.shape[0], test: digits.test.xs.shape[0], epochs: epochsInput.value as number};
      testSet = digits.test;
      return {
        runs: ATTENTION_CNN_KINDS.map((kind) => ({
          name: ATTENTION_CNN_NAMES[kind],
          model: attentionCnn(kind, {}, {seed: SEED}),
          optimizer: tf.train.adam(ATTENTION_CNN_LEARNING_RATE)
        })),
        train: digits.train,
        options: {epochs: data.epochs, batchSize: VIT_RECIPE.batchSize, seed: SEED}
      };
    },
    onEvent(e) {
      if (e.event.type === "batch") steps[e.run]++;
    },
    async finish(result, ctx) {
      const test = testSet!;
      ctx.status("테스트 이미지로 정확도를 재는 중…");
      const rows: V1Row[] = [];
      for (const [i, run] of result.runs.entries()) {
        const {accuracy} = await evaluate(run.model, test);
        rows.push({
          name: run.name,
          accuracy,
          params: costs[i].params,
          macs: costs[i].macs,
          msPerStep: steps[i] ? (1000 * result.seconds[i]) / steps[i] : NaN,
          steps: steps[i]
        });
      }
      const table = simpleTable(
        ["모델", "테스트 정확도", "파라미터", "multiply-add", "step당 시간 (ms)", "step 수"],
        rows.map((r) => [
          r.name,
          `${(100 * r.accuracy).toFixed(1)}%`,
          r.params,
          r.macs,
          r.msPerStep.toFixed(0),
          r.steps
        ]),
        "v1-results"
      );
      const sentence = el("p", "experiment-result v1-sentence");
      sentence.textContent = describeV1(rows, {
        trainImages: data.train,
        testImages: data.test,
        epochs: data.epochs,
        batchSize: VIT_RECIPE.batchSize,
        stopped: result.stopped
      });
      sentence.dataset.rows = JSON.stringify(rows);
      sentence.dataset.conditions = JSON.stringify({...data, batchSize: VIT_RECIPE.batchSize, stopped: result.stopped});
      ctx.out.append(table, sentence);

      // the non-local block's maps for the first test images, read back before the models are disposed
      const nl = result.runs[ATTENTION_CNN_KINDS.indexOf("nonLocal")].model;
      const k = Math.min(MAP_IMAGES, test.xs.shape[0]);
      const [images, weights, labels] = tf.tidy(() => {
        const xs = tf.slice(test.xs, 0, k) as tf.Tensor4D;
        return [xs.reshape([k, -1]), nonLocalAttention(nl, xs), tf.argMax(tf.slice(test.ys, 0, k), -1)];
      });
      const grid = Math.round(Math.sqrt(weights.shape[1]));
      const maps: AttentionMaps = {
        images: (await images.data()) as Float32Array,
        weights: (await weights.data()) as Float32Array,
        labels: Array.from(await labels.data()),
        grid,
        imageSize: test.xs.shape[1] ?? 28
      };
      tf.dispose([images, weights, labels]);
      const heading = el(
        "p",
        "v1-attention-heading",
        `학습한 non-local block의 attention: ${grid}×${grid} 위치마다 query 하나가 ${grid * grid}곳 전부를 봅니다. ` +
          `파란 틀이 고른 query입니다. 주황은 이 query의 가장 작은 가중치(투명)부터 가장 큰 가중치(진한 주황)까지이고, 값은 아래 문장에 있습니다 ` +
          `(그림을 누르거나, 그림에 초점을 두고 화살표 키로 query를 옮길 수 있습니다).`
      );
      const picker = attentionPicker(maps);
      if (mapSlot) mapSlot.replaceChildren(heading, picker);
      else ctx.out.append(heading, picker);
    }
  });
  return tagged(panel, "v1");
}
