// Claim C5's experiment on a tiny synthetic budget: four runs, the MLP pair identical, nothing leaked, and a
// summary sentence checked against hand-made results.
import {expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {runPermutationExperiment, summarisePermutation} from "../../../lib/train/permutation.js";

const SETTINGS = {
  examples: 64,
  testCount: 32,
  epochs: 1,
  batchSize: 32,
  learningRate: 0.01,
  seed: 3,
  permutationSeed: 5
};

function synthetic(n: number, seed: number) {
  return tf.tidy(() => {
    const labels = tf.randomUniform([n], 0, 10, "int32", seed);
    // a class-dependent bright column plus noise: learnable from the pixels
    const cols = tf.oneHot(labels.mul(2).add(4).toInt(), 28).reshape([n, 1, 28, 1]);
    const xs = tf.add(cols.tile([1, 28, 1, 1]).mul(0.8), tf.randomUniform([n, 28, 28, 1], 0, 0.2, "float32", seed + 1));
    return {xs: xs as tf.Tensor4D, ys: tf.oneHot(labels, 10) as tf.Tensor2D};
  });
}

test("four runs; the MLP on permuted pixels is the same computation as on the originals", async () => {
  const train = synthetic(SETTINGS.examples, 1);
  const testSet = synthetic(SETTINGS.testCount, 2);
  const before = tf.memory().numTensors;
  const fractions: number[] = [];
  const results = await runPermutationExperiment({train, test: testSet}, SETTINGS, {
    onProgress: (p) => fractions.push(p.fraction)
  });
  expect(tf.memory().numTensors).toBe(before);
  expect(results.map((r) => `${r.model} ${r.data}`)).toEqual([
    "MLP 원본",
    "CNN 원본",
    "MLP 픽셀 섞음",
    "CNN 픽셀 섞음"
  ]);
  expect(results.find((r) => r.model === "MLP")!.params).toBe(46_120);
  expect(results.find((r) => r.model === "CNN")!.params).toBe(46_730);
  const mlp = results.filter((r) => r.model === "MLP").map((r) => r.accuracy);
  expect(Math.abs(mlp[0] - mlp[1])).toBeLessThanOrEqual(1 / SETTINGS.testCount); // float order only
  expect(fractions.at(-1)).toBe(1);
  tf.dispose([train.xs, train.ys, testSet.xs, testSet.ys]);
});

test("a stop disposes everything and rejects with AbortError", async () => {
  const train = synthetic(SETTINGS.examples, 1);
  const testSet = synthetic(SETTINGS.testCount, 2);
  const before = tf.memory().numTensors;
  const abort = new AbortController();
  const run = runPermutationExperiment({train, test: testSet}, SETTINGS, {
    signal: abort.signal,
    onProgress: () => abort.abort()
  });
  await expect(run).rejects.toMatchObject({name: "AbortError"});
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([train.xs, train.ys, testSet.xs, testSet.ys]);
});

test("the summary sentence, from hand-made results", () => {
  const r = (model: "MLP" | "CNN", data: "원본" | "픽셀 섞음", accuracy: number) => ({
    model,
    data,
    accuracy,
    params: 1
  });
  const s = summarisePermutation(
    [r("MLP", "원본", 0.887), r("CNN", "원본", 0.943), r("MLP", "픽셀 섞음", 0.886), r("CNN", "픽셀 섞음", 0.815)],
    {examples: 6000, testCount: 2000, epochs: 1}
  );
  expect(s.change.MLP).toBeCloseTo(-0.001, 9);
  expect(s.cnnEdge.원본).toBeCloseTo(0.056, 9);
  expect(s.sentence).toContain("학습 6,000장, 1 epoch, 테스트 2,000장");
  expect(s.sentence).toContain("MLP는 원본 88.7% → 픽셀 섞음 88.6% (−0.1%p)로 거의 그대로이고");
  expect(s.sentence).toContain("CNN은 94.3% → 81.5% (−12.8%p)로 떨어졌습니다");
  expect(s.sentence).toContain("순서가 뒤집혀 MLP가 앞섰습니다 (CNN − MLP = −7.1%p)");
  // the differences are those of the percentages shown: 94.2 − 82.3 = 11.9, although 0.94249 − 0.82251 = 0.11998
  const shown = summarisePermutation(
    [
      r("MLP", "원본", 0.8845),
      r("CNN", "원본", 0.94249),
      r("MLP", "픽셀 섞음", 0.8845),
      r("CNN", "픽셀 섞음", 0.82251)
    ],
    {examples: 10, testCount: 10, epochs: 1}
  );
  expect(shown.sentence).toContain("CNN은 94.2% → 82.3% (−11.9%p)");
  const vanished = summarisePermutation(
    [r("MLP", "원본", 0.8), r("CNN", "원본", 0.9), r("MLP", "픽셀 섞음", 0.8), r("CNN", "픽셀 섞음", 0.802)],
    {examples: 10, testCount: 10, epochs: 1}
  );
  expect(vanished.sentence).toContain("그 우위가 사라졌습니다 (CNN − MLP = +0.2%p)");
  const kept = summarisePermutation(
    [r("MLP", "원본", 0.8), r("CNN", "원본", 0.9), r("MLP", "픽셀 섞음", 0.8), r("CNN", "픽셀 섞음", 0.85)],
    {examples: 10, testCount: 10, epochs: 1}
  );
  expect(kept.sentence).toContain("CNN의 우위는 +10.0%p에서 +5.0%p로 줄었습니다");
  expect(() => summarisePermutation([], {examples: 1, testCount: 1, epochs: 1})).toThrow(/no result/);
});
