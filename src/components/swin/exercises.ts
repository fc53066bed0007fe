/** The 연습 section of the Swin page: lib/exercises/swin.ts's exercises, numbered, with the kit's `specExercise`. */
import type {NumberExerciseSpec} from "../../lib/exercises/swin.js";
import {specExercise} from "../shared/exercise.js";

/** A number exercise headed "연습 n.". */
export function numberedExercise(n: number, spec: NumberExerciseSpec): HTMLElement {
  return specExercise({...spec, question: `연습 ${n}. ${spec.question}`});
}
