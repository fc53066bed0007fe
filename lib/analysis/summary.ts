/**
 * A model summary as data (one row per layer call, for a table or a chart) and the papers' way of counting depth:
 * chapter 3 「CNN Model 비교」 (AlexNet 8, VGG 11–19, GoogLeNet 22, ResNet 18–152 layers).
 */
import {tf} from "../tf.js";
import {countedCalls, layerCost, type CountOptions} from "./flops.js";
import {ancestors, toGraph, type LayerGraph} from "./graph.js";
import {isWeightLayer} from "./registry.js";

export interface SummaryRow {
  /** Position in the model's call order. */
  index: number;
  name: string;
  className: string;
  /** Without the batch axis, e.g. [56, 56, 64]. */
  outputShape: number[];
  params: number;
  trainableParams: number;
  macs: number;
  flops: number;
  /** Names of the layers whose outputs this layer reads. */
  inbound: string[];
}

/** One row per layer call: name, class, output shape, parameters, MACs and FLOPs (definitions in ./flops.ts). */
export function modelSummary(source: tf.LayersModel | LayerGraph, opts: CountOptions = {}): SummaryRow[] {
  const graph = toGraph(source);
  return countedCalls(graph, opts).map((call) => {
    const {params, trainableParams, macs, flops} = layerCost(call, opts);
    return {
      index: call.index,
      name: call.name,
      className: call.className,
      outputShape: call.outputShape,
      params,
      trainableParams,
      macs,
      flops,
      inbound: call.inbound.map((i) => graph.calls[i].name)
    };
  });
}

/**
 * Whether a call counts as a "weight layer" when papers give a network's depth: convolutions, dense and recurrent
 * layers (`weightLayer` in the table of ./registry.ts), not BatchNorm, pooling or activations.
 */
export {isWeightLayer} from "./registry.js";

export interface WeightLayerCount {
  /**
   * Weight layers on the longest input → output path: the papers' depth. Branches that run beside a longer one
   * (ResNet's 1×1 projection shortcuts, an Inception module's 1×1 branch) do not add to it, nor does anything
   * that the output does not depend on (GoogLeNet's auxiliary heads, when counting output 0).
   */
  depth: number;
  /** Every convolution and dense layer the output depends on. */
  total: number;
  /** The names of the layers on one longest path, input first. */
  path: string[];
}

/**
 * Count convolution and dense layers (BatchNorm, pooling and activations are not "layers" in the papers' count).
 * `output` picks the model output (default 0, the main classifier).
 */
export function weightLayerCount(source: tf.LayersModel | LayerGraph, opts: {output?: number} = {}): WeightLayerCount {
  const graph = toGraph(source);
  const out = graph.outputs[opts.output ?? 0];
  const keep = ancestors(graph, out);
  const depth = new Array<number>(graph.calls.length).fill(0);
  const from = new Array<number>(graph.calls.length).fill(-1);
  let total = 0;
  for (const call of graph.calls) {
    if (!keep.has(call.index)) continue;
    const own = isWeightLayer(call) ? 1 : 0;
    total += own;
    let best = -1;
    for (const i of call.inbound) if (best < 0 || depth[i] > depth[best]) best = i;
    depth[call.index] = (best >= 0 ? depth[best] : 0) + own;
    from[call.index] = best;
  }
  const path: string[] = [];
  for (let i = out; i >= 0; i = from[i]) {
    if (isWeightLayer(graph.calls[i])) path.unshift(graph.calls[i].name);
  }
  return {depth: depth[out], total, path};
}

/** A count for a table: 61100840 → "61.1 M", 1498000000 → "1.5 G", 950 → "950". */
export function formatCount(n: number, digits = 3): string {
  const units: [number, string][] = [
    [1e12, " T"],
    [1e9, " G"],
    [1e6, " M"],
    [1e3, " k"]
  ];
  for (const [scale, unit] of units) {
    if (Math.abs(n) >= scale) return `${Number((n / scale).toPrecision(digits))}${unit}`;
  }
  return String(n);
}
