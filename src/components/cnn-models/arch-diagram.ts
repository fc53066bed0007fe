/**
 * Architecture diagrams of chapter 3 「CNN Model 비교」, drawn as SVG from a model's layer graph. The layout (which
 * layers form a block, where each box goes) is `lib/viz/arch.ts`; this file only draws it.
 *
 *   stageDiagram(graph, {width})            the model as stages: output shape, parameters, multiply-adds, depth
 *   moduleDiagram(graph, "inception3a", …)  one block up close: branches, merge, shapes
 */
import {formatCount} from "../../lib/analysis/summary.js";
import type {LayerGraph} from "../../lib/analysis/graph.js";
import {archStages, moduleLayout, shapeText, stageLayout, type ModuleNode} from "../../lib/viz/arch.js";

const SVG = "http://www.w3.org/2000/svg";

function el<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  ...children: (SVGElement | string)[]
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const c of children) node.append(c);
  return node;
}

/** Split a label into lines of about `chars` characters, at " → " or spaces. */
function wrap(text: string, chars: number): string[] {
  const parts = text.split(/(?<= →) /);
  const lines: string[] = [];
  for (const part of parts) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + part.length <= chars) lines[lines.length - 1] = `${last} ${part}`;
    else lines.push(part);
  }
  return lines;
}

const STAGE_COLORS: Record<string, string> = {
  stem: "#e7f5ff",
  head: "#fff4e6",
  residual: "#ebfbee",
  inception: "#f3f0ff",
  conv: "#e7f5ff"
};

function arrowMarker(id: string): SVGDefsElement {
  return el(
    "defs",
    {},
    el(
      "marker",
      {id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse"},
      el("path", {d: "M0,0 L10,5 L0,10 z", fill: "#868e96"})
    )
  );
}

let uid = 0;

/**
 * The model's main path as stage boxes, left to right: name, what the stage holds, a bar whose height follows the
 * feature map's side √(H·W), the output shape, parameters and multiply-adds, and a bottom bar for the stage's
 * share of all parameters.
 */
export function stageDiagram(graph: LayerGraph, {width = 900, title = ""}: {width?: number; title?: string} = {}) {
  const stages = archStages(graph);
  const layout = stageLayout(stages, {width, boxHeight: 150, minBoxWidth: 128});
  const totalParams = stages.reduce((n, s) => n + s.params, 0);
  const marker = `arch-arrow-${++uid}`;
  const svg = el("svg", {
    width: layout.width,
    height: layout.height + 2,
    viewBox: `0 -1 ${layout.width} ${layout.height + 2}`,
    role: "img",
    "aria-label": `${title || "model"} stage diagram`,
    class: "arch-stages"
  });
  svg.append(arrowMarker(marker));
  for (const points of layout.arrows) {
    svg.append(
      el("polyline", {
        points: points.map((p) => p.join(",")).join(" "),
        fill: "none",
        stroke: "#868e96",
        "stroke-width": 1.5,
        "marker-end": `url(#${marker})`
      })
    );
  }
  const chars = Math.max(12, Math.floor((layout.boxes[0]?.width ?? 120) / 6.6));
  for (const box of layout.boxes) {
    const {stage} = box;
    const kind = stage.blocks[0].kind;
    const fill =
      STAGE_COLORS[stage.name.startsWith("stem") ? "stem" : stage.name === "head" ? "head" : kind] ?? "#f8f9fa";
    const g = el("g", {transform: `translate(${box.x},${box.y})`, class: "arch-stage", "data-stage": stage.name});
    g.append(el("rect", {width: box.width, height: box.height, rx: 6, fill, stroke: "#adb5bd"}));
    g.append(el("text", {x: 8, y: 17, "font-weight": 700, "font-size": 13}, stage.name));
    g.append(
      el(
        "text",
        {x: box.width - 8, y: 17, "font-size": 11, "text-anchor": "end", fill: "#495057"},
        `+${stage.weightLayers}층`
      )
    );
    wrap(stage.label, chars)
      .slice(0, 3)
      .forEach((line, i) => g.append(el("text", {x: 8, y: 34 + i * 14, "font-size": 11.5}, line)));
    // feature map side, to scale across stages
    if (box.mapHeight > 0) {
      g.append(el("rect", {x: 8, y: 98 - box.mapHeight, width: 10, height: box.mapHeight, fill: "#4dabf7", rx: 1.5}));
    }
    g.append(el("text", {x: 24, y: 96, "font-size": 12, "font-weight": 600}, shapeText(stage.outputShape)));
    g.append(el("text", {x: 8, y: 112, "font-size": 11, fill: "#343a40"}, `params ${formatCount(stage.params)}`));
    g.append(el("text", {x: 8, y: 126, "font-size": 11, fill: "#343a40"}, `MACs ${formatCount(stage.macs)}`));
    // share of all parameters
    const share = totalParams > 0 ? stage.params / totalParams : 0;
    g.append(el("rect", {x: 8, y: 133, width: box.width - 16, height: 7, fill: "#e9ecef", rx: 2}));
    g.append(
      el("rect", {x: 8, y: 133, width: Math.max(1, (box.width - 16) * share), height: 7, fill: "#f76707", rx: 2})
    );
    g.append(
      el(
        "title",
        {},
        `${stage.name}: ${stage.blocks.map((b) => b.name).join(", ")}\n파라미터의 ${(share * 100).toFixed(1)}%`
      )
    );
    svg.append(g);
  }
  const figure = document.createElement("figure");
  figure.className = "arch-diagram";
  figure.append(svg);
  const caption = document.createElement("figcaption");
  caption.textContent =
    "상자 = stage (모델 정의에서 자동으로 묶음) · 파란 막대 = feature map 한 변의 크기 · 주황 막대 = 전체 파라미터 중 이 stage의 몫 · +N층 = stage가 더하는 가중치 층의 수";
  figure.append(caption);
  return figure;
}

const NODE_FILL: Record<ModuleNode["kind"], string> = {
  input: "#f1f3f5",
  conv: "#d0ebff",
  pool: "#fff3bf",
  concat: "#e5dbff",
  add: "#d3f9d8",
  other: "#f8f9fa"
};

/** One block up close (an Inception module, a residual block): its operations, branches and merge. */
export function moduleDiagram(
  graph: LayerGraph,
  prefix: string,
  {width = 640, title = ""}: {width?: number; title?: string} = {}
) {
  const layout = moduleLayout(graph, prefix, {width, nodeHeight: 46, rowGap: 28});
  const marker = `arch-arrow-${++uid}`;
  const svg = el("svg", {
    width: layout.width,
    height: layout.height + 2,
    viewBox: `0 -1 ${layout.width} ${layout.height + 2}`,
    role: "img",
    "aria-label": `${title || prefix} module diagram`,
    class: "arch-module",
    "data-kind": layout.kind
  });
  svg.append(arrowMarker(marker));
  for (const edge of layout.edges) {
    svg.append(
      el("polyline", {
        points: edge.points.map((p) => p.join(",")).join(" "),
        fill: "none",
        stroke: edge.shortcut || layout.nodes[edge.from].shortcut ? "#2f9e44" : "#868e96",
        "stroke-width": edge.shortcut ? 2.5 : 1.5,
        "stroke-dasharray": edge.shortcut ? "6 3" : "none",
        "marker-end": `url(#${marker})`
      })
    );
  }
  const shortcut = layout.edges.find((e) => e.shortcut);
  if (shortcut) {
    const [x, y] = shortcut.points[1];
    const [, y2] = shortcut.points[2];
    svg.append(
      el(
        "text",
        {x: x - 6, y: (y + y2) / 2, "font-size": 12, fill: "#2f9e44", "text-anchor": "end", "font-weight": 600},
        "identity x"
      )
    );
  }
  for (const node of layout.nodes) {
    const g = el("g", {transform: `translate(${node.x},${node.y})`, class: `arch-node arch-${node.kind}`});
    g.append(
      el("rect", {
        width: node.width,
        height: node.height,
        rx: node.kind === "add" || node.kind === "concat" ? 18 : 5,
        fill: node.shortcut ? "#d3f9d8" : NODE_FILL[node.kind],
        stroke: node.shortcut ? "#2f9e44" : "#868e96"
      })
    );
    const label = node.kind === "add" ? `⊕ add${node.extra ? ` → ${node.extra}` : ""}` : node.label;
    g.append(
      el("text", {x: node.width / 2, y: 18, "text-anchor": "middle", "font-size": 12.5, "font-weight": 600}, label)
    );
    const sub =
      node.kind === "conv" && node.extra
        ? `+${node.extra} · ${shapeText(node.outputShape)}`
        : node.kind === "input"
          ? shapeText(node.outputShape)
          : `→ ${shapeText(node.outputShape)}`;
    g.append(el("text", {x: node.width / 2, y: 35, "text-anchor": "middle", "font-size": 11, fill: "#495057"}, sub));
    if (node.params > 0) g.append(el("title", {}, `${node.label}: ${node.params.toLocaleString("en-US")} parameters`));
    svg.append(g);
  }
  const figure = document.createElement("figure");
  figure.className = "arch-diagram arch-module-figure";
  figure.append(svg);
  const caption = document.createElement("figcaption");
  caption.textContent = `${title || prefix}: ${layout.channelSum}`;
  figure.append(caption);
  return figure;
}

/** One Inception module of two GoogLeNet variants side by side, each labelled with its name and parameter count. */
export function inceptionVariants(
  variants: {label: string; graph: LayerGraph; params: number}[],
  prefix: string,
  {width = 900}: {width?: number} = {}
): HTMLElement {
  const root = document.createElement("div");
  root.className = "inception-variants";
  root.dataset.claim = "M3";
  Object.assign(root.style, {display: "flex", flexWrap: "wrap", gap: "16px", alignItems: "flex-start"});
  // side by side when there is room; below 560 px a diagram scrolls inside its box instead of squeezing its labels
  const each = Math.max(560, variants.length > 1 && width >= 1136 ? Math.floor((width - 16) / variants.length) : width);
  for (const v of variants) {
    const box = document.createElement("div");
    box.className = "inception-variant";
    Object.assign(box.style, {maxWidth: "100%", overflowX: "auto"});
    const head = document.createElement("p");
    head.className = "inception-variant-label";
    Object.assign(head.style, {margin: "0 0 4px", fontWeight: "600"});
    head.textContent = `${v.label}: 모델 전체 파라미터 ${v.params.toLocaleString("en-US")}`;
    box.append(head, moduleDiagram(v.graph, prefix, {width: each, title: `${v.label} ${prefix}`}));
    root.append(box);
  }
  return root;
}
