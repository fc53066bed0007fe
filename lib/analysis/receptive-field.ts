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
 * Each layer class says what it does to the field in the table of ./registry.ts (`receptiveField`; TF.js's layers in
 * ./layers.ts): Conv1D/2D, DepthwiseConv2D, SeparableConv2D, Max/AveragePooling1D/2D are windows; ZeroPadding2D,
 * Cropping2D shift the start; UpSampling2D divides j by its size. Flatten, Reshape, global pooling, a Dense on a flat
 * vector and recurrent layers (SimpleRNN, LSTM, GRU, Bidirectional: a unit's state has read the whole sequence so
 * far) see the whole input: `global`, size ∞. Everything else (BatchNorm, activations, dropout, Dense per position)
 * keeps its input's field. A class with no entry throws `UnknownLayerError`.
 *
 * Branches: a layer that reads several inputs (Add, Concatenate) takes the field of the inbound with the largest
 * size — the main path of a ResNet block, the 3×3 branch of an Inception module. The receptive field of a unit of
 * a concatenation is then that of its widest-seeing channels; `mainPath` follows these choices back from the output.
 */
import {tf} from "../tf.js";
import {ancestors, layerListGraph, toGraph, type LayerCall, type LayerGraph} from "./graph.js";
import "./layers.js";
import {requireLayerAnalysis, type ReceptiveField, type ReceptiveFieldState} from "./registry.js";

export {receptiveFieldStep, type ReceptiveField} from "./registry.js";

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

type State = ReceptiveFieldState;

function step(call: LayerCall, inState: State, ax: number): State {
  const rule = requireLayerAnalysis(call).receptiveField ?? "keep";
  if (inState.global || rule === "keep") return inState;
  if (rule === "global") return {...inState, size: Infinity, global: true};
  return rule(call, inState, ax);
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
