import {describe, expect, test} from "vitest";
import {
  co2Filters,
  describeCo2Filters,
  movingAverageWiggles,
  conv1dOutputLength,
  filterSeries,
  kernelSpan,
  meanByCalendarMonth,
  meanOver,
  standardDeviation,
  wiggle
} from "../../../lib/ops/conv1d.js";
import {mulberry32} from "../../../lib/random.js";

/** Independent reference: y[t] = Σ_u w[u] · x[t − (k − 1 − u)·d] for t = (k − 1)d … T − 1. */
function naive(x: number[], w: number[], d = 1): number[] {
  const out: number[] = [];
  for (let t = (w.length - 1) * d; t < x.length; t++) {
    let s = 0;
    for (let u = 0; u < w.length; u++) s += w[u] * x[t - (w.length - 1 - u) * d];
    out.push(s);
  }
  return out;
}

describe("filterSeries (tf.conv1d)", () => {
  const rand = mulberry32(11);
  const x = Array.from({length: 60}, () => rand() * 10);

  test("matches a naive loop for plain, averaging and dilated kernels; offsets are (k − 1)d", () => {
    const filters = [
      {name: "a", kernel: [-1, 1]},
      {name: "b", kernel: [0.2, 0.3, 0.5]},
      {name: "c", kernel: [-1, 1], dilation: 12},
      {name: "d", kernel: [1, -2, 1], dilation: 4}
    ];
    const out = filterSeries(x, filters);
    out.forEach((f, i) => {
      const ref = naive(x, filters[i].kernel, filters[i].dilation);
      expect(f.values.length).toBe(ref.length);
      expect(f.values.length).toBe(conv1dOutputLength(x.length, filters[i].kernel.length, filters[i].dilation));
      expect(f.offset).toBe(kernelSpan(filters[i].kernel.length, filters[i].dilation) - 1);
      f.values.forEach((v, t) => expect(v).toBeCloseTo(ref[t], 4));
    });
    // hand-worked: the 12-month difference at t = 12 is x[12] − x[0]
    expect(out[2].values[0]).toBeCloseTo(x[12] - x[0], 4);
  });

  test("the page's filters: the moving average of 12 removes a 12-step cycle exactly, keeps a level", () => {
    const season = Array.from(
      {length: 48},
      (_, t) => 5 + Math.sin((2 * Math.PI * t) / 12) + 0.5 * Math.cos((4 * Math.PI * t) / 12)
    );
    const f = co2Filters(12);
    const [avg, seas] = filterSeries(season, [f.average, f.seasonal]);
    for (const v of avg.values) expect(v).toBeCloseTo(5, 4);
    for (const v of seas.values) expect(v).toBeCloseTo(0, 4);
    expect(wiggle(avg.values)).toBeLessThan(1e-4);
    expect(f.average.kernel.length).toBe(12);
  });

  test("statistics the sentences use", () => {
    expect(standardDeviation([1, 3])).toBe(1);
    expect(wiggle([0, 1, 3, 6])).toBeCloseTo(standardDeviation([1, 2, 3]), 12);
    // outputs drawn at input indices 1, 2, 3 (offset 1): months Feb, Mar, Apr when index 0 is January
    const f = {name: "x", offset: 1, values: Float32Array.from([2, 4, 6])};
    const byMonth = meanByCalendarMonth(f, 1);
    expect(byMonth.slice(1, 4)).toEqual([2, 4, 6]);
    expect(Number.isNaN(byMonth[0])).toBe(true);
    expect(meanOver(f, 0, 3)).toBe(3); // outputs at indices 1 and 2
    expect(Number.isNaN(meanOver(f, 10, 20))).toBe(true);
  });
});

describe("describeCo2Filters on a synthetic series with a known trend and season", () => {
  // 1958-03 … 2001-12 (526 months): level 300 + 0.1·t ppm, plus a season whose month-to-month change is largest
  // into April and most negative into August (a sine peaking at its steepest there)
  const start = {year: 1958, month: 3};
  const values = Array.from({length: 526}, (_, t) => {
    const month = ((start.month - 1 + t) % 12) + 1;
    return 300 + 0.1 * t + 3 * Math.sin((2 * Math.PI * (month - 1)) / 12);
  });
  const f = co2Filters(12);
  const [difference, average, seasonal] = filterSeries(values, [f.difference, f.average, f.seasonal]);
  const r = describeCo2Filters(values, start, {difference, average, seasonal});

  test("the 12-month difference is the trend's 1.2 ppm a year in both decades (1960s and 1990s)", () => {
    expect(r.growth.from).toBe(1960);
    expect(r.growth.to).toBe(1990);
    expect(r.growth.early).toBeCloseTo(1.2, 3);
    expect(r.growth.late).toBeCloseTo(1.2, 3);
  });

  test("the month of the largest rise and fall follow the sine; the moving average leaves only the trend", () => {
    // month-to-month change into month m: 3·(sin(2π(m−1)/12) − sin(2π(m−2)/12)) + 0.1, largest for m = 1…2
    const change = (m: number) => 3 * (Math.sin((2 * Math.PI * (m - 1)) / 12) - Math.sin((2 * Math.PI * (m - 2)) / 12));
    const months = Array.from({length: 12}, (_, i) => i + 1);
    const best = months.reduce((a, b) => (change(b) > change(a) ? b : a));
    const worst = months.reduce((a, b) => (change(b) < change(a) ? b : a));
    expect(r.riseMonth).toBe(best);
    expect(r.fallMonth).toBe(worst);
    expect(r.rise).toBeCloseTo(change(best) + 0.1, 3);
    expect(r.fall).toBeCloseTo(change(worst) + 0.1, 3);
    expect(r.wiggleAverage).toBeLessThan(1e-3);
    // the mean of first differences telescopes: (x[T−1] − x[0]) / (T − 1), near the trend's 0.1
    expect(r.trendPerMonth).toBeCloseTo((values[525] - values[0]) / 525, 4);
    expect(Math.abs(r.trendPerMonth - 0.1)).toBeLessThan(0.01);
    expect(r.wiggleIn).toBeGreaterThan(1);
  });

  test("movingAverageWiggles: k = 12 and 24 remove the season; 7 does not", () => {
    const w = movingAverageWiggles(values, [7, 12, 24]);
    expect(w.map((x) => x.k)).toEqual([7, 12, 24]);
    expect(w[1].wiggle).toBeLessThan(1e-3);
    expect(w[2].wiggle).toBeLessThan(1e-3);
    expect(w[0].wiggle).toBeGreaterThan(0.05);
  });
});
