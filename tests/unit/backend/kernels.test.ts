// The course's training kernels against two independent references: the stock TF.js `cpu` kernels
// (unregistering the course's for the reference run) and, for dilation, which TF.js's conv gradient
// refuses, a naive loop written straight from the definition.
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {
  col2im,
  courseKernels,
  im2colT,
  sliceArray,
  unsortedSegmentSumArray,
  registerCourseKernels,
  unregisterCourseKernels,
  warmUpTraining
} from "../../../lib/backend/kernels.js";
import {mulberry32} from "../../../lib/random.js";
import {bmmArray, bmmFor} from "../../../lib/backend/wasm-bmm.js";
import {setHeadLayout} from "../../../lib/models/layers/attention.js";
import {TINY_VIT_MODELS, useVitBaseline, type VitModelOptions} from "../../../lib/models/vit.js";
import {maxAbsDiff as maxAbsDiffNested} from "../helpers.js";

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => maxAbsDiffNested(Array.from(a), Array.from(b));

const main = tf.getBackend(); // wasm (or cpu when TFJS_BACKEND=cpu)

function randn(n: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({length: n}, () => r() * 2 - 1);
}
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Run `f` on the stock cpu kernels and return its outputs as arrays. */
function onStockCpu(f: () => tf.Tensor[]): Float32Array[] {
  tf.setBackend("cpu");
  unregisterCourseKernels("cpu");
  try {
    const outs = tf.tidy(f);
    const values = outs.map((t) => t.dataSync() as Float32Array);
    tf.dispose(outs);
    return values;
  } finally {
    registerCourseKernels("cpu");
    tf.setBackend(main);
  }
}

function onCourse(f: () => tf.Tensor[]): Float32Array[] {
  const outs = tf.tidy(f);
  const values = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outs);
  return values;
}

beforeAll(() => {
  registerCourseKernels("cpu");
  registerCourseKernels(main);
});
afterAll(() => {
  // setup.ts registers them for the whole suite; leave them as found
  registerCourseKernels(main);
});

describe("registration", () => {
  test("the active backend serves the course's kernels, and unregistering restores the stock ones", () => {
    expect(courseKernels(main).length).toBeGreaterThanOrEqual(3);
    const before = tf.getKernel("Conv2DBackpropFilter", "cpu")!.kernelFunc;
    unregisterCourseKernels("cpu");
    const stock = tf.getKernel("Conv2DBackpropFilter", "cpu")!.kernelFunc;
    expect(stock).not.toBe(before);
    expect(courseKernels("cpu")).toEqual([]);
    registerCourseKernels("cpu");
    registerCourseKernels("cpu"); // twice is harmless
    expect(tf.getKernel("Conv2DBackpropFilter", "cpu")!.kernelFunc).toBe(before);
  });
});

test("warmUpTraining runs one step and leaves no tensor or variable behind", () => {
  const variables = Object.keys(tf.engine().registeredVariables).length;
  warmUpTraining(); // setup.ts checks numTensors after the test
  expect(Object.keys(tf.engine().registeredVariables).length).toBe(variables);
});

describe("im2colT / col2im", () => {
  test("a 3×3 image, 2×2 filter, stride 1, valid: columns by hand", () => {
    const c = tf.backend_util.computeConv2DInfo([1, 3, 3, 1], [2, 2, 1, 1], 1, 1, "valid");
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // rows (kh,kw) = (0,0) (0,1) (1,0) (1,1); columns = output positions (0,0) (0,1) (1,0) (1,1)
    expect([...im2colT(x, c)]).toEqual([1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9]);
  });

  test("col2im is the adjoint of im2col: <im2col(x), y> = <x, col2im(y)>", () => {
    const c = tf.backend_util.computeConv2DInfo([2, 7, 6, 3], [3, 2, 3, 4], [2, 1], [1, 2], "same");
    const K = 3 * 2 * 3;
    const N = 2 * c.outHeight * c.outWidth;
    const x = randn(2 * 7 * 6 * 3, 1);
    const y = randn(K * N, 2); // [N, K]
    const colT = im2colT(x, c); // [K, N]
    let lhs = 0;
    for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) lhs += colT[k * N + n] * y[n * K + k];
    const back = col2im(y, c);
    let rhs = 0;
    for (let i = 0; i < x.length; i++) rhs += x[i] * back[i];
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-3 * Math.abs(lhs) + 1e-3);
  });
});

// stride, padding (same, valid, explicit number), kernel sizes, rectangular shapes
const CONV_CASES: {x: number[]; f: number[]; strides: number | [number, number]; pad: "same" | "valid" | number}[] = [
  {x: [2, 9, 9, 1], f: [3, 3, 1, 4], strides: 1, pad: "valid"},
  {x: [3, 8, 7, 3], f: [3, 3, 3, 5], strides: 1, pad: "same"},
  {x: [2, 12, 12, 4], f: [5, 5, 4, 6], strides: 1, pad: "valid"},
  {x: [2, 10, 11, 2], f: [3, 3, 2, 3], strides: 2, pad: "same"},
  {x: [1, 9, 8, 3], f: [2, 3, 3, 2], strides: [2, 1], pad: "valid"},
  {x: [2, 7, 7, 2], f: [3, 3, 2, 4], strides: 2, pad: 1},
  {x: [4, 6, 6, 8], f: [1, 1, 8, 3], strides: 1, pad: "valid"},
  {x: [1, 11, 11, 3], f: [7, 7, 3, 2], strides: 3, pad: "same"}
];

describe("Conv2DBackpropFilter and Conv2DBackpropInput against stock cpu", () => {
  test.each(CONV_CASES.map((c, i) => ({...c, i})))(
    "x $x, filter $f, strides $strides, pad $pad",
    ({x: xs, f: fs, strides, pad, i}) => {
      const xv = randn(size(xs), 10 + i);
      const fv = randn(size(fs), 20 + i);
      const grads = () => {
        const x = tf.tensor4d(xv, xs as [number, number, number, number]);
        const f = tf.tensor4d(fv, fs as [number, number, number, number]);
        const y = tf.conv2d(x, f, strides, pad);
        const dy = tf.tensor(randn(y.size, 30 + i), y.shape); // a random upstream gradient
        const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad), dy))
        )([x, f]);
        return [dx, df];
      };
      const [refDx, refDf] = onStockCpu(grads);
      const [dx, df] = onCourse(grads);
      expect(maxAbsDiff(df, refDf)).toBeLessThan(1e-4);
      expect(maxAbsDiff(dx, refDx)).toBeLessThan(1e-4);
      // a real gradient, not zeros that happen to agree
      expect(Math.max(...df.map(Math.abs))).toBeGreaterThan(0.1);
    }
  );

  test("the same kernels on the cpu backend match the stock cpu kernels", () => {
    const xv = randn(2 * 10 * 10 * 3, 41);
    const fv = randn(3 * 3 * 3 * 4, 42);
    const g = () => {
      const x = tf.tensor4d(xv, [2, 10, 10, 3]);
      const f = tf.tensor4d(fv, [3, 3, 3, 4]);
      return tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, "same")))
      )([x, f]);
    };
    const ref = onStockCpu(g);
    tf.setBackend("cpu");
    let course: Float32Array[];
    try {
      expect(courseKernels("cpu")).toContain("Conv2DBackpropFilter");
      course = onCourse(g);
    } finally {
      tf.setBackend(main);
    }
    expect(maxAbsDiff(course[0], ref[0])).toBeLessThan(1e-4);
    expect(maxAbsDiff(course[1], ref[1])).toBeLessThan(1e-4);
  });

  test("a dilated convolution's gradients match a naive loop from the definition", () => {
    // TF.js refuses dilation in conv gradients, so the reference is the definition:
    // y[b,oh,ow,o] = Σ x[b, oh·s + kh·d − top, ow·s + kw·d − left, c] · w[kh,kw,c,o]
    const [B, H, W, C, KH, KW, O, s, d] = [2, 11, 10, 3, 3, 2, 4, 2, 2];
    const c = tf.backend_util.computeConv2DInfo([B, H, W, C], [KH, KW, C, O], s, d, "same");
    const x = randn(B * H * W * C, 51);
    const dy = randn(B * c.outHeight * c.outWidth * O, 52);
    const w = randn(KH * KW * C * O, 53);
    const refDw = new Float32Array(KH * KW * C * O);
    const refDx = new Float32Array(B * H * W * C);
    for (let b = 0; b < B; b++)
      for (let oh = 0; oh < c.outHeight; oh++)
        for (let ow = 0; ow < c.outWidth; ow++)
          for (let kh = 0; kh < KH; kh++)
            for (let kw = 0; kw < KW; kw++) {
              const ih = oh * s + kh * d - c.padInfo.top;
              const iw = ow * s + kw * d - c.padInfo.left;
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
              for (let ci = 0; ci < C; ci++)
                for (let o = 0; o < O; o++) {
                  const g = dy[((b * c.outHeight + oh) * c.outWidth + ow) * O + o];
                  refDw[((kh * KW + kw) * C + ci) * O + o] += x[((b * H + ih) * W + iw) * C + ci] * g;
                  refDx[((b * H + ih) * W + iw) * C + ci] += w[((kh * KW + kw) * C + ci) * O + o] * g;
                }
            }
    // the library route: colᵀ · dy and col2im(dy · Wᵀ), the products done here in plain loops
    const N = B * c.outHeight * c.outWidth;
    const K = KH * KW * C;
    const colT = im2colT(x, c);
    const dw = new Float32Array(K * O);
    for (let k = 0; k < K; k++)
      for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) dw[k * O + o] += colT[k * N + n] * dy[n * O + o];
    const dcol = new Float32Array(N * K);
    for (let n = 0; n < N; n++)
      for (let k = 0; k < K; k++) for (let o = 0; o < O; o++) dcol[n * K + k] += dy[n * O + o] * w[k * O + o];
    expect(maxAbsDiff(dw, refDw)).toBeLessThan(1e-4);
    expect(maxAbsDiff(col2im(dcol, c), refDx)).toBeLessThan(1e-4);
  });
});

describe("MaxPoolGrad against stock cpu", () => {
  const CASES: {x: number[]; size: number; strides: number; pad: "same" | "valid"; relu: boolean}[] = [
    {x: [2, 8, 8, 3], size: 2, strides: 2, pad: "valid", relu: false},
    {x: [2, 9, 7, 2], size: 3, strides: 2, pad: "same", relu: false},
    {x: [1, 10, 10, 4], size: 3, strides: 1, pad: "same", relu: false},
    {x: [3, 8, 8, 5], size: 2, strides: 2, pad: "valid", relu: true} // many ties at 0, as after a ReLU
  ];
  test.each(CASES)(
    "x $x, pool $size, strides $strides, pad $pad, relu $relu",
    ({x: xs, size: k, strides, pad, relu}) => {
      const xv = randn(size(xs), 61 + k + strides);
      const g = () => {
        const x0 = tf.tensor4d(xv, xs as [number, number, number, number]);
        const x = relu ? tf.relu(x0) : x0;
        const y = tf.maxPool(x, k, strides, pad);
        const dy = tf.tensor(randn(y.size, 71), y.shape);
        return [
          tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, k, strides, pad), dy)))(x as tf.Tensor4D)
        ];
      };
      const [ref] = onStockCpu(g);
      const [got] = onCourse(g);
      expect(maxAbsDiff(got, ref)).toBeLessThan(1e-6);
      expect(got.filter((v) => v !== 0).length).toBeGreaterThan(0);
    }
  );
});

describe("matMul with transposed operands (the Dense layer's gradients)", () => {
  test.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true]
  ])("transposeA %s, transposeB %s, batched and fused", (tA, tB) => {
    const av = randn(2 * 7 * 5, 81);
    const bv = randn(2 * 5 * 3, 82);
    const biasv = randn(3, 83);
    const g = () => {
      const a = tf.tensor3d(av, tA ? [2, 5, 7] : [2, 7, 5]);
      const b = tf.tensor3d(bv, tB ? [2, 3, 5] : [2, 5, 3]);
      const bias = tf.tensor1d(biasv);
      return [
        tf.matMul(a, b, tA, tB),
        tf.fused.matMul({a, b, transposeA: tA, transposeB: tB, bias, activation: "relu"})
      ];
    };
    const ref = onStockCpu(g);
    const got = onCourse(g);
    expect(maxAbsDiff(got[0], ref[0])).toBeLessThan(1e-5);
    expect(maxAbsDiff(got[1], ref[1])).toBeLessThan(1e-5);
  });
});

describe("the SIMD batched product (lib/backend/wasm-bmm.ts)", () => {
  test("its bytes are valid WebAssembly and its product equals the plain loop, every column-block path", () => {
    const memory = new WebAssembly.Memory({initial: 4});
    const bmm = bmmFor(memory);
    expect(bmm).not.toBeNull();
    const heap = new Float32Array(memory.buffer);
    // N = 37 takes two 16-column blocks, one of 4 and one scalar column; batch 1 of B broadcasts
    for (const [batchA, batchB, m, k, n] of [
      [3, 3, 5, 7, 37],
      [4, 1, 2, 3, 5],
      [1, 2, 17, 16, 17]
    ]) {
      const a = randn(batchA * m * k, 91);
      const b = randn(batchB * k * n, 92);
      const [pa, pb] = [16, 16 + 4 * a.length];
      const pc = pb + 4 * b.length + 4; // unaligned on purpose
      heap.set(a, pa / 4);
      heap.set(b, pb / 4);
      bmm!(pa, pb, pc, Math.max(batchA, batchB), m, k, n, batchA === 1 ? 0 : 4 * m * k, batchB === 1 ? 0 : 4 * k * n);
      const c = new Float32Array(memory.buffer, pc, Math.max(batchA, batchB) * m * n);
      const ref = bmmArray(a, b, batchA, batchB, m, k, n);
      expect(maxAbsDiff(c, ref)).toBeLessThan(1e-5);
      expect(Math.max(...ref.map(Math.abs))).toBeGreaterThan(0.5); // not all zeros
    }
  });

  test("batched tf.matMul (attention's shapes, transposed, broadcast, rank 4) equals stock cpu", () => {
    const av = randn(2 * 3 * 17 * 16, 93);
    const bv = randn(2 * 3 * 16 * 17, 94);
    const g = () => {
      const q = tf.tensor4d(av, [2, 3, 17, 16]);
      const k = tf.tensor4d(bv, [2, 3, 17, 16]);
      const scores = tf.matMul(q, k, false, true); // [2, 3, 17, 17]
      const out = tf.matMul(scores, q); // [2, 3, 17, 16]
      const shared = tf.matMul(
        tf.tensor3d(av.slice(0, 17 * 16), [1, 17, 16]),
        tf.tensor3d(bv.slice(0, 3 * 16 * 5), [3, 16, 5])
      );
      const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.matMul(x, k, false, true)))(q);
      return [scores, out, shared, grad];
    };
    const ref = onStockCpu(g);
    const got = onCourse(g);
    got.forEach((v, i) => expect(maxAbsDiff(v, ref[i])).toBeLessThan(2e-4));
  });
});

describe("UnsortedSegmentSum (the gradient of gather, hence of an embedding)", () => {
  test("the pure array version by hand: repeated, missing and out-of-range ids", () => {
    // x [4, 2], ids [1, 0, 1, 7]: out[0] = x[1], out[1] = x[0] + x[2], out[2] = 0, id 7 dropped
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(unsortedSegmentSumArray(x, [1, 0, 1, 7], 3, new Float32Array(6)))).toEqual([3, 4, 6, 8, 0, 0]);
  });

  test.each([
    [[6], [6, 5], 4, "float32"],
    [[6], [6, 2, 2], 5, "float32"],
    [[5], [5], 3, "int32"]
  ] as const)("ids %j, x %j, %i segments, %s: equals the stock cpu kernel", (idShape, xShape, segments, dtype) => {
    const rand = mulberry32(91);
    const ids = Array.from({length: size([...idShape])}, () => Math.floor(rand() * segments));
    const xv = Array.from({length: size([...xShape])}, () => (dtype === "int32" ? Math.floor(rand() * 9) : rand()));
    const g = () => [
      tf.unsortedSegmentSum(tf.tensor(xv, [...xShape], dtype), tf.tensor(ids, [...idShape], "int32"), segments)
    ];
    const ref = onStockCpu(g);
    const got = onCourse(g);
    expect(maxAbsDiff(got[0], ref[0])).toBeLessThan(1e-5);
  });

  test("an embedding's gradient equals the stock cpu one", () => {
    const table = randn(7 * 3, 92);
    const dyv = randn(2 * 4 * 3, 93);
    const g = () => {
      const w = tf.tensor2d(table, [7, 3]);
      const ids = tf.tensor2d([1, 3, 3, 0, 6, 1, 1, 2], [2, 4], "int32");
      const dy = tf.tensor3d(dyv, [2, 4, 3]);
      return [tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), dy)))(w)];
    };
    expect(courseKernels(main)).toContain(main === "wasm" ? "UnsortedSegmentSum" : "MaxPoolGrad");
    expect(maxAbsDiff(onCourse(g)[0], onStockCpu(g)[0])).toBeLessThan(1e-5);
  });
});

describe("Slice and SplitV read in place (chapter 8's ViT)", () => {
  test("sliceArray by hand: a [2, 3, 4] block, strided and contiguous", () => {
    const x = Float32Array.from({length: 24}, (_, i) => i); // x[a, b, c] = 12a + 4b + c
    expect(Array.from(sliceArray(x, [2, 3, 4], [0, 1, 2], [2, 2, 2]))).toEqual([6, 7, 10, 11, 18, 19, 22, 23]);
    expect(Array.from(sliceArray(x, [2, 3, 4], [1, 0, 0], [1, 3, 4]))).toEqual(
      Array.from({length: 12}, (_, i) => 12 + i)
    );
    expect(Array.from(sliceArray(x, [2, 3, 4], [0, 2, 0], [2, 1, 4]))).toEqual([8, 9, 10, 11, 20, 21, 22, 23]);
    expect(sliceArray(x, [2, 3, 4], [0, 0, 0], [0, 3, 4]).length).toBe(0);
  });

  test.each([
    [[7], [2], [4]],
    [
      [5, 6],
      [1, 2],
      [3, 3]
    ],
    [
      [4, 5, 12],
      [0, 0, 4],
      [4, 5, 4]
    ],
    [
      [3, 4, 5],
      [1, 0, 0],
      [2, 4, 5]
    ],
    [
      [2, 3, 4, 5],
      [1, 1, 0, 2],
      [1, 2, 4, 3]
    ],
    [
      [2, 2, 3, 2, 4],
      [0, 1, 1, 0, 1],
      [2, 1, 2, 2, 3]
    ]
  ])("x %j from %j, size %j: values and the gradient equal the stock cpu kernels", (shape, begin, sz) => {
    const xv = randn(size(shape), 101);
    const g = () => {
      const x = tf.tensor(xv, shape);
      const dy = tf.tensor(randn(size(sz), 102), sz);
      return [tf.slice(x, begin, sz), tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.slice(t, begin, sz), dy)))(x)];
    };
    const ref = onStockCpu(g);
    const got = onCourse(g);
    expect(maxAbsDiff(got[0], ref[0])).toBe(0);
    expect(maxAbsDiff(got[1], ref[1])).toBe(0);
  });

  test.each([
    [[6, 4], 3, 0],
    [[3, 5, 8], [2, 6], 2],
    [[12, 2, 3], 3, 0],
    [[2, 6, 3], [1, 2, 3], 1]
  ] as const)(
    "split of %j into %j along axis %i, and its gradient (concat), equal the stock cpu kernels",
    (shape, n, axis) => {
      const xv = randn(size([...shape]), 103);
      const g = () => {
        const x = tf.tensor(xv, [...shape]);
        const parts = tf.split(x, typeof n === "number" ? n : [...n], axis);
        const grad = tf.grad((t: tf.Tensor) =>
          tf.addN(tf.split(t, typeof n === "number" ? n : [...n], axis).map((p, i) => tf.mul(tf.sum(p), i + 1)))
        )(x);
        return [...parts, grad];
      };
      const ref = onStockCpu(g);
      const got = onCourse(g);
      expect(got.length).toBe(ref.length);
      got.forEach((v, i) => expect(maxAbsDiff(v, ref[i])).toBe(0));
    }
  );
});

describe("a whole training step", () => {
  test("chapter 8's tiny ViT: the loss and every weight's gradient, before and after issue 15's speed-up, equal the stock cpu ones", () => {
    const step = (opts: VitModelOptions) => () => {
      const model = TINY_VIT_MODELS.vit({seed: 5, ...opts});
      const x = tf.tensor4d(
        randn(8 * 784, 104).map((v) => v * 0.5 + 0.5),
        [8, 28, 28, 1]
      );
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], "int32"), 10);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const f = () => tf.losses.softmaxCrossEntropy(y, model.apply(x, {training: true}) as tf.Tensor) as tf.Scalar;
      const {value, grads} = tf.variableGrads(f, vars);
      const out = [value, ...vars.map((v) => grads[v.name])];
      model.dispose();
      return out;
    };
    const before = tf.memory().numTensors;
    try {
      const ref = onStockCpu(step({finalNorm: "layers"})); // today's path on stock cpu
      useVitBaseline(true);
      const old = onCourse(step({finalNorm: "layers"}));
      useVitBaseline(false);
      const got = onCourse(step({}));
      expect(got.length).toBe(ref.length);
      expect(Math.abs(got[0][0] - ref[0][0])).toBeLessThan(1e-5);
      expect(got.length).toBe(57); // the loss and 56 weights
      for (const values of [old, got]) values.forEach((v, i) => expect(maxAbsDiff(v, ref[i])).toBeLessThan(2e-5));
    } finally {
      useVitBaseline(false);
      setHeadLayout("packed");
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  test("the classic MNIST CNN: one SGD step gives the stock cpu step's loss and weights, and leaks nothing", () => {
    const build = () => {
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({inputShape: [28, 28, 1], kernelSize: 5, filters: 8, activation: "relu"}),
          tf.layers.maxPooling2d({poolSize: 2, strides: 2}),
          tf.layers.conv2d({kernelSize: 5, filters: 16, activation: "relu"}),
          tf.layers.maxPooling2d({poolSize: 2, strides: 2}),
          tf.layers.flatten(),
          tf.layers.dense({units: 10, activation: "softmax"})
        ]
      });
      let seed = 90;
      model.setWeights(
        model.getWeights().map((w) =>
          tf.tensor(
            randn(w.size, seed++).map((v) => v * 0.2),
            w.shape
          )
        )
      );
      return model;
    };
    const step = () => {
      const model = build();
      const opt = tf.train.sgd(0.1);
      const x = tf.tensor4d(
        randn(16 * 784, 99).map((v) => v * 0.5 + 0.5),
        [16, 28, 28, 1]
      );
      const y = tf.oneHot(
        tf.tensor1d(
          Array.from({length: 16}, (_, i) => i % 10),
          "int32"
        ),
        10
      );
      const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor), true)!;
      const out = [loss, ...model.getWeights().map((w) => w.clone())];
      opt.dispose();
      model.dispose();
      return out;
    };
    const ref = onStockCpu(step);
    const got = onCourse(step);
    expect(got.length).toBe(ref.length);
    expect(Math.abs(got[0][0] - ref[0][0])).toBeLessThan(1e-4);
    for (let i = 1; i < got.length; i++) expect(maxAbsDiff(got[i], ref[i])).toBeLessThan(1e-4);
  });
});
