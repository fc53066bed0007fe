/**
 * Checked exercises of chapter 8 「Attention / Transformer for Vision」, part V3 (ViT): the length of the token
 * sequence and the size of the patch embedding for a given image, patch size and width. Each spec has its question,
 * its answer computed here, a checker that names the usual mistakes, and the worked steps. The page renders them
 * with the kit's `specExercise`; tests/unit/exercises/vision-transformer-v3.test.ts checks each against a real
 * `buildVit` model.
 */
import {checkNumber, formatAnswer, type NumberExerciseSpec} from "../check.js";
import {withParticle} from "../../korean.js";

const n = formatAnswer;

/** Tokens entering the encoder for an H×W image cut into P×P patches: N = (H/P)·(W/P) patches + the class token. */
export function vitSequenceExercise(size = 384, patch = 16): NumberExerciseSpec {
  const side = size / patch;
  const patches = side * side;
  const expected = patches + 1;
  return {
    id: "vit-sequence",
    question:
      `${size}×${size}×3 이미지를 P = ${patch}인 patch로 자르는 ViT (class token 하나)에서, encoder에 들어가는 ` +
      `시퀀스의 길이 (토큰 수)는?`,
    label: "토큰 수",
    unit: "개",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        explain: `patch ${n(patches)}개 + class token 1개.`,
        hints: [
          {value: patches, message: "patch 수만 세었습니다: class token 하나가 맨 앞에 붙습니다."},
          {value: side, message: "한 변의 patch 수입니다: 가로와 세로를 곱하세요."},
          {value: side + 1, message: "한 변의 patch 수에 1을 더했습니다: patch는 가로 × 세로개입니다."},
          {value: patches * 3 + 1, message: "채널 수는 토큰 수가 아니라 토큰 하나의 길이 (P²·C)에 들어갑니다."},
          {value: patch * patch * 3, message: "토큰 하나의 길이 P²·C를 구했습니다: 물은 것은 토큰의 개수입니다."}
        ]
      }),
    steps: [
      `한 변: ${size} / ${patch} = ${side}`,
      `patch 수 N = ${side} × ${side} = ${n(patches)}`,
      `class token을 앞에 붙여 N + 1 = ${n(expected)}`
    ]
  };
}

/** Parameters of the patch embedding (a P×P convolution with stride P, C -> D, with bias): P²·C·D + D. */
export function patchEmbeddingParamsExercise(patch = 16, channels = 3, d = 768): NumberExerciseSpec {
  const weights = patch * patch * channels * d;
  const expected = weights + d;
  return {
    id: "vit-patch-params",
    question:
      `P = ${patch}, 채널 C = ${channels}, 토큰 폭 D = ${d}인 patch embedding (kernel = stride = P인 convolution, ` +
      `bias 포함)의 파라미터 수는? 이미지 크기는 답에 들어갈까요?`,
    label: "파라미터",
    unit: "개",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        explain: `행렬 E가 ${n(patch * patch * channels)} × ${d}, bias ${d}. 모든 patch가 같은 E를 쓰므로 이미지 크기는 들어가지 않습니다.`,
        hints: [
          {value: weights, message: "bias (D개)를 빠뜨렸습니다."},
          {value: patch * patch * d + d, message: "채널 C를 빠뜨렸습니다: 펼친 patch의 길이는 P²·C입니다."},
          {value: patch * channels * d + d, message: "P를 한 번만 곱했습니다: patch는 P × P 픽셀입니다."},
          {
            value: 196 * (patch * patch * channels * d + d),
            message: "patch마다 따로 세었습니다: 모든 patch가 같은 행렬 E를 씁니다 (convolution의 가중치 공유)."
          }
        ]
      }),
    steps: [
      `펼친 patch 하나의 길이: P²·C = ${patch}·${patch}·${channels} = ${n(patch * patch * channels)}`,
      `E: ${n(patch * patch * channels)} × ${d} = ${n(weights)}`,
      `bias ${withParticle(String(d), "을/를")} 더해 ${n(expected)} (patch 수, 즉 이미지 크기와 무관)`
    ]
  };
}

export const V3_EXERCISES = {sequence: vitSequenceExercise(), patchParams: patchEmbeddingParamsExercise()};
