/**
 * Encoder–decoder attention, chapter 6 「Attention」 (claims A1, A2): every decoder hidden state h_t (the query) is
 * scored against every encoder hidden state h̄_s (the keys, which are also the values), the scores of PAD source
 * positions are masked out, a softmax over the source positions gives the attention weights, and their weighted sum
 * of the h̄_s is the attention output (Luong et al.'s "context vector" c_t).
 *
 * Scores:
 * - `"dot"`: score(h_t, h̄_s) = h_tᵀ h̄_s. M.-T. Luong, H. Pham & C. D. Manning, "Effective Approaches to
 *   Attention-based Neural Machine Translation", EMNLP 2015 (their "dot").
 * - `"additive"`: score(h_t, h̄_s) = vᵀ tanh(W1 h̄_s + W2 h_t). D. Bahdanau, K. Cho & Y. Bengio, "Neural Machine
 *   Translation by Jointly Learning to Align and Translate", ICLR 2015. Bahdanau et al. score the *previous* decoder
 *   state s_{t−1} and feed c_t into the decoder RNN; here the score function is used in Luong's architecture (on
 *   h_t, c_t combined after the RNN), which Luong et al. call "concat". W1, W2 have no bias; Bahdanau's W, U neither.
 *
 * Inputs [query [B, T, u], keys [B, S, u], source ids [B, S]] → outputs [attention output [B, T, u], weights
 * [B, T, S]]. A source position whose id is `padToken` gets weight exactly 0 (score −1e9 before the softmax).
 */
import {tf} from "../../tf.js";
import {MASKED_SCORE} from "./attention.js";
import {registerCourseLayer} from "./register.js";

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export type AttentionScore = "dot" | "additive";

export interface AttentionArgs extends LayerArgs {
  score: AttentionScore;
  /** Source id that marks padding. Default 0. */
  padToken?: number;
  /** Seed of the additive score's initializers (Glorot uniform). */
  seed?: number;
}

export class SourceAttention extends tf.layers.Layer {
  static className = "SourceAttention";
  readonly score: AttentionScore;
  readonly padToken: number;
  private readonly seed?: number;
  private w1: tf.LayerVariable | null = null;
  private w2: tf.LayerVariable | null = null;
  private v: tf.LayerVariable | null = null;

  constructor(args: AttentionArgs) {
    super(args);
    this.score = args.score;
    this.padToken = args.padToken ?? 0;
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shapes = inputShape as tf.Shape[];
    const u = shapes[1][2];
    if (u == null || shapes[0][2] !== u) {
      throw new RangeError(
        `SourceAttention needs query and keys of the same known width, got ${shapes[0]}, ${shapes[1]}`
      );
    }
    if (this.score === "additive") {
      const init = (k: number) => tf.initializers.glorotUniform(this.seed == null ? {} : {seed: this.seed + k});
      this.w1 = this.addWeight("w1", [u, u], "float32", init(0));
      this.w2 = this.addWeight("w2", [u, u], "float32", init(1));
      this.v = this.addWeight("v", [u, 1], "float32", init(2));
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape[] {
    const [query, keys] = inputShape as tf.Shape[];
    return [
      [query[0], query[1], keys[2]],
      [query[0], query[1], keys[1]]
    ];
  }

  /** Unmasked scores [B, T, S]. */
  scores(query: tf.Tensor3D, keys: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => {
      if (this.score === "dot") return tf.matMul(query, keys, false, true); // [B, T, u] · [B, u, S]
      const [b, t, u] = query.shape;
      const s = keys.shape[1];
      const k1 = tf.reshape(tf.matMul(tf.reshape(keys, [b * s, u]), this.w1!.read() as tf.Tensor2D), [b, 1, s, u]);
      const q2 = tf.reshape(tf.matMul(tf.reshape(query, [b * t, u]), this.w2!.read() as tf.Tensor2D), [b, t, 1, u]);
      const hidden = tf.tanh(tf.add(k1, q2)); // [B, T, S, u]
      return tf.reshape(tf.matMul(tf.reshape(hidden, [b * t * s, u]), this.v!.read() as tf.Tensor2D), [b, t, s]);
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
    return tf.tidy(() => {
      const [query, keys, source] = inputs as [tf.Tensor3D, tf.Tensor3D, tf.Tensor2D];
      const real = tf.cast(tf.notEqual(tf.cast(source, "int32"), this.padToken), "float32"); // [B, S]
      const penalty = tf.expandDims(tf.mul(tf.sub(1, real), MASKED_SCORE), 1); // [B, 1, S]
      const weights = tf.softmax(tf.add(this.scores(query, keys), penalty)) as tf.Tensor3D; // [B, T, S]
      return [tf.matMul(weights, keys), weights]; // [B, T, u], [B, T, S]
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      score: this.score,
      padToken: this.padToken,
      ...(this.seed === undefined ? {} : {seed: this.seed})
    };
  }
}

registerCourseLayer(SourceAttention, {
  cost: (call) => {
    const [[t, u], [s]] = call.inputShapes; // query [T, u], keys [S, u], source [S]
    const additive = call.config.score === "additive";
    // scores T·S·u MACs (dot) or W1 h̄ (S·u²), W2 h (T·u²), vᵀ tanh(·) (T·S·u); weighted sum T·S·u
    const scoreMacs = additive ? s * u * u + t * u * u + t * s * u : t * s * u;
    const macs = scoreMacs + t * s * u;
    // additive: the add and the tanh over [T, S, u]; mask, softmax (exp, sum, divide) over [T, S]
    const elementwise = (additive ? 2 * t * s * u : 0) + 4 * t * s;
    return {params: additive ? 2 * u * u + u : 0, macs, flops: 2 * macs + elementwise};
  },
  receptiveField: "global"
});

export function sourceAttention(args: AttentionArgs): SourceAttention {
  return new SourceAttention(args);
}
