import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {
  SCALING_SIZES,
  scalingSchedule,
  shiftDrops,
  stepsFor,
  summarizeScaling,
  takeSubset,
  type ScalingResult
} from "../../../lib/train/data-scaling.js";
import {VIT_VS_RESNET, VIT_VS_RESNET_RESNET} from "../../../lib/models/vit-vs-resnet.js";

const results = (pairs: [number, number, number][]): ScalingResult[] =>
  pairs.flatMap(([size, resnet, vit]) => [
    {model: "resnet" as const, size, accuracy: resnet, seconds: 1},
    {model: "vit" as const, size, accuracy: vit, seconds: 1}
  ]);

describe("V4 models", () => {
  test("the ResNet's parameter count is within 5% of the ViT's (139,018)", () => {
    const vit = VIT_VS_RESNET.vit({weights: "zeros"});
    const resnet = VIT_VS_RESNET.resnet({weights: "zeros"});
    expect(vit.countParams()).toBe(139_018);
    expect(resnet.countParams()).toBe(134_221);
    expect(Math.abs(resnet.countParams() / vit.countParams() - 1)).toBeLessThan(0.05);
    expect(VIT_VS_RESNET_RESNET.outputActivation).toBe("linear");
    expect(resnet.outputs[0].shape).toEqual([null, 10]);
    vit.dispose();
    resnet.dispose();
  });
});

describe("V4 plan and summary", () => {
  test("the schedule is sorted, unique, both models per size; the long run reaches the full 60,000", () => {
    expect(scalingSchedule([2000, 500, 2000])).toEqual([
      {size: 500, models: ["resnet", "vit"]},
      {size: 2000, models: ["resnet", "vit"]}
    ]);
    expect(SCALING_SIZES.long.at(-1)).toBe(60_000);
    expect(stepsFor(500, 2, 64)).toBe(16);
  });

  test("takeSubset gives nested first-n slices", () => {
    const xs = tf.tensor4d(
      Array.from({length: 5}, (_, i) => i),
      [5, 1, 1, 1]
    );
    const ys = tf.tensor2d([0, 1, 0, 1, 0], [5, 1]);
    const s = takeSubset({xs, ys}, 3);
    expect(Array.from(s.xs.dataSync())).toEqual([0, 1, 2]);
    expect(s.ys.shape).toEqual([3, 1]);
    const all = takeSubset({xs, ys}, 99);
    expect(all.xs.shape[0]).toBe(5);
    tf.dispose([xs, ys, s.xs, s.ys, all.xs, all.ys]);
  });

  test("the noise band is 2·√((p_v(1−p_v) + p_r(1−p_r))/n) (by hand) and decides ties", () => {
    const s = summarizeScaling(results([[500, 0.7, 0.6]]), 2000);
    // 2·√((0.24 + 0.21)/2000) = 0.03
    expect(s.rows[0].band).toBeCloseTo(0.03, 10);
    expect(s.rows[0].gap).toBeCloseTo(-0.1, 12);
    expect(s.rows[0].leader).toBe("resnet");
    expect(summarizeScaling(results([[500, 0.7, 0.69]]), 2000).rows[0].leader).toBe("tie");
  });

  test("each pattern from its numbers", () => {
    const p = (pairs: [number, number, number][]) => summarizeScaling(results(pairs), 2000);
    const reproduced = p([
      [500, 0.7, 0.6],
      [2000, 0.8, 0.8],
      [8000, 0.84, 0.88],
      [20000, 0.86, 0.9]
    ]);
    expect(reproduced.pattern).toBe("reproduced");
    expect(reproduced.crossover).toBe(8000);
    expect(
      p([
        [500, 0.7, 0.6],
        [8000, 0.85, 0.82]
      ]).pattern
    ).toBe("narrowing");
    expect(
      p([
        [500, 0.7, 0.65],
        [8000, 0.85, 0.78]
      ]).pattern
    ).toBe("resnet");
    expect(
      p([
        [500, 0.6, 0.7],
        [8000, 0.8, 0.8]
      ]).pattern
    ).toBe("vit");
    expect(
      p([
        [500, 0.6, 0.7],
        [8000, 0.9, 0.8]
      ]).pattern
    ).toBe("reversed");
    expect(
      p([
        [500, 0.7, 0.7],
        [8000, 0.8, 0.8]
      ]).pattern
    ).toBe("ties");
    expect(
      p([
        [500, 0.7, 0.6],
        [2000, 0.7, 0.8],
        [8000, 0.9, 0.8]
      ]).pattern
    ).toBe("mixed");
    // a size with one model only is left out
    expect(summarizeScaling([{model: "vit", size: 10, accuracy: 0.5, seconds: 1}], 100).rows).toEqual([]);
  });

  test("shiftDrops: accuracy at shift 0 minus at the largest shift", () => {
    const drops = shiftDrops([
      {model: "resnet", shift: 0, accuracy: 0.8},
      {model: "resnet", shift: 4, accuracy: 0.7},
      {model: "vit", shift: 4, accuracy: 0.4},
      {model: "vit", shift: 0, accuracy: 0.8}
    ]);
    expect(drops.map((d) => [d.model, d.shift, Number(d.drop.toFixed(6))])).toEqual([
      ["resnet", 4, 0.1],
      ["vit", 4, 0.4]
    ]);
  });
});
