import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {directionToRgb, gradients} from "../../../lib/ops/gradient.js";
import {SCHARR_X, SOBEL_X} from "../../../lib/ops/kernels.js";
import {imageToTensor} from "../../../lib/ops/image.js";
import {readPng} from "../helpers.js";

/** I(x, y) = a·x + b·y on an n×n grid, [n, n, 1]. */
function ramp(n: number, a: number, b: number): tf.Tensor3D {
  const data = new Float32Array(n * n);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) data[y * n + x] = a * x + b * y;
  return tf.tensor3d(data, [n, n, 1]);
}

describe("gradients", () => {
  test("on a linear ramp: Sobel gives 8a and 8b, Scharr 32a and 32b, direction atan2(b, a) (worked by hand)", () => {
    // Sobel: the difference [-1 0 1] of a·x is 2a, weighted by 1 + 2 + 1 = 4 → 8a. Scharr: 3 + 10 + 3 = 16 → 32a.
    const image = ramp(8, 0.3, -0.2);
    for (const [k, w] of [
      [SOBEL_X, 8],
      [SCHARR_X, 32]
    ] as const) {
      const g = gradients(image, k, {border: "valid"});
      expect(g.gx.shape).toEqual([6, 6]);
      const gx = g.gx.dataSync();
      const gy = g.gy.dataSync();
      const dir = g.direction.dataSync();
      const mag = g.magnitude.dataSync();
      for (let i = 0; i < gx.length; i++) {
        expect(gx[i]).toBeCloseTo(w * 0.3, 4);
        expect(gy[i]).toBeCloseTo(w * -0.2, 4);
        expect(dir[i]).toBeCloseTo(Math.atan2(-0.2, 0.3), 5);
        expect(mag[i]).toBeCloseTo(w * Math.hypot(0.3, 0.2), 4);
      }
      tf.dispose(Object.values(g));
    }
    image.dispose();
  });

  test("reflect borders keep the size of a real photo and find its edges", () => {
    const camera = imageToTensor(readPng("camera.png"), 1);
    const g = gradients(camera, SOBEL_X);
    expect(g.magnitude.shape).toEqual([256, 256]);
    const [lo, hi] = tf.tidy(() => [g.direction.min().dataSync()[0], g.direction.max().dataSync()[0]]);
    expect(lo).toBeGreaterThanOrEqual(-Math.PI - 1e-6); // float32 π
    expect(hi).toBeLessThanOrEqual(Math.PI + 1e-6);
    // a photo with a tripod has strong edges: the top 1% of magnitudes is far above the median
    const sorted = Array.from(g.magnitude.dataSync()).sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length * 0.99)]).toBeGreaterThan(20 * sorted[Math.floor(sorted.length / 2)]);
    tf.dispose([camera, ...Object.values(g)]);
  });

  test("bad input gets a clear message", () => {
    const rgb = tf.zeros([4, 4, 3]) as tf.Tensor3D;
    expect(() => gradients(rgb, SOBEL_X)).toThrow(/one-channel image/);
    const grey = tf.zeros([4, 4, 1]) as tf.Tensor3D;
    expect(() => gradients(grey, [[1, 2]], {ky: [[1], [2]]})).toThrow(/same size/);
    tf.dispose([rgb, grey]);
  });
});

test("directionToRgb: hue follows the angle (HSV), brightness the magnitude", () => {
  // −π → hue 0 (red); −π/3 → hue 1/3 (green); π/3 → hue 2/3 (blue); magnitude 0 → black
  const direction = tf.tensor2d([[-Math.PI, -Math.PI / 3, Math.PI / 3, 0]]);
  const magnitude = tf.tensor2d([[1, 1, 1, 0]]);
  const rgb = directionToRgb(direction, magnitude);
  const values = (rgb.arraySync() as number[][][])[0].map((p) => p.map((v) => Math.round(v * 100) / 100));
  expect(values).toEqual([
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
    [0, 0, 0]
  ]);
  tf.dispose([direction, magnitude, rgb]);
});
