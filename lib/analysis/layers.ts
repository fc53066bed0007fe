/**
 * The analysis of TF.js's built-in layers (the table is ./registry.ts; the definitions of MACs and FLOPs are in
 * ./flops.ts), family by family. Imported for its effect by the counters, so `countFlops` always knows these.
 *
 * Recurrent layers (chapters on sequences; TF.js's cells, per time step, T steps per sequence, u units, F inputs):
 *   SimpleRNN  h = act(x·W + h·U + b)                                  params u(F + u) + u
 *   LSTM       i, f, o = σ(·), c̃ = act(·) (4 gates, one matmul each)   params 4u(F + u) + 4u
 *              c = f∘c + i∘c̃,  h = o∘act(c)
 *   GRU        z, r = σ(x·W + h·U + b),  h̃ = act(x·W_h + (r∘h)·U_h + b_h),  h = z∘h + (1 − z)∘h̃
 *              (TF.js has only this reset_after = false form)           params 3u(F + u) + 3u
 *   MACs: T · gates · u · (F + u). Element operations per step: the add of the two products (gates·u), the bias
 *   (gates·u), 1 per activated element, and the gating: LSTM 3u for c and u for h (17u in all); GRU u for r∘h and 4u
 *   for h (14u in all); SimpleRNN 3u. Dropout is off at inference.
 * Embedding: a table lookup, params vocabulary × dimension, no arithmetic.
 * LayerNormalization: params 2·C (γ and β); per element 4 for the statistics (a sum for the mean, a subtraction, a
 *   square and a sum for the variance), 1 to normalise, 1 each for γ and β.
 * TimeDistributed applies its inner layer at every step (T times its cost, its parameters once); Bidirectional runs
 *   two copies of its recurrent layer (twice the cost and the parameters) and merges them (sum, mul: 1 per output
 *   element, ave 2, concat 0).
 */
import {tf} from "../tf.js";
import type {LayerCall} from "./graph.js";
import {
  receptiveFieldStep,
  registerLayerAnalysis,
  requireLayerAnalysis,
  type Cost,
  type LayerAnalysis,
  type ReceptiveFieldRule
} from "./registry.js";

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

/** Cost from weights and element operations: flops = 2·MACs + ops. */
function cost(params: number, macs: number, ops: number, trainableParams = params): Cost {
  return {params, trainableParams, macs, flops: 2 * macs + ops};
}

/** Bias (1 per output element when used) plus a fused activation. */
function biasAndActivation(call: LayerCall): number {
  const out = prod(call.outputShape);
  return (call.config.useBias !== false ? out : 0) + activationFlops(call.config.activation) * out;
}

const useBias = (call: LayerCall) => call.config.useBias !== false;

// ---- receptive-field rules ----

function pick(v: unknown, ax: number): number {
  return Array.isArray(v) ? ((v[ax] ?? v[0]) as number) : (v as number);
}

/** The spatial axis of the input: 0 for [T, C] (1-D), `axis` for [H, W, C]. */
const spatialAxis = (call: LayerCall, axis: number) => (call.inputShapes[0].length === 2 ? 0 : axis);

/** A window of `kernelSize`/`poolSize` with strides, dilation and "valid" / "same" / "causal" padding. */
const windowRule: ReceptiveFieldRule = (call, state, axis) => {
  const {className, config} = call;
  const a = spatialAxis(call, axis);
  const isPool = className.includes("Pooling");
  const k = pick(isPool ? config.poolSize : config.kernelSize, a);
  const s = pick(config.strides ?? (isPool ? k : 1), a);
  const d = isPool ? 1 : pick(config.dilationRate ?? 1, a);
  const kEff = d * (k - 1) + 1;
  const nIn = call.inputShapes[0][a];
  const nOut = call.outputShape[a];
  const p =
    config.padding === "same"
      ? Math.floor(Math.max((nOut - 1) * s + kEff - nIn, 0) / 2)
      : config.padding === "causal"
        ? kEff - 1
        : 0;
  return {...receptiveFieldStep(state, {kernelSize: k, strides: s, dilation: d, padBefore: p}), global: false};
};

/** ZeroPadding2D (−) and Cropping2D (+) move the start by the amount before the input. */
const shiftRule =
  (sign: number, field: "padding" | "cropping"): ReceptiveFieldRule =>
  (call, state, axis) => {
    const before = (call.config[field] as number[][])[spatialAxis(call, axis)][0];
    return {...state, start: state.start + sign * before * state.jump};
  };

// ---- convolutions and dense ----

registerLayerAnalysis(["Conv1D", "Conv2D", "Conv3D"], {
  // H_out · W_out · C_out · (k_h · k_w · C_in / groups)
  cost: (call) => {
    const input = call.inputShapes[0];
    const rank = input.length - 1;
    const k = prod(tuple(call.config.kernelSize, rank));
    const cin = input[rank];
    const groups = typeof call.config.groups === "number" ? call.config.groups : 1;
    const filters = call.outputShape[rank];
    const params = k * (cin / groups) * filters + (useBias(call) ? filters : 0);
    return cost(params, prod(call.outputShape) * k * (cin / groups), biasAndActivation(call));
  },
  receptiveField: (call, state, axis) => (call.className === "Conv3D" ? state : windowRule(call, state, axis)),
  weightLayer: true
});

registerLayerAnalysis("Conv2DTranspose", {
  cost: (call) => {
    const input = call.inputShapes[0];
    const k = prod(tuple(call.config.kernelSize, 2));
    const filters = call.outputShape[2];
    const params = k * input[2] * filters + (useBias(call) ? filters : 0);
    // every input value is scattered through a k_h × k_w × C_out kernel
    return cost(params, prod(input) * k * filters, biasAndActivation(call));
  },
  weightLayer: true
});

registerLayerAnalysis("DepthwiseConv2D", {
  // H_out · W_out · C_in · m · k_h · k_w
  cost: (call) => {
    const k = prod(tuple(call.config.kernelSize, 2));
    const cin = call.inputShapes[0][2];
    const m = (call.config.depthMultiplier as number | undefined) ?? 1;
    const params = k * cin * m + (useBias(call) ? cin * m : 0);
    return cost(params, call.outputShape[0] * call.outputShape[1] * cin * m * k, biasAndActivation(call));
  },
  receptiveField: windowRule,
  weightLayer: true
});

registerLayerAnalysis("SeparableConv2D", {
  // depthwise + pointwise: H_out · W_out · C_in · m · (k_h · k_w + C_out)
  cost: (call) => {
    const k = prod(tuple(call.config.kernelSize, 2));
    const cin = call.inputShapes[0][2];
    const m = (call.config.depthMultiplier as number | undefined) ?? 1;
    const filters = call.outputShape[2];
    const params = k * cin * m + cin * m * filters + (useBias(call) ? filters : 0);
    return cost(params, call.outputShape[0] * call.outputShape[1] * cin * m * (k + filters), biasAndActivation(call));
  },
  receptiveField: windowRule,
  weightLayer: true
});

registerLayerAnalysis("Dense", {
  // (positions) · D_in · units
  cost: (call) => {
    const input = call.inputShapes[0];
    const din = input[input.length - 1];
    const units = call.outputShape[call.outputShape.length - 1];
    const params = din * units + (useBias(call) ? units : 0);
    return cost(params, prod(input.slice(0, -1)) * din * units, biasAndActivation(call));
  },
  // on a flat vector every unit sees everything; per position (on [T, F] or [H, W, C]) it keeps the field
  receptiveField: (call, state) =>
    call.inputShapes[0].length === 1 ? {...state, size: Infinity, global: true} : state,
  weightLayer: true
});

// ---- recurrent ----

/** A recurrent layer with `gates` matmul pairs per step and `gating(u)` element operations besides them. */
function recurrent(gates: number, activations: (config: tf.serialization.ConfigDict) => number, gating: number) {
  return (call: LayerCall): Cost => {
    const [steps, features] = call.inputShapes[0]; // [T, F]
    const u = call.config.units as number;
    const bias = useBias(call) ? gates * u : 0;
    const params = gates * u * (features + u) + bias;
    const perStep = gates * u + bias + activations(call.config) * u + gating * u;
    return cost(params, steps * gates * u * (features + u), steps * perStep);
  };
}

const act = (c: tf.serialization.ConfigDict) => activationFlops(c.activation);
const recAct = (c: tf.serialization.ConfigDict) => activationFlops(c.recurrentActivation);

const RECURRENT: Record<string, LayerAnalysis> = {
  SimpleRNN: {cost: recurrent(1, act, 0), receptiveField: "global", weightLayer: true},
  // i, f, o: recurrent activation; c̃ and c: activation; c = f∘c + i∘c̃ (3u), h = o∘act(c) (u)
  LSTM: {cost: recurrent(4, (c) => 3 * recAct(c) + 2 * act(c), 4), receptiveField: "global", weightLayer: true},
  // z, r: recurrent activation; h̃: activation; r∘h (u), h = z∘h + (1 − z)∘h̃ (4u)
  GRU: {cost: recurrent(3, (c) => 2 * recAct(c) + act(c), 5), receptiveField: "global", weightLayer: true}
};
for (const [name, analysis] of Object.entries(RECURRENT)) registerLayerAnalysis(name, analysis);

registerLayerAnalysis("Embedding", {
  // a lookup: vocabulary × dimension weights, no arithmetic
  cost: (call) => cost((call.config.inputDim as number) * (call.config.outputDim as number), 0, 0)
});

// ---- wrappers: the inner layer's analysis ----

/** The wrapped layer's config as a call on `inputShape` → `outputShape`. */
function innerCall(call: LayerCall, inputShape: number[], outputShape: number[]): LayerCall {
  const inner = call.config.layer as {className: string; config: tf.serialization.ConfigDict};
  return {
    ...call,
    name: `${call.name}/${(inner.config.name as string | undefined) ?? inner.className}`,
    className: inner.className,
    config: inner.config,
    inputShapes: [inputShape],
    outputShape,
    params: null,
    layer: null
  };
}

function timeDistributedInner(call: LayerCall): LayerCall {
  return innerCall(call, call.inputShapes[0].slice(1), call.outputShape.slice(1));
}

registerLayerAnalysis("TimeDistributed", {
  cost: (call) => {
    const inner = timeDistributedInner(call);
    const c = requireLayerAnalysis(inner).cost(inner);
    const steps = call.inputShapes[0][0];
    return {...c, macs: steps * c.macs, flops: steps * c.flops};
  },
  weightLayer: (call) => {
    const inner = timeDistributedInner(call);
    const w = requireLayerAnalysis(inner).weightLayer ?? false;
    return typeof w === "function" ? w(inner) : w;
  }
});

function bidirectionalInner(call: LayerCall): LayerCall {
  const out = call.outputShape;
  const concat = (call.config.mergeMode ?? "concat") === "concat";
  return innerCall(call, call.inputShapes[0], concat ? [...out.slice(0, -1), out[out.length - 1] / 2] : out);
}

registerLayerAnalysis("Bidirectional", {
  cost: (call) => {
    const inner = bidirectionalInner(call);
    const c = requireLayerAnalysis(inner).cost(inner);
    const mode = call.config.mergeMode ?? "concat";
    const merge = (mode === "ave" ? 2 : mode === "sum" || mode === "mul" ? 1 : 0) * prod(call.outputShape);
    const trainable = c.trainableParams ?? c.params;
    return {params: 2 * c.params, trainableParams: 2 * trainable, macs: 2 * c.macs, flops: 2 * c.flops + merge};
  },
  receptiveField: "global",
  weightLayer: true
});

// ---- normalisation ----

/** The normalised axes' size C (the config's `axis`, −1 by default). */
function normalisedSize(call: LayerCall): number {
  const input = call.inputShapes[0];
  const axis = (call.config.axis as number | number[] | undefined) ?? -1;
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? input.length + 1 + a : a) - 1);
  return prod(axes.map((a) => input[a]));
}

const affine = (call: LayerCall) => (call.config.center !== false ? 1 : 0) + (call.config.scale !== false ? 1 : 0);

registerLayerAnalysis("BatchNormalization", {
  // inference: the statistics folded into one scale and one shift, 2 per element; moving mean and variance are
  // weights but not trainable
  cost: (call) => {
    const c = normalisedSize(call);
    const trainable = c * affine(call);
    return cost(trainable + 2 * c, 0, 2 * prod(call.outputShape), trainable);
  }
});

registerLayerAnalysis("LayerNormalization", {
  // statistics 4, normalise 1, γ and β 1 each, per element
  cost: (call) => cost(normalisedSize(call) * affine(call), 0, (5 + affine(call)) * prod(call.outputShape))
});

// ---- pooling ----

registerLayerAnalysis(["MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D"], {
  // max: k·k − 1 comparisons per output element; average: k·k (k·k − 1 adds and a divide)
  cost: (call) => {
    const k = prod(tuple(call.config.poolSize, call.inputShapes[0].length - 1));
    return cost(0, 0, prod(call.outputShape) * (call.className.startsWith("Max") ? k - 1 : k));
  },
  receptiveField: windowRule
});

registerLayerAnalysis(["GlobalAveragePooling1D", "GlobalAveragePooling2D"], {
  cost: (call) => cost(0, 0, prod(call.inputShapes[0])),
  receptiveField: "global"
});

registerLayerAnalysis(["GlobalMaxPooling1D", "GlobalMaxPooling2D"], {
  cost: (call) => cost(0, 0, prod(call.inputShapes[0]) - call.outputShape[call.outputShape.length - 1]),
  receptiveField: "global"
});

// ---- element-wise ----

registerLayerAnalysis(["Add", "Multiply", "Maximum", "Minimum", "Average"], {
  // (inputs − 1) per output element; Average one more (the divide)
  cost: (call) =>
    cost(0, 0, (call.inputShapes.length - 1 + (call.className === "Average" ? 1 : 0)) * prod(call.outputShape))
});

registerLayerAnalysis(["Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "ThresholdedReLU", "Softmax"], {
  cost: (call) => {
    const {className, config} = call;
    const fn = className === "Activation" ? config.activation : className === "Softmax" ? "softmax" : "relu";
    return cost(className === "PReLU" ? prod(call.inputShapes[0]) : 0, 0, activationFlops(fn) * prod(call.outputShape));
  }
});

// ---- free: no weights, no arithmetic ----

registerLayerAnalysis(
  [
    "InputLayer",
    "Dropout",
    "SpatialDropout1D",
    "GaussianNoise",
    "GaussianDropout",
    "AlphaDropout",
    "Masking",
    "Concatenate",
    "Permute",
    "RepeatVector"
  ],
  {cost: () => cost(0, 0, 0)}
);
registerLayerAnalysis(["Flatten", "Reshape"], {cost: () => cost(0, 0, 0), receptiveField: "global"});
registerLayerAnalysis("ZeroPadding2D", {cost: () => cost(0, 0, 0), receptiveField: shiftRule(-1, "padding")});
registerLayerAnalysis("Cropping2D", {cost: () => cost(0, 0, 0), receptiveField: shiftRule(1, "cropping")});
registerLayerAnalysis("UpSampling2D", {
  cost: () => cost(0, 0, 0),
  receptiveField: (call, state, axis) => ({
    ...state,
    jump: state.jump / pick(call.config.size, spatialAxis(call, axis))
  })
});
