/**
 * Layer normalisation as a course layer (chapter 8 「Attention / Transformer for Vision」: the ViT's final `norm`).
 *
 * Ba, Kiros, Hinton, "Layer Normalization", 2016, https://arxiv.org/abs/1607.06450: over the last axis,
 *   y = (x − mean) / √(var + ε) · γ + β     (biased variance, as PyTorch's `nn.LayerNorm` and Keras).
 *
 * Why not `tf.layers.layerNormalization`: TF.js 4.22's layer tiles γ and β (and the moments) to the input's full shape
 * before multiplying (tfjs-layers' workaround for batch-norm broadcasting), and the gradient of `tf.tile` is one
 * slice and one add per repetition: for a ViT's [64, 17, 64] tokens that is 2 × 1,088 slices and adds per step, about
 * half of a training step's kernel time on wasm (measured by scripts/vit-profile.ts). Here γ and β broadcast, so
 * their gradients are one `sum` each. Same weights (`gamma`, `beta`, in that order), same numbers, same analysis
 * (counted as `LayerNormalization`); tests/unit/models/vit.test.ts compares the two.
 */
import {tf} from "../../tf.js";
import {CourseLayer, firstShape, inputList, lastDim, type CourseLayerArgs} from "./course-layer.js";
import {registerCourseLayer} from "./register.js";
import {LAYER_NORM_EPS, layerNorm, layerNormCost} from "./transformer-layers.js";

export interface LayerNormArgs extends CourseLayerArgs {
  /** ε added to the variance. Default PyTorch's 10⁻⁵. */
  epsilon?: number;
}

/** LayerNorm over the last axis with a learned scale γ and shift β: [..., D] -> [..., D]. */
export class LayerNorm extends CourseLayer {
  static className = "LayerNorm";
  readonly epsilon: number;
  private gamma?: tf.LayerVariable;
  private beta?: tf.LayerVariable;

  constructor(args: LayerNormArgs = {}) {
    super(args);
    this.epsilon = args.epsilon ?? LAYER_NORM_EPS;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const d = lastDim(firstShape(inputShape), "LayerNorm");
    this.gamma = this.weight("gamma", [d], "ones");
    this.beta = this.weight("beta", [d], "zeros");
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return firstShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return layerNorm(inputList(inputs)[0], this.gamma!.read(), this.beta!.read(), this.epsilon);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...super.getConfig(), epsilon: this.epsilon};
  }
}

// the same cost as Keras's LayerNormalization over the last axis: 2D weights, 7 operations per element (statistics 4,
// normalise 1, γ and β 1 each)
registerCourseLayer(LayerNorm, {
  cost: (call) => {
    const shape = call.inputShapes[0];
    const d = shape[shape.length - 1];
    return layerNormCost(shape.reduce((a, b) => a * b, 1) / d, d);
  }
});

export function layerNormLayer(args: LayerNormArgs = {}): LayerNorm {
  return new LayerNorm(args);
}
