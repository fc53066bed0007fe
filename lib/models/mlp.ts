/**
 * A multi-layer perceptron: the fully connected baseline that chapter 2 「CNN」 sets against the ConvNet
 * (claim C2, position invariance). Rumelhart, Hinton & Williams, "Learning representations by
 * back-propagating errors", Nature 1986. Flatten → Dense(ReLU)… → Dense(softmax).
 */
import {tf} from "../tf.js";

export interface MlpConfig {
  inputShape: number[];
  /** Units of each hidden layer. */
  hidden: number[];
  numClasses: number;
}

/** 784 → 58 → 10 has 46,120 parameters, about the ConvNet Example's 46,730 (chapter 2 compares them). */
export const MLP_PRESETS: Record<"mnist", MlpConfig> = {
  mnist: {inputShape: [28, 28, 1], hidden: [58], numClasses: 10}
};

export function mlp(config: Partial<MlpConfig> = {}, seed?: number): tf.LayersModel {
  const c = {...MLP_PRESETS.mnist, ...config};
  const input = tf.input({shape: c.inputShape, name: "image"});
  let x = tf.layers.flatten({name: "flatten"}).apply(input) as tf.SymbolicTensor; // [B, H·W·C]
  c.hidden.forEach((units, i) => {
    const kernelInitializer = seed == null ? undefined : tf.initializers.heNormal({seed: seed + i});
    x = tf.layers
      .dense({units, activation: "relu", kernelInitializer, name: `fc${i + 1}`})
      .apply(x) as tf.SymbolicTensor;
  });
  const kernelInitializer = seed == null ? undefined : tf.initializers.glorotUniform({seed: seed + 99});
  const output = tf.layers
    .dense({units: c.numClasses, activation: "softmax", kernelInitializer, name: "classifier"})
    .apply(x) as tf.SymbolicTensor; // [B, classes]
  return tf.model({inputs: input, outputs: output, name: "mlp"});
}
