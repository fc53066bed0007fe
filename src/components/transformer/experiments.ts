/**
 * The experiments of chapter 7 「Transformer」, each an `experimentPanel` of the chapter kit. Nothing runs until the
 * reader presses the button; what a run makes is disposed when it ends (the heads panel keeps its trained model for
 * the reader's inputs until the next run or until the page cell re-runs).
 *
 *   t1Experiment     T1: the small Transformer and chapter 5's LSTM seq2seq with attention on the same date task
 *   t2Experiment     T2: activation statistics and gradient norms through a deep stack, with and without Add & Norm
 *   headsExperiment  the attention heads of a trained small Transformer on the reader's own input
 *
 * The models, the task, training and statistics are lib/ (models/transformer, models/seq2seq, data/dates,
 * train/side-by-side, train/deep-stack); the sentences are lib/viz/transformer.ts, written from the run's numbers.
 */
import * as Plot from "@observablehq/plot";
import * as Inputs from "@observablehq/inputs";
import {tf} from "../../lib/tf.js";
import {
  dateTask,
  encodePairs,
  encodeSource,
  END,
  PAD,
  referenceTarget,
  SOURCE_VOCAB,
  sourceTokens,
  START,
  TARGET_VOCAB,
  targetTokens,
  joinTarget,
  type DateExample,
  type EncodedPairs
} from "../../lib/data/dates.js";
import {
  dateTransformer,
  greedyDecodeTransformer,
  TRANSFORMER_PRESETS,
  transformerAttentionMaps
} from "../../lib/models/transformer.js";
import {evaluate as evaluateSeq2seq, seq2seq, SEQ2SEQ_DEFAULTS, translationLoss} from "../../lib/models/seq2seq.js";
import {evaluate, type Dataset} from "../../lib/train/loop.js";
import {trainSideBySide, type SideBySideRun} from "../../lib/train/side-by-side.js";
import {deepStackStats} from "../../lib/train/deep-stack.js";
import {RUN_COLORS} from "../../lib/viz/loss-curve.js";
import {
  architectureSvg,
  describeT1,
  describeT2,
  sequentialSteps,
  summarizeT2,
  type T1Row,
  type T2Variant
} from "../../lib/viz/transformer.js";
import {presetArchitecture} from "./architecture.js";
import {experimentPanel, tagged, type ExperimentPanel} from "../shared/experiment-panel.js";
import {el, nextFrame} from "../shared/dom.js";

function table(rows: Record<string, string | number>[], className: string): HTMLElement {
  const t = el("table", className);
  const head = t.createTHead().insertRow();
  for (const k of Object.keys(rows[0] ?? {})) head.append(el("th", "", k));
  const body = t.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    for (const v of Object.values(r)) {
      const td = tr.insertCell();
      // counts in full (a parameter count rounded to 4 digits would disagree with the structure section's)
      td.textContent =
        typeof v !== "number"
          ? v
          : Number.isInteger(v)
            ? v.toLocaleString("en-US")
            : v.toLocaleString("en-US", {maximumSignificantDigits: 4});
      if (typeof v === "number") td.className = "num";
    }
  }
  const scroll = el("div", "table-scroll");
  scroll.style.cssText = "overflow-x: auto; max-width: 100%";
  scroll.append(t);
  return scroll;
}

const taskDims = (lengths: {source: number; target: number}) => ({
  sourceLength: lengths.source,
  targetLength: lengths.target,
  sourceVocab: SOURCE_VOCAB.size,
  targetVocab: TARGET_VOCAB.size
});

const disposePairs = (p: EncodedPairs) => tf.dispose([p.source, p.decoderInput, p.target]);

/** Greedy decoding of a token Transformer on examples: the share whose output (and END) is exactly the target. */
async function transformerSequenceAccuracy(
  model: tf.LayersModel,
  source: tf.Tensor2D,
  examples: DateExample[]
): Promise<number> {
  const {ids, ended} = await greedyDecodeTransformer(model, source, {start: START, end: END, pad: PAD});
  const right = examples.filter((e, i) => {
    const want = targetTokens(e.target);
    const got = ids[i].map((id) => TARGET_VOCAB.tokens[id]);
    return ended[i] && want.length === got.length && want.every((t, k) => got[k] === t);
  }).length;
  return right / examples.length;
}

export interface PanelOptions {
  width?: number;
  invalidation?: Promise<unknown>;
}

/** Learning rate of the small Transformer (the bench's, tests/bench/transformer.ts); the LSTM keeps chapter 5's. */
const TRANSFORMER_LEARNING_RATE = 0.003;
/** Held-out examples for the accuracy curve and the final greedy decoding. */
const PROBE = 200;

/** T1: both models in turns on the same batches; held-out token accuracy against each one's own training time. */
export function t1Experiment({width = 900, invalidation}: PanelOptions = {}): ExperimentPanel {
  const epochsInput = Inputs.select([1, 2, 5, 10], {label: "epoch", value: 5});
  const examplesInput = Inputs.select([256, 1000, SEQ2SEQ_DEFAULTS.train], {
    label: "학습 예제 수",
    value: SEQ2SEQ_DEFAULTS.train
  });
  return experimentPanel({
    claim: "T1",
    action: "두 모델 학습",
    idle: "버튼을 누르면 Transformer와 LSTM seq2seq를 같은 batch로 번갈아 학습합니다.",
    settings: [epochsInput, examplesInput],
    // a pause would count as training time (each run's time is the time of its own steps)
    pausable: false,
    invalidation,
    async run(ctx) {
      const epochs = epochsInput.value as number;
      const examples = examplesInput.value as number;
      const batchSize = SEQ2SEQ_DEFAULTS.batchSize;
      const task = dateTask({
        train: examples,
        test: SEQ2SEQ_DEFAULTS.test,
        seed: SEQ2SEQ_DEFAULTS.seed,
        maxDates: SEQ2SEQ_DEFAULTS.maxDates
      });
      const lengths = {source: task.sourceLength, target: task.targetLength};
      const probeExamples = task.test.slice(0, PROBE);
      const trainPairs = encodePairs(task.train, lengths);
      const probePairs = encodePairs(probeExamples, lengths);
      ctx.defer(() => [trainPairs, probePairs].forEach(disposePairs));
      const trainSet: Dataset<tf.Tensor[]> = {xs: [trainPairs.source, trainPairs.decoderInput], ys: trainPairs.target};
      const probeSet: Dataset<tf.Tensor[]> = {xs: [probePairs.source, probePairs.decoderInput], ys: probePairs.target};

      const transformer = dateTransformer(taskDims(lengths), {}, {seed: SEQ2SEQ_DEFAULTS.seed});
      const lstm = seq2seq({
        sourceVocab: SOURCE_VOCAB.size,
        targetVocab: TARGET_VOCAB.size,
        cell: "lstm",
        attention: "dot",
        lengths
      });
      const runs: SideBySideRun[] = [
        {name: "Transformer", model: transformer, optimizer: tf.train.adam(TRANSFORMER_LEARNING_RATE)},
        {name: "LSTM + attention", model: lstm.model, optimizer: tf.train.adam(SEQ2SEQ_DEFAULTS.learningRate)}
      ];
      ctx.defer(() => {
        runs.forEach((r) => r.optimizer.dispose());
        transformer.dispose();
        lstm.dispose();
      });
      const preset = TRANSFORMER_PRESETS.dates;
      const steps = [
        sequentialSteps({
          kind: "transformer",
          encoderLayers: preset.encoderLayers,
          decoderLayers: preset.decoderLayers
        }),
        sequentialSteps({kind: "rnn", sourceLength: lengths.source, targetLength: lengths.target})
      ];
      const loss = translationLoss();
      const probeAccuracy = async (model: tf.LayersModel) => (await evaluate(model, probeSet, {loss})).accuracy;
      const curves: T1Row["curve"][] = [[], []];
      for (const [i, r] of runs.entries()) curves[i].push({seconds: 0, accuracy: await probeAccuracy(r.model)});
      const seconds = [0, 0];

      const chart = el("div", "t1-chart");
      const resultBox = el("div", "t1-result");
      ctx.out.append(chart, resultBox);
      const draw = () => {
        const data = curves.flatMap((c, i) => c.map((p) => ({...p, name: runs[i].name})));
        chart.replaceChildren(
          Plot.plot({
            width: Math.min(width, 900),
            height: 260,
            marginLeft: 50,
            marginRight: 110,
            x: {label: "학습 시간 (s, 각 모델 자신의 step 시간의 합) →", grid: true},
            y: {label: "↑ held-out 토큰 정확도", domain: [0, 1], grid: true, tickFormat: "%"},
            color: {legend: true, domain: runs.map((r) => r.name), range: RUN_COLORS},
            marks: [
              Plot.line(data, {x: "seconds", y: "accuracy", stroke: "name", marker: "dot"}),
              Plot.text(
                runs.map((r, i) => ({...curves[i].at(-1)!, name: r.name})),
                {x: "seconds", y: "accuracy", text: "name", dx: 6, textAnchor: "start", fill: "name"}
              )
            ]
          })
        );
      };
      draw();
      const batches = Math.ceil(examples / batchSize);
      const evalEvery = Math.max(1, Math.round(batches / 8));
      const total = runs.length * epochs * batches;
      let done = 0;
      let lastDraw = 0;
      for await (const e of trainSideBySide(runs, {
        train: trainSet,
        loss,
        epochs,
        batchSize,
        seed: SEQ2SEQ_DEFAULTS.seed,
        signal: ctx.signal,
        controller: ctx.controller,
        // whole batches for both: the time of a step is the time of that model's batch
        taskBudgetMs: Infinity,
        between: nextFrame
      })) {
        if (e.event.type !== "batch") continue;
        seconds[e.run] = e.seconds;
        ctx.progress(++done / total);
        ctx.status(`${e.name}: epoch ${e.event.epoch + 1}/${epochs}, batch ${e.event.batch + 1}/${batches}`);
        const last = e.event.batch === e.event.batches - 1;
        if (last || (e.event.batch + 1) % evalEvery === 0) {
          // between steps: not counted in the run's time
          curves[e.run].push({seconds: e.seconds, accuracy: await probeAccuracy(runs[e.run].model)});
        }
        if (performance.now() - lastDraw > 300) {
          draw();
          lastDraw = performance.now();
        }
      }
      draw();
      if (ctx.signal.aborted) return;

      ctx.status("held-out 예제를 greedy decoding으로 번역하는 중…");
      await nextFrame();
      const sequence = [
        await transformerSequenceAccuracy(transformer, probePairs.source, probeExamples),
        evaluateSeq2seq(lstm, probeExamples, lengths).sequenceAccuracy
      ];
      const rows = runs.map((r, i): T1Row => ({
        name: r.name,
        params: r.model.countParams(),
        secondsPerEpoch: seconds[i] / epochs,
        sequentialSteps: steps[i],
        curve: curves[i],
        sequenceAccuracy: sequence[i]
      })) as [T1Row, T1Row];
      resultBox.append(
        table(
          rows.map((r) => ({
            모델: r.name,
            파라미터: r.params,
            "epoch당 시간 (s)": r.secondsPerEpoch,
            "예제/s": (examples * epochs) / (r.secondsPerEpoch * epochs),
            "순차 단계 (batch당)": r.sequentialSteps,
            "토큰 정확도 (학습 끝)": `${(100 * r.curve.at(-1)!.accuracy).toFixed(1)}%`,
            "시퀀스 정확도 (greedy)": `${(100 * r.sequenceAccuracy).toFixed(1)}%`
          })),
          "t1-table"
        ),
        el(
          "p",
          "small muted",
          `held-out: 학습에 없는 예제 ${probeExamples.length}개 (source ${lengths.source}, target ${lengths.target} 토큰까지). ` +
            `학습률: Transformer ${TRANSFORMER_LEARNING_RATE}, LSTM ${SEQ2SEQ_DEFAULTS.learningRate} (5장의 값), batch ${batchSize}.`
        )
      );
      const sentence = el("p", "experiment-result");
      const run = {
        backend: tf.getBackend(),
        epochs,
        examples,
        cores: typeof navigator !== "undefined" ? navigator.hardwareConcurrency : undefined
      };
      sentence.textContent = describeT1(rows, run);
      sentence.dataset.rows = JSON.stringify(rows);
      sentence.dataset.run = JSON.stringify(run);
      resultBox.append(sentence);
      ctx.status("끝났습니다.");
    }
  });
}

const T2_VARIANTS = [
  {name: "Add & Norm", residual: true, norm: true},
  {name: "Add만", residual: true, norm: false},
  {name: "Norm만", residual: false, norm: true},
  {name: "둘 다 없음", residual: false, norm: false}
];

/** One T2 point: a layer's output std and the gradient norm at its input (NaN at the input, layer 0). */
export interface T2Point {
  layer: number;
  std: number;
  grad: number;
  name: string;
}

/**
 * One of T2's two charts (`std`: from the input, layer 0; `grad`: from layer 1). One line mark per variant, Add & Norm
 * wide underneath, the others dashed, so equal curves stay visible; each variant's points have their own shape, and the
 * legend shows the shapes with the names (colour is not the only carrier, WCAG 1.4.1).
 */
export function t2Chart(points: T2Point[], names: string[], y: "std" | "grad", {width = 440} = {}) {
  const from = y === "std" ? 0 : 1;
  const shown = points.filter((p) => p.layer >= from);
  return Plot.plot({
    width,
    height: 240,
    marginLeft: 55,
    x: {label: y === "std" ? "층 →" : "층 (입력 쪽) →", grid: true},
    y: {
      label: y === "std" ? "↑ 출력의 표준편차 (log)" : "↑ ‖∂L/∂(층의 입력)‖ (log)",
      type: "log",
      grid: true,
      tickFormat: "~g"
    },
    color: {domain: names, range: RUN_COLORS},
    symbol: {legend: true, domain: names, range: ["circle", "square", "triangle", "diamond"]},
    marks: [
      ...names.map((name, i) =>
        Plot.line(
          shown.filter((p) => p.name === name),
          {
            x: "layer",
            y,
            stroke: "name",
            strokeWidth: i === 0 ? 4 : 1.5,
            strokeOpacity: i === 0 ? 0.6 : 1,
            strokeDasharray: i === 0 ? undefined : "6 3"
          }
        )
      ),
      Plot.dot(shown, {x: "layer", y, fill: "name", symbol: "name", r: 3.5})
    ]
  });
}

/** Places outside the T2 panel that follow it: the stack's diagram (its settings) and the summary's T2 line (its run). */
export interface T2Slots {
  diagram: HTMLElement;
  verdict: HTMLElement;
}

export function t2Slots(): T2Slots {
  const diagram = el("div", "t2-block");
  const verdict = el("span", "t2-verdict", "아직 없습니다 (T2를 실행하면 이 자리에 그 판정이 들어갑니다).");
  return {diagram, verdict};
}

/**
 * The stack T2 measures, drawn from the small preset's encoder layer (d = 32, 2 heads, d_ff = 64: deepStackStats'
 * defaults) with the panel's depth and norm placement; its input is the N(0, 1) probe, not tokens.
 */
export function t2StackSvg(layers: number, normFirst: boolean): string {
  const a = presetArchitecture("dates", normFirst);
  return architectureSvg({...a, tokens: null, encoder: {...a.encoder, layers}}, {width: 380, only: "encoder"});
}

/** T2: the same deep stack with and without the residual connection and LayerNorm: scale and gradient per layer. */
export function t2Experiment({
  width = 900,
  invalidation,
  slots
}: PanelOptions & {slots?: T2Slots} = {}): ExperimentPanel {
  const layersInput = Inputs.select([6, 12, 24], {label: "층 수", value: 12});
  const placeInput = Inputs.select(
    new Map([
      ["post-norm (논문)", false],
      ["pre-norm", true]
    ]),
    {
      label: "LayerNorm 위치",
      value: false
    }
  );
  const drawDiagram = () => {
    if (!slots) return;
    slots.diagram.innerHTML = t2StackSvg(layersInput.value as number, placeInput.value as boolean);
    slots.diagram.dataset.layers = String(layersInput.value);
  };
  layersInput.addEventListener("input", drawDiagram);
  placeInput.addEventListener("input", drawDiagram);
  drawDiagram();
  return experimentPanel({
    claim: "T2",
    action: "네 가지 stack 재기",
    idle: "버튼을 누르면 같은 입력과 가중치 seed로 네 가지 stack을 한 번씩 순전파 · 역전파합니다 (학습하지 않음).",
    settings: [layersInput, placeInput],
    invalidation,
    async run(ctx) {
      const layers = layersInput.value as number;
      const normFirst = placeInput.value as boolean;
      const variants: T2Variant[] = [];
      for (const [i, v] of T2_VARIANTS.entries()) {
        await ctx.checkpoint();
        if (ctx.signal.aborted) return;
        ctx.status(`${v.name}: ${layers}개 층`);
        await nextFrame();
        variants.push({...v, stats: deepStackStats({layers, residual: v.residual, norm: v.norm, normFirst})});
        ctx.progress((i + 1) / T2_VARIANTS.length);
      }
      const w = Math.min(width, 900);
      const half = w < 640 ? w : Math.floor(w / 2) - 8;
      const points = variants.flatMap((v) => [
        {layer: 0, std: v.stats.input.std, grad: NaN, name: v.name},
        ...v.stats.layers.map((l) => ({layer: l.layer, std: l.std, grad: l.inputGradNorm, name: v.name}))
      ]);
      const names = variants.map((v) => v.name);
      const stdChart = t2Chart(points, names, "std", {width: half});
      const gradChart = t2Chart(points, names, "grad", {width: half});
      const charts = el("div", "t2-charts");
      charts.style.cssText = "display: flex; flex-wrap: wrap; gap: 8px 16px";
      charts.append(stdChart, gradChart);
      const caption = el(
        "p",
        "small muted",
        "Add & Norm은 굵은 실선, 나머지는 점선이고, 네 stack의 점 모양이 다릅니다 (범례): 두 곡선이 겹치면 굵은 선 위에 점선이 보입니다."
      );
      const sentence = el("p", "experiment-result");
      sentence.textContent = describeT2(variants);
      sentence.dataset.variants = JSON.stringify(variants);
      ctx.out.append(charts, caption, sentence);
      if (slots) slots.verdict.textContent = summarizeT2(variants);
      ctx.status("끝났습니다.");
    }
  });
}

export interface HeadsOptions extends PanelOptions {
  /** The reader's input to start with. */
  value?: string;
}

/** One heatmap per head: rows = queries, columns = keys, with the tokens as tick labels. */
function headMaps(
  maps: number[][][],
  rows: string[],
  cols: string[],
  opts: {title: string; width: number; className: string}
): HTMLElement {
  const box = el("div", `head-maps ${opts.className}`);
  box.append(el("p", "head-maps-title", opts.title));
  const grid = el("div", "head-maps-grid");
  grid.style.cssText = "display: flex; flex-wrap: wrap; gap: 4px 16px; max-width: 100%";
  const cell = Math.max(9, Math.min(18, Math.floor((opts.width - 60) / Math.max(1, cols.length))));
  maps.forEach((m, h) => {
    const data = m.flatMap((row, q) => row.map((v, k) => ({q, k, v})));
    grid.append(
      Plot.plot({
        width: 60 + cell * cols.length,
        height: 70 + cell * rows.length,
        marginLeft: 55,
        marginTop: 40,
        marginBottom: 10,
        padding: 0,
        caption: `head ${h + 1}`,
        x: {
          axis: "top",
          tickFormat: (k: number) => cols[k],
          domain: cols.map((_, k) => k),
          label: null,
          tickRotate: -60
        },
        y: {tickFormat: (q: number) => rows[q], domain: rows.map((_, q) => q), label: null},
        color: {scheme: "Blues", domain: [0, 1]},
        marks: [Plot.cell(data, {x: "k", y: "q", fill: "v", title: (d: {v: number}) => d.v.toFixed(3)})]
      })
    );
  });
  box.append(grid);
  return box;
}

/** Trains a small Transformer for a time budget, then shows its heads on the reader's input (re-drawn as it changes). */
export function headsExperiment({
  width = 900,
  invalidation,
  value = "Friday, March 5, 2021"
}: HeadsOptions = {}): ExperimentPanel {
  const budgetInput = Inputs.select([10, 30, 60, 120], {label: "학습 시간 (s)", value: 30});
  const textInput = Inputs.text({label: "영어 날짜", value, submit: false});
  let kept: {model: tf.LayersModel; sourceLength: number} | null = null;
  let view: HTMLElement | null = null;
  const release = () => {
    kept?.model.dispose();
    kept = null;
  };
  invalidation?.then(release);

  const render = async () => {
    if (!kept || !view) return;
    const {model, sourceLength} = kept;
    const text = (textInput.value as string).trim();
    const enc = encodeSource([text || " "], sourceLength);
    try {
      const {ids, ended} = await greedyDecodeTransformer(model, enc.source, {start: START, end: END, pad: PAD});
      const out = ids[0].map((id) => TARGET_VOCAB.tokens[id] ?? "<unk>");
      const t = model.inputs[1].shape[1]!;
      const dec = new Int32Array(t);
      dec[0] = START;
      ids[0].slice(0, t - 1).forEach((id, i) => (dec[i + 1] = id));
      const decoderInput = tf.tensor2d(dec, [1, t], "int32");
      const maps = transformerAttentionMaps(model, [enc.source, decoderInput]);
      const encSelf = maps.encoder[0].self.arraySync() as number[][][][];
      const cross = maps.decoder[0].cross.arraySync() as number[][][][];
      tf.dispose([decoderInput, ...maps.encoder.map((m) => m.self), ...maps.decoder.flatMap((m) => [m.self, m.cross])]);
      const len = enc.lengths[0];
      const srcTokens = sourceTokens(text).slice(0, len);
      const from = sourceLength - len; // left-padded: the real tokens are the last `len` positions
      const rowsOut = [...out, ...(ended[0] ? ["<end>"] : [])];
      const encMaps = encSelf[0].map((head) => head.slice(from).map((row) => row.slice(from)));
      const crossMaps = cross[0].map((head) => head.slice(0, rowsOut.length).map((row) => row.slice(from)));
      const reference = referenceTarget(text);
      const w = Math.min(width, 900);
      const line = el("p", "experiment-result heads-line");
      const output = joinTarget(out);
      line.textContent =
        `입력 "${text}" (토큰 ${len}개${enc.truncated[0] ? ", 길어서 잘림" : ""}${enc.unknown[0].length ? `, 모르는 토큰: ${enc.unknown[0].join(" ")}` : ""}) → ` +
        `출력 "${output}"${ended[0] ? "" : " (<end> 없이 끝남)"}. ` +
        (reference === null
          ? "이 입력은 과제의 날짜 형식으로 읽히지 않습니다 (참조 답 없음)."
          : `참조 답 "${reference}": ${output === reference ? "맞았습니다" : "틀렸습니다"}.`);
      line.dataset.output = output;
      view.replaceChildren(
        line,
        headMaps(encMaps, srcTokens, srcTokens, {
          title: "encoder self-attention: 행 = query 토큰, 열 = key 토큰 (색이 진할수록 큰 가중치, 0–1)",
          width: w / 2,
          className: "heads-encoder"
        }),
        headMaps(crossMaps, rowsOut, srcTokens, {
          title: "decoder → encoder attention: 행 = 출력 토큰 (그 토큰을 낼 때), 열 = 입력 토큰",
          width: w / 2,
          className: "heads-cross"
        })
      );
      view.dataset.heads = String(encMaps.length);
    } finally {
      enc.source.dispose();
    }
  };
  textInput.addEventListener("input", () => void render());

  const panel = experimentPanel({
    action: "학습하고 head 보기",
    idle: "버튼을 누르면 작은 Transformer를 정한 시간만큼 학습하고, 위 입력에 대한 head별 attention 가중치를 그립니다.",
    settings: [budgetInput],
    invalidation,
    async run(ctx) {
      release();
      const budget = budgetInput.value as number;
      const task = dateTask({train: 4000, test: PROBE, seed: 2, maxDates: 1});
      const lengths = {source: task.sourceLength, target: task.targetLength};
      const trainPairs = encodePairs(task.train, lengths);
      const testPairs = encodePairs(task.test, lengths);
      ctx.defer(() => [trainPairs, testPairs].forEach(disposePairs));
      const model = dateTransformer(taskDims(lengths), {}, {seed: 3});
      const optimizer = tf.train.adam(TRANSFORMER_LEARNING_RATE);
      ctx.defer(() => optimizer.dispose());
      const loss = translationLoss();
      let seconds = 0;
      let steps = 0;
      try {
        for await (const e of trainSideBySide([{name: "Transformer", model, optimizer}], {
          train: {xs: [trainPairs.source, trainPairs.decoderInput], ys: trainPairs.target},
          loss,
          epochs: 1000,
          batchSize: 64,
          seed: 1,
          signal: ctx.signal,
          controller: ctx.controller,
          taskBudgetMs: Infinity,
          between: nextFrame
        })) {
          if (e.event.type !== "batch") continue;
          seconds = e.seconds;
          steps++;
          ctx.progress(seconds / budget);
          ctx.status(`학습 중: ${seconds.toFixed(1)} / ${budget} s, step ${steps}, loss ${e.event.loss.toFixed(3)}`);
          if (seconds >= budget) break;
        }
      } catch (error) {
        model.dispose();
        throw error;
      }
      if (ctx.signal.aborted) {
        model.dispose();
        return;
      }
      const accuracy = (
        await evaluate(model, {xs: [testPairs.source, testPairs.decoderInput], ys: testPairs.target}, {loss})
      ).accuracy;
      kept = {model, sourceLength: lengths.source};
      const summary = el(
        "p",
        "small",
        `학습 ${seconds.toFixed(1)} s (${steps} step, batch 64, 날짜 하나짜리 예제 4,000개): held-out 토큰 정확도 ${(100 * accuracy).toFixed(1)}%. ` +
          `위 입력 칸을 고치면 이 모델로 다시 그립니다.`
      );
      summary.dataset.accuracy = String(accuracy);
      summary.dataset.kept = String(model.weights.length);
      view = el("div", "heads-view");
      ctx.out.append(summary, view);
      await render();
      ctx.status("끝났습니다.");
    }
  });
  panel.prepend(textInput);
  return tagged(panel, "heads");
}
