/**
 * The attention blocks of lib/models/layers/ (chapters 6 「Attention」 and 7 「Transformer」) against the plain-loop
 * reference of ./naive-attention.ts: scaled dot-product attention, multi-head self- and cross-attention with masks,
 * layer norm, feed-forward, the encoder and decoder layers (post- and pre-norm); permutation equivariance (SA2), the
 * causal mask (SA4), the sinusoidal encoding's values, the analysis' counts, save and load of every custom layer.
 */
import {describe, expect, test} from "vitest";
import {tf} from "../../../../lib/tf.js";
import {countFlops} from "../../../../lib/analysis/flops.js";
import {
  causalMask,
  MultiHeadAttention,
  scaledDotProductAttention,
  setHeadLayout,
  type HeadLayout
} from "../../../../lib/models/layers/attention.js";
import {
  SinusoidalPositionalEncoding,
  sinusoidalEncoding,
  sinusoidalEncodingRows
} from "../../../../lib/models/layers/positional-encoding.js";
import {PaddingMask, TokenEmbedding} from "../../../../lib/models/layers/token-embedding.js";
import {
  layerNorm,
  PositionwiseFeedForward,
  setLayerNormGradient,
  type LayerNormGradient,
  TransformerDecoderLayer,
  TransformerEncoderLayer,
  type TransformerLayerArgs
} from "../../../../lib/models/layers/transformer-layers.js";
import {maxAbsDiff, randomArray} from "../../helpers.js";
import {
  add,
  causal,
  naiveAttention,
  naiveFeedForward,
  naiveLayerNorm,
  naiveMha,
  type Mat,
  type NaiveMhaWeights
} from "./naive-attention.js";

const TOL = 1e-4;

/** Give every weight of a built layer seeded random values (zero biases and unit γ would hide bugs). */
function randomiseWeights(layer: tf.layers.Layer, seed: number, scale = 0.5): number[][][] {
  const values = layer.getWeights().map((w, i) => {
    const a = (randomArray(w.shape, seed + i) as number[]).flat(3) as number[];
    return a.map((v) => v * scale + (w.shape.length === 1 && /norm/.test(layer.weights[i].originalName) ? 1 : 0));
  });
  const tensors = values.map((v, i) => tf.tensor(v, layer.getWeights()[i].shape));
  layer.setWeights(tensors);
  tf.dispose(tensors);
  return layer.getWeights().map((w) => (w.rank === 1 ? [w.arraySync() as number[]] : (w.arraySync() as number[][])));
}

const mha = (w: number[][][]): NaiveMhaWeights => ({inProj: w[0], inBias: w[1][0], outProj: w[2], outBias: w[3][0]});

/** A layer's output on nested arrays, tensors made and freed here. */
function applyTo(layer: tf.layers.Layer, x: Mat[]): Mat[] {
  return tf.tidy(() => (layer.apply(tf.tensor3d(x)) as tf.Tensor).arraySync() as Mat[]);
}

function apply(layer: tf.layers.Layer, inputs: tf.Tensor[]): number[][][] {
  return tf.tidy(() => (layer.apply(inputs.length === 1 ? inputs[0] : inputs) as tf.Tensor).arraySync() as Mat[]);
}

describe("scaledDotProductAttention", () => {
  test("equals softmax(QKᵀ/√d_k)V written out, with and without a mask; weights rows sum to 1", () => {
    const [q, k, v] = [4, 5, 5].map((t, i) => randomArray([2, t, 3], 10 + i) as Mat[]);
    const mask = [
      [1, 1, 0, 1, 0],
      [1, 0, 0, 0, 0],
      [1, 1, 1, 1, 1],
      [0, 1, 1, 0, 1]
    ];
    for (const m of [undefined, mask]) {
      const tensors = [q, k, v].map((a) => tf.tensor3d(a));
      const maskT = m && tf.tensor2d(m);
      const r = scaledDotProductAttention(tensors[0], tensors[1], tensors[2], maskT);
      const out = r.output.arraySync() as Mat[];
      const weights = r.weights.arraySync() as Mat[];
      for (let b = 0; b < 2; b++) {
        const ref = naiveAttention(q[b], k[b], v[b], m);
        expect(maxAbsDiff(out[b], ref.output)).toBeLessThan(TOL);
        expect(maxAbsDiff(weights[b], ref.weights)).toBeLessThan(TOL);
        weights[b].forEach((row) => expect(row.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 5));
        if (m) weights[b].forEach((row, i) => row.forEach((w, j) => m[i][j] === 0 && expect(w).toBe(0)));
      }
      tf.dispose([...tensors, r.output, r.weights, ...(maskT ? [maskT] : [])]);
    }
  });

  test("causalMask is lower triangular", () => {
    const m = causalMask(4);
    expect(m.arraySync()).toEqual(causal(4));
    m.dispose();
  });
});

describe("MultiHeadAttention", () => {
  const B = 2,
    T = 5,
    S = 4,
    D = 6;

  test.each([1, 2, 3])("self-attention, %i heads, equals nn.MultiheadAttention written out (weights too)", (heads) => {
    const layer = new MultiHeadAttention({numHeads: heads, seed: 1});
    const x = tf.tensor3d(randomArray([B, T, D], 20) as Mat[]);
    tf.tidy(() => void layer.apply(x));
    const w = randomiseWeights(layer, 30);
    expect(w.map((a) => [a.length, a[0].length])).toEqual([
      [D, 3 * D],
      [1, 3 * D],
      [D, D],
      [1, D]
    ]);
    const out = apply(layer, [x]);
    const r = layer.attention(x);
    const weights = r.weights.arraySync() as Mat[][];
    expect(r.weights.shape).toEqual([B, heads, T, T]);
    const xs = x.arraySync() as Mat[];
    for (let b = 0; b < B; b++) {
      const ref = naiveMha(xs[b], xs[b], mha(w), heads);
      expect(maxAbsDiff(out[b], ref.output)).toBeLessThan(TOL);
      expect(maxAbsDiff(weights[b], ref.weights)).toBeLessThan(TOL);
    }
    tf.dispose([x, r.output, r.weights]);
    layer.dispose();
  });

  test("cross-attention with a key padding mask, and causal self-attention, equal the written-out ones", () => {
    const heads = 2;
    const cross = new MultiHeadAttention({numHeads: heads, seed: 2});
    const q = tf.tensor3d(randomArray([B, T, D], 40) as Mat[]);
    const kv = tf.tensor3d(randomArray([B, S, D], 41) as Mat[]);
    const keyMask = [
      [0, 1, 1, 1],
      [1, 1, 0, 1]
    ];
    const maskT = tf.tensor2d(keyMask);
    tf.tidy(() => void cross.apply([q, kv, maskT]));
    const w = randomiseWeights(cross, 50);
    const out = apply(cross, [q, kv, maskT]);
    const qs = q.arraySync() as Mat[];
    const kvs = kv.arraySync() as Mat[];
    for (let b = 0; b < B; b++) {
      const mask = qs[b].map(() => keyMask[b]);
      expect(maxAbsDiff(out[b], naiveMha(qs[b], kvs[b], mha(w), heads, mask).output)).toBeLessThan(TOL);
    }
    const self = new MultiHeadAttention({numHeads: heads, causal: true, seed: 3});
    tf.tidy(() => void self.apply(q));
    const ws = randomiseWeights(self, 60);
    const outSelf = apply(self, [q]);
    for (let b = 0; b < B; b++) {
      expect(maxAbsDiff(outSelf[b], naiveMha(qs[b], qs[b], mha(ws), heads, causal(T)).output)).toBeLessThan(TOL);
    }
    tf.dispose([q, kv, maskT]);
    cross.dispose();
    self.dispose();
  });

  test("the three head layouts (packed, column slices, reshape + transpose) give the same outputs, weights and gradients", () => {
    const layer = new MultiHeadAttention({numHeads: 3, seed: 6});
    const q = tf.tensor3d(randomArray([B, T, D], 45) as Mat[]);
    const kv = tf.tensor3d(randomArray([B, S, D], 46) as Mat[]);
    const m = tf.tensor2d([
      [1, 1, 0, 1],
      [0, 1, 1, 1]
    ]);
    const dy = tf.tensor3d(randomArray([B, T, D], 47) as Mat[]);
    const run = (layout: HeadLayout) => {
      setHeadLayout(layout);
      const r = layer.attention([q, kv, m]);
      const out = [r.output.arraySync(), r.weights.arraySync()];
      tf.dispose([r.output, r.weights]);
      // gradients of <self-attention(q), dy> and <cross-attention(q, kv), dy> for the inputs and the weights
      const grads = tf.tidy(() => {
        const self = tf.grads((x: tf.Tensor) => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, dy)))([q]);
        const cross = tf.variableGrads(
          () => tf.sum(tf.mul(layer.apply([q, kv, m]) as tf.Tensor, dy)) as tf.Scalar,
          layer.trainableWeights.map((w) => w.read() as tf.Variable)
        );
        return [...self, ...Object.values(cross.grads)].map((g) => g.arraySync());
      });
      return [...out, ...grads];
    };
    try {
      const [a, b, c] = [run("packed"), run("slices"), run("transpose")];
      expect(a.length).toBe(7); // output, weights, dx, 4 weight gradients
      for (const other of [b, c]) a.forEach((v, i) => expect(maxAbsDiff(v, other[i])).toBeLessThan(1e-5));
    } finally {
      setHeadLayout("packed");
      tf.dispose([q, kv, m, dy]);
      layer.dispose();
    }
  });

  test("layer norm's written gradient equals the one TF.js derives from the forward operations", () => {
    const x = tf.tensor3d(randomArray([B, T, D], 48) as Mat[]);
    const gamma = tf.tensor1d((randomArray([D], 49) as number[]).map((v) => 1 + v));
    const beta = tf.tensor1d(randomArray([D], 50) as number[]);
    const dy = tf.tensor3d(randomArray([B, T, D], 51) as Mat[]);
    const run = (kind: LayerNormGradient) => {
      setLayerNormGradient(kind);
      return tf.tidy(() => {
        const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(layerNorm(a, g, b, 1e-6), dy));
        return [layerNorm(x, gamma, beta, 1e-6), ...tf.grads(f)([x, gamma, beta])].map((t) => t.arraySync());
      });
    };
    const before = tf.memory().numTensors;
    try {
      const [written, derived] = [run("written"), run("derived")];
      expect(maxAbsDiff(written[0], derived[0])).toBe(0); // the same forward operations
      for (let i = 1; i < 4; i++) expect(maxAbsDiff(written[i], derived[i])).toBeLessThan(1e-5);
      // and not trivially: dx is not zero
      expect(Math.max(...(written[1] as number[][][]).flat(2).map(Math.abs))).toBeGreaterThan(1e-3);
    } finally {
      setLayerNormGradient("written");
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, gamma, beta, dy]);
  });

  test("SA2: without positions, permuting the tokens permutes the outputs; with the encoding it does not", () => {
    const layer = new MultiHeadAttention({numHeads: 2, seed: 4});
    const pe = new SinusoidalPositionalEncoding();
    const perm = [3, 0, 4, 1, 2];
    const x = tf.tensor3d(randomArray([1, T, D], 70) as Mat[]);
    const xp = tf.tidy(() => tf.gather(x, perm, 1));
    const gap = (encode: boolean) =>
      tf.tidy(() => {
        const f = (t: tf.Tensor) => layer.apply(encode ? (pe.apply(t) as tf.Tensor) : t) as tf.Tensor;
        // un-permute f(x permuted) and compare with f(x): row i of f(xp) belongs to token perm[i]
        const inverse = perm.map((_, i) => perm.indexOf(i));
        return tf.max(tf.abs(tf.sub(tf.gather(f(xp), inverse, 1), f(x)))).arraySync() as number;
      });
    expect(gap(false)).toBeLessThan(1e-5);
    expect(gap(true)).toBeGreaterThan(0.05);
    tf.dispose([x, xp]);
    layer.dispose();
  });

  test("SA4: with the causal mask, changing tokens after position t never changes the output at t", () => {
    const layer = new MultiHeadAttention({numHeads: 2, causal: true, seed: 5});
    const x = randomArray([1, T, D], 80) as Mat[];
    const base = applyTo(layer, x);
    for (let t = 0; t < T; t++) {
      const changed = x.map((seq) => seq.map((row, i) => (i > t ? row.map((v) => v + 3) : row)));
      const out = applyTo(layer, changed);
      expect(maxAbsDiff(out[0].slice(0, t + 1), base[0].slice(0, t + 1))).toBe(0);
      if (t < T - 1) expect(maxAbsDiff(out[0].slice(t + 1), base[0].slice(t + 1))).toBeGreaterThan(1e-3);
    }
    // the same test without the mask fails: the future leaks in
    const open = new MultiHeadAttention({numHeads: 2, seed: 5});
    const a = applyTo(open, x);
    const b = applyTo(
      open,
      x.map((seq) => seq.map((row, i) => (i > 0 ? row.map((v) => v + 3) : row)))
    );
    expect(maxAbsDiff(a[0][0], b[0][0])).toBeGreaterThan(1e-3);
    layer.dispose();
    open.dispose();
  });
});

describe("positional encoding", () => {
  test("PE(pos, 2i) = sin(pos/10000^(2i/d)), PE(pos, 2i+1) = cos(…) at known positions", () => {
    const d = 8;
    const pe = sinusoidalEncodingRows(50, d);
    expect(pe[0]).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
    expect(pe[1][0]).toBeCloseTo(Math.sin(1), 12);
    expect(pe[1][1]).toBeCloseTo(Math.cos(1), 12);
    // 2i = 2: 10000^(2/8) = 10
    expect(pe[7][2]).toBeCloseTo(Math.sin(0.7), 12);
    expect(pe[7][3]).toBeCloseTo(Math.cos(0.7), 12);
    // 2i = 6: 10000^(6/8) = 1000
    expect(pe[49][6]).toBeCloseTo(Math.sin(0.049), 12);
    expect(sinusoidalEncoding(3, 4)).toHaveLength(12);
  });

  test("the layer adds the table and has no weights", () => {
    const layer = new SinusoidalPositionalEncoding();
    const x = tf.tensor3d(randomArray([2, 6, 4], 90) as Mat[]);
    const out = apply(layer, [x]);
    const pe = sinusoidalEncodingRows(6, 4);
    (x.arraySync() as Mat[]).forEach((seq, b) => expect(maxAbsDiff(out[b], add(seq, pe))).toBeLessThan(1e-6));
    expect(layer.countParams()).toBe(0);
    x.dispose();
  });
});

describe("layer norm, feed-forward, token embedding, padding mask", () => {
  test("layerNorm with ε = 1e-5 equals the written-out one", () => {
    const x = randomArray([4, 6], 100) as Mat;
    const g = randomArray([6], 101) as number[];
    const b = randomArray([6], 102) as number[];
    const out = tf.tidy(() => layerNorm(tf.tensor2d(x), tf.tensor1d(g), tf.tensor1d(b)).arraySync() as Mat);
    expect(maxAbsDiff(out, naiveLayerNorm(x, g, b))).toBeLessThan(TOL);
    // a nearly constant row: ε decides, as in PyTorch
    const flat = [[1, 1 + 1e-3, 1, 1]];
    const y = tf.tidy(() => layerNorm(tf.tensor2d(flat)).arraySync() as Mat);
    expect(maxAbsDiff(y, naiveLayerNorm(flat, [1, 1, 1, 1], [0, 0, 0, 0]))).toBeLessThan(TOL);
  });

  test("PositionwiseFeedForward equals max(0, xW₁ + b₁)W₂ + b₂", () => {
    const layer = new PositionwiseFeedForward({dimFeedforward: 7, seed: 1});
    const x = tf.tensor3d(randomArray([2, 3, 4], 110) as Mat[]);
    tf.tidy(() => void layer.apply(x));
    const [w1, b1, w2, b2] = randomiseWeights(layer, 120);
    const out = apply(layer, [x]);
    (x.arraySync() as Mat[]).forEach((seq, b) =>
      expect(maxAbsDiff(out[b], naiveFeedForward(seq, w1, b1[0], w2, b2[0]))).toBeLessThan(TOL)
    );
    expect(layer.countParams()).toBe(2 * 4 * 7 + 7 + 4);
    x.dispose();
    layer.dispose();
  });

  test("TokenEmbedding looks rows up (× √d) and PaddingMask marks padding", () => {
    const emb = new TokenEmbedding({inputDim: 5, outputDim: 4, seed: 1});
    const ids = tf.tensor2d(
      [
        [0, 3, 4],
        [2, 2, 1]
      ],
      undefined,
      "int32"
    );
    const out = apply(emb, [ids]);
    const table = emb.getWeights()[0].arraySync() as Mat;
    (ids.arraySync() as number[][]).forEach((row, b) =>
      row.forEach((id, t) =>
        expect(
          maxAbsDiff(
            out[b][t],
            table[id].map((v) => v * 2)
          )
        ).toBeLessThan(1e-6)
      )
    );
    const mask = tf.tidy(() => (new PaddingMask({padToken: 2}).apply(ids) as tf.Tensor).arraySync());
    expect(mask).toEqual([
      [1, 1, 1],
      [0, 0, 1]
    ]);
    ids.dispose();
    emb.dispose();
  });
});

describe("encoder and decoder layers", () => {
  const T = 4,
    S = 3,
    D = 4,
    H = 2,
    FF = 6;

  function naiveEncoder(x: Mat, w: number[][][], normFirst: boolean, mask?: Mat): Mat {
    const ln = (a: Mat, i: number) => naiveLayerNorm(a, w[8 + 2 * i][0], w[9 + 2 * i][0]);
    const sa = (a: Mat) => naiveMha(a, a, mha(w.slice(0, 4)), H, mask).output;
    const ff = (a: Mat) => naiveFeedForward(a, w[4], w[5][0], w[6], w[7][0]);
    if (normFirst) {
      const h = add(x, sa(ln(x, 0)));
      return add(h, ff(ln(h, 1)));
    }
    const h = ln(add(x, sa(x)), 0);
    return ln(add(h, ff(h)), 1);
  }

  test.each([false, true])("TransformerEncoderLayer (normFirst %s) equals the written-out layer", (normFirst) => {
    const args: TransformerLayerArgs = {numHeads: H, dimFeedforward: FF, dropout: 0.1, normFirst, seed: 3};
    const layer = new TransformerEncoderLayer(args);
    const x = tf.tensor3d(randomArray([2, T, D], 130) as Mat[]);
    const keyMask = [
      [1, 1, 1, 0],
      [1, 1, 1, 1]
    ];
    const m = tf.tensor2d(keyMask);
    tf.tidy(() => void layer.apply([x, m]));
    expect(layer.weights.map((w) => w.originalName.split("/").at(-1))).toEqual([
      "self_attn.in_proj_weight",
      "self_attn.in_proj_bias",
      "self_attn.out_proj.weight",
      "self_attn.out_proj.bias",
      "linear1.weight",
      "linear1.bias",
      "linear2.weight",
      "linear2.bias",
      "norm1.weight",
      "norm1.bias",
      "norm2.weight",
      "norm2.bias"
    ]);
    const w = randomiseWeights(layer, 140);
    // dropout is off at inference
    const out = apply(layer, [x, m]);
    (x.arraySync() as Mat[]).forEach((seq, b) => {
      const mask = seq.map(() => keyMask[b]);
      expect(maxAbsDiff(out[b], naiveEncoder(seq, w, normFirst, mask))).toBeLessThan(TOL);
    });
    tf.dispose([x, m]);
    layer.dispose();
  });

  test("TransformerDecoderLayer (post-norm, causal, memory mask) equals the written-out layer; maps too", () => {
    const layer = new TransformerDecoderLayer({numHeads: H, dimFeedforward: FF, seed: 4});
    const y = tf.tensor3d(randomArray([2, T, D], 150) as Mat[]);
    const memory = tf.tensor3d(randomArray([2, S, D], 151) as Mat[]);
    const memMask = [
      [0, 1, 1],
      [1, 1, 1]
    ];
    const m = tf.tensor2d(memMask);
    tf.tidy(() => void layer.apply([y, memory, m]));
    const w = randomiseWeights(layer, 160);
    const out = apply(layer, [y, memory, m]);
    const ln = (a: Mat, i: number) => naiveLayerNorm(a, w[12 + 2 * i][0], w[13 + 2 * i][0]);
    const mems = memory.arraySync() as Mat[];
    const r = layer.attentionMaps([y, memory, m]);
    const cross = r.maps.cross!.arraySync() as Mat[][];
    (y.arraySync() as Mat[]).forEach((seq, b) => {
      const sa = naiveMha(seq, seq, mha(w.slice(0, 4)), H, causal(T));
      let h = ln(add(seq, sa.output), 0);
      const ca = naiveMha(
        h,
        mems[b],
        mha(w.slice(4, 8)),
        H,
        h.map(() => memMask[b])
      );
      h = ln(add(h, ca.output), 1);
      h = ln(add(h, naiveFeedForward(h, w[8], w[9][0], w[10], w[11][0])), 2);
      expect(maxAbsDiff(out[b], h)).toBeLessThan(TOL);
      expect(maxAbsDiff(cross[b], ca.weights)).toBeLessThan(TOL);
    });
    expect(r.maps.self.shape).toEqual([2, H, T, T]);
    tf.dispose([y, memory, m, r.output, r.maps.self, r.maps.cross!]);
    layer.dispose();
  });

  test("residual: false, layerNorm: false and dimFeedforward: 0 remove exactly those parts", () => {
    const x = tf.tensor3d(randomArray([1, T, D], 170) as Mat[]);
    const bare = new TransformerEncoderLayer({numHeads: H, dimFeedforward: 0, residual: false, layerNorm: false});
    const a = new MultiHeadAttention({numHeads: H});
    tf.tidy(() => void bare.apply(x));
    tf.tidy(() => void a.apply(x));
    expect(bare.countParams()).toBe(4 * D * D + 4 * D);
    a.setWeights(bare.getWeights());
    expect(maxAbsDiff(apply(bare, [x]), apply(a, [x]))).toBeLessThan(1e-6);
    const full = new TransformerEncoderLayer({numHeads: H, dimFeedforward: FF});
    tf.tidy(() => void full.apply(x));
    expect(full.countParams()).toBe(4 * D * D + 4 * D + 2 * D * FF + FF + D + 4 * D);
    x.dispose();
    [bare, a, full].forEach((l) => l.dispose());
  });
});

describe("analysis and serialization of every custom layer", () => {
  const T = 5,
    S = 4,
    D = 8,
    V = 11;

  /** One model with every custom layer of this chapter. */
  function everyLayer(seed = 1): tf.LayersModel {
    const src = tf.input({shape: [S], dtype: "int32", name: "src"});
    const tgt = tf.input({shape: [T, D], name: "tgt"});
    const mask = new PaddingMask({name: "mask"}).apply(src) as tf.SymbolicTensor;
    let x = new TokenEmbedding({inputDim: V, outputDim: D, seed, name: "emb"}).apply(src) as tf.SymbolicTensor;
    x = new SinusoidalPositionalEncoding({name: "pe"}).apply(x) as tf.SymbolicTensor;
    x = new TransformerEncoderLayer({numHeads: 2, dimFeedforward: 16, seed: seed + 1, name: "enc"}).apply([
      x,
      mask
    ]) as tf.SymbolicTensor;
    let y = new MultiHeadAttention({numHeads: 2, causal: true, seed: seed + 2, name: "mha"}).apply(
      tgt
    ) as tf.SymbolicTensor;
    y = new PositionwiseFeedForward({dimFeedforward: 12, seed: seed + 3, name: "ffn"}).apply(y) as tf.SymbolicTensor;
    y = new TransformerDecoderLayer({
      numHeads: 4,
      dimFeedforward: 16,
      normFirst: true,
      seed: seed + 4,
      name: "dec"
    }).apply([y, x, mask]) as tf.SymbolicTensor;
    return tf.model({inputs: [src, tgt], outputs: y});
  }

  test("the analysis counts every layer's weights as the built model has them, and the hand-counted MACs", () => {
    const model = everyLayer();
    try {
      const totals = countFlops(model);
      expect(totals.uncounted).toEqual([]);
      expect(totals.params).toBe(model.countParams());
      const attn = (tq: number, tk: number) => 2 * tq * D * D + 2 * tk * D * D + 2 * tq * tk * D;
      const ffn = (t: number, dff: number) => 2 * t * D * dff;
      const macs = attn(S, S) + ffn(S, 16) + attn(T, T) + ffn(T, 12) + attn(T, T) + attn(T, S) + ffn(T, 16);
      expect(totals.macs).toBe(macs);
    } finally {
      model.dispose();
    }
  });

  test("save to memory, load, same outputs and configs", async () => {
    const model = everyLayer(7);
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: "JSON"}};
      })
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const src = tf.tensor2d(
      [
        [0, 0, 4, 5],
        [1, 2, 3, 10]
      ],
      undefined,
      "int32"
    );
    const tgt = tf.randomNormal([2, T, D], 0, 1, "float32", 3);
    const [a, b] = [model, loaded].map((m) => m.predict([src, tgt]) as tf.Tensor);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    for (const name of ["mask", "emb", "pe", "enc", "mha", "ffn", "dec"]) {
      expect(loaded.getLayer(name).getClassName()).toBe(model.getLayer(name).getClassName());
      expect(loaded.getLayer(name).getConfig()).toEqual(model.getLayer(name).getConfig());
    }
    expect(loaded.getLayer("dec").getConfig()).toMatchObject({normFirst: true, numHeads: 4, causal: true});
    tf.dispose([src, tgt, a, b]);
    model.dispose();
    loaded.dispose();
  });
});
