/**
 * The context vector beside every decoder input (K. Cho et al., EMNLP 2014: the RNN Encoder–Decoder conditions
 * every decoder step on c): inputs [x [B, T, e], c [B, u]] → [B, T, e + u], c repeated along time. No weights.
 * A layer of its own so that the functional graph (summary, analysis, saving) shows it; TF.js's RepeatVector
 * needs a known T.
 */
import {tf} from "../../tf.js";
import {registerCourseLayer} from "./register.js";

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export class ContextConcat extends tf.layers.Layer {
  static className = "ContextConcat";

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [x, c] = inputShape as tf.Shape[];
    const e = x[2];
    const u = c[1];
    return [x[0], x[1], e == null || u == null ? null : e + u];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, c] = inputs as tf.Tensor[];
      const steps = x.shape[1]!;
      const repeated = tf.tile(tf.expandDims(c, 1), [1, steps, 1]); // [B, T, u]
      return tf.concat([x, repeated], -1); // [B, T, e + u]
    });
  }
}

export function contextConcat(args: LayerArgs = {}): ContextConcat {
  return new ContextConcat(args);
}

registerCourseLayer(ContextConcat, {
  cost: () => ({params: 0, macs: 0, flops: 0}) // a copy: no weights, no arithmetic
});
