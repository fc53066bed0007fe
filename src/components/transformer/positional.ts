/**
 * Chapter 7 「Transformer」: the sinusoidal positional encoding as a heatmap (positions × dimensions) and the values
 * at the reader's position, from lib/models/layers/positional-encoding.ts (the table the model adds).
 */
import * as Plot from "@observablehq/plot";
import {sinusoidalEncodingRows} from "../../lib/models/layers/positional-encoding.js";
import {el} from "../shared/dom.js";

export interface PositionalOptions {
  /** Positions drawn. */
  length: number;
  dModel: number;
  /** The reader's position. */
  pos: number;
  width?: number;
}

/** Heatmap of PE[pos][k] with the chosen position marked, and that row as a chart and a table of its first values. */
export function positionalView({length, dModel, pos, width = 720}: PositionalOptions): HTMLElement {
  const rows = sinusoidalEncodingRows(Math.max(length, pos + 1), dModel);
  const cells = rows.slice(0, length).flatMap((row, p) => row.map((v, k) => ({p, k, v})));
  const root = el("div", "pe-view");
  const w = Math.min(width, 720);
  const heat = Plot.plot({
    width: w,
    height: Math.min(320, 60 + 5 * length),
    marginLeft: 50,
    x: {label: "차원 k →", axis: "top"},
    y: {label: "↓ 위치 pos", reverse: false},
    color: {scheme: "RdBu", domain: [-1, 1]},
    marks: [
      Plot.raster(cells, {
        x: "k",
        y: "p",
        fill: "v",
        x1: 0,
        x2: dModel,
        y1: 0,
        y2: length,
        width: dModel,
        height: length
      }),
      Plot.ruleY([pos + 0.5], {stroke: "black", strokeWidth: 1.5, strokeDasharray: "4 2"})
    ]
  });
  const row = rows[pos];
  const line = Plot.plot({
    width: w,
    height: 170,
    marginLeft: 50,
    x: {label: "차원 k →"},
    y: {label: `↑ PE(${pos}, k)`, domain: [-1.05, 1.05], grid: true},
    marks: [
      Plot.ruleY([0]),
      Plot.lineY(row, {x: (_, k) => k, y: (v) => v, stroke: "#adb5bd"}),
      Plot.dot(row, {
        x: (_, k) => k,
        y: (v) => v,
        fill: (_, k) => (k % 2 ? "cos (k 홀수)" : "sin (k 짝수)"),
        symbol: (_: number, k: number) => (k % 2 ? "cos (k 홀수)" : "sin (k 짝수)"),
        r: 2.5
      })
    ],
    color: {domain: ["sin (k 짝수)", "cos (k 홀수)"], range: ["#e8590c", "#1c7ed6"]},
    // sin and cos points differ in shape too, not by colour alone (WCAG 1.4.1)
    symbol: {legend: true, domain: ["sin (k 짝수)", "cos (k 홀수)"]}
  });
  const table = el("table", "pe-values");
  const shown = Math.min(8, dModel);
  const head = table.createTHead().insertRow();
  head.append(el("th", "", "k"));
  for (let k = 0; k < shown; k++) head.append(el("th", "num", String(k)));
  const body = table.createTBody().insertRow();
  body.append(el("td", "", `PE(${pos}, k)`));
  for (let k = 0; k < shown; k++) {
    const td = el("td", "num", row[k].toFixed(4));
    td.dataset.k = String(k);
    body.append(td);
  }
  root.dataset.pos = String(pos);
  root.dataset.dModel = String(dModel);
  root.dataset.values = JSON.stringify(row);
  const scroll = el("div", "table-scroll");
  scroll.style.cssText = "overflow-x: auto; max-width: 100%";
  scroll.append(table);
  const key = el("p", "small muted", "색: 빨강 = −1, 흰색 = 0, 파랑 = +1. 점선이 고른 위치의 행입니다.");
  root.append(heat, key, line, scroll);
  return root;
}
