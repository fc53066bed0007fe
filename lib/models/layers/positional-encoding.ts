/**
 * Sinusoidal positional encoding: chapter 6 「Attention」, claim SA2 (self-attention alone does not see order; adding
 * a position vector to each token fixes it).
 *
 * Vaswani et al., "Attention Is All You Need", NeurIPS 2017 (https://arxiv.org/abs/1706.03762), section 3.5:
 *   PE(pos, 2i) = sin(pos / 10000^(2i/d)),   PE(pos, 2i+1) = cos(pos / 10000^(2i/d))
 * The learned alternative (the paper's "learned positional embeddings", GPT's `wpe`) is ./position-embedding.ts.
 */
import {tf} from "../../tf.js";
import {CourseLayer, firstShape, inputList, type CourseLayerArgs} from "./course-layer.js";
import {registerCourseLayer} from "./register.js";

/** PE(pos, k) for pos = 0 … length − 1 and k = 0 … dim − 1, row-major [length, dim], in float64. */
export function sinusoidalEncoding(length: number, dim: number): Float64Array {
  const out = new Float64Array(length * dim);
  for (let pos = 0; pos < length; pos++) {
    for (let k = 0; k < dim; k++) {
      const i2 = k - (k % 2); // 2i
      const angle = pos / Math.pow(10000, i2 / dim);
      out[pos * dim + k] = k % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return out;
}

/** The encoding as rows: PE[pos][k]. */
export function sinusoidalEncodingRows(length: number, dim: number): number[][] {
  const flat = sinusoidalEncoding(length, dim);
  return Array.from({length}, (_, pos) => Array.from(flat.subarray(pos * dim, (pos + 1) * dim)));
}

/** Adds PE to x [B, T, d] -> [B, T, d]. No weights. */
export class SinusoidalPositionalEncoding extends CourseLayer {
  static className = "SinusoidalPositionalEncoding";
  private table: {length: number; dim: number; values: Float32Array} | null = null;

  constructor(args: CourseLayerArgs = {}) {
    super(args);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return firstShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x] = inputList(inputs);
      const [, t, d] = x.shape;
      if (!this.table || this.table.length !== t || this.table.dim !== d) {
        this.table = {length: t, dim: d, values: Float32Array.from(sinusoidalEncoding(t, d))};
      }
      // [B, T, d] + [T, d]
      return tf.add(x, tf.tensor2d(this.table.values, [t, d]));
    });
  }
}

registerCourseLayer(SinusoidalPositionalEncoding, {
  // no weights; one add per element
  cost: (call) => {
    const [t, d] = call.inputShapes[0];
    return {params: 0, macs: 0, flops: t * d};
  }
});

export function sinusoidalPositionalEncoding(args: CourseLayerArgs = {}): SinusoidalPositionalEncoding {
  return new SinusoidalPositionalEncoding(args);
}
