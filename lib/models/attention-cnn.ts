/**
 * Chapter 8 「Attention / Transformer for Vision」, claim V1: the notes' approaches 1 and 2 on 28×28 Fashion-MNIST, three
 * small networks of the same shape (two stages at 28² and 14², global average pooling, one Dense classifier):
 *
 * - `cnn`: the plain CNN. 3×3 convolutions with ReLU, 2×2 max pooling.
 * - `nonLocal`: the same CNN with a non-local block after the first conv stage (approach 1, "CNN 중간에
 *   Self-Attention을 추가"): Wang, Girshick, Gupta, He, "Non-local Neural Networks", CVPR 2018,
 *   https://arxiv.org/abs/1711.07971. At 14×14 every one of the N = 196 positions attends to all 196.
 * - `local`: the same network with the 3×3 convolutions after the stem replaced by local self-attention over 3×3
 *   neighbourhoods (approach 2): Ramachandran, Parmar, Vaswani, Bello, Levskaya, Shlens, "Stand-Alone Self-Attention
 *   in Vision Models", NeurIPS 2019, https://arxiv.org/abs/1906.05909. As in that paper the stem (the first layer,
 *   on the raw pixels) stays a convolution: attention over one grey channel has nothing to compare.
 *
 * The layers are ../models/layers/vision-attention.ts (`NonLocalBlock`, `LocalSelfAttention`); their parameters and
 * multiply-adds are registered with lib/analysis, so `countFlops` counts all three models.
 *
 * Differs from the papers: tiny widths; no BatchNorm in `cnn` and `nonLocal` (the non-local paper has one after W_z).
 * `local` keeps the BatchNorm that the stand-alone network has after each attention layer (momentum 0.9, so that its
 * running statistics settle within a tab's few dozen steps): without it, the local-attention network barely learned
 * in Node on the page's default budget (loss 2.2 after 32 steps of 64, against 1.7 with it). A local-attention layer has no bias and 3·C·d + k·d weights
 * against a convolution's 9·C·d + d, so `local` is wider (56 channels against 32) to keep the three parameter counts
 * close (`ATTENTION_CNN_CONFIG`).
 */
import {tf} from "../tf.js";
import {NonLocalBlock, LocalSelfAttention} from "./layers/vision-attention.js";

export type AttentionCnnKind = "cnn" | "nonLocal" | "local";

export interface AttentionCnnConfig {
  /** [H, W, C] of one image. */
  inputShape: [number, number, number];
  numClasses: number;
  /** Channels of the stem (conv 3×3 at full resolution). */
  stem: number;
  /** Channels of the two 3×3 layers after the first pooling: convolutions (`cnn`, `nonLocal`). */
  convWidth: number;
  /** Channels of the two local-attention layers (`local`): wider, as they have a third of a convolution's weights. */
  localWidth: number;
  /** Heads of the local-attention layers (a divisor of localWidth / 2). */
  localHeads: number;
  /** Neighbourhood k of local attention (k×k). */
  localKernel: number;
}

export const ATTENTION_CNN_CONFIG: AttentionCnnConfig = {
  inputShape: [28, 28, 1],
  numClasses: 10,
  stem: 16,
  convWidth: 32,
  localWidth: 56,
  localHeads: 4,
  localKernel: 3
};

export const ATTENTION_CNN_KINDS: readonly AttentionCnnKind[] = ["cnn", "nonLocal", "local"];

/** What each model is called on the page. */
export const ATTENTION_CNN_NAMES: Record<AttentionCnnKind, string> = {
  cnn: "CNN",
  nonLocal: "CNN + non-local block",
  local: "local attention"
};

/**
 * Adam's step size for V1. The chapter's ViT recipe (lib/train/vit-recipe.ts: Adam 1e-3, batch 64) is kept except
 * for this: small CNNs ending in global average pooling learn slowly at 1e-3 on a tab's budget. Measured in Node
 * (wasm, 29 Nov): the plain CNN after 48 steps of 64 on the first 1,000 Fashion-MNIST images reached 46% test
 * 정확도 at 1e-3 and 57% at 3e-3 (and after 16 steps 19% against 33%).
 */
export const ATTENTION_CNN_LEARNING_RATE = 3e-3;

/** Layer name of the non-local block in the `nonLocal` model (read its attention map with `nonLocalAttention`). */
export const NON_LOCAL_LAYER = "non_local";

export interface AttentionCnnOptions {
  seed?: number;
  /** "zeros" builds without random draws (counting). */
  weights?: "zeros";
}

/**
 * One of the three V1 networks (functional model, softmax output), image [B, 28, 28, 1] -> class probabilities:
 *
 *   stem     conv 3×3 (16) + ReLU        [B, 28, 28, 16]
 *   pool1    max 2×2                     [B, 14, 14, 16]
 *   nonLocal: non-local block            [B, 14, 14, 16]   (N = 196 positions, each attends to all)
 *   block2   conv 3×3 (32) + ReLU        [B, 14, 14, 32]   | local: local attention 3×3 (56) + BatchNorm + ReLU
 *   pool2    max 2×2                     [B, 7, 7, 32]
 *   block3   conv 3×3 (32) + ReLU        [B, 7, 7, 32]     | local: local attention 3×3 (56) + BatchNorm + ReLU
 *   gap      global average pooling      [B, 32]
 *   head     Dense (10) + softmax        [B, 10]
 */
export function attentionCnn(
  kind: AttentionCnnKind,
  config: Partial<AttentionCnnConfig> = {},
  opts: AttentionCnnOptions = {}
): tf.LayersModel {
  const c = {...ATTENTION_CNN_CONFIG, ...config};
  const zeros = opts.weights === "zeros";
  let n = 0;
  const seed = () => (opts.seed === undefined ? undefined : opts.seed + 10 * n++);
  const heInit = () => (zeros ? "zeros" : tf.initializers.heNormal({seed: seed()}));
  const conv = (filters: number, name: string) =>
    tf.layers.conv2d({filters, kernelSize: 3, padding: "same", activation: "relu", kernelInitializer: heInit(), name});
  const attention = (name: string) =>
    new LocalSelfAttention({
      filters: c.localWidth,
      kernelSize: c.localKernel,
      numHeads: c.localHeads,
      seed: seed(),
      initWeights: zeros ? "zeros" : "random",
      name
    });
  // local attention → BatchNorm → ReLU (the stand-alone network's order)
  const attentionBlock = (x: tf.SymbolicTensor, name: string) => {
    const y = attention(name).apply(x) as tf.SymbolicTensor;
    const bn = tf.layers.batchNormalization({momentum: 0.9, name: `${name}_bn`}).apply(y) as tf.SymbolicTensor;
    return tf.layers.reLU({name: `${name}_relu`}).apply(bn) as tf.SymbolicTensor;
  };

  const input = tf.input({shape: c.inputShape, name: "image"}); // [B, 28, 28, 1]
  let x = conv(c.stem, "stem").apply(input) as tf.SymbolicTensor; // [B, 28, 28, stem]
  x = tf.layers.maxPooling2d({poolSize: 2, strides: 2, name: "pool1"}).apply(x) as tf.SymbolicTensor; // [B, 14, 14, stem]
  if (kind === "nonLocal") {
    // [B, 14, 14, stem] -> [B, 14, 14, stem]: residual, starts as the identity (W_z = 0)
    x = new NonLocalBlock({seed: seed(), initWeights: zeros ? "zeros" : "random", name: NON_LOCAL_LAYER}).apply(
      x
    ) as tf.SymbolicTensor;
  }
  if (kind === "local") {
    x = attentionBlock(x, "block2"); // [B, 14, 14, localWidth]
  } else {
    x = conv(c.convWidth, "block2").apply(x) as tf.SymbolicTensor; // [B, 14, 14, convWidth]
  }
  x = tf.layers.maxPooling2d({poolSize: 2, strides: 2, name: "pool2"}).apply(x) as tf.SymbolicTensor; // [B, 7, 7, ·]
  if (kind === "local") {
    x = attentionBlock(x, "block3"); // [B, 7, 7, localWidth]
  } else {
    x = conv(c.convWidth, "block3").apply(x) as tf.SymbolicTensor; // [B, 7, 7, convWidth]
  }
  x = tf.layers.globalAveragePooling2d({name: "gap"}).apply(x) as tf.SymbolicTensor; // [B, width]
  const output = tf.layers
    .dense({
      units: c.numClasses,
      activation: "softmax",
      kernelInitializer: zeros ? "zeros" : tf.initializers.glorotUniform({seed: seed()}),
      name: "head"
    })
    .apply(x) as tf.SymbolicTensor; // [B, classes]
  return tf.model({inputs: input, outputs: output, name: `attention_cnn_${kind}`});
}

/**
 * Hand count of a model's parameters, layer by layer, as `countParams()` counts them (BatchNorm's running statistics
 * included); the tests check `countParams()` and lib/analysis against it.
 */
export function attentionCnnParams(kind: AttentionCnnKind, config: Partial<AttentionCnnConfig> = {}): number {
  const c = {...ATTENTION_CNN_CONFIG, ...config};
  const channels = c.inputShape[2];
  const convParams = (cin: number, cout: number) => 9 * cin * cout + cout;
  const stem = convParams(channels, c.stem);
  if (kind === "local") {
    const d = c.localWidth;
    // W_Q, W_K, W_V, the row/column embeddings, and BatchNorm's γ, β (trainable) and running mean, variance
    const lsa = (cin: number) => 3 * cin * d + c.localKernel * d + 4 * d;
    return stem + lsa(c.stem) + lsa(d) + d * c.numClasses + c.numClasses;
  }
  const ci = Math.max(1, Math.floor(c.stem / 2));
  const nonLocal = kind === "nonLocal" ? 3 * (c.stem * ci + ci) + ci * c.stem + c.stem : 0;
  const w = c.convWidth;
  return stem + nonLocal + convParams(c.stem, w) + convParams(w, w) + w * c.numClasses + c.numClasses;
}

/**
 * The trained non-local block's attention for a batch of images: [B, N, N] with N = H'·W' (14·14 = 196 on 28×28),
 * row i = how much position i (row-major on the 14×14 grid) takes from every position. The caller disposes.
 */
export function nonLocalAttention(model: tf.LayersModel, images: tf.Tensor4D): tf.Tensor3D {
  const block = model.getLayer(NON_LOCAL_LAYER) as NonLocalBlock;
  return tf.tidy(() => {
    // the layers before the block, applied in order (the model is a chain; a sub-model would share and hold them)
    let x: tf.Tensor = images;
    for (const layer of model.layers) {
      if (layer === block) break;
      if (layer.getClassName() !== "InputLayer") x = layer.apply(x) as tf.Tensor;
    } // [B, H', W', C]
    const {output, weights} = block.attention(x);
    output.dispose();
    return weights as tf.Tensor3D;
  });
}
