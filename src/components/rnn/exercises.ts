/**
 * The 연습 section of chapter 4 「RNN」: the exercises of lib/exercises/rnn.ts shown with the kit's
 * `numberExercise` / `cellExercise`, the question above the input and the worked steps behind 풀이 보기.
 */
import {checkHiddenSequence, hiddenSequenceSolution, type NumberExerciseSpec} from "../../lib/exercises/rnn.js";
import {cellExercise, numberExercise} from "../shared/exercise.js";

function steps(lines: string[]): HTMLElement {
  const ol = document.createElement("ol");
  ol.className = "exercise-steps";
  for (const line of lines) {
    const li = document.createElement("li");
    li.textContent = line;
    ol.append(li);
  }
  return ol;
}

function question(text: string): HTMLParagraphElement {
  const p = document.createElement("p");
  p.className = "exercise-question";
  p.textContent = text;
  return p;
}

/** A typed-number exercise from its spec: question, input, 확인, feedback, 풀이 보기. */
export function specExercise(spec: NumberExerciseSpec): HTMLElement {
  const root = numberExercise({
    id: spec.id,
    label: spec.label,
    unit: spec.unit,
    check: (v) => spec.check(v),
    solution: () => steps(spec.steps)
  });
  root.prepend(question(spec.question));
  return root;
}

/** The live-cell exercise: the loop that carries h from one time step to the next, judged on each run. */
export function recurrenceExercise(cell: string): HTMLElement {
  const root = cellExercise({
    id: "recurrence-loop",
    cell,
    check: (value) => checkHiddenSequence(value),
    solution: () => steps(hiddenSequenceSolution())
  });
  root.prepend(question("위 셀의 마지막 값(hs)이 h_1 … h_T가 되면 맞습니다."));
  return root;
}
