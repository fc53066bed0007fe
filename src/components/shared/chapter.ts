/**
 * The scaffold every chapter repeats, once (issue 11): one import for what every page uses, and `chapterTools`,
 * which shows the backend line and the live-cell help and mounts the page's live cells.
 *
 *   import {tf, backend, tex, html, Inputs, chapterTools, …} from "./components/shared/chapter.js";
 *   display(chapterTools({scope: {camera}, invalidation}));
 *
 * This module waits for the backend (it re-exports `./ready.js`), so every cell that uses one of its names does too.
 */
import {UI_LABELS} from "../../lib/glossary.js";
import {tf, backend} from "./ready.js";
import {backendPicker} from "./backend.js";
import {mountLiveCells} from "./live-cells.js";
import {html} from "./html.js";

export {tf, backend};
export {tex} from "./tex.js";
export {html, svg} from "./html.js";
export * as Inputs from "@observablehq/inputs";
export {imshow, imshowOf, matrixOf, matrixView, panels, errorNote} from "./imshow.js";
export {experimentPanel, runsPanel, type ExperimentContext} from "./experiment-panel.js";
export {numberExercise, cellExercise} from "./exercise.js";
export {checkNumber, formatAnswer} from "../../lib/exercises/check.js";

export interface ChapterToolsOptions {
  /** Page values the live cells may use, besides tf, lib, Plot, Inputs, tex, html and display. */
  scope?: Record<string, unknown>;
  /** A few of this chapter's `lib` functions, named in the help line. */
  libExamples?: string[];
  /** Framework's invalidation promise. */
  invalidation?: Promise<unknown>;
}

/** What a page value is, for the help line: a tensor's shape, an array's length, or its kind. */
export function describeValue(value: unknown): string {
  if (value instanceof tf.Tensor) return `[${value.shape.join(", ")}]`;
  if (Array.isArray(value)) return `${value.length}개 값`;
  if (value && typeof value === "object") return (value.constructor?.name ?? "object").replace(/^Object$/, "객체");
  return typeof value;
}

/** The backend line, the live-cell help (listing the scope), and the page's live cells mounted. */
export function chapterTools({scope = {}, libExamples = [], invalidation}: ChapterToolsOptions = {}): HTMLElement {
  const code = (name: string) => html`<code>${name}</code>`;
  const join = (nodes: Node[]) => nodes.flatMap((n, i) => (i ? [", ", n] : [n]));
  const lib = libExamples.length ? html` (${join(libExamples.map(code))} …)` : "";
  const own = Object.entries(scope).map(([name, value]) => html`<span>${code(name)} (${describeValue(value)})</span>`);
  const root = html`<div class="chapter-tools">
    ${backendPicker(backend)}
    <div class="live-help">
      <p>
        <b>Live cell 사용법.</b> 회색 테두리의 코드 상자는 직접 고쳐서 실행할 수 있습니다. <kbd>Shift</kbd>-<kbd
          >Enter</kbd
        >
        또는 <kbd>Ctrl</kbd>/<kbd>⌘</kbd>-<kbd>Enter</kbd>나 <b>${UI_LABELS.run}</b>으로 실행하고,
        <b>${UI_LABELS.stop}</b>로 멈추고, <b>${UI_LABELS.reset}</b>로 돌아갑니다 (<kbd>Ctrl</kbd>-<kbd>Z</kbd>로 되돌릴
        수 있습니다). 고친 코드는 이 브라우저에 저장되어 새로고침해도 남습니다. scope에는 ${code("tf")}, 이 강의의
        ${code("lib")} 전체${lib}, ${code("Plot")}, ${code("Inputs")}, ${code("tex")}, ${code("html")},
        ${code("display")}, ${code("sleep")},
        ${code("nextFrame")}${own.length ? html`, 그리고 이 장의 ${join(own)}` : ""}이 있습니다.
      </p>
    </div>
  </div>`;
  mountLiveCells({scope, invalidation});
  return root;
}
