/**
 * The unrolled RNN of chapter 4 (claim R1), drawn from the model's sizes: one column per time step t = 1…T, the
 * input x_t (d values) below, the hidden state h_t (u values) in the middle, arrows h_{t−1} → h_t. The weights are
 * drawn as labelled boxes on every arrow, in one colour each, and every box of one weight carries the same
 * `data-weight` ("Wxh", "Whh", "b"): the same tensors at every step. The step being computed is highlighted.
 */
const NS = "http://www.w3.org/2000/svg";

export interface UnrolledOptions {
  /** Sequence length. */
  T: number;
  /** Input size. */
  d: number;
  /** Hidden size (units). */
  u: number;
  /** Highlighted step, 1…T (0 = none). */
  active?: number;
  width?: number;
  /** Steps drawn before "…" when T is long. Default: all up to 8, else the first 4 and the last 2. */
  maxColumns?: number;
}

export const WEIGHT_COLORS = {Wxh: "#1971c2", Whh: "#e8590c", b: "#2f9e44"} as const;

function node<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** The steps drawn: all of them, or the first ones, a gap (null) and the last two. */
export function unrolledColumns(T: number, maxColumns = 8): (number | null)[] {
  if (T <= maxColumns) return Array.from({length: T}, (_, i) => i + 1);
  const head = Math.max(1, maxColumns - 3);
  return [...Array.from({length: head}, (_, i) => i + 1), null, T - 1, T];
}

export function unrolledDiagram({T, d, u, active = 0, width = 720, maxColumns = 8}: UnrolledOptions): SVGSVGElement {
  const columns = unrolledColumns(T, maxColumns);
  const n = columns.length + 1; // + the h_0 column
  const height = 168;
  const colW = Math.min(120, width / n);
  const svg = node("svg", {
    class: "rnn-unrolled",
    width: colW * n,
    height,
    viewBox: `0 0 ${colW * n} ${height}`,
    role: "img",
    "aria-label": `unroll된 RNN: time step ${T}개, 입력 ${d}, 은닉 상태 ${u}. 모든 time step이 같은 W_xh, W_hh, b를 씁니다.`
  });
  const defs = node("defs", {});
  const marker = node("marker", {
    id: "rnn-arrow",
    viewBox: "0 0 10 10",
    refX: 9,
    refY: 5,
    markerWidth: 6,
    markerHeight: 6,
    orient: "auto-start-reverse"
  });
  marker.append(node("path", {d: "M0,0 L10,5 L0,10 z", fill: "#495057"}));
  defs.append(marker);
  svg.append(defs);
  const yH = 76;
  const yX = 140;
  const boxW = Math.min(70, colW - 24);
  const hBox = (cx: number, label: string, on: boolean, step: number | null) => {
    const g = node("g", {class: "rnn-h", "data-step": step ?? ""});
    g.append(
      node("rect", {
        x: cx - boxW / 2,
        y: yH - 18,
        width: boxW,
        height: 36,
        rx: 6,
        fill: on ? "#fff3bf" : "#f8f9fa",
        stroke: on ? "#f08c00" : "#868e96",
        "stroke-width": on ? 2.5 : 1
      }),
      node("text", {x: cx, y: yH + 5, "text-anchor": "middle", "font-size": 13}, label)
    );
    return g;
  };
  const weight = (x: number, y: number, name: keyof typeof WEIGHT_COLORS, label: string) => {
    const g = node("g", {class: "rnn-weight", "data-weight": name});
    g.append(
      node("rect", {x: x - 17, y: y - 10, width: 34, height: 20, rx: 4, fill: "white", stroke: WEIGHT_COLORS[name]}),
      node("text", {x, y: y + 4, "text-anchor": "middle", "font-size": 11, fill: WEIGHT_COLORS[name]}, label)
    );
    return g;
  };
  const arrow = (x1: number, y1: number, x2: number, y2: number) =>
    node("line", {x1, y1, x2, y2, stroke: "#495057", "marker-end": "url(#rnn-arrow)"});
  // h_0
  const x0 = colW / 2;
  svg.append(hBox(x0, "h₀ = 0", false, 0));
  columns.forEach((t, i) => {
    const cx = colW * (i + 1.5);
    const prev = colW * (i + 0.5);
    if (t === null) {
      svg.append(node("text", {x: cx, y: yH + 5, "text-anchor": "middle", "font-size": 18}, "…"));
      return;
    }
    const on = t === active;
    svg.append(arrow(prev + boxW / 2, yH, cx - boxW / 2, yH));
    svg.append(weight((prev + cx) / 2, yH - 22, "Whh", "W_hh"));
    svg.append(hBox(cx, `h${sub(t)}`, on, t));
    svg.append(node("text", {x: cx, y: yX + 20, "text-anchor": "middle", "font-size": 13}, `x${sub(t)}`));
    svg.append(arrow(cx, yX + 4, cx, yH + 18));
    svg.append(weight(cx, (yX + yH) / 2 + 10, "Wxh", "W_xh"));
    svg.append(weight(cx + 24, yH - 44, "b", "b"));
    svg.append(arrow(cx, yH - 18, cx, 20));
    svg.append(node("text", {x: cx, y: 14, "text-anchor": "middle", "font-size": 12, fill: "#495057"}, `y${sub(t)}`));
  });
  return svg;
}

const SUB = "₀₁₂₃₄₅₆₇₈₉";
const sub = (n: number) =>
  String(n)
    .split("")
    .map((c) => SUB[Number(c)])
    .join("");
