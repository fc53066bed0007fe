// Tune chapter 8's ViT recipe (lib/train/vit-recipe.ts): train the tiny ViT on Fashion-MNIST for a fixed wall-clock
// budget per setting and report held-out accuracy. Usage:
//   npx vite-node --config vitest.config.ts scripts/vit-recipe.ts -- [seconds | <n>img] [batch:lr,batch:lr,…]
// A budget in images ("5000img") compares settings at the same data (wall-clock times on a shared machine are noisy).
import "@tensorflow/tfjs-backend-wasm";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {gunzipSync} from "node:zlib";
import {setupBackend, tf} from "../lib/tf.js";
import {registerCourseKernels} from "../lib/backend/kernels.js";
import {TINY_VIT_MODELS} from "../lib/models/vit.js";
import {FASHION_MNIST_DIR, FASHION_MNIST_FILES} from "../lib/data/fashion-mnist.js";
import {mnistFromIdx, mnistTensors} from "../lib/data/mnist.js";
import {evaluate, train} from "../lib/train/loop.js";
import {vitOptimizer} from "../lib/train/vit-recipe.js";
import {categoricalCrossEntropy} from "../lib/train/losses.js";

const loss = categoricalCrossEntropy({from: "logits"});

const info = await setupBackend(["wasm"]);
registerCourseKernels(info.name);
const raw = (name: string) => new Uint8Array(gunzipSync(readFileSync(join(FASHION_MNIST_DIR, name))));
const args = process.argv.slice(2).filter((a) => a !== "--");
const budget = args[0] ?? "30";
const imageBudget = budget.endsWith("img") ? Number(budget.slice(0, -3)) : Infinity;
const seconds = budget.endsWith("img") ? Infinity : Number(budget);
const settings = (args[1] ?? "32:0.001,64:0.001,64:0.002,128:0.002,128:0.003")
  .split(",")
  .map((s) => s.split(":").map(Number));
const trainSet = mnistFromIdx(raw(FASHION_MNIST_FILES.train.images), raw(FASHION_MNIST_FILES.train.labels));
const testSet = mnistFromIdx(raw(FASHION_MNIST_FILES.test.images), raw(FASHION_MNIST_FILES.test.labels));
const data = mnistTensors(trainSet, 0, 20000);
const test = mnistTensors(testSet, 0, 1000);
for (const [batchSize, learningRate] of settings) {
  const model = TINY_VIT_MODELS.vit({seed: 1});
  const optimizer = vitOptimizer({batchSize, learningRate, validationSize: 2000});
  const t0 = performance.now();
  let seen = 0;
  const controller = new AbortController();
  const marks: string[] = [];
  let next = 10;
  for await (const e of train({
    model,
    optimizer,
    train: data,
    loss,
    epochs: 10,
    batchSize,
    seed: 1,
    signal: controller.signal,
    taskBudgetMs: Infinity
  })) {
    if (e.type !== "batch") continue;
    seen += batchSize;
    const s = (performance.now() - t0) / 1000;
    if (s > next && imageBudget === Infinity) {
      const acc = (await evaluate(model, test, {loss})).accuracy;
      marks.push(`${next}s ${(100 * acc).toFixed(1)}%`);
      next += 10;
    }
    if (s > seconds || seen >= imageBudget) controller.abort();
  }
  const acc = (await evaluate(model, test, {loss})).accuracy;
  console.log(
    `batch ${batchSize} lr ${learningRate}: ${seen} images in ${((performance.now() - t0) / 1000).toFixed(0)} s, test ${(100 * acc).toFixed(1)}%  [${marks.join(", ")}]`
  );
  model.dispose();
  optimizer.dispose();
}
tf.dispose([data.xs, data.ys, test.xs, test.ys]);
