/**
 * Profile one training step of chapter 8's tiny ViT (`TINY_VIT_MODELS.vit`, batch 64, Adam) in Node:
 *   npx vite-node --config vitest.config.ts scripts/vit-profile.ts
 * Environment: TFJS_BACKEND (default wasm), STOCK=1 (no course kernels), BASELINE=1 (the issue's baseline:
 * tf.layers.layerNormalization as the final norm and `useVitBaseline(true)`), HEADS=<layout> (a head layout of
 * lib/models/layers/attention.ts). Prints ms per step, kernel time by kernel name, and the most frequent shapes.
 */
import "@tensorflow/tfjs-backend-wasm";
import {setupBackend, tf} from "../lib/tf.js";
import {
  registerCourseKernels,
  unregisterCourseKernels,
  useSimdBatchedProduct,
  VIT_COURSE_KERNELS
} from "../lib/backend/kernels.js";
import {setHeadLayout, type HeadLayout} from "../lib/models/layers/attention.js";
import {TINY_VIT_MODELS, useVitBaseline} from "../lib/models/vit.js";
import {vitOptimizer} from "../lib/train/vit-recipe.js";

const info = await setupBackend([process.env.TFJS_BACKEND ?? "wasm"]);
if (!process.env.STOCK) registerCourseKernels(info.name);
const baseline = Boolean(process.env.BASELINE);
useVitBaseline(baseline);
if (baseline) unregisterCourseKernels(info.name, VIT_COURSE_KERNELS);
useSimdBatchedProduct(!baseline && !process.env.NO_SIMD_BMM);
if (process.env.HEADS) setHeadLayout(process.env.HEADS as HeadLayout);
const B = 64;
const x = tf.randomUniform([B, 28, 28, 1]);
const y = tf.oneHot(tf.randomUniform([B], 0, 10, "int32"), 10);
const model = TINY_VIT_MODELS.vit({seed: 1, finalNorm: baseline ? "layers" : "course"});
const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
const opt = baseline ? tf.train.adam(0.001) : vitOptimizer();
const step = () =>
  tf.tidy(() => {
    const loss = () => tf.losses.softmaxCrossEntropy(y, model.apply(x, {training: true}) as tf.Tensor) as tf.Scalar;
    opt.applyGradients(tf.variableGrads(loss, vars).grads);
  });
step();
step();
const times: number[] = [];
const cpu0 = process.cpuUsage();
for (let i = 0; i < 7; i++) {
  const t0 = performance.now();
  step();
  times.push(performance.now() - t0);
}
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000 / times.length;
times.sort((a, b) => a - b);
const ms = times[times.length >> 1];
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
  `${info.name}${process.env.STOCK ? " stock" : " course"}${baseline ? " baseline" : ""}: median ${ms.toFixed(0)} ms/step ` +
    `(best ${times[0].toFixed(0)}; ${((B / ms) * 1000).toFixed(0)} img/s; CPU ${cpuMs.toFixed(0)} ms/step), kernels ${total.toFixed(0)} ms, ${prof.kernels.length} calls`
);
for (const [name, e] of [...by.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 16)) {
  console.log(
    `  ${name.padEnd(22)} ${e.ms.toFixed(1).padStart(7)} ms ${((100 * e.ms) / total).toFixed(0).padStart(3)}% ${e.n}`
  );
}
const shapes = new Map<string, {ms: number; n: number}>();
for (const k of prof.kernels) {
  const s = `${k.name} ${JSON.stringify(k.inputShapes)} -> ${JSON.stringify(k.outputShapes)}`;
  const e = shapes.get(s) ?? {ms: 0, n: 0};
  e.ms += Number(k.kernelTimeMs);
  e.n++;
  shapes.set(s, e);
}
console.log("by shape (ms, calls):");
for (const [s, e] of [...shapes.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20)) {
  console.log(`  ${e.ms.toFixed(1).padStart(6)} ${String(e.n).padStart(5)}  ${s}`);
}
tf.dispose([x, y]);
opt.dispose();
model.dispose();
