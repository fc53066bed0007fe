/**
 * `npm run bench` (not part of `npm test`): TF.js speed per backend in headless Chromium, in one run, on the
 * built site. Reports ratios against the best backend, because these machines are shared and noisy.
 *
 * Measured per backend: matMul and conv2d forward GFLOP/s, first-call latency (a fresh op, shaders or
 * wasm warm-up included), and training examples/s of the classic tfjs-examples MNIST CNN (batch 64).
 * The course registers no kernels of its own yet (issue 5), so "stock" and "course" are the same here.
 * Writes test-results/bench.json.
 */
import {mkdirSync, writeFileSync} from "node:fs";
import {launch} from "../browser/chromium.js";
import {serve} from "../browser/server.js";

const site = await serve("dist");
const browser = await launch();
const page = await browser.newPage();
// the page registers the wasm backend when the reader has chosen it (src/components/backend.ts)
await page.addInitScript(() => localStorage.setItem("dl4i:backend", "wasm"));
await page.goto(`${site.url}/filter.html`, {waitUntil: "load"});
await page.waitForFunction(() => !document.querySelector("main observablehq-loading, main [data-busy]"), undefined, {
  timeout: 120_000
});

// runs in the page, as a string so nothing rewrites its dynamic imports
const results = (await page.evaluate(`(async () => {
  const link = (name) => document.querySelector('link[rel=modulepreload][href*="' + name + '"]').href;
  const {tf} = await import(link("lib/tf."));
  const time = async (f, n) => {
    await f(); // warm-up
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await f();
    return (performance.now() - t0) / n;
  };
  const out = [];
  for (const name of ["webgl", "cpu", "wasm"]) {
    const row = {backend: name};
    try {
      if (!(await tf.setBackend(name))) throw new Error("not available");
      await tf.ready();
      const t0 = performance.now();
      tf.tidy(() => tf.conv2d(tf.ones([1, 32, 32, 8]), tf.ones([3, 3, 8, 8]), 1, "same").dataSync());
      row.firstCallMs = performance.now() - t0;
      const n = name === "cpu" ? 2 : 10;
      const a = tf.randomNormal([512, 512]), b = tf.randomNormal([512, 512]);
      const mm = await time(async () => { const c = tf.matMul(a, b); await c.data(); c.dispose(); }, n);
      row.matMulGflops = (2 * 512 ** 3) / (mm / 1000) / 1e9;
      const x = tf.randomNormal([8, 64, 64, 32]), k = tf.randomNormal([3, 3, 32, 64]);
      const cv = await time(async () => { const y = tf.conv2d(x, k, 1, "same"); await y.data(); y.dispose(); }, n);
      row.conv2dGflops = (2 * 8 * 64 * 64 * 32 * 64 * 9) / (cv / 1000) / 1e9;
      tf.dispose([a, b, x, k]);
      // tfjs-examples/mnist: conv 8@5x5 relu, maxpool 2, conv 16@5x5 relu, maxpool 2, flatten, dense 10 softmax
      const model = tf.sequential({layers: [
        tf.layers.conv2d({inputShape: [28, 28, 1], kernelSize: 5, filters: 8, activation: "relu"}),
        tf.layers.maxPooling2d({poolSize: 2, strides: 2}),
        tf.layers.conv2d({kernelSize: 5, filters: 16, activation: "relu"}),
        tf.layers.maxPooling2d({poolSize: 2, strides: 2}),
        tf.layers.flatten(),
        tf.layers.dense({units: 10, activation: "softmax"})
      ]});
      model.compile({optimizer: "rmsprop", loss: "categoricalCrossentropy"});
      const xs = tf.randomNormal([64, 28, 28, 1]), ys = tf.oneHot(tf.randomUniform([64], 0, 10, "int32"), 10);
      try {
        const step = await time(async () => { await model.trainOnBatch(xs, ys); }, name === "cpu" ? 3 : 8);
        row.trainMsPerBatch = step;
        row.trainExamplesPerSec = 64 / (step / 1000);
      } catch (e) {
        row.train = "cannot train: " + String(e.message).slice(0, 90);
      }
      tf.dispose([xs, ys]);
      model.dispose();
    } catch (e) {
      row.error = String(e.message ?? e).slice(0, 120);
    }
    out.push(row);
  }
  return out;
})()`)) as Record<string, number | string>[];

await browser.close();
await site.close();

const best = (key: string) => Math.max(...results.map((r) => (typeof r[key] === "number" ? (r[key] as number) : 0)));
const fmt = (v: unknown, digits = 1) => (typeof v === "number" ? v.toFixed(digits) : "—");
const ratio = (r: Record<string, unknown>, key: string) =>
  typeof r[key] === "number" ? `${((r[key] as number) / best(key)).toFixed(2)}×` : "—";
console.log("\nTF.js backends in headless Chromium (this run; ratios against the best backend of the column)\n");
console.log("backend | matMul GFLOP/s | conv2d GFLOP/s | train examples/s (MNIST CNN, batch 64) | first call ms");
console.log("---|---|---|---|---");
for (const r of results) {
  const train =
    typeof r.trainExamplesPerSec === "number"
      ? `${fmt(r.trainExamplesPerSec, 0)} (${ratio(r, "trainExamplesPerSec")})`
      : String(r.train ?? r.error ?? "—");
  console.log(
    `${r.backend} | ${fmt(r.matMulGflops)} (${ratio(r, "matMulGflops")}) | ${fmt(r.conv2dGflops)} (${ratio(r, "conv2dGflops")}) | ${train} | ${fmt(r.firstCallMs, 0)}`
  );
}
mkdirSync("test-results", {recursive: true});
writeFileSync("test-results/bench.json", JSON.stringify({date: new Date().toISOString(), results}, null, 2));
console.log("\nwritten: test-results/bench.json");
