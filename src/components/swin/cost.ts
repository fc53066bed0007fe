/**
 * V6, cost: the paper's formulas Ω(MSA) and Ω(W-MSA) typeset with the reader's numbers (resolution, C, M), a chart of
 * both as the image grows (log y), and a panel that measures global against window attention on the active backend
 * (lib/analysis/swin-cost.ts `measureAttentionCost`: multi-head attention over all patches against M×M windows).
 */
import * as Plot from "@observablehq/plot";
import {costSeries, describeCost, describeMeasured, formatMacs} from "../../lib/viz/swin.js";
import {measureAttentionCost, type AttentionCostRow} from "../../lib/analysis/swin-cost.js";
import {experimentPanel, tagged, type ExperimentPanel} from "../shared/experiment-panel.js";
import {el, nextFrame} from "../shared/dom.js";
import {tex} from "../shared/tex.js";
import {backend} from "../shared/ready.js";
import {rangeInput} from "./shift-view.js";
import {scrollBox, swinStyles} from "./styles.js";

/** Image sides of the chart and the slider: multiples of 32 (Swin's four stages halve a patch grid of P = 4 three times). */
export const RESOLUTIONS = [64, 128, 224, 320, 448, 640, 896, 1024];

/** The formulas with the reader's numbers (`view`) and the chart over resolutions (`chart`): two slides, one state. */
export function costView({width = 640}: {width?: number} = {}): {view: HTMLElement; chart: HTMLElement} {
  const state = {resolution: 224, channels: 96, window: 7};
  const root = el("div", "swin-cost");
  root.append(swinStyles());
  const controls = el("div", "swin-controls");
  const formulas = el("div", "swin-formulas");
  const line = el("p", "cost-line claim-line");
  const chart = el("div", "cost-chart");
  const redraw = () => draw();
  controls.append(
    rangeInput("이미지 크기 (픽셀)", RESOLUTIONS, state.resolution, (v) => ((state.resolution = v), redraw())).form,
    rangeInput("C", [32, 64, 96, 128], state.channels, (v) => ((state.channels = v), redraw())).form,
    rangeInput("M", [4, 7, 8, 14], state.window, (v) => ((state.window = v), redraw())).form
  );
  root.append(controls, formulas, line);

  function draw() {
    const c = {patch: 4, channels: state.channels, window: state.window};
    const [row] = costSeries([state.resolution], c);
    const {h} = row;
    const C = state.channels;
    const M = state.window;
    const n = (x: number) => x.toLocaleString("en-US");
    formulas.replaceChildren(
      tex.block`\begin{aligned}\Omega(\text{MSA}) &= 4hwC^2 + 2(hw)^2C \\ &= 4\cdot${n(h * h)}\cdot${C}^2 + 2\cdot${n(h * h)}^2\cdot${C} \approx ${formatMacs(row.msa).replace(" ", "\\,")}\end{aligned}`,
      tex.block`\begin{aligned}\Omega(\text{W-MSA}) &= 4hwC^2 + 2M^2hwC \\ &= 4\cdot${n(h * h)}\cdot${C}^2 + 2\cdot${M}^2\cdot${n(h * h)}\cdot${C} \approx ${formatMacs(row.wmsa).replace(" ", "\\,")}\end{aligned}`
    );
    line.textContent = describeCost(row, state);
    Object.assign(root.dataset, {h: String(h), msa: String(row.msa), wmsa: String(row.wmsa)});
    const series = costSeries(RESOLUTIONS, c).flatMap((r) => [
      {resolution: r.resolution, macs: r.msa, kind: "global attention (MSA)"},
      {resolution: r.resolution, macs: r.wmsa, kind: "window attention (W-MSA)"}
    ]);
    chart.replaceChildren(
      Plot.plot({
        width: Math.min(width, 640),
        height: 240,
        marginLeft: 60,
        x: {label: "이미지 크기 (픽셀) →", grid: true},
        y: {type: "log", label: "↑ multiply-add (한 층)", grid: true, tickFormat: "~s"},
        color: {
          legend: true,
          domain: ["global attention (MSA)", "window attention (W-MSA)"],
          range: ["#d55e00", "#0072b2"]
        },
        marks: [
          Plot.line(series, {x: "resolution", y: "macs", stroke: "kind"}),
          Plot.dot(series, {x: "resolution", y: "macs", fill: "kind", symbol: "kind", r: 3}),
          Plot.ruleX([state.resolution], {stroke: "#888", strokeDasharray: "4 3"})
        ],
        symbol: {domain: ["global attention (MSA)", "window attention (W-MSA)"], range: ["circle", "square"]}
      })
    );
  }
  draw();
  return {view: root, chart};
}

/** Sizes (patches per side) the measurement can go up to: multiples of 7 (M = 7). */
const MEASURE_LIMITS = [28, 42, 56];

/** Measure global vs window attention for h = 14, 28, … up to the chosen limit; a table and a sentence. */
export function measurePanel({invalidation}: {invalidation?: Promise<unknown>} = {}): ExperimentPanel {
  const limit = el("form", "swin-range");
  const label = el("label", "", "가장 큰 크기 (patch)");
  const select = el("select", "");
  select.id = "swin-measure-limit";
  label.htmlFor = select.id;
  for (const v of MEASURE_LIMITS) select.append(new Option(`${v}×${v}`, String(v), v === 42, v === 42));
  limit.append(label, select);
  const panel = experimentPanel({
    action: "측정",
    idle: "버튼을 누르면 이 브라우저에서 두 attention을 크기별로 재어 봅니다 (C = 32, head 2개, M = 7).",
    settings: [limit],
    invalidation,
    async run(ctx) {
      const top = Number(select.value);
      const sizes = [14, 28, 42, 56].filter((s) => s <= top);
      // one size at a time (lib/analysis/swin-cost.ts), with a frame and a pause point between sizes
      const rows: AttentionCostRow[] = [];
      for (const [i, side] of sizes.entries()) {
        ctx.status(`${side}×${side} patch를 재는 중… (${i + 1}/${sizes.length})`);
        await nextFrame();
        await ctx.checkpoint();
        if (ctx.signal.aborted) return;
        rows.push(...(await measureAttentionCost({sides: [side], channels: 32, numHeads: 2, windowSize: 7})));
        ctx.progress((i + 1) / sizes.length);
      }
      const table = el("table", "swin-table measure-table");
      table.innerHTML =
        `<thead><tr><th>patch</th><th>global ms</th><th>window ms</th><th>global MB</th><th>window MB</th></tr></thead>` +
        `<tbody>${rows
          .map(
            (r) =>
              `<tr data-side="${r.side}"><td>${r.side}×${r.side} (${r.tokens.toLocaleString("en-US")})</td><td>${r.globalMs.toFixed(1)}</td>` +
              `<td>${r.windowMs.toFixed(1)}</td><td>${(r.globalBytes / 2 ** 20).toFixed(2)}</td><td>${(r.windowBytes / 2 ** 20).toFixed(2)}</td></tr>`
          )
          .join("")}</tbody>`;
      const result = el("p", "experiment-result claim-line", describeMeasured(rows, backend.name));
      result.dataset.rows = JSON.stringify(rows);
      ctx.out.append(scrollBox(table), result);
      ctx.status(`${rows.length}개 크기를 재었습니다.`);
    }
  });
  return tagged(panel, "measure");
}
