/**
 * Counting a network's arithmetic from its layer configs and shapes, without running it: chapter 2 「CNN」 (the cost
 * grows with resolution; pooling shrinks it) and chapter 3 「CNN Model 비교」 (the comparison table).
 *
 * Definitions (per image, i.e. batch 1, inference):
 * - **MACs** (multiply-accumulates, "multiply-adds"): one weight × one activation added to a sum, in convolution,
 *   fully connected and recurrent layers only. This is the number papers and torchvision's "GFLOPS" column report
 *   (ResNet-50: 4.09 G; torchvision's `_ops` even gives VGG-11 and VGG-11-BN the same 7.609 G).
 *     Conv2D:          H_out · W_out · C_out · (k_h · k_w · C_in / groups)
 *     DepthwiseConv2D: H_out · W_out · C_in · m · k_h · k_w          (m = depth multiplier)
 *     SeparableConv2D: depthwise + H_out · W_out · C_in · m · C_out
 *     Conv1D:          T_out · C_out · k · C_in
 *     Dense:           (positions) · D_in · units                   (positions = 1 after a Flatten)
 * - **FLOPs**: 2 · MACs (a multiply and an add each) plus the element operations below. Other counters may leave
 *   these out (fvcore, torchvision) or count them differently; they are a few percent of a CNN's total.
 *     bias:                        1 per output element (conv, dense)
 *     activation (ReLU, tanh, …):  1 per element; softmax 3 per element (exp, sum, divide)
 *     BatchNormalization:          2 per element (inference: the statistics folded into one scale and one shift)
 *     MaxPooling:                  k·k − 1 comparisons per output element
 *     AveragePooling:              k·k per output element (k·k − 1 adds and a divide)
 *     GlobalAveragePooling:        H·W per channel; GlobalMaxPooling H·W − 1
 *     Add / Multiply / Maximum …:  (inputs − 1) per output element; Average one more (the divide)
 *     Concatenate, Flatten, Reshape, Dropout (inference), ZeroPadding, UpSampling, Input: 0
 *     recurrent layers, embeddings, layer normalisation, wrappers: see ./layers.ts
 * - **params**: the layer's weights. `trainableParams` leaves out BatchNormalization's moving mean and variance,
 *   which torchvision keeps as buffers, not parameters; so trainable params = torchvision's
 *   `sum(p.numel() for p in model.parameters())`.
 *
 * Each layer class's formulas are registered in the table of ./registry.ts (TF.js's layers in ./layers.ts, the
 * course's own next to their classes). A class with no entry throws `UnknownLayerError`, naming it; with
 * `unknown: "report"` it counts 0 instead and is listed in `uncounted`.
 */
import {tf} from "../tf.js";
import {ancestors, layerListGraph, toGraph, type LayerCall, type LayerGraph} from "./graph.js";
import "./layers.js";
import {layerAnalysis, UnknownLayerError} from "./registry.js";

export {activationFlops} from "./layers.js";

export interface LayerCost {
  params: number;
  trainableParams: number;
  macs: number;
  flops: number;
  /** False for a layer class with no registered analysis (only with `unknown: "report"`; its cost is taken as 0). */
  counted: boolean;
}

export interface CostTotals {
  params: number;
  trainableParams: number;
  macs: number;
  flops: number;
  /** Class names of layers that were not counted (only with `unknown: "report"`; otherwise empty). */
  uncounted: string[];
}

export interface UnknownOption {
  /** A layer class with no registered analysis: throw `UnknownLayerError` (default) or count it as 0 and report it. */
  unknown?: "throw" | "report";
}

/** The parameters, MACs and FLOPs of one layer call, from its config and shapes (see the module comment). */
export function layerCost(call: LayerCall, opts: UnknownOption = {}): LayerCost {
  const analysis = layerAnalysis(call.className);
  if (!analysis) {
    if (opts.unknown !== "report") throw new UnknownLayerError(call.className, call.name);
    const params = call.params ?? {total: 0, trainable: 0};
    return {params: params.total, trainableParams: params.trainable, macs: 0, flops: 0, counted: false};
  }
  const c = analysis.cost(call);
  if (call.params) {
    // a built layer: its real weights (0 at a shared layer's later calls)
    return {
      params: call.params.total,
      trainableParams: call.params.trainable,
      macs: c.macs,
      flops: c.flops,
      counted: true
    };
  }
  return {
    params: c.params,
    trainableParams: c.trainableParams ?? c.params,
    macs: c.macs,
    flops: c.flops,
    counted: true
  };
}

export interface CountOptions extends UnknownOption {
  /** Count only what this output needs (e.g. 0: GoogLeNet without its auxiliary heads). Default: everything. */
  output?: number;
}

/** The calls that the count covers. */
export function countedCalls(graph: LayerGraph, opts: CountOptions = {}): LayerCall[] {
  if (opts.output === undefined) return graph.calls;
  const keep = ancestors(graph, graph.outputs[opts.output]);
  return graph.calls.filter((c) => keep.has(c.index));
}

/** Sum of `layerCost` over a model or a graph. */
export function countFlops(source: tf.LayersModel | LayerGraph, opts: CountOptions = {}): CostTotals {
  const totals: CostTotals = {params: 0, trainableParams: 0, macs: 0, flops: 0, uncounted: []};
  for (const call of countedCalls(toGraph(source), opts)) {
    const c = layerCost(call, opts);
    totals.params += c.params;
    totals.trainableParams += c.trainableParams;
    totals.macs += c.macs;
    totals.flops += c.flops;
    if (!c.counted && !totals.uncounted.includes(call.className)) totals.uncounted.push(call.className);
  }
  return totals;
}

/**
 * Count a chain of unbuilt layers on an input of `inputShape` ([H, W, C]) without making any weights: the same
 * `tf.layers.conv2d(…)` objects can be counted at several input sizes and later trained in a `tf.sequential`.
 */
export function countLayerListFlops(
  layers: tf.layers.Layer[],
  inputShape: number[],
  opts: UnknownOption = {}
): CostTotals {
  return countFlops(layerListGraph(layers, inputShape), opts);
}
