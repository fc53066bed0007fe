import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {mulberry32} from "../../../lib/random.js";
import {buildVit, VIT_PRESETS, type VitConfig} from "../../../lib/models/vit.js";
import {
  agreement,
  concatHeads,
  distillationDataset,
  distillationTargets,
  hardDistillationLoss,
  predictClasses,
  splitHeads,
  teacherDecisions
} from "../../../lib/train/distill.js";
import {categoricalCrossEntropy, smoothLabels} from "../../../lib/train/losses.js";
import {evaluate, train} from "../../../lib/train/loop.js";

const ln = Math.log;

describe("label smoothing (V5)", () => {
  test("targets y(1 − ε) + ε/C; padding rows stay zero", () => {
    const y = tf.tensor2d([
      [1, 0, 0, 0],
      [0, 0, 0, 0]
    ]);
    const s = smoothLabels(y, 0.2);
    expect(Array.from(s.dataSync())).toEqual([0.85, 0.05, 0.05, 0.05, 0, 0, 0, 0].map((v) => Math.fround(v)));
    tf.dispose([y, s]);
  });

  test("the smoothed cross-entropy against the formula (by hand), accuracy unchanged", () => {
    // logits [ln 2, 0, 0] -> p = [½, ¼, ¼]; ε = 0.3, C = 3: target [0.8, 0.1, 0.1]
    const logits = tf.tensor2d([[ln(2), 0, 0]]);
    const y = tf.tensor2d([[1, 0, 0]]);
    const loss = categoricalCrossEntropy({from: "logits", labelSmoothing: 0.3});
    const sum = loss.sum(y, logits);
    const acc = loss.metrics.accuracy.sum(y, logits);
    expect(sum.dataSync()[0]).toBeCloseTo(-(0.8 * ln(0.5) + 0.2 * ln(0.25)), 5);
    expect(acc.dataSync()[0]).toBe(1);
    // ε = 0 is the plain cross-entropy
    const plain = categoricalCrossEntropy({from: "logits", labelSmoothing: 0}).sum(y, logits);
    expect(plain.dataSync()[0]).toBeCloseTo(ln(2), 5);
    tf.dispose([logits, y, sum, acc, plain]);
  });
});

describe("hard distillation (V5)", () => {
  // two examples, C = 3. Class head: [ln 2, 0, 0] -> [½, ¼, ¼]; [0, 0, 0] -> ⅓ each.
  // Distillation head: [0, ln 3, 0] -> [⅕, ⅗, ⅕]; [0, 0, ln 2] -> [¼, ¼, ½].
  const pred = () =>
    tf.tensor2d([
      [ln(2), 0, 0, 0, ln(3), 0],
      [0, 0, 0, 0, 0, ln(2)]
    ]);
  // labels 0 and 2, teacher decisions 1 and 2
  const targets = () =>
    tf.tensor2d([
      [1, 0, 0, 0, 1, 0],
      [0, 0, 1, 0, 0, 1]
    ]);

  test("L = ½ CE(class head, y) + ½ CE(distillation head, teacher) against hand-worked numbers", () => {
    const [p, y] = [pred(), targets()];
    const loss = hardDistillationLoss();
    const sum = loss.sum(y, p);
    const count = loss.count(y);
    const expected = 0.5 * (-ln(0.5) - ln(0.6)) + 0.5 * (-ln(1 / 3) - ln(0.5));
    expect(sum.dataSync()[0]).toBeCloseTo(expected, 5);
    expect(count.dataSync()[0]).toBe(2);
    const m = (k: string) => {
      const t = loss.metrics[k].sum(y, p);
      const v = t.dataSync()[0];
      t.dispose();
      return v;
    };
    // averaged heads: [ln2/2, ln3/2, 0] -> 1 (the teacher's, not the label); [0, 0, ln2/2] -> 2
    expect(m("accuracy")).toBe(1);
    expect(m("agreement")).toBe(2);
    expect(m("classAccuracy")).toBe(1);
    expect(m("distAccuracy")).toBe(1);
    tf.dispose([p, y, sum, count]);
  });

  test("label smoothing smooths both heads' targets", () => {
    const [p, y] = [pred(), targets()];
    const sum = hardDistillationLoss({labelSmoothing: 0.3}).sum(y, p);
    // targets [0.8, 0.1, 0.1]-style: CE = −Σ t log p
    const ce = (probs: number[], label: number) => -probs.reduce((s, q, c) => s + (c === label ? 0.8 : 0.1) * ln(q), 0);
    const expected =
      0.5 * (ce([0.5, 0.25, 0.25], 0) + ce([0.2, 0.6, 0.2], 1)) +
      0.5 * (ce([1 / 3, 1 / 3, 1 / 3], 2) + ce([0.25, 0.25, 0.5], 2));
    expect(sum.dataSync()[0]).toBeCloseTo(expected, 5);
    tf.dispose([p, y, sum]);
  });

  test("splitHeads, distillationTargets, teacherDecisions, agreement", () => {
    const p = pred();
    const [a, b] = splitHeads(p);
    expect(a.shape).toEqual([2, 3]);
    expect(b.arraySync()).toEqual((p.arraySync() as number[][]).map((row) => row.slice(3)));
    const labels = tf.tensor2d([[1, 0, 0]]);
    const teacher = tf.tensor2d([[0, 0, 1]]);
    const t = distillationTargets(labels, teacher);
    expect(Array.from(t.dataSync())).toEqual([1, 0, 0, 0, 0, 1]);
    const dense = tf.sequential({layers: [tf.layers.dense({units: 3, inputShape: [2], useBias: false})]});
    const w = tf.tensor2d([1, 0, 0, 0, 0, 1], [2, 3]);
    dense.setWeights([w]);
    const xs = tf.tensor2d([
      [2, 1],
      [0, 1],
      [-1, -2]
    ]);
    const d = teacherDecisions(dense, xs, 2); // logits [2,0,1], [0,0,1], [−1,0,−2] -> 0, 2, 1
    expect(Array.from(d.dataSync())).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 0]);
    expect(agreement([0, 2, 1], [0, 2, 2])).toBeCloseTo(2 / 3, 12);
    expect(() => agreement([1], [1, 2])).toThrow();
    tf.dispose([p, a, b, labels, teacher, t, xs, d, w]);
    dense.dispose();
  });
});

/** 8×8 images, 4 classes: a bright 4×4 square in one of the four quadrants, plus noise. */
function quadrants(n: number, seed: number) {
  const rand = mulberry32(seed);
  const pixels = new Float32Array(n * 64);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 4;
    labels.push(c);
    const [oy, ox] = [c >> 1 ? 4 : 0, c & 1 ? 4 : 0];
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const inside = y >= oy && y < oy + 4 && x >= ox && x < ox + 4;
        pixels[i * 64 + y * 8 + x] = (inside ? 0.8 : 0) + 0.2 * rand();
      }
    }
  }
  return {
    xs: tf.tensor4d(pixels, [n, 8, 8, 1]),
    ys: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), 4).toFloat()),
    labels
  };
}

const SMALL: VitConfig = {
  ...VIT_PRESETS.tinyDistilled,
  name: "deit_test",
  inputShape: [8, 8, 1],
  numClasses: 4,
  patchSize: 4,
  embedDim: 16,
  depth: 1,
  numHeads: 2
};

describe("a short distillation run (V5)", () => {
  test("concatHeads joins the two heads; disposing it frees every weight", () => {
    const before = tf.memory().numTensors;
    const deit = buildVit(SMALL, {seed: 1});
    const joined = concatHeads(deit);
    const x = tf.zeros([2, 8, 8, 1]);
    const [out, heads] = tf.tidy(() => [joined.predict(x) as tf.Tensor, deit.predict(x) as tf.Tensor[]]);
    expect(out.shape).toEqual([2, 8]);
    const [h0, h1] = [heads[0].arraySync() as number[][], heads[1].arraySync() as number[][]];
    expect(out.arraySync()).toEqual([0, 1].map((i) => [...h0[i], ...h1[i]]));
    tf.dispose([x, out, ...heads]);
    joined.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  test("the student learns from a teacher: loss falls, both heads rise above chance", async () => {
    const data = quadrants(128, 7);
    // the teacher is the rule itself (its decisions are the labels), as a dense model on the quadrant sums
    const teacher = tf.sequential({
      layers: [tf.layers.averagePooling2d({poolSize: 4, inputShape: [8, 8, 1]}), tf.layers.flatten()]
    });
    const distilled = distillationDataset({xs: data.xs, ys: data.ys}, teacher);
    const student = concatHeads(buildVit(SMALL, {seed: 3}));
    const optimizer = tf.train.adam(0.01);
    const loss = hardDistillationLoss({labelSmoothing: 0.1});
    const first = await evaluate(student, distilled, {loss});
    let last = first;
    for await (const e of train({
      model: student,
      optimizer,
      train: distilled,
      loss,
      epochs: 8,
      batchSize: 16,
      seed: 2
    })) {
      if (e.type === "epoch") last = {loss: e.loss, accuracy: e.accuracy, metrics: e.metrics!};
    }
    const after = await evaluate(student, distilled, {loss});
    expect(after.loss).toBeLessThan(first.loss * 0.7);
    // chance is ¼ (four classes); measured 0.75 at this budget
    expect(first.metrics.agreement).toBeLessThan(0.4);
    expect(after.metrics.agreement).toBeGreaterThan(0.6);
    expect(after.metrics.classAccuracy).toBeGreaterThan(0.6);
    expect(after.metrics.distAccuracy).toBeGreaterThan(0.6);
    const predicted = await predictClasses(student, data.xs, {heads: 2, batchSize: 50});
    expect(agreement(predicted, data.labels)).toBeCloseTo(after.accuracy, 6);
    expect(last.loss).toBeGreaterThan(0);
    tf.dispose([data.xs, data.ys, distilled.ys]);
    student.dispose();
    teacher.dispose();
    optimizer.dispose();
  });
});
