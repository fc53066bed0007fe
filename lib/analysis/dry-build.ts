/**
 * A model's layer graph without its weights: chapter 3 「CNN Model 비교」 counts VGG-19 (143.7 M parameters, 575 MB
 * as float32) in the reader's browser without allocating them.
 *
 * `dryGraph(() => MODELS.vgg19())` runs the real builder — the same code that builds the trainable model — while
 * every layer's `addWeight` makes a shape-only stand-in instead of a variable. The result is the builder's own
 * `LayerGraph` (`modelGraph`): layer calls, shapes and exact parameter counts, for `countFlops`, `modelSummary`,
 * `weightLayerCount`, `receptiveFields` and the architecture diagrams. Nothing is allocated, so no tensor is left
 * behind; the graph's `layer` objects have no values and must not be run.
 *
 * How: TF.js creates every weight in `Layer.prototype.addWeight` (tfjs-layers engine/topology), which calls the
 * initializer and wraps the value in a `LayerVariable`. For the duration of the build that method is replaced by one
 * that records `{shape, dtype, name, trainable}` in the same `_trainableWeights` / `_nonTrainableWeights` lists.
 * The replacement is undone in `finally`, also when the builder throws. A builder that reads weight values while
 * building (none of lib/models does) would throw "no values".
 */
import {tf} from "../tf.js";
import {modelGraph, type LayerGraph} from "./graph.js";

/** The stand-in for a `LayerVariable`: what counting reads (shape, dtype, name, trainable), and nothing to read. */
class ShapeOnlyWeight {
  constructor(
    readonly name: string,
    readonly shape: number[],
    readonly dtype: string,
    readonly trainable: boolean
  ) {}
  read(): never {
    throw new Error(`${this.name}: a dry-built weight has no values`);
  }
  write(): never {
    return this.read();
  }
  dispose(): void {}
}

interface LayerInternals {
  _addedWeightNames: string[];
  _trainableWeights: unknown[];
  _nonTrainableWeights: unknown[];
  name: string;
}

type AddWeight = (this: LayerInternals, name: string, shape: number[], dtype?: string, ...rest: unknown[]) => unknown;

function shapeOnlyAddWeight(
  this: LayerInternals,
  name: string,
  shape: number[],
  dtype = "float32",
  ...rest: unknown[]
) {
  if (this._addedWeightNames.includes(name)) throw new Error(`Duplicate weight name ${name} for layer ${this.name}`);
  this._addedWeightNames.push(name);
  const trainable = rest[2] == null ? true : Boolean(rest[2]); // (initializer, regularizer, trainable, …)
  const weight = new ShapeOnlyWeight(`${this.name}/${name}`, [...shape], dtype, trainable);
  (trainable ? this._trainableWeights : this._nonTrainableWeights).push(weight);
  return weight;
}

/** Run `build` with shape-only weights and return the model it makes (its weights cannot be read). */
export function dryBuild(build: () => tf.LayersModel): tf.LayersModel {
  const proto = tf.layers.Layer.prototype as unknown as {addWeight: AddWeight};
  const original = proto.addWeight;
  proto.addWeight = shapeOnlyAddWeight;
  try {
    return build();
  } finally {
    proto.addWeight = original;
  }
}

/** The layer graph of the model `build` makes, without allocating its weights (see the module comment). */
export function dryGraph(build: () => tf.LayersModel): LayerGraph {
  return modelGraph(dryBuild(build));
}
