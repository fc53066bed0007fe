/**
 * lib/viz/swin.ts, what the Swin page (src/swin.md, V6) draws and says: the stepper's frames against a hand-made roll,
 * regions that travel with their patches, window and mask counts by hand, the ⌊M/2⌋ argument, reach summaries,
 * Ω series against the paper's formulas, the relative index against a hand-built table, the masked softmax, the
 * measured global vs window attention (the same code, so global = window when one window covers the map), ResNet-50's
 * stages from a dry build, and the sentences built from their numbers.
 */
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {dryBuild} from "../../../lib/analysis/dry-build.js";
import {shiftRegions, shiftedWindowMask, SWIN_MASK_VALUE} from "../../../lib/analysis/swin.js";
import {MODELS} from "../../../lib/models/registry.js";
import {accuracyNoise} from "../../../lib/viz/attention-cnn.js";
import {
  atChance,
  costSeries,
  describeCost,
  describeMaskSoftmax,
  describeMeasured,
  describeReach,
  describeV6,
  frameRegions,
  maskCounts,
  maskedSoftmax,
  naiveShiftedWindowCount,
  newPairs,
  reachSummary,
  relativePair,
  resnetStages,
  shiftFrames,
  windowCount,
  windowRegions
} from "../../../lib/viz/swin.js";

describe("the shift stepper", () => {
  const [h, w, m, s] = [6, 6, 3, 1];
  const frames = shiftFrames(h, w, m, s);
  test("six frames; the rolls are none, up, up-left, up-left, none", () => {
    expect(frames.map((f) => f.roll)).toEqual([
      [0, 0],
      [0, 0],
      [-s, 0],
      [-s, -s],
      [-s, -s],
      [0, 0]
    ]);
    expect(frames.map((f) => f.step)).toEqual([0, 1, 2, 3, 4, 5]);
  });
  test("the rolled frame shows patch ((r + s) mod H, (c + s) mod W) at (r, c), by hand", () => {
    const rolled = frames[3].source;
    expect(rolled[0][0]).toBe(1 * w + 1);
    expect(rolled[5][5]).toBe(0); // the top-left patch wrapped to the bottom right
    expect(rolled[5][0]).toBe(0 * w + 1);
    expect(frames[2].source[5][0]).toBe(0); // rolled up only: row 0 is now the last row
  });
  test("regions travel with their patches: on the rolled grid they are the reference's img_mask", () => {
    expect(frameRegions(h, w, m, s, frames[3])).toEqual(shiftRegions(h, w, m, s));
    // unrolled: the top-left s×s corner is region I (8), wrapped to the bottom right by the shift
    expect(frameRegions(h, w, m, s, frames[1])[0][0]).toBe(8);
    expect(frameRegions(h, w, m, s, frames[1])[5][5]).toBe(4);
  });
  test("window counts by hand, and the captions say them", () => {
    expect(windowCount(56, 56, 7)).toBe(64);
    expect(() => windowCount(10, 10, 3)).toThrow(RangeError);
    // 8 rows, M = 4, s = 2: parts [0, 2), [2, 6), [6, 8) -> 3 per side
    expect(naiveShiftedWindowCount(8, 8, 4, 2)).toBe(9);
    expect(naiveShiftedWindowCount(56, 56, 7, 3)).toBe(81);
    expect(naiveShiftedWindowCount(8, 8, 4, 0)).toBe(4);
    expect(frames[0].caption).toContain(`${windowCount(h, w, m)}개`);
    expect(frames[1].caption).toContain(`${naiveShiftedWindowCount(h, w, m, s)}개`);
  });
  test("the last window of the rolled grid holds four regions, the first one", () => {
    expect(windowRegions(8, 8, 4, 2, 3)).toEqual([4, 5, 7, 8]);
    expect(windowRegions(8, 8, 4, 2, 0)).toEqual([0]);
    expect(windowRegions(8, 8, 4, 2, 1)).toEqual([1, 2]);
  });
  test("mask counts: 16×16 of the last window, pairs in the same 2×2 region open", () => {
    const last = shiftedWindowMask(8, 8, 4, 2)[3];
    expect(maskCounts(last)).toEqual({open: 4 * 16, blocked: 256 - 64});
    expect(maskCounts(shiftedWindowMask(8, 8, 4, 2)[0])).toEqual({open: 256, blocked: 0});
  });
});

describe("why the shift is ⌊M/2⌋", () => {
  test("new pairs per interior shifted window, by hand at M = 4, largest at s = M/2", () => {
    // s = 1: pieces 9, 3, 3, 1 -> 256 − (81 + 9 + 9 + 1) = 156; s = 2: pieces 4 × 4 -> 256 − 64 = 192
    expect(newPairs(4, 1)).toBe(156);
    expect(newPairs(4, 2)).toBe(192);
    expect(newPairs(4, 3)).toBe(156);
    expect(newPairs(4, 0)).toBe(0);
    const m = 7;
    const best = Math.max(...[1, 2, 3, 4, 5, 6].map((s) => newPairs(m, s)));
    expect(newPairs(m, Math.floor(m / 2))).toBe(best);
  });
});

describe("information flow", () => {
  test("window only stays in its window; shifted reaches all; global in one block", () => {
    const [win, shifted, global] = reachSummary(16, 16, 4, [5, 6], 20);
    expect(win.counts.slice(1).every((n) => n === 16)).toBe(true);
    expect(win.full).toBeNull();
    expect(global.full).toBe(1);
    expect(shifted.full).not.toBeNull();
    expect(shifted.counts[2]).toBe(64); // block 2: the four windows around the first (2M × 2M)
    // monotone
    for (let k = 1; k < shifted.counts.length; k++)
      expect(shifted.counts[k]).toBeGreaterThanOrEqual(shifted.counts[k - 1]);
    const text = describeReach(16, 16, 4, [5, 6], 3, [win, shifted, global]);
    expect(text).toContain(`shifted window를 번갈아 쓰면 ${shifted.counts[3]}개`);
    expect(text).toContain(`${shifted.full} block 뒤에 256개 모두`);
    expect(text).toContain("global attention은 1 block 뒤에 256개 모두");
  });
});

describe("cost", () => {
  test("Ω by the paper's formulas, by hand at Swin-T's stage 1", () => {
    const [row] = costSeries([224], {patch: 4, channels: 96, window: 7});
    expect(row.h).toBe(56);
    expect(row.msa).toBe(4 * 3136 * 96 * 96 + 2 * 3136 * 3136 * 96);
    expect(row.wmsa).toBe(4 * 3136 * 96 * 96 + 2 * 49 * 3136 * 96);
    const text = describeCost(row, {channels: 96, window: 7});
    expect(text).toContain(`${(row.msa / row.wmsa).toFixed(1)}배`);
  });
  test("the measured sentence: ratios at the largest size and growth from the smallest, from the rows", () => {
    const row = (side: number, gMs: number, wMs: number, gB: number, wB: number) => ({
      side,
      tokens: side * side,
      globalMacs: 0,
      windowMacs: 0,
      globalMs: gMs,
      windowMs: wMs,
      globalBytes: gB,
      windowBytes: wB
    });
    const mib = 2 ** 20;
    const text = describeMeasured([row(14, 2, 2, 1 * mib, 0.5 * mib), row(28, 8, 4, 16 * mib, 2 * mib)], "wasm");
    expect(text).toContain("28×28 patch (784개)");
    expect(text).toContain("window가 2.0배 빠르고");
    expect(text).toContain("메모리는 8.0배 적습니다");
    expect(text).toContain("4.0배 되는 동안 global attention의 메모리는 16.0배");
    expect(text).toContain("window attention의 메모리는 4.0배");
    // why not 4² = 16×: only the score matrix grows with (hw)², Q, K, V and the output with hw
    expect(text).toContain(
      "4.0² = 16.0배가 아닌 것은 score 행렬만 patch 수의 제곱 (hw)²으로 크고, Q, K, V와 출력은 patch 수 hw에 비례"
    );
    expect(describeMeasured([row(14, 1, 3, 2, 1)], "webgl")).toContain("window가 3.0배 느리고");
  });
});

describe("hierarchy", () => {
  test("ResNet-50's stages from a dry build: 56², 28², 14², 7² at 256 … 2048 channels", () => {
    const before = tf.memory().numTensors;
    const model = dryBuild(() => MODELS.resnet50({weights: "zeros"}));
    const stages = resnetStages(model.layers, 224);
    expect(stages.map((s) => [s.height, s.channels, s.stride])).toEqual([
      [56, 256, 4],
      [28, 512, 8],
      [14, 1024, 16],
      [7, 2048, 32]
    ]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("relative position index and the mask's −100", () => {
  test("a pair: Δ and the table row by hand", () => {
    // M = 7, i = (1, 5), j = (4, 2): Δ = (−3, 3), (−3 + 6)·13 + (3 + 6) = 48
    expect(relativePair(7, 1 * 7 + 5, 4 * 7 + 2)).toEqual({dr: -3, dc: 3, row: 3, col: 9, index: 48});
    expect(relativePair(2, 0, 3)).toEqual({dr: -1, dc: -1, row: 0, col: 0, index: 0});
  });
  test("softmax with −100 gives e^−100-sized weights", () => {
    const p = maskedSoftmax([1, 2, 3], [0, 0, SWIN_MASK_VALUE]);
    expect(p[2]).toBeCloseTo(0, 40);
    expect(p[2] / p[1]).toBeCloseTo(Math.exp(1 - 100), 50);
    expect(p[0] + p[1]).toBeCloseTo(1, 12);
    expect(p[1] / p[0]).toBeCloseTo(Math.E, 12);
  });
});

describe("the mask's softmax sentence", () => {
  test("exp(score) is multiplied by e^−100; the renormalised weight changes by masked / plain", () => {
    const text = describeMaskSoftmax(3, {plain: 0.6308, masked: 1.71e-43, f32: 0, open: 1, higher: true});
    expect(text).toContain("3.0으로 같은 region의 두 key보다 높지만");
    expect(text).toContain("−100이 더해집니다");
    expect(text).toContain(`e^(−100) = ${Math.exp(-100).toExponential(2)}가 곱해지고`);
    expect(text).toContain("0.6308에서 1.71e-43 (float64)로, 2.71e-43배가 됩니다");
    expect(text).not.toContain("3.72e-44배");
    expect(text).toContain("0을 냅니다");
    expect(text).toContain("1.0000을 나눠 갖습니다");
    expect(describeMaskSoftmax(0, {plain: 0.1, masked: 1e-44, f32: 1e-44, open: 1, higher: false})).toContain(
      "score는 0.0이고"
    );
  });
});

describe("the training sentence", () => {
  const rows = [
    {name: "Swin", params: 136_874, accuracy: 0.81, msPerStep: 300, steps: 10},
    {name: "ViT", params: 139_018, accuracy: 0.7, msPerStep: 150, steps: 10}
  ] as const;
  const c = {examples: 640, testExamples: 500, epochs: 1, batchSize: 64, backend: "wasm"};
  test("outside the noise band: names the winner, the gap, the band, the time ratio and the conditions", () => {
    const text = describeV6([{...rows[0]}, {...rows[1]}], c);
    const band = accuracyNoise(0.81, 0.7, 500);
    expect(text).toContain(`Swin이 11.0%p 높습니다 (잡음 범위 ±${(100 * band).toFixed(1)}%p 밖)`);
    expect(text).toContain("Swin이 2.0배 오래 걸렸습니다 (첫 step (warm-up)을 뺀 평균, 300 ms 대 150 ms)");
    expect(text).toContain("640장");
    expect(text).toContain("136,874");
    const other = describeV6([{...rows[0], accuracy: 0.6}, {...rows[1]}], c);
    expect(other).toContain("ViT가 10.0%p 높습니다");
  });
  test("inside the band (4.0%p on 500 images): no winner", () => {
    const text = describeV6(
      [
        {...rows[0], accuracy: 0.16},
        {...rows[1], accuracy: 0.2}
      ],
      c
    );
    expect(accuracyNoise(0.16, 0.2, 500)).toBeGreaterThan(0.04);
    expect(text).toContain("차이 4.0%p는 테스트 500장의 잡음 범위 (표준오차의 2배, ±");
    expect(text).toContain("어느 쪽이 낫다고 말할 수 없습니다");
    expect(text).not.toContain("높습니다");
  });
  test("a model at chance (within the band of 10%): the budget is too small to compare", () => {
    expect(atChance(0.12, 500)).toBe(true);
    expect(atChance(0.2, 500)).toBe(false);
    const text = describeV6([{...rows[0], accuracy: 0.12}, {...rows[1]}], c);
    expect(text).toContain("Swin의 정확도가 아직 우연 수준 (10%");
    expect(text).toContain("이 예산은 두 모델을 비교하기에 너무 작습니다");
    expect(text).not.toContain("높습니다");
    const both = describeV6(
      [
        {...rows[0], accuracy: 0.1},
        {...rows[1], accuracy: 0.09}
      ],
      c
    );
    expect(both).toContain("Swin과 ViT의 정확도가 아직 우연 수준");
  });
  test("one step only: the mean says it includes the warm-up step", () => {
    const text = describeV6(
      [
        {...rows[0], warmupIncluded: true},
        {...rows[1], warmupIncluded: true}
      ],
      c
    );
    expect(text).toContain("첫 step (warm-up)을 포함한 평균");
  });
});
