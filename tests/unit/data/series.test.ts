import {readFileSync} from "node:fs";
import {describe, expect, test} from "vitest";
import {decimalYear, monthAt, monthlyMeans, parseSeriesCsv} from "../../../lib/data/series.js";

const co2Text = readFileSync(new URL("../../../data/series/co2.csv", import.meta.url), "utf8");

describe("parseSeriesCsv", () => {
  test("reads the CO₂ file: header, 2,284 weekly rows, 59 empty weeks, known rows", () => {
    const {columns, rows} = parseSeriesCsv(co2Text);
    expect(columns).toEqual(["date", "co2"]);
    expect(rows.length).toBe(2284);
    expect(rows.filter((r) => r.value === null).length).toBe(59);
    // the file's first, an empty and its last rows, as written
    expect(rows[0]).toEqual({time: 19580329, value: 316.1});
    expect(rows[6]).toEqual({time: 19580510, value: null});
    expect(rows.at(-1)).toEqual({time: 20011229, value: 371.5});
  });

  test("quoted headers (sunspots.csv style), CRLF, and bad input", () => {
    const {columns, rows} = parseSeriesCsv('"YEAR","SUNACTIVITY"\r\n1700,5\r\n1701,11\r\n');
    expect(columns).toEqual(["YEAR", "SUNACTIVITY"]);
    expect(rows).toEqual([
      {time: 1700, value: 5},
      {time: 1701, value: 11}
    ]);
    expect(() => parseSeriesCsv("a,b\n1700,x\n")).toThrow(/bad value/);
    expect(() => parseSeriesCsv("a,b,c\n")).toThrow(/two columns/);
    expect(() => parseSeriesCsv("")).toThrow(/empty/);
  });
});

describe("monthlyMeans", () => {
  const monthly = monthlyMeans(parseSeriesCsv(co2Text).rows);

  test("March 1958 … December 2001: 526 months, hand-worked means of the weeks", () => {
    expect(monthly.start).toEqual({year: 1958, month: 3});
    expect(monthly.values.length).toBe(526);
    expect(monthAt(monthly, 525)).toEqual({year: 2001, month: 12});
    expect(monthly.weeks).toBe(2284 - 59);
    // 1958-03: one week, 316.1; 1958-04: (317.3 + 317.6 + 317.5 + 316.4) / 4; 1958-05: (316.9 + 317.5 + 317.9) / 3
    expect(monthly.values[0]).toBeCloseTo(316.1, 10);
    expect(monthly.values[1]).toBeCloseTo(317.2, 10);
    expect(monthly.values[2]).toBeCloseTo(952.3 / 3, 10);
    // 1958-07: (315.8 + 315.8 + 315.4 + 315.5) / 4
    expect(monthly.values[4]).toBeCloseTo(315.625, 10);
  });

  test("months without a measured week are interpolated between their neighbours", () => {
    // 1958-06 and 1958-10; 1964-02, -03, -04 (between 1964-01 = 319.4 and 1964-05 = 322.0)
    const idx = (year: number, month: number) => (year - 1958) * 12 + month - 3;
    expect(monthly.filled).toEqual([idx(1958, 6), idx(1958, 10), idx(1964, 2), idx(1964, 3), idx(1964, 4)]);
    expect(monthly.values[idx(1958, 6)]).toBeCloseTo((952.3 / 3 + 315.625) / 2, 10);
    expect(monthly.values[idx(1964, 1)]).toBeCloseTo(319.4, 10);
    expect(monthly.values[idx(1964, 2)]).toBeCloseTo(320.05, 10);
    expect(monthly.values[idx(1964, 4)]).toBeCloseTo(321.35, 10);
    expect(monthly.values.every(Number.isFinite)).toBe(true);
  });

  test("month arithmetic across years", () => {
    expect(monthAt({start: {year: 1958, month: 3}}, 10)).toEqual({year: 1959, month: 1});
    expect(decimalYear({start: {year: 2000, month: 1}}, 0)).toBeCloseTo(2000 + 0.5 / 12, 10);
    expect(() => monthlyMeans([{time: 19581301, value: 1}])).toThrow(/YYYYMMDD/);
    expect(() => monthlyMeans([{time: 19580101, value: null}])).toThrow(/either end/);
  });
});
