/**
 * What one input looks like inside a trained model (chapter 2 「CNN」, feature maps): the outputs of named 층 for
 * one image, read through a probe model that shares the trained layers (no new weights).
 */
import {tf} from "../tf.js";

const probes = new WeakMap<tf.LayersModel, Map<string, tf.LayersModel>>();

/** A model from `model`'s input to the outputs of `names`, cached per model (its layers are `model`'s own). */
function probeOf(model: tf.LayersModel, names: readonly string[]): tf.LayersModel {
  let byNames = probes.get(model);
  if (!byNames) probes.set(model, (byNames = new Map()));
  const key = names.join(",");
  let probe = byNames.get(key);
  if (!probe) {
    probe = tf.model({inputs: model.inputs, outputs: names.map((n) => model.getLayer(n).output as tf.SymbolicTensor)});
    byNames.set(key, probe);
  }
  return probe;
}

/**
 * The activations of the named 층 for one image `pixels` (H·W·C values, 0…255 bytes or 0…1 floats with
 * `scale`), as tensors [1, h, w, c] in the order of `names`; the caller disposes them. Never dispose the probe:
 * it shares the model's weights.
 */
export function layerActivations(
  model: tf.LayersModel,
  names: readonly string[],
  pixels: ArrayLike<number>,
  {scale = 1 / 255}: {scale?: number} = {}
): tf.Tensor[] {
  const shape = model.inputs[0].shape.slice(1) as number[]; // [H, W, C]
  const size = shape.reduce((a, b) => a * b, 1);
  if (pixels.length !== size) throw new RangeError(`${pixels.length} pixels for an input of ${shape.join("×")}`);
  const probe = probeOf(model, names);
  return tf.tidy(() => {
    const x = tf.tensor(
      Float32Array.from(pixels, (v) => v * scale),
      [1, ...shape]
    );
    const out = probe.predict(x);
    return Array.isArray(out) ? out : [out];
  });
}
