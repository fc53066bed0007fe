/**
 * Chapter 6 「Attention」 SA1, SA3, SA5 and chapter 7 「Transformer」 T2: the experiment helpers of
 * lib/analysis/attention-steps.ts, lib/analysis/attention-memory.ts and lib/train/deep-stack.ts.
 */
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {attentionMemory, quadraticFit, solveQuadratic, TAB_BYTES} from "../../../lib/analysis/attention-memory.js";
import {
  attentionLinearity,
  checkSelfAttentionSteps,
  linearityGap,
  selfAttentionSteps,
  syllableVectors
} from "../../../lib/analysis/attention-steps.js";
import {MultiHeadAttention} from "../../../lib/models/layers/attention.js";
import {deepStackStats} from "../../../lib/train/deep-stack.js";
import {randomArray} from "../helpers.js";

describe("SA1: self-attention step by step", () => {
  test("a Korean sentence becomes syllable tokens; a repeated syllable gets the same vector", () => {
    const {tokens, x} = syllableVectors("나는 나를 본다", {dim: 4, seed: 2});
    expect(tokens).toEqual(["나", "는", "나", "를", "본", "다"]);
    expect(x[0]).toEqual(x[2]);
    expect(x[0]).not.toEqual(x[1]);
    x.flat().forEach((v) => expect(Math.abs(v)).toBeLessThan(1));
    expect(syllableVectors("나", {dim: 4, seed: 3}).x[0]).not.toEqual(x[0]);
  });

  test("hand-worked: two tokens, d = 2, identity projections", () => {
    // Q = K = V = x; scores = x xᵀ / √2
    const I = [
      [1, 0],
      [0, 1]
    ];
    const steps = selfAttentionSteps(
      [
        [1, 0],
        [1, 1]
      ],
      {inProj: I.map((row) => [...row, ...row, ...row]), outProj: I},
      {numHeads: 1}
    );
    const s = 1 / Math.SQRT2;
    expect(steps.heads[0].scores).toEqual([
      [s, s],
      [s, 2 * s]
    ]);
    // row 0: equal scores -> weights ½, ½ -> output (1, ½)
    expect(steps.heads[0].weights[0]).toEqual([0.5, 0.5]);
    expect(steps.output[0]).toEqual([1, 0.5]);
    // row 1: weights 1/(1 + e^{s}), e^{s}/(1 + e^{s})
    const w1 = Math.exp(s) / (1 + Math.exp(s));
    expect(steps.heads[0].weights[1][1]).toBeCloseTo(w1, 12);
    expect(steps.output[1][1]).toBeCloseTo(w1, 12);
  });

  test.each([
    [1, false],
    [2, false],
    [2, true]
  ])("heads %i, causal %s: the hand steps equal the layer's output and weights", (heads, causal) => {
    const layer = new MultiHeadAttention({numHeads: heads, causal, seed: 3});
    const x = randomArray([5, 4], 11) as number[][];
    tf.tidy(() => void layer.apply(tf.tensor3d([x])));
    // non-zero biases, so they are checked too
    const w = layer.getWeights();
    const biased = w.map((t, i) => (t.rank === 1 ? tf.fill(t.shape, 0.1 * (i + 1)) : tf.clone(t)));
    layer.setWeights(biased);
    tf.dispose(biased);
    const r = checkSelfAttentionSteps(layer, x);
    expect(r.steps.heads).toHaveLength(heads);
    expect(r.maxDiff).toBeLessThan(1e-5);
    expect(r.maxWeightDiff).toBeLessThan(1e-6);
    if (causal) expect(r.steps.heads[0].weights[0].slice(1)).toEqual([0, 0, 0, 0]);
    layer.dispose();
  });
});

describe("SA3: linear in V for fixed weights; not with a feed-forward module", () => {
  test("the attention gap is rounding, the feed-forward gap is not", () => {
    const t = (shape: number[], seed: number) => tf.tensor(randomArray(shape, seed) as number[][], shape);
    const [q, k, v1, v2, w1, w2] = [t([4, 3], 1), t([4, 3], 2), t([4, 3], 3), t([4, 3], 4), t([3, 8], 5), t([8, 3], 6)];
    const r = attentionLinearity({q, k, v1, v2, a: 2, b: -1.5}, {w1, w2});
    expect(r.attentionGap).toBeLessThan(1e-5);
    expect(r.feedForwardGap).toBeGreaterThan(1e-2 * r.scale);
    // linearityGap itself: f(v) = v² is not linear, f(v) = 3v is
    expect(linearityGap((v) => tf.mul(v, 3), v1, v2, 2, 1)).toBeLessThan(1e-5);
    expect(linearityGap((v) => tf.square(v), v1, v2, 2, 1)).toBeGreaterThan(0.1);
    tf.dispose([q, k, v1, v2, w1, w2]);
  });
});

describe("SA5: attention memory", () => {
  test("quadraticFit recovers a known quadratic; solveQuadratic inverts it", () => {
    const xs = [16, 32, 64, 128, 256];
    const fit = quadraticFit(
      xs,
      xs.map((x) => 100 + 3 * x + 0.5 * x * x)
    );
    expect(fit.coefficients[0]).toBeCloseTo(100, 4);
    expect(fit.coefficients[1]).toBeCloseTo(3, 6);
    expect(fit.coefficients[2]).toBeCloseTo(0.5, 8);
    expect(fit.r2).toBeCloseTo(1, 10);
    expect(solveQuadratic(fit, 100 + 3 * 1000 + 0.5 * 1e6)).toBeCloseTo(1000, 4);
  });

  test("the score matrix takes 4·h·L² bytes; the whole layer grows quadratically; the 4 GiB length follows", async () => {
    const [d, h] = [32, 4];
    const lengths = [32, 64, 128, 256];
    const m = await attentionMemory(lengths, {dModel: d, heads: h});
    // float32 [h, L, L]
    expect(m.rows.map((r) => r.scoreBytes)).toEqual(lengths.map((l) => 4 * h * l * l));
    expect(m.scoreFit.coefficients[2]).toBeCloseTo(4 * h, 6);
    // the layer keeps at least the scores and the softmax ([h, L, L] each) besides its O(L·d) tensors
    m.rows.forEach((r) => expect(r.layerBytes).toBeGreaterThanOrEqual(2 * r.scoreBytes));
    expect(m.layerFit.r2).toBeGreaterThan(0.999);
    expect(m.layerFit.coefficients[2]).toBeGreaterThanOrEqual(2 * 4 * h);
    const [c0, c1, c2] = m.layerFit.coefficients;
    const L = m.limitLength;
    expect(c0 + c1 * L + c2 * L * L).toBeCloseTo(TAB_BYTES, -3);
    expect(m.tabBytes).toBe(4 * 2 ** 30);
  });
});

describe("T2: a deep stack with and without Add & Norm", () => {
  test("Add & Norm keep every layer's output at mean 0, std 1 and the gradient at the first layer", () => {
    const base = {layers: 6, dModel: 16, heads: 2, dimFeedforward: 32, length: 8, batch: 4, seed: 2};
    const full = deepStackStats({...base});
    expect(full.layers).toHaveLength(6);
    // post-norm: every output is layer-normalised (γ = 1, β = 0 at the start): mean 0, std ≈ 1
    for (const l of full.layers) {
      expect(Math.abs(l.mean)).toBeLessThan(1e-5);
      expect(l.std).toBeCloseTo(1, 2);
      expect(l.weightGradNorm).toBeGreaterThan(0);
    }
    const bare = deepStackStats({...base, residual: false, norm: false});
    // the same seed: layer 1's first sub-layer sees the same input
    expect(bare.input).toEqual(full.input);
    // without Add & Norm the signal's scale drifts from layer to layer and the first layer's gradient shrinks
    const stds = bare.layers.map((l) => l.std);
    expect(Math.max(...stds) / Math.min(...stds)).toBeGreaterThan(2);
    const ratio = (s: typeof full) => s.layers[0].inputGradNorm / s.layers.at(-1)!.inputGradNorm;
    expect(ratio(bare)).toBeLessThan(ratio(full));
  });
});
