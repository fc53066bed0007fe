/**
 * V6, information flow: pick a patch (click, or arrow keys on a grid) and see which patches it has exchanged
 * information with after k blocks, for window attention only, for window and shifted-window blocks alternating
 * (Swin), and for ViT's global attention: three grids side by side, a block slider, and a sentence computed from the
 * sets (lib/analysis/swin.ts `reachSets`, lib/viz/swin.ts `reachSummary` / `describeReach`).
 */
import {reachSets, type ReachMode} from "../../lib/analysis/swin.js";
import {describeReach, reachSummary} from "../../lib/viz/swin.js";
import {el} from "../shared/dom.js";
import {rangeInput} from "./shift-view.js";
import {swinStyles} from "./styles.js";

const TITLES: Record<ReachMode, string> = {
  window: "window만 (W-MSA)",
  shifted: "window + shifted window (Swin)",
  global: "global attention (ViT)"
};

/** Blocks looked at for "blocks until every patch": enough for the largest grid offered. */
const HORIZON = 24;

export function reachView({width = 640}: {width?: number} = {}): HTMLElement {
  const state = {m: 4, perSide: 4, blocks: 2, start: [5, 6] as [number, number]};
  const root = el("div", "reach-view");
  root.append(swinStyles());
  const controls = el("div", "reach-controls");
  const grids = el("div", "reach-grids");
  const line = el("p", "reach-line claim-line");
  line.setAttribute("aria-live", "polite");
  const redraw = () => draw();
  const mInput = rangeInput("window M", [2, 3, 4], state.m, (v) => ((state.m = v), redraw()));
  const sideInput = rangeInput("한 변의 window 수", [3, 4], state.perSide, (v) => ((state.perSide = v), redraw()));
  const blockInput = rangeInput(
    "block 수",
    Array.from({length: 13}, (_, i) => i),
    state.blocks,
    (v) => ((state.blocks = v), redraw())
  );
  controls.append(mInput.form, sideInput.form, blockInput.form);
  root.append(controls, grids, line);

  const move = (dr: number, dc: number) => {
    const n = state.m * state.perSide;
    state.start = [
      Math.max(0, Math.min(n - 1, state.start[0] + dr)),
      Math.max(0, Math.min(n - 1, state.start[1] + dc))
    ];
    draw();
  };

  function draw() {
    const n = state.m * state.perSide;
    state.start = [Math.min(state.start[0], n - 1), Math.min(state.start[1], n - 1)];
    const focused = grids.contains(document.activeElement)
      ? (document.activeElement as HTMLElement).dataset.mode
      : null;
    const cell = Math.max(5, Math.min(12, Math.floor((Math.min(width, 960) - 48) / 3 / n)));
    const summary = reachSummary(n, n, state.m, state.start, HORIZON);
    grids.replaceChildren(
      ...(["window", "shifted", "global"] as const).map((mode, i) => {
        const sets = reachSets(n, n, state.m, state.start, state.blocks, {mode});
        const reach = sets[state.blocks];
        const box = el("div", "reach-grid");
        box.dataset.mode = mode;
        box.dataset.count = String(summary[i].counts[state.blocks]);
        box.tabIndex = 0;
        box.setAttribute("role", "group");
        box.setAttribute(
          "aria-label",
          `${TITLES[mode]}: ${state.blocks} block 뒤 ${summary[i].counts[state.blocks]}개 patch. 화살표로 시작 patch를 옮깁니다`
        );
        box.append(
          el("span", "", `${TITLES[mode]}: ${summary[i].counts[state.blocks]}개`),
          grid(n, state.m, reach, cell, mode)
        );
        box.addEventListener("keydown", (e) => {
          const d: Record<string, [number, number]> = {
            ArrowUp: [-1, 0],
            ArrowDown: [1, 0],
            ArrowLeft: [0, -1],
            ArrowRight: [0, 1]
          };
          if (!(e.key in d)) return;
          e.preventDefault();
          e.stopPropagation(); // not the presentation's slide keys
          move(...d[e.key]);
        });
        box.addEventListener("click", (e) => {
          const target = (e.target as Element).closest("[data-cell]");
          if (!target) return;
          const p = Number(target.getAttribute("data-cell"));
          state.start = [Math.floor(p / n), p % n];
          draw();
        });
        return box;
      })
    );
    if (focused) (grids.querySelector(`[data-mode="${focused}"]`) as HTMLElement | null)?.focus();
    Object.assign(root.dataset, {
      grid: String(n),
      window: String(state.m),
      blocks: String(state.blocks),
      start: state.start.join(","),
      full: JSON.stringify(summary.map((s) => s.full))
    });
    line.textContent = describeReach(n, n, state.m, state.start, state.blocks, summary);
  }

  function grid(n: number, m: number, reach: number[], cell: number, mode: ReachMode): SVGSVGElement {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    const size = n * cell + 1;
    svg.setAttribute("width", String(size));
    svg.setAttribute("height", String(size));
    svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
    svg.setAttribute("aria-hidden", "true");
    const [r0, c0] = state.start;
    for (let p = 0; p < n * n; p++) {
      const [r, c] = [Math.floor(p / n), p % n];
      const rect = document.createElementNS(ns, "rect");
      rect.setAttribute("x", String(c * cell + 0.5));
      rect.setAttribute("y", String(r * cell + 0.5));
      rect.setAttribute("width", String(cell));
      rect.setAttribute("height", String(cell));
      const start = r === r0 && c === c0;
      rect.setAttribute("fill", start ? "#d55e00" : reach[p] ? "#0072b2" : "#eeeeee");
      rect.setAttribute("stroke", "#fff");
      rect.setAttribute("data-cell", String(p));
      if (reach[p]) rect.setAttribute("data-reached", "");
      svg.append(rect);
    }
    // window borders of the unshifted partition
    const path = document.createElementNS(ns, "path");
    let d = "";
    for (let k = 0; k <= n; k += m) d += `M${k * cell + 0.5},0V${size}M0,${k * cell + 0.5}H${size}`;
    path.setAttribute("d", d);
    path.setAttribute("stroke", mode === "global" ? "#bbb" : "#222");
    path.setAttribute("stroke-width", "1.5");
    svg.append(path);
    return svg;
  }

  draw();
  return root;
}
