// Chapter 8's ViT recipe (lib/train/vit-recipe.ts): the tiny ViT trained with it on a small Fashion-MNIST subset
// (original IDX files) learns: held-out accuracy far above chance (10%) after one short epoch.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {gunzipSync} from "node:zlib";
import {expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {FASHION_MNIST_DIR, FASHION_MNIST_FILES} from "../../../lib/data/fashion-mnist.js";
import {mnistFromIdx, mnistTensors} from "../../../lib/data/mnist.js";
import {TINY_VIT_MODELS} from "../../../lib/models/vit.js";
import {evaluate, train} from "../../../lib/train/loop.js";
import {categoricalCrossEntropy} from "../../../lib/train/losses.js";
import {VIT_RECIPE, vitOptimizer} from "../../../lib/train/vit-recipe.js";

const read = (name: string) => new Uint8Array(gunzipSync(readFileSync(join(FASHION_MNIST_DIR, name))));

test("one epoch of 2,048 images with the recipe: held-out accuracy above 45% (chance 10%)", async () => {
  const trainSet = mnistTensors(
    mnistFromIdx(read(FASHION_MNIST_FILES.train.images), read(FASHION_MNIST_FILES.train.labels)),
    0,
    2048
  );
  const testSet = mnistTensors(
    mnistFromIdx(read(FASHION_MNIST_FILES.test.images), read(FASHION_MNIST_FILES.test.labels)),
    0,
    500
  );
  const model = TINY_VIT_MODELS.vit({seed: 1});
  const optimizer = vitOptimizer();
  const loss = categoricalCrossEntropy({from: "logits"});
  try {
    const before = (await evaluate(model, testSet, {loss})).accuracy;
    for await (const e of train({
      model,
      optimizer,
      train: trainSet,
      loss,
      epochs: 1,
      batchSize: VIT_RECIPE.batchSize,
      seed: 1,
      taskBudgetMs: Infinity
    })) {
      expect(e.type === "batch" ? Number.isFinite(e.loss) : true).toBe(true);
    }
    const after = (await evaluate(model, testSet, {loss})).accuracy;
    console.log(
      `tiny ViT, recipe ${JSON.stringify(VIT_RECIPE)}: held-out accuracy ${(100 * before).toFixed(1)}% -> ${(100 * after).toFixed(1)}%`
    );
    expect(after).toBeGreaterThan(0.45);
    expect(after).toBeGreaterThan(before + 0.25);
  } finally {
    model.dispose();
    optimizer.dispose();
    tf.dispose([trainSet.xs, trainSet.ys, testSet.xs, testSet.ys]);
  }
}, 300_000);
