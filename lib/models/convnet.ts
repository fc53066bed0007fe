/**
 * The notes' 「ConvNet Example」: conv → pool → conv → pool → FC, trained in chapter 2 「CNN」 on MNIST.
 *
 * Lineage: LeNet-5 (LeCun et al., "Gradient-Based Learning Applied to Document Recognition", Proc. IEEE
 * 1998, http://yann.lecun.com/exdb/publis/pdf/lecun-98.pdf) and the tfjs-examples MNIST CNN
 * (https://github.com/tensorflow/tfjs-examples/tree/master/mnist), whose sizes are the `classic` preset.
 * Differs from LeNet-5: ReLU instead of scaled tanh, max pooling instead of trainable sub-sampling, no
 * partial C3 connectivity, one softmax layer instead of F6 + RBF outputs.
 */
import {tf} from "../tf.js";

export interface ConvNetConfig {
  /** [H, W, C] of one example. */
  inputShape: [number, number, number];
  /** Filters of the two conv layers. */
  filters: [number, number];
  kernelSize: number;
  /** `"valid"` shrinks each conv output by kernelSize − 1; `"same"` keeps the size. */
  padding: "valid" | "same";
  /** Pooling after each conv layer (2×2, stride 2), or none. */
  pooling: "max" | "average" | "none";
  /** Units of a hidden dense layer before the classifier; 0 for none. */
  hidden: number;
  numClasses: number;
}

/** Named sizes. `classic`: tfjs-examples' MNIST CNN. `example`: chapter 2's default. */
export const CONVNET_PRESETS: Record<"classic" | "example", ConvNetConfig> = {
  classic: {
    inputShape: [28, 28, 1],
    filters: [8, 16],
    kernelSize: 5,
    padding: "valid",
    pooling: "max",
    hidden: 0,
    numClasses: 10
  },
  example: {
    inputShape: [28, 28, 1],
    filters: [16, 32],
    kernelSize: 5,
    padding: "valid",
    pooling: "max",
    hidden: 64,
    numClasses: 10
  }
};

/**
 * The ConvNet Example's layers, unbuilt, in order: what `convNet` stacks, and what the FLOP counter
 * (`lib/analysis`, via `layerListGraph`) reads without allocating any weights, even at 224² without pooling.
 * Names are stable (`conv1`, `pool1`, …) so pages can read activations.
 */
export function convNetLayers(config: Partial<ConvNetConfig> = {}, seed?: number): tf.layers.Layer[] {
  const c = {...CONVNET_PRESETS.example, ...config};
  const init = (i: number) => (seed == null ? undefined : tf.initializers.heNormal({seed: seed + i}));
  const pool = (name: string) =>
    c.pooling === "max"
      ? tf.layers.maxPooling2d({poolSize: 2, strides: 2, name})
      : tf.layers.averagePooling2d({poolSize: 2, strides: 2, name});
  const conv = (i: 1 | 2) =>
    tf.layers.conv2d({
      filters: c.filters[i - 1],
      kernelSize: c.kernelSize,
      padding: c.padding,
      activation: "relu",
      kernelInitializer: init(i),
      name: `conv${i}`
    });
  const layers: tf.layers.Layer[] = [conv(1)]; // [B, H, W, C] -> [B, H', W', f1]
  if (c.pooling !== "none") layers.push(pool("pool1")); // -> [B, H'/2, W'/2, f1]
  layers.push(conv(2)); // -> [B, H'', W'', f2]
  if (c.pooling !== "none") layers.push(pool("pool2"));
  layers.push(tf.layers.flatten({name: "flatten"})); // -> [B, H''·W''·f2]
  if (c.hidden > 0) {
    layers.push(tf.layers.dense({units: c.hidden, activation: "relu", kernelInitializer: init(3), name: "fc"}));
  }
  layers.push(
    tf.layers.dense({units: c.numClasses, activation: "softmax", kernelInitializer: init(4), name: "classifier"})
  ); // -> [B, classes]
  return layers;
}

/** Build the ConvNet Example as a functional model (`seed` makes the initial weights reproducible). */
export function convNet(config: Partial<ConvNetConfig> = {}, seed?: number): tf.LayersModel {
  const c = {...CONVNET_PRESETS.example, ...config};
  const input = tf.input({shape: c.inputShape, name: "image"});
  let x: tf.SymbolicTensor = input;
  for (const layer of convNetLayers(c, seed)) x = layer.apply(x) as tf.SymbolicTensor;
  return tf.model({inputs: input, outputs: x, name: "convnet"});
}
