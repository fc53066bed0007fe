/**
 * The experiments of chapter 8's V4 and V5 (「Attention / Transformer for Vision」), each an `experimentPanel` of
 * the chapter kit. Nothing runs until the reader presses the button; every model, optimizer and tensor a run makes is
 * disposed when it ends.
 *
 *   v4Experiment   V4: the small ViT and a ResNet of about the same size on growing Fashion-MNIST subsets, the
 *                  same epochs per size; test accuracy against data size; then both last models on shifted test images
 *   v5Experiment   V5: the plain ViT against a ViT with the reader's switches (augmentation, regularization, DeiT
 *                  distillation from a ResNet teacher trained first), on the same batches and budget
 *   augmentPreview one Fashion-MNIST image shifted and mirrored by ../../../../lib/train/augment.ts
 *
 * The plan, the summary and the sentences are lib/ (train/data-scaling, train/distill, train/augment,
 * viz/vit-vs-resnet); this file only runs them and draws.
 */
import * as Plot from "@observablehq/plot";
import * as Inputs from "@observablehq/inputs";
import {tf} from "../../../lib/tf.js";
import {buildVit, VIT_PRESETS} from "../../../lib/models/vit.js";
import {
  COMPARED_TITLES,
  comparedOptimizer,
  VIT_VS_RESNET,
  type ComparedModel
} from "../../../lib/models/vit-vs-resnet.js";
import {VIT_RECIPE, vitOptimizer} from "../../../lib/train/vit-recipe.js";
import {evaluate, type Dataset} from "../../../lib/train/loop.js";
import {categoricalCrossEntropy} from "../../../lib/train/losses.js";
import {trainSideBySide, type SideBySideRun} from "../../../lib/train/side-by-side.js";
import {
  SCALING_SIZES,
  scalingSchedule,
  stepsFor,
  summarizeScaling,
  takeSubset,
  type ScalingResult,
  type ShiftRow
} from "../../../lib/train/data-scaling.js";
import {augmentPixels, batchAugmenter, drawAugmentations} from "../../../lib/train/augment.js";
import {mulberry32} from "../../../lib/random.js";
import {
  agreement,
  concatHeads,
  distillationDataset,
  hardDistillationLoss,
  predictClasses
} from "../../../lib/train/distill.js";
import {shiftImages} from "../../../lib/ops/shift.js";
import {describeImprovement, describeScaling, describeShift, scalingPoints} from "../../../lib/viz/vit-vs-resnet.js";
import {emptyHistory, lossCurve, pushTrainEvent, RUN_COLORS} from "../../../lib/viz/loss-curve.js";
import {fashionClassName} from "../../../lib/data/fashion-mnist.js";
import {loadDigits} from "../../shared/digits.js";
import {experimentPanel, tagged, type ExperimentContext, type ExperimentPanel} from "../../shared/experiment-panel.js";
import {el, nextFrame} from "../../shared/dom.js";

export interface PanelOptions {
  width?: number;
  invalidation?: Promise<unknown>;
}

/** The drawing width: the output area's, at most the page's and 900 px. */
const fit = (ctx: ExperimentContext, width: number) =>
  Math.max(300, Math.min(width, 900, ctx.out.clientWidth || width));
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const count = (n: number) => n.toLocaleString("en-US");
const logits = categoricalCrossEntropy({from: "logits"});
/** The seed of every model and of the batch order: the same run twice gives the same numbers on one device. */
const SEED = 8;
/** Pixels the V4 check moves the test images by (0 is the reference). */
const V4_SHIFTS = [0, 2, 4];

function table(rows: Record<string, string | number>[], className: string): HTMLElement {
  const t = el("table", className);
  const head = t.createTHead().insertRow();
  for (const k of Object.keys(rows[0] ?? {})) head.append(el("th", "", k));
  const body = t.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    for (const v of Object.values(r)) {
      const td = tr.insertCell();
      td.textContent = typeof v === "number" ? count(v) : v;
      if (typeof v === "number" || /^[\d.,]+%?$/.test(v)) td.className = "num";
    }
  }
  const scroll = el("div", "table-scroll");
  scroll.style.cssText = "overflow-x: auto; max-width: 100%";
  scroll.append(t);
  return scroll;
}

/** The class index of each one-hot row. */
async function labelsOf(ys: tf.Tensor): Promise<Int32Array> {
  const idx = tf.argMax(ys, -1);
  const out = (await idx.data()) as Int32Array;
  idx.dispose();
  return Int32Array.from(out);
}

const sizeChoices = [
  {label: `${SCALING_SIZES.quick.map(count).join(" · ")}장`, sizes: [...SCALING_SIZES.quick]},
  {label: `${SCALING_SIZES.long.map(count).join(" · ")}장 (오래 걸림)`, sizes: [...SCALING_SIZES.long]},
  {label: "100 · 300장 (빠른 확인)", sizes: [100, 300]}
];

/** The V4 chart: test accuracy against training-set size (log x), one line per model. */
function scalingChart(results: ScalingResult[], sizes: number[], testSize: number, width: number): HTMLElement {
  const summary = summarizeScaling(results, testSize);
  const points = scalingPoints(summary);
  const names = [COMPARED_TITLES.resnet, COMPARED_TITLES.vit];
  return Plot.plot({
    width: Math.min(width, 720),
    height: 280,
    marginLeft: 50,
    marginRight: 60,
    x: {
      type: "log",
      label: "학습 이미지 수 (로그 눈금) →",
      domain: [sizes[0] / 1.3, sizes.at(-1)! * 1.3],
      ticks: sizes,
      tickFormat: (d: number) => count(d)
    },
    y: {label: "↑ 테스트 정확도", domain: [0, 1], grid: true, tickFormat: "%"},
    color: {domain: names, range: RUN_COLORS},
    // the models' points differ in shape too, not by colour alone (WCAG 1.4.1); the legend shows shape and colour
    symbol: {legend: true, domain: names},
    marks: [
      // z explicit: with one size so far, each model is one point, and Plot would warn of an implicit high-cardinality z
      Plot.line(points, {x: "size", y: "accuracy", z: "model", stroke: "model"}),
      Plot.dot(points, {x: "size", y: "accuracy", fill: "model", symbol: "model", r: 3.5}),
      // labels above the ResNet's dots and below the ViT's, so that close values do not overlap
      ...names.map((name, i) =>
        Plot.text(
          points.filter((p) => p.model === name),
          {
            x: "size",
            y: "accuracy",
            text: (d: {accuracy: number}) => pct(d.accuracy),
            dy: i === 0 ? -10 : 12,
            fill: RUN_COLORS[i],
            fontSize: 10
          }
        )
      )
    ]
  }) as unknown as HTMLElement;
}

/** V4: ViT against ResNet on growing subsets, the same epochs per size; accuracy against data size. */
export function v4Experiment({width = 900, invalidation}: PanelOptions = {}): ExperimentPanel {
  const sizesInput = Inputs.select(sizeChoices, {
    label: "학습 이미지 수",
    format: (c: (typeof sizeChoices)[number]) => c.label,
    value: sizeChoices[0]
  });
  const epochsInput = Inputs.select([1, 2, 3, 5], {label: "epoch", value: 1});
  const testInput = Inputs.select([500, 2000, 10000], {label: "테스트 이미지", value: VIT_RECIPE.validationSize});
  const panel = experimentPanel({
    claim: "V4",
    action: "데이터 크기별 학습",
    idle: "버튼을 누르면 크기마다 ResNet과 ViT를 같은 batch로 번갈아 학습하고 테스트 정확도를 잽니다.",
    settings: [sizesInput, epochsInput, testInput],
    invalidation,
    async run(ctx) {
      const sizes = (sizesInput.value as (typeof sizeChoices)[number]).sizes;
      const epochs = epochsInput.value as number;
      const testSize = testInput.value as number;
      const {batchSize} = VIT_RECIPE;
      const schedule = scalingSchedule(sizes);
      const data = await loadDigits({
        train: sizes.at(-1)!,
        test: testSize,
        set: "fashion",
        signal: ctx.signal,
        onProgress: (t) => ctx.status(t)
      });
      ctx.defer(() => tf.dispose([data.train.xs, data.train.ys, data.test.xs, data.test.ys]));
      const curves = el("div", "v4-curves");
      const chart = el("div", "v4-chart");
      const sentence = el("p", "v4-sentence");
      const shiftBox = el("div", "v4-shift");
      ctx.out.append(chart, sentence, curves, shiftBox);
      const results: ScalingResult[] = [];
      const draw = () => {
        chart.replaceChildren(
          scalingChart(
            results,
            schedule.map((s) => s.size),
            testSize,
            fit(ctx, width)
          )
        );
      };
      draw();
      const total = schedule.reduce((s, step) => s + 2 * stepsFor(step.size, epochs, batchSize), 0);
      let done = 0;
      let kept: {model: ComparedModel; net: tf.LayersModel}[] = [];
      const disposeKept = () => {
        kept.forEach((k) => k.net.dispose());
        kept = [];
      };
      ctx.defer(disposeKept);
      for (const step of schedule) {
        disposeKept();
        const subset = takeSubset(data.train, step.size);
        const runs: (SideBySideRun & {key: ComparedModel})[] = step.models.map((key) => ({
          key,
          name: COMPARED_TITLES[key],
          model: VIT_VS_RESNET[key]({seed: SEED}),
          optimizer: comparedOptimizer(key)
        }));
        kept = runs.map((r) => ({model: r.key, net: r.model}));
        const histories = runs.map(() => emptyHistory());
        const seconds = runs.map(() => 0);
        let lastDraw = 0;
        try {
          for await (const e of trainSideBySide(runs, {
            train: subset,
            loss: logits,
            epochs,
            batchSize,
            seed: SEED,
            signal: ctx.signal,
            controller: ctx.controller,
            between: nextFrame
          })) {
            pushTrainEvent(histories[e.run], e.event);
            seconds[e.run] = e.seconds;
            if (e.event.type === "batch") {
              ctx.progress(++done / total);
              ctx.status(
                `${count(step.size)}장: ${e.name} epoch ${e.event.epoch + 1}/${epochs}, batch ${e.event.batch + 1}/${e.event.batches}`
              );
            }
            if (performance.now() - lastDraw > 300) {
              lastDraw = performance.now();
              curves.replaceChildren(
                lossCurve(
                  runs.map((r, i) => ({name: `${r.name} (${count(step.size)}장)`, history: histories[i]})),
                  {width: fit(ctx, width), epochs, height: 150, readout: false}
                )
              );
            }
          }
        } finally {
          runs.forEach((r) => r.optimizer.dispose());
          tf.dispose([subset.xs, subset.ys]);
        }
        if (ctx.signal.aborted) return;
        ctx.status(`${count(step.size)}장: 테스트 이미지 ${count(testSize)}장으로 평가하는 중…`);
        for (const [i, r] of runs.entries()) {
          const {accuracy} = await evaluate(r.model, data.test, {loss: logits});
          results.push({model: r.key, size: step.size, accuracy, seconds: seconds[i]});
        }
        draw();
        sentence.textContent = describeScaling(summarizeScaling(results, testSize), {epochs, testSize});
        // what the sentence was written from, for tests and readers' tools
        sentence.dataset.results = JSON.stringify(results);
        sentence.dataset.run = JSON.stringify({epochs, testSize});
        await nextFrame();
      }
      curves.replaceChildren();
      // inductive bias: the same test images moved right, for both models of the largest size
      ctx.status("테스트 이미지를 옮겨 평가하는 중…");
      const shiftRows: ShiftRow[] = [];
      for (const shift of V4_SHIFTS) {
        await ctx.checkpoint();
        if (ctx.signal.aborted) return;
        const xs = shift === 0 ? data.test.xs : shiftImages(data.test.xs as tf.Tensor4D, shift, 0);
        try {
          for (const k of kept) {
            const {accuracy} = await evaluate(k.net, {xs, ys: data.test.ys}, {loss: logits});
            shiftRows.push({model: k.model, shift, accuracy});
          }
        } finally {
          if (xs !== data.test.xs) xs.dispose();
        }
      }
      const trainSize = schedule.at(-1)!.size;
      shiftBox.dataset.rows = JSON.stringify(shiftRows);
      shiftBox.dataset.trainSize = String(trainSize);
      shiftBox.replaceChildren(
        el("p", "v4-shift-sentence", describeShift(shiftRows, trainSize)),
        table(
          (["resnet", "vit"] as const).map((m) => ({
            모델: COMPARED_TITLES[m],
            ...Object.fromEntries(
              V4_SHIFTS.map((s) => [
                `${s}픽셀 이동`,
                pct(shiftRows.find((r) => r.model === m && r.shift === s)!.accuracy)
              ])
            )
          })),
          "v4-shift-table"
        )
      );
      ctx.status(`끝났습니다: ${count(trainSize)}장까지 ${schedule.length}가지 크기.`);
    }
  });
  return tagged(panel, "v4");
}

/** The switches of V5, in the order the sentence lists them. */
const SWITCHES = {
  shift: "이동 (±2픽셀)",
  flip: "좌우 뒤집기",
  smoothing: "label smoothing (ε = 0.1)",
  dropout: "dropout (0.1)",
  dropPath: "stochastic depth (0.1)",
  distill: "distillation (ResNet teacher)"
} as const;
/** The same switches, as the sentence names them. */
const SWITCH_NAMES: Record<keyof typeof SWITCHES, string> = {
  shift: "이동",
  flip: "좌우 뒤집기",
  smoothing: "label smoothing",
  dropout: "dropout",
  dropPath: "stochastic depth",
  distill: "distillation"
};
type SwitchKey = keyof typeof SWITCHES;
const SWITCH_KEYS = Object.keys(SWITCHES) as SwitchKey[];
/**
 * DeiT's label smoothing; a dropout rate for a network this small; the stochastic-depth rate of the last block (timm's
 * linear rule from 0 at the first block, `dropPathRate` of ../../../lib/models/vit.ts; DeiT trains with 0.1).
 */
const EPSILON = 0.1;
const DROPOUT = 0.1;
const DROP_PATH = 0.1;
const SHIFT = 2;

/**
 * The V5 curves' caption: with distillation the two models minimise different objectives (the student's loss is
 * ½·CE to the labels + ½·CE to the teacher's answers), so the loss lines are each model's own objective; the
 * epoch-end validation values are joined by a line only from 2 epochs on.
 */
export function v5Caption(student: boolean, epochs: number): string {
  const objective = student
    ? "각 모델의 학습 목표 (서로 다름: 기본 ViT는 CE, DeiT student는 ½·CE(정답) + ½·CE(teacher의 답))"
    : "각 모델의 학습 loss";
  const dots = epochs >= 2 ? "점과 굵은 선: epoch 끝의 검증 값" : "점: epoch 끝의 검증 값";
  return `가는 선: 배치마다 ${objective} (지수 평활) · ${dots}`;
}

/** Train one model alone (V5's teacher), with progress in the status line. */
async function trainAlone(
  ctx: ExperimentContext,
  run: SideBySideRun,
  data: Dataset,
  epochs: number,
  label: string
): Promise<void> {
  for await (const e of trainSideBySide([run], {
    train: data,
    loss: logits,
    epochs,
    batchSize: VIT_RECIPE.batchSize,
    seed: SEED,
    signal: ctx.signal,
    controller: ctx.controller,
    between: nextFrame
  })) {
    if (e.event.type === "batch") {
      ctx.status(`${label}: epoch ${e.event.epoch + 1}/${epochs}, batch ${e.event.batch + 1}/${e.event.batches}`);
    }
  }
}

/** V5: the plain ViT against a ViT with the chosen improvements, on the same batches and budget. */
export function v5Experiment({width = 900, invalidation}: PanelOptions = {}): ExperimentPanel {
  const switchesInput = Inputs.checkbox(SWITCH_KEYS, {
    label: "켤 방법",
    format: (k: SwitchKey) => SWITCHES[k],
    value: ["distill"]
  });
  const trainInput = Inputs.select([256, 2000, 4000, 8000], {label: "학습 이미지 수", value: 2000});
  const epochsInput = Inputs.select([1, 2, 3, 5], {label: "epoch", value: 2});
  const testInput = Inputs.select([500, 2000, 10000], {label: "테스트 이미지", value: VIT_RECIPE.validationSize});
  const panel = experimentPanel({
    claim: "V5",
    action: "ViT 개선 비교",
    idle: "버튼을 누르면 (distillation을 켰으면 teacher ResNet을 먼저 학습하고) 기본 ViT와 개선한 ViT를 같은 batch로 학습합니다.",
    settings: [switchesInput, trainInput, epochsInput, testInput],
    invalidation,
    async run(ctx) {
      const on = new Set(switchesInput.value as SwitchKey[]);
      const trainSize = trainInput.value as number;
      const epochs = epochsInput.value as number;
      const testSize = testInput.value as number;
      const data = await loadDigits({
        train: trainSize,
        test: testSize,
        set: "fashion",
        signal: ctx.signal,
        onProgress: (t) => ctx.status(t)
      });
      ctx.defer(() => tf.dispose([data.train.xs, data.train.ys, data.test.xs, data.test.ys]));
      const labels = await labelsOf(data.test.ys);
      const preview = el("div", "v5-preview");
      const teacherBox = el("p", "v5-teacher");
      const curves = el("div", "v5-curves");
      const result = el("div", "v5-result");
      ctx.out.append(preview, teacherBox, curves, result);

      // 1. the teacher, when distillation is on: the comparison's ResNet trained on the same images and epochs
      let teacher: tf.LayersModel | undefined;
      let teacherClasses: Int32Array | undefined;
      const owned: tf.Tensor[] = [];
      ctx.defer(() => {
        teacher?.dispose();
        tf.dispose(owned);
      });
      if (on.has("distill")) {
        teacher = VIT_VS_RESNET.resnet({seed: SEED});
        const optimizer = comparedOptimizer("resnet");
        try {
          await trainAlone(ctx, {name: "teacher", model: teacher, optimizer}, data.train, epochs, "teacher (ResNet)");
        } finally {
          optimizer.dispose();
        }
        if (ctx.signal.aborted) return;
        teacherClasses = await predictClasses(teacher, data.test.xs);
        teacherBox.textContent =
          `teacher (ResNet, ${count(teacher.countParams())}개 파라미터): 학습 이미지 ${count(trainSize)}장, ${epochs} epoch, ` +
          `테스트 정확도 ${pct(agreement(teacherClasses, labels))}.`;
      }

      // 2. the plain ViT and the improved one, side by side on the same batches
      const student = on.has("distill");
      const config = {
        ...(student ? VIT_PRESETS.tinyDistilled : VIT_PRESETS.tiny),
        dropout: on.has("dropout") ? DROPOUT : 0,
        dropPath: on.has("dropPath") ? DROP_PATH : 0
      };
      const built = buildVit(config, {seed: SEED});
      const improvedModel = student ? concatHeads(built) : built;
      const improvedLoss = student
        ? hardDistillationLoss({labelSmoothing: on.has("smoothing") ? EPSILON : 0})
        : categoricalCrossEntropy({from: "logits", labelSmoothing: on.has("smoothing") ? EPSILON : 0});
      let trainSet = data.train;
      let testSet = data.test;
      if (student && teacher) {
        trainSet = distillationDataset(data.train, teacher);
        testSet = distillationDataset(data.test, teacher);
        owned.push(trainSet.ys, testSet.ys);
      }
      const augment =
        on.has("shift") || on.has("flip")
          ? batchAugmenter({shift: on.has("shift") ? SHIFT : 0, flip: on.has("flip"), seed: SEED})
          : undefined;
      if (augment) {
        // what the augmentation does to the first training image (the same kind of draws as in training)
        const [first, firstY] = [data.train.xs.slice(0, 1), data.train.ys.slice(0, 1)];
        const pixels = (await first.data()) as Float32Array;
        const label = (await labelsOf(firstY))[0];
        tf.dispose([first, firstY]);
        const draws = drawAugmentations(
          3,
          {shift: on.has("shift") ? SHIFT : 0, flip: on.has("flip")},
          mulberry32(SEED)
        );
        preview.replaceChildren(
          el("p", "", "augmentation 예: 학습 이미지 하나를 매 batch 이렇게 바꿔 넣습니다."),
          augmentPreview({pixels, label}, draws)
        );
      }
      const switches = SWITCH_KEYS.filter((k) => on.has(k)).map((k) => SWITCH_NAMES[k]);
      const improvedName = student ? "DeiT student" : switches.length ? "ViT + 개선" : "ViT (같은 설정)";
      const runs: SideBySideRun[] = [
        {name: "기본 ViT", model: VIT_VS_RESNET.vit({seed: SEED}), optimizer: vitOptimizer()},
        {
          name: improvedName,
          model: improvedModel,
          optimizer: vitOptimizer(),
          options: {train: trainSet, validation: testSet, loss: improvedLoss, augment}
        }
      ];
      ctx.defer(() => {
        for (const r of runs) {
          r.optimizer.dispose();
          r.model.dispose();
        }
      });
      const histories = runs.map(() => emptyHistory());
      const total = 2 * stepsFor(trainSize, epochs, VIT_RECIPE.batchSize);
      let done = 0;
      let lastDraw = 0;
      const draw = () =>
        curves.replaceChildren(
          lossCurve(
            runs.map((r, i) => ({name: r.name, history: histories[i]})),
            // no end-of-line readouts (they overlapped the lines' ends): the legend names the lines, the table gives
            // the numbers; the caption says what "loss" is for each model
            {width: fit(ctx, width), epochs, height: 170, readout: false, caption: v5Caption(student, epochs)}
          )
        );
      draw();
      for await (const e of trainSideBySide(runs, {
        train: data.train,
        validation: data.test,
        loss: logits,
        epochs,
        batchSize: VIT_RECIPE.batchSize,
        seed: SEED,
        signal: ctx.signal,
        controller: ctx.controller,
        between: nextFrame
      })) {
        pushTrainEvent(histories[e.run], e.event);
        if (e.event.type === "batch") {
          ctx.progress(++done / total);
          ctx.status(`${e.name}: epoch ${e.event.epoch + 1}/${epochs}, batch ${e.event.batch + 1}/${e.event.batches}`);
        }
        if (performance.now() - lastDraw > 300) {
          draw();
          lastDraw = performance.now();
        }
      }
      draw();
      if (ctx.signal.aborted) return;

      // 3. the table and the sentence, from the test images
      ctx.status("테스트 이미지로 평가하는 중…");
      const base = await predictClasses(runs[0].model, data.test.xs);
      const improved = await predictClasses(runs[1].model, data.test.xs, {heads: student ? 2 : 1});
      const agree = (c: Int32Array) => (teacherClasses ? agreement(c, teacherClasses) : NaN);
      const rows = {
        baseline: {name: "기본 ViT", accuracy: agreement(base, labels), agreement: agree(base)},
        improved: {name: improvedName, accuracy: agreement(improved, labels), agreement: agree(improved)},
        teacher: teacherClasses
          ? {name: "teacher (ResNet)", accuracy: agreement(teacherClasses, labels), agreement: 1}
          : undefined
      };
      const shown = [rows.baseline, rows.improved, ...(rows.teacher ? [rows.teacher] : [])];
      const run = {switches, epochs, trainSize: data.train.xs.shape[0], testSize: labels.length};
      result.dataset.rows = JSON.stringify(rows);
      result.dataset.run = JSON.stringify(run);
      result.replaceChildren(
        table(
          shown.map((r) => ({
            모델: r.name,
            "테스트 정확도": pct(r.accuracy),
            "teacher와 같은 답": Number.isNaN(r.agreement) ? "—" : pct(r.agreement)
          })),
          "v5-table"
        ),
        el("p", "v5-sentence", describeImprovement(rows, run))
      );
      ctx.status("끝났습니다.");
    }
  });
  return tagged(panel, "v5");
}

/** "오른쪽 1 · 위 2" for a move of dx = 1, dy = −2 pixels. */
function moveText(dy: number, dx: number): string {
  const parts = [
    dx > 0 ? `오른쪽 ${dx}` : dx < 0 ? `왼쪽 ${-dx}` : "",
    dy > 0 ? `아래 ${dy}` : dy < 0 ? `위 ${-dy}` : ""
  ].filter(Boolean);
  return parts.length ? `이동 ${parts.join(" · ")}` : "";
}

/** One image as it is, then shifted and mirrored by the given draws, as V5's augmentation does (canvases). */
export function augmentPreview(
  image: {pixels: Float32Array; label: number},
  draws: {dy: number; dx: number; flip: boolean}[],
  scale = 3
): HTMLElement {
  const box = el("div", "augment-preview");
  box.style.cssText = "display: flex; flex-wrap: wrap; gap: 12px";
  const shape = [1, 28, 28, 1] as const;
  for (const d of [{dy: 0, dx: 0, flip: false}, ...draws]) {
    const out = augmentPixels(image.pixels, shape, [d]);
    const canvas = el("canvas", "augment-image");
    canvas.width = canvas.height = 28;
    canvas.style.cssText = `width: ${28 * scale}px; height: ${28 * scale}px; image-rendering: pixelated; border: 1px solid #ccc`;
    const ctx2d = canvas.getContext("2d")!;
    const img = ctx2d.createImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      const v = 255 - Math.round(255 * out[i]);
      img.data.set([v, v, v, 255], 4 * i);
    }
    ctx2d.putImageData(img, 0, 0);
    const fig = el("figure", "augment-figure");
    fig.style.margin = "0";
    const what =
      d.dx === 0 && d.dy === 0 && !d.flip
        ? "원본"
        : [d.flip ? "뒤집기" : "", moveText(d.dy, d.dx)].filter(Boolean).join(" + ");
    fig.append(canvas, el("figcaption", "", what));
    box.append(fig);
  }
  box.append(el("p", "augment-label", `레이블: ${fashionClassName(image.label)} (모든 그림에서 그대로)`));
  return box;
}
