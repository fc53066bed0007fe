/**
 * Chapter 7 「Transformer」, claim T2: Add & Norm keeps a deep stack of Transformer layers well behaved.
 *
 * A stack of `layers` encoder layers (../models/layers/transformer-layers.ts; d_model, heads, d_ff as given, no
 * dropout) with or without the residual connection ("Add") and LayerNorm ("Norm"), on seeded N(0, 1) inputs. For one
 * batch it reports, layer by layer:
 * - the mean and standard deviation of the layer's output over every element (does the signal keep its scale?);
 * - ‖∂L/∂W‖₂ over all the layer's weights and ‖∂L/∂x‖₂ for its input, for L = the mean squared error against a
 *   seeded N(0, 1) target (does the gradient reach the first layers?).
 * Same seed, same numbers: the four variants differ only in the two switches. Nothing is trained.
 */
import {tf} from "../tf.js";
import {TransformerEncoderLayer} from "../models/layers/transformer-layers.js";

export interface DeepStackOptions {
  /** Default 12. */
  layers?: number;
  /** The "Add". Default true. */
  residual?: boolean;
  /** The "Norm". Default true. */
  norm?: boolean;
  /** Pre-norm instead of the paper's post-norm. Default false. */
  normFirst?: boolean;
  dModel?: number;
  heads?: number;
  dimFeedforward?: number;
  /** Sequence length and batch of the probe input. Defaults 16 and 8. */
  length?: number;
  batch?: number;
  seed?: number;
}

export interface DeepStackLayerStats {
  /** 1 … layers. */
  layer: number;
  mean: number;
  std: number;
  /** ‖∂L/∂W‖₂ over all the layer's weights. */
  weightGradNorm: number;
  /** ‖∂L/∂x‖₂ for the layer's input. */
  inputGradNorm: number;
}

export interface DeepStackStats {
  options: Required<DeepStackOptions>;
  /** The input's statistics (layer 0). */
  input: {mean: number; std: number};
  layers: DeepStackLayerStats[];
  loss: number;
}

export function deepStackStats(opts: DeepStackOptions = {}): DeepStackStats {
  const o: Required<DeepStackOptions> = {
    layers: 12,
    residual: true,
    norm: true,
    normFirst: false,
    dModel: 32,
    heads: 2,
    dimFeedforward: 64,
    length: 16,
    batch: 8,
    seed: 1,
    ...opts
  };
  const stack = Array.from(
    {length: o.layers},
    (_, i) =>
      new TransformerEncoderLayer({
        numHeads: o.heads,
        dimFeedforward: o.dimFeedforward,
        dropout: 0,
        residual: o.residual,
        layerNorm: o.norm,
        normFirst: o.normFirst,
        seed: o.seed + 100 + 16 * i,
        name: `layers.${i}`
      })
  );
  try {
    const result = tf.tidy(() => {
      const x = tf.randomNormal([o.batch, o.length, o.dModel], 0, 1, "float32", o.seed);
      const target = tf.randomNormal([o.batch, o.length, o.dModel], 0, 1, "float32", o.seed + 1);
      stack.reduce((h, layer) => layer.apply(h) as tf.Tensor, x); // builds every layer
      const weights = stack.map((layer) => layer.trainableWeights.map((w) => w.read() as tf.Variable));
      // the activations, and the loss as a function of the weights and of each layer's input
      const forward = (inputs: tf.Tensor) => {
        const outs: tf.Tensor[] = [];
        stack.reduce((h, layer) => {
          const y = layer.apply(h) as tf.Tensor;
          outs.push(y);
          return y;
        }, inputs);
        return outs;
      };
      const outs = forward(x);
      const moments = outs.map((y) => tf.moments(y));
      const lossOf = (y: tf.Tensor) => tf.mean(tf.square(tf.sub(y, target))) as tf.Scalar;
      const {value, grads} = tf.variableGrads(() => lossOf(forward(x).at(-1)!), weights.flat());
      const weightNorms = weights.map((ws) => tf.sqrt(tf.addN(ws.map((w) => tf.sum(tf.square(grads[w.name]))))));
      // ∂L/∂(input of layer i): the gradient of the rest of the stack, from layer i on
      const inputs = [x, ...outs.slice(0, -1)];
      const inputNorms = inputs.map((h, i) => {
        const rest = (z: tf.Tensor) => lossOf(stack.slice(i).reduce((acc, layer) => layer.apply(acc) as tf.Tensor, z));
        return tf.norm(tf.grad(rest)(h));
      });
      return {
        value,
        inputMoments: Object.values(tf.moments(x)),
        stats: tf.stack(moments.map((m, i) => tf.stack([m.mean, tf.sqrt(m.variance), weightNorms[i], inputNorms[i]])))
      };
    });
    const stats = result.stats.arraySync() as number[][];
    const [mean, variance] = result.inputMoments.map((t) => t.arraySync() as number);
    const loss = result.value.arraySync() as number;
    tf.dispose([result.value, result.stats, ...result.inputMoments]);
    return {
      options: o,
      input: {mean, std: Math.sqrt(variance)},
      layers: stats.map(([m, s, wg, xg], i) => ({
        layer: i + 1,
        mean: m,
        std: s,
        weightGradNorm: wg,
        inputGradNorm: xg
      })),
      loss
    };
  } finally {
    stack.forEach((layer) => layer.dispose());
  }
}
