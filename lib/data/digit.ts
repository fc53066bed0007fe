/**
 * A digit drawn by the reader, prepared the way MNIST's own digits were (chapter 2 「CNN」, the drawing
 * canvas): LeCun et al. size-normalised each digit to fit a 20×20 box, keeping its aspect ratio, and
 * centred it in a 28×28 image by its centre of mass (http://yann.lecun.com/exdb/mnist/).
 *
 * Steps, each returned so the page can show them: (1) crop to the ink's bounding box, (2) scale the longer
 * side to 20 px by area averaging, (3) paste into 28×28 so the centre of mass lands on the centre.
 * Pure: a Float32Array of ink 0…1 in, arrays out; no DOM, no tensors.
 */

export interface DigitSteps {
  /** Ink bounding box in the drawing, [x0, y0, x1, y1) in drawing pixels; null when nothing is drawn. */
  box: [number, number, number, number] | null;
  /** The crop scaled to fit 20×20 (row-major, `size` = [w, h], longer side 20). */
  scaled: Float32Array;
  size: [number, number];
  /** Where the scaled crop's top-left corner went in the 28×28 image. */
  offset: [number, number];
  /** The 28×28 network input, ink 0…1, row-major. */
  input: Float32Array;
}

const SIDE = 28;
const BOX = 20;

/** Area-average resampling of a w×h image to tw×th. */
export function resizeArea(src: Float32Array, w: number, h: number, tw: number, th: number): Float32Array {
  const out = new Float32Array(tw * th);
  const sx = w / tw;
  const sy = h / th;
  for (let ty = 0; ty < th; ty++) {
    const y0 = ty * sy;
    const y1 = y0 + sy;
    for (let tx = 0; tx < tw; tx++) {
      const x0 = tx * sx;
      const x1 = x0 + sx;
      let sum = 0;
      for (let y = Math.floor(y0); y < Math.min(h, Math.ceil(y1)); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.min(w, Math.ceil(x1)); x++) {
          const wx = Math.min(x + 1, x1) - Math.max(x, x0);
          sum += src[y * w + x] * wx * wy;
        }
      }
      out[ty * tw + tx] = sum / (sx * sy);
    }
  }
  return out;
}

/** Prepare a drawing (ink 0…1, `width`×`height`, row-major) as an MNIST input. */
export function preprocessDigit(ink: Float32Array, width: number, height: number, threshold = 0.05): DigitSteps {
  if (ink.length !== width * height) throw new RangeError(`drawing has ${ink.length} pixels, not ${width}×${height}`);
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (ink[y * width + x] > threshold) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
  const input = new Float32Array(SIDE * SIDE);
  if (x1 < 0) return {box: null, scaled: new Float32Array(0), size: [0, 0], offset: [0, 0], input};
  const cw = x1 - x0 + 1;
  const ch = y1 - y0 + 1;
  const crop = new Float32Array(cw * ch);
  for (let y = 0; y < ch; y++) crop.set(ink.subarray((y0 + y) * width + x0, (y0 + y) * width + x0 + cw), y * cw);
  // (2) the longer side becomes 20 px
  const scale = BOX / Math.max(cw, ch);
  const tw = Math.max(1, Math.round(cw * scale));
  const th = Math.max(1, Math.round(ch * scale));
  const scaled = resizeArea(crop, cw, ch, tw, th);
  // (3) centre of mass of the scaled digit → the image centre (14, 14), kept inside the frame
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < th; y++)
    for (let x = 0; x < tw; x++) {
      const v = scaled[y * tw + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  const ox = Math.min(SIDE - tw, Math.max(0, Math.round(SIDE / 2 - mx / mass)));
  const oy = Math.min(SIDE - th, Math.max(0, Math.round(SIDE / 2 - my / mass)));
  for (let y = 0; y < th; y++)
    for (let x = 0; x < tw; x++) input[(oy + y) * SIDE + ox + x] = Math.min(1, scaled[y * tw + x]);
  return {box: [x0, y0, x1 + 1, y1 + 1], scaled, size: [tw, th], offset: [ox, oy], input};
}

/** Centre of mass (x, y) of a 28×28 image, in pixel coordinates with pixel centres at +0.5. */
export function centreOfMass(img: Float32Array, side = SIDE): [number, number] {
  let m = 0;
  let x = 0;
  let y = 0;
  for (let i = 0; i < img.length; i++) {
    m += img[i];
    x += img[i] * ((i % side) + 0.5);
    y += img[i] * (Math.floor(i / side) + 0.5);
  }
  return [x / m, y / m];
}
