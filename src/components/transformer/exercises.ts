/**
 * The 연습 section of chapter 7 「Transformer」: the exercises of lib/exercises/transformer.ts shown with the kit's
 * `specExercise` / `cellExercise`.
 */
import {addNormSolution, checkAddNorm} from "../../lib/exercises/transformer.js";
import {cellExercise, exerciseQuestion, exerciseSteps, specExercise} from "../shared/exercise.js";
import type {NumberExerciseSpec} from "../../lib/exercises/transformer.js";

export {specExercise};

/** A number exercise headed "연습 n." (the page numbers all its exercises the same way). */
export function numberedExercise(n: number, spec: NumberExerciseSpec): HTMLElement {
  return specExercise({...spec, question: `연습 ${n}. ${spec.question}`});
}

/** The live-cell exercise: Add & Norm of one position by hand, judged on each run. */
export function addNormExercise(cell: string): HTMLElement {
  const root = cellExercise({
    id: "add-norm",
    cell,
    check: (value) => checkAddNorm(value),
    solution: () => exerciseSteps(addNormSolution())
  });
  root.prepend(exerciseQuestion("위 셀의 마지막 값이 LayerNorm(x + f(x))가 되면 맞습니다."));
  return root;
}
