/**
 * The 연습 section of chapter 5 「Seq2Seq」: the exercises of lib/exercises/seq2seq.ts shown with the kit's
 * `numberExercise` / `cellExercise`, the question above the input and the worked steps behind 풀이 보기. Every
 * exercise is numbered (연습 1., 연습 2., …); the `$…$` parts of a question are typeset by KaTeX.
 */
import type {NumberExerciseSpec} from "../../lib/exercises/check.js";
import {checkTeacherForcing, teacherForcingSolution} from "../../lib/exercises/seq2seq.js";
import {cellExercise, exerciseQuestion, exerciseSteps, specExercise} from "../shared/exercise.js";
import {tex} from "../shared/tex.js";

/** "연습 n." in bold, then the question with its `$…$` parts as inline KaTeX. */
export function questionNodes(n: number, question: string): (Node | string)[] {
  const label = document.createElement("b");
  label.className = "exercise-number";
  label.textContent = `연습 ${n}.`;
  const parts = question.split(/\$([^$]+)\$/);
  return [label, " ", ...parts.map((part, i) => (i % 2 === 1 ? tex.string(part) : part))];
}

/** A typed-number exercise numbered `n`, its question's formulas in KaTeX. */
export function numberedExercise(n: number, spec: NumberExerciseSpec): HTMLElement {
  const root = specExercise(spec);
  root.querySelector(".exercise-question")?.replaceChildren(...questionNodes(n, spec.question));
  return root;
}

/** The live-cell exercise (its number, 연습 4., heads the task above the cell): judged on each run. */
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
