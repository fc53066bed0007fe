/**
 * Per-layer gradient norms: chapter 3 「CNN Model 비교」, section ResNet (claim M4: residual connections keep the
 * gradient alive through deep networks). For one batch, the gradient of the training loss with respect to every
 * weight layer's kernel on the model's main path, reduced to its L2 norm ‖∂L/∂W‖₂ and listed by depth, so a plain
 * and a residual network of the same depth can be drawn on one chart.
 */
import {tf} from "../tf.js";
import {weightLayerCount} from "../analysis/summary.js";
import {batchMean, categoricalCrossEntropy, type Loss} from "./losses.js";

export interface LayerGradNorm {
  /** 1 for the first weight layer after the input, … `depth` for the classifier. */
  depth: number;
  /** The layer's name (`layer2.1.conv1`). */
  name: string;
  /** ‖∂L/∂kernel‖₂. */
  norm: number;
  /** ‖∂L/∂kernel‖₂ / √(kernel size): the root-mean-square gradient per weight, comparable across widths. */
  rms: number;
}

/**
 * Gradient norms of the kernels of the weight layers on the longest input → output path (`weightLayerCount`'s
 * path: ResNet's 1×1 projections are not on it), for the mean loss of `model` on (xs, ys) in training mode
 * (BatchNorm uses the batch's statistics, as while training). `loss` defaults to softmax cross-entropy on one-hot
 * labels of a softmax output (./losses.ts). Leaves no tensors behind; the model's weights are not changed.
 */
export async function layerGradNorms(
  model: tf.LayersModel,
  xs: tf.Tensor,
  ys: tf.Tensor,
  opts: {loss?: Loss} = {}
): Promise<LayerGradNorm[]> {
  const loss = opts.loss ?? categoricalCrossEntropy();
  const path = weightLayerCount(model).path;
  const kernels = path.map((name) => {
    const layer = model.getLayer(name);
    const kernel = layer.trainableWeights.find((w) => /kernel/.test(w.originalName ?? w.name));
    if (!kernel) throw new Error(`${name} has no kernel`);
    return {name, variable: kernel.read() as tf.Variable};
  });
  const norms = tf.tidy(() => {
    const {value, grads} = tf.variableGrads(
      () => batchMean(loss, ys, model.apply(xs, {training: true}) as tf.Tensor),
      kernels.map((k) => k.variable)
    );
    value.dispose();
    // one scalar per layer: ‖g‖₂
    return tf.stack(kernels.map((k) => tf.norm(grads[k.variable.name])));
  });
  const values = await norms.data();
  norms.dispose();
  return kernels.map((k, i) => ({
    depth: i + 1,
    name: k.name,
    norm: values[i],
    rms: values[i] / Math.sqrt(k.variable.size)
  }));
}
