/**
 * Recurrent cells written from their formulas with TF.js ops, chapter 4 「RNN」 (claims R1–R3).
 *
 * - SimpleRNN: J. L. Elman, "Finding Structure in Time", Cognitive Science 14 (1990).
 *     h_t = tanh(x_t·W + h_{t−1}·U + b)
 * - LSTM: S. Hochreiter & J. Schmidhuber, "Long Short-Term Memory", Neural Computation 9 (1997); the forget gate
 *   from F. A. Gers, J. Schmidhuber & F. Cummins, "Learning to Forget", Neural Computation 12 (2000).
 *     i, f, o = σ(x·W_· + h·U_· + b_·),  c̃ = tanh(x·W_c + h·U_c + b_c),  c_t = f∘c_{t−1} + i∘c̃,  h_t = o∘tanh(c_t)
 * - GRU: K. Cho et al., "Learning Phrase Representations using RNN Encoder–Decoder for Statistical Machine
 *   Translation", EMNLP 2014.
 *     z, r = σ(x·W_· + h·U_· + b_·),  h̃ = tanh(x·W_h + (r∘h_{t−1})·U_h + b_h),  h_t = z∘h_{t−1} + (1 − z)∘h̃
 *
 * Reference implementation followed: TF.js 4.22 `tfjs-layers/src/layers/recurrent.ts` (SimpleRNNCell, LSTMCell,
 * GRUCell), so that each cell here equals the TF.js layer with the same weights (tests/unit/models/rnn.test.ts).
 * Row-vector convention as in TF.js: x [B, d] times the kernel [d, g·u].
 *
 * Where TF.js departs from the textbook (and from Keras):
 * - TF.js's GRU is the `reset_after = false` form (Cho et al.'s original: r multiplies h_{t−1} before U_h, one
 *   bias of 3u). Keras 2.x/3 default to `reset_after = true` (r multiplies h_{t−1}·U_h, two biases, 6u): the same
 *   d and u give 3u(d + u + 1) parameters here and 3u(d + u + 2) in Keras.
 * - TF.js's LSTM and GRU default to `recurrentActivation: 'hardSigmoid'` (a piecewise-linear σ); Keras 2+ and the
 *   formulas above use the sigmoid. `recurrentLayer` sets `recurrentActivation: 'sigmoid'` explicitly.
 * - TF.js's LSTM starts its forget-gate bias at 0 (`unitForgetBias` off); Keras starts it at 1 (`unit_forget_bias =
 *   True`, after R. Jozefowicz, W. Zaremba & I. Sutskever, "An Empirical Exploration of Recurrent Network
 *   Architectures", ICML 2015), so that f ≈ σ(1) ≈ 0.73 keeps the cell state from the first step on. `recurrentLayer`
 *   sets that bias to 1 with its own initializer (TF.js's `unitForgetBias: true` leaks three tensors per
 *   layer built). Without it, the LSTM of the recall task (../data/recall.ts) failed to learn a lag of 10
 *   in a short budget that taught the SimpleRNN the same lag.
 * - Gate packing in the kernel's last axis (blocks of u columns): LSTM i, f, c̃, o; GRU z, r, h̃.
 */
import {tf} from "../tf.js";

export type CellKind = "simpleRNN" | "lstm" | "gru";

export const CELL_KINDS: readonly CellKind[] = ["simpleRNN", "lstm", "gru"];

/** Blocks of u columns in the kernels: 1 (SimpleRNN), 4 (LSTM: i, f, c̃, o), 3 (GRU: z, r, h̃). */
export const GATES: Record<CellKind, number> = {simpleRNN: 1, lstm: 4, gru: 3};

/** The three weight tensors of a recurrent layer, packed as TF.js packs them. */
export interface RnnWeights {
  /** W: [d, g·u] */
  kernel: tf.Tensor2D;
  /** U: [u, g·u] */
  recurrentKernel: tf.Tensor2D;
  /** b: [g·u] */
  bias: tf.Tensor1D;
}

/** Parameters of one recurrent layer: g·u·(d + u + 1) (W, U, b per gate). Independent of the sequence length. */
export function rnnParamCount(kind: CellKind, d: number, u: number): number {
  return GATES[kind] * u * (d + u + 1);
}

/**
 * The units of `kind` whose parameter count on input width `d` is nearest to `params` (ties: fewer units).
 * Used to compare cells "of similar size".
 */
export function unitsForParams(kind: CellKind, d: number, params: number): number {
  let best = 1;
  for (let u = 1; rnnParamCount(kind, d, u) <= 4 * params + 100; u++) {
    if (Math.abs(rnnParamCount(kind, d, u) - params) < Math.abs(rnnParamCount(kind, d, best) - params)) best = u;
  }
  return best;
}

export interface RecurrentLayerArgs {
  units: number;
  /** [T, d]; T may be null (any length). */
  inputShape?: (number | null)[];
  /** Output every h_t ([B, T, u]) instead of h_T ([B, u]). Default false. */
  returnSequences?: boolean;
  /** Also output the final state(s): [output, h] (SimpleRNN, GRU) or [output, h, c] (LSTM). Default false. */
  returnState?: boolean;
  /** Seeds the kernel (Glorot uniform) and recurrent kernel (orthogonal) initialisers. */
  seed?: number;
  name?: string;
}

type Initializer = ReturnType<typeof tf.initializers.zeros>;
/** TF.js's Initializer base class (not exported by name; `getInitializer` checks `instanceof` it). */
const InitializerBase = Object.getPrototypeOf(tf.initializers.zeros().constructor) as new () => Initializer;

/**
 * LSTM bias initializer [0 (i), 1 (f), 0 (c̃), 0 (o)], u each: the forget gate starts open (Keras's
 * `unit_forget_bias`), without the tensors TF.js's own `unitForgetBias` leaks. Registered for saving and loading.
 */
class ForgetBiasOne extends InitializerBase {
  static className = "CourseForgetBiasOne";
  apply(shape: number[]): tf.Tensor {
    const u = shape[0] / 4;
    return tf.tidy(() => tf.concat([tf.zeros([u]), tf.ones([u]), tf.zeros([2 * u])]));
  }
}
tf.serialization.registerClass(ForgetBiasOne as unknown as tf.serialization.SerializableConstructor<Initializer>);

/**
 * A TF.js recurrent layer of `kind`, tanh activation, sigmoid gates (not TF.js's hardSigmoid default); the LSTM's
 * forget-gate bias starts at 1 (Keras's default, not TF.js's).
 */
export function recurrentLayer(kind: CellKind, args: RecurrentLayerArgs): tf.layers.Layer {
  const {units, inputShape, returnSequences = false, returnState = false, seed, name} = args;
  const common = {
    units,
    returnSequences,
    returnState,
    name,
    activation: "tanh" as const,
    ...(inputShape ? {inputShape: inputShape as number[]} : {}),
    ...(seed == null
      ? {}
      : {
          kernelInitializer: tf.initializers.glorotUniform({seed}),
          recurrentInitializer: tf.initializers.orthogonal({seed: seed + 1})
        })
  };
  if (kind === "simpleRNN") return tf.layers.simpleRNN(common);
  if (kind === "lstm")
    return tf.layers.lstm({...common, recurrentActivation: "sigmoid", biasInitializer: new ForgetBiasOne()});
  return tf.layers.gru({...common, recurrentActivation: "sigmoid"});
}

/** The layer's own kernel, recurrent kernel and bias (the variables' tensors, not copies: do not dispose). */
export function layerWeights(layer: tf.layers.Layer): RnnWeights {
  const byName = (suffix: string) => {
    const w = layer.weights.find((v) => v.originalName.split("/").pop() === suffix);
    if (!w) throw new Error(`layer ${layer.name} has no ${suffix} (is it built?)`);
    return w.read();
  };
  return {
    kernel: byName("kernel") as tf.Tensor2D,
    recurrentKernel: byName("recurrent_kernel") as tf.Tensor2D,
    bias: byName("bias") as tf.Tensor1D
  };
}

/** Units of a set of weights: U is [u, g·u]. */
export const unitsOf = (w: RnnWeights): number => w.recurrentKernel.shape[0];

/** SimpleRNN: h_t = tanh(x_t·W + h_{t−1}·U + b). x [B, d], h [B, u] -> [B, u]. */
export function simpleRnnStep(x: tf.Tensor2D, h: tf.Tensor2D, w: RnnWeights): tf.Tensor2D {
  return tf.tidy(
    () => tf.tanh(tf.add(tf.add(tf.matMul(x, w.kernel), tf.matMul(h, w.recurrentKernel)), w.bias)) as tf.Tensor2D
  );
}

/** LSTM: gates i, f, c̃, o from one [B, 4u] pre-activation; c_t = f∘c + i∘c̃, h_t = o∘tanh(c_t). */
export function lstmStep(
  x: tf.Tensor2D,
  s: {h: tf.Tensor2D; c: tf.Tensor2D},
  w: RnnWeights
): {h: tf.Tensor2D; c: tf.Tensor2D} {
  return tf.tidy(() => {
    const z = tf.add(tf.add(tf.matMul(x, w.kernel), tf.matMul(s.h, w.recurrentKernel)), w.bias); // [B, 4u]
    const [zi, zf, zc, zo] = tf.split(z, 4, 1); // 4 × [B, u]
    const i = tf.sigmoid(zi);
    const f = tf.sigmoid(zf);
    const o = tf.sigmoid(zo);
    const c = tf.add(tf.mul(f, s.c), tf.mul(i, tf.tanh(zc))) as tf.Tensor2D; // [B, u]
    const h = tf.mul(o, tf.tanh(c)) as tf.Tensor2D;
    return {h, c};
  });
}

/**
 * GRU (reset_after = false): z, r = σ(x·W_{z,r} + h·U_{z,r} + b_{z,r}), h̃ = tanh(x·W_h + b_h + (r∘h)·U_h),
 * h_t = z∘h + (1 − z)∘h̃. x [B, d], h [B, u] -> [B, u].
 */
export function gruStep(x: tf.Tensor2D, h: tf.Tensor2D, w: RnnWeights): tf.Tensor2D {
  return tf.tidy(() => {
    const u = unitsOf(w);
    const xw = tf.add(tf.matMul(x, w.kernel), w.bias); // [B, 3u]
    const [xz, xr, xh] = tf.split(xw, 3, 1);
    const [uzr, uh] = tf.split(w.recurrentKernel, [2 * u, u], 1); // [u, 2u], [u, u]
    const [hz, hr] = tf.split(tf.matMul(h, uzr), 2, 1);
    const z = tf.sigmoid(tf.add(xz, hz));
    const r = tf.sigmoid(tf.add(xr, hr));
    const candidate = tf.tanh(tf.add(xh, tf.matMul(tf.mul(r, h) as tf.Tensor2D, uh)));
    return tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate)) as tf.Tensor2D;
  });
}

/**
 * The unrolled forward pass from h_0 = 0 (and c_0 = 0): the same W, U, b at every step.
 * xs [B, T, d] -> outputs [B, T, u] (h_1 … h_T) and `states[t − 1]` = h_t [B, u]. The caller disposes both.
 */
export function unroll(kind: CellKind, xs: tf.Tensor3D, w: RnnWeights): {outputs: tf.Tensor3D; states: tf.Tensor2D[]} {
  return tf.tidy(() => {
    const [batch, steps] = xs.shape;
    const u = unitsOf(w);
    let h = tf.zeros([batch, u]) as tf.Tensor2D;
    let c = tf.zeros([batch, u]) as tf.Tensor2D;
    const states: tf.Tensor2D[] = [];
    const inputs = tf.unstack(xs, 1) as tf.Tensor2D[]; // T × [B, d]
    for (let t = 0; t < steps; t++) {
      if (kind === "lstm") ({h, c} = lstmStep(inputs[t], {h, c}, w));
      else h = kind === "gru" ? gruStep(inputs[t], h, w) : simpleRnnStep(inputs[t], h, w);
      states.push(h);
    }
    const outputs = (steps > 0 ? tf.stack(states, 1) : tf.zeros([batch, 0, u])) as tf.Tensor3D;
    return {outputs, states};
  });
}

/** One step of the SimpleRNN in plain numbers, for the page's step-by-step view. */
export interface SimpleRnnTrace {
  /** 1-based step. */
  t: number;
  x: number[];
  hPrev: number[];
  /** W_xh x_t + W_hh h_{t−1} + b, before tanh. */
  pre: number[];
  h: number[];
}

/**
 * Matrices in the formula's column-vector form h_t = tanh(W_xh x_t + W_hh h_{t−1} + b):
 * W_xh [u][d], W_hh [u][u], b [u].
 */
export interface SimpleRnnMatrices {
  Wxh: number[][];
  Whh: number[][];
  b: number[];
}

/** TF.js's [d, u] kernel and [u, u] recurrent kernel, transposed into the formula's W_xh, W_hh (a read-back). */
export function simpleRnnMatrices(w: RnnWeights): SimpleRnnMatrices {
  const transpose = (m: number[][]) => m[0]?.map((_, j) => m.map((row) => row[j])) ?? [];
  return {
    Wxh: transpose(w.kernel.arraySync()),
    Whh: transpose(w.recurrentKernel.arraySync()),
    b: w.bias.arraySync()
  };
}

/**
 * The SimpleRNN in plain JavaScript, no tensors: h_0 = 0, then for t = 1 … T
 * h_t = tanh(W_xh x_t + W_hh h_{t−1} + b). `xs[t − 1]` is x_t.
 */
export function traceSimpleRnn(xs: number[][], w: SimpleRnnMatrices): SimpleRnnTrace[] {
  const u = w.b.length;
  let hPrev = new Array<number>(u).fill(0);
  return xs.map((x, i) => {
    const pre = w.b.map(
      (bj, j) =>
        bj + x.reduce((s, xk, k) => s + w.Wxh[j][k] * xk, 0) + hPrev.reduce((s, hk, k) => s + w.Whh[j][k] * hk, 0)
    );
    const h = pre.map(Math.tanh);
    const step = {t: i + 1, x: [...x], hPrev, pre, h};
    hPrev = h;
    return step;
  });
}
