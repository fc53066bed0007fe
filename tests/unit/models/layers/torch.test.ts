import {describe, expect, test} from "vitest";
import {tf} from "../../../../lib/tf.js";
import {
  adaptiveAvgPool2d,
  adaptivePoolPlan,
  torchConv2d,
  torchMaxPool2d,
  torchOutputSize
} from "../../../../lib/models/layers/torch.js";
import {maxAbsDiff, randomArray} from "../../helpers.js";

/** PyTorch's windows of AdaptiveAvgPool: [⌊i·n/m⌋, ⌈(i+1)·n/m⌉). */
const torchAdaptiveWindows = (n: number, m: number) =>
  Array.from({length: m}, (_, i) => [Math.floor((i * n) / m), Math.ceil(((i + 1) * n) / m)]);

/** nn.MaxPool2d on one channel, written out: −∞ padding, floor or ceil mode. */
function naiveMaxPool(x: number[][], k: number, s: number, p: number, ceil: boolean): number[][] {
  const n = x.length;
  const out = torchOutputSize(n, k, s, p, ceil);
  return Array.from({length: out}, (_, i) =>
    Array.from({length: out}, (_, j) => {
      let m = -Infinity;
      for (let u = 0; u < k; u++) {
        for (let v = 0; v < k; v++) {
          const y = i * s - p + u;
          const z = j * s - p + v;
          if (y >= 0 && y < n && z >= 0 && z < n) m = Math.max(m, x[y][z]);
        }
      }
      return m;
    })
  );
}

/** nn.AdaptiveAvgPool2d on one channel, written out. */
function naiveAdaptiveAvg(x: number[][], m: number): number[][] {
  const w = torchAdaptiveWindows(x.length, m);
  return w.map(([a, b]) =>
    w.map(([c, d]) => {
      let sum = 0;
      for (let y = a; y < b; y++) for (let z = c; z < d; z++) sum += x[y][z];
      return sum / ((b - a) * (d - c));
    })
  );
}

/** Run a one-layer functional graph on one [n, n, 1] image and return the [H][W] channel 0. */
function runOn(x: number[][], build: (t: tf.SymbolicTensor) => tf.SymbolicTensor, c = 1): number[][] {
  const input = tf.input({shape: [x.length, x.length, c]});
  const model = tf.model({inputs: input, outputs: build(input)});
  try {
    return tf.tidy(() => {
      const y = model.predict(tf.tensor4d(x.flat(), [1, x.length, x.length, 1]).tile([1, 1, 1, c])) as tf.Tensor4D;
      return (y.slice([0, 0, 0, 0], [1, -1, -1, 1]).squeeze([0, 3]) as tf.Tensor2D).arraySync();
    });
  } finally {
    model.dispose();
  }
}

describe("PyTorch padding on Keras layers", () => {
  test("torchOutputSize: hand-worked sizes of torchvision's layers", () => {
    expect(torchOutputSize(224, 11, 4, 2)).toBe(55); // AlexNet conv1
    expect(torchOutputSize(55, 3, 2, 0)).toBe(27); // AlexNet pools: 55 → 27 → 13 → 6
    expect(torchOutputSize(13, 3, 2, 0)).toBe(6);
    expect(torchOutputSize(224, 7, 2, 3)).toBe(112); // ResNet / GoogLeNet conv1
    expect(torchOutputSize(112, 3, 2, 1)).toBe(56); // ResNet maxpool
    expect(torchOutputSize(112, 3, 2, 0, true)).toBe(56); // GoogLeNet maxpool1, ceil mode (floor would give 55)
    expect(torchOutputSize(14, 2, 2, 0, true)).toBe(7); // GoogLeNet maxpool4
    expect(torchOutputSize(7, 3, 2, 0, true)).toBe(3); // ceil mode on an odd size
    expect(torchOutputSize(5, 2, 2, 0, true)).toBe(3); // the last window starts inside (at 4) and is kept
    expect(torchOutputSize(6, 3, 3, 1, true)).toBe(3); // a window starting at 7 = n + p would start in the padding
    expect(torchOutputSize(2, 3, 2, 0, true)).toBe(1); // ceil mode accepts a window wider than the input
    expect(() => torchOutputSize(2, 3, 2, 0)).toThrow(/does not fit/);
  });

  test("max pooling equals nn.MaxPool2d (−∞ padding, floor and ceil mode) on non-negative inputs", () => {
    const cases: [number, number, number, boolean][] = [
      [3, 2, 0, true], // GoogLeNet stem and stage pools
      [2, 2, 0, true], // GoogLeNet maxpool4
      [3, 1, 1, true], // Inception branch 4
      [3, 2, 1, false], // ResNet stem
      [3, 2, 0, false], // AlexNet
      [2, 2, 0, false] // VGG
    ];
    let seed = 1;
    for (const n of [5, 6, 7, 8, 13, 14]) {
      for (const [k, s, p, ceil] of cases) {
        const x = (randomArray([n, n], seed++) as number[][]).map((r) => r.map((v) => Math.fround(Math.abs(v))));
        const got = runOn(x, (t) =>
          torchMaxPool2d(t, {poolSize: k, strides: s, padding: p, ceilMode: ceil, name: "pool"})
        );
        expect(maxAbsDiff(got, naiveMaxPool(x, k, s, p, ceil)), `n=${n} k=${k} s=${s} p=${p} ceil=${ceil}`).toBe(0);
      }
    }
  });

  test("convolution equals nn.Conv2d: symmetric zero padding, then the windows", () => {
    const cases: [number, number, number][] = [
      [11, 4, 2], // AlexNet conv1
      [7, 2, 3], // ResNet / GoogLeNet conv1
      [3, 2, 1], // ResNet stride-2 3×3
      [1, 2, 0], // ResNet projection shortcut
      [5, 1, 2], // AlexNet conv2
      [3, 1, 1] // everything else
    ];
    let seed = 100;
    for (const n of [15, 16, 23, 24]) {
      for (const [k, s, p] of cases) {
        const x = randomArray([n, n], seed++) as number[][];
        const kernel = randomArray([k, k, 1, 1], seed++) as number[][][][];
        const layerInput = tf.input({shape: [n, n, 1]});
        const out = torchConv2d(layerInput, {
          filters: 1,
          kernelSize: k,
          strides: s,
          padding: p,
          useBias: false,
          kernelInitializer: tf.initializers.zeros(),
          name: "conv"
        });
        const model = tf.model({inputs: layerInput, outputs: out});
        const [actual, expected] = tf.tidy(() => {
          const w = tf.tensor4d(kernel.flat(3), [k, k, 1, 1]);
          model.getLayer("conv").setWeights([w]);
          const xt = tf.tensor4d(x.flat(), [1, n, n, 1]);
          const ref = tf.conv2d(xt, w, s, [
            [0, 0],
            [p, p],
            [p, p],
            [0, 0]
          ]);
          return [(model.predict(xt) as tf.Tensor).arraySync(), ref.arraySync()];
        });
        model.dispose();
        expect((actual as number[][][][])[0].length, `n=${n} k=${k} s=${s} p=${p}`).toBe(torchOutputSize(n, k, s, p));
        expect(maxAbsDiff(actual, expected), `n=${n} k=${k} s=${s} p=${p}`).toBeLessThan(1e-5);
      }
    }
  });
});

describe("adaptive average pooling", () => {
  test("adaptivePoolPlan: hand-worked plans", () => {
    const plan = (upsample: number, poolSize: number, strides: number, exact: boolean) => ({
      upsample,
      poolSize,
      strides,
      exact
    });
    expect(adaptivePoolPlan(6, 6)).toEqual(plan(1, 1, 1, true)); // AlexNet at 224²: nothing to do
    expect(adaptivePoolPlan(14, 7)).toEqual(plan(1, 2, 2, true));
    expect(adaptivePoolPlan(8, 7)).toEqual(plan(1, 2, 1, true)); // VGG at 256²
    expect(adaptivePoolPlan(14, 4)).toEqual(plan(1, 5, 3, false)); // GoogLeNet's aux heads: the paper's 5×5/3
    expect(adaptivePoolPlan(1, 7)).toEqual(plan(7, 1, 1, true)); // VGG at 32²
    expect(adaptivePoolPlan(2, 7)).toEqual(plan(4, 2, 1, true)); // 0 0 0 0 1 1 1 1 averaged in pairs: 0 0 0 ½ 1 1 1
    expect(adaptivePoolPlan(3, 7)).toEqual(plan(3, 3, 1, false));
  });

  test("the layers equal nn.AdaptiveAvgPool2d exactly where the plan says exact, and keep its shape everywhere", () => {
    let seed = 7;
    let exact = 0;
    for (let n = 1; n <= 10; n++) {
      for (let m = 1; m <= 8; m++) {
        const x = randomArray([n, n], seed++) as number[][];
        const got = runOn(x, (t) => adaptiveAvgPool2d(t, [m, m], "avgpool"));
        const expected = naiveAdaptiveAvg(x, m);
        expect([got.length, got[0].length], `${n} → ${m}`).toEqual([m, m]);
        const plan = adaptivePoolPlan(n, m);
        expect(maxAbsDiff(got, expected) < 1e-6, `${n} → ${m}`).toBe(plan.exact);
        if (plan.exact) exact++;
      }
    }
    expect(exact).toBeGreaterThan(40); // of 80: most small cases are exact
  });
});
