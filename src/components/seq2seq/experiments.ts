/**
 * The experiments of chapter 5 「Seq2Seq」, on the chapter kit's `experimentPanel` (▶ 시작, 일시정지, 정지, progress).
 * Nothing trains until the reader presses a button; every tensor a run makes is disposed when it ends, and the
 * trained model lives in the page's `ModelSlot` (./slot.ts) until it is replaced or the page cell re-runs.
 *
 *   translatorExperiment  S1: train the no-attention seq2seq (lib/models/seq2seq.ts) on the date task with live loss,
 *                         token and sequence accuracy; then greedy translations of every held-out input; the model
 *                         is kept in IndexedDB and rebuilt on the next visit (./store.ts)
 *   ownInput              S1: the reader's own English date(s), translated, judged by the reference parser
 *   contextProjection     S1: the context vectors of held-out inputs on their top two principal components
 *   bottleneckView        S2: sequence and token accuracy against source length, from the trained model's evaluation
 *   decodeTimeExperiment  the notes' "decoder is sequential": greedy decoding time against output length
 *
 * The sentences are lib/viz/seq2seq.ts, written from the run's own numbers.
 */
import {ensureSeq2SeqStyles} from "./style.js";
import * as Plot from "@observablehq/plot";
import * as Inputs from "@observablehq/inputs";
import {tf} from "../../lib/tf.js";
import {
  dateTask,
  encodePairs,
  encodeSource,
  MONTH_NAMES,
  parseSourceDetailed,
  referenceTarget,
  SOURCE_VOCAB,
  sourceTokens,
  TARGET_VOCAB,
  type SourceProblem
} from "../../lib/data/dates.js";
import {
  contextVectors,
  decodeTimes,
  evaluate,
  SEQ2SEQ_DEFAULTS,
  seq2seq,
  translate,
  translationLoss
} from "../../lib/models/seq2seq.js";
import {pca2} from "../../lib/analysis/pca.js";
import {train} from "../../lib/train/loop.js";
import {emptyHistory, lossCurve, pushTrainEvent, type TrainHistory} from "../../lib/viz/loss-curve.js";
import {
  describeBottleneck,
  describeDecodeTimes,
  describeOwnInput,
  describeProjection,
  describeTranslation,
  lengthBuckets,
  PROJECTION_COLORS,
  type LengthBucket,
  type ProjectionColor,
  type RunConditions
} from "../../lib/viz/seq2seq.js";
import {experimentPanel, type ExperimentPanel} from "../shared/experiment-panel.js";
import type {ModelSlot, Trained} from "./slot.js";
import {clearTranslator, restoreTranslator, saveTranslator} from "./store.js";
import {el, nextFrame} from "../shared/dom.js";

const pct1 = (x: number) => `${(100 * x).toFixed(1)}%`;

/** S2's two metrics (the chart's legend) and their colours. */
export const S2_METRICS = ["시퀀스 정확도", "토큰 정확도"] as const;
const S2_COLORS = ["#1971c2", "#f08c00"];

/** S2's buckets: this many source tokens wide, from the shortest held-out input. */
export const BUCKET_WIDTH = 8;

/** The token and sequence accuracy of the latest event, as a second history (lossCurve draws "accuracy"). */
function sequenceEvent<E extends {type: string; metrics?: Record<string, number>; valMetrics?: Record<string, number>}>(
  e: E
): E {
  if (e.type === "batch") return {...e, accuracy: e.metrics?.sequence ?? NaN};
  if (e.type === "epoch")
    return {...e, accuracy: e.metrics?.sequence ?? NaN, valAccuracy: e.valMetrics?.sequence ?? NaN};
  return e;
}

export interface TranslatorOptions {
  slot: ModelSlot;
  width?: number;
  invalidation?: Promise<unknown>;
}

/** S1: train the translator, then translate every held-out input with greedy decoding. */
export function translatorExperiment({slot, width = 900, invalidation}: TranslatorOptions): ExperimentPanel {
  const d = SEQ2SEQ_DEFAULTS;
  const secondsInput = Inputs.select([5, 15, 30, 60, 120, 300], {
    label: "학습 시간 (초)",
    value: d.seconds,
    format: (s: number) => `${s}초`
  });
  const epochsInput = Inputs.select([1, 2, 5, 10, 20, 40], {label: "최대 epoch", value: d.epochs});
  const trainInput = Inputs.select([256, 1000, 2000, 4000, 8000], {label: "학습 예제 수", value: d.train});
  const testInput = Inputs.select([100, 300, 500, 1000], {label: "held-out 예제 수", value: d.test});
  const panel = experimentPanel({
    claim: "S1",
    action: "번역기 학습",
    idle: "버튼을 누르면 Seq2Seq 번역기를 이 브라우저에서 학습합니다. 진행 막대와 이 줄이 학습의 위치를 알려 줍니다.",
    settings: [secondsInput, epochsInput, trainInput, testInput],
    invalidation,
    async run(ctx) {
      const epochs = epochsInput.value as number;
      const budget = secondsInput.value as number;
      const trainCount = trainInput.value as number;
      const testCount = testInput.value as number;
      const task = dateTask({train: trainCount, test: testCount, seed: d.seed, maxDates: d.maxDates});
      const lengths = {source: task.sourceLength, target: task.targetLength};
      const tr = encodePairs(task.train, lengths);
      const te = encodePairs(task.test, lengths);
      ctx.defer(() => tf.dispose([tr.source, tr.decoderInput, tr.target, te.source, te.decoderInput, te.target]));
      const s2s = seq2seq({sourceVocab: SOURCE_VOCAB.size, targetVocab: TARGET_VOCAB.size, seed: d.seed});
      let kept = false;
      ctx.defer(() => {
        if (!kept) s2s.dispose();
      });
      const optimizer = tf.train.adam(d.learningRate);
      ctx.defer(() => optimizer.dispose());
      const tokens = emptyHistory();
      const sequences = emptyHistory();
      const curves = el("div", "panel-curves");
      const result = el("div", "s2s-result");
      ctx.out.append(curves, result);
      const w = Math.min(width, 960);
      const draw = () =>
        curves.replaceChildren(
          lossCurve(tokens, {width: w, metric: "loss", height: 170, caption: null}),
          lossCurve(
            [
              {name: "토큰 정확도", history: tokens},
              {name: "시퀀스 정확도", history: sequences}
            ] as {name: string; history: TrainHistory}[],
            {width: w, metric: "accuracy", height: 170}
          )
        );
      draw();
      // the training stops at the time budget (then evaluates) or at 정지 (then does not)
      const timeUp = new AbortController();
      const stopAll = () => timeUp.abort();
      ctx.signal.addEventListener("abort", stopAll);
      ctx.defer(() => ctx.signal.removeEventListener("abort", stopAll));
      const started = performance.now();
      let lastDraw = 0;
      let seen = 0;
      for await (const e of train({
        model: s2s.model,
        optimizer,
        train: {xs: [tr.source, tr.decoderInput], ys: tr.target},
        validation: {xs: [te.source, te.decoderInput], ys: te.target},
        loss: translationLoss(),
        epochs,
        batchSize: d.batchSize,
        seed: d.seed,
        signal: timeUp.signal,
        controller: ctx.controller,
        // a whole batch per task: under load the loop would otherwise cut it into micro-batches of 8, which costs
        // this small LSTM most of its speed (the page still answers clicks between batches)
        taskBudgetMs: SEQ2SEQ_DEFAULTS.taskBudgetMs
      })) {
        pushTrainEvent(tokens, e);
        pushTrainEvent(sequences, sequenceEvent(e));
        if (e.type === "batch") {
          seen = e.epoch + (e.batch + 1) / e.batches;
          const elapsed = (performance.now() - started) / 1000;
          ctx.progress(Math.max(seen / epochs, elapsed / budget));
          ctx.status(
            `epoch ${e.epoch + 1}/${epochs}, batch ${e.batch + 1}/${e.batches}: loss ${e.loss.toFixed(3)} (${elapsed.toFixed(0)}/${budget}초)`
          );
          if (elapsed >= budget) timeUp.abort();
        }
        if (performance.now() - lastDraw > 1000) {
          draw();
          lastDraw = performance.now();
        }
      }
      draw();
      if (ctx.signal.aborted) return;
      const seconds = (performance.now() - started) / 1000;
      ctx.status("held-out 입력을 greedy decoding으로 번역하는 중…");
      await nextFrame();
      const buckets = lengthBuckets(
        task.test.map((e) => sourceTokens(e.source).length),
        BUCKET_WIDTH
      );
      const evaluation = evaluate(s2s, task.test, lengths, {buckets});
      const conditions: RunConditions = {
        units: s2s.options.units,
        embedding: s2s.options.embedding,
        epochs: seen,
        trainExamples: trainCount,
        testExamples: testCount,
        maxDates: d.maxDates,
        seconds
      };
      result.append(translationsTable(evaluation.results), translationSentence(evaluation, conditions));
      slot.set({s2s, task, lengths, evaluation, conditions});
      kept = true;
      const saved =
        slot.current?.s2s === s2s &&
        (await saveTranslator(slot.current, {
          task: {train: trainCount, test: testCount, seed: d.seed, maxDates: d.maxDates},
          model: {embedding: s2s.options.embedding, units: s2s.options.units, seed: d.seed},
          buckets,
          conditions
        }));
      storeLine.replaceChildren(
        saved ? "이 번역기의 가중치를 이 브라우저 (IndexedDB)에 저장했습니다: 다음 방문에 다시 불러옵니다. " : "",
        ...(saved ? [clearButton()] : [])
      );
      ctx.status("끝났습니다. 아래 셀들이 이 모델을 씁니다.");
    }
  });
  panel.dataset.experiment = "translator";
  slot.train = () => panel.start();
  // a translator kept by an earlier visit: rebuilt, re-evaluated here, shown under the panel
  const storeLine = el("p", "small muted s2s-store");
  const restoredBox = el("div", "s2s-restored");
  const clearButton = () => {
    const b = el("button", "s2s-store-clear", "저장된 번역기 지우기");
    b.type = "button";
    b.addEventListener("click", async () => {
      await clearTranslator();
      storeLine.textContent = "저장된 가중치를 지웠습니다 (지금 쓰는 모델은 이 방문이 끝날 때까지 남습니다).";
    });
    return b;
  };
  panel.append(storeLine, restoredBox);
  void restoreTranslator(slot, (s) => (storeLine.textContent = s)).then((restored) => {
    const t = slot.current;
    if (!restored || !t?.restored || panel.dataset.state !== "idle") {
      if (!restored) storeLine.textContent = "";
      return;
    }
    panel.dataset.restored = "true";
    storeLine.replaceChildren(
      `이 브라우저에 저장된 번역기 (이전 방문에서 학습)를 불러와, held-out 입력으로 지금 다시 평가했습니다. 새로 학습하면 바뀝니다. `,
      clearButton()
    );
    restoredBox.append(translationsTable(t.evaluation.results), translationSentence(t.evaluation, t.conditions));
    const clear = () => restoredBox.replaceChildren();
    panel.querySelector(".panel-start")?.addEventListener("click", clear, {once: true});
  });
  return panel;
}

function translationSentence(evaluation: Trained["evaluation"], c: RunConditions): HTMLElement {
  const correct = evaluation.results.filter((r) => r.correct).length;
  const p = el(
    "p",
    "experiment-result s1-result",
    describeTranslation(
      {
        sequenceAccuracy: evaluation.sequenceAccuracy,
        tokenAccuracy: evaluation.tokenAccuracy,
        correct,
        total: evaluation.results.length
      },
      c
    )
  );
  p.dataset.sequenceAccuracy = String(evaluation.sequenceAccuracy);
  p.dataset.tokenAccuracy = String(evaluation.tokenAccuracy);
  p.dataset.conditions = JSON.stringify(c);
  return p;
}

/** Every held-out translation (scrolls), 맞음/틀림 as text; wrong ones first so the reader sees them. */
function translationsTable(results: Trained["evaluation"]["results"]): HTMLElement {
  const wrap = el("div", "s2s-translations-wrap");
  wrap.tabIndex = 0;
  wrap.setAttribute("role", "region");
  wrap.setAttribute("aria-label", "held-out 번역 표");
  const t = el("table", "s2s-translations");
  const head = t.createTHead().insertRow();
  for (const h of ["입력", "정답", "모델의 출력", "판정"]) head.append(el("th", "", h));
  const body = t.createTBody();
  const sorted = [...results].sort((a, b) => Number(a.correct) - Number(b.correct));
  for (const r of sorted) {
    const tr = body.insertRow();
    tr.dataset.correct = String(r.correct);
    tr.dataset.sourceLength = String(r.sourceLength);
    tr.insertCell().textContent = r.source;
    tr.insertCell().textContent = r.target;
    tr.insertCell().textContent = r.output || "(빈 출력)";
    const verdict = tr.insertCell();
    verdict.textContent = r.correct ? "✓ 맞음" : "✗ 틀림";
    verdict.className = r.correct ? "s2s-right" : "s2s-wrong";
  }
  wrap.append(t);
  return wrap;
}

const PROBLEMS: Record<SourceProblem, string> = {
  empty: "입력이 비어 있습니다",
  format: "이 과제의 날짜 형식이 아닙니다",
  date: "없는 날짜입니다",
  year: "연도가 이 과제의 범위 밖입니다",
  weekday: "적은 요일이 그 날짜의 요일이 아닙니다",
  ordinal: "서수 접미사가 날짜와 맞지 않습니다"
};

/** A reader's word quoted back: at most `max` characters, the rest as "…" (a 400-character word stays one line). */
export function quoteShort(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The reader's own input: translated by the slot's model, judged against the reference parser. */
export function ownInput({slot, invalidation}: {slot: ModelSlot; invalidation?: Promise<unknown>}): HTMLElement {
  const root = el("div", "s2s-own");
  root.dataset.experiment = "own-input";
  const form = el("form", "s2s-own-form");
  const label = el("label", "", "영어 날짜 (여러 개는 and로): ");
  const input = el("input", "s2s-own-input");
  input.type = "text";
  input.value = "Sunday, November 29, 2026 and 3/4/21";
  input.size = 44;
  input.setAttribute("aria-label", "번역할 영어 날짜");
  label.append(input);
  const button = el("button", "s2s-own-translate", "번역");
  button.type = "submit";
  form.append(label, button);
  const out = el("div", "s2s-own-out");
  out.setAttribute("aria-live", "polite");
  root.append(form, out);
  const render = () => {
    const text = input.value;
    const trained = slot.current;
    const parsed = parseSourceDetailed(text);
    const reference = referenceTarget(text);
    const tokens = sourceTokens(text);
    const refLine = el(
      "p",
      "s2s-own-reference",
      parsed.ok
        ? `참조 파서의 정답: ${reference} (입력 토큰 ${tokens.length}개)`
        : `참조 파서: ${PROBLEMS[parsed.problem]}${parsed.part ? ` ("${quoteShort(parsed.part)}")` : ""}. 모델은 그래도 무언가를 출력합니다.`
    );
    if (!trained) {
      root.dataset.state = "no-model";
      out.replaceChildren(
        refLine,
        el(
          "p",
          "s2s-own-none",
          "아직 학습한 모델이 없습니다: 위의 ▶ 번역기 학습을 먼저 누르세요. 학습이 끝나면 여기서 번역합니다."
        )
      );
      return;
    }
    const enc = encodeSource([text], trained.lengths.source);
    let output = "";
    try {
      output = translate(trained.s2s, enc.source, {maxLength: trained.lengths.target + 8})[0].text;
    } finally {
      enc.source.dispose();
    }
    root.dataset.state = "translated";
    const outLine = el("p", "s2s-own-output");
    outLine.append("모델의 번역: ", el("b", "", output || "(빈 출력)"));
    const verdict = el(
      "p",
      "s2s-own-verdict",
      describeOwnInput({
        output,
        reference,
        unknown: enc.unknown[0].map((u) => quoteShort(u)),
        truncated: enc.truncated[0]
      })
    );
    verdict.dataset.output = output;
    verdict.dataset.reference = reference ?? "";
    out.replaceChildren(refLine, outLine, verdict);
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    render();
  });
  const unsubscribe = slot.subscribe(() => render());
  invalidation?.then(unsubscribe);
  return root;
}

/** The context vectors of held-out inputs on their top two principal components, coloured by a choice. */
export function contextProjection({
  slot,
  width = 640,
  invalidation
}: {
  slot: ModelSlot;
  width?: number;
  invalidation?: Promise<unknown>;
}): HTMLElement {
  const root = el("div", "s2s-projection");
  root.dataset.experiment = "projection";
  const choice = Inputs.select(Object.keys(PROJECTION_COLORS) as ProjectionColor[], {
    label: "색",
    value: "month",
    format: (k: ProjectionColor) => PROJECTION_COLORS[k]
  });
  const out = el("div", "s2s-projection-out");
  root.append(choice, out);
  let cache: {run: number; points: [number, number][]; explained: [number, number]} | null = null;
  const render = () => {
    const trained = slot.current;
    if (!trained) {
      out.replaceChildren(el("p", "muted", "위에서 번역기를 학습하면 그 모델의 context vector를 여기에 그립니다."));
      return;
    }
    const examples = trained.task.test;
    if (cache?.run !== trained.run) {
      const enc = encodeSource(
        examples.map((e) => e.source),
        trained.lengths.source
      );
      try {
        const {points, explained} = pca2(contextVectors(trained.s2s, enc.source));
        cache = {run: trained.run, points, explained};
      } finally {
        enc.source.dispose();
      }
    }
    const colorBy = choice.value as ProjectionColor;
    const rows = examples.map((e, i) => ({
      x: cache!.points[i][0],
      y: cache!.points[i][1],
      month: MONTH_NAMES[e.dates[0].month - 1],
      dates: `${e.dates.length}개`,
      length: sourceTokens(e.source).length,
      source: e.source
    }));
    const categorical = colorBy !== "length";
    const plot = Plot.plot({
      width: Math.min(width, 640),
      height: 360,
      marginLeft: 44,
      x: {label: `주성분 1 (${pct1(cache.explained[0])}) →`},
      y: {label: `↑ 주성분 2 (${pct1(cache.explained[1])})`},
      color: categorical
        ? {
            legend: true,
            domain: colorBy === "month" ? [...MONTH_NAMES] : undefined,
            scheme: colorBy === "month" ? "rainbow" : "tableau10"
          }
        : {legend: true, scheme: "viridis", label: "입력 토큰 수"},
      marks: [
        Plot.dot(rows, {x: "x", y: "y", fill: colorBy, r: 3, fillOpacity: 0.8, tip: true, title: (d) => d.source})
      ]
    });
    const sentence = el(
      "p",
      "experiment-result projection-result",
      describeProjection(cache.explained, rows.length, trained.s2s.options.units, PROJECTION_COLORS[colorBy])
    );
    sentence.dataset.explained = JSON.stringify(cache.explained);
    out.replaceChildren(plot, sentence);
  };
  choice.addEventListener("input", render);
  const unsubscribe = slot.subscribe(render);
  invalidation?.then(unsubscribe);
  return root;
}

/** The metrics' short names under S2's bars: the bars are told apart by these as well as by colour (WCAG 1.4.1). */
export const S2_SHORT = {"시퀀스 정확도": "시퀀스", "토큰 정확도": "토큰"} as const;

/**
 * S2's chart: one bar per bucket and metric, the two bars of a bucket side by side (facet x = bucket, x = metric),
 * the buckets named above the facets and each bar's metric named under it.
 */
export function s2Chart(
  shown: {length: number; end?: number; examples: number; sequenceAccuracy: number; tokenAccuracy: number}[],
  {width = 640} = {}
) {
  const labels = shown.map(
    (b) => `${b.end === undefined ? `${b.length}+` : `${b.length}–${b.end}`}\n(${b.examples}개)`
  );
  const rows = shown.flatMap((b, i) =>
    S2_METRICS.map((metric) => ({
      label: labels[i],
      metric,
      value: metric === S2_METRICS[0] ? b.sequenceAccuracy : b.tokenAccuracy,
      examples: b.examples
    }))
  );
  const w = Math.min(width, 720);
  return Plot.plot({
    width: w,
    height: 280,
    marginLeft: 48,
    marginTop: 56,
    marginBottom: 28,
    fx: {label: "입력 토큰 수 (구간) →", domain: labels, padding: 0.12, axis: "top"},
    x: {
      label: null,
      domain: [...S2_METRICS],
      padding: 0.08,
      tickSize: 0,
      tickFormat: (m: (typeof S2_METRICS)[number]) => S2_SHORT[m]
    },
    y: {label: "↑ 정확도 (held-out)", domain: [0, 1], grid: true, tickFormat: "%"},
    color: {legend: true, domain: [...S2_METRICS], range: S2_COLORS},
    style: {fontSize: w < 500 ? "9px" : "10px"},
    marks: [
      Plot.barY(rows, {
        fx: "label",
        x: "metric",
        y: "value",
        fill: "metric",
        tip: true,
        title: (r) => `${r.metric} ${(100 * r.value).toFixed(1)}% (${r.examples}개)`
      }),
      Plot.text(rows, {
        fx: "label",
        x: "metric",
        y: "value",
        text: (r) => `${(100 * r.value).toFixed(0)}%`,
        dy: -7,
        fontSize: w < 500 ? 8 : 10
      }),
      Plot.ruleY([0])
    ]
  });
}

/** S2: sequence and token accuracy against source length (buckets) of the slot's model, with its sentence. */
export function bottleneckView({
  slot,
  width = 640,
  invalidation
}: {
  slot: ModelSlot;
  width?: number;
  invalidation?: Promise<unknown>;
}): HTMLElement {
  const root = el("div", "s2s-bottleneck");
  root.dataset.claim = "S2";
  const out = el("div", "s2s-bottleneck-out");
  root.append(out);
  const render = (trained: Trained | null) => {
    if (!trained) {
      root.dataset.state = "no-model";
      const button = el("button", "s2s-bottleneck-train", "▶ 번역기 학습 (위 S1과 같은 설정)");
      button.type = "button";
      button.addEventListener("click", () => {
        button.disabled = true;
        void slot.train?.();
      });
      out.replaceChildren(el("p", "muted", "이 그림은 S1에서 학습한 모델로 그립니다. 아직 모델이 없습니다."), button);
      return;
    }
    root.dataset.state = "done";
    root.dataset.run = String(trained.run);
    const buckets = withEnds(trained.evaluation.byLength);
    const shown = buckets.filter((b) => b.examples > 0);
    const plot = s2Chart(shown, {width});
    const sentence = el("p", "experiment-result s2-result", describeBottleneck(buckets, trained.conditions));
    sentence.dataset.buckets = JSON.stringify(buckets);
    sentence.dataset.conditions = JSON.stringify(trained.conditions);
    out.replaceChildren(
      plot,
      el(
        "p",
        "small muted",
        "막대 위: 그 구간의 정확도. 막대 아래: 지표 (시퀀스 / 토큰). 구간 이름 아래: 예제 수. 시퀀스 정확도는 출력 전체가 정답과 같은 예의 비율, " +
          "토큰 정확도는 맞은 출력 토큰의 비율입니다 (둘 다 greedy decoding)."
      ),
      sentence,
      el(
        "p",
        "s2-why",
        "왜 토큰 정확도도 보나: 예제 하나에 출력 토큰이 수십 개라, 짧게 학습한 모델은 거의 모든 예에서 토큰 하나쯤은 " +
          "틀려 시퀀스 정확도가 모든 길이에서 0에 가까울 수 있습니다. 그래도 context vector의 크기는 입력 길이와 상관없이 " +
          "같아서, 긴 입력일수록 더 많은 것을 잃고 더 많은 토큰이 틀릴 수 있습니다: 그러면 병목현상이 토큰 정확도에 먼저 " +
          "보입니다. 더 오래 학습하면 짧은 입력부터 시퀀스 정확도가 오를 것이라 예상할 수 있습니다: S1의 학습 시간과 최대 " +
          "epoch을 늘려 다시 재 보세요. 위 문장이 이번 모델에서 어느 쪽인지 말합니다."
      )
    );
  };
  const unsubscribe = slot.subscribe(render);
  invalidation?.then(unsubscribe);
  return root;
}

/** Buckets with their inclusive ends: the next bucket's start − 1 (the last one open-ended). */
export function withEnds(
  byLength: {length: number; examples: number; sequenceAccuracy: number; tokenAccuracy: number}[]
): LengthBucket[] {
  const sorted = [...byLength].sort((a, b) => a.length - b.length);
  return sorted.map((b, i) => (i < sorted.length - 1 ? {...b, end: sorted[i + 1].length - 1} : {...b}));
}

/** Greedy decoding time against output length, on an untrained model of the same size (time needs no training). */
export function decodeTimeExperiment({
  width = 640,
  invalidation
}: {
  width?: number;
  invalidation?: Promise<unknown>;
}): ExperimentPanel {
  const batchInput = Inputs.select([1, 32, 256], {label: "한 번에 번역하는 입력 수", value: 32});
  const maxInput = Inputs.select([16, 32, 64], {label: "최대 출력 길이", value: 32});
  const panel = experimentPanel({
    action: "decoding 시간 재기",
    idle: "버튼을 누르면 출력 길이마다 greedy decoding 시간을 잽니다 (학습하지 않음, 몇 초).",
    settings: [batchInput, maxInput],
    invalidation,
    async run(ctx) {
      const batch = batchInput.value as number;
      const max = maxInput.value as number;
      const lengths = [max / 8, max / 4, max / 2, (3 * max) / 4, max].map(Math.round);
      const s2s = seq2seq({sourceVocab: SOURCE_VOCAB.size, targetVocab: TARGET_VOCAB.size, seed: 1});
      ctx.defer(() => s2s.dispose());
      const task = dateTask({train: batch, test: 1, seed: 3});
      const enc = encodePairs(task.train, {source: task.sourceLength, target: task.targetLength});
      ctx.defer(() => tf.dispose([enc.source, enc.decoderInput, enc.target]));
      await nextFrame();
      const rows = decodeTimes(s2s, enc.source, lengths, {repeats: 5});
      if (ctx.signal.aborted) return;
      const plot = Plot.plot({
        width: Math.min(width, 640),
        height: 220,
        marginLeft: 48,
        x: {label: "출력 토큰 수 →", domain: [0, max * 1.05]},
        y: {label: "↑ ms (중앙값)", grid: true, zero: true},
        marks: [
          Plot.line(rows, {x: "length", y: "ms", stroke: "#e8590c"}),
          Plot.dot(rows, {x: "length", y: "ms", fill: "#e8590c", tip: true})
        ]
      });
      const sentence = el(
        "p",
        "experiment-result decode-result",
        describeDecodeTimes(rows, {backend: tf.getBackend(), batch})
      );
      sentence.dataset.rows = JSON.stringify(rows);
      sentence.dataset.backend = tf.getBackend();
      sentence.dataset.batch = String(batch);
      ctx.out.append(plot, sentence);
      ctx.status("끝났습니다.");
    }
  });
  panel.dataset.experiment = "decode-time";
  return panel;
}

ensureSeq2SeqStyles();
