/**
 * A model as a list of layer calls with their shapes: what the FLOP counter, the summary and the receptive field
 * (chapters 2 「CNN」 and 3 「CNN Model 비교」) read instead of running the model.
 *
 * Two sources give the same list:
 * - `modelGraph(model)`: a built `tf.LayersModel` (functional or sequential), walked from its outputs;
 * - `layerListGraph(layers, inputShape)`: a chain of layers that were never built, e.g.
 *   `[tf.layers.conv2d({filters: 8, kernelSize: 3}), tf.layers.maxPooling2d({poolSize: 2}), …]`, shapes from each
 *   layer's `computeOutputShape`. Nothing is allocated, so a page can count a network at 1024² for free, and then
 *   hand the same layers to `tf.sequential` when it wants to train one.
 *
 * Shapes leave out the batch axis: a conv layer's output shape is [H, W, C].
 */
import {tf} from "../tf.js";

/** One call of a layer on its inputs (a layer shared by two calls appears twice). */
export interface LayerCall {
  /** Position in the list: a topological order (inputs before the layers that read them). */
  index: number;
  name: string;
  /** Keras class name, e.g. "Conv2D", "Dense", "BatchNormalization". */
  className: string;
  /** The layer's Keras config (`layer.getConfig()`): `filters`, `kernelSize`, `strides`, `padding`, … */
  config: tf.serialization.ConfigDict;
  /** Shapes of the inputs, without the batch axis. */
  inputShapes: number[][];
  /** Shape of the (first) output, without the batch axis. */
  outputShape: number[];
  /** Indices of the calls whose outputs this call reads. */
  inbound: number[];
  /**
   * The layer's own parameter count at its first call (0 at later calls of a shared layer); null when the layer
   * was never built (a dry layer list), in which case the analysis computes it from the config.
   */
  params: {total: number; trainable: number} | null;
  layer: tf.layers.Layer | null;
}

export interface LayerGraph {
  calls: LayerCall[];
  /** Indices of the calls that produce the model's outputs, in the model's output order. */
  outputs: number[];
}

type Shape = (number | null)[];
type LayerNode = tf.layers.Layer["inboundNodes"][number];

function shapeList(s: Shape | Shape[]): Shape[] {
  return s.length > 0 && Array.isArray(s[0]) ? (s as Shape[]) : [s as Shape];
}

/** Drop the batch axis; every other size must be known. */
function known(shape: Shape, where: string): number[] {
  const rest = shape.slice(1);
  if (rest.some((d) => d == null)) {
    throw new RangeError(`${where}: shape [${shape.join(", ")}] has an unknown size; build with a fixed inputShape`);
  }
  return rest as number[];
}

function weightCount(weights: tf.LayerVariable[]): number {
  return weights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
}

/** The calls of a built model, topologically sorted, in the order their layers were created where possible. */
export function modelGraph(model: tf.LayersModel): LayerGraph {
  if (!model.outputs || model.outputs.length === 0) throw new Error("the model has no outputs yet: build it first");
  const key = (layer: tf.layers.Layer, nodeIndex: number) => `${layer.id}:${nodeIndex}`;
  const nodes = new Map<string, {layer: tf.layers.Layer; nodeIndex: number; node: LayerNode}>();
  const stack = model.outputs.map((t) => [t.sourceLayer, t.nodeIndex] as const);
  while (stack.length > 0) {
    const [layer, nodeIndex] = stack.pop()!;
    const k = key(layer, nodeIndex);
    if (nodes.has(k)) continue;
    const node = layer.inboundNodes[nodeIndex];
    nodes.set(k, {layer, nodeIndex, node});
    node.inboundLayers.forEach((l, i) => stack.push([l, node.nodeIndices[i]]));
  }
  // Kahn's algorithm, always taking the ready call whose layer was created first
  const entries = [...nodes.entries()];
  const pending = new Map(entries.map(([k, v]) => [k, v.node.inboundLayers.length]));
  const readers = new Map<string, string[]>();
  for (const [k, {node}] of entries) {
    node.inboundLayers.forEach((l, i) => {
      const from = key(l, node.nodeIndices[i]);
      readers.set(from, [...(readers.get(from) ?? []), k]);
    });
  }
  const order = (k: string) => {
    const {layer, nodeIndex} = nodes.get(k)!;
    return layer.id * 1e6 + nodeIndex;
  };
  const ready = entries.filter(([k]) => pending.get(k) === 0).map(([k]) => k);
  const sorted: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => order(b) - order(a));
    const k = ready.pop()!;
    sorted.push(k);
    for (const r of readers.get(k) ?? []) {
      pending.set(r, pending.get(r)! - 1);
      if (pending.get(r) === 0) ready.push(r);
    }
  }
  const indexOf = new Map(sorted.map((k, i) => [k, i]));
  const counted = new Set<tf.layers.Layer>();
  const calls = sorted.map((k, index): LayerCall => {
    const {layer, node} = nodes.get(k)!;
    const name = layer.name;
    const inputShapes = node.inboundLayers.map((l, i) => {
      const source = l.inboundNodes[node.nodeIndices[i]];
      return known(shapeList(source.outputShapes)[node.tensorIndices[i]], name);
    });
    const outputShape = known(shapeList(node.outputShapes)[0], name);
    const first = !counted.has(layer);
    counted.add(layer);
    return {
      index,
      name,
      className: layer.getClassName(),
      config: layer.getConfig(),
      inputShapes: inputShapes.length > 0 ? inputShapes : [outputShape],
      outputShape,
      inbound: node.inboundLayers.map((l, i) => indexOf.get(key(l, node.nodeIndices[i]))!),
      params: first
        ? {total: weightCount(layer.weights), trainable: weightCount(layer.trainableWeights)}
        : {total: 0, trainable: 0},
      layer
    };
  });
  return {calls, outputs: model.outputs.map((t) => indexOf.get(key(t.sourceLayer, t.nodeIndex))!)};
}

/**
 * A chain of (unbuilt) layers applied one after the other to an input of `inputShape` ([H, W, C], no batch axis).
 * Shapes come from `computeOutputShape`; no weights are made. The first call is a synthetic "input".
 */
export function layerListGraph(layers: tf.layers.Layer[], inputShape: number[]): LayerGraph {
  const calls: LayerCall[] = [
    {
      index: 0,
      name: "input",
      className: "InputLayer",
      config: {},
      inputShapes: [inputShape],
      outputShape: inputShape,
      inbound: [],
      params: {total: 0, trainable: 0},
      layer: null
    }
  ];
  let shape = inputShape;
  layers.forEach((layer, i) => {
    const out = shapeList(layer.computeOutputShape([null, ...shape]) as Shape | Shape[])[0];
    const outputShape = known(out, layer.name);
    calls.push({
      index: i + 1,
      name: layer.name,
      className: layer.getClassName(),
      config: layer.getConfig(),
      inputShapes: [shape],
      outputShape,
      inbound: [i],
      params: null,
      layer
    });
    shape = outputShape;
  });
  return {calls, outputs: [calls.length - 1]};
}

/** A model's graph, or the graph itself. */
export function toGraph(source: tf.LayersModel | LayerGraph): LayerGraph {
  return source instanceof tf.LayersModel ? modelGraph(source) : source;
}

/** The calls that `output` depends on (itself included), as a set of indices. */
export function ancestors(graph: LayerGraph, output: number): Set<number> {
  const seen = new Set<number>();
  const stack = [output];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (seen.has(i)) continue;
    seen.add(i);
    stack.push(...graph.calls[i].inbound);
  }
  return seen;
}
