/**
 * Chapters 5 「Seq2Seq」 and 6 「Attention」: the encoder–decoder models of lib/models/seq2seq.ts. Shapes; the
 * decoder is causal under teacher forcing; attention weights are a distribution with 0 on PAD sources; the five
 * steps computed by hand (`attentionSteps`) equal the model's own logits; greedy decoding (the one-step decoder)
 * agrees with the teacher-forced model fed its own outputs; a short training run beats chance; nothing leaks.
 */
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {END, PAD, SOURCE_VOCAB, START, TARGET_VOCAB, dateTask, encodePairs} from "../../../lib/data/dates.js";
import {
  ATTENTION_KINDS,
  attentionSteps,
  contextVectors,
  decodeTimes,
  evaluate,
  seq2seq,
  translate,
  translationLoss,
  type AttentionKind,
  type EncoderCell,
  type Seq2Seq
} from "../../../lib/models/seq2seq.js";
import {mulberry32} from "../../../lib/random.js";
import {countFlops} from "../../../lib/analysis/flops.js";
import {modelGraph} from "../../../lib/analysis/graph.js";
import {evaluate as evaluateLoop, train} from "../../../lib/train/loop.js";
import {maxAbsDiff, randomArray} from "../helpers.js";
import {ContextConcat, contextConcat} from "../../../lib/models/layers/context-concat.js";

const SV = 12;
const TV = 9;

/** A small model with random (not initial) weights: the biases and embeddings matter too. */
function small(attention: AttentionKind, cell: EncoderCell = "lstm", seed = 3, contextEveryStep = false): Seq2Seq {
  const s = seq2seq({
    sourceVocab: SV,
    targetVocab: TV,
    embedding: 5,
    units: 6,
    cell,
    attention,
    seed,
    contextEveryStep
  });
  const rand = mulberry32(seed + 100);
  const fresh = s.model.getWeights().map((w) =>
    tf.tensor(
      Array.from({length: w.size}, () => (rand() * 2 - 1) * 0.8),
      w.shape
    )
  );
  s.model.setWeights(fresh);
  tf.dispose(fresh);
  return s;
}

/** Left-padded source ids [N, S] and decoder inputs [N, T] (START first), seeded. */
function batch(n: number, s: number, t: number, seed: number, pads: number[] = []) {
  const rand = mulberry32(seed);
  const src: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < s; j++) src.push(j < (pads[i] ?? 0) ? PAD : 4 + Math.floor(rand() * (SV - 4)));
  }
  const dec: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < t; j++) dec.push(j === 0 ? START : 3 + Math.floor(rand() * (TV - 3)));
  return {
    source: tf.tensor2d(src, [n, s], "int32"),
    decoderInput: tf.tensor2d(dec, [n, t], "int32"),
    decRows: Array.from({length: n}, (_, i) => dec.slice(i * t, (i + 1) * t))
  };
}

const logitsOf = (s: Seq2Seq, source: tf.Tensor2D, dec: tf.Tensor2D) =>
  tf.tidy(() => (s.model.apply([source, dec]) as tf.Tensor).arraySync() as number[][][]);

const COMBOS: [AttentionKind, EncoderCell][] = [
  ...ATTENTION_KINDS.map((a): [AttentionKind, EncoderCell] => [a, "lstm"]),
  ["dot", "gru"],
  ["none", "gru"]
];

describe("seq2seq", () => {
  test.each(COMBOS)("shapes: attention %s, cell %s", (attention, cell) => {
    const s = small(attention, cell);
    const b = batch(3, 7, 5, 1, [0, 2, 4]);
    const logits = s.model.apply([b.source, b.decoderInput]) as tf.Tensor;
    expect(logits.shape).toEqual([3, 5, TV]);
    const predicted = s.model.predict([b.source, b.decoderInput]) as tf.Tensor;
    expect(maxAbsDiff(predicted.arraySync(), logits.arraySync())).toBe(0);
    predicted.dispose();
    const encoded = s.encode(b.source);
    expect(encoded.keys.shape).toEqual([3, 7, 6]);
    expect(encoded.states.map((t) => t.shape)).toEqual(
      cell === "lstm"
        ? [
            [3, 6],
            [3, 6]
          ]
        : [[3, 6]]
    );
    const decoded = s.decode(b.decoderInput, encoded.states, encoded, b.source);
    expect(decoded.weights?.shape).toEqual(attention === "none" ? undefined : [3, 5, 7]);
    // decode from the encoder's state = the model
    expect(maxAbsDiff(decoded.logits.arraySync(), logits.arraySync())).toBeLessThan(1e-6);
    // the context vector is the encoder's final h, = its last output (left padding: the last real token)
    const ctx = contextVectors(s, b.source);
    expect(maxAbsDiff(ctx, encoded.states[0].arraySync())).toBe(0);
    const last = tf.tidy(() => encoded.keys.slice([0, 6, 0], [3, 1, 6]).reshape([3, 6]).arraySync());
    expect(maxAbsDiff(ctx, last)).toBeLessThan(1e-6);
    // parameters: embeddings, two RNNs, head
    const g = cell === "lstm" ? 4 : 3;
    const rnnParams = 2 * g * 6 * (5 + 6 + 1);
    const head = attention === "none" ? 0 : (attention === "additive" ? 2 * 36 + 6 : 0) + 12 * 6;
    expect(s.model.countParams()).toBe(SV * 5 + TV * 5 + rnnParams + head + 6 * TV + TV);
    tf.dispose([logits, encoded.keys, ...encoded.states, decoded.hidden, decoded.logits, ...decoded.states]);
    if (decoded.weights) decoded.weights.dispose();
    tf.dispose([b.source, b.decoderInput]);
    s.dispose();
  });

  test.each(ATTENTION_KINDS)("teacher forcing is causal (%s): changing decoder input k leaves steps < k", (kind) => {
    const s = small(kind);
    const b = batch(2, 6, 6, 2, [0, 3]);
    const k = 3;
    const changed = b.decRows.map((row) => row.map((v, j) => (j === k ? (v === 5 ? 6 : 5) : v)));
    const dec2 = tf.tensor2d(changed, [2, 6], "int32");
    const a = logitsOf(s, b.source, b.decoderInput);
    const c = logitsOf(s, b.source, dec2);
    for (let i = 0; i < 2; i++) {
      expect(maxAbsDiff(a[i].slice(0, k), c[i].slice(0, k))).toBe(0);
      expect(maxAbsDiff(a[i].slice(k), c[i].slice(k))).toBeGreaterThan(1e-4);
    }
    // and the source matters (the context vector reaches the decoder)
    const other = tf.tensor2d(
      (b.source.arraySync() as number[][]).map((r) => r.map((v) => (v === PAD ? PAD : v === 4 ? 5 : 4))),
      [2, 6],
      "int32"
    );
    expect(maxAbsDiff(logitsOf(s, other, b.decoderInput), a)).toBeGreaterThan(1e-4);
    tf.dispose([b.source, b.decoderInput, dec2, other]);
    s.dispose();
  });

  test.each(["dot", "additive"] as const)("%s attention weights: sum 1, exactly 0 on PAD sources", (kind) => {
    const s = small(kind);
    const pads = [0, 2, 5];
    const b = batch(3, 7, 4, 3, pads);
    const encoded = s.encode(b.source);
    const decoded = s.decode(b.decoderInput, encoded.states, encoded, b.source);
    const w = decoded.weights!.arraySync();
    for (let i = 0; i < 3; i++) {
      for (const row of w[i]) {
        expect(row.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 5);
        for (let j = 0; j < pads[i]; j++) expect(row[j]).toBe(0);
        for (let j = pads[i]; j < 7; j++) expect(row[j]).toBeGreaterThan(0);
      }
    }
    // PAD sources do not change a padded example's attention output except through the encoder states
    tf.dispose([encoded.keys, ...encoded.states, decoded.hidden, decoded.logits, ...decoded.states, decoded.weights!]);
    tf.dispose([b.source, b.decoderInput]);
    s.dispose();
  });

  test.each(["dot", "additive"] as const)("attentionSteps (%s) equals the model's own logits at the step", (kind) => {
    const s = small(kind);
    const b = batch(1, 7, 5, 4, [2]);
    const full = logitsOf(s, b.source, b.decoderInput)[0];
    for (const t of [0, 2, 4]) {
      const steps = attentionSteps(s, b.source, b.decRows[0].slice(0, t + 1));
      expect(steps.masked).toEqual([true, true, false, false, false, false, false]);
      expect(steps.scores.slice(0, 2)).toEqual([-Infinity, -Infinity]);
      expect(steps.weights.slice(0, 2)).toEqual([0, 0]);
      expect(steps.weights.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 10);
      if (kind === "dot") {
        // score = h_t · h̄_s, by hand
        const byHand = steps.keys[4].reduce((sum, v, j) => sum + v * steps.query[j], 0);
        expect(steps.scores[4]).toBeCloseTo(byHand, 10);
      }
      expect(maxAbsDiff(steps.logits, full[t])).toBeLessThan(1e-4);
      const best = full[t].indexOf(Math.max(...full[t]));
      expect(steps.token).toBe(TARGET_VOCAB.tokens[best]);
    }
    tf.dispose([b.source, b.decoderInput]);
    s.dispose();
  });

  test.each(COMBOS)(
    "translate (%s, %s) = the teacher-forced model's argmax when fed its own outputs",
    (attention, cell) => {
      const s = small(attention, cell, 9);
      const b = batch(4, 6, 1, 5, [0, 1, 3, 5]);
      const out = translate(s, b.source, {maxLength: 6});
      const ids = out.map((o) => o.tokens.map((tok) => TARGET_VOCAB.tokens.indexOf(tok)));
      out.forEach((o, i) => {
        const row = ids[i];
        const dec = tf.tensor2d([[START, ...row]], [1, row.length + 1], "int32");
        const src = tf.tidy(() => b.source.slice([i, 0], [1, 6]) as tf.Tensor2D);
        const logits = logitsOf(s, src, dec)[0];
        const argmax = logits.map((l) => l.indexOf(Math.max(...l)));
        expect(argmax).toEqual(o.ended ? [...row, END] : [...row, argmax.at(-1)]);
        if (attention !== "none") {
          expect(o.attention).toHaveLength(row.length);
          const weights = tf.tidy(() => {
            const encoded = s.encode(src);
            return s.decode(dec, encoded.states, encoded, src).weights!.arraySync()[0];
          });
          expect(maxAbsDiff(o.attention, weights.slice(0, row.length))).toBeLessThan(1e-5);
        } else expect(o.attention).toBeUndefined();
        tf.dispose([dec, src]);
      });
      const times = decodeTimes(s, b.source, [1, 4], {repeats: 1});
      expect(times.map((t) => t.length)).toEqual([1, 4]);
      for (const t of times) expect(t.ms).toBeGreaterThan(0);
      tf.dispose([b.source, b.decoderInput]);
      s.dispose();
    }
  );

  test("translationLoss: masked token cross-entropy, token and sequence accuracy by hand", () => {
    const loss = translationLoss();
    // two examples, T = 3, V = 3; example 0: targets [1, 2, PAD]; example 1: [2, 2, 1]
    const y = tf.tensor2d(
      [
        [1, 2, PAD],
        [2, 2, 1]
      ],
      [2, 3],
      "int32"
    );
    const z = tf.tensor3d([
      [
        [0, 2, 0],
        [0, 0, 1],
        [5, 0, 0]
      ],
      [
        [0, 0, 3],
        [0, 1, 0],
        [0, 1, 0]
      ]
    ]);
    const value = (m: {sum: typeof loss.sum; count: typeof loss.count}) =>
      tf.tidy(() => m.sum(y, z).dataSync()[0] / m.count(y).dataSync()[0]);
    // hits: ex0 both real right; ex1 step 0 right, step 1 wrong (argmax 1 vs 2), step 2 right → 4/5 tokens, 1/2 seq
    expect(value(loss.metrics.accuracy)).toBeCloseTo(4 / 5, 6);
    expect(value(loss.metrics.sequence)).toBeCloseTo(1 / 2, 6);
    const lse = (v: number[]) => Math.log(v.reduce((a, b) => a + Math.exp(b), 0));
    const nll =
      lse([0, 2, 0]) - 2 + (lse([0, 0, 1]) - 1) + (lse([0, 0, 3]) - 3) + (lse([0, 1, 0]) - 0) + (lse([0, 1, 0]) - 1);
    expect(value(loss)).toBeCloseTo(nll / 5, 5);
    tf.dispose([y, z]);
  });

  test("a short training on the date task beats chance by a wide margin; evaluate is consistent", async () => {
    const task = dateTask({train: 1500, test: 100, seed: 5, maxDates: 1});
    const lengths = {source: task.sourceLength, target: task.targetLength};
    const data = encodePairs(task.train, lengths);
    const test = encodePairs(task.test, lengths);
    const s = seq2seq({
      sourceVocab: SOURCE_VOCAB.size,
      targetVocab: TARGET_VOCAB.size,
      embedding: 16,
      units: 32,
      attention: "dot",
      seed: 1
    });
    const optimizer = tf.train.adam(0.02);
    const before = tf.memory().numTensors;
    for await (const e of train({
      model: s.model,
      optimizer,
      train: {xs: [data.source, data.decoderInput], ys: data.target},
      loss: translationLoss(),
      epochs: 2,
      batchSize: 64,
      taskBudgetMs: Infinity,
      yieldFn: async () => {}
    })) {
      if (e.type === "batch") expect(Number.isFinite(e.loss)).toBe(true);
    }
    // Adam's two moments per weight; the loop leaves nothing else
    expect(tf.memory().numTensors - before).toBe(2 * s.model.trainableWeights.length);
    const teacherForced = await evaluateLoop(
      s.model,
      {xs: [test.source, test.decoderInput], ys: test.target},
      {loss: translationLoss()}
    );
    // chance: 1 / V per token (V = 24); a model that learnt the format and most digits is far above it
    expect(teacherForced.accuracy).toBeGreaterThan(0.6);
    const ev = evaluate(s, task.test, lengths, {buckets: [0, 10]});
    expect(ev.tokenAccuracy).toBeGreaterThan(0.4);
    expect(ev.results).toHaveLength(100);
    expect(ev.sequenceAccuracy).toBeCloseTo(ev.results.filter((r) => r.correct).length / 100, 12);
    expect(ev.byLength.map((b) => b.length)).toEqual([0, 10]);
    expect(ev.byLength.reduce((a, b) => a + b.examples, 0)).toBe(100);
    // token accuracy: the buckets' token-weighted mean is the overall one; an example is correct only if all its
    // tokens are
    const tokens = ev.results.reduce((a, r) => a + r.tokens, 0);
    expect(ev.results.reduce((a, r) => a + r.tokenHits, 0) / tokens).toBeCloseTo(ev.tokenAccuracy, 12);
    const bucketTokens = (b: (typeof ev.byLength)[0]) =>
      ev.results
        .filter((r) => (b.length === 0 ? r.sourceLength < 10 : r.sourceLength >= 10))
        .reduce((a, r) => a + r.tokens, 0);
    expect(ev.byLength.reduce((a, b) => a + b.tokenAccuracy * bucketTokens(b), 0) / tokens).toBeCloseTo(
      ev.tokenAccuracy,
      12
    );
    for (const r of ev.results) if (r.correct) expect(r.tokenHits).toBe(r.tokens);
    // a result is correct exactly when the output text is the target
    for (const r of ev.results) expect(r.correct).toBe(r.output === r.target);
    // and its output is translate's
    const again = translate(s, test.source, {maxLength: lengths.target});
    expect(ev.results.map((r) => r.output)).toEqual(again.map((t) => t.text));
    optimizer.dispose();
    s.dispose();
    tf.dispose([data.source, data.decoderInput, data.target, test.source, test.decoderInput, test.target]);
  });

  test.each(COMBOS)("the analysis counts the parameters TF.js counts (%s, %s)", (attention, cell) => {
    const s = seq2seq({
      sourceVocab: SV,
      targetVocab: TV,
      embedding: 5,
      units: 6,
      attention,
      cell,
      lengths: {source: 7, target: 4}
    });
    const totals = countFlops(modelGraph(s.model));
    expect(totals.uncounted).toEqual([]);
    expect(totals.params).toBe(s.model.countParams());
    s.dispose();
  });

  test("dispose frees every weight", () => {
    const before = tf.memory().numTensors;
    for (const kind of ATTENTION_KINDS) {
      const s = seq2seq({sourceVocab: SV, targetVocab: TV, units: 4, embedding: 3, attention: kind});
      expect(tf.memory().numTensors).toBeGreaterThan(before);
      s.dispose();
      s.dispose(); // twice is harmless
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});

/** The context vector at every decoder step (Cho et al. 2014): `contextEveryStep: true`. */
describe("seq2seq with contextEveryStep", () => {
  const CTX_COMBOS: [AttentionKind, EncoderCell][] = [
    ["none", "lstm"],
    ["none", "gru"],
    ["dot", "lstm"]
  ];

  test("ContextConcat: [x, c repeated along time], by hand; its output shape; no weights", () => {
    const x = randomArray([2, 3, 2], 1) as number[][][];
    const c = randomArray([2, 4], 2) as number[][];
    const layer = contextConcat();
    const out = tf.tidy(() => (layer.apply([tf.tensor3d(x), tf.tensor2d(c)]) as tf.Tensor).arraySync()) as number[][][];
    const byHand = x.map((row, b) => row.map((xt) => [...xt, ...c[b]].map(Math.fround))); // float32 copies
    expect(out).toEqual(byHand);
    expect(
      layer.computeOutputShape([
        [null, 3, 2],
        [null, 4]
      ])
    ).toEqual([null, 3, 6]);
    expect(
      layer.computeOutputShape([
        [null, null, 2],
        [null, 4]
      ])
    ).toEqual([null, null, 6]);
    expect(layer.countParams()).toBe(0);
    expect(ContextConcat.className).toBe("ContextConcat");
  });

  test.each(CTX_COMBOS)(
    "builds (attention %s, cell %s): shapes, the layer in the graph, parameters",
    (attention, cell) => {
      const before = tf.memory().numTensors;
      const s = small(attention, cell, 3, true);
      expect(s.options.contextEveryStep).toBe(true);
      const b = batch(3, 7, 5, 1, [0, 2, 4]);
      const logits = logitsOf(s, b.source, b.decoderInput);
      expect([logits.length, logits[0].length, logits[0][0].length]).toEqual([3, 5, TV]);
      expect(s.model.layers.filter((l) => l.getClassName() === "ContextConcat")).toHaveLength(1);
      // the decoder RNN reads embedding + units inputs: its kernel grows by units × gates × units
      const g = cell === "lstm" ? 4 : 3;
      const encoder = g * 6 * (5 + 6 + 1);
      const decoder = g * 6 * (5 + 6 + 6 + 1);
      const head = attention === "none" ? 0 : 12 * 6;
      expect(s.model.countParams()).toBe(SV * 5 + TV * 5 + encoder + decoder + head + 6 * TV + TV);
      tf.dispose([b.source, b.decoderInput]);
      s.dispose();
      expect(tf.memory().numTensors).toBe(before);
      // and the analysis counts what TF.js counts (ContextConcat: a copy, no parameters), on fixed lengths
      const fixed = seq2seq({
        sourceVocab: SV,
        targetVocab: TV,
        embedding: 5,
        units: 6,
        attention,
        cell,
        contextEveryStep: true,
        lengths: {source: 7, target: 4}
      });
      const totals = countFlops(modelGraph(fixed.model));
      expect(totals.uncounted).toEqual([]);
      expect(totals.params).toBe(fixed.model.countParams());
      fixed.dispose();
    }
  );

  test.each(CTX_COMBOS)(
    "the decoder stays causal (attention %s, cell %s); the source reaches it",
    (attention, cell) => {
      const s = small(attention, cell, 4, true);
      const b = batch(2, 6, 6, 2, [0, 3]);
      const k = 3;
      const changed = b.decRows.map((row) => row.map((v, j) => (j === k ? (v === 5 ? 6 : 5) : v)));
      const dec2 = tf.tensor2d(changed, [2, 6], "int32");
      const a = logitsOf(s, b.source, b.decoderInput);
      const c = logitsOf(s, b.source, dec2);
      for (let i = 0; i < 2; i++) {
        expect(maxAbsDiff(a[i].slice(0, k), c[i].slice(0, k))).toBe(0);
        expect(maxAbsDiff(a[i].slice(k), c[i].slice(k))).toBeGreaterThan(1e-4);
      }
      const other = tf.tensor2d(
        (b.source.arraySync() as number[][]).map((r) => r.map((v) => (v === PAD ? PAD : v === 4 ? 5 : 4))),
        [2, 6],
        "int32"
      );
      expect(maxAbsDiff(logitsOf(s, other, b.decoderInput), a)).toBeGreaterThan(1e-4);
      tf.dispose([b.source, b.decoderInput, dec2, other]);
      s.dispose();
    }
  );

  test("the extra decoder inputs are the only change: with their kernel rows zeroed, the plain model's logits", () => {
    // two models of the same seed differ only in the decoder's input; their encoders are identical
    const plain = seq2seq({sourceVocab: SV, targetVocab: TV, embedding: 5, units: 6, seed: 5});
    const fed = seq2seq({sourceVocab: SV, targetVocab: TV, embedding: 5, units: 6, seed: 5, contextEveryStep: true});
    const b = batch(2, 6, 4, 6);
    expect(maxAbsDiff(contextVectors(plain, b.source), contextVectors(fed, b.source))).toBe(0);
    // zero the decoder kernel's rows that read the context: the fed model then equals the plain one
    // with the context rows in place, the logits differ at every step (the context reaches each one)
    const plainLogits = logitsOf(plain, b.source, b.decoderInput);
    const fedLogits = logitsOf(fed, b.source, b.decoderInput);
    for (let t = 0; t < 4; t++) expect(maxAbsDiff(fedLogits[0][t], plainLogits[0][t])).toBeGreaterThan(1e-4);
    const kernel = fed.model.getLayer("decoder").getWeights()[0]; // [5 + 6, gates × 6]
    const plainKernel = plain.model.getLayer("decoder").getWeights()[0]; // [5, gates × 6]
    const rows = kernel.arraySync() as number[][];
    const cut = tf.tensor2d([...(plainKernel.arraySync() as number[][]), ...rows.slice(5).map((r) => r.map(() => 0))]);
    const rest = fed.model.getLayer("decoder").getWeights().slice(1);
    fed.model.getLayer("decoder").setWeights([cut, ...rest]);
    plain.model.getLayer("decoder").setWeights([plainKernel, ...rest]);
    expect(maxAbsDiff(logitsOf(fed, b.source, b.decoderInput), logitsOf(plain, b.source, b.decoderInput))).toBeLessThan(
      1e-6
    );
    tf.dispose([cut, b.source, b.decoderInput]);
    plain.dispose();
    fed.dispose();
  });

  test.each(CTX_COMBOS)(
    "translate (attention %s, cell %s) = the teacher-forced argmax fed its own outputs",
    (attention, cell) => {
      const s = small(attention, cell, 9, true);
      const b = batch(4, 6, 1, 5, [0, 1, 3, 5]);
      const out = translate(s, b.source, {maxLength: 6});
      out.forEach((o, i) => {
        const row = o.tokens.map((tok) => TARGET_VOCAB.tokens.indexOf(tok));
        const dec = tf.tensor2d([[START, ...row]], [1, row.length + 1], "int32");
        const src = tf.tidy(() => b.source.slice([i, 0], [1, 6]) as tf.Tensor2D);
        const argmax = logitsOf(s, src, dec)[0].map((l) => l.indexOf(Math.max(...l)));
        expect(argmax).toEqual(o.ended ? [...row, END] : [...row, argmax.at(-1)]);
        tf.dispose([dec, src]);
      });
      tf.dispose([b.source, b.decoderInput]);
      s.dispose();
    }
  );
});
