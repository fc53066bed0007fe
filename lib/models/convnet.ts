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

/** Build the ConvNet Example. Layer names are stable (`conv1`, `pool1`, …) so pages can read activations. */
export function convNet(config: Partial<ConvNetConfig> = {}, seed?: number): tf.LayersModel {
  const c = {...CONVNET_PRESETS.example, ...config};
  const init = (i: number) => (seed == null ? undefined : tf.initializers.heNormal({seed: seed + i}));
  const pool = (name: string) =>
    c.pooling === "max"
      ? tf.layers.maxPooling2d({poolSize: 2, strides: 2, name})
      : tf.layers.averagePooling2d({poolSize: 2, strides: 2, name});
  const input = tf.input({shape: c.inputShape, name: "image"}); // [B, H, W, C]
  let x = tf.layers
    .conv2d({
      filters: c.filters[0],
      kernelSize: c.kernelSize,
      padding: c.padding,
      activation: "relu",
      kernelInitializer: init(1),
      name: "conv1"
    })
    .apply(input) as tf.SymbolicTensor; // [B, H', W', f1]
  if (c.pooling !== "none") x = pool("pool1").apply(x) as tf.SymbolicTensor; // [B, H'/2, W'/2, f1]
  x = tf.layers
    .conv2d({
      filters: c.filters[1],
      kernelSize: c.kernelSize,
      padding: c.padding,
      activation: "relu",
      kernelInitializer: init(2),
      name: "conv2"
    })
    .apply(x) as tf.SymbolicTensor; // [B, H'', W'', f2]
  if (c.pooling !== "none") x = pool("pool2").apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten({name: "flatten"}).apply(x) as tf.SymbolicTensor; // [B, H''·W''·f2]
  if (c.hidden > 0) {
    x = tf.layers
      .dense({units: c.hidden, activation: "relu", kernelInitializer: init(3), name: "fc"})
      .apply(x) as tf.SymbolicTensor;
  }
  const output = tf.layers
    .dense({units: c.numClasses, activation: "softmax", kernelInitializer: init(4), name: "classifier"})
    .apply(x) as tf.SymbolicTensor; // [B, classes]
  return tf.model({inputs: input, outputs: output, name: "convnet"});
}
