/**
 * What the attention chapters' custom layers share (chapter 6 「Attention」, chapter 7 「Transformer」): a base class
 * whose layers create their own weights, with PyTorch's names and initialisations, reproducibly seeded.
 *
 * Why own weights: a standard layer (`tf.layers.dense`, `tf.layers.layerNormalization`) nested inside a custom layer
 * neither reports its weights to the model nor saves them (tfjs issue #8253). So a Transformer encoder layer here
 * creates `self_attn.in_proj_weight`, `linear1.weight`, `norm1.weight`, … itself and computes with the functions of
 * ./attention.ts, ./feed-forward.ts and ./transformer-layers.ts.
 *
 * Weight layouts are Keras's [in, out] (PyTorch stores a linear weight as [out, in]: the same numbers transposed).
 */
import {tf} from "../../tf.js";

export type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** How a weight starts: Xavier/Glorot uniform (PyTorch's `xavier_uniform_`), zeros or ones. */
export type WeightInit = "glorotUniform" | "zeros" | "ones";

export interface CourseLayerArgs extends LayerArgs {
  /** `"random"` (default): the initialisations below; `"zeros"`: every matrix and bias 0 (counting only). */
  initWeights?: "random" | "zeros";
  /** Seed of the first random weight; the next ones get seed + 1, seed + 2, … in creation order. */
  seed?: number;
}

/** A layer that creates its own weights (see the file comment). */
export abstract class CourseLayer extends tf.layers.Layer {
  protected readonly weightsInit: "random" | "zeros";
  protected readonly seed?: number;
  private nextSeed?: number;

  constructor(args: CourseLayerArgs = {}) {
    super(args);
    this.weightsInit = args.initWeights ?? "random";
    this.seed = args.seed;
    this.nextSeed = args.seed;
  }

  /** Create one trainable weight. Zeros mode keeps LayerNorm's γ at 1 (as BatchNorm's scale in chapter 3). */
  protected weight(name: string, shape: number[], init: WeightInit): tf.LayerVariable {
    let initializer: ReturnType<typeof tf.initializers.zeros>;
    if (init === "ones") initializer = tf.initializers.ones();
    else if (init === "zeros" || this.weightsInit === "zeros") initializer = tf.initializers.zeros();
    else {
      const seed = this.nextSeed;
      if (this.nextSeed !== undefined) this.nextSeed += 1;
      initializer = tf.initializers.glorotUniform({seed});
    }
    return this.addWeight(name, shape, "float32", initializer);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      initWeights: this.weightsInit,
      ...(this.seed === undefined ? {} : {seed: this.seed})
    };
  }
}

/** The first input's shape when a layer gets a list. */
export function firstShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
}

/** The list of input shapes (one or several). */
export function shapeList(inputShape: tf.Shape | tf.Shape[]): tf.Shape[] {
  return (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as tf.Shape[];
}

/** The inputs as a list. */
export function inputList(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  return Array.isArray(inputs) ? inputs : [inputs];
}

/** The last axis of a shape, which must be known. */
export function lastDim(shape: tf.Shape, layer: string): number {
  const d = shape[shape.length - 1];
  if (d == null) throw new RangeError(`${layer}: the last axis must be known, got [${shape.join(", ")}]`);
  return d;
}

/** x [..., d_in] · W [d_in, d_out] (+ b) -> [..., d_out], as one 2-D matMul (the fast path on every backend). */
export function linear(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor): tf.Tensor {
  const [dIn, dOut] = w.shape;
  const lead = x.shape.slice(0, -1);
  let y = tf.matMul(tf.reshape(x, [-1, dIn]) as tf.Tensor2D, w as tf.Tensor2D) as tf.Tensor; // [·, d_out]
  if (b) y = tf.add(y, b);
  return tf.reshape(y, [...lead, dOut]);
}
