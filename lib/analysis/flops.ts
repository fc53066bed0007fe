/**
 * Counting a network's arithmetic from its layer configs and shapes, without running it: chapter 2 「CNN」 (the cost
 * grows with resolution; pooling shrinks it) and chapter 3 「CNN Model 비교」 (the comparison table).
 *
 * Definitions (per image, i.e. batch 1, inference):
 * - **MACs** (multiply-accumulates, "multiply-adds"): one weight × one activation added to a sum, in convolution and
 *   fully connected layers only. This is the number papers and torchvision's "GFLOPS" column report
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
 * - **params**: the layer's weights. `trainableParams` leaves out BatchNormalization's moving mean and variance,
 *   which torchvision keeps as buffers, not parameters; so trainable params = torchvision's
 *   `sum(p.numel() for p in model.parameters())`.
 *
 * Layers of other classes count 0 and are flagged `counted: false`.
 */
import {tf} from "../tf.js";
import {ancestors, layerListGraph, toGraph, type LayerCall, type LayerGraph} from "./graph.js";

export interface LayerCost {
  params: number;
  trainableParams: number;
  macs: number;
  flops: number;
  /** False for a layer class this counter does not know (its cost is taken as 0). */
  counted: boolean;
}

export interface CostTotals {
  params: number;
  trainableParams: number;
  macs: number;
  flops: number;
  /** Class names of layers that were not counted, if any. */
  uncounted: string[];
}

const prod = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

/** A number or a list in a Keras config, as a list of `rank` numbers. */
function tuple(v: unknown, rank: number): number[] {
  if (Array.isArray(v)) return v.length === rank ? (v as number[]) : Array.from({length: rank}, () => v[0] as number);
  return Array.from({length: rank}, () => v as number);
}

/** Element operations of an activation function, per element. */
export function activationFlops(activation: unknown): number {
  if (activation == null || activation === "linear") return 0;
  return activation === "softmax" ? 3 : 1;
}

const FREE = new Set([
  "InputLayer",
  "Flatten",
  "Reshape",
  "Permute",
  "RepeatVector",
  "Dropout",
  "SpatialDropout1D",
  "SpatialDropout2D",
  "GaussianNoise",
  "GaussianDropout",
  "AlphaDropout",
  "ZeroPadding2D",
  "Cropping2D",
  "UpSampling2D",
  "Concatenate"
]);

const MERGE = new Set(["Add", "Subtract", "Multiply", "Maximum", "Minimum", "Average"]);

const ELEMENTWISE_ACTIVATIONS = new Set([
  "Activation",
  "ReLU",
  "LeakyReLU",
  "PReLU",
  "ELU",
  "ThresholdedReLU",
  "Softmax"
]);

/** The parameters, MACs and FLOPs of one layer call, from its config and shapes (see the module comment). */
export function layerCost(call: LayerCall): LayerCost {
  const {className, config} = call;
  const input = call.inputShapes[0];
  const out = call.outputShape;
  const outElements = prod(out);
  const useBias = config.useBias !== false;
  const bias = (units: number) => (useBias ? units : 0);
  const fused = activationFlops(config.activation) * outElements;
  let params = 0;
  let trainable: number | undefined;
  let macs = 0;
  let ops = 0; // element operations besides the 2·MACs
  let counted = true;
  switch (className) {
    case "Conv1D":
    case "Conv2D":
    case "Conv3D": {
      const rank = input.length - 1;
      const k = prod(tuple(config.kernelSize, rank));
      const cin = input[rank];
      const groups = typeof config.groups === "number" ? config.groups : 1;
      const filters = out[rank];
      params = k * (cin / groups) * filters + bias(filters);
      macs = prod(out) * k * (cin / groups);
      ops = (useBias ? outElements : 0) + fused;
      break;
    }
    case "Conv2DTranspose": {
      const k = prod(tuple(config.kernelSize, 2));
      const cin = input[2];
      const filters = out[2];
      params = k * cin * filters + bias(filters);
      macs = prod(input) * k * filters; // every input value is scattered through a k_h × k_w × C_out kernel
      ops = (useBias ? outElements : 0) + fused;
      break;
    }
    case "DepthwiseConv2D": {
      const k = prod(tuple(config.kernelSize, 2));
      const cin = input[2];
      const m = (config.depthMultiplier as number | undefined) ?? 1;
      params = k * cin * m + bias(cin * m);
      macs = out[0] * out[1] * cin * m * k;
      ops = (useBias ? outElements : 0) + fused;
      break;
    }
    case "SeparableConv2D": {
      const k = prod(tuple(config.kernelSize, 2));
      const cin = input[2];
      const m = (config.depthMultiplier as number | undefined) ?? 1;
      const filters = out[2];
      params = k * cin * m + cin * m * filters + bias(filters);
      macs = out[0] * out[1] * cin * m * (k + filters);
      ops = (useBias ? outElements : 0) + fused;
      break;
    }
    case "Dense": {
      const din = input[input.length - 1];
      const units = out[out.length - 1];
      params = din * units + bias(units);
      macs = prod(input.slice(0, -1)) * din * units;
      ops = (useBias ? outElements : 0) + fused;
      break;
    }
    case "BatchNormalization":
    case "LayerNormalization": {
      const axis = (config.axis as number | number[] | undefined) ?? -1;
      const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? input.length + 1 + a : a) - 1);
      const c = prod(axes.map((a) => input[a]));
      trainable = c * ((config.center !== false ? 1 : 0) + (config.scale !== false ? 1 : 0));
      params = trainable + (className === "BatchNormalization" ? 2 * c : 0);
      ops = 2 * outElements;
      break;
    }
    case "MaxPooling1D":
    case "MaxPooling2D":
    case "AveragePooling1D":
    case "AveragePooling2D": {
      const k = prod(tuple(config.poolSize, input.length - 1));
      ops = outElements * (className.startsWith("Max") ? k - 1 : k);
      break;
    }
    case "GlobalAveragePooling1D":
    case "GlobalAveragePooling2D":
      ops = prod(input);
      break;
    case "GlobalMaxPooling1D":
    case "GlobalMaxPooling2D":
      ops = prod(input) - out[out.length - 1];
      break;
    default:
      if (MERGE.has(className)) {
        ops = (call.inputShapes.length - 1 + (className === "Average" ? 1 : 0)) * outElements;
      } else if (ELEMENTWISE_ACTIVATIONS.has(className)) {
        const fn = className === "Activation" ? config.activation : className === "Softmax" ? "softmax" : "relu";
        ops = activationFlops(fn) * outElements;
        if (className === "PReLU") params = prod(input);
      } else if (!FREE.has(className)) {
        counted = false;
      }
  }
  if (call.params) {
    // a built layer: its real weights (0 at a shared layer's later calls)
    return {params: call.params.total, trainableParams: call.params.trainable, macs, flops: 2 * macs + ops, counted};
  }
  return {params, trainableParams: trainable ?? params, macs, flops: 2 * macs + ops, counted};
}

export interface CountOptions {
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
    const c = layerCost(call);
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
export function countLayerListFlops(layers: tf.layers.Layer[], inputShape: number[]): CostTotals {
  return countFlops(layerListGraph(layers, inputShape));
}
