import {expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {convNet} from "../../../lib/models/convnet.js";
import {layerActivations} from "../../../lib/analysis/feature-maps.js";

test("the ConvNet Example's maps for one digit: shapes, and the last equals the model's own layer output", () => {
  const model = convNet({}, 1);
  const pixels = Uint8Array.from({length: 784}, (_, i) => (i * 37) % 256);
  const before = tf.memory().numTensors;
  const acts = layerActivations(model, ["conv1", "pool1", "conv2", "pool2"], pixels);
  expect(acts.map((a) => a.shape)).toEqual([
    [1, 24, 24, 16],
    [1, 12, 12, 16],
    [1, 8, 8, 32],
    [1, 4, 4, 32]
  ]);
  // pool2 by hand from conv2: the 2×2 max of the map the probe returned
  const pooled = tf.tidy(() => tf.maxPool(acts[2] as tf.Tensor4D, 2, 2, "valid"));
  expect(tf.tidy(() => pooled.sub(acts[3]).abs().max().dataSync()[0])).toBe(0);
  // the probe reuses the model's weights: asking again makes no new variables
  const again = layerActivations(model, ["conv1", "pool1", "conv2", "pool2"], pixels);
  tf.dispose([...acts, ...again, pooled]);
  expect(tf.memory().numTensors).toBe(before);
  expect(() => layerActivations(model, ["conv1"], [1, 2, 3])).toThrow(/3 pixels/);
  model.dispose();
});
