/**
 * V6, the questions learners ask (the Swin repository's issues), each answered by a computation:
 * - why the shift is ⌊M/2⌋: new pairs that meet in a shifted window for every s (lib/viz/swin.ts `newPairs`);
 * - what the mask's −100 does: a softmax with and without it, in float32 (TF.js) and float64;
 * - how the relative position index is built: pick two patches of a window, see Δrow, Δcol and the table cell.
 */
import {SWIN_MASK_VALUE} from "../../lib/analysis/swin.js";
import {withParticle} from "../../lib/korean.js";
import {
  describeMaskSoftmax,
  formatWeight,
  MASK_TEXT,
  maskedSoftmax,
  newPairs,
  relativePair
} from "../../lib/viz/swin.js";
import {tf} from "../shared/ready.js";
import {el} from "../shared/dom.js";
import {rangeInput} from "./shift-view.js";
import {scrollBox, swinStyles} from "./styles.js";

/** New pairs per shifted window for every shift 1…M − 1; the largest rows in bold. */
export function shiftTable(): HTMLElement {
  const root = el("div", "shift-table");
  root.append(swinStyles());
  const body = el("div", "");
  const line = el("p", "claim-line shift-line");
  const draw = (m: number) => {
    const rows = Array.from({length: m - 1}, (_, i) => ({s: i + 1, pairs: newPairs(m, i + 1)}));
    const best = Math.max(...rows.map((r) => r.pairs));
    const table = el("table", "swin-table");
    table.innerHTML =
      `<thead><tr><th>shift s</th><th>조각 (patch 수)</th><th>새로 만나는 쌍 (query–key 순서쌍)</th></tr></thead><tbody>` +
      rows
        .map(
          (r) =>
            `<tr data-s="${r.s}" data-pairs="${r.pairs}"${r.pairs === best ? ' class="best"' : ""}><td>${r.s}${r.s === Math.floor(m / 2) ? " = ⌊M/2⌋" : ""}</td>` +
            `<td>${[(m - r.s) ** 2, r.s * (m - r.s), (m - r.s) * r.s, r.s ** 2].join(", ")}</td><td>${r.pairs.toLocaleString("en-US")}${r.pairs === best ? " (최대)" : ""}</td></tr>`
        )
        .join("") +
      `</tbody>`;
    body.replaceChildren(scrollBox(table));
    const winners = rows.filter((r) => r.pairs === best).map((r) => r.s);
    line.textContent =
      `M = ${m}: 안쪽의 shifted window 하나는 이전 block의 window 넷에서 조각을 가져옵니다. 이전에 같은 window였던 쌍을 빼면, ` +
      `새로 만나는 patch 쌍 (query–key 순서쌍)은 s = ${winners.map((w, k) => (k < winners.length - 1 ? withParticle(String(w), "과/와") : String(w))).join(" ")}일 때 ${best.toLocaleString("en-US")}개로 가장 많습니다. ${withParticle(`⌊M/2⌋ = ${Math.floor(m / 2)}`, "은/는")} ` +
      `${winners.includes(Math.floor(m / 2)) ? "그중 하나입니다" : "최대가 아닙니다"}. s = 0이면 새로 만나는 쌍이 없습니다 (${newPairs(m, 0)}).`;
    root.dataset.window = String(m);
  };
  const input = rangeInput("M", [3, 4, 5, 6, 7, 8], 7, draw);
  root.append(input.form, body, line);
  draw(7);
  return root;
}

/** A softmax over four keys, two of them in another region (+ −100), with the blocked score set by the reader. */
export function maskSoftmaxView(): HTMLElement {
  const root = el("div", "mask-softmax");
  root.append(swinStyles());
  const out = el("div", "");
  const line = el("p", "claim-line softmax-line");
  const scores = [1.0, 0.5, 2.0, 3.0];
  const mask = [0, 0, SWIN_MASK_VALUE, SWIN_MASK_VALUE];
  const draw = (blocked: number) => {
    scores[3] = blocked;
    const f64 = maskedSoftmax(scores, mask);
    const plain = maskedSoftmax(scores, [0, 0, 0, 0]);
    const f32 = tf.tidy(() => tf.softmax(tf.add(tf.tensor1d(scores), tf.tensor1d(mask))).dataSync() as Float32Array);
    const fmt = formatWeight;
    const table = el("table", "swin-table");
    table.innerHTML =
      `<thead><tr><th>key</th><th>score</th><th>mask</th><th>mask 없이</th><th>mask (float64)</th><th>mask (TF.js float32)</th></tr></thead><tbody>` +
      scores
        .map(
          (s, i) =>
            `<tr data-key="${i}" data-f32="${f32[i]}"><td>${i + 1} (${mask[i] ? "다른 region" : "같은 region"})</td><td>${s.toFixed(1)}</td><td>${mask[i] ? MASK_TEXT : 0}</td>` +
            `<td>${fmt(plain[i])}</td><td>${fmt(f64[i])}</td><td>${fmt(f32[i])}</td></tr>`
        )
        .join("") +
      `</tbody>`;
    out.replaceChildren(scrollBox(table));
    line.textContent = describeMaskSoftmax(blocked, {
      plain: plain[3],
      masked: f64[3],
      f32: f32[3],
      open: f32[0] + f32[1],
      higher: blocked > Math.max(scores[0], scores[1])
    });
    root.dataset.blocked = String(blocked);
    root.dataset.f32 = JSON.stringify(Array.from(f32));
  };
  const input = rangeInput(
    "key 4의 score",
    Array.from({length: 11}, (_, i) => i),
    3,
    (v) => draw(v)
  );
  root.append(input.form, out, line);
  draw(3);
  return root;
}

/** An integer with a real minus sign. */
const signed = (x: number) => (x < 0 ? `\u2212${-x}` : String(x));

/** Pick query i and key j in an M×M window (click, or arrows + Enter); Δrow, Δcol and the bias table's cell. */
export function relativeIndexView({width = 640}: {width?: number} = {}): HTMLElement {
  const state = {m: 3, i: 0, j: 8, cursor: 0, picking: "i" as "i" | "j"};
  const root = el("div", "rel-index");
  root.append(swinStyles());
  const view = el("div", "rel-view");
  const line = el("p", "claim-line rel-line");
  line.setAttribute("aria-live", "polite");
  const input = rangeInput("window M", [2, 3, 4, 5, 7], state.m, (v) => {
    state.m = v;
    state.i = 0;
    state.j = v * v - 1;
    state.cursor = 0;
    draw();
  });
  root.append(
    input.form,
    el("p", "small", "window에서 patch를 누르면 query i와 key j를 번갈아 고릅니다 (키보드: 화살표로 옮기고 Enter)."),
    view,
    line
  );
  const ns = "http://www.w3.org/2000/svg";
  const rect = (x: number, y: number, s: number, fill: string, text?: string) => {
    const g = document.createElementNS(ns, "g");
    const r = document.createElementNS(ns, "rect");
    for (const [k, v] of Object.entries({x, y, width: s, height: s, fill, stroke: "#fff"}))
      r.setAttribute(k, String(v));
    g.append(r);
    if (text) {
      const t = document.createElementNS(ns, "text");
      for (const [k, v] of Object.entries({
        x: x + s / 2,
        y: y + s / 2,
        "text-anchor": "middle",
        "dominant-baseline": "central",
        "font-size": Math.min(12, s / 2.2),
        fill: "#fff"
      }))
        t.setAttribute(k, String(v));
      t.textContent = text;
      g.append(t);
    }
    return g;
  };

  function draw() {
    const m = state.m;
    const side = 2 * m - 1;
    const p = relativePair(m, state.i, state.j);
    const cell = Math.min(40, Math.floor(Math.min(width, 640) / 2 / m));
    const win = document.createElementNS(ns, "svg");
    win.setAttribute("width", String(m * cell));
    win.setAttribute("height", String(m * cell));
    const winBox = el("div", "rel-window");
    winBox.tabIndex = 0;
    winBox.setAttribute("role", "group");
    winBox.setAttribute(
      "aria-label",
      `${m}×${m} window: 화살표로 patch를 옮기고 Enter로 ${state.picking === "i" ? "query i" : "key j"}를 고릅니다`
    );
    for (let k = 0; k < m * m; k++) {
      const fill = k === state.i ? "#d55e00" : k === state.j ? "#0072b2" : "#bbb";
      const g = rect(
        (k % m) * cell,
        Math.floor(k / m) * cell,
        cell,
        fill,
        k === state.i ? "i" : k === state.j ? "j" : undefined
      );
      g.setAttribute("data-patch", String(k));
      if (k === state.cursor) {
        const c = document.createElementNS(ns, "rect");
        for (const [a, v] of Object.entries({
          x: (k % m) * cell + 2,
          y: Math.floor(k / m) * cell + 2,
          width: cell - 4,
          height: cell - 4,
          fill: "none",
          stroke: "#000",
          "stroke-width": 2,
          "stroke-dasharray": "3 2"
        }))
          c.setAttribute(a, String(v));
        g.append(c);
      }
      win.append(g);
    }
    winBox.append(win);
    const tcell = Math.max(8, Math.min(22, Math.floor(Math.min(width, 640) / 2 / side)));
    const table = document.createElementNS(ns, "svg");
    table.setAttribute("width", String(side * tcell));
    table.setAttribute("height", String(side * tcell));
    table.setAttribute("role", "img");
    table.setAttribute(
      "aria-label",
      `relative position bias 표 ${side}×${side}: 칸 ${p.index} (행 Δ행 + ${m - 1} = ${p.row}, 열 Δ열 + ${m - 1} = ${p.col})`
    );
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        const hit = r === p.row && c === p.col;
        table.append(rect(c * tcell, r * tcell, tcell, hit ? "#cc79a7" : "#e6e6e6", hit ? String(p.index) : undefined));
      }
    }
    const tableBox = el("div", "");
    tableBox.append(el("div", "small", `bias 표 (${side}×${side} = ${side * side}칸, head마다 하나)`), table);
    const winLabel = el("div", "");
    winLabel.append(el("div", "small", `window ${m}×${m}`), winBox);
    view.replaceChildren(winLabel, tableBox);
    const [ri, ci, rj, cj] = [Math.floor(state.i / m), state.i % m, Math.floor(state.j / m), state.j % m];
    line.textContent =
      `i = (${ri}, ${ci}), j = (${rj}, ${cj}): Δ행 = ${signed(p.dr)}, Δ열 = ${signed(p.dc)}. 표의 칸 = (Δ행 + ${m - 1})·${side} + (Δ열 + ${m - 1}) = ` +
      `${p.row}·${side} + ${p.col} = ${p.index}. 같은 Δ를 가진 쌍은 모두 이 칸의 bias를 함께 씁니다.`;
    Object.assign(root.dataset, {
      i: String(state.i),
      j: String(state.j),
      index: String(p.index),
      dr: String(p.dr),
      dc: String(p.dc)
    });
    winBox.addEventListener("click", (e) => {
      const g = (e.target as Element).closest("[data-patch]");
      if (!g) return;
      pick(Number(g.getAttribute("data-patch")));
    });
    winBox.addEventListener("keydown", (e) => {
      const moves: Record<string, number> = {ArrowLeft: -1, ArrowRight: 1, ArrowUp: -m, ArrowDown: m};
      if (e.key in moves) {
        const next = state.cursor + moves[e.key];
        if (
          next >= 0 &&
          next < m * m &&
          !(Math.abs(moves[e.key]) === 1 && Math.floor(next / m) !== Math.floor(state.cursor / m))
        )
          state.cursor = next;
        draw();
        (view.querySelector(".rel-window") as HTMLElement).focus();
      } else if (e.key === "Enter" || e.key === " ") {
        pick(state.cursor);
        (view.querySelector(".rel-window") as HTMLElement).focus();
      } else return;
      e.preventDefault();
      e.stopPropagation();
    });
  }
  function pick(k: number) {
    state.cursor = k;
    if (state.picking === "i") state.i = k;
    else state.j = k;
    state.picking = state.picking === "i" ? "j" : "i";
    draw();
  }
  draw();
  return root;
}
