// Claim C2's experiment on a tiny budget, and its sentence against hand-made rows.
import {expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {runShiftExperiment, summariseShift, type ShiftRow} from "../../../lib/train/shift-experiment.js";

test("two models, one row per shift, nothing leaked", async () => {
  const data = tf.tidy(() => {
    const labels = tf.randomUniform([64], 0, 10, "int32", 1);
    return {
      xs: tf.randomUniform([64, 28, 28, 1], 0, 1, "float32", 2) as tf.Tensor4D,
      ys: tf.oneHot(labels, 10) as tf.Tensor2D
    };
  });
  const before = tf.memory().numTensors;
  const fractions: number[] = [];
  const settings = {testCount: 64, epochs: 1, batchSize: 32, learningRate: 0.002, seed: 1, shifts: [-1, 0, 1]};
  const {rows, params} = await runShiftExperiment({train: data, test: data}, settings, {
    onProgress: (p) => fractions.push(p.fraction)
  });
  expect(tf.memory().numTensors).toBe(before);
  expect(rows.map((r) => `${r.model}${r.shift}`)).toEqual(["CNN-1", "CNN0", "CNN1", "MLP-1", "MLP0", "MLP1"]);
  expect(params).toEqual({CNN: 46_730, MLP: 46_120});
  expect(fractions.at(-1)).toBeCloseTo(1, 9);
  expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
  tf.dispose([data.xs, data.ys]);
});

test("the sentence, by hand", () => {
  const rows: ShiftRow[] = [
    {model: "CNN", shift: -2, accuracy: 0.8},
    {model: "CNN", shift: 0, accuracy: 0.95},
    {model: "CNN", shift: 2, accuracy: 0.85},
    {model: "MLP", shift: -2, accuracy: 0.4},
    {model: "MLP", shift: 0, accuracy: 0.9},
    {model: "MLP", shift: 2, accuracy: 0.5}
  ];
  const s = summariseShift(rows, {CNN: 46_730, MLP: 46_120});
  expect(s.drop.CNN).toBeCloseTo(0.15, 9);
  expect(s.drop.MLP).toBeCloseTo(0.5, 9);
  expect(s.sentence).toContain("제자리(0 px)에서 CNN 95.0%, MLP 90.0%. ±2 px에서 CNN은 최대 15.0%p, MLP는 50.0%p");
  expect(s.sentence).toContain("CNN이 이동에 더 강했습니다");
  expect(s.sentence).toContain("그래도 CNN은 크게 떨어집니다"); // 15%p > 10%p
  const swapped = summariseShift(
    rows.map((r) => ({...r, model: r.model === "CNN" ? "MLP" : "CNN"})),
    {CNN: 1, MLP: 1}
  );
  expect(swapped.sentence).toContain("더 강하지 않았습니다");
});
