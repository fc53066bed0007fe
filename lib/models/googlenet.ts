/**
 * GoogLeNet (Inception v1) — "Going Deeper with Convolutions", Szegedy et al., CVPR 2015.
 * https://arxiv.org/abs/1409.4842
 * Taught in chapter 3 「CNN Model 비교」 (src/cnn-models.md), section GoogLeNet: parallel 1×1 / 3×3 / 5×5 / pool
 * branches concatenated (Inception module), 1×1 "reduce" convolutions, auxiliary classifiers, global average pooling.
 *
 * Reference implementation: torchvision `models/googlenet.py`. With the `googlenet` preset at 224×224×3 and 1000
 * classes the trainable parameters equal torchvision's: 6,624,904 without the auxiliary heads (`aux_logits=False`,
 * what its pretrained weights load into) and 13,004,888 with them.
 *
 * Differs from the paper (all as torchvision unless said):
 * - every convolution is torchvision's `BasicConv2d`: conv without bias → BatchNorm (eps 0.001) → ReLU. The paper
 *   (2014) has no batch normalisation; its convolutions have biases and ReLUs.
 * - the "5×5" branch uses a 3×3 convolution: a known torchvision quirk kept for compatibility with its ported
 *   weights (https://github.com/pytorch/vision/issues/906). `branch3KernelSize: 5` gives the paper's 5×5.
 * - no local response normalisation in the stem;
 * - max pools use PyTorch's ceil mode; the pool before 5a is 2×2/2 (the paper's table: 3×3/2); both give the
 *   table's sizes 112 → 56 → 28 → 14 → 7 at 224².
 * - auxiliary heads: torchvision pools adaptively to 4×4; here a single average pooling with that output size,
 *   which at 224² (14 → 4) is the paper's own 5×5/3 pooling (see `adaptivePoolPlan` in ./layers/torch.ts).
 *   Their 1×1 conv is a BasicConv2d (the paper: conv + ReLU). Dropout 0.7 after fc1 as both.
 * - truncated-normal N(0, 0.01²) initialisation as torchvision; the outputs have a softmax (torchvision: logits).
 * - Keras flattens the auxiliary heads' [4, 4, 128] in H, W, C order (torchvision C, H, W): same counts.
 *
 * Depth: the paper's "22 layers" counts layers with parameters on the longest path: 3 stem convolutions, 2 per
 * Inception module (9 modules) and the classifier. `weightLayerCount` in lib/analysis/summary.ts measures it.
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
import {adaptiveAvgPool2d, batchNorm, relu, torchConv2d, torchMaxPool2d} from "./layers/torch.js";

/**
 * One Inception module in the paper's Table 1 order: #1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj.
 */
export interface InceptionSpec {
  name: string;
  filters: [number, number, number, number, number, number];
}

/** A stem layer: a BasicConv2d, or a 3×3/2 ceil-mode max pool. */
export type GoogLeNetStemLayer =
  {type: "conv"; name: string; filters: number; kernelSize: number; strides: number} | {type: "pool"; name: string};

export interface GoogLeNetConfig {
  name: string;
  inputShape: ImageShape;
  numClasses: number;
  stem: GoogLeNetStemLayer[];
  /** Groups of Inception modules; a max pool (`stagePools`) sits between consecutive groups. */
  stages: InceptionSpec[][];
  /** [poolSize, strides] of the ceil-mode max pool after each stage but the last. */
  stagePools: [number, number][];
  /** Kernel size of the branch torchvision calls "5×5": 3 (torchvision) or 5 (the paper). */
  branch3KernelSize: 3 | 5;
  /** Include the auxiliary classifiers (torchvision's `aux_logits`). The model then has three outputs. */
  auxLogits: boolean;
  aux: {
    /** Names of the modules whose output feeds an auxiliary head: 4a and 4d. */
    after: string[];
    /** Average pooling output size (4 → a 4×4 map). */
    poolTo: number;
    /** Filters of the head's 1×1 convolution (128) and units of its hidden layer (1024). */
    filters: number;
    units: number;
    dropout: number;
  };
  /** Dropout before the classifier (torchvision 0.2; the paper 0.4). */
  dropout: number;
  /** BatchNorm epsilon of BasicConv2d: 0.001. */
  bnEpsilon: number;
  outputActivation: OutputActivation;
}

export const GOOGLENET_PRESETS: Record<"googlenet" | "tiny", GoogLeNetConfig> = {
  /** torchvision `googlenet(aux_logits=False)`: 6,624,904 parameters, 1.50 G multiply-adds at 224². */
  googlenet: {
    name: "googlenet",
    inputShape: [224, 224, 3],
    numClasses: 1000,
    stem: [
      {type: "conv", name: "conv1", filters: 64, kernelSize: 7, strides: 2},
      {type: "pool", name: "maxpool1"},
      {type: "conv", name: "conv2", filters: 64, kernelSize: 1, strides: 1},
      {type: "conv", name: "conv3", filters: 192, kernelSize: 3, strides: 1},
      {type: "pool", name: "maxpool2"}
    ],
    stages: [
      [
        {name: "inception3a", filters: [64, 96, 128, 16, 32, 32]},
        {name: "inception3b", filters: [128, 128, 192, 32, 96, 64]}
      ],
      [
        {name: "inception4a", filters: [192, 96, 208, 16, 48, 64]},
        {name: "inception4b", filters: [160, 112, 224, 24, 64, 64]},
        {name: "inception4c", filters: [128, 128, 256, 24, 64, 64]},
        {name: "inception4d", filters: [112, 144, 288, 32, 64, 64]},
        {name: "inception4e", filters: [256, 160, 320, 32, 128, 128]}
      ],
      [
        {name: "inception5a", filters: [256, 160, 320, 32, 128, 128]},
        {name: "inception5b", filters: [384, 192, 384, 48, 128, 128]}
      ]
    ],
    stagePools: [
      [3, 2],
      [2, 2]
    ],
    branch3KernelSize: 3,
    auxLogits: false,
    aux: {after: ["inception4a", "inception4d"], poolTo: 4, filters: 128, units: 1024, dropout: 0.7},
    dropout: 0.2,
    bnEpsilon: 0.001,
    outputActivation: "softmax"
  },
  /**
   * For 28×28×1 digits: a 3×3/1 stem convolution, one pool (28 → 14), two modules at 14², a pool, two at 7², a
   * pool, one at 4²; auxiliary heads after the first two of these (set `auxLogits`) pool to 2×2. 29,154
   * parameters (35,766 with the auxiliary heads).
   */
  tiny: {
    name: "googlenet_tiny",
    inputShape: [28, 28, 1],
    numClasses: 10,
    stem: [
      {type: "conv", name: "conv1", filters: 16, kernelSize: 3, strides: 1},
      {type: "pool", name: "maxpool1"},
      {type: "conv", name: "conv2", filters: 16, kernelSize: 1, strides: 1},
      {type: "conv", name: "conv3", filters: 24, kernelSize: 3, strides: 1}
    ],
    stages: [
      [
        {name: "inception3a", filters: [8, 8, 12, 4, 4, 4]},
        {name: "inception3b", filters: [12, 12, 16, 4, 8, 8]}
      ],
      [
        {name: "inception4a", filters: [16, 12, 20, 4, 8, 8]},
        {name: "inception4b", filters: [16, 16, 24, 4, 8, 8]}
      ],
      [{name: "inception5a", filters: [24, 16, 32, 8, 12, 12]}]
    ],
    stagePools: [
      [3, 2],
      [2, 2]
    ],
    branch3KernelSize: 3,
    auxLogits: false,
    aux: {after: ["inception4a", "inception4b"], poolTo: 2, filters: 16, units: 32, dropout: 0.7},
    dropout: 0.2,
    bnEpsilon: 0.001,
    outputActivation: "softmax"
  }
};

/** The pieces every block of one build shares. */
interface Ctx {
  init: (scheme: InitScheme) => Initializer;
  eps: number;
}

/** torchvision's BasicConv2d: conv (no bias) -> BatchNorm -> ReLU. [B, H, W, C] -> [B, H', W', filters]. */
function basicConv2d(
  ctx: Ctx,
  x: tf.SymbolicTensor,
  name: string,
  filters: number,
  kernelSize: number,
  strides = 1
): tf.SymbolicTensor {
  const padding = (kernelSize - 1) / 2;
  x = torchConv2d(x, {
    filters,
    kernelSize,
    strides,
    padding,
    useBias: false,
    kernelInitializer: ctx.init("truncatedNormal001"),
    name: `${name}.conv`
  });
  x = batchNorm(x, `${name}.bn`, ctx.eps);
  return relu(x, `${name}.relu`);
}

/**
 * An Inception module: four branches on the same input, concatenated on channels.
 * [B, H, W, C] -> [B, H, W, #1×1 + #3×3 + #5×5 + pool proj]
 */
function inception(ctx: Ctx, x: tf.SymbolicTensor, spec: InceptionSpec, k3: number): tf.SymbolicTensor {
  const [c1, c3r, c3, c5r, c5, pool] = spec.filters;
  const n = spec.name;
  // 1×1
  const b1 = basicConv2d(ctx, x, `${n}.branch1`, c1, 1);
  // 1×1 reduce -> 3×3
  const b2 = basicConv2d(ctx, basicConv2d(ctx, x, `${n}.branch2.0`, c3r, 1), `${n}.branch2.1`, c3, 3);
  // 1×1 reduce -> "5×5" (3×3 in torchvision)
  const b3 = basicConv2d(ctx, basicConv2d(ctx, x, `${n}.branch3.0`, c5r, 1), `${n}.branch3.1`, c5, k3);
  // 3×3/1 max pool -> 1×1 projection
  const pooled = torchMaxPool2d(x, {poolSize: 3, strides: 1, padding: 1, ceilMode: true, name: `${n}.branch4.0`});
  const b4 = basicConv2d(ctx, pooled, `${n}.branch4.1`, pool, 1);
  return tf.layers.concatenate({axis: -1, name: `${n}.concat`}).apply([b1, b2, b3, b4]) as tf.SymbolicTensor;
}

/**
 * An auxiliary classifier: average pool to 4×4 -> 1×1 conv (128) -> flatten -> fc 1024 + ReLU -> dropout -> fc.
 * [B, 14, 14, C] -> [B, classes]
 */
function auxHead(ctx: Ctx, x: tf.SymbolicTensor, name: string, config: GoogLeNetConfig): tf.SymbolicTensor {
  const {poolTo, filters, units, dropout} = config.aux;
  x = adaptiveAvgPool2d(x, [poolTo, poolTo], `${name}.pool`); // [B, 14, 14, C] -> [B, 4, 4, C]
  x = basicConv2d(ctx, x, `${name}.conv`, filters, 1); // -> [B, 4, 4, 128]
  x = tf.layers.flatten({name: `${name}.flatten`}).apply(x) as tf.SymbolicTensor; // -> [B, 2048]
  x = tf.layers
    .dense({units, activation: "relu", kernelInitializer: ctx.init("truncatedNormal001"), name: `${name}.fc1`})
    .apply(x) as tf.SymbolicTensor; // -> [B, 1024]
  x = tf.layers.dropout({rate: dropout, name: `${name}.dropout`}).apply(x) as tf.SymbolicTensor;
  return tf.layers
    .dense({
      units: config.numClasses,
      activation: config.outputActivation,
      kernelInitializer: ctx.init("truncatedNormal001"),
      name: `${name}.fc2`
    })
    .apply(x) as tf.SymbolicTensor; // -> [B, classes]
}

/**
 * Build GoogLeNet. With `auxLogits` the model has three outputs, in this order: the main classifier, `aux1`
 * (after 4a) and `aux2` (after 4d); train it with loss weights [1, 0.3, 0.3] as the paper, predict with
 * `model.predict(x)[0]`. (torchvision returns (logits, aux2, aux1) and only while training.)
 * Layer names are torchvision's module paths (`inception3a.branch2.1.conv`, `aux1.fc1`, …).
 */
export function buildGoogLeNet(
  config: GoogLeNetConfig = GOOGLENET_PRESETS.googlenet,
  opts: BuildOptions = {}
): tf.LayersModel {
  const ctx: Ctx = {init: initializers(opts), eps: config.bnEpsilon};
  const input = tf.input({shape: [...config.inputShape], name: "input"});
  // stem: [B, 224, 224, 3] -> conv1 [B, 112, 112, 64] -> [B, 56, 56, 64] -> conv2, conv3 -> [B, 28, 28, 192]
  let x = input;
  for (const layer of config.stem) {
    x =
      layer.type === "conv"
        ? basicConv2d(ctx, x, layer.name, layer.filters, layer.kernelSize, layer.strides)
        : torchMaxPool2d(x, {poolSize: 3, strides: 2, ceilMode: true, name: layer.name});
  }
  const aux: tf.SymbolicTensor[] = [];
  config.stages.forEach((stage, i) => {
    for (const spec of stage) {
      // [B, H, W, C] -> [B, H, W, C']: 3a, 3b at 28², 4a…4e at 14², 5a, 5b at 7²
      x = inception(ctx, x, spec, config.branch3KernelSize);
      const a = config.aux.after.indexOf(spec.name);
      if (config.auxLogits && a >= 0) aux.push(auxHead(ctx, x, `aux${a + 1}`, config));
    }
    if (i < config.stagePools.length) {
      const [poolSize, strides] = config.stagePools[i];
      // [B, H, W, C] -> [B, ⌈H/2⌉, ⌈W/2⌉, C]
      x = torchMaxPool2d(x, {poolSize, strides, ceilMode: true, name: `maxpool${i + 3}`});
    }
  });
  // [B, 7, 7, 1024] -> [B, 1024]
  x = tf.layers.globalAveragePooling2d({name: "avgpool"}).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({rate: config.dropout, name: "dropout"}).apply(x) as tf.SymbolicTensor;
  // [B, 1024] -> [B, classes]
  const output = tf.layers
    .dense({
      units: config.numClasses,
      activation: config.outputActivation,
      kernelInitializer: ctx.init("truncatedNormal001"),
      name: "fc"
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({inputs: input, outputs: [output, ...aux], name: opts.name ?? config.name});
}
