/**
 * Receptive fields, layer by layer: chapter 3 「CNN Model 비교」 (two 3×3 convolutions see 5×5, three see 7×7:
 * VGG's argument) and the 1-D convolution section (receptive field against depth).
 *
 * Along one axis, every unit of a layer's output sees a window of the input:
 *   size  r — how many input pixels the window spans,
 *   jump  j — how far apart (in input pixels) two neighbouring units' windows are: the product of the strides,
 *   start   — the input position of the centre of the first unit's window (pixel indices; negative or fractional
 *             where the window hangs over the padding or has even size).
 * A window layer with kernel k (dilation d: k_eff = d(k − 1) + 1), stride s and p zeros before the input maps
 *   j' = j · s,   r' = r + (k_eff − 1) · j,   start' = start + ((k_eff − 1)/2 − p) · j,
 * from the input layer's r = 1, j = 1, start = 0. "same" padding puts ⌊total/2⌋ zeros first, total =
 * max((n_out − 1)s + k_eff − n_in, 0), read off the real shapes; "causal" puts k_eff − 1.
 *
 * Layers handled: Conv1D/2D, DepthwiseConv2D, SeparableConv2D, Max/AveragePooling1D/2D (windows); ZeroPadding2D,
 * Cropping2D (shift start); UpSampling2D (j / size). Flatten, Reshape, global pooling and a Dense on a flat vector
 * see the whole input: `global`, size ∞. Everything else (BatchNorm, activations, dropout, Dense per position)
 * keeps its input's field.
 *
 * Branches: a layer that reads several inputs (Add, Concatenate) takes the field of the inbound with the largest
 * size — the main path of a ResNet block, the 3×3 branch of an Inception module. The receptive field of a unit of
 * a concatenation is then that of its widest-seeing channels; `mainPath` follows these choices back from the output.
 */
import {tf} from "../tf.js";
import {ancestors, layerListGraph, toGraph, type LayerCall, type LayerGraph} from "./graph.js";

export interface ReceptiveField {
  size: number;
  jump: number;
  start: number;
}

export interface ReceptiveFieldRow extends ReceptiveField {
  index: number;
  name: string;
  className: string;
  /** The layer's output size along the axis (1 for global layers). */
  outputSize: number;
  /** Every unit sees the whole input (size is Infinity). */
  global: boolean;
}

export interface ReceptiveFieldOptions {
  /** Which spatial axis of a 2-D layer: "height" (default) or "width". 1-D layers have one. */
  axis?: "height" | "width";
  /** Only the layers on the main path to this output (see the module comment). Default: every layer. */
  mainPath?: boolean;
  /** Which model output the main path leads to. Default 0. */
  output?: number;
}

/** One window layer's effect: kernel k, stride s, dilation d, p zeros before the input. */
export function receptiveFieldStep(
  rf: ReceptiveField,
  window: {kernelSize: number; strides?: number; dilation?: number; padBefore?: number}
): ReceptiveField {
  const {kernelSize: k, strides: s = 1, dilation: d = 1, padBefore: p = 0} = window;
  const kEff = d * (k - 1) + 1;
  return {size: rf.size + (kEff - 1) * rf.jump, jump: rf.jump * s, start: rf.start + ((kEff - 1) / 2 - p) * rf.jump};
}

const WINDOW = new Set([
  "Conv1D",
  "Conv2D",
  "DepthwiseConv2D",
  "SeparableConv2D",
  "MaxPooling1D",
  "MaxPooling2D",
  "AveragePooling1D",
  "AveragePooling2D"
]);

const GLOBAL = new Set([
  "Flatten",
  "Reshape",
  "GlobalAveragePooling1D",
  "GlobalAveragePooling2D",
  "GlobalMaxPooling1D",
  "GlobalMaxPooling2D"
]);

function pick(v: unknown, ax: number): number {
  return Array.isArray(v) ? ((v[ax] ?? v[0]) as number) : (v as number);
}

interface State extends ReceptiveField {
  global: boolean;
}

function step(call: LayerCall, inState: State, ax: number): State {
  const {className, config} = call;
  const input = call.inputShapes[0];
  // the spatial axis: 0 for [T, C] (1-D), ax for [H, W, C]
  const a = input.length === 2 ? 0 : ax;
  if (inState.global) return inState;
  if (GLOBAL.has(className) || (className === "Dense" && input.length === 1)) {
    return {size: Infinity, jump: inState.jump, start: inState.start, global: true};
  }
  if (WINDOW.has(className)) {
    const isPool = className.includes("Pooling");
    const k = pick(isPool ? config.poolSize : config.kernelSize, a);
    const s = pick(config.strides ?? k, a);
    const d = isPool ? 1 : pick(config.dilationRate ?? 1, a);
    const kEff = d * (k - 1) + 1;
    const nIn = input[a];
    const nOut = call.outputShape[a];
    const padding = config.padding;
    const p =
      padding === "same"
        ? Math.floor(Math.max((nOut - 1) * s + kEff - nIn, 0) / 2)
        : padding === "causal"
          ? kEff - 1
          : 0;
    return {...receptiveFieldStep(inState, {kernelSize: k, strides: s, dilation: d, padBefore: p}), global: false};
  }
  if (className === "ZeroPadding2D" || className === "Cropping2D") {
    const v = (className === "ZeroPadding2D" ? config.padding : config.cropping) as number[][];
    const before = v[a][0];
    const sign = className === "ZeroPadding2D" ? -1 : 1;
    return {...inState, start: inState.start + sign * before * inState.jump};
  }
  if (className === "UpSampling2D") {
    return {...inState, jump: inState.jump / pick(config.size, a)};
  }
  return inState;
}

/** Receptive field of every layer call (or of the main path), along one axis. */
export function receptiveFields(
  source: tf.LayersModel | LayerGraph,
  opts: ReceptiveFieldOptions = {}
): ReceptiveFieldRow[] {
  const graph = toGraph(source);
  const ax = opts.axis === "width" ? 1 : 0;
  const states: State[] = [];
  const from: number[] = [];
  for (const call of graph.calls) {
    let best = -1;
    for (const i of call.inbound) {
      const s = states[i];
      if (best < 0 || (s.global ? Infinity : s.size) > (states[best].global ? Infinity : states[best].size)) best = i;
    }
    const inState: State = best >= 0 ? states[best] : {size: 1, jump: 1, start: 0, global: false};
    states.push(call.inbound.length === 0 ? inState : step(call, inState, ax));
    from.push(best);
  }
  const row = (call: LayerCall): ReceptiveFieldRow => {
    const s = states[call.index];
    const shape = call.outputShape;
    const a = shape.length === 2 ? 0 : ax;
    return {
      index: call.index,
      name: call.name,
      className: call.className,
      outputSize: s.global || shape.length < 2 ? 1 : shape[a],
      ...s
    };
  };
  const out = graph.outputs[opts.output ?? 0];
  if (opts.mainPath) {
    const path: LayerCall[] = [];
    for (let i = out; i >= 0; i = from[i]) path.unshift(graph.calls[i]);
    return path.map(row);
  }
  const keep = opts.output === undefined ? null : ancestors(graph, out);
  return graph.calls.filter((c) => keep === null || keep.has(c.index)).map(row);
}

/** Receptive fields of a chain of unbuilt layers on an input of `inputShape` ([H, W, C] or [T, C]). */
export function receptiveFieldOfLayers(
  layers: tf.layers.Layer[],
  inputShape: number[],
  opts: Omit<ReceptiveFieldOptions, "mainPath" | "output"> = {}
): ReceptiveFieldRow[] {
  return receptiveFields(layerListGraph(layers, inputShape), opts);
}
