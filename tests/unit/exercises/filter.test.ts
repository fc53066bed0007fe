import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {
  DIAGONAL_SOBEL,
  FILTER_BANK_EXERCISE,
  OUTPUT_SIZE_EXERCISE,
  OVERLAP_EXERCISE,
  SAME_PADDING_EXERCISE,
  asKernel3x3,
  checkDiagonalKernel,
  checkFilterBankParams,
  checkOutputSize,
  checkOverlap,
  checkSamePadding,
  diagonalKernelSolution,
  filterBankParams,
  filterBankSolution,
  measureEdges,
  outputSizeSolution,
  overlapSolution,
  samePaddingSolution,
  stepEdge
} from "../../../lib/exercises/filter.js";
import {SOBEL_X, transpose} from "../../../lib/ops/kernels.js";

describe("chapter 1 exercises: typed numbers", () => {
  test("output size: n = 7, f = 3, p = 1, s = 2 gives 4 (hand-worked: ⌊6/2⌋ + 1)", () => {
    expect(OUTPUT_SIZE_EXERCISE).toEqual({n: 7, f: 3, p: 1, s: 2});
    expect(checkOutputSize(4)).toMatchObject({ok: true});
    const forgotPadding = checkOutputSize(3);
    expect(forgotPadding.ok).toBe(false);
    expect(forgotPadding.message).toContain("padding p = 1을 빼고");
    expect(checkOutputSize(5).message).toContain("s = 1일 때만"); // 3 + 2p: the notes' "2p만큼 커집니다"
    expect(checkOutputSize(7).message).toContain("stride를 빼먹었습니다");
    expect(checkOutputSize(9).message).toContain("다시 따라가");
    expect(checkOutputSize(NaN).ok).toBe(false);
    expect(outputSizeSolution()).toContain("= 4.");
    expect(outputSizeSolution()).toContain("출력은 1만 커집니다 (2p = 2가 아닙니다");
  });

  test("same padding for f = 5, s = 1 is 2", () => {
    expect(checkSamePadding(2)).toMatchObject({ok: true});
    const both = checkSamePadding(4);
    expect(both.ok).toBe(false);
    expect(both.message).toContain("양쪽을 합친");
    expect(both.message).toContain("28×28 입력이 32×32"); // 28 + 8 − 5 + 1
    expect(checkSamePadding(1).message).toContain("26×26");
    expect(samePaddingSolution()).toContain("p = (5 − 1)/2 = 2");
    expect(SAME_PADDING_EXERCISE.f).toBe(5);
  });

  test("overlap of a 3-wide window at stride 2 is one column; 0 is the notes' mistake", () => {
    expect(OVERLAP_EXERCISE).toEqual({f: 3, s: 2});
    expect(checkOverlap(1)).toMatchObject({ok: true});
    expect(checkOverlap(0).message).toContain("s ≥ f일 때만");
    expect(checkOverlap(2).ok).toBe(false);
    expect(overlapSolution()).toContain("열 0…2, 다음 창: 열 2…4");
    expect(overlapSolution({f: 2, s: 3})).toContain("읽지 않는 열이 1개");
  });

  test("filter bank: 16 filters of 3×3×3 with bias have 448 parameters, as tf.layers.conv2d counts", () => {
    expect(filterBankParams(FILTER_BANK_EXERCISE)).toBe(3 * 3 * 3 * 16 + 16);
    const layer = tf.layers.conv2d({filters: 16, kernelSize: 3, inputShape: [32, 32, 3]});
    const model = tf.sequential({layers: [layer]});
    expect(model.countParams()).toBe(filterBankParams(FILTER_BANK_EXERCISE));
    model.dispose();
    expect(checkFilterBankParams(448)).toMatchObject({ok: true});
    expect(checkFilterBankParams(432).message).toContain("bias가 하나씩");
    expect(checkFilterBankParams(160).message).toContain("모든 채널에 걸쳐");
    expect(checkFilterBankParams(28).message).toContain("필터 하나의 파라미터");
    expect(filterBankSolution()).toContain("합계 448");
  });
});

describe("chapter 1 exercises: a kernel for 45° edges", () => {
  test("the test edges are the steps they claim to be", () => {
    const vertical = stepEdge(0, 4);
    expect(vertical).toEqual([
      [0, 0, 1, 1],
      [0, 0, 1, 1],
      [0, 0, 1, 1],
      [0, 0, 1, 1]
    ]);
    expect(stepEdge(45, 4)).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 1],
      [0, 0, 1, 1],
      [0, 1, 1, 1]
    ]);
    expect(stepEdge(90, 4)).toEqual(transpose(vertical));
  });

  test("hand-worked responses: Sobel x gives 4 on │, 3 on both diagonals, 0 on ─", () => {
    // on │ the window straddles the step with weights 1+2+1 on its bright side; on ─ the columns cancel
    const m = measureEdges(SOBEL_X);
    expect(m.responses).toEqual({0: 4, 45: 3, 90: 0, 135: 3});
    expect(m.flat).toBe(0);
  });

  test("right: the rotated Sobel, its negative, a tensor, and a Prewitt-like diagonal", () => {
    expect(checkDiagonalKernel(DIAGONAL_SOBEL)).toMatchObject({ok: true});
    expect(checkDiagonalKernel(DIAGONAL_SOBEL.map((r) => r.map((v) => -v)))).toMatchObject({ok: true});
    const t = tf.tensor2d(DIAGONAL_SOBEL);
    expect(checkDiagonalKernel(t).ok).toBe(true);
    t.dispose();
    const ok = checkDiagonalKernel([
      [-1, -1, 0],
      [-1, 0, 1],
      [0, 1, 1]
    ]);
    expect(ok.ok).toBe(true);
    expect(ok.message).toContain("1.5배");
    expect(diagonalKernelSolution()).toContain("대각선 edge ╱ (45°) 4");
  });

  test("wrong: the other diagonal, Sobel x, a kernel that is not zero-sum, a ╱ line detector, bad shapes", () => {
    const other = checkDiagonalKernel(transpose(DIAGONAL_SOBEL).map((r) => [...r].reverse()));
    expect(other.ok).toBe(false);
    expect(other.message).toContain("╲ (135°)에 가장 크게");
    const sobel = checkDiagonalKernel(SOBEL_X);
    expect(sobel.message).toContain("세로 edge │ (0°)에 가장 크게");
    const blur = checkDiagonalKernel([
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 1]
    ]);
    expect(blur.message).toContain("합이 9이라");
    const line = checkDiagonalKernel([
      [-1, -1, 2],
      [-1, 2, -1],
      [2, -1, -1]
    ]);
    expect(line.ok).toBe(false);
    expect(line.message).toContain("반대 대각선");
    const corners = checkDiagonalKernel([
      [-1, 0, 0],
      [0, 0, 0],
      [0, 0, 1]
    ]);
    expect(corners.message).toContain("차이가 작습니다");
    expect(checkDiagonalKernel([[1, 2]]).message).toContain("3×3 숫자 배열");
    expect(checkDiagonalKernel(undefined).message).toContain("값 없음");
    expect(
      checkDiagonalKernel([
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0]
      ]).message
    ).toContain("모든 가중치가 0");
    expect(
      asKernel3x3([
        [1, 2, 3],
        [4, 5, NaN],
        [7, 8, 9]
      ])
    ).toContain("3×3 숫자 배열");
  });
});
