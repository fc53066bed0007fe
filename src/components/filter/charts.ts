/** Charts of chapter 1, as functions `(data, {width}) => Plot`, called by the page inside `resize`. */
import * as Plot from "@observablehq/plot";

export const KERNEL_COLORS = {domain: ["Sobel", "Scharr"], range: ["#d9480f", "#1971c2"]};

/** Mean |response| of each kernel to each kind of edge (claim F1). */
export function edgeResponseChart(
  rows: {kernel: string; edge: string; response: number}[],
  {width = 480}: {width?: number} = {}
) {
  // the domains come from the rows, so a relabelled row can never fall outside them (and draw nothing)
  const edges = [...new Set(rows.map((d) => d.edge))];
  const kernels = [...new Set(rows.map((d) => d.kernel))];
  return Plot.plot({
    width: Math.min(width, 900),
    height: 210,
    marginLeft: 130,
    marginRight: 50,
    marginBottom: 40,
    x: {label: "평균 |응답| (mean |response|) →", labelAnchor: "center", labelOffset: 34, grid: true},
    y: {axis: null, domain: edges},
    fy: {label: null, axis: "left", domain: kernels},
    color: {legend: true, domain: edges, range: ["#1971c2", "#e8590c"]},
    style: {fontSize: "13px"},
    marks: [
      Plot.barX(rows, {y: "edge", x: "response", fy: "kernel", fill: "edge", tip: true}),
      Plot.text(rows, {
        y: "edge",
        x: "response",
        fy: "kernel",
        text: (d) => d.response.toFixed(2),
        dx: 4,
        textAnchor: "start"
      }),
      Plot.ruleX([0])
    ]
  });
}

/** Signed angle error against the edge angle, one line per kernel, worst cases marked (claim F3). */
export function angleErrorChart(
  rows: {kernel: string; angle: number; error: number; absError: number}[],
  {width = 640, wavelength}: {width?: number; wavelength: number}
) {
  const worstByKernel = new Map<string, (typeof rows)[number]>();
  for (const d of rows) {
    const w = worstByKernel.get(d.kernel);
    if (!w || d.absError > w.absError) worstByKernel.set(d.kernel, d);
  }
  const worst = [...worstByKernel.values()];
  return Plot.plot({
    // a width in steps of 8 px: on a slide zoomed to fit, the container's width can flip by a pixel with each redraw
    // (1019 ⇄ 1020); the same chart for both keeps the page still
    width: Math.floor(width / 8) * 8,
    height: 300,
    marginLeft: 50,
    x: {label: "edge 각도 θ (°) →", domain: [0, 90], ticks: [0, 15, 30, 45, 60, 75, 90]},
    // inset: room for the worst case's label beyond the curve's lowest and highest points (not over the x ticks)
    y: {label: "↑ 측정 각도 − θ (°)", grid: true, nice: true, inset: 24},
    color: {...KERNEL_COLORS, legend: true},
    caption: `파장 λ = ${wavelength} px인 평면파(plane wave)를 0°…90°로 돌려 가며 측정한 각도 오차`,
    marks: [
      Plot.ruleY([0]),
      Plot.ruleX([45], {stroke: "currentColor", strokeOpacity: 0.2, strokeDasharray: "3 3"}),
      Plot.lineY(rows, {x: "angle", y: "error", stroke: "kernel", strokeWidth: 2.5}),
      Plot.dot(worst, {x: "angle", y: "error", fill: "kernel", r: 5, stroke: "white"}),
      // labels: the larger error's outside its curve (away from 0), the smaller's toward 0, so they never collide
      ...[true, false].map((below) =>
        Plot.text(
          worst.filter((d) => {
            const largest = d.absError === Math.max(...worst.map((w) => w.absError));
            return d.error < 0 === largest ? below : !below;
          }),
          {
            x: "angle",
            y: "error",
            text: (d) => `${d.kernel} 최대 ${d.absError.toFixed(2)}° (θ=${d.angle}°)`,
            dy: below ? 12 : -12,
            lineAnchor: below ? "top" : "bottom",
            fill: "kernel",
            fontWeight: "bold",
            stroke: "var(--theme-background)",
            strokeWidth: 4,
            paintOrder: "stroke"
          }
        )
      ),
      Plot.tip(
        rows,
        Plot.pointerX({
          x: "angle",
          y: "error",
          stroke: "kernel",
          title: (d) => `${d.kernel}\nθ = ${d.angle}°\n오차 ${d.error.toFixed(3)}°`
        })
      )
    ]
  });
}

/** Worst-case |angle error| against the wavelength, log scale (claim F3). */
export function wavelengthChart(
  rows: {kernel: string; wavelength: number; worst: number}[],
  {width = 640}: {width?: number} = {}
) {
  return Plot.plot({
    width,
    height: 260,
    marginLeft: 50,
    marginBottom: 40,
    x: {
      label: "파장 λ (px): 작을수록 촘촘한 무늬 →",
      type: "log",
      ticks: [2.5, 3, 4, 6, 8, 12, 16, 24, 32],
      tickFormat: (d: number) => String(d)
    },
    y: {
      label: "↑ 최대 각도 오차 (°)",
      type: "log",
      grid: true,
      tickFormat: (d: number) => (d >= 1 ? d.toFixed(0) : d.toFixed(2))
    },
    color: {...KERNEL_COLORS, legend: true},
    marks: [
      Plot.lineY(rows, {x: "wavelength", y: "worst", stroke: "kernel", strokeWidth: 2.5, marker: "circle"}),
      Plot.tip(
        rows,
        Plot.pointer({
          x: "wavelength",
          y: "worst",
          title: (d) => `${d.kernel}, λ = ${d.wavelength}\n최대 오차 ${d.worst.toFixed(3)}°`
        })
      )
    ]
  });
}

/** Output size against stride for a fixed input, from real tf.conv2d shapes (claim F4, Stride). */
export function strideChart(
  rows: {stride: number; size: number; formula: number}[],
  {width = 480}: {width?: number} = {}
) {
  return Plot.plot({
    width: Math.min(width, 520),
    height: 220,
    marginTop: 30,
    x: {label: "stride s →", ticks: rows.map((d) => d.stride), tickFormat: "d"},
    y: {label: "↑ 출력 크기 (tf.conv2d)", grid: true, nice: true},
    marks: [
      Plot.lineY(rows, {x: "stride", y: "formula", stroke: "#adb5bd", strokeDasharray: "4 3"}),
      Plot.dot(rows, {x: "stride", y: "size", fill: "#1971c2", r: 4, tip: true}),
      Plot.text(rows, {x: "stride", y: "size", text: (d) => String(d.size), dy: -10})
    ]
  });
}
