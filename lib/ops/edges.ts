/**
 * A synthetic test image with known edges, for chapter 1 claim F1: a bright square on a dark ground has
 * two vertical edges (its left and right sides) and two horizontal edges (top and bottom), and we know
 * exactly which pixels they cover.
 */
import {tf} from "../tf.js";
import {type Kernel2D} from "./kernels.js";
import {filter2d} from "./conv.js";

/** A square of 1s from size/4 to 3·size/4 on 0s, [size, size, 1]. */
export function squareImage(size = 48): tf.Tensor3D {
  const a = Math.round(size / 4);
  const b = Math.round((3 * size) / 4);
  const data = new Float32Array(size * size);
  for (let y = a; y < b; y++) data.fill(1, y * size + a, y * size + b);
  return tf.tensor3d(data, [size, size, 1]);
}

export interface EdgeResponse {
  /** Mean |response| over the pixels on the square's vertical sides. */
  vertical: number;
  /** Mean |response| over the pixels on the square's horizontal sides. */
  horizontal: number;
}

/**
 * Filter the square image with a 3×3 kernel (zero padding 1, so the map keeps its size) and average the
 * absolute response along each kind of edge. Corners are left out, so each pixel belongs to one kind.
 */
export function edgeResponse(k: Kernel2D, size = 48): EdgeResponse {
  const a = Math.round(size / 4);
  const b = Math.round((3 * size) / 4);
  const map = tf.tidy(() => {
    const img = squareImage(size);
    return filter2d(img, k, {padding: 1});
  });
  const v = map.dataSync();
  map.dispose();
  const at = (y: number, x: number) => Math.abs(v[y * size + x]);
  let vSum = 0;
  let hSum = 0;
  let count = 0;
  // the two pixel columns (rows) on each side of a step see it; skip 2 pixels near the corners
  for (let t = a + 2; t < b - 2; t++) {
    vSum += at(t, a - 1) + at(t, a) + at(t, b - 1) + at(t, b);
    hSum += at(a - 1, t) + at(a, t) + at(b - 1, t) + at(b, t);
    count += 4;
  }
  return {vertical: vSum / count, horizontal: hSum / count};
}
