/**
 * ResNet — "Deep Residual Learning for Image Recognition", He, Zhang, Ren & Sun, CVPR 2016.
 * https://arxiv.org/abs/1512.03385
 * Taught in chapter 3 「CNN Model 비교」 (src/cnn-models.md), section ResNet: y = F(x) + x keeps deep networks
 * trainable. `residual: false` builds the paper's "plain" baseline of the same depth for the comparison.
 *
 * Reference implementation: torchvision `models/resnet.py` (`resnet18`…`resnet152`). At 224×224×3 and 1000 classes
 * the trainable parameters equal torchvision's: 11,689,512 / 21,797,672 / 25,557,032 / 44,549,160 / 60,192,808.
 *
 * Differs from the paper (all as torchvision):
 * - ResNet v1.5: a bottleneck block downsamples in its 3×3 convolution (stride 2), not in the first 1×1;
 * - the shortcut that changes shape is a 1×1 convolution + BatchNorm (the paper's option B); identity otherwise;
 * - convolutions have no bias (BatchNorm follows; BN eps 1e-5, PyTorch momentum 0.1);
 * - Kaiming-normal (fan-out) initialisation, BN scale 1 and shift 0; the output has a softmax (torchvision: logits);
 *
 * Depth: "18 … 152 layers" counts the convolutions and the fc on the main path (stem 1 + 2 or 3 per block + 1);
 * the 1×1 projection shortcuts run beside the main path and are not counted, as in the paper's Table 1.
 */
import {tf} from "../tf.js";
import {
  initializers,
  type BuildOptions,
  type ImageShape,
  type Initializer,
  type InitScheme,
  type OutputActivation
} from "./common.js";
import {batchNorm, relu, torchConv2d, torchMaxPool2d} from "./layers/torch.js";

export type ResNetBlock = "basic" | "bottleneck";

export interface ResNetConfig {
  name: string;
  inputShape: ImageShape;
  numClasses: number;
  /** Basic block (two 3×3, expansion 1) or bottleneck (1×1, 3×3, 1×1, expansion 4). */
  block: ResNetBlock;
  /** Blocks per stage, e.g. [3, 4, 6, 3]. */
  blocks: number[];
  /** Width ("planes") per stage; a stage outputs planes · expansion channels. The first stage has stride 1. */
  filters: number[];
  /** The stem: one k×k convolution with stride s (7×7/2 at 224²), then optionally a 3×3/2 max pool. */
  stem: {filters: number; kernelSize: number; strides: number; maxPool: boolean};
  /** With shortcuts (ResNet) or without (the paper's plain network of the same depth). */
  residual: boolean;
  bnEpsilon: number;
  outputActivation: OutputActivation;
}

const IMAGENET = {
  inputShape: [224, 224, 3] as ImageShape,
  numClasses: 1000,
  filters: [64, 128, 256, 512],
  stem: {filters: 64, kernelSize: 7, strides: 2, maxPool: true},
  residual: true,
  bnEpsilon: 1e-5,
  outputActivation: "softmax" as const
};

export const RESNET_PRESETS: Record<
  "resnet18" | "resnet34" | "resnet50" | "resnet101" | "resnet152" | "tiny",
  ResNetConfig
> = {
  resnet18: {name: "resnet18", block: "basic", blocks: [2, 2, 2, 2], ...IMAGENET},
  resnet34: {name: "resnet34", block: "basic", blocks: [3, 4, 6, 3], ...IMAGENET},
  resnet50: {name: "resnet50", block: "bottleneck", blocks: [3, 4, 6, 3], ...IMAGENET},
  resnet101: {name: "resnet101", block: "bottleneck", blocks: [3, 4, 23, 3], ...IMAGENET},
  resnet152: {name: "resnet152", block: "bottleneck", blocks: [3, 8, 36, 3], ...IMAGENET},
  /**
   * For 28×28×1 digits: a 3×3/1 stem without max pool, one basic block per stage at 8/16/32 filters
   * (28² → 14² → 7²): 8 weight layers, 19,810 parameters. Raise `blocks` for deeper nets of the same width.
   */
  tiny: {
    name: "resnet_tiny",
    inputShape: [28, 28, 1],
    numClasses: 10,
    block: "basic",
    blocks: [1, 1, 1],
    filters: [8, 16, 32],
    stem: {filters: 8, kernelSize: 3, strides: 1, maxPool: false},
    residual: true,
    bnEpsilon: 1e-5,
    outputActivation: "softmax"
  }
};

/** Output channels per input "plane" of a block. */
export const RESNET_EXPANSION: Record<ResNetBlock, number> = {basic: 1, bottleneck: 4};

interface Ctx {
  init: (scheme: InitScheme) => Initializer;
  eps: number;
  residual: boolean;
}

/** conv (no bias) -> BatchNorm, PyTorch padding (k − 1)/2. [B, H, W, C] -> [B, H/s, W/s, filters] */
function convBn(
  ctx: Ctx,
  x: tf.SymbolicTensor,
  conv: string,
  bn: string,
  filters: number,
  kernelSize: number,
  strides = 1
): tf.SymbolicTensor {
  x = torchConv2d(x, {
    filters,
    kernelSize,
    strides,
    padding: (kernelSize - 1) / 2,
    useBias: false,
    kernelInitializer: ctx.init("kaimingNormalFanOut"),
    name: conv
  });
  return batchNorm(x, bn, ctx.eps);
}

/**
 * One residual block: y = ReLU(F(x) + shortcut(x)), where F is two 3×3 convolutions (basic) or 1×1 → 3×3 → 1×1
 * (bottleneck, stride on the 3×3), and the shortcut is x itself or a 1×1/s projection when the shape changes.
 * [B, H, W, C] -> [B, H/s, W/s, planes · expansion]
 */
function block(
  ctx: Ctx,
  x: tf.SymbolicTensor,
  name: string,
  kind: ResNetBlock,
  planes: number,
  strides: number
): tf.SymbolicTensor {
  const inChannels = x.shape[3] as number;
  const out = planes * RESNET_EXPANSION[kind];
  let f: tf.SymbolicTensor;
  if (kind === "basic") {
    f = relu(convBn(ctx, x, `${name}.conv1`, `${name}.bn1`, planes, 3, strides), `${name}.relu1`);
    f = convBn(ctx, f, `${name}.conv2`, `${name}.bn2`, planes, 3);
  } else {
    f = relu(convBn(ctx, x, `${name}.conv1`, `${name}.bn1`, planes, 1), `${name}.relu1`);
    f = relu(convBn(ctx, f, `${name}.conv2`, `${name}.bn2`, planes, 3, strides), `${name}.relu2`);
    f = convBn(ctx, f, `${name}.conv3`, `${name}.bn3`, out, 1);
  }
  if (ctx.residual) {
    const shortcut =
      strides !== 1 || inChannels !== out
        ? convBn(ctx, x, `${name}.downsample.0`, `${name}.downsample.1`, out, 1, strides)
        : x;
    // F(x) + x
    f = tf.layers.add({name: `${name}.add`}).apply([f, shortcut]) as tf.SymbolicTensor;
  }
  return relu(f, `${name}.relu`);
}

/**
 * Build a ResNet. Layer names are torchvision's module paths (`layer3.5.conv2`, `layer2.0.downsample.0`, …).
 */
export function buildResNet(config: ResNetConfig = RESNET_PRESETS.resnet50, opts: BuildOptions = {}): tf.LayersModel {
  if (config.blocks.length !== config.filters.length) {
    throw new RangeError(`blocks (${config.blocks.length} stages) and filters (${config.filters.length}) differ`);
  }
  const ctx: Ctx = {init: initializers(opts), eps: config.bnEpsilon, residual: config.residual};
  const input = tf.input({shape: [...config.inputShape], name: "input"});
  const {stem} = config;
  // [B, 224, 224, 3] -> [B, 112, 112, 64]
  let x = relu(convBn(ctx, input, "conv1", "bn1", stem.filters, stem.kernelSize, stem.strides), "relu");
  // [B, 112, 112, 64] -> [B, 56, 56, 64]
  if (stem.maxPool) x = torchMaxPool2d(x, {poolSize: 3, strides: 2, padding: 1, name: "maxpool"});
  config.blocks.forEach((n, stage) => {
    for (let b = 0; b < n; b++) {
      // the first block of every stage but the first halves H and W
      const strides = b === 0 && stage > 0 ? 2 : 1;
      x = block(ctx, x, `layer${stage + 1}.${b}`, config.block, config.filters[stage], strides);
    }
  });
  // [B, 7, 7, 512·expansion] -> [B, 512·expansion]
  x = tf.layers.globalAveragePooling2d({name: "avgpool"}).apply(x) as tf.SymbolicTensor;
  // [B, 2048] -> [B, classes]
  const output = tf.layers
    .dense({
      units: config.numClasses,
      activation: config.outputActivation,
      kernelInitializer: ctx.init("pytorchDefault"),
      name: "fc"
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({inputs: input, outputs: output, name: opts.name ?? config.name});
}
