/** V1/V2 sentences (lib/viz/attention-cnn.ts): every number comes from the arguments, and the verdicts follow them. */
import {describe, expect, test} from "vitest";
import {
  accuracyNoise,
  attentionRowSummary,
  describeAttentionRow,
  atChance,
  describeV1,
  describeV2,
  describeV2Measurement,
  type V1Row
} from "../../../lib/viz/attention-cnn.js";
import {attentionMatrixSize} from "../../../lib/analysis/pixel-attention.js";

const row = (name: string, accuracy: number, macs: number, msPerStep: number): V1Row => ({
  name,
  accuracy,
  params: 14_000,
  macs,
  msPerStep,
  steps: 16
});
const conditions = {trainImages: 1000, testImages: 1000, epochs: 1, batchSize: 64};

describe("V1 sentence", () => {
  test("two standard errors of a difference of accuracies: 2·√((p(1−p) + q(1−q)) / n)", () => {
    // p = q = 0.5, n = 1,000: 2·√(0.5 / 1000) = 0.0447…
    expect(accuracyNoise(0.5, 0.5, 1000)).toBeCloseTo(0.04472, 5);
  });

  test("within noise: the notes' claim holds; the costs are ratios to the CNN", () => {
    const text = describeV1(
      [
        row("CNN", 0.8, 1_000_000, 100),
        row("CNN + non-local block", 0.81, 1_500_000, 250),
        row("local attention", 0.79, 900_000, 700)
      ],
      conditions
    );
    expect(text).toContain("학습 1,000장, epoch 1, batch 64");
    expect(text).toContain("CNN은 80.0%");
    expect(text).toContain("multiply-add 1.5배, step당 시간 2.5배");
    expect(text).toContain("multiply-add 0.9배, step당 시간 7.0배");
    expect(text).toContain("우연 범위");
    expect(text).toContain("와 맞습니다");
  });

  test("a model at chance: no comparison, the budget is too small", () => {
    const text = describeV1(
      [row("CNN", 0.11, 1, 1), row("CNN + non-local block", 0.6, 1, 1), row("local attention", 0.115, 1, 1)],
      conditions
    );
    expect(text).toContain("CNN 11.0%, CNN + non-local block 60.0%, local attention 11.5%");
    expect(text).toContain("CNN, local attention: 아직 우연 수준 (10.0%");
    expect(text).toContain("+1.9%p");
    expect(text).toContain("세 모델을 비교하기에 너무 작습니다");
    expect(text).not.toContain("노트");
    expect(atChance(0.118, 1000)).toBe(true);
    expect(atChance(0.12, 1000)).toBe(false);
  });

  test("local attention clearly better: the sentence says the run departs from the notes", () => {
    const text = describeV1(
      [row("CNN", 0.6, 1, 1), row("CNN + non-local block", 0.6, 1, 1), row("local attention", 0.8, 1, 1)],
      conditions
    );
    expect(text).toContain("CNN보다 20.0%p 높습니다");
    expect(text).toContain("이번 실행에서는 local attention이 우연 범위보다 더 좋았습니다");
  });

  test("local attention clearly worse: the sentence says so, not that it matches", () => {
    const text = describeV1(
      [row("CNN", 0.8, 1, 1), row("CNN + non-local block", 0.8, 1, 1), row("local attention", 0.5, 1, 1)],
      conditions
    );
    expect(text).toContain("CNN보다 30.0%p 낮습니다");
    expect(text).toContain("좋아지기는커녕 CNN보다 낮았습니다");
    expect(text).not.toContain("와 맞습니다");
  });

  test("a stopped run says so", () => {
    const text = describeV1([row("CNN", 0.5, 1, 1), row("local attention", 0.5, 1, 1)], {...conditions, stopped: true});
    expect(text).toContain("중간에 정지");
  });
});

describe("V2 sentences", () => {
  test("pixels against patches, with the limit solved", () => {
    const text = describeV2(attentionMatrixSize(224, 224), attentionMatrixSize(224, 224, 16), {
      label: "WebAssembly",
      bytes: 2 ** 32
    });
    expect(text).toContain("N = 50,176");
    expect(text).toContain("2,517,630,976개 값");
    expect(text).toContain("9.38 GiB");
    expect(text).toContain("N = 196, 38,416개 값, 150 KiB");
    expect(text).toContain("65,536배"); // 16⁴
    expect(text).toContain("들어가지 않습니다");
    expect(text).toContain("181×181");
    const small = describeV2(attentionMatrixSize(64, 64), attentionMatrixSize(64, 64, 4), {label: "x", bytes: 2 ** 32});
    expect(small).toContain("들어갑니다");
    expect(small).toContain("256배"); // 4⁴
  });

  test("the measurement sentence counts exact matches and gives the growth", () => {
    const rows = [
      {side: 8, tokens: 64, expectedBytes: 16384, scoreBytes: 16384, softmaxBytes: 16384, ms: 1},
      {side: 16, tokens: 256, expectedBytes: 262144, scoreBytes: 262144, softmaxBytes: 262144, ms: 8}
    ];
    const text = describeV2Measurement(rows, "wasm");
    expect(text).toContain("2개 크기 중 2개");
    expect(text).toContain("16×16 (N = 256)");
    expect(text).toContain("N이 4.0배가 되는 동안 메모리는 16배, 시간은 8.0배");
    expect(describeV2Measurement([{...rows[0], scoreBytes: 1}], "cpu")).toContain("1개 크기 중 0개");
  });
});

describe("attention row summary", () => {
  test("the top cell, the uniform value and the mass of the largest weights", () => {
    const weights = [0.1, 0.4, 0.2, 0.3];
    const s = attentionRowSummary(weights, 2, 2);
    expect(s.top).toEqual([0, 1]);
    expect(s.topWeight).toBe(0.4);
    expect(s.uniform).toBe(0.25);
    expect(s.topMass).toBeCloseTo(0.7, 10);
    expect(s.total).toBeCloseTo(1, 10);
    expect(describeAttentionRow([1, 0], s, "셔츠")).toContain("위치 (1, 0)의 query가 가장 많이 보는 곳은 (0, 1)");
  });
});
