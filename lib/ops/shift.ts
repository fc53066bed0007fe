/**
 * Shift images by whole pixels, filling with zeros (chapter 2 「CNN」, claim C2: does a network still
 * recognise a digit moved a few pixels?).
 */
import {tf} from "../tf.js";

/** xs [N, H, W, C] moved right by dx and down by dy (negative: left / up); what leaves the frame is lost. */
export function shiftImages(xs: tf.Tensor4D, dx: number, dy: number): tf.Tensor4D {
  const [, h, w] = xs.shape;
  if (!Number.isInteger(dx) || !Number.isInteger(dy))
    throw new RangeError(`shift must be whole pixels, not ${dx}, ${dy}`);
  if (Math.abs(dx) >= w || Math.abs(dy) >= h) return tf.zerosLike(xs);
  return tf.tidy(() => {
    const padded = tf.pad(xs, [
      [0, 0],
      [Math.max(dy, 0), Math.max(-dy, 0)],
      [Math.max(dx, 0), Math.max(-dx, 0)],
      [0, 0]
    ]); // [N, H + |dy|, W + |dx|, C]
    return tf.slice(padded, [0, Math.max(-dy, 0), Math.max(-dx, 0), 0], [-1, h, w, -1]);
  });
}
