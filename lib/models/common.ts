/**
 * What the chapter 3 「CNN Model 비교」 model files (alexnet, vgg, googlenet, resnet) share: the options every
 * builder takes, torchvision's weight initialisations, and the shape types. The building blocks themselves
 * (PyTorch-style convolution, pooling, batch norm, adaptive average pooling) are in ./layers/torch.ts.
 */
import {tf} from "../tf.js";

/** An image shape without the batch axis, TF.js's channels-last order: [H, W, C]. */
export type ImageShape = [number, number, number];

/** A Keras weight initializer. */
export type Initializer = ReturnType<typeof tf.initializers.ones>;

/** Options every builder takes besides the architecture's config. */
export interface BuildOptions {
  /**
   * `"random"` (default): torchvision's initialisation for the architecture (see each file).
   * `"zeros"`: every kernel and bias is 0 (batch-norm scales 1). Building is then fast and uses no random numbers;
   * use it to count parameters and FLOPs of the paper-sized models, which are far too big to train in a tab.
   */
  weights?: "random" | "zeros";
  /** Seed of the random initializers (layer i gets seed + i), so two builds give the same weights. */
  seed?: number;
  /** The model's name. Default: the config's. */
  name?: string;
}

/** What a registry builder takes: the input and class count plus the build options. */
export interface ModelOptions extends BuildOptions {
  /** [H, W, C]. Default: the preset's (224×224×3 for the paper sizes, 28×28×1 for `tiny`). */
  inputShape?: ImageShape;
  /** Number of classes. Default: the preset's (1000, or 10 for `tiny`). */
  numClasses?: number;
}

/**
 * Weight initialisations of torchvision's model files.
 * - `kaimingNormalFanOut`: N(0, 2 / (k·k·C_out)), `nn.init.kaiming_normal_(mode="fan_out")` (VGG, ResNet convs).
 *   TF.js draws it from a normal truncated at 2σ.
 * - `pytorchDefault`: U(±1/√fan_in), what `nn.Conv2d` / `nn.Linear` start with (AlexNet, ResNet's fc).
 * - `normal001`: N(0, 0.01²) (VGG's linear layers).
 * - `truncatedNormal001`: N(0, 0.01²) truncated at ±2σ (GoogLeNet, all conv and linear layers).
 * Biases start at 0 everywhere (torchvision: 0 for VGG, ResNet, GoogLeNet; AlexNet keeps PyTorch's uniform bias).
 */
export type InitScheme = "kaimingNormalFanOut" | "pytorchDefault" | "normal001" | "truncatedNormal001";

/** A source of kernel initializers for one build: zeros, or the scheme with a seed that advances per layer. */
export function initializers(opts: BuildOptions): (scheme: InitScheme) => Initializer {
  let next = opts.seed;
  return (scheme) => {
    if (opts.weights === "zeros") return tf.initializers.zeros();
    const seed = next;
    if (next !== undefined) next += 1;
    switch (scheme) {
      case "kaimingNormalFanOut":
        return tf.initializers.varianceScaling({scale: 2, mode: "fanOut", distribution: "normal", seed});
      case "pytorchDefault":
        return tf.initializers.varianceScaling({scale: 1 / 3, mode: "fanIn", distribution: "uniform", seed});
      case "normal001":
        return tf.initializers.randomNormal({mean: 0, stddev: 0.01, seed});
      case "truncatedNormal001":
        return tf.initializers.truncatedNormal({mean: 0, stddev: 0.01, seed});
    }
  };
}

/** [H, W, C] of a symbolic tensor [B, H, W, C]; throws when a size is unknown. */
export function spatialShape(x: tf.SymbolicTensor): ImageShape {
  const [, h, w, c] = x.shape;
  if (x.shape.length !== 4 || h == null || w == null || c == null) {
    throw new RangeError(`expected a [B, H, W, C] tensor of known size, got [${x.shape.join(", ")}]`);
  }
  return [h, w, c];
}

/** The classifier's last layer: logits through a softmax (what `lib/train/loop.ts` expects) unless asked not to. */
export type OutputActivation = "softmax" | "linear";

/**
 * Seeds for a builder's layers in build order: each call returns the current seed (undefined without one) and
 * advances it by `step` (the number of seeded weights the layer takes).
 */
export function seedCounter(seed: number | undefined): (step?: number) => number | undefined {
  let next = seed;
  return (step = 1) => {
    const s = next;
    if (next !== undefined) next += step;
    return s;
  };
}

/**
 * The patch embedding of ViT and Swin (timm's `PatchEmbed.proj`): a convolution with kernel = stride = patch size,
 * so every P×P×C patch is multiplied by the same [P·P·C, D] matrix: [B, H, W, C] -> [B, H/P, W/P, D]. timm's
 * initialisation (uniform, variance 1/(3·fan-in), as PyTorch's `nn.Conv2d` default), or zeros for counting.
 */
export function patchEmbeddingConv(
  image: tf.SymbolicTensor,
  opts: {embedDim: number; patchSize: number; zeros: boolean; seed?: number}
): tf.SymbolicTensor {
  return tf.layers
    .conv2d({
      filters: opts.embedDim,
      kernelSize: opts.patchSize,
      strides: opts.patchSize,
      padding: "valid",
      kernelInitializer: opts.zeros
        ? "zeros"
        : tf.initializers.varianceScaling({scale: 1 / 3, mode: "fanIn", distribution: "uniform", seed: opts.seed}),
      name: "patch_embed.proj"
    })
    .apply(image) as tf.SymbolicTensor;
}
