/**
 * The table the analysis reads (./flops.ts, ./summary.ts, ./receptive-field.ts and the architecture diagrams): for
 * each Keras layer class name, how one call of it costs (parameters, MACs, FLOPs), how it changes a receptive field,
 * and whether papers count it as a "layer" of a network's depth.
 *
 * It is open: TF.js's built-in layers register in ./layers.ts, the course's own layers next to their classes
 * (lib/models/layers/), and a later chapter's new layer registers where it is defined:
 *
 *     registerLayerAnalysis("PositionEmbedding", {cost: (call) => ({params: …, macs: 0, flops: …})});
 *
 * A class nobody registered is not guessed at: the counters throw `UnknownLayerError`, naming it (a unit test
 * builds every course model and fails on any such class). Costs are computed from the layer's config and shapes
 * only, so they also work for layers that were never built (a dry layer list, a dry-built paper-sized model).
 */
import type {LayerCall} from "./graph.js";

/** One layer call's cost, from its config and shapes (definitions in ./flops.ts). */
export interface Cost {
  /** Weights, counted from the config (the counters use a built layer's real weights where it has them). */
  params: number;
  /** Trainable weights. Default: `params`. */
  trainableParams?: number;
  /** Multiply-accumulates of the weight products (convolution, dense, recurrent matmuls). */
  macs: number;
  /** 2 · MACs plus the element operations. */
  flops: number;
}

/** Along one axis, the part of the input that a unit of a layer's output sees (see ./receptive-field.ts). */
export interface ReceptiveField {
  size: number;
  jump: number;
  start: number;
}

export interface ReceptiveFieldState extends ReceptiveField {
  /** Every unit sees the whole input (size Infinity). */
  global: boolean;
}

/**
 * How a layer changes the receptive field along spatial axis `axis` (0 for [T, C], 0 or 1 for [H, W, C]): `"keep"`
 * (element-wise and per-position layers), `"global"` (every unit sees the whole input: flatten, global pooling, a
 * recurrent layer), or a function for window layers.
 */
export type ReceptiveFieldRule =
  "keep" | "global" | ((call: LayerCall, input: ReceptiveFieldState, axis: number) => ReceptiveFieldState);

export interface LayerAnalysis {
  cost(call: LayerCall): Cost;
  /** Default `"keep"`. */
  receptiveField?: ReceptiveFieldRule;
  /** Counted in the papers' depth (convolutions, dense, recurrent layers). Default false. */
  weightLayer?: boolean | ((call: LayerCall) => boolean);
}

const TABLE = new Map<string, LayerAnalysis>();

/** Register (or replace) the analysis of one or several layer classes, by Keras class name. */
export function registerLayerAnalysis(classNames: string | readonly string[], analysis: LayerAnalysis): void {
  for (const name of typeof classNames === "string" ? [classNames] : classNames) TABLE.set(name, analysis);
}

/** The analysis registered for a class, if any. */
export function layerAnalysis(className: string): LayerAnalysis | undefined {
  return TABLE.get(className);
}

/** Every registered class name, sorted. */
export function registeredLayerClasses(): string[] {
  return [...TABLE.keys()].sort();
}

/** A layer class that has no registered analysis. */
export class UnknownLayerError extends Error {
  constructor(
    readonly className: string,
    layerName: string
  ) {
    super(
      `no analysis registered for layer class "${className}" (layer "${layerName}"): ` +
        `call registerLayerAnalysis("${className}", {cost, …}) from lib/analysis/registry.ts where the layer is defined`
    );
    this.name = "UnknownLayerError";
  }
}

/** The analysis of a call's class; throws `UnknownLayerError` when there is none. */
export function requireLayerAnalysis(call: Pick<LayerCall, "className" | "name">): LayerAnalysis {
  const analysis = TABLE.get(call.className);
  if (!analysis) throw new UnknownLayerError(call.className, call.name);
  return analysis;
}

/** Whether papers count this call as a layer of the network's depth (false for an unregistered class). */
export function isWeightLayer(call: LayerCall): boolean {
  const w = TABLE.get(call.className)?.weightLayer ?? false;
  return typeof w === "function" ? w(call) : w;
}

/**
 * One window layer's effect on a receptive field: kernel k, stride s, dilation d, p zeros before the input.
 *   j' = j · s,   r' = r + (k_eff − 1) · j,   start' = start + ((k_eff − 1)/2 − p) · j,   k_eff = d(k − 1) + 1.
 */
export function receptiveFieldStep(
  rf: ReceptiveField,
  window: {kernelSize: number; strides?: number; dilation?: number; padBefore?: number}
): ReceptiveField {
  const {kernelSize: k, strides: s = 1, dilation: d = 1, padBefore: p = 0} = window;
  const kEff = d * (k - 1) + 1;
  return {size: rf.size + (kEff - 1) * rf.jump, jump: rf.jump * s, start: rf.start + ((kEff - 1) / 2 - p) * rf.jump};
}
