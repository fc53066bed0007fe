/**
 * 1D convolution on a time series, chapter 3 「CNN Model 비교」 (section 1D Convolution, claim D1): the filters whose
 * outputs the page draws under the CO₂ series, applied with `tf.conv1d` (every time step at once), and the
 * numbers the page's sentences read from those outputs.
 *
 * Alignment: with "valid" padding, output i uses the inputs i, i + d, …, i + (k − 1)d. The page draws it at the
 * last of them, t = i + (k − 1)d (a causal view: the output at t uses no input after t).
 */
import {tf} from "../tf.js";

export interface SeriesFilter {
  /** Short name for legends, e.g. "차분 [−1, 1]". */
  name: string;
  /** Weights w[0…k−1], applied as y[t] = Σ_u w[u] · x[t − (k − 1 − u)·d]. */
  kernel: number[];
  /** Spacing between the taps (1 = adjacent steps). */
  dilation?: number;
}

/** The filter output, aligned to the input's time steps. */
export interface FilteredSeries {
  name: string;
  /** Index into the input of the first output (the last input it uses): (k − 1)·d. */
  offset: number;
  values: Float32Array;
}

/** Span in time steps of a kernel of k taps at dilation d: 1 + (k − 1)d. */
export const kernelSpan = (k: number, dilation = 1): number => 1 + (k - 1) * dilation;

/** Output length of a valid, stride-1 conv1d: T − (k − 1)d (0 when the kernel is longer than the input). */
export const conv1dOutputLength = (length: number, k: number, dilation = 1): number =>
  Math.max(0, length - (k - 1) * dilation);

/**
 * Apply each filter to `values` with `tf.conv1d` ("valid", stride 1, the filter's dilation).
 * x: [1, T, 1], kernel: [k, 1, 1] -> y: [1, T − (k − 1)d, 1]. Creates no tensor that outlives the call.
 */
export function filterSeries(values: ArrayLike<number>, filters: SeriesFilter[]): FilteredSeries[] {
  return tf.tidy(() => {
    const x = tf.tensor3d(Float32Array.from(values), [1, values.length, 1]); // [batch, T, channels]
    return filters.map((f) => {
      const d = f.dilation ?? 1;
      const k = f.kernel.length;
      const w = tf.tensor3d(f.kernel, [k, 1, 1]); // [k, in channels, out channels]
      const y = tf.conv1d(x, w, 1, "valid", "NWC", d); // [1, T − (k − 1)d, 1]
      return {name: f.name, offset: (k - 1) * d, values: y.dataSync() as Float32Array};
    });
  });
}

/** The three filters of the page: a month-to-month difference, a k-month moving average, a 12-month difference. */
export function co2Filters(window: number): {difference: SeriesFilter; average: SeriesFilter; seasonal: SeriesFilter} {
  return {
    difference: {name: "차분 [−1, 1]", kernel: [-1, 1]},
    average: {name: `이동 평균 (k = ${window})`, kernel: Array.from({length: window}, () => 1 / window)},
    // the same difference with its two taps 12 months apart: x[t] − x[t − 12]
    seasonal: {name: "12개월 차분 [−1, 1], dilation 12", kernel: [-1, 1], dilation: 12}
  };
}

const mean = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
};

/** Population standard deviation. */
export function standardDeviation(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] - m) ** 2;
  return Math.sqrt(s / xs.length);
}

/**
 * Mean of a filtered series by calendar month (1…12), when input index 0 is month `startMonth`. The month of an
 * output is the month of the input step it is drawn at (`offset` + i).
 */
export function meanByCalendarMonth(f: FilteredSeries, startMonth: number): number[] {
  const sums = new Array<number>(12).fill(0);
  const counts = new Array<number>(12).fill(0);
  f.values.forEach((v, i) => {
    const m = (startMonth - 1 + f.offset + i) % 12;
    sums[m] += v;
    counts[m]++;
  });
  return sums.map((s, m) => s / counts[m]);
}

/**
 * How much of the series' month-to-month wiggle a smoothing filter leaves: the standard deviation of the
 * first difference of its output, against that of the input. Near 0 when the seasonal cycle is gone.
 */
export function wiggle(values: ArrayLike<number>): number {
  const diff = new Float32Array(Math.max(0, values.length - 1));
  for (let i = 1; i < values.length; i++) diff[i - 1] = values[i] - values[i - 1];
  return standardDeviation(diff);
}

/** Mean of the outputs drawn at input indices in [from, to). */
export function meanOver(f: FilteredSeries, from: number, to: number): number {
  const lo = Math.max(0, from - f.offset);
  const hi = Math.min(f.values.length, to - f.offset);
  if (hi <= lo) return NaN;
  return mean(f.values.subarray(lo, hi));
}

/** What the page's D1 sentences say, read from the three filter outputs of `co2Filters(window)`. */
export interface Co2Findings {
  /** Calendar months (1…12) of the largest mean rise and the largest mean fall, and those means (ppm/month). */
  riseMonth: number;
  rise: number;
  fallMonth: number;
  fall: number;
  /** Month-to-month wiggle (std of the first difference) of the input and of the moving average. */
  wiggleIn: number;
  wiggleAverage: number;
  /** Mean month-to-month change (the trend, ppm/month). */
  trendPerMonth: number;
  /** Mean 12-month difference (ppm per year) over the first and the last full decade of the series. */
  growth: {from: number; to: number; early: number; late: number};
}

/** Read the D1 findings from the outputs of `co2Filters` applied to a monthly series starting in `startMonth`. */
export function describeCo2Filters(
  values: ArrayLike<number>,
  start: {year: number; month: number},
  outputs: {difference: FilteredSeries; average: FilteredSeries; seasonal: FilteredSeries}
): Co2Findings {
  const byMonth = meanByCalendarMonth(outputs.difference, start.month);
  const riseMonth = byMonth.indexOf(Math.max(...byMonth)) + 1;
  const fallMonth = byMonth.indexOf(Math.min(...byMonth)) + 1;
  // first and last full decades (years …0 to …9) inside the series
  const index = (year: number) => (year - start.year) * 12 + 1 - start.month;
  const firstDecade = Math.ceil((start.year + (start.month > 1 ? 1 : 0)) / 10) * 10;
  const endYear = start.year + Math.floor((start.month - 1 + values.length) / 12) - 1; // last full year
  const lastDecade = Math.floor((endYear + 1) / 10) * 10 - 10;
  return {
    riseMonth,
    rise: byMonth[riseMonth - 1],
    fallMonth,
    fall: byMonth[fallMonth - 1],
    wiggleIn: wiggle(values),
    wiggleAverage: wiggle(outputs.average.values),
    trendPerMonth: mean(outputs.difference.values),
    growth: {
      from: firstDecade,
      to: lastDecade,
      early: meanOver(outputs.seasonal, index(firstDecade), index(firstDecade + 10)),
      late: meanOver(outputs.seasonal, index(lastDecade), index(lastDecade + 10))
    }
  };
}

/** The wiggle left by a k-month moving average, for each k: where it is smallest the seasonal cycle is gone. */
export function movingAverageWiggles(values: ArrayLike<number>, ks: number[]): {k: number; wiggle: number}[] {
  const outs = filterSeries(
    values,
    ks.map((k) => ({name: String(k), kernel: Array.from({length: k}, () => 1 / k)}))
  );
  return outs.map((f, i) => ({k: ks[i], wiggle: wiggle(f.values)}));
}
