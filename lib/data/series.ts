/**
 * The time series of chapter 3 「CNN Model 비교」 (section 1D Convolution, claim D1): weekly atmospheric CO₂ at
 * Mauna Loa, 1958–2001 (`data/series/co2.csv`, from Debian's python3-statsmodels 0.13.5 datasets, public domain).
 *
 * The file has two columns, `date` (YYYYMMDD, one row a week) and `co2` (ppm), and 59 weeks without a value.
 * `parseSeriesCsv` reads it (or any two-column CSV of a time key and a value, such as sunspots.csv);
 * `monthlyMeans` averages the weeks of each calendar month and fills the months with no measured week by linear
 * interpolation between their neighbours (the filled months are listed). Pure: text in, arrays out.
 */

/** One row of a two-column series: its time key as written (YYYYMMDD or a year) and its value, null when empty. */
export interface SeriesRow {
  time: number;
  value: number | null;
}

export interface ParsedSeries {
  /** The header's two names, quotes removed. */
  columns: [string, string];
  rows: SeriesRow[];
}

const unquote = (s: string) => s.trim().replace(/^"(.*)"$/, "$1");

/** Parse a two-column CSV with a header row; an empty value cell becomes null. */
export function parseSeriesCsv(text: string): ParsedSeries {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  if (lines.length === 0) throw new Error("empty series file");
  const header = lines[0].split(",").map(unquote);
  if (header.length !== 2) throw new Error(`expected two columns, found ${header.length}: ${lines[0]}`);
  const rows = lines.slice(1).map((line, i) => {
    const cells = line.split(",").map(unquote);
    if (cells.length !== 2) throw new Error(`line ${i + 2}: expected two cells: ${line}`);
    const time = Number(cells[0]);
    if (!Number.isFinite(time) || cells[0] === "") throw new Error(`line ${i + 2}: bad time key "${cells[0]}"`);
    const value = cells[1] === "" ? null : Number(cells[1]);
    if (value !== null && !Number.isFinite(value)) throw new Error(`line ${i + 2}: bad value "${cells[1]}"`);
    return {time, value};
  });
  return {columns: [header[0], header[1]], rows};
}

/** A monthly series: `values[i]` is the month `start` + i. */
export interface MonthlySeries {
  /** First month: year and month 1…12. */
  start: {year: number; month: number};
  values: number[];
  /** Indices of months that had no measured week and were interpolated. */
  filled: number[];
  /** Measured weeks that went into the means. */
  weeks: number;
}

/** Year and month (1…12) of index `i` of a monthly series. */
export function monthAt(series: Pick<MonthlySeries, "start">, i: number): {year: number; month: number} {
  const m = series.start.month - 1 + i;
  return {year: series.start.year + Math.floor(m / 12), month: (((m % 12) + 12) % 12) + 1};
}

/** The time of index `i` in fractional years (the middle of the month), for charts. */
export function decimalYear(series: Pick<MonthlySeries, "start">, i: number): number {
  const {year, month} = monthAt(series, i);
  return year + (month - 0.5) / 12;
}

/**
 * Monthly means of weekly rows keyed YYYYMMDD: every month from the first row's to the last row's, the mean of
 * its measured weeks; a month with none is interpolated linearly between the nearest measured months.
 */
export function monthlyMeans(rows: SeriesRow[]): MonthlySeries {
  if (rows.length === 0) throw new Error("no rows");
  const ym = (t: number) => {
    const year = Math.floor(t / 10000);
    const month = Math.floor(t / 100) % 100;
    if (month < 1 || month > 12) throw new Error(`not a YYYYMMDD date: ${t}`);
    return year * 12 + month - 1;
  };
  const first = ym(rows[0].time);
  const last = ym(rows[rows.length - 1].time);
  const sums = new Array<number>(last - first + 1).fill(0);
  const counts = new Array<number>(last - first + 1).fill(0);
  let weeks = 0;
  for (const r of rows) {
    if (r.value === null) continue;
    const i = ym(r.time) - first;
    sums[i] += r.value;
    counts[i]++;
    weeks++;
  }
  const values = sums.map((s, i) => (counts[i] > 0 ? s / counts[i] : NaN));
  const filled: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (!Number.isNaN(values[i])) continue;
    let lo = i - 1;
    while (lo >= 0 && counts[lo] === 0) lo--;
    let hi = i + 1;
    while (hi < values.length && counts[hi] === 0) hi++;
    if (lo < 0 || hi >= values.length) throw new Error("cannot interpolate a missing month at either end");
    values[i] = values[lo] + ((values[hi] - values[lo]) * (i - lo)) / (hi - lo);
    filled.push(i);
  }
  return {start: {year: Math.floor(first / 12), month: (first % 12) + 1}, values, filled, weeks};
}
