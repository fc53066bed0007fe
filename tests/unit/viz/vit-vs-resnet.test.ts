import {describe, expect, test} from "vitest";
import {summarizeScaling, type ScalingResult} from "../../../lib/train/data-scaling.js";
import {
  describeImprovement,
  describeScaling,
  describeShift,
  points,
  scalingPoints
} from "../../../lib/viz/vit-vs-resnet.js";

const results = (pairs: [number, number, number][]): ScalingResult[] =>
  pairs.flatMap(([size, resnet, vit]) => [
    {model: "resnet" as const, size, accuracy: resnet, seconds: 1},
    {model: "vit" as const, size, accuracy: vit, seconds: 1}
  ]);

describe("V4 and V5 sentences", () => {
  test("points: signed, one decimal", () => {
    expect(points(0.0123)).toBe("+1.2%p");
    expect(points(-0.03)).toBe("−3.0%p");
    expect(points(0)).toBe("±0.0%p");
  });

  test("the V4 sentence quotes every size's numbers and changes with the pattern", () => {
    const narrowing = summarizeScaling(
      results([
        [500, 0.7, 0.6],
        [8000, 0.85, 0.83]
      ]),
      2000
    );
    const text = describeScaling(narrowing, {epochs: 2, testSize: 2000});
    expect(text).toContain("500장에서 ResNet 70.0%, ViT 60.0% (ViT − ResNet −10.0%p)");
    expect(text).toContain("8,000장에서 ResNet 85.0%, ViT 83.0%");
    expect(text).toContain("같은 2 epoch");
    expect(text).toContain("앞서는 지점은 이 규모에서 나오지 않았습니다");
    const reproduced = summarizeScaling(
      results([
        [500, 0.7, 0.6],
        [8000, 0.8, 0.9]
      ]),
      2000
    );
    expect(describeScaling(reproduced, {epochs: 1, testSize: 2000})).toContain("재현했습니다");
    expect(describeScaling(reproduced, {epochs: 1, testSize: 2000})).toContain("8,000장부터는 ViT가 앞섰습니다");
    expect(scalingPoints(reproduced)).toHaveLength(4);
    expect(describeScaling(summarizeScaling([], 10), {epochs: 1, testSize: 10})).toContain("아직");
  });

  test("the shift sentence names the model that loses more", () => {
    const text = describeShift(
      [
        {model: "resnet", shift: 0, accuracy: 0.8},
        {model: "resnet", shift: 3, accuracy: 0.75},
        {model: "vit", shift: 0, accuracy: 0.8},
        {model: "vit", shift: 3, accuracy: 0.5}
      ],
      8000
    );
    expect(text).toContain("오른쪽으로 3픽셀");
    expect(text).toContain("ViT 80.0% → 50.0% (−30.0%p)");
    expect(text).toContain("ViT가 더 많이 떨어졌습니다");
  });

  test("the V5 sentence: gain beyond the noise band, agreement with the teacher", () => {
    const text = describeImprovement(
      {
        baseline: {name: "ViT", accuracy: 0.7, agreement: 0.72},
        improved: {name: "DeiT student", accuracy: 0.78, agreement: 0.85},
        teacher: {name: "teacher", accuracy: 0.84, agreement: 1}
      },
      {switches: ["distillation"], epochs: 2, trainSize: 4000, testSize: 2000}
    );
    expect(text).toContain("기본 ViT 70.0%, DeiT student 78.0% (켠 방법: distillation)");
    expect(text).toContain("+8.0%p로 잡음 폭");
    expect(text).toContain("teacher의 판단을 더 닮았습니다");
    const tie = describeImprovement(
      {
        baseline: {name: "ViT", accuracy: 0.7, agreement: NaN},
        improved: {name: "ViT+", accuracy: 0.705, agreement: NaN}
      },
      {switches: ["label smoothing"], epochs: 1, trainSize: 1000, testSize: 2000}
    );
    expect(tie).toContain("도움이 보이지 않았습니다");
    expect(tie).not.toContain("teacher");
    // a worse student after a poor teacher: the teacher is named as the reason
    const poor = describeImprovement(
      {
        baseline: {name: "ViT", accuracy: 0.34, agreement: 0.2},
        improved: {name: "DeiT student", accuracy: 0.2, agreement: 0.72},
        teacher: {name: "teacher", accuracy: 0.3, agreement: 1}
      },
      {switches: ["distillation"], epochs: 1, trainSize: 256, testSize: 500}
    );
    expect(poor).toContain("오히려 −14.0%p 나빠졌습니다");
    expect(poor).toContain("teacher가 기본 ViT보다 정확하지 않아");
    // the teacher's accuracy is said once
    expect(poor.split("30.0%").length - 1).toBe(1);
    expect(poor).not.toContain("augmentation과");
  });

  test("V5 at chance: no comparison; a teacher at chance cannot help", () => {
    const idle = describeImprovement(
      {
        baseline: {name: "기본 ViT", accuracy: 0.34, agreement: 0.2},
        improved: {name: "DeiT student", accuracy: 0.11, agreement: 0.72},
        teacher: {name: "teacher", accuracy: 0.1, agreement: 1}
      },
      {switches: ["distillation"], epochs: 1, trainSize: 256, testSize: 500}
    );
    expect(idle).toContain("DeiT student: 아직 우연 수준 (10.0%");
    expect(idle).toContain("두 ViT를 비교하기에 너무 작습니다");
    expect(idle).not.toContain("나빠졌습니다");
    expect(idle).toContain("distillation으로 배울 것은 없습니다");
    // 2·√(0.1·0.9/500) = 2.7%p above chance is still chance; 13% is not
    const fine = describeImprovement(
      {
        baseline: {name: "기본 ViT", accuracy: 0.5, agreement: 0.2},
        improved: {name: "DeiT student", accuracy: 0.5, agreement: 0.5},
        teacher: {name: "teacher", accuracy: 0.13, agreement: 1}
      },
      {switches: ["distillation"], epochs: 1, trainSize: 256, testSize: 500}
    );
    expect(fine).not.toContain("우연 수준");
  });

  test("V4 at chance: no verdict on the notes' claim", () => {
    const results = [100, 1000].flatMap((size) => [
      {model: "resnet" as const, size, accuracy: size === 100 ? 0.105 : 0.7, seconds: 1},
      {model: "vit" as const, size, accuracy: 0.6, seconds: 1}
    ]);
    const text = describeScaling(summarizeScaling(results, 2000), {epochs: 1, testSize: 2000});
    expect(text).toContain("ResNet (100장): 아직 우연 수준");
    expect(text).toContain("노트의 주장을 판정하지 않습니다");
    expect(text).not.toContain("재현");
  });
});
