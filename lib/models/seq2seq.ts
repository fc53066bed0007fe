/**
 * Encoder–decoder (Seq2Seq) models for chapter 5 「Seq2Seq」 (claims S1, S2) and chapter 6 「Attention」 (A1, A2).
 *
 * - Seq2Seq: I. Sutskever, O. Vinyals & Q. V. Le, "Sequence to Sequence Learning with Neural Networks", NeurIPS
 *   2014; K. Cho et al., "Learning Phrase Representations using RNN Encoder–Decoder for Statistical Machine
 *   Translation", EMNLP 2014. The encoder reads the source; its final state (h, and c for an LSTM) is the context
 *   vector that starts the decoder; the decoder is trained with teacher forcing (its input at step t is the true
 *   token y_{t−1}, START at t = 1).
 * - Attention (`attention: "dot" | "additive"`): M.-T. Luong, H. Pham & C. D. Manning, EMNLP 2015 (the
 *   architecture: attention after the decoder RNN, h̃_t = tanh(W_c [c_t; h_t]) then the output layer; the "dot"
 *   score) and D. Bahdanau, K. Cho & Y. Bengio, ICLR 2015 (the "additive" score), see ./layers/source-attention.ts.
 *
 *     source ids [N, S] → Embedding → encoder RNN → h̄_1 … h̄_S, final state (context vector)
 *     decoder input [N, T] (START y_1 … ) → Embedding → decoder RNN from the context vector → h_1 … h_T
 *     none:      logits_t = W_o h_t + b
 *     attention: a_t = softmax_s(score(h_t, h̄_s)) (PAD sources masked), c_t = Σ_s a_ts h̄_s,
 *                h̃_t = tanh(W_c [c_t; h_t]), logits_t = W_o h̃_t + b
 *
 * Built with the functional API, so that a one-step decoder model shares the trained layers (the Keras /
 * tfjs-examples "translation" pattern: the decoder RNN applied with `initialState` to a length-1 input): `translate`
 * runs the encoder once, then one step per output token (greedy decoding), batched.
 *
 * Cells are `recurrentLayer`'s (./rnn.ts: sigmoid gates, the LSTM's forget bias at 1). The encoder's PAD positions
 * (left padding) are read by the encoder like any token (the model learns to ignore them; the last encoder step is
 * the last real token); attention masks them.
 */
import {tf} from "../tf.js";
import {END, PAD, START, TARGET_VOCAB, encodePairs, joinTarget, targetTokens, type DateExample} from "../data/dates.js";
import {sequenceAccuracy, tokenCrossEntropy, type Loss} from "../train/losses.js";
import {sourceAttention, type SourceAttention} from "./layers/source-attention.js";
import {recurrentLayer} from "./rnn.js";

export type EncoderCell = "lstm" | "gru";
export type AttentionKind = "none" | "dot" | "additive";

export const ATTENTION_KINDS: readonly AttentionKind[] = ["none", "dot", "additive"];

/**
 * The pages' and the bench's settings for the date task (lib/data/dates.ts): model size, training and data.
 * Measured on wasm in Node on the 2-core development machine (shared, so speeds vary by 2–3×), batch 64, Adam 0.02,
 * 4,000 training and 500 held-out examples of 1–3 dates (source ≤ 35 tokens, target ≤ 39), 29 Nov:
 * - dot attention: held-out greedy sequence accuracy 99.8 % after 60 s (259 steps, 276 sequences/s); ≥ 95 % is
 *   reached after about 175 steps (11,000 sequences) in every run, which took 40–70 s depending on the load.
 * - no attention, the same 60 s (354 steps, 378 sequences/s): 0.4 % (greedy token accuracy 37 %; 0–1 % in every
 *   source-length bucket): the outputs inspected had the format and the year right, the month and day wrong.
 *   Its greedy token accuracy falls with the source length (69 % on 6–11 source tokens, 35 % on 30+): the
 *   bottleneck shows in tokens first. After 1,500 steps (~7 min): 42 % of the shortest bucket right, 0 % of the rest.
 * Adam 0.01 needed about 250 steps for the attention model to pass 95 %. (scripts/seq2seq-measure.ts)
 * In headless Chromium (wasm, `npm run bench -- --only-seq2seq`): dot 99.8 % after 60 s at 302 sequences/s, none 0.0 %
 * at 405 sequences/s.
 */
export const SEQ2SEQ_DEFAULTS = {
  /** Embedding width. */
  embedding: 32,
  /** RNN units (encoder and decoder). */
  units: 64,
  batchSize: 64,
  /** Adam's learning rate. */
  learningRate: 0.02,
  /** Training examples. */
  train: 4000,
  /** Held-out test examples. */
  test: 500,
  /** Dates per example: 1 … maxDates. */
  maxDates: 3,
  /** Epochs when not stopped by time. */
  epochs: 20,
  /**
   * The loop's longest task (lib/train/loop.ts `taskBudgetMs`). A recurrent step costs mostly per-kernel overhead
   * (thousands of small kernels per step), so the loop's default (100 ms: cut into micro-batches of 8) divided the
   * speed by about 3.5 in Chromium (79 vs 276 sequences/s); whole batches of 64 take ~250 ms per task here.
   */
  taskBudgetMs: 1000,
  /** Training budget of the pages' and the bench's run, in seconds. */
  seconds: 60,
  seed: 1
};

export interface Seq2SeqOptions {
  sourceVocab: number;
  targetVocab: number;
  /** Default `SEQ2SEQ_DEFAULTS.embedding`. */
  embedding?: number;
  /** Default `SEQ2SEQ_DEFAULTS.units`. */
  units?: number;
  /** Encoder AND decoder cell. Default "lstm". */
  cell?: EncoderCell;
  /** "none": the plain Seq2Seq, the decoder starts from the context vector only. Default "none". */
  attention?: AttentionKind;
  /** Seeds every initializer. Default `SEQ2SEQ_DEFAULTS.seed`. */
  seed?: number;
  /**
   * Fixed source and decoder-input lengths for the graph's input shapes (the analysis and summaries need known
   * shapes). Default null: any length. The model itself runs on any length either way.
   */
  lengths?: {source: number; target: number} | null;
}

/** The encoder's outputs: h̄ [N, S, u] (keys and values of attention) and its final state [h (, c)] [N, u] each. */
export interface Encoded {
  keys: tf.Tensor3D;
  states: tf.Tensor2D[];
}

/** The decoder's outputs on tokens [N, T] from `states`. */
export interface Decoded {
  /** h_1 … h_T [N, T, u]. */
  hidden: tf.Tensor3D;
  logits: tf.Tensor3D;
  /** The final state [h (, c)]. */
  states: tf.Tensor2D[];
  /** Attention weights [N, T, S] (attention models). */
  weights?: tf.Tensor3D;
}

export interface Seq2Seq {
  options: Required<Seq2SeqOptions>;
  /**
   * Teacher-forced training model: [source [N,S] int32, decoderInput [N,T] int32] → logits [N,T,V]. A functional
   * model (its graph is what the summary, the analysis and saving see); `apply` and `predict` run `encode` then
   * `decode`. Train it with lib/train/loop.ts (`fit`, `evaluate` and `execute` run TF.js's graph executor, which
   * fails on it: see `seq2seq`).
   */
  model: tf.LayersModel;
  /** The encoder on source ids [N, S] (the model's own layers). The caller disposes. */
  encode(source: tf.Tensor2D, training?: boolean): Encoded;
  /**
   * The decoder on tokens [N, T] (teacher forcing: START y_1 …; greedy decoding: one token, T = 1) from `states`
   * (the encoder's final state, or the previous step's), attending to `encoded.keys`. The caller disposes.
   */
  decode(
    tokens: tf.Tensor2D,
    states: tf.Tensor2D[],
    encoded: Encoded,
    source: tf.Tensor2D,
    training?: boolean
  ): Decoded;
  /** Every weight it made (the layers are shared by nothing else). Safe to call twice. */
  dispose(): void;
}

/** The layers that turn decoder states into logits. */
interface Head {
  attention?: SourceAttention;
  concat?: tf.layers.Layer;
  combine?: tf.layers.Layer;
  output: tf.layers.Layer;
}

/** The head on symbolic or concrete tensors alike. */
function applyHead<T extends tf.SymbolicTensor | tf.Tensor>(
  head: Head,
  decoded: T,
  keys: T,
  source: T,
  kwargs: {training?: boolean} = {}
): {logits: T; weights?: T} {
  if (!head.attention) return {logits: head.output.apply(decoded, kwargs) as T};
  const [context, weights] = head.attention.apply([decoded, keys, source] as tf.Tensor[], kwargs) as T[];
  const joined = head.concat!.apply([context, decoded] as tf.Tensor[], kwargs) as T; // [c_t; h_t]
  const combined = head.combine!.apply(joined, kwargs) as T; // tanh(W_c [c_t; h_t])
  return {logits: head.output.apply(combined, kwargs) as T, weights};
}

export function seq2seq(opts: Seq2SeqOptions): Seq2Seq {
  const options: Required<Seq2SeqOptions> = {
    embedding: SEQ2SEQ_DEFAULTS.embedding,
    units: SEQ2SEQ_DEFAULTS.units,
    cell: "lstm",
    attention: "none",
    seed: SEQ2SEQ_DEFAULTS.seed,
    lengths: null,
    ...opts
  };
  const {sourceVocab, targetVocab, embedding, units, cell, attention, seed, lengths} = options;
  const uniform = (k: number) => tf.initializers.randomUniform({minval: -0.05, maxval: 0.05, seed: seed + k});
  const glorot = (k: number) => tf.initializers.glorotUniform({seed: seed + k});

  const source = tf.input({shape: [lengths?.source ?? null], dtype: "int32", name: "source"});
  const decoderInput = tf.input({shape: [lengths?.target ?? null], dtype: "int32", name: "decoder_input"});
  const sourceEmbedding = tf.layers.embedding({
    inputDim: sourceVocab,
    outputDim: embedding,
    embeddingsInitializer: uniform(1),
    name: "source_embedding"
  });
  const targetEmbedding = tf.layers.embedding({
    inputDim: targetVocab,
    outputDim: embedding,
    embeddingsInitializer: uniform(2),
    name: "target_embedding"
  });
  const rnn = (name: string, k: number) =>
    recurrentLayer(cell, {units, returnSequences: true, returnState: true, seed: seed + k, name});
  const encoderRnn = rnn("encoder", 3);
  const decoderRnn = rnn("decoder", 5);
  const head: Head = {
    output: tf.layers.dense({units: targetVocab, kernelInitializer: glorot(7), name: "logits"})
  };
  if (attention !== "none") {
    head.attention = sourceAttention({score: attention, padToken: PAD, seed: seed + 8, name: "attention"});
    head.concat = tf.layers.concatenate({axis: -1, name: "attention_concat"});
    head.combine = tf.layers.dense({
      units,
      activation: "tanh",
      useBias: false,
      kernelInitializer: glorot(11),
      name: "combine"
    });
  }

  // the graph (builds every layer)
  const [keys, ...encoderStates] = encoderRnn.apply(sourceEmbedding.apply(source)) as tf.SymbolicTensor[];
  const [decoded] = decoderRnn.apply(targetEmbedding.apply(decoderInput), {
    initialState: encoderStates
  }) as tf.SymbolicTensor[];
  const model = tf.model({
    inputs: [source, decoderInput],
    outputs: applyHead(head, decoded, keys, source).logits,
    name: `seq2seq_${attention}_${cell}`
  });

  // The forward pass by hand, on the same layers. TF.js 4.22's graph executor runs a layer once per output that
  // its consumers read (the encoder three times: h̄, h, c) with one shared kwargs object, into which the decoder's
  // RNN.apply writes `initialState`: a re-run encoder then throws ("When inputs is an array, neither initialState
  // or constants should be provided"). Running the layers in order avoids both.
  const encode = (src: tf.Tensor2D, training = false): Encoded =>
    tf.tidy(() => {
      const [k, ...states] = encoderRnn.apply(sourceEmbedding.apply(src, {training}), {training}) as tf.Tensor[];
      return {keys: k as tf.Tensor3D, states: states as tf.Tensor2D[]};
    });
  const decode = (
    tokens: tf.Tensor2D,
    states: tf.Tensor2D[],
    encoded: Encoded,
    src: tf.Tensor2D,
    training = false
  ): Decoded =>
    tf.tidy(() => {
      const [hidden, ...next] = decoderRnn.apply(targetEmbedding.apply(tokens, {training}), {
        initialState: states,
        training
      }) as tf.Tensor[];
      const {logits, weights} = applyHead<tf.Tensor>(head, hidden, encoded.keys, src, {training});
      return {
        hidden: hidden as tf.Tensor3D,
        logits: logits as tf.Tensor3D,
        states: next as tf.Tensor2D[],
        ...(weights ? {weights: weights as tf.Tensor3D} : {})
      };
    });
  model.call = (inputs: tf.Tensor | tf.Tensor[], kwargs: {training?: boolean} = {}) =>
    tf.tidy(() => {
      const [src, tokens] = inputs as tf.Tensor2D[];
      const encoded = encode(src, kwargs.training ?? false);
      return decode(tokens, encoded.states, encoded, src, kwargs.training ?? false).logits;
    });
  // predict through the same path (TF.js's predict runs the graph executor, see above)
  model.predict = (x: tf.Tensor | tf.Tensor[]) => tf.tidy(() => model.apply(x, {training: false}) as tf.Tensor);

  let disposed = false;
  return {
    options,
    model,
    encode,
    decode,
    dispose() {
      if (disposed) return;
      disposed = true;
      model.dispose();
    }
  };
}

/**
 * Per-token cross-entropy on logits with PAD masked (the mean over real target tokens, END included); metrics: token
 * accuracy ("accuracy") and teacher-forced sequence accuracy ("sequence": every real token of the example right).
 */
export function translationLoss(): Loss {
  const base = tokenCrossEntropy({padToken: PAD, from: "logits"});
  return {
    ...base,
    name: "translationLoss",
    metrics: {accuracy: base.metrics.accuracy, sequence: sequenceAccuracy({padToken: PAD})}
  };
}

export interface Translation {
  /** Greedy decoding until END or maxLength (END not included). */
  tokens: string[];
  /** joinTarget(tokens). */
  text: string;
  /** [output step][source position] weights (PAD positions 0); attention models only. One row per token. */
  attention?: number[][];
  /** Whether it emitted END (false: cut at maxLength). */
  ended: boolean;
}

interface Greedy {
  ids: number[][];
  ended: boolean[];
  attention?: number[][][];
}

/** Greedy decoding of `steps` steps at most (all of them when `stopAtEnd` is false). */
function greedy(s: Seq2Seq, source: tf.Tensor2D, steps: number, stopAtEnd: boolean): Greedy {
  const n = source.shape[0];
  const ids: number[][] = Array.from({length: n}, () => []);
  const ended = new Array<boolean>(n).fill(false);
  const attention: number[][][] | undefined = s.options.attention !== "none" ? ids.map(() => []) : undefined;
  const encoded = s.encode(source);
  let states = encoded.states.map((t) => tf.clone(t));
  let token = tf.fill([n, 1], START, "int32") as tf.Tensor2D;
  try {
    for (let t = 0; t < steps; t++) {
      const out = s.decode(token, states, encoded, source);
      const next = tf.tidy(() => tf.cast(tf.reshape(tf.argMax(out.logits, -1), [n, 1]), "int32")) as tf.Tensor2D;
      const values = next.dataSync();
      const w = out.weights ? (out.weights.arraySync() as number[][][]) : undefined;
      tf.dispose([token, ...states, out.hidden, out.logits, ...(out.weights ? [out.weights] : [])]);
      token = next;
      states = out.states;
      for (let i = 0; i < n; i++) {
        if (ended[i] && stopAtEnd) continue;
        if (values[i] === END && stopAtEnd) {
          ended[i] = true;
          continue;
        }
        ids[i].push(values[i]);
        if (attention && w) attention[i].push(w[i][0]);
      }
      if (stopAtEnd && ended.every(Boolean)) break;
    }
  } finally {
    tf.dispose([token, ...states, encoded.keys, ...encoded.states]);
  }
  return {ids, ended, attention};
}

/** The default longest output: enough for three dates with weekdays (3 × 14 tokens + 2 commas), with room. */
const DEFAULT_MAX_LENGTH = 48;

/**
 * Greedy decoding, batched over N: the encoder once, then one decoder step per output token (the step model shares
 * the trained layers), each step's input the previous step's argmax. Until END or `maxLength` tokens.
 */
export function translate(s: Seq2Seq, source: tf.Tensor2D, opts: {maxLength?: number} = {}): Translation[] {
  const {ids, ended, attention} = greedy(s, source, opts.maxLength ?? DEFAULT_MAX_LENGTH, true);
  return ids.map((row, i) => {
    const tokens = row.map((id) => TARGET_VOCAB.tokens[id] ?? "<unk>");
    return {tokens, text: joinTarget(tokens), ended: ended[i], ...(attention ? {attention: attention[i]} : {})};
  });
}

/** The encoder's final hidden state h_S per example (the context vector; an LSTM's c is not included): [N][units]. */
export function contextVectors(s: Seq2Seq, source: tf.Tensor2D): number[][] {
  const {keys, states} = s.encode(source);
  const h = states[0].arraySync() as number[][];
  tf.dispose([keys, ...states]);
  return h;
}

export interface Evaluation {
  /** Greedy decoding vs the target, on the given examples: the share of examples whose output is exactly right. */
  sequenceAccuracy: number;
  /** Share of target positions (tokens and END) where greedy decoding's output has the target's token. */
  tokenAccuracy: number;
  /** By source length (tokens; `length` = the bucket's start): sequence and token accuracy of its examples. */
  byLength: {length: number; examples: number; sequenceAccuracy: number; tokenAccuracy: number}[];
  /** Per example; `tokenHits` of `tokens` target positions (tokens and END) right. */
  results: {
    source: string;
    target: string;
    output: string;
    correct: boolean;
    sourceLength: number;
    tokenHits: number;
    tokens: number;
  }[];
}

/** Bucket starts: about five equal widths over the source lengths seen. */
function defaultBuckets(lengths: number[]): number[] {
  const lo = Math.min(...lengths);
  const hi = Math.max(...lengths);
  const width = Math.max(1, Math.ceil((hi - lo + 1) / 5));
  const starts: number[] = [];
  for (let b = lo; b <= hi; b += width) starts.push(b);
  return starts;
}

/**
 * Greedy decoding of `examples` (encoded with `lengths`), compared with their targets, overall and by source length
 * (bucket = the largest start ≤ the example's source length; default: five equal widths over the lengths seen).
 */
export function evaluate(
  s: Seq2Seq,
  examples: DateExample[],
  lengths: {source: number; target: number},
  opts: {buckets?: number[]; batchSize?: number} = {}
): Evaluation {
  const batchSize = opts.batchSize ?? 256;
  const results: Evaluation["results"] = [];
  let tokenHits = 0;
  let tokenCount = 0;
  for (let start = 0; start < examples.length; start += batchSize) {
    const chunk = examples.slice(start, start + batchSize);
    const pairs = encodePairs(chunk, lengths);
    let out: Translation[];
    try {
      out = translate(s, pairs.source, {maxLength: lengths.target});
    } finally {
      tf.dispose([pairs.source, pairs.decoderInput, pairs.target]);
    }
    chunk.forEach((e, i) => {
      const want = [...targetTokens(e.target), "<end>"];
      const got = out[i].ended ? [...out[i].tokens, "<end>"] : out[i].tokens;
      const hits = want.filter((tok, k) => got[k] === tok).length;
      tokenHits += hits;
      tokenCount += want.length;
      const correct = want.length === got.length && want.every((tok, k) => got[k] === tok);
      results.push({
        source: e.source,
        target: e.target,
        output: out[i].text,
        correct,
        sourceLength: pairs.sourceLengths[i],
        tokenHits: hits,
        tokens: want.length
      });
    });
  }
  const buckets = [...(opts.buckets ?? defaultBuckets(results.map((r) => r.sourceLength)))].sort((a, b) => a - b);
  const byLength = buckets.map((length) => ({length, examples: 0, right: 0, hits: 0, tokens: 0}));
  for (const r of results) {
    let k = -1;
    for (let j = 0; j < buckets.length; j++) if (buckets[j] <= r.sourceLength) k = j;
    if (k < 0) continue;
    byLength[k].examples++;
    byLength[k].right += r.correct ? 1 : 0;
    byLength[k].hits += r.tokenHits;
    byLength[k].tokens += r.tokens;
  }
  const right = results.filter((r) => r.correct).length;
  return {
    sequenceAccuracy: results.length ? right / results.length : 0,
    tokenAccuracy: tokenCount ? tokenHits / tokenCount : 0,
    byLength: byLength.map((b) => ({
      length: b.length,
      examples: b.examples,
      sequenceAccuracy: b.examples ? b.right / b.examples : NaN,
      tokenAccuracy: b.tokens ? b.hits / b.tokens : NaN
    })),
    results
  };
}

/** A2: one decoder step of an attention model, the notes' five steps in plain numbers from the model's weights. */
export interface AttentionSteps {
  /** 1. The decoder hidden state h_t (the query); keys = values = the encoder hidden states h̄_s. */
  query: number[];
  /** [S][units], PAD positions included (flagged in `masked`). */
  keys: number[][];
  masked: boolean[];
  /** 2. score_s = h_t · h̄_s (dot) or vᵀ tanh(W1 h̄_s + W2 h_t) (additive); masked → −∞. */
  scores: number[];
  /** 3. softmax (sum 1). */
  weights: number[];
  /** 4. Σ_s weights_s · h̄_s (attention output). */
  output: number[];
  /** 5. tanh(W_c [output; h_t]) … */
  combined: number[];
  /** … → W_o · combined + b. */
  logits: number[];
  /** argmax */
  token: string;
}

const matrix = (t: tf.Tensor): number[][] => t.arraySync() as number[][];
/** x [d] · W [d][k] → [k] (Keras kernels are [in, out]). */
const vecMat = (x: number[], w: number[][]): number[] =>
  w[0].map((_, j) => x.reduce((sum, xi, i) => sum + xi * w[i][j], 0));
const dot = (a: number[], b: number[]): number => a.reduce((sum, ai, i) => sum + ai * b[i], 0);

/**
 * One decoder step t = decoderInput.length − 1 of an attention model on one source [1, S], in plain numbers: the
 * query and keys come from the model (teacher-forced on `decoderInput` = START and the tokens so far), the rest is
 * computed here from the attention, combine and output layers' weights. Equals the model's own logits at step t.
 */
export function attentionSteps(s: Seq2Seq, source: tf.Tensor2D, decoderInput: number[]): AttentionSteps {
  if (s.options.attention === "none") throw new Error("attentionSteps needs an attention model");
  if (source.shape[0] !== 1) throw new Error(`attentionSteps takes one source [1, S], got [${source.shape}]`);
  const t = decoderInput.length - 1;
  if (t < 0) throw new Error("decoderInput needs at least START");
  const {keys, query} = tf.tidy(() => {
    const input = tf.tensor2d([decoderInput], [1, decoderInput.length], "int32");
    const encoded = s.encode(source);
    const out = s.decode(input, encoded.states, encoded, source);
    return {
      keys: (encoded.keys.arraySync() as number[][][])[0],
      query: (out.hidden.arraySync() as number[][][])[0][t]
    };
  });
  const ids = Array.from(source.dataSync());
  const masked = ids.map((id) => id === PAD);
  const layer = (name: string) => s.model.getLayer(name);
  const [w1, w2, v] = layer("attention").getWeights();
  const scores = keys.map((key, i) => {
    if (masked[i]) return -Infinity;
    if (s.options.attention === "dot") return dot(query, key);
    const a = vecMat(key, matrix(w1));
    const b = vecMat(query, matrix(w2));
    return dot(
      a.map((ai, j) => Math.tanh(ai + b[j])),
      matrix(v).map((row) => row[0])
    );
  });
  const max = Math.max(...scores);
  const exps = scores.map((x) => (x === -Infinity ? 0 : Math.exp(x - max)));
  const total = exps.reduce((a, b) => a + b, 0);
  const weights = exps.map((e) => e / total);
  const output = query.map((_, j) => keys.reduce((sum, key, i) => sum + weights[i] * key[j], 0));
  const combined = vecMat([...output, ...query], matrix(layer("combine").getWeights()[0])).map(Math.tanh);
  const [wo, bo] = layer("logits").getWeights();
  const bias = Array.from(bo.dataSync());
  const logits = vecMat(combined, matrix(wo)).map((x, j) => x + bias[j]);
  const best = logits.indexOf(Math.max(...logits));
  return {
    query,
    keys,
    masked,
    scores,
    weights,
    output,
    combined,
    logits,
    token: TARGET_VOCAB.tokens[best] ?? "<unk>"
  };
}

/**
 * Greedy decoding is sequential: the median time (ms, of `repeats` runs) to decode N = source.shape[0] outputs of
 * each length (exactly that many decoder steps, the encoder included).
 */
export function decodeTimes(
  s: Seq2Seq,
  source: tf.Tensor2D,
  outputLengths: number[],
  opts: {repeats?: number} = {}
): {length: number; ms: number}[] {
  const repeats = opts.repeats ?? 3;
  greedy(s, source, 1, false); // warm-up (kernel set-up, first-call costs)
  return outputLengths.map((length) => {
    const times: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      greedy(s, source, length, false);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return {length, ms: times[Math.floor(times.length / 2)]};
  });
}
