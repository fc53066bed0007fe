/**
 * Exercises that check themselves (issue 11): the reader answers, a checker from `lib/exercises/` judges, the
 * feedback explains, and 풀이 보기 reveals a worked answer computed by the same code.
 *
 *   numberExercise({id, label, check, solution})   a typed number
 *   cellExercise({id, cell, check, solution})      the last value of a live cell (judged each time the cell runs)
 *
 * The root carries `data-exercise="<id>"` and, once judged, `data-result="right" | "wrong"`.
 */
import {parseAnswer, type CheckResult, type NumberExerciseSpec} from "../../lib/exercises/check.js";
import {UI_LABELS} from "../../lib/glossary.js";
import {LIVE_RESULT_EVENT, type LiveResultDetail} from "./live-cells.js";
import {el} from "./dom.js";

/** Feedback line and solution toggle, shared by both kinds. */
function frame(id: string, solution: () => Node | string) {
  const root = el("div", "exercise");
  root.dataset.exercise = id;
  const controls = el("div", "exercise-controls");
  const feedback = el("div", "exercise-feedback");
  feedback.setAttribute("aria-live", "polite");
  const show = el("button", "exercise-show", UI_LABELS.solution);
  show.type = "button";
  show.setAttribute("aria-expanded", "false");
  const answer = el("div", "exercise-solution");
  answer.hidden = true;
  answer.id = `exercise-solution-${id}`;
  show.setAttribute("aria-controls", answer.id);
  show.addEventListener("click", () => {
    if (answer.hidden && !answer.childNodes.length) {
      try {
        const content = solution();
        answer.append(typeof content === "string" ? document.createTextNode(content) : content);
      } catch (error) {
        answer.textContent = `풀이를 계산하지 못했습니다: ${(error as Error).message}`;
      }
    }
    answer.hidden = !answer.hidden;
    show.setAttribute("aria-expanded", String(!answer.hidden));
    show.textContent = answer.hidden ? UI_LABELS.solution : "풀이 숨기기";
  });
  const judge = (result: CheckResult) => {
    root.dataset.result = result.ok ? "right" : "wrong";
    feedback.className = `exercise-feedback ${result.ok ? "right" : "wrong"}`;
    // the mark is text as well as colour
    feedback.textContent = `${result.ok ? "✓ 맞습니다" : "✗ 아직 아닙니다"} — ${result.message}`;
  };
  const fail = (error: unknown) => {
    root.dataset.result = "wrong";
    feedback.className = "exercise-feedback wrong";
    feedback.textContent = `✗ 확인하지 못했습니다 — ${error instanceof Error ? error.message : String(error)}`;
  };
  return {root, controls, feedback, show, answer, judge, fail};
}

export interface NumberExerciseOptions {
  id: string;
  /** Label of the input (what to type), e.g. "출력 크기". */
  label: string;
  check: (value: number) => CheckResult;
  solution: () => Node | string;
  /** Shown after the input, e.g. "개", "°". */
  unit?: string;
}

/** A number the reader types, judged on 확인 or Enter. */
export function numberExercise(opts: NumberExerciseOptions): HTMLElement {
  const f = frame(opts.id, opts.solution);
  const label = el("label", "exercise-label");
  const input = el("input", "exercise-input");
  input.type = "text";
  input.inputMode = "decimal";
  input.autocomplete = "off";
  input.size = 10;
  label.append(`${opts.label} `, input);
  if (opts.unit) label.append(` ${opts.unit}`);
  const check = el("button", "exercise-check", UI_LABELS.check);
  check.type = "button";
  const run = () => {
    try {
      f.judge(opts.check(parseAnswer(input.value)));
    } catch (error) {
      f.fail(error);
    }
  };
  check.addEventListener("click", run);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      run();
    }
  });
  f.controls.append(label, check, f.show);
  f.root.append(f.controls, f.feedback, f.answer);
  return f.root;
}

export interface CellExerciseOptions {
  id: string;
  /** The live cell whose last value is judged (its `id=` in the fence). */
  cell: string;
  check: (value: unknown) => CheckResult;
  solution: () => Node | string;
}

/**
 * A live cell judged by a checker: every time the reader runs the cell (▶ 실행, Shift-Enter), its last value is
 * checked (not when it runs with the page). A cell that fails to run is reported as such. Place it after the cell.
 */
export function cellExercise(opts: CellExerciseOptions): HTMLElement {
  const f = frame(opts.id, opts.solution);
  f.root.classList.add("exercise-cell");
  const hint = el("span", "exercise-hint", "위 셀을 고쳐 실행하면 (Shift-Enter) 여기서 확인합니다.");
  const onResult = (event: Event) => {
    const {cellId, kind, outcome} = (event as CustomEvent<LiveResultDetail>).detail;
    // the starter code runs with the page: judge only what the reader runs
    if (cellId !== opts.cell || kind !== "click") return;
    // a reader's run happens while this exercise is shown; if it is gone, its page cell re-ran: stop listening
    if (!f.root.isConnected) {
      document.removeEventListener(LIVE_RESULT_EVENT, onResult);
      return;
    }
    if (outcome.status === "ok") {
      try {
        f.judge(opts.check(outcome.value));
      } catch (error) {
        f.fail(error);
      }
    } else if (outcome.status === "error") {
      f.root.dataset.result = "wrong";
      f.feedback.className = "exercise-feedback wrong";
      f.feedback.textContent = `✗ 셀이 실행되지 않았습니다 — ${outcome.error.message}`;
    }
  };
  document.addEventListener(LIVE_RESULT_EVENT, onResult);
  f.controls.append(hint, f.show);
  f.root.append(f.controls, f.feedback, f.answer);
  return f.root;
}

/** Worked steps, one list item per line. */
export function exerciseSteps(lines: string[]): HTMLElement {
  const ol = el("ol", "exercise-steps");
  for (const line of lines) ol.append(el("li", "", line));
  return ol;
}

/** The question above an exercise's input. */
export function exerciseQuestion(text: string): HTMLParagraphElement {
  return el("p", "exercise-question", text);
}

/** A typed-number exercise from its spec: question, input, 확인, feedback, 풀이 보기 with the worked steps. */
export function specExercise(spec: NumberExerciseSpec): HTMLElement {
  const root = numberExercise({
    id: spec.id,
    label: spec.label,
    unit: spec.unit,
    check: (v) => spec.check(v),
    solution: () => exerciseSteps(spec.steps)
  });
  root.prepend(exerciseQuestion(spec.question));
  return root;
}
