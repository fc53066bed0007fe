/**
 * The 연습 section of chapter 3 「CNN Model 비교」: the exercises of lib/exercises/cnn-models.ts shown with the kit's
 * `numberExercise` / `cellExercise`, the question above the input and the worked steps behind 풀이 보기.
 */
import {checkDeseasonKernel, deseasonSolution} from "../../lib/exercises/cnn-models.js";
import {cellExercise, exerciseQuestion, exerciseSteps, specExercise} from "../shared/exercise.js";

export {specExercise};

/** The live-cell exercise: the kernel that removes the yearly cycle of the CO₂ series, judged on each run. */
export function deseasonExercise(cell: string): HTMLElement {
  const root = cellExercise({
    id: "deseason-kernel",
    cell,
    check: (value) => checkDeseasonKernel(value),
    solution: () => exerciseSteps(deseasonSolution().steps)
  });
  root.prepend(
    exerciseQuestion(
      "위 셀의 커널 w를 고쳐, CO₂ 시계열에서 계절의 오르내림(12개월 주기)은 지우고 수준(추세)은 그대로 남기는 커널을 만드세요."
    )
  );
  return root;
}
