/**
 * Checked exercises of chapter 8, part v45 (see ../vision-transformer.ts): V5's DeiT hard-distillation loss and
 * label smoothing. Each answer is computed here by the formula; tests/unit/exercises/vision-transformer-v45.test.ts
 * checks them against ../../train/distill.ts and ../../train/losses.ts on the same numbers, right and wrong.
 */
import {checkNumber, formatAnswer, type NumberExerciseSpec} from "../check.js";
import {withParticle} from "../../korean.js";

const r4 = (x: number) => x.toFixed(4);

/**
 * DeiT's hard distillation for one image: the class head gives the true class probability `pLabel`, the distillation
 * head gives the teacher's class probability `pTeacher`; L = ½(−ln pLabel) + ½(−ln pTeacher).
 */
export function distillationLossExercise(pLabel = 0.8, pTeacher = 0.5): NumberExerciseSpec {
  const ceLabel = -Math.log(pLabel);
  const ceTeacher = -Math.log(pTeacher);
  const expected = 0.5 * ceLabel + 0.5 * ceTeacher;
  return {
    id: "distill-loss",
    question:
      `이미지 한 장에서 student의 class head는 정답 클래스에 확률 ${pLabel}, distillation head는 teacher가 고른 클래스에 확률 ` +
      `${withParticle(String(pTeacher), "을/를")} 줍니다. DeiT의 hard distillation loss ½·CE(class head, 정답) + ½·CE(distillation head, teacher의 답)은? ` +
      `(자연로그, 소수 넷째 자리까지)`,
    label: "loss",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        tolerance: 5e-4,
        explain: `½·${r4(ceLabel)} + ½·${r4(ceTeacher)}: 두 head가 각자의 정답을 절반씩 배웁니다.`,
        hints: [
          {value: ceLabel + ceTeacher, message: "두 항을 더하기만 했습니다: DeiT는 각 항에 ½을 곱합니다."},
          {value: 0.5 * ceLabel, message: "class head의 항만 계산했습니다: distillation head의 항도 더하세요."},
          {value: 0.5 * ceTeacher, message: "distillation head의 항만 계산했습니다: class head의 항도 더하세요."},
          {
            value: 0.5 * (-Math.log10(pLabel) - Math.log10(pTeacher)),
            message: "상용로그 (log₁₀)를 썼습니다: cross-entropy는 자연로그 (ln)입니다."
          },
          {value: ceLabel, message: "정답 레이블의 cross-entropy만 계산했습니다 (distillation이 없는 loss)."}
        ]
      }),
    steps: [
      `class head: CE = −ln ${pLabel} = ${r4(ceLabel)}`,
      `distillation head: CE = −ln ${pTeacher} = ${r4(ceTeacher)}`,
      `L = ½ · ${r4(ceLabel)} + ½ · ${r4(ceTeacher)} = ${r4(expected)}`
    ]
  };
}

/** Label smoothing ε over C classes: the target of the right class, 1 − ε + ε/C. */
export function labelSmoothingExercise(epsilon = 0.1, classes = 10): NumberExerciseSpec {
  const expected = 1 - epsilon + epsilon / classes;
  const other = epsilon / classes;
  return {
    id: "label-smoothing",
    question:
      `label smoothing ε = ${epsilon}, 클래스 ${classes}개 (Fashion-MNIST)일 때, 정답 클래스의 목표 확률 ` +
      `y(1 − ε) + ε/C는? (나머지 클래스는 각각 ${formatAnswer(other)})`,
    label: "목표 확률",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        tolerance: 1e-6,
        explain: `1 − ${epsilon} + ${epsilon}/${classes}. 합은 ${formatAnswer(expected)} + ${classes - 1} × ${formatAnswer(other)} = 1입니다.`,
        hints: [
          {value: 1 - epsilon, message: "ε/C를 정답 클래스에도 더해야 합니다: ε는 모든 클래스에 고르게 나눕니다."},
          {value: other, message: "그것은 정답이 아닌 클래스의 목표입니다."},
          {value: 1 - epsilon / classes, message: "정답 클래스에서는 ε 전체를 빼고 ε/C를 더합니다."}
        ]
      }),
    steps: [
      `정답 클래스: 1 × (1 − ${epsilon}) + ${epsilon}/${classes} = ${formatAnswer(expected)}`,
      `나머지 ${classes - 1}개: 0 × (1 − ${epsilon}) + ${epsilon}/${classes} = ${formatAnswer(other)}`,
      `합: ${formatAnswer(expected)} + ${classes - 1} × ${formatAnswer(other)} = 1`
    ]
  };
}
