/**
 * A live cell before its editor loads (issue 18, item 4): the cell's code, highlighted by lib/live/tokens.ts in the
 * editor's colours, inside the same boxes and classes CodeMirror draws (`cm-editor` › `cm-scroller` › gutters and
 * `cm-content` › `cm-line`), with a copy of CodeMirror's base sizes, so the editor replaces it without a shift.
 *
 * It is focusable and editable with the editor's semantics (`role="textbox"`, `aria-multiline`, the same label), so
 * keyboard and screen-reader use never depend on the editor having loaded: the first focus asks for the editor
 * (`onActivate`), and whatever the reader types meanwhile edits this plain text (each `beforeinput` applied to the
 * code, never the DOM's own editing). Shift-Enter and Ctrl/Cmd-Enter run the cell here too. Nothing here parses
 * HTML: the code goes in as text nodes only (a share link's text is never markup).
 */
import {highlightLines, TOKEN_COLORS} from "../../lib/live/tokens.js";

/** What live-cells.ts needs from a cell's code view: the placeholder here, or the editor (live-editor.ts). */
export interface CodeSurface {
  /** The code as shown (and as the reader edited it). */
  readonly code: string;
  /** Replace the whole code (in the editor, its own undo step). */
  setCode(code: string): void;
  /** Mark a line (1-based) as the error's, or clear it with null. */
  setErrorLine(line: number | null): void;
  focus(): void;
  destroy(): void;
}

export interface SurfaceOptions {
  /** The cell's id (the label names it). */
  id: string;
  doc: string;
  /** After each edit by the reader. */
  onChange: (code: string) => void;
  /** Shift-Enter, Ctrl/Cmd-Enter. */
  onRun: () => void;
}

/** A selection in code offsets, carried over to the editor. */
export interface CodeSelection {
  anchor: number;
  head: number;
}

export interface Placeholder extends CodeSurface {
  /** The reader's selection inside the placeholder, if it has one. */
  selection(): CodeSelection | undefined;
  hasFocus(): boolean;
  errorLine(): number | null;
  /** The code before the last `setCode` (Reset, a conflict button), while the reader can still undo it. */
  undoBase(): string | undefined;
}

/** The label the editor's content carries too (live-editor.ts). */
export const codeLabel = (id: string) => `live cell ${id} code`;

/** CodeMirror's sizes for what the placeholder draws (its base theme, @codemirror/view 6), and the token colours. */
const CSS = `
.live-placeholder{position:relative;box-sizing:border-box;display:flex!important;flex-direction:column}
.live-placeholder .cm-scroller{display:flex!important;align-items:flex-start!important;font-family:monospace;line-height:1.4;height:100%;overflow-x:auto;position:relative;z-index:0;overflow-anchor:none}
.live-placeholder .cm-content{margin:0;flex-grow:2;flex-shrink:0;display:block;white-space:pre;word-wrap:normal;box-sizing:border-box;min-height:100%;padding:4px 0;outline:none;caret-color:black;tab-size:4}
.live-placeholder .cm-line{display:block;padding:0 2px 0 6px}
.live-placeholder .cm-activeLine{background-color:#cceeff44}
.live-placeholder .cm-gutters{flex-shrink:0;display:flex;height:100%;box-sizing:border-box;position:sticky;left:0;z-index:200;background-color:#f5f5f5;color:#6c6c6c;border-right:1px solid #ddd}
.live-placeholder .cm-gutter{display:flex;flex-direction:column;flex-shrink:0;box-sizing:border-box;min-height:100%;overflow:hidden;padding-top:4px}
.live-placeholder .cm-gutterElement{box-sizing:border-box}
.live-placeholder .cm-lineNumbers .cm-gutterElement{padding:0 3px 0 5px;min-width:20px;text-align:right;white-space:nowrap}
.live-placeholder .cm-foldGutter .cm-gutterElement span{padding:0 1px}
.live-placeholder .cm-activeLineGutter{background-color:#e2f2ff}
.live-placeholder .live-spacer{height:0;visibility:hidden;pointer-events:none}
${Object.entries(TOKEN_COLORS)
  .map(([kind, color]) => `.live-placeholder .tok-${kind}{color:${color}}`)
  .join("\n")}
`;

let styled = false;
function addStyle(): void {
  if (styled) return;
  styled = true;
  const style = document.createElement("style");
  style.textContent = CSS;
  document.head.append(style);
}

/** The widest line number the editor's gutter makes room for: 9, 99, 999… (CodeMirror's `maxLineNumber`). */
function maxLineNumber(lines: number): number {
  let last = 9;
  while (last < lines) last = last * 10 + 9;
  return last;
}

function div(className: string, text?: string): HTMLDivElement {
  const d = document.createElement("div");
  d.className = className;
  if (text !== undefined) d.textContent = text;
  return d;
}

/** The placeholder for a cell, appended to `parent`. `onActivate` is called on the first focus. */
export function createPlaceholder(
  parent: HTMLElement,
  {id, doc, onChange, onRun, onActivate}: SurfaceOptions & {onActivate: () => void}
): Placeholder {
  addStyle();
  let code = doc;
  let errorLine: number | null = null;
  let before: string | undefined;
  const root = div("cm-editor live-placeholder");
  const scroller = div("cm-scroller");
  const gutters = div("cm-gutters");
  gutters.setAttribute("aria-hidden", "true");
  const numbers = div("cm-gutter cm-lineNumbers");
  const folds = div("cm-gutter cm-foldGutter");
  gutters.append(numbers, folds);
  const content = div("cm-content");
  for (const [name, value] of Object.entries({
    contenteditable: "true",
    role: "textbox",
    "aria-multiline": "true",
    "aria-label": codeLabel(id),
    tabindex: "0",
    spellcheck: "false",
    autocorrect: "off",
    autocapitalize: "off",
    translate: "no"
  }))
    content.setAttribute(name, value);
  scroller.append(gutters, content);
  root.append(scroller);
  parent.append(root);

  function render(): void {
    const lines = highlightLines(code);
    const spacer = div("cm-gutterElement live-spacer", String(maxLineNumber(lines.length)));
    const foldSpacer = div("cm-gutterElement live-spacer");
    const mark = document.createElement("span");
    mark.textContent = "›";
    foldSpacer.append(mark);
    numbers.replaceChildren(spacer);
    folds.replaceChildren(foldSpacer);
    content.replaceChildren();
    lines.forEach((tokens, n) => {
      const line = div(n === 0 ? "cm-line cm-activeLine" : "cm-line");
      if (errorLine === n + 1) line.classList.add("cm-error-line");
      for (const t of tokens) {
        if (!t.kind) line.append(t.text);
        else {
          const span = document.createElement("span");
          span.className = `tok-${t.kind}`;
          span.textContent = t.text;
          line.append(span);
        }
      }
      if (!tokens.length) line.append(document.createElement("br"));
      content.append(line);
      numbers.append(div(n === 0 ? "cm-gutterElement cm-activeLineGutter" : "cm-gutterElement", String(n + 1)));
      folds.append(div(n === 0 ? "cm-gutterElement cm-activeLineGutter" : "cm-gutterElement", "\u200b"));
    });
  }
  render();

  /** A DOM point inside the content → an offset in `code`. */
  function toOffset(node: Node, offset: number): number | undefined {
    if (!content.contains(node)) return undefined;
    const lines = Array.from(content.children);
    let lineIndex: number;
    let column = 0;
    if (node === content) {
      lineIndex = Math.min(offset, lines.length - 1);
      if (offset >= lines.length) column = Infinity;
    } else {
      const line = (node instanceof Element ? node : node.parentElement)!.closest(".cm-line");
      lineIndex = line ? lines.indexOf(line) : -1;
      if (lineIndex < 0) return undefined;
      const range = document.createRange();
      range.setStart(line!, 0);
      range.setEnd(node, offset);
      column = range.toString().length;
    }
    const texts = code.split("\n");
    let at = 0;
    for (let i = 0; i < lineIndex; i++) at += texts[i].length + 1;
    return at + Math.min(column, texts[lineIndex]?.length ?? 0);
  }

  /** Put the caret at an offset of `code`. */
  function placeCaret(offset: number): void {
    const texts = code.split("\n");
    let lineIndex = 0;
    while (lineIndex < texts.length - 1 && offset > texts[lineIndex].length) offset -= texts[lineIndex++].length + 1;
    const line = content.children[lineIndex];
    if (!line) return;
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    let node: Node | null;
    let point: [Node, number] = [line, 0];
    while ((node = walker.nextNode())) {
      const length = node.textContent!.length;
      if (offset <= length) {
        point = [node, offset];
        break;
      }
      offset -= length;
      point = [node, length];
    }
    getSelection()?.collapse(point[0], point[1]);
  }

  function selection(): CodeSelection | undefined {
    const sel = getSelection();
    if (!sel || !sel.anchorNode || !sel.focusNode) return undefined;
    const anchor = toOffset(sel.anchorNode, sel.anchorOffset);
    const head = toOffset(sel.focusNode, sel.focusOffset);
    return anchor === undefined || head === undefined ? undefined : {anchor, head};
  }

  function edit(from: number, to: number, text: string): void {
    before = undefined;
    code = code.slice(0, from) + text + code.slice(to);
    errorLine = null;
    render();
    placeCaret(from + text.length);
    onChange(code);
  }

  const listeners = new AbortController();
  const on = <K extends keyof HTMLElementEventMap>(type: K, handler: (e: HTMLElementEventMap[K]) => void) =>
    content.addEventListener(type, handler, {signal: listeners.signal});
  on("focus", () => onActivate());
  on("keydown", (e) => {
    if (e.key === "Enter" && (e.shiftKey || e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      onRun();
    }
  });
  on("beforeinput", (e) => {
    const insert: Record<string, () => string> = {
      insertText: () => e.data ?? "",
      insertReplacementText: () => e.data ?? e.dataTransfer?.getData("text/plain") ?? "",
      insertFromPaste: () => e.dataTransfer?.getData("text/plain") ?? e.data ?? "",
      insertFromDrop: () => e.dataTransfer?.getData("text/plain") ?? e.data ?? "",
      insertParagraph: () => "\n",
      insertLineBreak: () => "\n"
    };
    if (e.inputType === "insertCompositionText") return; // not cancelable: read back at compositionend
    e.preventDefault();
    if (e.inputType === "historyUndo" && before !== undefined) {
      // undo a Reset made before the editor loaded (the editor keeps the full history once it is here)
      const end = before.length;
      code = before;
      before = undefined;
      render();
      placeCaret(end);
      onChange(code);
      return;
    }
    const deleting = e.inputType.startsWith("delete");
    if (!deleting && !insert[e.inputType]) return; // formatting, history: nothing to do on plain code
    const range = e.getTargetRanges()[0];
    const sel = selection();
    const a = range ? toOffset(range.startContainer, range.startOffset) : sel && Math.min(sel.anchor, sel.head);
    const b = range ? toOffset(range.endContainer, range.endOffset) : sel && Math.max(sel.anchor, sel.head);
    if (a === undefined || b === undefined) return;
    if (deleting && a === b) return;
    edit(a, b, deleting ? "" : insert[e.inputType]());
  });
  on("compositionend", () => {
    const typed = Array.from(content.children, (line) => (line.textContent ?? "").replace(/\u200b/g, "")).join("\n");
    if (typed === code) return;
    const sel = selection();
    code = typed;
    render();
    if (sel) placeCaret(sel.head);
    onChange(code);
  });

  return {
    get code() {
      return code;
    },
    setCode(next: string) {
      before ??= code;
      code = next;
      errorLine = null;
      render();
      onChange(code);
    },
    setErrorLine(line: number | null) {
      errorLine = line;
      Array.from(content.children).forEach((el, n) => el.classList.toggle("cm-error-line", line === n + 1));
    },
    focus: () => content.focus(),
    destroy() {
      listeners.abort();
      root.remove();
    },
    selection,
    hasFocus: () => document.activeElement === content,
    errorLine: () => errorLine,
    undoBase: () => before
  };
}
