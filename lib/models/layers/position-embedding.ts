/**
 * A learned position embedding: one trainable vector per position, added to the input, [B, T, D] -> [B, T, D].
 * The sequence and attention chapters' models need it (GPT's `wpe`, ViT's `pos_embed`); it is also the course's
 * example of a custom layer (static `className`, `getConfig`, registered for saving and for the analysis).
 *
 * Initialised as GPT-2 and ViT do, from a normal with σ = 0.02 (truncated at 2σ here, as TF.js's initializer).
 * It is an addition of a weight, not a lookup: `tf.layers.embedding` cannot train on the wasm backend (its gradient
 * needs `UnsortedSegmentSum`), this can.
 */
import {tf} from "../../tf.js";
import {registerCourseLayer} from "./register.js";

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface PositionEmbeddingArgs extends LayerArgs {
  /** Standard deviation of the initial values. Default 0.02. */
  stddev?: number;
  /** Seed of the initializer. */
  seed?: number;
}

export class PositionEmbedding extends tf.layers.Layer {
  static className = "PositionEmbedding";
  private readonly stddev: number;
  private readonly seed?: number;
  private embeddings: tf.LayerVariable | null = null;

  constructor(args: PositionEmbeddingArgs = {}) {
    super(args);
    this.stddev = args.stddev ?? 0.02;
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const [, steps, dim] = shape;
    if (shape.length !== 3 || steps == null || dim == null) {
      throw new RangeError(`PositionEmbedding needs [B, T, D] with T and D known, got [${shape.join(", ")}]`);
    }
    // [T, D]: one vector per position
    this.embeddings = this.addWeight(
      "embeddings",
      [steps, dim],
      "float32",
      tf.initializers.truncatedNormal({mean: 0, stddev: this.stddev, seed: this.seed})
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      // [B, T, D] + [T, D] (broadcast over the batch)
      return tf.add(x, this.embeddings!.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...super.getConfig(), stddev: this.stddev, ...(this.seed === undefined ? {} : {seed: this.seed})};
  }
}

registerCourseLayer(PositionEmbedding, {
  // T · D weights; one add per element
  cost: (call) => {
    const [steps, dim] = call.inputShapes[0];
    return {params: steps * dim, macs: 0, flops: steps * dim};
  }
});

/** `new PositionEmbedding(args)`, in the style of `tf.layers.*`. */
export function positionEmbedding(args: PositionEmbeddingArgs = {}): PositionEmbedding {
  return new PositionEmbedding(args);
}
