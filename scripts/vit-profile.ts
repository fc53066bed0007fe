import "@tensorflow/tfjs-backend-wasm";
import {setupBackend, tf} from "../lib/tf.js";
import {registerCourseKernels} from "../lib/backend/kernels.js";
import {TINY_VIT_MODELS} from "../lib/models/vit.js";
const info = await setupBackend([process.env.TFJS_BACKEND ?? "wasm"]);
if (!process.env.STOCK) registerCourseKernels(info.name);
const B = 64;
const x = tf.randomUniform([B, 28, 28, 1]);
const y = tf.oneHot(tf.randomUniform([B], 0, 10, "int32"), 10);
const model = TINY_VIT_MODELS.vit();
const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
const opt = tf.train.adam(0.001);
const step = () =>
  tf.tidy(() => {
    const {grads} = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x, {training: true}) as tf.Tensor) as tf.Scalar,
      vars
    );
    opt.applyGradients(grads);
  });
step();
step();
const t0 = performance.now();
for (let i = 0; i < 5; i++) step();
const ms = (performance.now() - t0) / 5;
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
  `${info.name}: ${ms.toFixed(0)} ms/step (${((B / ms) * 1000).toFixed(0)} img/s), kernels ${total.toFixed(0)} ms, ${prof.kernels.length} calls`
);
for (const [name, e] of [...by.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 16))
  console.log(
    `  ${name.padEnd(22)} ${e.ms.toFixed(1).padStart(7)} ms ${((100 * e.ms) / total).toFixed(0).padStart(3)}% ${e.n}`
  );
const shapes = new Map<string, number>();
for (const k of prof.kernels)
  if (k.name === "Slice" || k.name === "Add" || k.name === "Tile") {
    const s = k.name + " " + JSON.stringify(k.inputShapes) + "->" + JSON.stringify(k.outputShapes);
    shapes.set(s, (shapes.get(s) ?? 0) + 1);
  }
for (const [s, n] of [...shapes.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(n, s);
