/**
 * VGG — "Very Deep Convolutional Networks for Large-Scale Image Recognition", Simonyan & Zisserman, ICLR 2015.
 * https://arxiv.org/abs/1409.1556
 * Taught in chapter 3 「CNN Model 비교」 (src/cnn-models.md), section VGGNet: stacks of 3×3 convolutions, whose
 * receptive field grows like one big filter's with fewer parameters (lib/analysis/receptive-field.ts).
 *
 * Reference implementation: torchvision `models/vgg.py` (`vgg11`…`vgg19`, configurations "A", "B", "D", "E" of
 * the paper's Table 1, without batch normalisation). At 224×224×3 and 1000 classes the trainable parameters equal
 * torchvision's: 132,863,336 / 133,047,848 / 138,357,544 / 143,667,240.
 *
 * Differs from the paper (all as torchvision):
 * - adaptive average pooling to 7×7 before the classifier, which at 224² does nothing (the paper has none; see
 *   `adaptivePoolPlan` in ./layers/torch.ts for other input sizes);
 * - no configuration A-LRN and no C (1×1 convolutions); the paper's dense evaluation (fully connected layers turned
 *   into convolutions at test time) is not modelled;
 * - Kaiming-normal (fan-out) initialisation instead of the paper's N(0, 0.01²) / pre-training from net A;
 *   N(0, 0.01²) for the linear layers as torchvision; the output has a softmax (torchvision: logits);
 * - `batchNorm: true` gives torchvision's `vgg11_bn`… (BatchNorm after every convolution), which the paper predates.
 */
import {tf} from "../tf.js";
import {initializers, type BuildOptions, type ImageShape, type OutputActivation} from "./common.js";
import {adaptiveAvgPool2d, batchNorm, relu, torchConv2d, torchMaxPool2d} from "./layers/torch.js";

/** A 3×3 convolution (stride 1, padding 1) with this many filters, or "M" for a 2×2/2 max pool. */
export type VggLayer = number | "M";

export interface VggConfig {
  name: string;
  inputShape: ImageShape;
  numClasses: number;
  /** torchvision's `cfgs`: the feature extractor, left to right. */
  layers: VggLayer[];
  /** BatchNorm after every convolution (torchvision's `*_bn`). */
  batchNorm: boolean;
  /** Zero padding added around the input first (tiny: 28² → 32², as LeNet-5 did for MNIST). */
  inputPadding: number;
  /** Adaptive average pooling target [H, W] before the classifier; null: none. */
  poolTo: [number, number] | null;
  /** Units of the hidden fully connected layers. */
  hidden: number[];
  /** Dropout rate after each hidden fully connected layer. */
  dropout: number;
  outputActivation: OutputActivation;
}

/** torchvision's `cfgs`: the paper's Table 1 columns A (11 layers), B (13), D (16) and E (19). */
export const VGG_LAYERS = {
  A: [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
  B: [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
  D: [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
  E: [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"]
} satisfies Record<string, VggLayer[]>;

const IMAGENET = {
  inputShape: [224, 224, 3] as ImageShape,
  numClasses: 1000,
  batchNorm: false,
  inputPadding: 0,
  poolTo: [7, 7] as [number, number],
  hidden: [4096, 4096],
  dropout: 0.5,
  outputActivation: "softmax" as const
};

export const VGG_PRESETS: Record<"vgg11" | "vgg13" | "vgg16" | "vgg19" | "tiny", VggConfig> = {
  vgg11: {name: "vgg11", layers: VGG_LAYERS.A, ...IMAGENET},
  vgg13: {name: "vgg13", layers: VGG_LAYERS.B, ...IMAGENET},
  vgg16: {name: "vgg16", layers: VGG_LAYERS.D, ...IMAGENET},
  vgg19: {name: "vgg19", layers: VGG_LAYERS.E, ...IMAGENET},
  /**
   * Configuration A's eight convolutions and five pools at 4/8/16/16/16 filters for 28×28×1 digits padded to 32²
   * (32 → 16 → 8 → 4 → 2 → 1), with 32-unit hidden layers: 15,034 parameters.
   */
  tiny: {
    name: "vgg_tiny",
    inputShape: [28, 28, 1],
    numClasses: 10,
    layers: [4, "M", 8, "M", 16, 16, "M", 16, 16, "M", 16, 16, "M"],
    batchNorm: false,
    inputPadding: 2,
    poolTo: null,
    hidden: [32, 32],
    dropout: 0.5,
    outputActivation: "softmax"
  }
};

/** Build a VGG network. Layer names are torchvision's module paths (`features.0`, `classifier.0`, …). */
export function buildVgg(config: VggConfig = VGG_PRESETS.vgg16, opts: BuildOptions = {}): tf.LayersModel {
  const init = initializers(opts);
  const input = tf.input({shape: [...config.inputShape], name: "input"});
  let x = input;
  if (config.inputPadding > 0) {
    // [B, H, W, C] -> [B, H + 2p, W + 2p, C]
    x = tf.layers.zeroPadding2d({padding: config.inputPadding, name: "input_pad"}).apply(x) as tf.SymbolicTensor;
  }
  // [B, 224, 224, 3] -> features -> [B, 7, 7, 512]
  let index = 0; // torchvision's index in `features`: conv, [bn], ReLU per convolution, one per pool
  for (const layer of config.layers) {
    if (layer === "M") {
      // [B, H, W, C] -> [B, H/2, W/2, C]
      x = torchMaxPool2d(x, {poolSize: 2, strides: 2, name: `features.${index}`});
      index += 1;
    } else if (config.batchNorm) {
      // [B, H, W, C] -> [B, H, W, filters]: conv -> BN -> ReLU
      x = torchConv2d(x, {
        filters: layer,
        kernelSize: 3,
        padding: 1,
        kernelInitializer: init("kaimingNormalFanOut"),
        name: `features.${index}`
      });
      x = batchNorm(x, `features.${index + 1}`);
      x = relu(x, `features.${index + 2}`);
      index += 3;
    } else {
      // [B, H, W, C] -> [B, H, W, filters], ReLU fused
      x = torchConv2d(x, {
        filters: layer,
        kernelSize: 3,
        padding: 1,
        activation: "relu",
        kernelInitializer: init("kaimingNormalFanOut"),
        name: `features.${index}`
      });
      index += 2;
    }
  }
  // [B, H, W, 512] -> [B, 7, 7, 512]
  if (config.poolTo) x = adaptiveAvgPool2d(x, config.poolTo, "avgpool");
  // [B, 7, 7, 512] -> [B, 25088]
  x = tf.layers.flatten({name: "flatten"}).apply(x) as tf.SymbolicTensor;
  let c = 0; // torchvision's index in `classifier`: Linear, ReLU, Dropout per hidden layer
  for (const units of config.hidden) {
    // [B, D] -> [B, units]
    x = tf.layers
      .dense({units, activation: "relu", kernelInitializer: init("normal001"), name: `classifier.${c}`})
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.dropout({rate: config.dropout, name: `classifier.${c + 2}`}).apply(x) as tf.SymbolicTensor;
    c += 3;
  }
  // [B, 4096] -> [B, classes]
  const output = tf.layers
    .dense({
      units: config.numClasses,
      activation: config.outputActivation,
      kernelInitializer: init("normal001"),
      name: `classifier.${c}`
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({inputs: input, outputs: output, name: opts.name ?? config.name});
}
