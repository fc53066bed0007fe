/**
 * The digits that chapter 3's experiments train on, as tensors: `loadDigits({train, test})` takes the first
 * `train` MNIST training images and the first `test` test images.
 *
 * Until the MNIST loader lands this draws stand-in digits: the glyphs 0–9 in the browser's sans-serif font, shifted,
 * rotated and scaled at random (seeded) with a little noise, 28×28 in 0…1. `source` says which one was used.
 */
import {tf} from "../lib/tf.js";
import {mulberry32} from "../lib/random.js";
import type {Dataset} from "../lib/train/loop.js";

export interface Digits {
  train: Dataset;
  test: Dataset;
  source: string;
}

export interface LoadDigitsOptions {
  train: number;
  test: number;
  signal?: AbortSignal;
  onProgress?: (text: string) => void;
}

function drawDigits(n: number, seed: number): {xs: tf.Tensor4D; ys: tf.Tensor2D} {
  const rand = mulberry32(seed);
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 28;
  const ctx = canvas.getContext("2d", {willReadFrequently: true})!;
  const pixels = new Float32Array(n * 784);
  const labels = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) {
    const digit = Math.floor(rand() * 10);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "black";
    ctx.fillRect(0, 0, 28, 28);
    ctx.translate(14 + (rand() - 0.5) * 6, 14 + (rand() - 0.5) * 6);
    ctx.rotate((rand() - 0.5) * 0.6);
    const scale = 0.8 + rand() * 0.4;
    ctx.scale(scale, scale);
    ctx.fillStyle = "white";
    ctx.font = `${rand() < 0.5 ? "bold " : ""}22px sans-serif`;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(String(digit), 0, 1);
    const data = ctx.getImageData(0, 0, 28, 28).data;
    for (let p = 0; p < 784; p++) pixels[i * 784 + p] = Math.min(1, data[p * 4] / 255 + rand() * 0.15);
    labels[i * 10 + digit] = 1;
  }
  return {xs: tf.tensor4d(pixels, [n, 28, 28, 1]), ys: tf.tensor2d(labels, [n, 10])};
}

/** Training and test digits as tensors; the caller disposes all four. */
export async function loadDigits({train, test, signal, onProgress}: LoadDigitsOptions): Promise<Digits> {
  signal?.throwIfAborted();
  onProgress?.("숫자 이미지를 만드는 중…");
  const trainSet = drawDigits(train, 1);
  const testSet = drawDigits(test, 2);
  return {train: trainSet, test: testSet, source: "합성 숫자 (MNIST 대용)"};
}
