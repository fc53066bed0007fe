/**
 * Training curves, from chapter 2 (CNN) on: the `TrainEvent` stream of lib/train/loop.ts drawn as a loss chart
 * and an accuracy chart that grow left to right while a model trains in the page, and the same charts for
 * several named runs at once ("CNN" vs "MLP", "plain-20" vs "resnet-20").
 *
 * A page keeps a `TrainHistory` (plain arrays, `pushTrainEvent` per event) and redraws from it; drawing costs
 * O(width), not O(batches), because the per-batch series is smoothed and then binned to about one point per
 * two pixels (`binSeries`).
 *
 *     const history = emptyHistory();
 *     for await (const event of train({…, epochs: 3})) pushTrainEvent(history, event); // yield history for the chart
 *     resize((width) => lossCurve(history, {width, epochs: 3}));
 */
import * as Plot from "@observablehq/plot";
import type {TrainEvent} from "../train/loop.js";

/** A training run reduced to arrays. x positions are in epochs: batch b of epoch e ends at e + (b + 1) / batches. */
export interface TrainHistory {
  /** Batches per epoch, from the latest batch event (0 before the first). */
  batchesPerEpoch: number;
  /** One entry per training batch: where it ends (in epochs), its loss and accuracy. */
  batch: {epoch: number[]; loss: number[]; accuracy: number[]};
  /**
   * One entry per finished epoch, at its end (epoch index + 1): the epoch's mean training loss and accuracy,
   * and the validation values (NaN when the run has no validation set).
   */
  epoch: {epoch: number[]; loss: number[]; accuracy: number[]; valLoss: number[]; valAccuracy: number[]};
  /** Training speed reported with the latest batch. */
  examplesPerSec: number;
  /** How the run ended, once it has. */
  end?: "done" | "stopped";
}

/** A run to overlay with others, drawn in its own colour and named in the legend. */
export interface NamedRun {
  name: string;
  history: TrainHistory | readonly TrainEvent[];
}

export function emptyHistory(): TrainHistory {
  return {
    batchesPerEpoch: 0,
    batch: {epoch: [], loss: [], accuracy: []},
    epoch: {epoch: [], loss: [], accuracy: [], valLoss: [], valAccuracy: []},
    examplesPerSec: 0
  };
}

/** Add one event to a history, in place (cheap enough for every batch), and return the history. */
export function pushTrainEvent(history: TrainHistory, event: TrainEvent): TrainHistory {
  if (event.type === "batch") {
    history.batchesPerEpoch = event.batches;
    history.batch.epoch.push(event.epoch + (event.batch + 1) / event.batches);
    history.batch.loss.push(event.loss);
    history.batch.accuracy.push(event.accuracy);
    history.examplesPerSec = event.examplesPerSec;
  } else if (event.type === "epoch") {
    history.epoch.epoch.push(event.epoch + 1);
    history.epoch.loss.push(event.loss);
    history.epoch.accuracy.push(event.accuracy);
    history.epoch.valLoss.push(event.valLoss ?? NaN);
    history.epoch.valAccuracy.push(event.valAccuracy ?? NaN);
  } else {
    history.end = event.reason;
  }
  return history;
}

/** A whole event list reduced to a history. */
export function trainHistory(events: Iterable<TrainEvent>): TrainHistory {
  const history = emptyHistory();
  for (const e of events) pushTrainEvent(history, e);
  return history;
}

/**
 * Exponential moving average with TensorBoard's debiasing: s_i = w·s_(i−1) + (1 − w)·v_i, divided by
 * 1 − w^(i+1) so the first values are not pulled toward 0. `weight` 0 returns the values; NaN values stay NaN
 * and are skipped.
 */
export function smoothEma(values: ArrayLike<number>, weight: number): number[] {
  const out: number[] = [];
  let last = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) {
      out.push(NaN);
      continue;
    }
    last = weight * last + (1 - weight) * v;
    count++;
    out.push(last / (1 - weight ** count));
  }
  return out;
}

/** Consecutive points merged into bins: mean x, and the mean, min and max of y (NaN ignored). */
export interface BinnedSeries {
  x: number[];
  mean: number[];
  min: number[];
  max: number[];
}

/**
 * Merge consecutive points into at most `maxPoints` bins. The bin size is a power of two, so as a live series
 * grows, bins only ever merge in pairs and the drawn line does not jump between redraws.
 */
export function binSeries(x: ArrayLike<number>, y: ArrayLike<number>, maxPoints: number): BinnedSeries {
  const n = Math.min(x.length, y.length);
  let size = 1;
  while (n / size > Math.max(1, maxPoints)) size *= 2;
  const out: BinnedSeries = {x: [], mean: [], min: [], max: []};
  for (let start = 0; start < n; start += size) {
    const end = Math.min(n, start + size);
    let sx = 0;
    let sy = 0;
    let count = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = start; i < end; i++) {
      sx += x[i];
      const v = y[i];
      if (Number.isNaN(v)) continue;
      sy += v;
      count++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    out.x.push(sx / (end - start));
    out.mean.push(count ? sy / count : NaN);
    out.min.push(count ? lo : NaN);
    out.max.push(count ? hi : NaN);
  }
  return out;
}

export type LossMetric = "loss" | "accuracy";

export interface LossCurveOptions {
  width?: number;
  /** Height of one chart. Default 240, or 210 per chart when both are drawn. */
  height?: number;
  /** Which charts: loss, accuracy, or both (one above the other, side by side from 960 px). Default "both". */
  metric?: LossMetric | "both";
  /** For "both": "column" stacks the charts, "row" puts them side by side. Default: "row" when width ≥ 960. */
  layout?: "row" | "column";
  /** Total epochs planned: fixes the x domain to [0, epochs] so the curve grows without rescaling. */
  epochs?: number;
  /** Examples in one epoch: when given, x is the number of examples seen instead of epochs. */
  examplesPerEpoch?: number;
  /** EMA weight for the per-batch training values, in [0, 1). Default 0.6 (TensorBoard's default). */
  smoothing?: number;
  /** Most points drawn per batch series. Default width / 2. */
  maxPoints?: number;
  /** Fixed loss domain; values outside are drawn on its edge. Default [0, largest smoothed or validation loss]. */
  lossDomain?: [number, number];
  /** Accuracy domain. Default [0, 1]. */
  accuracyDomain?: [number, number];
  /** Run colours, in the order runs are given. */
  colors?: readonly string[];
  /** Latest values written in a corner of each chart. Default true. */
  readout?: boolean;
  /** Caption under the chart(s); null for none. Default: says what the lines and dots are. */
  caption?: string | null;
  /** Document to build the DOM in (jsdom in Node tests). Default `globalThis.document`. */
  document?: Document;
}

/** Colours of the single-run series, and of overlaid runs in the order given (Open Color 8/9 shades). */
export const TRAIN_COLOR = "#1971c2";
export const VALIDATION_COLOR = "#e8590c";
export const RUN_COLORS = ["#1971c2", "#e8590c", "#2f9e44", "#9c36b5", "#c2255c", "#0c8599", "#f08c00", "#495057"];

const TRAIN = "학습 (train)";
const VALIDATION = "검증 (validation)";

const LABEL = {loss: "↑ loss", accuracy: "↑ 정확도 (accuracy)"} as const;

interface LineRow {
  series: string;
  x: number;
  y: number;
  lo: number;
  hi: number;
}

interface DotRow {
  series: string;
  x: number;
  y: number;
  epoch: number;
}

/** 0, 500, 10k, 1.5M: tick labels for examples seen. */
function formatCount(v: number): string {
  if (v === 0 || Math.abs(v) < 1e3) return String(v);
  return Math.abs(v) < 1e6 ? `${+(v / 1e3).toFixed(1)}k` : `${+(v / 1e6).toFixed(2)}M`;
}

function isRuns(data: TrainHistory | readonly TrainEvent[] | readonly NamedRun[]): data is readonly NamedRun[] {
  return Array.isArray(data) && data.length > 0 && "name" in data[0];
}

function asHistory(h: TrainHistory | readonly TrainEvent[]): TrainHistory {
  return Array.isArray(h) ? trainHistory(h as readonly TrainEvent[]) : (h as TrainHistory);
}

/** A history shows no validation when it has finished epochs (or has ended) and none had validation values. */
function hasNoValidation(h: TrainHistory): boolean {
  return (h.epoch.epoch.length > 0 || h.end !== undefined) && h.epoch.valLoss.every(Number.isNaN);
}

/**
 * Training curves of one run (a history or its events) or of several named runs. Per-batch training values
 * are a thin smoothed line (one run: with a pale band out to the raw values), validation values at the end of
 * each epoch are dots joined by a line. Returns a `figure`: one colour legend, the chart(s), a caption.
 */
export function lossCurve(
  data: TrainHistory | readonly TrainEvent[] | readonly NamedRun[],
  options: LossCurveOptions = {}
): HTMLElement {
  const {width = 640, metric = "both", smoothing = 0.6, document = globalThis.document} = options;
  const single = !isRuns(data);
  const runs = isRuns(data)
    ? data.map((r) => ({name: r.name, history: asHistory(r.history)}))
    : [{name: "", history: asHistory(data as TrainHistory | readonly TrainEvent[])}];
  // one run: train and validation colours (validation left out once it is clear there is none); runs: a colour each
  const colors = options.colors ?? RUN_COLORS;
  const noValidation = single && hasNoValidation(runs[0].history);
  const color = single
    ? {domain: noValidation ? [TRAIN] : [TRAIN, VALIDATION], range: [TRAIN_COLOR, VALIDATION_COLOR]}
    : {domain: runs.map((r) => r.name), range: runs.map((_, i) => colors[i % colors.length])};
  const dots = noValidation ? "" : single ? " · 점: epoch 끝의 검증 값" : " · 굵은 선과 점: epoch 끝의 검증 값";
  const caption =
    options.caption !== undefined
      ? options.caption
      : single
        ? `선: 배치마다의 학습 값 (지수 평활 ${smoothing}, 옅은 띠는 원래 값까지)${dots}`
        : `가는 선: 배치마다의 학습 값 (지수 평활 ${smoothing})${dots}`;
  const layout = metric === "both" ? (options.layout ?? (width >= 960 ? "row" : "column")) : "column";
  const gap = 24;
  const chartWidth = layout === "row" ? Math.floor((width - gap) / 2) : width;
  const height = options.height ?? (metric === "both" ? 210 : 240);
  const common = {...options, width: chartWidth, height, smoothing, document};
  const charts = document.createElement("div");
  charts.setAttribute("style", `display:flex;flex-direction:${layout};gap:${layout === "row" ? gap : 12}px`);
  for (const m of metric === "both" ? (["loss", "accuracy"] as const) : [metric]) {
    charts.append(chart(runs, m, single, color, common));
  }
  const figure = document.createElement("figure");
  figure.className = "loss-curve";
  figure.setAttribute("style", `margin:0;max-width:${width}px`);
  // one legend for both charts (Plot.legend takes `document` like Plot.plot, though its types leave it out)
  const legend = Plot.legend({color, marginLeft: 52, style: {fontSize: "12px"}, document} as Plot.LegendScales);
  figure.append(legend, charts);
  if (caption) {
    const figcaption = document.createElement("figcaption");
    figcaption.textContent = caption;
    figure.append(figcaption);
  }
  return figure;
}

function chart(
  runs: {name: string; history: TrainHistory}[],
  metric: LossMetric,
  single: boolean,
  color: {domain: string[]; range: string[]},
  options: LossCurveOptions & {width: number; height: number; smoothing: number; document: Document}
): SVGSVGElement | HTMLElement {
  const {width, smoothing, document, readout = true} = options;
  const maxPoints = options.maxPoints ?? Math.max(50, Math.round(width / 2));
  const scaleX = options.examplesPerEpoch ?? 1;
  const lines: LineRow[] = [];
  const dots: DotRow[] = [];
  const latest: {series: string; train: number; validation: number}[] = [];
  let xMax = 0;
  for (const {name, history} of runs) {
    const trainSeries = single ? TRAIN : name;
    const validationSeries = single ? VALIDATION : name;
    const values = metric === "loss" ? history.batch.loss : history.batch.accuracy;
    const smooth = smoothEma(values, smoothing);
    const raw = binSeries(history.batch.epoch, values, maxPoints);
    const binned = binSeries(history.batch.epoch, smooth, maxPoints);
    for (let i = 0; i < binned.x.length; i++) {
      const y = binned.mean[i];
      // the band reaches from the smoothed line out to the raw values of the bin
      lines.push({
        series: trainSeries,
        x: binned.x[i] * scaleX,
        y,
        lo: Math.min(raw.min[i], y),
        hi: Math.max(raw.max[i], y)
      });
    }
    const val = metric === "loss" ? history.epoch.valLoss : history.epoch.valAccuracy;
    history.epoch.epoch.forEach((e, i) => dots.push({series: validationSeries, x: e * scaleX, y: val[i], epoch: e}));
    xMax = Math.max(xMax, history.batch.epoch.at(-1) ?? 0, history.epoch.epoch.at(-1) ?? 0);
    latest.push({series: trainSeries, train: smooth.at(-1) ?? NaN, validation: val.at(-1) ?? NaN});
  }
  const xDomain: [number, number] = [0, Math.max(options.epochs ?? 0, xMax) * scaleX || scaleX];
  let yMax = 0;
  for (const d of [...lines, ...dots]) if (d.y > yMax) yMax = d.y; // NaN compares false
  const yDomain: [number, number] =
    metric === "loss" ? (options.lossDomain ?? [0, yMax || 1]) : (options.accuracyDomain ?? [0, 1]);
  // values outside a given domain are drawn on its edge (clamped, not clipped: Plot's clip-path ids come from
  // a page-wide counter, which would make the output depend on what was drawn before)
  const [y0, y1] = yDomain;
  const clamp = (v: number) => (Number.isNaN(v) ? v : Math.min(y1, Math.max(y0, v)));
  for (const d of lines) [d.y, d.lo, d.hi] = [clamp(d.y), clamp(d.lo), clamp(d.hi)];
  for (const d of dots) d.y = clamp(d.y);
  const validDots = dots.filter((d) => !Number.isNaN(d.y));
  const format = metric === "loss" ? (v: number) => v.toFixed(3) : (v: number) => `${(v * 100).toFixed(1)}%`;
  const marks: Plot.Markish[] = [
    Plot.ruleY([yDomain[0]], {stroke: "currentColor", strokeOpacity: 0.3}),
    single ? Plot.areaY(lines, {x: "x", y1: "lo", y2: "hi", fill: TRAIN_COLOR, fillOpacity: 0.12}) : null,
    Plot.lineY(lines, {
      x: "x",
      y: "y",
      z: "series",
      stroke: "series",
      strokeWidth: single ? 1.5 : 1.25,
      strokeOpacity: single ? 1 : 0.6
    }),
    Plot.lineY(validDots, {x: "x", y: "y", z: "series", stroke: "series", strokeWidth: 2}),
    Plot.dot(validDots, {
      x: "x",
      y: "y",
      fill: "series",
      stroke: "var(--theme-background, white)",
      r: 4,
      tip: true,
      title: (d: DotRow) => `${d.series}\nepoch ${d.epoch}\n${metric} ${format(d.y)}`
    })
  ];
  // the latest values, one line per run, written ABOVE the frame (in a top margin that grows with the runs): inside
  // the frame they sat on the curves whenever a short run ended in the corner they were written in
  let marginTop = 20;
  if (readout) {
    const notes = latest
      .filter((d) => !Number.isNaN(d.train))
      .map((d) => ({
        series: d.series,
        text:
          (single ? "" : `${d.series}: `) +
          `학습 ${format(d.train)}` +
          (Number.isNaN(d.validation) ? "" : ` · 검증 ${format(d.validation)}`)
      }));
    marginTop = 20 + 15 * notes.length;
    notes.forEach((d, i) => {
      marks.push(
        Plot.text([d], {
          frameAnchor: "top-right",
          dx: -4,
          dy: -marginTop + 14 + i * 15,
          text: "text",
          textAnchor: "end",
          fill: single ? "currentColor" : (r: typeof d) => r.series,
          stroke: "var(--theme-background, white)",
          strokeWidth: 4,
          paintOrder: "stroke",
          fontWeight: single ? "normal" : "bold"
        })
      );
    });
  }
  return Plot.plot({
    document,
    width,
    height: options.height,
    marginTop,
    marginLeft: 52,
    marginRight: 16,
    marginBottom: 40,
    style: {fontSize: "12px"},
    x: {
      domain: xDomain,
      label: options.examplesPerEpoch ? "학습한 예제 수 (examples seen) →" : "epoch →",
      tickFormat: options.examplesPerEpoch ? formatCount : undefined,
      ticks: Math.max(2, Math.round(width / 90))
    },
    y: {
      domain: yDomain,
      nice: metric === "loss" && !options.lossDomain,
      label: LABEL[metric],
      grid: true,
      tickFormat: metric === "accuracy" ? "%" : undefined
    },
    color,
    marks
  });
}
