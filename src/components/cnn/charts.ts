/** Charts of chapter 2 「CNN」, as functions `(data, {width}) => Plot`, called by the page inside `resize`. */
import {formatCount} from "../../lib/analysis/summary.js";
import * as Plot from "@observablehq/plot";

export const MODEL_COLORS = {domain: ["CNN", "MLP"], range: ["#1971c2", "#e8590c"]};

/** Parameters of a conv layer and a dense layer against input size, log scale (claim C1). */
export function paramChart(rows: {size: number; layer: string; params: number}[], {width = 640} = {}) {
  return Plot.plot({
    width: Math.min(width, 760),
    height: 260,
    marginLeft: 70,
    x: {label: "입력 크기 (H = W, px) →", type: "point", domain: [...new Set(rows.map((r) => r.size))]},
    y: {label: "↑ 파라미터 수 (log)", type: "log", grid: true, tickFormat: "~s"},
    color: {domain: [...new Set(rows.map((r) => r.layer))], range: ["#1971c2", "#e8590c"]},
    // the two lines differ by their points' shape too, not by colour alone (WCAG 1.4.1): the legend shows both
    symbol: {legend: true, domain: [...new Set(rows.map((r) => r.layer))]},
    marks: [
      Plot.line(rows, {x: "size", y: "params", stroke: "layer", strokeWidth: 2.5}),
      Plot.dot(rows, {x: "size", y: "params", fill: "layer", symbol: "layer", r: 5}),
      Plot.text(rows, {x: "size", y: "params", text: (d) => d.params.toLocaleString(), dy: -12, fill: "layer"})
    ]
  });
}

/** Multiply-adds of the ConvNet Example against input size, with and without pooling (claims C3, P1). */
export function costChart(rows: {size: number; variant: string; macs: number}[], {width = 640} = {}) {
  const minSize = Math.min(...rows.map((r) => r.size));
  const maxSize = Math.max(...rows.map((r) => r.size));
  return Plot.plot({
    width: Math.min(width, 760),
    height: 260,
    marginLeft: 70,
    x: {label: "입력 크기 (H = W, px) →", type: "log", ticks: [28, 56, 112, 224], tickFormat: (d: number) => String(d)},
    y: {label: "↑ multiply-adds (log)", type: "log", grid: true, tickFormat: "~s"},
    color: {domain: ["max pooling", "pooling 없음"], range: ["#1971c2", "#e8590c"]},
    symbol: {legend: true, domain: ["max pooling", "pooling 없음"]},
    marks: [
      Plot.line(rows, {x: "size", y: "macs", stroke: "variant", strokeWidth: 2.5}),
      Plot.dot(rows, {x: "size", y: "macs", fill: "variant", symbol: "variant", r: 5}),
      // short labels (712M) that stay inside the frame: the first point's to its right, the last one's to its left,
      // one line's above its dots and the other's below
      ...(["start", "middle", "end"] as const).flatMap((anchor) =>
        [true, false].map((below) =>
          Plot.text(
            rows.filter(
              (d) =>
                (d.variant === "max pooling") === below &&
                anchor === (d.size === minSize ? "start" : d.size === maxSize ? "end" : "middle")
            ),
            {
              x: "size",
              y: "macs",
              text: (d) => formatCount(d.macs),
              textAnchor: anchor,
              dx: anchor === "start" ? 6 : anchor === "end" ? -6 : 0,
              dy: below ? 14 : -12,
              fill: "variant"
            }
          )
        )
      )
    ]
  });
}

/** Test accuracy against the pixel shift of the test images, one line per model (claim C2). */
export function shiftChart(rows: {model: string; shift: number; accuracy: number}[], {width = 640} = {}) {
  return Plot.plot({
    width: Math.min(width, 760),
    height: 280,
    marginLeft: 50,
    x: {label: "가로 이동 (pixel shift) →", ticks: 9},
    y: {label: "↑ 테스트 정확도 (%)", domain: [0, 100], grid: true},
    color: MODEL_COLORS,
    symbol: {legend: true, domain: MODEL_COLORS.domain},
    marks: [
      Plot.ruleX([0], {stroke: "currentColor", strokeOpacity: 0.2}),
      Plot.line(rows, {x: "shift", y: (d) => d.accuracy * 100, stroke: "model", strokeWidth: 2.5}),
      Plot.dot(rows, {x: "shift", y: (d) => d.accuracy * 100, fill: "model", symbol: "model", r: 4, tip: true})
    ]
  });
}

/** Test accuracy of the MLP and the CNN on original and on pixel-permuted MNIST, grouped by model (claim C5). */
export function permutationChart(
  rows: {model: string; data: string; accuracy: number}[],
  {width = 640}: {width?: number} = {}
) {
  return Plot.plot({
    width: Math.min(width, 560),
    height: 260,
    marginLeft: 50,
    marginBottom: 40,
    fx: {label: null, domain: ["MLP", "CNN"]},
    // each bar is named under it, not told apart by colour alone (WCAG 1.4.1)
    x: {label: null, domain: ["원본", "픽셀 섞음"], tickSize: 0},
    y: {label: "↑ 테스트 정확도 (%)", domain: [0, 100], grid: true},
    color: {domain: ["원본", "픽셀 섞음"], range: ["#1971c2", "#f08c00"]},
    marks: [
      Plot.barY(rows, {fx: "model", x: "data", y: (d) => d.accuracy * 100, fill: "data"}),
      Plot.text(rows, {
        fx: "model",
        x: "data",
        y: (d) => d.accuracy * 100,
        text: (d) => `${(d.accuracy * 100).toFixed(1)}%`,
        dy: -8
      }),
      Plot.ruleY([0])
    ]
  });
}
