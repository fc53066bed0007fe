/**
 * Token ids to vectors, and the padding mask of a source: the small Transformer of chapter 7 「Transformer」 reads the
 * date task's token ids (lib/data/dates.ts) with these.
 *
 * `TokenEmbedding` is a lookup table [V, d] computed as one-hot(ids) · table: `tf.layers.embedding` cannot train on
 * the wasm backend (its gradient needs `UnsortedSegmentSum`, which wasm lacks); a matMul's gradient is a matMul. The
 * analysis counts it as the lookup it is (V·d weights, no multiply-adds), plus the √d scaling of the paper
 * (Vaswani et al. 2017, section 3.4: "we multiply those weights by √d_model") when `scale` is on.
 */
import {tf} from "../../tf.js";
import {CourseLayer, firstShape, inputList, type CourseLayerArgs} from "./course-layer.js";
import {registerCourseLayer} from "./register.js";

export interface TokenEmbeddingArgs extends CourseLayerArgs {
  /** Vocabulary size V. */
  inputDim: number;
  /** Vector width d. */
  outputDim: number;
  /** Multiply by √d (the paper). Default true. */
  scale?: boolean;
}

/** ids [B, T] -> [B, T, d]. */
export class TokenEmbedding extends CourseLayer {
  static className = "TokenEmbedding";
  readonly inputDim: number;
  readonly outputDim: number;
  readonly scale: boolean;
  private table: tf.LayerVariable | null = null;

  constructor(args: TokenEmbeddingArgs) {
    super(args);
    this.inputDim = args.inputDim;
    this.outputDim = args.outputDim;
    this.scale = args.scale ?? true;
  }

  override build(): void {
    // [V, d]; Glorot uniform (PyTorch's nn.Embedding starts from N(0, 1), which the √d scaling would blow up)
    this.table = this.weight("embeddings", [this.inputDim, this.outputDim], "glorotUniform");
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [...firstShape(inputShape), this.outputDim];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [ids] = inputList(inputs);
      const [b, t] = ids.shape;
      const oneHot = tf.oneHot(tf.reshape(tf.cast(ids, "int32"), [-1]) as tf.Tensor1D, this.inputDim); // [B·T, V]
      let x = tf.matMul(tf.cast(oneHot, "float32"), this.table!.read() as tf.Tensor2D); // [B·T, d]
      if (this.scale) x = tf.mul(x, Math.sqrt(this.outputDim));
      return tf.reshape(x, [b, t, this.outputDim]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...super.getConfig(), inputDim: this.inputDim, outputDim: this.outputDim, scale: this.scale};
  }
}

registerCourseLayer(TokenEmbedding, {
  cost: (call) => {
    const [t] = call.inputShapes[0];
    const {inputDim, outputDim, scale} = call.config as {inputDim: number; outputDim: number; scale: boolean};
    return {params: inputDim * outputDim, macs: 0, flops: scale ? t * outputDim : 0};
  }
});

export interface PaddingMaskArgs extends CourseLayerArgs {
  /** The padding token id. Default 0. */
  padToken?: number;
}

/** ids [B, T] -> [B, T] float: 1 for a real token, 0 for padding (the key mask of ./attention.ts). */
export class PaddingMask extends CourseLayer {
  static className = "PaddingMask";
  readonly padToken: number;

  constructor(args: PaddingMaskArgs = {}) {
    super(args);
    this.padToken = args.padToken ?? 0;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return firstShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.cast(tf.notEqual(tf.cast(inputList(inputs)[0], "int32"), this.padToken), "float32"));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...super.getConfig(), padToken: this.padToken};
  }
}

registerCourseLayer(PaddingMask, {
  // one comparison per token
  cost: (call) => ({params: 0, macs: 0, flops: call.inputShapes[0][0]})
});
