/**
 * The live-cell editor: CodeMirror 6 with the course's highlighting, run keys and error-line marks. Loaded on demand
 * (`import("./live-editor.js")` in live-cells.ts) when a reader first focuses or edits a cell, so a page nobody edits
 * never downloads CodeMirror (issue 18, item 4); until then live-placeholder.ts shows the cell.
 */
import {EditorView, basicSetup} from "codemirror";
import {javascript} from "@codemirror/lang-javascript";
import {EditorSelection, EditorState, Prec, StateEffect, StateField} from "@codemirror/state";
import {isolateHistory} from "@codemirror/commands";
import {Decoration, keymap, type DecorationSet} from "@codemirror/view";
import {courseHighlighting} from "./highlight.js";
import {codeLabel, type CodeSelection, type CodeSurface, type SurfaceOptions} from "./live-placeholder.js";

const setErrorLine = StateEffect.define<number | null>();
const errorLineField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(lines, tr) {
    lines = lines.map(tr.changes);
    for (const e of tr.effects) {
      if (e.is(setErrorLine)) {
        if (e.value === null || e.value < 1 || e.value > tr.state.doc.lines) lines = Decoration.none;
        else lines = Decoration.set([Decoration.line({class: "cm-error-line"}).range(tr.state.doc.line(e.value).from)]);
      }
    }
    if (tr.docChanged) lines = Decoration.none;
    return lines;
  },
  provide: (f) => EditorView.decorations.from(f)
});

export interface EditorOptions extends SurfaceOptions {
  /** Where the caret (or selection) goes, e.g. where the reader clicked the placeholder. */
  selection?: CodeSelection;
  errorLine?: number | null;
}

/** A CodeMirror editor for a cell, appended to `parent`. */
export function createEditor(
  parent: HTMLElement,
  {id, doc, onChange, onRun, selection, errorLine}: EditorOptions
): CodeSurface {
  const clamp = (n: number) => Math.max(0, Math.min(doc.length, n));
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      selection: selection ? EditorSelection.single(clamp(selection.anchor), clamp(selection.head)) : undefined,
      extensions: [
        basicSetup,
        courseHighlighting,
        javascript({typescript: true}),
        Prec.highest(
          keymap.of([
            {key: "Shift-Enter", run: () => (onRun(), true)},
            {key: "Mod-Enter", run: () => (onRun(), true)}
          ])
        ),
        errorLineField,
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
        EditorView.contentAttributes.of({"aria-label": codeLabel(id), tabindex: "0"})
      ]
    })
  });
  if (errorLine) view.dispatch({effects: setErrorLine.of(errorLine)});
  return {
    get code() {
      return view.state.doc.toString();
    },
    // its own undo step, never merged with the typing just before it
    setCode: (code: string) =>
      view.dispatch({
        changes: {from: 0, to: view.state.doc.length, insert: code},
        annotations: isolateHistory.of("full")
      }),
    setErrorLine: (line: number | null) => view.dispatch({effects: setErrorLine.of(line)}),
    focus: () => view.focus(),
    destroy: () => {
      view.destroy();
      view.dom.remove();
    }
  };
}
