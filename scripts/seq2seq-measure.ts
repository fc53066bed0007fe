/**
 * Not a test: train the date-task Seq2Seq models on wasm in Node for a time budget and report held-out greedy
 * sequence accuracy (overall and by source length) and training speed. Used to tune SEQ2SEQ_DEFAULTS.
 *
 *   npx tsx scripts/seq2seq-measure.ts [seconds] [attention kinds, comma-separated] [key=value overrides…]
 */
import "@tensorflow/tfjs-backend-wasm";
import {setupBackend, tf} from "../lib/tf.js";
import {registerCourseKernels} from "../lib/backend/kernels.js";
import {dateTask, encodePairs, SOURCE_VOCAB, TARGET_VOCAB} from "../lib/data/dates.js";
import {SEQ2SEQ_DEFAULTS, evaluate, seq2seq, translationLoss, type AttentionKind} from "../lib/models/seq2seq.js";
import {train} from "../lib/train/loop.js";

const info = await setupBackend([process.env.TFJS_BACKEND ?? "wasm"]);
registerCourseKernels(info.name);
const seconds = Number(process.argv[2] ?? SEQ2SEQ_DEFAULTS.seconds);
const kinds = (process.argv[3] ?? "dot,none").split(",") as AttentionKind[];
const d: Record<string, number | string> = {...SEQ2SEQ_DEFAULTS};
for (const kv of process.argv.slice(4)) {
  const [k, v] = kv.split("=");
  d[k] = k === "cell" ? v : Number(v);
}
console.log(info.name, JSON.stringify(d));
const maxSteps = Number(d.steps ?? Infinity);
const every = Number(d.every ?? 0);
const task = dateTask({
  train: d.train as number,
  test: d.test as number,
  seed: d.seed as number,
  maxDates: d.maxDates as number
});
const lengths = {source: task.sourceLength, target: task.targetLength};
const data = encodePairs(task.train, lengths);
console.log(`S=${lengths.source} T=${lengths.target}`);
for (const attention of kinds) {
  const s = seq2seq({
    sourceVocab: SOURCE_VOCAB.size,
    targetVocab: TARGET_VOCAB.size,
    embedding: d.embedding as number,
    units: d.units as number,
    cell: (d.cell as "lstm" | "gru") ?? "lstm",
    attention,
    seed: d.seed as number
  });
  const optimizer = tf.train.adam(d.learningRate as number);
  const controller = new AbortController();
  const t0 = performance.now();
  let steps = 0;
  let paused = 0;
  let last = "";
  for await (const e of train({
    model: s.model,
    optimizer,
    train: {xs: [data.source, data.decoderInput], ys: data.target},
    loss: translationLoss(),
    epochs: 1000,
    batchSize: d.batchSize as number,
    seed: d.seed as number,
    taskBudgetMs: d.taskBudgetMs as number,
    signal: controller.signal,
    yieldFn: async () => {}
  })) {
    if (e.type === "batch") {
      steps++;
      last = `loss ${e.loss.toFixed(3)} tok ${e.accuracy.toFixed(3)} seq ${e.metrics?.sequence.toFixed(3)}`;
      if (performance.now() - t0 > seconds * 1000 || steps >= maxSteps) controller.abort();
      if (every > 0 && steps % every === 0) {
        const t2 = performance.now();
        const probe = evaluate(s, task.test.slice(0, 200), lengths);
        paused += performance.now() - t2;
        console.log(
          `  step ${steps} (${((performance.now() - t0 - paused) / 1000).toFixed(1)} s of training): held-out seq acc ${probe.sequenceAccuracy.toFixed(3)} ${last}`
        );
      }
    }
    if (e.type === "epoch") console.log(`  epoch ${e.epoch} ${((performance.now() - t0) / 1000).toFixed(1)} s ${last}`);
  }
  const trainMs = performance.now() - t0 - paused;
  const t1 = performance.now();
  const ev = evaluate(s, task.test, lengths);
  const evalMs = performance.now() - t1;
  console.log(
    `${attention}: ${steps} steps in ${(trainMs / 1000).toFixed(1)} s = ${((steps * (d.batchSize as number)) / (trainMs / 1000)).toFixed(0)} seq/s; ` +
      `held-out greedy seq acc ${ev.sequenceAccuracy.toFixed(3)}, tok ${ev.tokenAccuracy.toFixed(3)} (eval ${evalMs.toFixed(0)} ms)`
  );
  console.log(
    "  by length",
    ev.byLength
      .map((b) => `${b.length}+: ${b.sequenceAccuracy.toFixed(2)} tok ${b.tokenAccuracy.toFixed(2)} (${b.examples})`)
      .join(", ")
  );
  console.log(
    "  wrong:",
    ev.results
      .filter((r) => !r.correct)
      .slice(0, 2)
      .map((r) => `${r.source} → ${r.output} (want ${r.target})`)
  );
  optimizer.dispose();
  s.dispose();
}
tf.dispose([data.source, data.decoderInput, data.target]);
console.log("tensors left", tf.memory().numTensors);
