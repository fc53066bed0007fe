/**
 * Checked exercises of chapter 8, part v12 (see ../vision-transformer.ts): the attention matrix's size (V2) and the
 * parameters of a local-attention layer against a 3×3 convolution (V1). Answers are computed by
 * lib/analysis/pixel-attention.ts and the layer's hand count; tests/unit/exercises/vision-transformer-v12.test.ts
 * checks each checker right and wrong, and each answer against an independent count.
 */
import {checkNumber, formatAnswer, type NumberExerciseSpec} from "../check.js";
import {attentionMatrixSize, FLOAT32_BYTES} from "../../analysis/pixel-attention.js";

const n = formatAnswer;

/** Entries of one head's attention matrix for an S×S image cut into P×P patches. */
export function patchAttentionExercise(side = 224, patch = 16): NumberExerciseSpec {
  const z = attentionMatrixSize(side, side, patch);
  const pixels = attentionMatrixSize(side, side, 1);
  const grid = Math.floor(side / patch);
  return {
    id: "v2-patch-entries",
    question:
      `${side}×${side} 이미지를 ${patch}×${patch} patch로 잘라 토큰으로 쓰면, head 하나 · 이미지 하나의 attention 행렬에는 ` +
      `값이 몇 개 있습니까?`,
    label: "값",
    unit: "개",
    expected: z.entries,
    check: (v) =>
      checkNumber(v, z.entries, {
        explain: `N = (${side}/${patch})² = ${n(z.tokens)}개 토큰, 행렬은 N × N = ${n(z.entries)}개 값 (float32로 ${n(z.bytes)} 바이트).`,
        hints: [
          {value: z.tokens, message: "토큰 수 N을 답했습니다: 행렬은 N × N입니다."},
          {value: grid, message: "한 변의 patch 수입니다: 토큰은 가로 × 세로, 행렬은 그 제곱입니다."},
          {value: z.bytes, message: "바이트 수입니다 (값 하나가 4바이트): 값의 개수를 물었습니다."},
          {value: pixels.entries, message: "픽셀을 토큰으로 센 행렬입니다: patch 하나가 토큰 하나입니다."},
          {value: pixels.tokens, message: "픽셀 수입니다: patch 하나가 토큰 하나이고, 행렬은 N × N입니다."}
        ]
      }),
    steps: [
      `토큰 수: 한 변에 ${side} / ${patch} = ${grid}개의 patch, N = ${grid} × ${grid} = ${n(z.tokens)}`,
      `attention 행렬: N × N = ${n(z.tokens)}² = ${n(z.entries)}개 값`,
      `float32 (값 하나 ${FLOAT32_BYTES}바이트): ${n(z.bytes)} 바이트. 같은 이미지의 픽셀을 토큰으로 쓰면 ${n(pixels.entries)}개 값입니다.`
    ]
  };
}

/** Bytes of one head's matrix for an S×S image with pixels as tokens, in MiB. */
export function pixelAttentionMiBExercise(side = 64): NumberExerciseSpec {
  const z = attentionMatrixSize(side, side, 1);
  const mib = z.bytes / 2 ** 20;
  return {
    id: "v2-pixel-mib",
    question:
      `${side}×${side} 이미지의 픽셀 하나하나를 토큰으로 쓰면, head 하나 · 이미지 하나의 attention 행렬은 float32로 몇 MiB입니까? ` +
      `(1 MiB = 2²⁰ 바이트)`,
    label: "크기",
    unit: "MiB",
    expected: mib,
    check: (v) =>
      checkNumber(v, mib, {
        // an exact answer (64 MiB for 64×64) must be typed exactly; otherwise two decimals are enough
        tolerance: Number.isInteger(mib) ? 1e-6 * mib : 0.005 + 1e-9,
        explain: `N = ${side}² = ${n(z.tokens)}, N² = ${n(z.entries)}개 값 × ${FLOAT32_BYTES}바이트 = ${n(z.bytes)} 바이트.`,
        hints: [
          {value: z.entries / 2 ** 20, message: "값의 개수를 MiB로 바꿨습니다: 값 하나가 4바이트입니다."},
          {value: (z.tokens * FLOAT32_BYTES) / 2 ** 20, message: "N개 값만 셌습니다: 행렬은 N × N입니다."},
          // MB as typed: in full, or rounded to one or two decimals (the tolerance is tight: the answer is exact)
          ...[z.bytes / 1e6, Number((z.bytes / 1e6).toFixed(2)), Number((z.bytes / 1e6).toFixed(1))].map((value) => ({
            value,
            message: "10⁶으로 나눴습니다 (MB): MiB는 2²⁰ = 1,048,576 바이트입니다."
          }))
        ]
      }),
    steps: [
      `토큰: N = ${side} × ${side} = ${n(z.tokens)}`,
      `값: N² = ${n(z.entries)}`,
      `바이트: ${n(z.entries)} × ${FLOAT32_BYTES} = ${n(z.bytes)}`,
      `MiB: ${n(z.bytes)} / ${n(2 ** 20)} = ${n(mib)}`
    ]
  };
}

export const V12_EXERCISES = {
  patchEntries: patchAttentionExercise(),
  pixelMiB: pixelAttentionMiBExercise()
};
