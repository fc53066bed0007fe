/** Not a test: kernel time of one training step of the default Seq2Seq models on wasm (tf.profile). */
import "@tensorflow/tfjs-backend-wasm";
import {setupBackend, tf} from "../lib/tf.js";
import {registerCourseKernels} from "../lib/backend/kernels.js";
import {dateTask, encodePairs, SOURCE_VOCAB, TARGET_VOCAB} from "../lib/data/dates.js";
import {SEQ2SEQ_DEFAULTS, seq2seq, translationLoss, type AttentionKind} from "../lib/models/seq2seq.js";

const info = await setupBackend([process.env.TFJS_BACKEND ?? "wasm"]);
registerCourseKernels(info.name);
const d = SEQ2SEQ_DEFAULTS;
const task = dateTask({train: d.batchSize, test: 10, seed: 1, maxDates: d.maxDates});
const lengths = {source: task.sourceLength, target: task.targetLength};
const data = encodePairs(task.train, lengths);
const loss = translationLoss();
for (const attention of (process.argv[2] ?? "dot,none").split(",") as AttentionKind[]) {
  const s = seq2seq({sourceVocab: SOURCE_VOCAB.size, targetVocab: TARGET_VOCAB.size, attention});
  const vars = s.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const opt = tf.train.adam(0.01);
  const step = () =>
    tf.tidy(() => {
      const {grads} = tf.variableGrads(
        () => loss.sum(data.target, s.model.apply([data.source, data.decoderInput], {training: true}) as tf.Tensor),
        vars
      );
      opt.applyGradients(grads);
    });
  step();
  step();
  const t0 = performance.now();
  for (let i = 0; i < 3; i++) step();
  const ms = (performance.now() - t0) / 3;
  const prof = await tf.profile(step);
  const by = new Map<string, {ms: number; n: number}>();
  for (const k of prof.kernels) {
    const e = by.get(k.name) ?? {ms: 0, n: 0};
    e.ms += Number(k.kernelTimeMs);
    e.n++;
    by.set(k.name, e);
  }
  const total = [...by.values()].reduce((a, b) => a + b.ms, 0);
  console.log(
    `${attention}: ${ms.toFixed(0)} ms/step (${((d.batchSize / ms) * 1000).toFixed(0)} seq/s), kernels ${total.toFixed(0)} ms, ${prof.kernels.length} calls`
  );
  for (const [name, e] of [...by.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14)) {
    console.log(
      `  ${name.padEnd(22)} ${e.ms.toFixed(1).padStart(7)} ms ${((100 * e.ms) / total).toFixed(0).padStart(3)}% ${e.n} calls`
    );
  }
  opt.dispose();
  s.dispose();
}
tf.dispose([data.source, data.decoderInput, data.target]);
