/**
 * The 연습 section of chapter 5 「Seq2Seq」: the exercises of lib/exercises/seq2seq.ts shown with the kit's
 * `numberExercise` / `cellExercise`, the question above the input and the worked steps behind 풀이 보기.
 */
import {checkTeacherForcing, teacherForcingSolution} from "../../lib/exercises/seq2seq.js";
import {cellExercise, exerciseQuestion, exerciseSteps, specExercise} from "../shared/exercise.js";

export {specExercise};

/** The live-cell exercise: the decoder's input and labels under teacher forcing, judged on each run. */
export function teacherForcingExercise(cell: string, target: string[], start: string, end: string): HTMLElement {
  const root = cellExercise({
    id: "teacher-forcing",
    cell,
    check: (value) => checkTeacherForcing(value, target, start, end),
    solution: () => exerciseSteps(teacherForcingSolution(target, start, end))
  });
  root.prepend(
    exerciseQuestion("위 셀의 마지막 값 {input, output}이 teacher forcing의 decoder 입력과 정답이 되면 맞습니다.")
  );
  return root;
}
