/**
 * Images ↔ tensors without the DOM: the same code reads a PNG decoded in Node (pngjs) and an `ImageData`
 * from a browser canvas. Tensors are float32 [H, W, C] with values in [0, 1].
 */
import {tf} from "../tf.js";
import {mapToRgba, type ScaleOptions} from "../viz/colormap.js";

/** Anything with RGBA bytes in rows: `ImageData`, a pngjs `PNG`, or a plain object. */
export interface RgbaImage {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/** ITU-R BT.601 luma weights, as in `cv2.cvtColor(…, COLOR_RGB2GRAY)` and PIL's `convert("L")`. */
export const LUMA = [0.299, 0.587, 0.114] as const;

/** RGBA bytes → [H, W, 1] grey (BT.601 luma) or [H, W, 3] RGB tensor in [0, 1]. */
export function imageToTensor(img: RgbaImage, channels: 1 | 3 = 3): tf.Tensor3D {
  const {data, width, height} = img;
  if (data.length !== width * height * 4) {
    throw new RangeError(`expected ${width}×${height}×4 = ${width * height * 4} bytes, got ${data.length}`);
  }
  const out = new Float32Array(width * height * channels);
  for (let i = 0, j = 0; i < width * height; i++, j += 4) {
    if (channels === 1) {
      out[i] = (LUMA[0] * data[j] + LUMA[1] * data[j + 1] + LUMA[2] * data[j + 2]) / 255;
    } else {
      out[i * 3] = data[j] / 255;
      out[i * 3 + 1] = data[j + 1] / 255;
      out[i * 3 + 2] = data[j + 2] / 255;
    }
  }
  return tf.tensor3d(out, [height, width, channels]);
}

/**
 * A tensor → RGBA bytes for drawing. [H, W] or [H, W, 1] goes through a colour map (see `ScaleOptions`);
 * [H, W, 3] is read as RGB in [0, 1] and clipped.
 */
export function tensorToRgba(t: tf.Tensor, opts: ScaleOptions = {}): RgbaImage {
  const [height, width, c = 1] = t.shape;
  if (t.rank < 2 || t.rank > 3 || (c !== 1 && c !== 3)) {
    throw new RangeError(`can draw [H, W], [H, W, 1] or [H, W, 3], got [${t.shape.join(", ")}]`);
  }
  const values = t.dataSync();
  if (c === 1) return {data: mapToRgba(values, opts), width, height};
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data[i * 4] = values[i * 3] * 255;
    data[i * 4 + 1] = values[i * 3 + 1] * 255;
    data[i * 4 + 2] = values[i * 3 + 2] * 255;
    data[i * 4 + 3] = 255;
  }
  return {data, width, height};
}

/** Shrink [H, W, C] so its longer side is at most `maxSide` (bilinear, antialiased by area). */
export function downscale(t: tf.Tensor3D, maxSide: number): tf.Tensor3D {
  const [h, w] = t.shape;
  const scale = maxSide / Math.max(h, w);
  if (scale >= 1) return t.clone();
  return tf.tidy(() => {
    const size: [number, number] = [Math.round(h * scale), Math.round(w * scale)];
    // average over whole-pixel blocks first, so fine detail does not alias
    const k = Math.floor(1 / scale);
    const pooled = k > 1 ? tf.avgPool(t, k, k, "valid") : t;
    return tf.image.resizeBilinear(pooled, size, true);
  });
}
