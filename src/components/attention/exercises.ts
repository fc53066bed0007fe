/**
 * The 연습 section of chapter 6 「Attention」 (first half): the exercises of lib/exercises/attention.ts shown with the
 * kit's `numberExercise` / `cellExercise`, the question above the input and the worked steps behind 풀이 보기.
 */
import {attentionOutputSolution, checkAttentionOutput} from "../../lib/exercises/attention.js";
import {cellExercise, exerciseQuestion, exerciseSteps, specExercise} from "../shared/exercise.js";

export {specExercise};

/** The live-cell exercise: score → softmax → weighted sum for one query, judged each time the reader runs the cell. */
export function attendExercise(cell: string): HTMLElement {
  const root = cellExercise({
    id: "attend-cell",
    cell,
    check: (value) => checkAttentionOutput(value),
    solution: () => exerciseSteps(attentionOutputSolution())
  });
  root.prepend(exerciseQuestion("위 셀의 마지막 값이 attention output (크기 2의 배열)이 되면 맞습니다."));
  return root;
}
