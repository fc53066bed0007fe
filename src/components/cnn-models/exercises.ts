/**
 * The 연습 section of chapter 3 「CNN Model 비교」: the exercises of lib/exercises/cnn-models.ts shown with the kit's
 * `numberExercise` / `cellExercise`, the question above the input and the worked steps behind 풀이 보기.
 */
import {checkDeseasonKernel, deseasonSolution, type NumberExerciseSpec} from "../../lib/exercises/cnn-models.js";
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

/** The live-cell exercise: the kernel that removes the yearly cycle of the CO₂ series, judged on each run. */
export function deseasonExercise(cell: string): HTMLElement {
  const root = cellExercise({
    id: "deseason-kernel",
    cell,
    check: (value) => checkDeseasonKernel(value),
    solution: () => steps(deseasonSolution().steps)
  });
  root.prepend(
    question(
      "위 셀의 커널 w를 고쳐, CO₂ 시계열에서 계절의 오르내림(12개월 주기)은 지우고 수준(추세)은 그대로 남기는 커널을 만드세요."
    )
  );
  return root;
}
