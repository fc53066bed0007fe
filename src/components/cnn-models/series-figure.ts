/**
 * Claim D1 of chapter 3 「CNN Model 비교」: a real time series (monthly CO₂ at Mauna Loa) with the outputs of 1D
 * filters drawn under it on the same time axis. The filtering is lib/ops/conv1d.ts (`tf.conv1d`); this file draws.
 */
import * as Plot from "@observablehq/plot";
import {decimalYear, type MonthlySeries} from "../../lib/data/series.js";
import type {FilteredSeries} from "../../lib/ops/conv1d.js";

const COLORS = ["#1971c2", "#e8590c", "#2f9e44", "#7048e8"];

/** The series on top, each filter's output in its own strip under it (same x: years). */
export function seriesFilterFigure(
  series: MonthlySeries,
  outputs: FilteredSeries[],
  {width = 760, unit = "ppm"}: {width?: number; unit?: string} = {}
): HTMLElement {
  const root = document.createElement("figure");
  root.className = "series-figure";
  root.dataset.claim = "D1";
  const years = series.values.map((_, i) => decimalYear(series, i));
  const domain: [number, number] = [years[0], years[years.length - 1]];
  const strip = (title: string, rows: {year: number; value: number}[], color: string, height: number, zero: boolean) =>
    Plot.plot({
      width,
      height,
      marginLeft: 52,
      marginTop: 22,
      x: {domain, label: null, tickFormat: "d"},
      y: {label: title, grid: true, labelAnchor: "top", labelArrow: "none"},
      style: {fontSize: "12px"},
      marks: [
        ...(zero ? [Plot.ruleY([0], {stroke: "#adb5bd"})] : []),
        Plot.lineY(rows, {x: "year", y: "value", stroke: color, strokeWidth: 1.3})
      ]
    });
  root.append(
    strip(
      `입력: 월평균 CO₂ (${unit})`,
      series.values.map((value, i) => ({year: years[i], value})),
      "#212529",
      150,
      false
    )
  );
  outputs.forEach((f, j) => {
    const rows = Array.from(f.values, (value, i) => ({year: years[f.offset + i], value}));
    root.append(
      strip(
        f.name,
        rows,
        COLORS[j % COLORS.length],
        105,
        rows.some((r) => r.value < 0)
      )
    );
  });
  const caption = document.createElement("figcaption");
  caption.textContent =
    `가로축: 연도 (${series.start.year}–${Math.floor(domain[1])}). 각 출력은 그 필터가 쓰는 마지막 달에 그렸습니다 ` +
    `(출력 t는 t와 그 이전 달만 씁니다).`;
  root.append(caption);
  return root;
}
