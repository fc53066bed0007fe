/**
 * AlexNet — "ImageNet Classification with Deep Convolutional Neural Networks", Krizhevsky, Sutskever & Hinton,
 * NeurIPS 2012. https://papers.nips.cc/paper/2012/hash/c399862d3b9d6b76c8436e924a68c45b-Abstract.html
 * Taught in chapter 3 「CNN Model 비교」 (src/cnn-models.md), section AlexNet.
 *
 * Reference implementation: torchvision `models/alexnet.py` (https://github.com/pytorch/vision), which follows
 * the single-tower variant of "One weird trick for parallelizing convolutional neural networks" (Krizhevsky 2014,
 * https://arxiv.org/abs/1404.5997). With this file's `alexnet` preset at 224×224×3 and 1000 classes the trainable
 * parameters equal torchvision's 61,100,840 (`sum(p.numel() for p in model.parameters())`).
 *
 * Differs from the 2012 paper (all as torchvision):
 * - one tower instead of two GPUs' halves, with 64/192/384/256/256 filters instead of 96/256/384/384/256, and no
 *   grouped connections between the towers;
 * - no local response normalisation;
 * - conv1 pads 2 on a 224² input (the paper's arithmetic needs 227²) and is followed by adaptive average pooling
 *   to 6×6, which at 224² does nothing (other sizes: `adaptivePoolPlan` in ./layers/torch.ts);
 * - dropout sits before the two hidden fully connected layers;
 * - biases start at 0 (torchvision: PyTorch's uniform default), the output has a softmax (torchvision: logits);
 * - Keras flattens [6, 6, 256] in H, W, C order, torchvision in C, H, W order: same count, permuted fc1 rows.
 */
import {tf} from "../tf.js";
import {initializers, type BuildOptions, type ImageShape, type OutputActivation} from "./common.js";
import {adaptiveAvgPool2d, torchConv2d, torchMaxPool2d} from "./layers/torch.js";

/** One convolution of the feature extractor, in PyTorch's terms. */
export interface AlexNetConv {
  filters: number;
  kernelSize: number;
  strides: number;
  /** Symmetric zero padding p. */
  padding: number;
  /** A 3×3/2 max pool follows this convolution. */
  pool: boolean;
}

export interface AlexNetConfig {
  name: string;
  inputShape: ImageShape;
  numClasses: number;
  /** The five convolutions (each followed by a ReLU). */
  convs: AlexNetConv[];
  /** Max-pool window and stride (overlapping pooling: 3 and 2). */
  poolSize: number;
  poolStrides: number;
  /** Adaptive average pooling target [H, W] before the classifier; null: none. */
  poolTo: [number, number] | null;
  /** Units of the hidden fully connected layers. */
  hidden: number[];
  /** Dropout rate before each hidden fully connected layer. */
  dropout: number;
  outputActivation: OutputActivation;
}

export const ALEXNET_PRESETS: Record<"alexnet" | "tiny", AlexNetConfig> = {
  /** torchvision `alexnet()`: 61,100,840 parameters, 0.71 G multiply-adds at 224². */
  alexnet: {
    name: "alexnet",
    inputShape: [224, 224, 3],
    numClasses: 1000,
    convs: [
      {filters: 64, kernelSize: 11, strides: 4, padding: 2, pool: true},
      {filters: 192, kernelSize: 5, strides: 1, padding: 2, pool: true},
      {filters: 384, kernelSize: 3, strides: 1, padding: 1, pool: false},
      {filters: 256, kernelSize: 3, strides: 1, padding: 1, pool: false},
      {filters: 256, kernelSize: 3, strides: 1, padding: 1, pool: true}
    ],
    poolSize: 3,
    poolStrides: 2,
    poolTo: [6, 6],
    hidden: [4096, 4096],
    dropout: 0.5,
    outputActivation: "softmax"
  },
  /**
   * The same eight weight layers for 28×28×1 MNIST digits (19,618 parameters): a 5×5/1 first convolution
   * instead of 11×11/4, 8/16/24/16/16 filters, 64-unit hidden layers. 28 → 13 → 6 → 2 through the three pools.
   */
  tiny: {
    name: "alexnet_tiny",
    inputShape: [28, 28, 1],
    numClasses: 10,
    convs: [
      {filters: 8, kernelSize: 5, strides: 1, padding: 2, pool: true},
      {filters: 16, kernelSize: 3, strides: 1, padding: 1, pool: true},
      {filters: 24, kernelSize: 3, strides: 1, padding: 1, pool: false},
      {filters: 16, kernelSize: 3, strides: 1, padding: 1, pool: false},
      {filters: 16, kernelSize: 3, strides: 1, padding: 1, pool: true}
    ],
    poolSize: 3,
    poolStrides: 2,
    poolTo: null,
    hidden: [64, 64],
    dropout: 0.5,
    outputActivation: "softmax"
  }
};

/**
 * Build AlexNet. Layer names are torchvision's module paths (`features.0`, `classifier.1`, …), so a row of the
 * summary can be looked up in torchvision's `state_dict`.
 */
export function buildAlexNet(config: AlexNetConfig = ALEXNET_PRESETS.alexnet, opts: BuildOptions = {}): tf.LayersModel {
  const init = initializers(opts);
  const input = tf.input({shape: [...config.inputShape], name: "input"});
  // [B, 224, 224, 3] -> features -> [B, 6, 6, 256]
  let x = input;
  let index = 0; // torchvision's index in `features` (conv, ReLU, [pool])
  for (const {filters, kernelSize, strides, padding, pool} of config.convs) {
    // [B, H, W, C] -> [B, ⌊(H + 2p − k)/s⌋ + 1, …, filters], ReLU fused
    x = torchConv2d(x, {
      filters,
      kernelSize,
      strides,
      padding,
      activation: "relu",
      kernelInitializer: init("pytorchDefault"),
      name: `features.${index}`
    });
    index += 2;
    if (pool) {
      // [B, H, W, C] -> [B, ⌊(H − 3)/2⌋ + 1, …, C]: overlapping max pooling
      x = torchMaxPool2d(x, {poolSize: config.poolSize, strides: config.poolStrides, name: `features.${index}`});
      index += 1;
    }
  }
  // [B, H, W, C] -> [B, 6, 6, C]
  if (config.poolTo) x = adaptiveAvgPool2d(x, config.poolTo, "avgpool");
  // [B, 6, 6, 256] -> [B, 9216]
  x = tf.layers.flatten({name: "flatten"}).apply(x) as tf.SymbolicTensor;
  let c = 0; // torchvision's index in `classifier` (Dropout, Linear, ReLU, …)
  for (const units of config.hidden) {
    x = tf.layers.dropout({rate: config.dropout, name: `classifier.${c}`}).apply(x) as tf.SymbolicTensor;
    // [B, D] -> [B, units]
    x = tf.layers
      .dense({units, activation: "relu", kernelInitializer: init("pytorchDefault"), name: `classifier.${c + 1}`})
      .apply(x) as tf.SymbolicTensor;
    c += 3;
  }
  // [B, 4096] -> [B, classes]
  const output = tf.layers
    .dense({
      units: config.numClasses,
      activation: config.outputActivation,
      kernelInitializer: init("pytorchDefault"),
      name: `classifier.${c}`
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({inputs: input, outputs: output, name: opts.name ?? config.name});
}
