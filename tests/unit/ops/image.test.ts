import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {downscale, imageToTensor, LUMA, tensorToRgba} from "../../../lib/ops/image.js";
import {readPng} from "../helpers.js";

describe("image ↔ tensor", () => {
  test("camera.png becomes a [256, 256, 1] grey tensor in [0, 1]; chelsea.png a [300, 451, 3] one", () => {
    const camera = readPng("camera.png");
    const grey = imageToTensor(camera, 1);
    expect(grey.shape).toEqual([256, 256, 1]);
    const [lo, hi] = tf.tidy(() => [grey.min().dataSync()[0], grey.max().dataSync()[0]]);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    const photo = readPng("chelsea.png");
    const rgb = imageToTensor(photo, 3);
    expect(rgb.shape).toEqual([300, 451, 3]);
    // one pixel by hand: (row 100, column 200)
    const j = (100 * 451 + 200) * 4;
    const [r, g, b] = [photo.data[j], photo.data[j + 1], photo.data[j + 2]];
    expect(new Set([r, g, b]).size, "a coloured pixel").toBeGreaterThan(1);
    const pixel = tf.tidy(() => rgb.slice([100, 200, 0], [1, 1, 3]).dataSync());
    expect(Array.from(pixel)).toEqual([r / 255, g / 255, b / 255].map(Math.fround));
    const luma = tf.tidy(() => imageToTensor(photo, 1).slice([100, 200, 0], [1, 1, 1]).dataSync()[0]);
    expect(luma).toBeCloseTo((LUMA[0] * r + LUMA[1] * g + LUMA[2] * b) / 255, 6);
    tf.dispose([grey, rgb]);
  });

  test("a wrong byte count is reported", () => {
    expect(() => imageToTensor({data: new Uint8Array(10), width: 2, height: 2})).toThrow(
      /expected 2×2×4 = 16 bytes, got 10/
    );
  });

  test("RGB round trip: tensor → RGBA bytes gives the PNG's bytes back", () => {
    const chelsea = readPng("chelsea.png");
    const t = imageToTensor(chelsea, 3);
    const back = tensorToRgba(t);
    expect(back.width).toBe(chelsea.width);
    expect(back.height).toBe(chelsea.height);
    let maxDiff = 0;
    for (let i = 0; i < back.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(back.data[i] - chelsea.data[i]));
    expect(maxDiff).toBeLessThanOrEqual(1);
    t.dispose();
  });

  test("one channel goes through a colour map; other shapes are refused", () => {
    const t = tf.tensor2d([
      [0, 1],
      [2, 4]
    ]);
    const {data} = tensorToRgba(t, {cmap: "gray"});
    expect(Array.from(data.filter((_, i) => i % 4 === 0))).toEqual([0, 64, 128, 255]);
    const bad = tf.zeros([2, 2, 2]);
    expect(() => tensorToRgba(bad)).toThrow(/can draw/);
    tf.dispose([t, bad]);
  });

  test("downscale keeps the aspect ratio and the mean brightness", () => {
    const t = imageToTensor(readPng("chelsea.png"), 1); // 451 × 300
    const small = downscale(t, 150);
    expect(small.shape).toEqual([100, 150, 1]);
    const [m0, m1] = tf.tidy(() => [t.mean().dataSync()[0], small.mean().dataSync()[0]]);
    expect(Math.abs(m0 - m1)).toBeLessThan(0.01);
    tf.dispose([t, small]);
  });
});
