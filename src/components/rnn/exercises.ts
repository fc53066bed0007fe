/**
 * The 연습 section of chapter 4 「RNN」: the exercises of lib/exercises/rnn.ts shown with the kit's
 * `numberExercise` / `cellExercise`, the question above the input and the worked steps behind 풀이 보기.
 */
import {checkHiddenSequence, hiddenSequenceSolution} from "../../lib/exercises/rnn.js";
import {cellExercise, exerciseQuestion, exerciseSteps, specExercise} from "../shared/exercise.js";

export {specExercise};

/** The live-cell exercise: the loop that carries h from one time step to the next, judged on each run. */
export function recurrenceExercise(cell: string): HTMLElement {
  const root = cellExercise({
    id: "recurrence-loop",
    cell,
    check: (value) => checkHiddenSequence(value),
    solution: () => exerciseSteps(hiddenSequenceSolution())
  });
  root.prepend(exerciseQuestion("위 셀의 마지막 값(hs)이 h_1 … h_T가 되면 맞습니다."));
  return root;
}
