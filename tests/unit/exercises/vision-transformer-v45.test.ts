import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {distillationLossExercise, labelSmoothingExercise} from "../../../lib/exercises/vision-transformer.js";
import {hardDistillationLoss} from "../../../lib/train/distill.js";
import {smoothLabels} from "../../../lib/train/losses.js";

describe("chapter 8 exercises, part v45", () => {
  test("distillation loss: the answer equals the library's loss on logits with those probabilities", () => {
    const spec = distillationLossExercise(0.8, 0.5);
    expect(spec.expected).toBeCloseTo(0.5 * (-Math.log(0.8) - Math.log(0.5)), 12);
    // logits = log p: class head p = [0.8, 0.2], distillation head p = [0.5, 0.5]; label 0, teacher 1
    const pred = tf.tensor2d([[Math.log(0.8), Math.log(0.2), Math.log(0.5), Math.log(0.5)]]);
    const y = tf.tensor2d([[1, 0, 0, 1]]);
    const sum = hardDistillationLoss().sum(y, pred);
    expect(sum.dataSync()[0]).toBeCloseTo(spec.expected, 5);
    tf.dispose([pred, y, sum]);
    expect(spec.check(0.4581).ok).toBe(true);
    expect(spec.check(0.9163).ok).toBe(false);
    expect(spec.check(0.9163).message).toContain("½");
    expect(spec.check(0.199).message).toContain("자연로그");
    expect(spec.check(1).ok).toBe(false);
    expect(spec.steps.at(-1)).toContain("0.4581");
  });

  test("label smoothing: the answer equals smoothLabels' value; mistakes are named", () => {
    const spec = labelSmoothingExercise(0.1, 10);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0], "int32"), 10));
    const s = tf.tidy(() => smoothLabels(tf.cast(y, "float32"), 0.1));
    expect(s.dataSync()[0]).toBeCloseTo(spec.expected, 6);
    expect(s.dataSync()[1]).toBeCloseTo(0.01, 6);
    tf.dispose([y, s]);
    expect(spec.check(0.91).ok).toBe(true);
    expect(spec.check(0.9).ok).toBe(false);
    expect(spec.check(0.9).message).toContain("ε/C");
    expect(spec.check(0.01).message).toContain("정답이 아닌");
    expect(spec.check(0.5).ok).toBe(false);
  });
});
