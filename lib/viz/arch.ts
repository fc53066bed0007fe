/**
 * Architecture diagrams drawn from a model's own layer graph, never by hand: chapter 3 「CNN Model 비교」. This file
 * is the pure part (which layers make a block, which blocks make a stage, where each box goes); the SVG is drawn
 * by `src/components/cnn-models/arch-diagram.ts`.
 *
 * Two views of a `LayerGraph` (from `modelGraph`, or `dryGraph` for the paper-sized models):
 * - `archStages(graph)` → the compact block diagram: the main path cut into stages (the stem, VGG's conv groups
 *   between pools, ResNet's `layer1`…`layer4`, GoogLeNet's Inception groups 3/4/5, the classifier head), each with
 *   its output shape, parameters, multiply-adds and weight layers. `stageLayout` places them left to right.
 * - `moduleLayout(graph, prefix)` → a close-up of one block, e.g. `"inception3a"` or `"layer2.0"`: its operations
 *   (a convolution with its BatchNorm and ReLU is one box), the branches side by side, and the merge (concat or
 *   add) with its shape.
 *
 * Blocks are found by the layer names that lib/models gives (torchvision's module paths): `layerS.B.*` is a
 * residual block, `inceptionXY.*` an Inception module, `auxN.*` an auxiliary classifier; every other layer is a
 * block of its own (BatchNorm, activations, padding and dropout join the convolution or dense layer they belong to).
 */
import {layerCost} from "../analysis/flops.js";
import {isWeightLayer} from "../analysis/summary.js";
import {ancestors, type LayerCall, type LayerGraph} from "../analysis/graph.js";

export type BlockKind =
  "input" | "conv" | "pool" | "residual" | "inception" | "aux" | "gap" | "flatten" | "dense" | "merge" | "other";

/** A unit of the model as the papers draw it: one convolution (with BN, ReLU), one pool, one residual block, … */
export interface ArchBlock {
  /** The block's name: the layer name, or the shared prefix (`layer2.0`, `inception3a`, `aux1`). */
  name: string;
  kind: BlockKind;
  /** Short description: "conv 3×3, 64", "max pool 3×3/2", "residual (bottleneck)", "Inception". */
  label: string;
  /** The calls of the graph in this block, in graph order. */
  calls: number[];
  inputShape: number[];
  outputShape: number[];
  /** Trainable parameters (torchvision's count). */
  params: number;
  macs: number;
  /** Weight layers (conv, dense) on the longest path through the block: its share of the papers' depth. */
  weightLayers: number;
  /** False for blocks the main output does not need (GoogLeNet's auxiliary classifiers). */
  main: boolean;
}

/** Consecutive blocks of the main path that the papers' tables draw as one row. */
export interface ArchStage {
  name: string;
  /** "3×3 conv ×2 → max pool", "residual ×3 (basic)", "Inception ×5 → max pool", "GAP → fc". */
  label: string;
  blocks: ArchBlock[];
  inputShape: number[];
  outputShape: number[];
  params: number;
  macs: number;
  weightLayers: number;
}

const ATTACH_BEFORE = new Set(["ZeroPadding2D"]);
const ATTACH_AFTER = new Set(["BatchNormalization", "Activation", "ReLU", "Dropout"]);
const POOLS = new Set(["MaxPooling2D", "AveragePooling2D"]);

/** The block prefix of a layer name, or null when the layer is a block of its own. */
export function blockPrefix(name: string): string | null {
  const m = /^(layer\d+\.\d+|inception\w+?|aux\d+)\./.exec(name);
  return m ? m[1] : null;
}

const tuple = (v: unknown): [number, number] =>
  Array.isArray(v) ? [Number(v[0]), Number(v[1] ?? v[0])] : [Number(v), Number(v)];

/** "3×3" or "1×7". */
function size(v: unknown): string {
  const [a, b] = tuple(v);
  return `${a}×${b}`;
}

/** "conv 3×3, 64", "conv 7×7/2, 64", "max pool 3×3/2", "fc 4096", "GAP", "concat", "add". */
export function callLabel(call: LayerCall): string {
  const c = call.config;
  const stride = (s: unknown) => (tuple(s ?? 1)[0] > 1 ? `/${tuple(s)[0]}` : "");
  switch (call.className) {
    case "Conv2D":
      return `conv ${size(c.kernelSize)}${stride(c.strides)}, ${call.outputShape[2]}`;
    case "MaxPooling2D":
      return `max pool ${size(c.poolSize)}${stride(c.strides)}`;
    case "AveragePooling2D":
      return `avg pool ${size(c.poolSize)}${stride(c.strides)}`;
    case "GlobalAveragePooling2D":
      return "global avg pool";
    case "Dense":
      return `fc ${call.outputShape[call.outputShape.length - 1]}`;
    case "Flatten":
      return "flatten";
    case "Concatenate":
      return "concat";
    case "Add":
      return "add";
    case "InputLayer":
      return "input";
    default:
      return call.className;
  }
}

function kindOf(call: LayerCall): BlockKind {
  switch (call.className) {
    case "InputLayer":
      return "input";
    case "Conv2D":
      return "conv";
    case "MaxPooling2D":
    case "AveragePooling2D":
      return "pool";
    case "GlobalAveragePooling2D":
      return "gap";
    case "Flatten":
      return "flatten";
    case "Dense":
      return "dense";
    case "Add":
    case "Concatenate":
      return "merge";
    default:
      return "other";
  }
}

/** Weight layers on the longest path through a set of calls (inbound edges outside the set start a path). */
function longestWeightPath(graph: LayerGraph, calls: number[]): number {
  const inside = new Set(calls);
  const depth = new Map<number, number>();
  let best = 0;
  for (const i of calls) {
    const call = graph.calls[i];
    const from = Math.max(0, ...call.inbound.filter((j) => inside.has(j)).map((j) => depth.get(j) ?? 0));
    const d = from + (isWeightLayer(call) ? 1 : 0);
    depth.set(i, d);
    best = Math.max(best, d);
  }
  return best;
}

/** The calls the main output (output 0) depends on. */
const mainCalls = (graph: LayerGraph): Set<number> => ancestors(graph, graph.outputs[0]);

/** Every block of the model, in graph order (see the module comment for the grouping). */
export function archBlocks(graph: LayerGraph): ArchBlock[] {
  const groups: {name: string; calls: number[]; prefixed: boolean}[] = [];
  const byPrefix = new Map<string, {name: string; calls: number[]; prefixed: boolean}>();
  let pendingBefore: number[] = [];
  let last: {name: string; calls: number[]; prefixed: boolean} | null = null;
  for (const call of graph.calls) {
    const prefix = blockPrefix(call.name);
    if (prefix !== null) {
      let g = byPrefix.get(prefix);
      if (!g) {
        g = {name: prefix, calls: [], prefixed: true};
        byPrefix.set(prefix, g);
        groups.push(g);
      }
      g.calls.push(...pendingBefore, call.index);
      pendingBefore = [];
      last = g;
    } else if (ATTACH_BEFORE.has(call.className)) {
      pendingBefore.push(call.index);
    } else if (ATTACH_AFTER.has(call.className) && last && !last.prefixed) {
      last.calls.push(call.index);
    } else {
      last = {name: call.name, calls: [...pendingBefore, call.index], prefixed: false};
      pendingBefore = [];
      groups.push(last);
    }
  }
  const main = mainCalls(graph);
  return groups.map((g) => {
    const calls = g.calls.sort((a, b) => a - b);
    const first = graph.calls[calls[0]];
    const lastCall = graph.calls[calls[calls.length - 1]];
    const inside = new Set(calls);
    const external = first.inbound.find((j) => !inside.has(j));
    let params = 0;
    let macs = 0;
    for (const i of calls) {
      const cost = layerCost(graph.calls[i]);
      params += cost.trainableParams;
      macs += cost.macs;
    }
    const weightLayers = longestWeightPath(graph, calls);
    const head = calls.map((i) => graph.calls[i]).find((c) => !ATTACH_BEFORE.has(c.className)) ?? first;
    let kind: BlockKind;
    let label: string;
    if (g.prefixed && g.name.startsWith("layer")) {
      kind = "residual";
      const adds = calls.some((i) => graph.calls[i].className === "Add");
      label = `${adds ? "residual" : "plain"} (${weightLayers === 3 ? "bottleneck" : "basic"})`;
    } else if (g.prefixed && g.name.startsWith("inception")) {
      kind = "inception";
      label = "Inception";
    } else if (g.prefixed) {
      kind = "aux";
      label = "auxiliary classifier";
    } else {
      kind = kindOf(head);
      label = callLabel(head);
    }
    return {
      name: g.name,
      kind,
      label,
      calls,
      inputShape: external !== undefined ? graph.calls[external].outputShape : first.inputShapes[0],
      outputShape: lastCall.outputShape,
      params,
      macs,
      weightLayers,
      main: calls.every((i) => main.has(i))
    };
  });
}

/** The stage a block belongs to by name: `layer3.*` → "layer3", `inception4c` → "inception4"; null: none. */
function stageKey(block: ArchBlock): string | null {
  if (block.kind === "gap" || block.kind === "flatten" || block.kind === "dense") return "head";
  const m = /^(layer\d+|inception\d)/.exec(block.name);
  return m ? m[1] : null;
}

/** A block description for a stage label with repeats: "conv 3×3 ×2". */
function describe(blocks: ArchBlock[]): string {
  const parts: {text: string; count: number}[] = [];
  for (const b of blocks) {
    const text =
      b.kind === "conv"
        ? b.label.replace(/, \d+$/, "")
        : b.kind === "residual"
          ? b.label
          : b.kind === "dense"
            ? "fc"
            : b.kind === "gap"
              ? "GAP"
              : b.label;
    const prev = parts[parts.length - 1];
    if (prev && prev.text === text) prev.count++;
    else parts.push({text, count: 1});
  }
  return parts.map((p) => (p.count > 1 ? `${p.text} ×${p.count}` : p.text)).join(" → ");
}

/**
 * The main path's blocks grouped into stages: a pool closes a stage; a change of name group (`layer1` → `layer2`,
 * `inception3` → `inception4`, anything → the classifier head) starts one. Auxiliary classifiers and the input are
 * left out.
 */
export function archStages(graph: LayerGraph, blocks: ArchBlock[] = archBlocks(graph)): ArchStage[] {
  const stages: {key: string | null; closed: boolean; blocks: ArchBlock[]}[] = [];
  for (const block of blocks) {
    if (!block.main || block.kind === "input") continue;
    const key = stageKey(block);
    const current = stages[stages.length - 1];
    if (block.kind === "pool" && current && !current.closed && current.key !== "head") {
      current.blocks.push(block);
      current.closed = true;
    } else if (!current || current.closed || current.key !== key) {
      stages.push({key, closed: block.kind === "pool", blocks: [block]});
    } else {
      current.blocks.push(block);
    }
  }
  let stem = 0;
  return stages.map((s) => {
    const first = s.blocks[0];
    const lastBlock = s.blocks[s.blocks.length - 1];
    const named = stages.some((t) => t.key !== null && t.key !== "head");
    const stems = stages.filter((t) => t.key === null).length;
    const name = s.key ?? (named ? (stems === 1 ? "stem" : `stem${++stem}`) : `conv${++stem}`);
    return {
      name,
      label: describe(s.blocks),
      blocks: s.blocks,
      inputShape: first.inputShape,
      outputShape: lastBlock.outputShape,
      params: s.blocks.reduce((n, b) => n + b.params, 0),
      macs: s.blocks.reduce((n, b) => n + b.macs, 0),
      weightLayers: s.blocks.reduce((n, b) => n + b.weightLayers, 0)
    };
  });
}

/** "56×56×64", "1000". */
export function shapeText(shape: number[]): string {
  return shape.join("×");
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface StageBox extends Box {
  stage: ArchStage;
  /** Height of the feature-map bar inside the box, proportional to √(H·W) of the stage's output. */
  mapHeight: number;
}

export interface StageLayout {
  width: number;
  height: number;
  boxes: StageBox[];
  /** Arrows between consecutive boxes, as polylines. */
  arrows: [number, number][][];
}

/**
 * Stage boxes left to right, wrapping into rows when they would get narrower than `minBoxWidth`. Box i+1 follows
 * box i; an arrow that wraps goes down from the end of one row to the start of the next.
 */
export function stageLayout(
  stages: ArchStage[],
  opts: {width?: number; boxHeight?: number; gap?: number; minBoxWidth?: number; rowGap?: number} = {}
): StageLayout {
  const {width = 800, boxHeight = 132, gap = 22, minBoxWidth = 120, rowGap = 30} = opts;
  const n = stages.length;
  const perRow = Math.max(1, Math.min(n, Math.floor((width + gap) / (minBoxWidth + gap))));
  const rows = Math.ceil(n / perRow);
  const boxWidth = Math.floor((width - gap * (perRow - 1)) / perRow);
  const spatial = (s: ArchStage) => (s.outputShape.length === 3 ? Math.sqrt(s.outputShape[0] * s.outputShape[1]) : 0);
  const maxSpatial = Math.max(1, ...stages.map(spatial));
  const boxes: StageBox[] = stages.map((stage, i) => {
    const row = Math.floor(i / perRow);
    const col = i % perRow;
    return {
      stage,
      x: col * (boxWidth + gap),
      y: row * (boxHeight + rowGap),
      width: boxWidth,
      height: boxHeight,
      mapHeight: spatial(stage) > 0 ? Math.max(4, (spatial(stage) / maxSpatial) * 36) : 0
    };
  });
  const arrows: [number, number][][] = [];
  for (let i = 1; i < boxes.length; i++) {
    const a = boxes[i - 1];
    const b = boxes[i];
    if (a.y === b.y) {
      arrows.push([
        [a.x + a.width, a.y + a.height / 2],
        [b.x, b.y + b.height / 2]
      ]);
    } else {
      const midY = a.y + a.height + rowGap / 2;
      arrows.push([
        [a.x + a.width / 2, a.y + a.height],
        [a.x + a.width / 2, midY],
        [b.x + b.width / 2, midY],
        [b.x + b.width / 2, b.y]
      ]);
    }
  }
  return {width, height: rows * boxHeight + (rows - 1) * rowGap, boxes, arrows};
}

/** One operation of a module close-up: a convolution with its BatchNorm and ReLU, a pool, the merge, the input. */
export interface ModuleNode extends Box {
  id: number;
  kind: "input" | "conv" | "pool" | "concat" | "add" | "other";
  /** "conv 1×1, 64", "max pool 3×3", "concat", "add + ReLU". */
  label: string;
  /** What follows the main layer inside the node: "BN, ReLU". */
  extra: string;
  outputShape: number[];
  params: number;
  /** On a residual block's shortcut (its 1×1 projection), not on F(x). */
  shortcut: boolean;
  /** Column (branch) and row (step from the input). */
  column: number;
  row: number;
}

export interface ModuleEdge {
  from: number;
  to: number;
  /** Polyline from the bottom of `from` to the top of `to`. */
  points: [number, number][];
  /** An identity shortcut: it skips rows and has no operation. */
  shortcut: boolean;
}

export interface ModuleLayout {
  prefix: string;
  kind: "inception" | "residual" | "other";
  nodes: ModuleNode[];
  edges: ModuleEdge[];
  width: number;
  height: number;
  /**
   * The merge, for a caption: a concat's channel sum "64 + 128 + 32 + 32 = 256"; an add's operand shapes
   * "F(x) 28×28×512 + shortcut 28×28×512 → 28×28×512".
   */
  channelSum: string;
}

/**
 * A close-up of the block whose layers start with `prefix.` (e.g. "inception3a", "layer1.0"): operations as nodes
 * in rows (longest path from the input) and columns (branches), edges from each node to the nodes reading it.
 * Throws when no layer has that prefix.
 */
export function moduleLayout(
  graph: LayerGraph,
  prefix: string,
  opts: {width?: number; nodeHeight?: number; rowGap?: number; colGap?: number} = {}
): ModuleLayout {
  const {width = 640, nodeHeight = 44, rowGap = 26, colGap = 14} = opts;
  const calls = graph.calls.filter((c) => c.name.startsWith(`${prefix}.`));
  if (calls.length === 0) throw new RangeError(`no layer of this model is named ${prefix}.*`);
  const inside = new Set(calls.map((c) => c.index));
  // merge BN / activation into the node before; padding into the node after
  const owner = new Map<number, number>();
  const nodeCalls: LayerCall[] = [];
  const extras = new Map<number, string[]>();
  const padOf = new Map<number, number>();
  for (const call of calls) {
    if (ATTACH_BEFORE.has(call.className)) {
      padOf.set(call.index, call.inbound[0]);
      continue;
    }
    const from = call.inbound.map((j) => (padOf.has(j) ? padOf.get(j)! : j));
    if (ATTACH_AFTER.has(call.className) && from.length === 1 && inside.has(from[0]) && owner.has(from[0])) {
      const o = owner.get(from[0])!;
      owner.set(call.index, o);
      const name = call.className === "BatchNormalization" ? "BN" : call.className === "Dropout" ? "dropout" : "ReLU";
      extras.get(o)!.push(name);
      continue;
    }
    owner.set(call.index, call.index);
    for (const j of call.inbound) if (padOf.has(j)) owner.set(j, call.index);
    extras.set(call.index, []);
    nodeCalls.push(call);
  }
  const resolve = (j: number): number => {
    if (padOf.has(j)) return resolve(padOf.get(j)!);
    return inside.has(j) ? owner.get(j)! : -1; // -1: the module's input
  };
  const inputCall = (() => {
    for (const c of calls) for (const j of c.inbound) if (!inside.has(j)) return graph.calls[j];
    return graph.calls[calls[0].inbound[0]];
  })();
  // node ids: 0 = input, then one per node call
  const idOf = new Map<number, number>([[-1, 0]]);
  nodeCalls.forEach((c, i) => idOf.set(c.index, i + 1));
  const preds = nodeCalls.map((c) => [...new Set(c.inbound.map((j) => idOf.get(resolve(j))!))]);
  // rows: longest path from the input
  const row = [0];
  nodeCalls.forEach((_, i) => row.push(1 + Math.max(...preds[i].map((p) => row[p]))));
  // columns: each successor of the input opens a branch; others inherit; merges sit in the middle
  const column = [0];
  let branches = 0;
  nodeCalls.forEach((c, i) => {
    const isMerge = c.className === "Add" || c.className === "Concatenate";
    if (isMerge) column.push(-1);
    else if (preds[i].length === 1 && preds[i][0] === 0) column.push(branches++);
    else column.push(column[preds[i][0]]);
  });
  // an identity shortcut (input straight into a merge) gets a lane of its own
  const shortcutLane = nodeCalls.some((c, i) => c.className === "Add" && preds[i].includes(0));
  const lanes = Math.max(1, branches) + (shortcutLane ? 1 : 0);
  const nodeWidth = Math.min(200, Math.floor((width - colGap * (lanes - 1)) / lanes));
  const total = lanes * nodeWidth + (lanes - 1) * colGap;
  const left = (width - total) / 2;
  const mainSpan = Math.max(1, branches) * nodeWidth + (Math.max(1, branches) - 1) * colGap;
  const center = left + mainSpan / 2;
  const xOf = (col: number) => (col < 0 ? center - nodeWidth / 2 : left + col * (nodeWidth + colGap));
  const rows = Math.max(...row) + 1;
  const nodes: ModuleNode[] = [];
  const costOf = (c: LayerCall) =>
    calls.filter((k) => owner.get(k.index) === c.index).reduce((n, k) => n + layerCost(k).trainableParams, 0);
  nodes.push({
    id: 0,
    kind: "input",
    label: "input",
    extra: "",
    outputShape: inputCall.outputShape,
    params: 0,
    shortcut: false,
    column: -1,
    row: 0,
    x: center - nodeWidth / 2,
    y: 0,
    width: nodeWidth,
    height: nodeHeight
  });
  nodeCalls.forEach((c, i) => {
    const id = i + 1;
    const kind =
      c.className === "Conv2D"
        ? "conv"
        : POOLS.has(c.className)
          ? "pool"
          : c.className === "Concatenate"
            ? "concat"
            : c.className === "Add"
              ? "add"
              : "other";
    const ex = extras.get(c.index)!;
    // the last activation call of the node gives its output shape
    const lastCall = calls.filter((k) => owner.get(k.index) === c.index && !padOf.has(k.index)).at(-1) ?? c;
    nodes.push({
      id,
      kind,
      label: callLabel(c),
      extra: ex.join(", "),
      outputShape: lastCall.outputShape,
      params: costOf(c),
      shortcut: c.name.includes(".downsample."),
      column: column[id],
      row: row[id],
      x: xOf(column[id]),
      y: row[id] * (nodeHeight + rowGap),
      width: nodeWidth,
      height: nodeHeight
    });
  });
  const edges: ModuleEdge[] = [];
  nodeCalls.forEach((_, i) => {
    const to = nodes[i + 1];
    for (const p of preds[i]) {
      const from = nodes[p];
      const shortcut = p === 0 && to.kind === "add";
      const start: [number, number] = [from.x + from.width / 2, from.y + from.height];
      const end: [number, number] = [to.x + to.width / 2, to.y];
      let points: [number, number][];
      if (shortcut && shortcutLane) {
        // around the main path, in the lane on the right
        const lane = left + (lanes - 1) * (nodeWidth + colGap) + nodeWidth / 2;
        points = [
          [from.x + from.width, from.y + from.height / 2],
          [lane, from.y + from.height / 2],
          [lane, to.y + to.height / 2],
          [to.x + to.width, to.y + to.height / 2]
        ];
      } else if (start[0] === end[0]) {
        points = [start, end];
      } else {
        // down its own column to just above the target, then across
        const mid = end[1] - rowGap / 2;
        points = [start, [start[0], mid], [end[0], mid], end];
      }
      edges.push({from: p, to: to.id, points, shortcut});
    }
  });
  const merge = nodes.find((n) => n.kind === "concat" || n.kind === "add");
  let channelSum = "";
  if (merge) {
    const ins = edges.filter((e) => e.to === merge.id).map((e) => nodes[e.from].outputShape.at(-1)!);
    channelSum =
      merge.kind === "concat"
        ? `${ins.join(" + ")} = ${merge.outputShape.at(-1)}`
        : edges
            .filter((e) => e.to === merge.id)
            .map(
              (e) =>
                `${e.from === 0 || nodes[e.from].shortcut ? "shortcut" : "F(x)"} ${shapeText(nodes[e.from].outputShape)}`
            )
            .join(" + ") + ` → ${shapeText(merge.outputShape)}`;
  }
  const kind = calls.some((c) => c.className === "Concatenate")
    ? "inception"
    : calls.some((c) => c.className === "Add") || /^layer\d+\.\d+$/.test(prefix)
      ? "residual"
      : "other";
  return {
    prefix,
    kind,
    nodes,
    edges,
    width,
    height: rows * nodeHeight + (rows - 1) * rowGap,
    channelSum
  };
}
