/**
 * The sliding-window animation of chapter 1 (claim F4): a padded n×n input, an f×f window moving with
 * stride s, and the output grid. The output grid's size and values are those of `tf.conv2d`'s real output,
 * passed in; the running sum beside it is the naive loop's, so the reader sees both agree.
 */
import {convTerms, type Array3D, type Array4D} from "../../lib/ops/conv.js";

export interface ConvWindowOptions {
  input: number[][];
  kernel: number[][];
  padding: number;
  stride: number;
  /** tf.conv2d's output for this input, [o_h][o_w]. */
  output: number[][];
  /** Resolves when the cell re-runs: the animation stops. */
  invalidation?: Promise<unknown>;
  width?: number;
}

const SVG = "http://www.w3.org/2000/svg";

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

export function convWindow(opts: ConvWindowOptions): HTMLElement {
  const {input, kernel, padding: p, stride: s, output} = opts;
  const n = input.length;
  const f = kernel.length;
  const np = n + 2 * p;
  const oh = output.length;
  const ow = output[0]?.length ?? 0;
  const width = Math.min(opts.width ?? 640, 760);
  const cell = Math.max(14, Math.min(30, Math.floor((width - 60) / (np + ow + 2))));
  const gap = cell * 1.6;
  const svgWidth = np * cell + gap + ow * cell + 4;
  const svgHeight = Math.max(np, oh) * cell + 26;
  const root = document.createElement("div");
  root.className = "conv-window";
  root.dataset.animated = ""; // tests ignore its DOM changes when waiting for the page to settle
  const svg = el("svg", {width: svgWidth, height: svgHeight, role: "img", "aria-label": "sliding window"});
  svg.append(el("text", {x: 0, y: 12, "font-size": 12, fill: "currentColor"}, `입력 ${n}×${n} + padding ${p}`));
  svg.append(el("text", {x: np * cell + gap, y: 12, "font-size": 12, fill: "currentColor"}, `출력 ${oh}×${ow}`));
  const top = 20;
  const fontSize = Math.round(cell * 0.42);
  // input with its zero padding
  for (let y = 0; y < np; y++) {
    for (let x = 0; x < np; x++) {
      const pad = y < p || x < p || y >= n + p || x >= n + p;
      svg.append(
        el("rect", {
          x: x * cell + 1,
          y: top + y * cell,
          width: cell - 1,
          height: cell - 1,
          fill: pad
            ? "var(--theme-background-alt)"
            : "color-mix(in srgb, var(--theme-foreground-focus) 12%, transparent)",
          stroke: pad ? "var(--theme-foreground-faintest)" : "none",
          "stroke-dasharray": pad ? "2 2" : "none"
        }),
        el(
          "text",
          {
            x: x * cell + cell / 2,
            y: top + y * cell + cell / 2,
            "text-anchor": "middle",
            "dominant-baseline": "central",
            "font-size": fontSize,
            fill: pad ? "var(--theme-foreground-faint)" : "currentColor"
          },
          pad ? "0" : String(input[y - p][x - p])
        )
      );
    }
  }
  // anchors: where the window's top-left corner lands, one per output value
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      svg.append(
        el("circle", {cx: j * s * cell + 4, cy: top + i * s * cell + 4, r: 2.2, fill: "#e8590c", opacity: 0.7})
      );
    }
  }
  const windowRect = el("rect", {
    width: f * cell - 1,
    height: f * cell - 1,
    fill: "rgba(232,89,12,0.15)",
    stroke: "#e8590c",
    "stroke-width": 2.5
  });
  svg.append(windowRect);
  // output grid, tf.conv2d's values
  const ox = np * cell + gap;
  const outCells: SVGRectElement[] = [];
  const outTexts: SVGTextElement[] = [];
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      const r = el("rect", {
        x: ox + j * cell,
        y: top + i * cell,
        width: cell - 1,
        height: cell - 1,
        fill: "var(--theme-background-alt)"
      });
      const t = el(
        "text",
        {
          x: ox + j * cell + cell / 2,
          y: top + i * cell + cell / 2,
          "text-anchor": "middle",
          "dominant-baseline": "central",
          "font-size": fontSize,
          fill: "currentColor"
        },
        String(output[i][j])
      );
      outCells.push(r);
      outTexts.push(t);
      svg.append(r, t);
    }
  }
  const line = el("line", {stroke: "#e8590c", "stroke-width": 1.5, "stroke-dasharray": "4 3"});
  svg.append(line);

  const readout = document.createElement("div");
  readout.className = "readout conv-readout";
  const controls = document.createElement("div");
  controls.className = "conv-controls";
  const button = (label: string, title: string) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.title = title;
    controls.append(b);
    return b;
  };
  const prev = button("◀", "이전 위치");
  const play = button("멈춤", "재생 / 멈춤");
  const next = button("▶", "다음 위치");
  root.append(controls, svg, readout);

  const total = oh * ow;
  const x3: Array3D = input.map((r) => r.map((v) => [v]));
  const k4: Array4D = kernel.map((r) => r.map((v) => [[v]]));
  let step = 0;
  const show = () => {
    const i = Math.floor(step / ow);
    const j = step % ow;
    windowRect.setAttribute("x", String(j * s * cell + 1));
    windowRect.setAttribute("y", String(top + i * s * cell));
    outCells.forEach((r, k) => {
      r.setAttribute(
        "fill",
        k === step
          ? "rgba(232,89,12,0.35)"
          : k < step
            ? "color-mix(in srgb, var(--theme-foreground-focus) 12%, transparent)"
            : "var(--theme-background-alt)"
      );
    });
    outTexts.forEach((t, k) => t.setAttribute("opacity", k <= step ? "1" : "0.25"));
    line.setAttribute("x1", String(j * s * cell + f * cell));
    line.setAttribute("y1", String(top + i * s * cell + (f * cell) / 2));
    line.setAttribute("x2", String(ox + j * cell));
    line.setAttribute("y2", String(top + i * cell + cell / 2));
    const terms = convTerms(x3, k4, i, j, 0, {padding: p, stride: s}).filter((t) => t.k !== 0);
    const sum = terms.reduce((a, t) => a + t.x * t.k, 0);
    const shown = terms.slice(0, 9).map((t) => `${t.x}·${t.k < 0 ? `(${t.k})` : t.k}`);
    readout.textContent = `출력[${i}][${j}] ← 입력 행 ${i * s - p}…${i * s - p + f - 1}, 열 ${j * s - p}…${j * s - p + f - 1}: ${shown.join(" + ")}${terms.length > 9 ? " + …" : ""} = ${sum} (tf.conv2d: ${output[i][j]})`;
  };
  let timer: ReturnType<typeof setInterval> | undefined;
  const start = () => {
    timer = setInterval(() => {
      step = (step + 1) % total;
      show();
    }, 900);
    play.textContent = "멈춤";
  };
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
    play.textContent = "▶ 재생";
  };
  play.addEventListener("click", () => (timer ? stop() : start()));
  prev.addEventListener("click", () => {
    stop();
    step = (step - 1 + total) % total;
    show();
  });
  next.addEventListener("click", () => {
    stop();
    step = (step + 1) % total;
    show();
  });
  show();
  const reduced = typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;
  if (reduced) stop();
  else start();
  opts.invalidation?.then(stop);
  return root;
}
