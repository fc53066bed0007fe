// Fashion-MNIST: the original gzip IDX files of Debian's dataset-fashion-mnist, read here byte by byte (independent
// of lib/data/mnist-format.ts), against what the library and the data loaders make of them.
import {execFile} from "node:child_process";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {gunzipSync} from "node:zlib";
import {beforeAll, describe, expect, it} from "vitest";
import {
  fashionClassName,
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_COUNTS,
  FASHION_MNIST_DIR,
  FASHION_MNIST_FILES
} from "../../../lib/data/fashion-mnist.js";
import {
  decodeMnist,
  labelCounts,
  maxQuantizationError,
  mnistFromIdx,
  quantizePixels,
  readMnistHeader,
  type MnistSet
} from "../../../lib/data/mnist-format.js";

const root = new URL("../../../", import.meta.url);
const raw = (name: string) => new Uint8Array(gunzipSync(readFileSync(join(FASHION_MNIST_DIR, name))));
const files = {
  trainImages: raw(FASHION_MNIST_FILES.train.images),
  trainLabels: raw(FASHION_MNIST_FILES.train.labels),
  testImages: raw(FASHION_MNIST_FILES.test.images),
  testLabels: raw(FASHION_MNIST_FILES.test.labels)
};
const u32 = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

function runLoader(name: string): Promise<Uint8Array> {
  const tsx = fileURLToPath(new URL("node_modules/.bin/tsx", root));
  const script = fileURLToPath(new URL(`src/assets/${name}`, root));
  return new Promise((resolve, reject) =>
    execFile(tsx, [script], {encoding: "buffer", maxBuffer: 64 << 20}, (error, stdout, stderr) =>
      error ? reject(new Error(`${name} failed: ${stderr.toString()}`, {cause: error})) : resolve(stdout)
    )
  );
}

describe("the original IDX files", () => {
  it("have IDX headers with 60,000 / 10,000 images of 28×28", () => {
    // magic 0x00000803 (ubyte, 3 dims) / 0x00000801 (ubyte, 1 dim), then the sizes
    expect([u32(files.trainImages, 0), u32(files.trainImages, 4), u32(files.trainImages, 8)]).toEqual([
      0x803, 60000, 28
    ]);
    expect([u32(files.trainLabels, 0), u32(files.trainLabels, 4)]).toEqual([0x801, 60000]);
    expect([u32(files.testImages, 0), u32(files.testImages, 4), u32(files.testImages, 12)]).toEqual([0x803, 10000, 28]);
    expect([u32(files.testLabels, 0), u32(files.testLabels, 4)]).toEqual([0x801, 10000]);
    expect(files.trainImages.length).toBe(16 + 60000 * 784);
  });

  it("decode to the labels and pixels in the files (first training labels 9, 0, 0, 3, 0)", () => {
    const train = mnistFromIdx(files.trainImages, files.trainLabels);
    const test = mnistFromIdx(files.testImages, files.testLabels);
    expect([train.count, test.count]).toEqual([FASHION_MNIST_COUNTS.train, FASHION_MNIST_COUNTS.test]);
    // labels start at byte 8 of the label file
    expect(Array.from(train.labels.subarray(0, 5))).toEqual([9, 0, 0, 3, 0]);
    expect(Array.from(train.labels.subarray(0, 5))).toEqual(Array.from(files.trainLabels.subarray(8, 13)));
    expect(Array.from(test.labels.subarray(0, 5))).toEqual(Array.from(files.testLabels.subarray(8, 13)));
    // pixels start at byte 16; image 1234, row 14 read directly
    const at = 16 + 1234 * 784 + 14 * 28;
    expect(Array.from(train.images.subarray(1234 * 784 + 14 * 28, 1234 * 784 + 15 * 28))).toEqual(
      Array.from(files.trainImages.subarray(at, at + 28))
    );
    // balanced, as the paper says: 6,000 training and 1,000 test images per class
    expect(labelCounts(train.labels)).toEqual(new Array(10).fill(6000));
    expect(labelCounts(test.labels)).toEqual(new Array(10).fill(1000));
  });

  it("have the published mean pixel of the training set (0.2860, the usual normalisation constant)", () => {
    let sum = 0;
    for (let i = 16; i < files.trainImages.length; i++) sum += files.trainImages[i];
    expect(sum / (60000 * 784) / 255).toBeCloseTo(0.286, 3);
  });
});

describe("class names", () => {
  it("are Zalando's ten classes in label order, with Korean names", () => {
    expect(FASHION_MNIST_CLASSES.map((c) => c.label)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(fashionClassName(9, "en")).toBe("Ankle boot");
    expect(fashionClassName(0, "en")).toBe("T-shirt/top");
    expect(fashionClassName(1)).toBe("바지");
    expect(new Set(FASHION_MNIST_CLASSES.map((c) => c.ko)).size).toBe(10);
    expect(() => fashionClassName(10)).toThrow(RangeError);
    expect(() => fashionClassName(1.5)).toThrow(RangeError);
  });
});

describe("the site's files, made by the data loaders", () => {
  let trainFile: Uint8Array;
  let testFile: Uint8Array;
  let train: MnistSet;
  let test: MnistSet;
  beforeAll(async () => {
    [trainFile, testFile] = await Promise.all([runLoader("fashion-train.bin.ts"), runLoader("fashion-test.bin.ts")]);
    train = mnistFromIdx(files.trainImages, files.trainLabels);
    test = mnistFromIdx(files.testImages, files.testLabels);
  }, 120_000);

  it("train: 60,000 images, 4-bit, within the quantisation bound", async () => {
    expect(readMnistHeader(trainFile)).toMatchObject({bits: 4, compression: "gzip", count: 60000});
    expect(trainFile.length).toBeLessThan(12_500_000);
    const decoded = await decodeMnist(trainFile);
    expect(same(decoded.labels, train.labels)).toBe(true);
    expect(same(decoded.images, quantizePixels(train.images, 4))).toBe(true);
    let max = 0;
    for (let i = 0; i < decoded.images.length; i++) max = Math.max(max, Math.abs(decoded.images[i] - train.images[i]));
    expect(max).toBeLessThanOrEqual(maxQuantizationError(4));
  });

  it("test: 10,000 images, exact", async () => {
    expect(readMnistHeader(testFile)).toMatchObject({bits: 8, compression: "gzip", count: 10000});
    const decoded = await decodeMnist(testFile);
    expect(same(decoded.labels, test.labels)).toBe(true);
    expect(same(decoded.images, test.images)).toBe(true);
  });
});
