/**
 * A batched matrix product for TF.js's `wasm` backend, written as a tiny WebAssembly SIMD module (issue 15).
 *
 * Stock `wasm` multiplies on XNNPACK only when the batch is 1; a batched product ([B, M, K] · [B, K, N], every
 * attention score and every attention-weighted sum of a Transformer or ViT) takes a scalar loop there, about
 * 1.7 GFLOP/s on this machine. This module computes it with 128-bit SIMD in the backend's own memory (it imports the
 * backend's `WebAssembly.Memory`, so nothing is copied): for each row i of A and each block of 16 (then 4, then 1)
 * output columns j, accumulate splat(A[i, k]) · B[k, j…j+15] over k in four f32x4 registers.
 *
 * The module is assembled below from its bytes (no toolchain needed, about 400 bytes). `bmmArray` is the same
 * product in plain JavaScript, the tests' reference.
 */

// ---------------------------------------------------------------------------------------------------------
// a minimal WebAssembly assembler: just what one function with loops, i32 arithmetic, f32 and f32x4 needs

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (i32 constants). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const i32 = (n: number) => [0x41, ...sleb(n)];
const ADD = [0x6a];
const MUL = [0x6c];
const SHL = [0x74];
const LT_S = [0x48];
const GT_S = [0x4a];
const END = [0x0b];
const block = (...body: number[][]) => [0x02, 0x40, ...body.flat(), ...END];
const loop = (...body: number[][]) => [0x03, 0x40, ...body.flat(), ...END];
const br = (depth: number) => [0x0c, ...uleb(depth)];
const brIf = (depth: number) => [0x0d, ...uleb(depth)];
const F32_LOAD = (offset = 0) => [0x2a, 2, ...uleb(offset)];
const F32_STORE = (offset = 0) => [0x38, 2, ...uleb(offset)];
const F32_ZERO = [0x43, 0, 0, 0, 0];
const F32_ADD = [0x92];
const F32_MUL = [0x94];
const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];
const V128_LOAD = (offset = 0) => simd(0x00, 0, ...uleb(offset));
const V128_LOAD32_SPLAT = simd(0x09, 2, 0);
const V128_STORE = (offset = 0) => simd(0x0b, 0, ...uleb(offset));
const V128_ZERO = simd(0x0c, ...new Array<number>(16).fill(0));
const F32X4_ADD = simd(0xe4);
const F32X4_MUL = simd(0xe6);

// locals: the parameters first
const [A, B, C, BATCH, M, K, N, STRIDE_A, STRIDE_B] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const [BI, I, J, KK, AROW, CROW, BP, ROW_B, PB, AP] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
const ACC = [19, 20, 21, 22];
const AV = 23;
const S = 24;

/** local += delta (i32). */
const inc = (local: number, delta: number[]) => [...get(local), ...delta, ...ADD, ...set(local)];

/**
 * Columns j…j+4·lanes−1 of row i (lanes f32x4 accumulators), then j += 4·lanes, while they fit in N. Expects AROW,
 * CROW and PB set. `lanes` 0 means one scalar column at a time.
 */
function columnBlocks(lanes: number): number[] {
  const width = lanes === 0 ? 1 : 4 * lanes;
  const accs = ACC.slice(0, lanes);
  const kBody =
    lanes === 0
      ? [...get(S), ...get(AP), ...F32_LOAD(), ...get(BP), ...F32_LOAD(), ...F32_MUL, ...F32_ADD, ...set(S)]
      : [
          ...get(AP),
          ...V128_LOAD32_SPLAT,
          ...set(AV),
          ...accs.flatMap((acc, l) => [
            ...get(acc),
            ...get(AV),
            ...get(BP),
            ...V128_LOAD(16 * l),
            ...F32X4_MUL,
            ...F32X4_ADD,
            ...set(acc)
          ])
        ];
  const store =
    lanes === 0
      ? [...get(CROW), ...get(J), ...i32(2), ...SHL, ...ADD, ...get(S), ...F32_STORE()]
      : accs.flatMap((acc, l) => [
          ...get(CROW),
          ...get(J),
          ...i32(2),
          ...SHL,
          ...ADD,
          ...get(acc),
          ...V128_STORE(16 * l)
        ]);
  return block(
    loop(
      // if (j + width > N) break
      [...get(J), ...i32(width), ...ADD, ...get(N), ...GT_S, ...brIf(1)],
      lanes === 0 ? [...F32_ZERO, ...set(S)] : accs.flatMap((acc) => [...V128_ZERO, ...set(acc)]),
      // bp = pb + 4j; ap = arow; k = 0
      [...get(PB), ...get(J), ...i32(2), ...SHL, ...ADD, ...set(BP)],
      [...get(AROW), ...set(AP)],
      [...i32(0), ...set(KK)],
      loop(kBody, inc(BP, get(ROW_B)), inc(AP, i32(4)), inc(KK, i32(1)), [...get(KK), ...get(K), ...LT_S, ...brIf(0)]),
      store,
      inc(J, i32(width)),
      br(0)
    )
  );
}

/** bmm(a, b, c, batch, M, K, N, strideA, strideB): byte addresses; strides in bytes per batch (0 broadcasts). */
function bmmBody(): number[] {
  const locals = vec([
    [...uleb(10), I32],
    [...uleb(4), V128],
    [...uleb(1), V128],
    [...uleb(1), F32]
  ]);
  const code = [
    ...get(N),
    ...i32(2),
    ...SHL,
    ...set(ROW_B),
    ...i32(0),
    ...set(BI),
    ...loop(
      [...i32(0), ...set(I)],
      // pb = b + bi·strideB
      [...get(B), ...get(BI), ...get(STRIDE_B), ...MUL, ...ADD, ...set(PB)],
      loop(
        // arow = a + bi·strideA + 4·i·K; crow = c + 4·(bi·M + i)·N
        [...get(A), ...get(BI), ...get(STRIDE_A), ...MUL, ...ADD],
        [...get(I), ...get(K), ...MUL, ...i32(2), ...SHL, ...ADD, ...set(AROW)],
        [...get(C), ...get(BI), ...get(M), ...MUL, ...get(I), ...ADD],
        [...get(N), ...MUL, ...i32(2), ...SHL, ...ADD, ...set(CROW)],
        [...i32(0), ...set(J)],
        columnBlocks(4),
        columnBlocks(1),
        columnBlocks(0),
        inc(I, i32(1)),
        [...get(I), ...get(M), ...LT_S, ...brIf(0)]
      ),
      inc(BI, i32(1)),
      [...get(BI), ...get(BATCH), ...LT_S, ...brIf(0)]
    ),
    ...END
  ];
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

/** The module's bytes; `shared` declares the imported memory shared (the threaded wasm build's). */
export function bmmModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const type = [0x60, ...vec(new Array<number[]>(9).fill([I32])), ...vec([])];
  const memoryLimits = shared ? [0x03, ...uleb(0), ...uleb(65536)] : [0x00, ...uleb(0)];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([type])),
    ...section(2, vec([[...name("env"), ...name("memory"), 0x02, ...memoryLimits]])),
    ...section(3, vec([uleb(0)])),
    ...section(7, vec([[...name("bmm"), 0x00, ...uleb(0)]])),
    ...section(10, vec([bmmBody()]))
  ];
  return new Uint8Array(bytes);
}

/** The compiled product for one memory. */
export type BmmFunction = (
  a: number,
  b: number,
  c: number,
  batch: number,
  m: number,
  k: number,
  n: number,
  strideA: number,
  strideB: number
) => void;

const instances = new WeakMap<WebAssembly.Memory, BmmFunction | null>();

/**
 * The SIMD product working in `memory`, or null where WebAssembly SIMD is unavailable (the caller then keeps the
 * stock kernel). Compiled once per memory (synchronously: the module is far below browsers' 4 KB limit for that).
 */
export function bmmFor(memory: WebAssembly.Memory): BmmFunction | null {
  if (instances.has(memory)) return instances.get(memory)!;
  let fn: BmmFunction | null = null;
  try {
    const shared = typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
    const bytes = bmmModuleBytes(shared);
    if (WebAssembly.validate(bytes)) {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {env: {memory}});
      fn = instance.exports.bmm as BmmFunction;
    }
  } catch {
    fn = null;
  }
  instances.set(memory, fn);
  return fn;
}

/** The reference: C[b] = A[b or 0] · B[b or 0] in plain JavaScript (A [batchA, M, K], B [batchB, K, N]). */
export function bmmArray(
  a: Float32Array,
  b: Float32Array,
  batchA: number,
  batchB: number,
  m: number,
  k: number,
  n: number
): Float32Array {
  const batch = Math.max(batchA, batchB);
  const c = new Float32Array(batch * m * n);
  for (let bi = 0; bi < batch; bi++) {
    const pa = (batchA === 1 ? 0 : bi) * m * k;
    const pb = (batchB === 1 ? 0 : bi) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let kk = 0; kk < k; kk++) s += a[pa + i * k + kk] * b[pb + kk * n + j];
        c[(bi * m + i) * n + j] = s;
      }
    }
  }
  return c;
}
