/**
 * The course's own training kernels (issue 5, first used in chapter 2 「CNN」).
 *
 * Stock TF.js 4.22 cannot train a CNN on the `wasm` backend (no `Conv2DBackpropFilter`), and what it can
 * run of the backward pass is slow there: its `Conv2DBackpropInput` and `MaxPoolGrad` are naive
 * single-threaded loops, and `BatchMatMul` with a transposed operand (every Dense layer's gradient) leaves
 * XNNPACK for a loop about 15× slower. The `cpu` backend's backprop-filter reads every element through
 * `TensorBuffer.get()`.
 *
 * The kernels here are built from the fast primitives each backend already has:
 * - `Conv2DBackpropFilter`: im2col (written transposed, [K, N]) then one untransposed matMul,
 *   dW[K, Cout] = colᵀ[K, N] · dy[N, Cout], with K = kh·kw·Cin and N = B·outH·outW.
 * - `Conv2DBackpropInput`: dcol[N, K] = dy[N, Cout] · Wᵀ[Cout, K], then col2im (scatter-add).
 * - `MaxPoolGrad`: one pass over the windows; each window's first maximum (as TF.js's cpu kernel picks it)
 *   receives the window's gradient.
 * - `BatchMatMul` / `_FusedMatMul` on wasm: a transposed operand is transposed explicitly (a fast copy)
 *   so the product always takes the XNNPACK path.
 *
 * - `UnsortedSegmentSum` on wasm (which has none; `tf.gather`'s gradient, hence `tf.layers.embedding`'s, needs
 *   it): out[s, …] = Σ over i with segmentIds[i] = s of x[i, …], one pass; ids outside [0, numSegments) are dropped
 *   (TensorFlow's rule).
 *
 * - `Slice` and `SplitV` on wasm (issue 15, chapter 8's ViT): stock wasm reads the whole input with `readSync`, which
 *   copies every byte of it out of the heap, for every slice (a [64, 17, 192] tensor sliced 12 times is copied 12
 *   times); here the input is read in place (a view of the heap) and only the slice is copied. `sliceArray` is the
 *   pure part.
 *
 * - `Identity` on wasm shares the input's buffer instead of copying it (as `cpu` and `webgl` do).
 *
 * Kernels read inputs with `backend.readSync`, write outputs with `backend.write`, and call the backend's
 * own kernels for the products; every intermediate is disposed. NHWC (`channelsLast`) only, as the wasm
 * backend itself. Tested against the stock `cpu` kernels in `tests/unit/backend/kernels.test.ts`.
 */
import {tf} from "../tf.js";
import {bmmFor, type BmmFunction} from "./wasm-bmm.js";

type Info = tf.TensorInfo;
type Backend = tf.KernelBackend;
type Attrs = Record<string, unknown>;
type KernelFunc = (args: {inputs: Record<string, Info>; backend: Backend; attrs?: Attrs}) => Info | Info[];

/** The kernels this module registers, per backend. */
export const COURSE_KERNELS: Record<string, readonly string[]> = {
  wasm: [
    "Conv2DBackpropFilter",
    "Conv2DBackpropInput",
    "MaxPoolGrad",
    "BatchMatMul",
    "_FusedMatMul",
    "UnsortedSegmentSum",
    "Slice",
    "SplitV",
    "Identity"
  ],
  cpu: ["Conv2DBackpropFilter", "Conv2DBackpropInput", "MaxPoolGrad"]
};

// ---------------------------------------------------------------------------------------------------------
// pure array kernels (also used directly by the tests)

type ConvInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

/**
 * im2col, transposed: colᵀ[K, N] with row k = (kh·fw + kw)·Cin + ci (the order of a [kh, kw, Cin, Cout]
 * filter flattened to [K, Cout]) and column n = (b·outH + oh)·outW + ow. Padding reads as zeros.
 */
export function im2colT(x: Float32Array, c: ConvInfo): Float32Array {
  const {batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW} = c;
  const {strideHeight: sh, strideWidth: sw} = c;
  const N = B * OH * OW;
  const col = new Float32Array(c.filterHeight * c.filterWidth * C * N);
  for (let kh = 0; kh < c.filterHeight; kh++) {
    for (let kw = 0; kw < c.filterWidth; kw++) {
      // iw = ow·sw + offW must lie in [0, W): the valid ow range, so the inner loop has no branch
      const offW = kw * c.dilationWidth - c.padInfo.left;
      const ow0 = Math.max(0, Math.ceil(-offW / sw));
      const ow1 = Math.min(OW, Math.floor((W - 1 - offW) / sw) + 1);
      for (let ci = 0; ci < C; ci++) {
        const row = ((kh * c.filterWidth + kw) * C + ci) * N;
        for (let b = 0; b < B; b++) {
          for (let oh = 0; oh < OH; oh++) {
            const ih = oh * sh + kh * c.dilationHeight - c.padInfo.top;
            if (ih < 0 || ih >= H) continue;
            const out = row + (b * OH + oh) * OW;
            const xRow = (b * H + ih) * W * C + ci + offW * C;
            const step = sw * C;
            for (let ow = ow0; ow < ow1; ow++) col[out + ow] = x[xRow + ow * step];
          }
        }
      }
    }
  }
  return col;
}

/** col2im: the adjoint of im2col. dcol[N, K] (row per output position) is scatter-added into dx[B, H, W, Cin]. */
export function col2im(dcol: Float32Array, c: ConvInfo): Float32Array {
  const {batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW} = c;
  const {strideHeight: sh, strideWidth: sw} = c;
  const K = c.filterHeight * c.filterWidth * C;
  const dx = new Float32Array(B * H * W * C);
  for (let kh = 0; kh < c.filterHeight; kh++) {
    for (let kw = 0; kw < c.filterWidth; kw++) {
      const offW = kw * c.dilationWidth - c.padInfo.left;
      const ow0 = Math.max(0, Math.ceil(-offW / sw));
      const ow1 = Math.min(OW, Math.floor((W - 1 - offW) / sw) + 1);
      const kBase = (kh * c.filterWidth + kw) * C;
      for (let b = 0; b < B; b++) {
        for (let oh = 0; oh < OH; oh++) {
          const ih = oh * sh + kh * c.dilationHeight - c.padInfo.top;
          if (ih < 0 || ih >= H) continue;
          const rowBase = (b * OH + oh) * OW * K + kBase;
          const xRow = (b * H + ih) * W * C + offW * C;
          if (C === 1) {
            for (let ow = ow0; ow < ow1; ow++) dx[xRow + ow * sw] += dcol[rowBase + ow * K];
            continue;
          }
          for (let ow = ow0; ow < ow1; ow++) {
            const src = rowBase + ow * K;
            const dst = xRow + ow * sw * C;
            for (let ci = 0; ci < C; ci++) dx[dst + ci] += dcol[src + ci];
          }
        }
      }
    }
  }
  return dx;
}

/** Max-pool gradient: each window's first maximum receives dy (TF.js cpu's tie rule). x: [B, H, W, C]. */
export function maxPoolGradArray(dy: Float32Array, x: Float32Array, c: ConvInfo): Float32Array {
  const {batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW} = c;
  const dx = new Float32Array(x.length);
  const best = new Float64Array(C);
  const where = new Int32Array(C);
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * c.strideHeight - c.padInfo.top;
      for (let ow = 0; ow < OW; ow++) {
        const w0 = ow * c.strideWidth - c.padInfo.left;
        best.fill(-Infinity);
        where.fill(-1);
        for (let kh = 0; kh < c.effectiveFilterHeight; kh += c.dilationHeight) {
          const ih = h0 + kh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < c.effectiveFilterWidth; kw += c.dilationWidth) {
            const iw = w0 + kw;
            if (iw < 0 || iw >= W) continue;
            const base = ((b * H + ih) * W + iw) * C;
            for (let ch = 0; ch < C; ch++) {
              const v = x[base + ch];
              if (v > best[ch]) {
                best[ch] = v;
                where[ch] = base + ch;
              }
            }
          }
        }
        const dyBase = ((b * OH + oh) * OW + ow) * C;
        for (let ch = 0; ch < C; ch++) if (where[ch] >= 0) dx[where[ch]] += dy[dyBase + ch];
      }
    }
  }
  return dx;
}

// ---------------------------------------------------------------------------------------------------------
// kernel plumbing

/**
 * The values of `t`. On wasm this is a view into the heap, valid only until the backend allocates again:
 * callers read it before writing anything.
 */
function float32(backend: Backend, t: Info): Float32Array {
  const heap = (backend as unknown as {typedArrayFromHeap?: (t: Info) => Float32Array}).typedArrayFromHeap;
  if (heap && t.dtype === "float32") return heap.call(backend, t);
  const v = backend.readSync(t.dataId);
  return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
}

function write(backend: Backend, shape: number[], values: Float32Array): Info {
  return {dataId: backend.write(values, shape, "float32"), shape, dtype: "float32"};
}

function dispose(backend: Backend, ...infos: Info[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

/** A kernel function of `backend` as it stood before this module replaced any. */
const stock = new Map<string, tf.KernelConfig>();

/** The registry name of a backend instance (kernels are handed the instance, not its name). */
function nameOf(backend: Backend): string {
  const registry = tf.engine().registry as Record<string, Backend>;
  for (const name in registry) if (registry[name] === backend) return name;
  return tf.getBackend();
}

function call(name: string, backend: Backend, inputs: Record<string, Info>, attrs: Attrs = {}): Info {
  const backendName = nameOf(backend);
  const config = stock.get(`${backendName}/${name}`) ?? tf.getKernel(name, backendName);
  if (!config) throw new Error(`kernel ${name} is not registered for backend ${backendName}`);
  return (config.kernelFunc as KernelFunc)({inputs, backend, attrs}) as Info;
}

/** A [M, K] · [K, N] product on the backend's untransposed (fast) path. */
function matMul(backend: Backend, a: Info, b: Info): Info {
  const a3 = {...a, shape: [1, ...a.shape]};
  const b3 = {...b, shape: [1, ...b.shape]};
  return call("BatchMatMul", backend, {a: a3, b: b3}, {transposeA: false, transposeB: false});
}

function convInfoOf(xShape: number[], filterShape: number[], attrs: Attrs): ConvInfo {
  const dataFormat = attrs.dataFormat as string | undefined;
  if (dataFormat && dataFormat !== "NHWC" && dataFormat !== "channelsLast") {
    throw new Error(`the course's conv kernels support NHWC only, not ${dataFormat}`);
  }
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as number | [number, number],
    (attrs.dilations as number | [number, number] | undefined) ?? 1,
    attrs.pad as "same" | "valid" | number,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined
  );
}

// ---------------------------------------------------------------------------------------------------------
// the kernels

/**
 * dW as one forward convolution on the backend's own (XNNPACK) Conv2D: the batch axis becomes the
 * channel axis being summed. x [B, H, W, Cin] → [Cin, H, W, B] is the "image", dy [B, oh, ow, Cout] →
 * [oh, ow, B, Cout] the "filter", dilated by the forward stride; the result [Cin, kh, kw, Cout] is
 * transposed to [kh, kw, Cin, Cout]. Returns null when the forward conv dropped trailing input rows
 * (the padding this needs would be negative); the im2col route then handles it.
 */
function backpropFilterByConv(backend: Backend, x: Info, dy: Info, c: ConvInfo): Info | null {
  const {filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw} = c;
  const bottom = KH + (c.outHeight - 1) * sh - c.inHeight - c.padInfo.top;
  const right = KW + (c.outWidth - 1) * sw - c.inWidth - c.padInfo.left;
  if (bottom < 0 || right < 0 || c.dilationHeight !== 1 || c.dilationWidth !== 1) return null;
  const xT = call("Transpose", backend, {x}, {perm: [3, 1, 2, 0]}); // [Cin, H, W, B]
  const dyT = call("Transpose", backend, {x: dy}, {perm: [1, 2, 0, 3]}); // [oh, ow, B, Cout]
  const pad = [
    [0, 0],
    [c.padInfo.top, bottom],
    [c.padInfo.left, right],
    [0, 0]
  ];
  const attrs = {strides: 1, pad, dilations: [sh, sw], dataFormat: "NHWC"};
  const out = call("Conv2D", backend, {x: xT, filter: dyT}, attrs); // [Cin, kh, kw, Cout]
  const dw = call("Transpose", backend, {x: out}, {perm: [1, 2, 0, 3]}); // [kh, kw, Cin, Cout]
  dispose(backend, xT, dyT, out);
  return dw;
}

/**
 * dx for stride 1 as one forward convolution: dy [B, oh, ow, Cout] with the filter flipped in space and
 * its channel axes swapped, [kh, kw, Cout, Cin], padded by (k − 1 − pad). Null when that padding would
 * be negative.
 */
function backpropInputByConv(backend: Backend, dy: Info, filter: Info, c: ConvInfo): Info | null {
  const {filterHeight: KH, filterWidth: KW, inChannels: Cin, outChannels: Cout} = c;
  if (c.strideHeight !== 1 || c.strideWidth !== 1 || c.dilationHeight !== 1 || c.dilationWidth !== 1) return null;
  const top = KH - 1 - c.padInfo.top;
  const left = KW - 1 - c.padInfo.left;
  const bottom = c.inHeight - c.outHeight - top + KH - 1;
  const right = c.inWidth - c.outWidth - left + KW - 1;
  if (Math.min(top, left, bottom, right) < 0) return null;
  const w = float32(backend, filter); // [kh, kw, Cin, Cout]
  const flipped = new Float32Array(w.length); // [kh, kw, Cout, Cin], rotated 180°
  for (let kh = 0; kh < KH; kh++)
    for (let kw = 0; kw < KW; kw++) {
      const src = ((KH - 1 - kh) * KW + (KW - 1 - kw)) * Cin * Cout;
      const dst = (kh * KW + kw) * Cout * Cin;
      for (let ci = 0; ci < Cin; ci++)
        for (let o = 0; o < Cout; o++) flipped[dst + o * Cin + ci] = w[src + ci * Cout + o];
    }
  const f = write(backend, [KH, KW, Cout, Cin], flipped);
  const pad = [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0]
  ];
  const dx = call("Conv2D", backend, {x: dy, filter: f}, {strides: 1, pad, dilations: 1, dataFormat: "NHWC"});
  dispose(backend, f);
  return dx;
}

/** Whether this backend's Conv2D is the fast path (XNNPACK on wasm); cpu's is a plain loop. */
const fastConv = (backend: Backend) => nameOf(backend) === "wasm";

const conv2DBackpropFilter: KernelFunc = ({inputs, backend, attrs = {}}) => {
  const {x, dy} = inputs; // x: [B, H, W, Cin], dy: [B, outH, outW, Cout]
  const filterShape = attrs.filterShape as number[]; // [kh, kw, Cin, Cout]
  const c = convInfoOf(x.shape, filterShape, attrs);
  const byConv = fastConv(backend) ? backpropFilterByConv(backend, x, dy, c) : null;
  if (byConv) return byConv;
  const N = c.batchSize * c.outHeight * c.outWidth;
  const K = c.filterHeight * c.filterWidth * c.inChannels;
  const colT = write(backend, [K, N], im2colT(float32(backend, x), c)); // [K, N]
  const dy2 = {...dy, shape: [N, c.outChannels]}; // [N, Cout], same data
  const dw = matMul(backend, colT, dy2); // [1, K, Cout]
  dispose(backend, colT);
  return {...dw, shape: filterShape};
};

const conv2DBackpropInput: KernelFunc = ({inputs, backend, attrs = {}}) => {
  const {dy, filter} = inputs; // dy: [B, outH, outW, Cout], filter: [kh, kw, Cin, Cout]
  const inputShape = attrs.inputShape as number[];
  const c = convInfoOf(inputShape, filter.shape, attrs);
  const byConv = fastConv(backend) ? backpropInputByConv(backend, dy, filter, c) : null;
  if (byConv) return byConv;
  const N = c.batchSize * c.outHeight * c.outWidth;
  const K = c.filterHeight * c.filterWidth * c.inChannels;
  const Cout = c.outChannels;
  const w = float32(backend, filter); // [K, Cout]
  const wT = new Float32Array(K * Cout); // [Cout, K]
  for (let k = 0; k < K; k++) for (let o = 0; o < Cout; o++) wT[o * K + k] = w[k * Cout + o];
  const wTInfo = write(backend, [Cout, K], wT);
  const dcol = matMul(backend, {...dy, shape: [N, Cout]}, wTInfo); // [1, N, K]
  const dx = col2im(float32(backend, dcol), c);
  dispose(backend, wTInfo, dcol);
  return write(backend, inputShape, dx);
};

const maxPoolGrad: KernelFunc = ({inputs, backend, attrs = {}}) => {
  const {dy, input} = inputs; // dy: [B, outH, outW, C], input: [B, H, W, C]
  const c = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize as number | [number, number],
    attrs.strides as number | [number, number],
    1,
    attrs.pad as "same" | "valid" | number,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined
  );
  return write(backend, input.shape, maxPoolGradArray(float32(backend, dy), float32(backend, input), c));
};

/** Transpose the last two axes with the backend's Transpose kernel. */
function transposeLast2(backend: Backend, t: Info): Info {
  const r = t.shape.length;
  const perm = [...Array(r).keys()];
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return call("Transpose", backend, {x: t}, {perm});
}

/** Apply a fused-kernel activation with the backend's own kernels; `x` is consumed. */
function activate(backend: Backend, x: Info, attrs: Attrs, prelu?: Info): Info {
  const kernel = {relu: "Relu", relu6: "Relu6", elu: "Elu", sigmoid: "Sigmoid", leakyrelu: "LeakyRelu", prelu: "Prelu"}[
    String(attrs.activation ?? "linear")
  ];
  if (!kernel) return x;
  const y =
    kernel === "Prelu"
      ? call(kernel, backend, {x, alpha: prelu!})
      : call(kernel, backend, {x}, {alpha: attrs.leakyreluAlpha ?? 0.2});
  dispose(backend, x);
  return y;
}

/** The wasm backend's memory and tensor addresses, where it exposes them (TF.js 4.22: `backend.wasm.asm.memory`). */
interface WasmInternals {
  wasm?: {asm?: {memory?: WebAssembly.Memory}; wasmMemory?: WebAssembly.Memory};
  dataIdMap?: {get(dataId: object): {memoryOffset: number | null} | undefined};
  makeOutput?(shape: number[], dtype: "float32"): Info;
}

let simdBatched = true;

/**
 * Turn the SIMD batched product off (`false`: batched products go to stock wasm's loop, as before issue 15's speed-up;
 * the bench's "before" row and the profile script's baseline) or back on.
 */
export function useSimdBatchedProduct(on: boolean): void {
  simdBatched = on;
}

/** The SIMD batched product in `backend`'s memory (./wasm-bmm.ts), or null off wasm or without SIMD. */
function simdBmm(backend: Backend): BmmFunction | null {
  if (!simdBatched) return null;
  const w = backend as unknown as WasmInternals;
  const memory = w.wasm?.asm?.memory ?? w.wasm?.wasmMemory;
  return memory && w.dataIdMap && w.makeOutput ? bmmFor(memory) : null;
}

/**
 * [...batch, M, K] · [...batch, K, N] with batch > 1 on the course's SIMD kernel (stock wasm takes a scalar loop for
 * any batch > 1); null where it does not apply: batch 1 (XNNPACK is fast there), mixed ranks, batch shapes that
 * broadcast other than one side being all 1s, or no SIMD.
 */
function batchedProduct(backend: Backend, a: Info, b: Info): Info | null {
  const r = a.shape.length;
  if (r < 3 || b.shape.length !== r || a.dtype !== "float32" || b.dtype !== "float32") return null;
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const sizeA = batchA.reduce((p, d) => p * d, 1);
  const sizeB = batchB.reduce((p, d) => p * d, 1);
  const batch = Math.max(sizeA, sizeB);
  if (batch <= 1 || (sizeA !== 1 && sizeB !== 1 && batchA.some((d, i) => d !== batchB[i]))) return null;
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[r - 1];
  if (b.shape[r - 2] !== k || m * k * n === 0) return null;
  const bmm = simdBmm(backend);
  if (!bmm) return null;
  const w = backend as unknown as Required<WasmInternals>;
  const out = w.makeOutput([...(sizeA >= sizeB ? batchA : batchB), m, n], "float32");
  const at = (t: Info) => w.dataIdMap.get(t.dataId)!.memoryOffset!;
  bmm(at(a), at(b), at(out), batch, m, k, n, sizeA === 1 ? 0 : 4 * m * k, sizeB === 1 ? 0 : 4 * k * n);
  return out;
}

/** BatchMatMul without transposes: the SIMD batched product where it applies, else the backend's own. */
function product(backend: Backend, a: Info, b: Info): Info {
  return batchedProduct(backend, a, b) ?? call("BatchMatMul", backend, {a, b}, {transposeA: false, transposeB: false});
}

/**
 * `_FusedMatMul` for batched operands (rank 3, batch > 1) with a bias, unfused: stock wasm 4.22 adds the
 * bias wrongly there (tested). matMul, then Add, then the activation, each with the backend's kernels.
 */
function fusedBatched(backend: Backend, inputs: Record<string, Info>, attrs: Attrs): Info {
  const {a, b, bias, preluActivationWeights} = inputs;
  const ab = product(backend, a, b);
  const biased = call("Add", backend, {a: ab, b: bias});
  dispose(backend, ab);
  return activate(backend, biased, attrs, preluActivationWeights);
}

/**
 * BatchMatMul / _FusedMatMul with transposed operands made explicit, so the product stays on XNNPACK
 * (and `_FusedMatMul` with a bias over a batch unfused, see `fusedBatched`).
 */
function untransposed(name: string): KernelFunc {
  return ({inputs, backend, attrs = {}}) => {
    const {transposeA, transposeB} = attrs as {transposeA?: boolean; transposeB?: boolean};
    const batchedBias =
      name === "_FusedMatMul" && inputs.bias != null && Math.max(inputs.a.shape[0], inputs.b.shape[0]) > 1;
    if (inputs.a.dtype !== "float32") return call(name, backend, inputs, attrs);
    if (!transposeA && !transposeB && !batchedBias) {
      return (
        (name === "BatchMatMul" && batchedProduct(backend, inputs.a, inputs.b)) || call(name, backend, inputs, attrs)
      );
    }
    const a = transposeA ? transposeLast2(backend, inputs.a) : inputs.a;
    const b = transposeB ? transposeLast2(backend, inputs.b) : inputs.b;
    const plain = {...attrs, transposeA: false, transposeB: false};
    const out = batchedBias
      ? fusedBatched(backend, {...inputs, a, b}, plain)
      : name === "BatchMatMul"
        ? product(backend, a, b)
        : call(name, backend, {...inputs, a, b}, plain);
    if (transposeA) dispose(backend, a);
    if (transposeB) dispose(backend, b);
    return out;
  };
}

/**
 * out[numSegments, …inner] with out[s] = Σ_{i: ids[i] = s} x[i] (x […ids.shape, …inner]); ids outside
 * [0, numSegments) are dropped. Pure; the kernel below and the tests use it.
 */
export function unsortedSegmentSumArray<T extends Float32Array | Int32Array>(
  x: T,
  ids: ArrayLike<number>,
  numSegments: number,
  out: T
): T {
  const inner = ids.length === 0 ? 0 : x.length / ids.length;
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const from = i * inner;
    const to = s * inner;
    for (let j = 0; j < inner; j++) out[to + j] += x[from + j];
  }
  return out;
}

const unsortedSegmentSum: KernelFunc = ({inputs, backend, attrs = {}}) => {
  const {x, segmentIds} = inputs;
  const numSegments = attrs.numSegments as number;
  const shape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const ids = backend.readSync(segmentIds.dataId) as ArrayLike<number>;
  const n = shape.reduce((a, b) => a * b, 1);
  if (x.dtype === "int32") {
    const values = backend.readSync(x.dataId) as Int32Array;
    const out = unsortedSegmentSumArray(values, ids, numSegments, new Int32Array(n));
    return {dataId: backend.write(out, shape, "int32"), shape, dtype: "int32"};
  }
  return write(backend, shape, unsortedSegmentSumArray(float32(backend, x), ids, numSegments, new Float32Array(n)));
};

/**
 * x[begin … begin + size) of an array of `shape` (row-major), copied into a new array: runs along the last axis are
 * copied whole (`TypedArray.set`). Pure; the Slice kernel and the tests use it.
 */
export function sliceArray(x: Float32Array, shape: number[], begin: number[], size: number[]): Float32Array {
  return sliceInto(x, shape, begin, size, new Float32Array(size.reduce((a, b) => a * b, 1)));
}

/** `sliceArray` into `out` (of the slice's size). */
function sliceInto(x: Float32Array, shape: number[], begin: number[], size: number[], out: Float32Array): Float32Array {
  const rank = shape.length;
  const n = out.length;
  if (n === 0) return out;
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let i = rank - 2; i >= 0; i--) strides[i] = strides[i + 1] * shape[i + 1];
  // the innermost run: the last axes that are taken whole merge with the one before them
  let inner = rank - 1;
  while (inner > 0 && size[inner] === shape[inner] && begin[inner] === 0) inner--;
  const run = size.slice(inner).reduce((a, b) => a * b, 1);
  const index = new Array<number>(inner).fill(0); // position over the outer axes 0 … inner − 1
  for (let o = 0; o < n; o += run) {
    let from = begin[inner] * strides[inner];
    for (let a = 0; a < inner; a++) from += (begin[a] + index[a]) * strides[a];
    out.set(x.subarray(from, from + run), o);
    for (let a = inner - 1; a >= 0; a--) {
      if (++index[a] < size[a]) break;
      index[a] = 0;
    }
  }
  return out;
}

/** The wasm backend's heap access (absent on other backends). */
interface HeapBackend {
  typedArrayFromHeap(t: Info): Float32Array;
  makeOutput(shape: number[], dtype: "float32"): Info;
}

/** Whether this backend hands out heap views (wasm): then reading in place beats its own slice. */
const hasHeap = (backend: Backend) =>
  typeof (backend as unknown as Partial<HeapBackend>).typedArrayFromHeap === "function" &&
  typeof (backend as unknown as Partial<HeapBackend>).makeOutput === "function";

/** A slice of x written straight into a new heap tensor (no copy of x, no JavaScript array). */
function sliceInfo(backend: Backend, x: Info, begin: number[], size: number[]): Info {
  const heap = backend as unknown as HeapBackend;
  const out = heap.makeOutput(size, "float32"); // allocate first: an allocation may move the heap
  sliceInto(heap.typedArrayFromHeap(x), x.shape, begin, size, heap.typedArrayFromHeap(out));
  return out;
}

const slice: KernelFunc = ({inputs, backend, attrs = {}}) => {
  const {x} = inputs;
  if (x.dtype !== "float32" || !hasHeap(backend)) return call("Slice", backend, inputs, attrs);
  const [begin, size] = tf.slice_util.parseSliceParams(
    x as tf.TensorInfo,
    attrs.begin as number[],
    attrs.size as number[] | undefined
  );
  return sliceInfo(backend, x, begin, size);
};

const splitV: KernelFunc = ({inputs, backend, attrs = {}}) => {
  const {x} = inputs;
  if (x.dtype !== "float32" || !hasHeap(backend)) return call("SplitV", backend, inputs, attrs) as unknown as Info[];
  const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(
    x as unknown as tf.Tensor,
    attrs.numOrSizeSplits as number | number[],
    axis
  );
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = [...x.shape];
    size[axis] = s;
    const part = sliceInfo(backend, x, [...begin], size);
    begin[axis] += s;
    return part;
  });
};

/**
 * `Identity` on wasm without the copy: the output shares the input's memory (reference-counted, as the `cpu` and
 * `webgl` backends do). Stock wasm copies every byte; a ViT training step calls it ~250 times.
 */
const identity: KernelFunc = ({inputs: {x}, backend}) => {
  if (x.dtype === "string") return call("Identity", backend, {x});
  backend.incRef(x.dataId);
  return {dataId: x.dataId, shape: x.shape, dtype: x.dtype};
};

const KERNEL_FUNCS: Record<string, KernelFunc> = {
  Identity: identity,
  Slice: slice,
  SplitV: splitV,
  UnsortedSegmentSum: unsortedSegmentSum,
  Conv2DBackpropFilter: conv2DBackpropFilter,
  Conv2DBackpropInput: conv2DBackpropInput,
  MaxPoolGrad: maxPoolGrad,
  BatchMatMul: untransposed("BatchMatMul"),
  _FusedMatMul: untransposed("_FusedMatMul")
};

/**
 * Register the course's kernels for `backendName` (default: the active backend; `wasm` and `cpu` have
 * some). Stock kernels they replace are kept and can be restored with `unregisterCourseKernels`.
 * Returns the kernel names now served by the course. Safe to call twice.
 */
export function registerCourseKernels(backendName = tf.getBackend()): string[] {
  const names = COURSE_KERNELS[backendName] ?? [];
  for (const name of names) {
    const key = `${backendName}/${name}`;
    if (stock.has(key) || tf.getKernel(name, backendName)?.kernelFunc === KERNEL_FUNCS[name]) continue;
    const original = tf.getKernel(name, backendName);
    if (original) {
      stock.set(key, original);
      tf.unregisterKernel(name, backendName);
    } else if (name === "BatchMatMul" || name === "_FusedMatMul") {
      continue; // nothing to wrap
    }
    tf.registerKernel({
      kernelName: name,
      backendName,
      setupFunc: original?.setupFunc,
      kernelFunc: KERNEL_FUNCS[name] as tf.KernelFunc
    });
  }
  return courseKernels(backendName);
}

/** The kernels added for chapter 8's ViT (issue 15); the bench's "before" row runs without them. */
export const VIT_COURSE_KERNELS: readonly string[] = ["Slice", "SplitV", "Identity"];

/**
 * Put the stock kernels back (the bench's "stock TF.js" column; the tests' reference): all of them, or only `names`.
 */
export function unregisterCourseKernels(backendName = tf.getBackend(), names?: readonly string[]): void {
  for (const name of COURSE_KERNELS[backendName] ?? []) {
    if (names && !names.includes(name)) continue;
    const config = tf.getKernel(name, backendName);
    if (!config || config.kernelFunc !== (KERNEL_FUNCS[name] as unknown)) continue;
    tf.unregisterKernel(name, backendName);
    const original = stock.get(`${backendName}/${name}`);
    stock.delete(`${backendName}/${name}`);
    if (original) tf.registerKernel(original);
  }
}

/** Which of this module's kernels are registered for `backendName` now. */
export function courseKernels(backendName = tf.getBackend()): string[] {
  return (COURSE_KERNELS[backendName] ?? []).filter(
    (name) => tf.getKernel(name, backendName)?.kernelFunc === (KERNEL_FUNCS[name] as unknown)
  );
}

/**
 * Run one tiny training step (conv → max pool → dense, two examples) and dispose everything, so the first
 * step a reader starts does not also pay for compiling the kernels' JavaScript and wasm paths. Pages call it
 * while the backend starts (`src/components/shared/backend.ts`); it takes a few milliseconds once warm.
 */
export function warmUpTraining(): void {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({inputShape: [8, 8, 1], kernelSize: 3, filters: 2, activation: "relu"}),
      tf.layers.maxPooling2d({poolSize: 2}),
      tf.layers.flatten(),
      tf.layers.dense({units: 2, activation: "softmax"})
    ]
  });
  const optimizer = tf.train.sgd(0.01);
  tf.tidy(() => {
    const xs = tf.ones([2, 8, 8, 1]);
    const ys = tf.oneHot(tf.tensor1d([0, 1], "int32"), 2);
    optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor) as tf.Scalar);
  });
  optimizer.dispose();
  model.dispose();
}
