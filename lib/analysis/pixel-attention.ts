/**
 * Chapter 8, claim V2 (the notes' approach 3, "이미지 픽셀을 단위로 해서 sequence로 … 메모리가 많이 먹었다"): how big one
 * self-attention matrix is when an image's pixels are the tokens, against patches as tokens (ViT).
 *
 * With N tokens, one head's attention matrix for one image is softmax(QKᵀ/√d) ∈ ℝ^{N×N}: N² float32 values, 4·N² bytes.
 * Pixels as tokens: N = H·W, so the matrix grows with the fourth power of the side. Patches of P×P (no overlap, as
 * ViT's strided convolution): N = ⌊H/P⌋·⌊W/P⌋.
 *
 * `measurePixelAttention` allocates the real matrix (`tf.matMul` of queries and keys, then the softmax) and reads
 * `tf.memory()`'s bytes, to check the formula on the reader's backend; `largestSide` solves, for a stated memory
 * limit, the largest square image whose one attention matrix still fits. Nothing is allocated at the limit.
 */
import {tf} from "../tf.js";

export const FLOAT32_BYTES = 4;

/** WebAssembly memory is addressed with 32 bits: at most 2³² bytes = 4 GiB for the wasm backend's heap. */
export const WASM_HEAP_BYTES = 2 ** 32;

/** Tokens of an H×W image cut into P×P patches (P = 1: every pixel is a token). */
export function tokenCount(height: number, width: number, patch = 1): number {
  if (patch < 1 || !Number.isInteger(patch)) throw new RangeError(`patch must be a positive integer, got ${patch}`);
  return Math.floor(height / patch) * Math.floor(width / patch);
}

export interface AttentionMatrixSize {
  height: number;
  width: number;
  /** 1 = pixels as tokens. */
  patch: number;
  /** N. */
  tokens: number;
  /** N², the values of one head's matrix for one image. */
  entries: number;
  /** 4·N² (float32). */
  bytes: number;
}

/** One head's attention matrix for one H×W image with P×P patches as tokens. */
export function attentionMatrixSize(height: number, width: number, patch = 1): AttentionMatrixSize {
  const tokens = tokenCount(height, width, patch);
  const entries = tokens * tokens;
  return {height, width, patch, tokens, entries, bytes: entries * FLOAT32_BYTES};
}

/** Square images of each side, each patch size: the table and chart of V2. */
export function attentionSizeTable(sides: readonly number[], patches: readonly number[]): AttentionMatrixSize[] {
  return sides.flatMap((s) => patches.map((p) => attentionMatrixSize(s, s, p)));
}

/**
 * The largest side S of a square S×S image whose attention matrices (`matrices` of them alive at once: heads × images
 * × copies) fit into `limitBytes` with P×P patches. Exact: the largest S with matrices · 4 · (⌊S/P⌋²)² ≤ limit.
 */
export function largestSide(limitBytes: number, patch = 1, matrices = 1): number {
  const maxTokens = Math.floor(Math.sqrt(limitBytes / (FLOAT32_BYTES * matrices)));
  let perSide = Math.floor(Math.sqrt(maxTokens));
  // guard the float roots: step to the exact largest grid side
  while ((perSide + 1) ** 4 * FLOAT32_BYTES * matrices <= limitBytes) perSide++;
  while (perSide > 0 && perSide ** 4 * FLOAT32_BYTES * matrices > limitBytes) perSide--;
  return perSide * patch + (patch - 1);
}

/** A memory limit the page can state, and where it came from. */
export interface MemoryLimit {
  id: "wasm" | "js-heap" | "device";
  label: string;
  bytes: number;
}

/**
 * The limits this browser tells about: always WebAssembly's 4 GiB; Chrome's `performance.memory.jsHeapSizeLimit`
 * (the JavaScript heap) and `navigator.deviceMemory` (the device's memory in GiB, rounded down to a power of 2,
 * at most 8) where the browser has them.
 */
export function memoryLimits(env: {jsHeapSizeLimit?: number; deviceMemoryGiB?: number} = {}): MemoryLimit[] {
  const limits: MemoryLimit[] = [{id: "wasm", label: "WebAssembly 주소 공간 (32비트)", bytes: WASM_HEAP_BYTES}];
  if (env.jsHeapSizeLimit && env.jsHeapSizeLimit > 0) {
    limits.push({id: "js-heap", label: "performance.memory.jsHeapSizeLimit", bytes: env.jsHeapSizeLimit});
  }
  if (env.deviceMemoryGiB && env.deviceMemoryGiB > 0) {
    limits.push({id: "device", label: "navigator.deviceMemory", bytes: env.deviceMemoryGiB * 2 ** 30});
  }
  return limits;
}

/** Bytes in a readable unit (KiB, MiB, GiB, TiB; binary, as tf.memory() counts bytes). */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let u = 0;
  let v = bytes;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = u === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${v.toFixed(digits)} ${units[u]}`;
}

export interface PixelAttentionMeasurement {
  /** Side S of the S×S image. */
  side: number;
  /** N = S². */
  tokens: number;
  /** 4·N², the formula. */
  expectedBytes: number;
  /** What tf.memory().numBytes grew by when the scores QKᵀ were made. */
  scoreBytes: number;
  /** What it grew by again for the softmax (a second N×N matrix). */
  softmaxBytes: number;
  /** Milliseconds for QKᵀ, softmax and reading one number back (the backend finished). */
  ms: number;
}

/**
 * Pixels as tokens, for real: for each side S, queries and keys [1, N, d_k] (N = S², random), scores = Q Kᵀ [1, N, N],
 * then softmax; the bytes `tf.memory()` reports for each matrix, and the time. One head, one image. Leaves no tensors.
 * `checkpoint` is awaited between sides (the page's pause and stop).
 */
export async function measurePixelAttention(
  sides: readonly number[],
  opts: {keyDim?: number; seed?: number; checkpoint?: () => Promise<void>} = {}
): Promise<PixelAttentionMeasurement[]> {
  const {keyDim = 16, seed = 1, checkpoint} = opts;
  const rows: PixelAttentionMeasurement[] = [];
  for (const side of sides) {
    await checkpoint?.();
    const n = side * side;
    const q = tf.randomNormal([1, n, keyDim], 0, 1, "float32", seed);
    const k = tf.randomNormal([1, n, keyDim], 0, 1, "float32", seed + 1);
    try {
      const t0 = performance.now();
      const before = tf.memory().numBytes;
      const scores = tf.matMul(q, k, false, true); // [1, N, N]
      const scoreBytes = tf.memory().numBytes - before;
      const weights = tf.softmax(scores); // [1, N, N]
      const softmaxBytes = tf.memory().numBytes - before - scoreBytes;
      const probe = tf.sum(weights); // N (each row sums to 1): reading it waits for the backend
      await probe.data();
      const ms = performance.now() - t0;
      tf.dispose([scores, weights, probe]);
      rows.push({side, tokens: n, expectedBytes: n * n * FLOAT32_BYTES, scoreBytes, softmaxBytes, ms});
    } finally {
      tf.dispose([q, k]);
    }
  }
  return rows;
}

/** Sides to measure: multiples of 8 up to the largest whose matrix stays within `maxBytes` (two are made: scores and softmax). */
export function measurableSides(maxBytes: number, step = 8): number[] {
  const top = largestSide(maxBytes, 1, 1);
  const sides: number[] = [];
  for (let s = step; s <= top; s += step) sides.push(s);
  return sides;
}
