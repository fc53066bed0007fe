/**
 * Image gradients for chapter 1 「Filter」, § Sobel & Scharr: Gx, Gy, magnitude √(Gx²+Gy²) and direction
 * atan2(Gy, Gx), from any pair of 2-D derivative kernels.
 */
import {tf} from "../tf.js";
import {checkKernel, transpose, type Kernel2D} from "./kernels.js";
import {kernelTensor} from "./conv.js";

export interface GradientMaps {
  /** Response of the x kernel, [H, W]. */
  gx: tf.Tensor2D;
  /** Response of the y kernel, [H, W]. */
  gy: tf.Tensor2D;
  /** √(Gx² + Gy²), [H, W]. */
  magnitude: tf.Tensor2D;
  /** atan2(Gy, Gx) in radians, (−π, π], [H, W]. y points down the image. */
  direction: tf.Tensor2D;
}

export interface GradientOptions {
  /** The y kernel. Default: the transpose of the x kernel. */
  ky?: Kernel2D;
  /**
   * What lies beyond the border: "reflect" mirrors the image and keeps its size (default);
   * "valid" computes only where the window fits, so the maps shrink by f − 1.
   */
  border?: "reflect" | "valid";
}

/** Gradient maps of a one-channel image [H, W, 1]. The caller disposes every returned tensor. */
export function gradients(image: tf.Tensor3D, kx: Kernel2D, opts: GradientOptions = {}): GradientMaps {
  checkKernel(kx, "x kernel");
  const ky = opts.ky ?? transpose(kx);
  checkKernel(ky, "y kernel");
  if (image.rank !== 3 || image.shape[2] !== 1) {
    throw new RangeError(`gradients() takes a one-channel image [H, W, 1], got [${image.shape.join(", ")}]`);
  }
  if (kx.length !== ky.length || kx[0].length !== ky[0].length) {
    throw new RangeError("the x and y kernels must have the same size");
  }
  return tf.tidy(() => {
    const fh = kx.length;
    const fw = kx[0].length;
    let x: tf.Tensor3D = image;
    if ((opts.border ?? "reflect") === "reflect") {
      if (fh % 2 === 0 || fw % 2 === 0) throw new RangeError("reflect borders need an odd kernel size");
      const ph = (fh - 1) / 2;
      const pw = (fw - 1) / 2;
      if (ph >= image.shape[0] || pw >= image.shape[1]) throw new RangeError("the image is smaller than the kernel");
      x = tf.mirrorPad(
        image,
        [
          [ph, ph],
          [pw, pw],
          [0, 0]
        ],
        "reflect"
      );
    }
    // [f, f, 1, 1] x 2 -> [f, f, 1, 2]: both derivatives in one convolution
    const bank = tf.concat([kernelTensor(kx), kernelTensor(ky)], 3);
    const both = tf.conv2d(x, bank, 1, "valid"); // [H, W, 2]
    const [gx, gy] = tf.unstack(both, 2) as tf.Tensor2D[];
    const magnitude = tf.sqrt(tf.add(tf.square(gx), tf.square(gy))) as tf.Tensor2D;
    const direction = tf.atan2(gy, gx) as tf.Tensor2D;
    return {gx, gy, magnitude, direction};
  });
}

/**
 * Direction as colour and magnitude as brightness (HSV → RGB): [H, W] angles in radians and magnitudes
 * → [H, W, 3] in [0, 1]. Magnitudes are scaled so that 40% of the maximum is full brightness.
 */
export function directionToRgb(direction: tf.Tensor2D, magnitude: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => {
    const hue = direction.add(Math.PI).div(2 * Math.PI); // 0…1
    const value = magnitude.div(magnitude.max().add(1e-6)).mul(2.5).clipByValue(0, 1);
    // HSV with S = 1: channel(n) = V − V·clamp(min(k, 4 − k), 0, 1), k = (n + 6·H) mod 6
    const channel = (n: number) => {
      const k = hue.mul(6).add(n).mod(6);
      return value.sub(value.mul(tf.minimum(tf.minimum(k, tf.sub(4, k)), 1).clipByValue(0, 1)));
    };
    return tf.stack([channel(5), channel(3), channel(1)], 2) as tf.Tensor3D;
  });
}
