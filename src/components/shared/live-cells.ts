/**
 * Live cells: every ```ts live fence of a chapter becomes a cell the reader can edit and run.
 * The fence is rendered at build time (observablehq.config.ts → markdownIt) as highlighted code inside a
 * `.live-cell`, so the page reads and searches fine without JavaScript; `mountLiveCells` adds Run / Stop / Reset /
 * Copy link, output, error lines, and edits kept in localStorage.
 *
 * Light until the reader edits (issue 18, item 4): a cell first shows its code in live-placeholder.ts (highlighted,
 * focusable, editable as plain text); the first focus loads CodeMirror (live-editor.ts) and swaps it in, caret and
 * all. A cell's code runs from the body compiled at build time (scripts/vendor-editor.mjs →
 * src/vendor/live-compiled.json); only code that is not there (an edit, a share link) loads the compiler
 * (live-compiler.ts: sucrase, acorn). So a page nobody edits downloads none of the three.
 *
 * Compilation and running are in lib/live (tested in Node); this file is the DOM around them.
 */
import {FileAttachment} from "observablehq:stdlib";
import * as Plot from "@observablehq/plot";
import {Inspector} from "npm:@observablehq/runtime";
import {tf} from "../../lib/tf.js";
import * as lib from "../../lib/index.js";
import {CellSyntaxError} from "../../lib/live/errors.js";
import {sourceKey} from "../../lib/live/precompiled.js";
import {CellRunner, type RunOutcome} from "../../lib/live/runner.js";
import {decodeShare, encodeShare} from "../../lib/live/share.js";
import {UI_LABELS} from "../../lib/glossary.js";
import {tex} from "./tex.js";
import {html} from "./html.js";
import * as Inputs from "@observablehq/inputs";
import {imshow, imshowOf, matrixOf, matrixView, panels} from "./imshow.js";
import {createPlaceholder, type CodeSurface} from "./live-placeholder.js";

/** Fired on `document` after every run of a live cell (exercises judge its value). */
export const LIVE_RESULT_EVENT = "live-cell-result";
export interface LiveResultDetail {
  cellId: string;
  /** "click": the reader ran it (Run, Shift-Enter); "load": it ran with the page. */
  kind: "load" | "click";
  outcome: RunOutcome;
}

export interface MountOptions {
  /** Page values the cells may use (images, tensors), besides tf, lib, Plot, tex and html. */
  scope?: Record<string, unknown>;
  /** Framework's invalidation promise: stop and clean up when the mounting cell re-runs. */
  invalidation?: Promise<unknown>;
}

interface Stored {
  code: string;
  /** The original the reader's edit was made from. */
  original: string;
}

const STORAGE_PREFIX = "dl4i:live:";
/** One runner per page: TF.js's scope stack is global. */
let runner: CellRunner | undefined;

/** The page's path without `.html`/`index`, so dev (`/filter`) and built (`/filter.html`) share edits. */
export function pageKey(pathname = location.pathname): string {
  return pathname.replace(/\.html$/, "").replace(/\/index$/, "/");
}

function storageKey(cellId: string): string {
  return `${STORAGE_PREFIX}${pageKey()}:${cellId}`;
}

/** A stored edit, `"corrupt"` when the entry cannot be read (it is then removed), or undefined when there is none. */
function load(cellId: string): Stored | "corrupt" | undefined {
  let raw: string | null;
  try {
    raw = localStorage.getItem(storageKey(cellId));
  } catch {
    return undefined; // storage blocked: nothing stored
  }
  if (!raw) return undefined;
  const stored = parseStored(raw);
  if (stored) return stored;
  try {
    localStorage.removeItem(storageKey(cellId));
  } catch {
    // blocked: the entry stays, and is ignored again next time
  }
  return "corrupt";
}

/** A stored entry if it is one (JSON with string `code` and `original`), else undefined. */
export function parseStored(raw: string): Stored | undefined {
  try {
    const value = JSON.parse(raw) as Partial<Stored> | null;
    if (value && typeof value.code === "string" && typeof value.original === "string")
      return {code: value.code, original: value.original};
  } catch {
    // not JSON
  }
  return undefined;
}

/** Store (or clear) a cell's edit; false when the browser refused (a full quota, storage blocked). */
function save(cellId: string, stored: Stored | undefined): boolean {
  try {
    if (stored === undefined || stored.code === stored.original) localStorage.removeItem(storageKey(cellId));
    else localStorage.setItem(storageKey(cellId), JSON.stringify(stored));
    return true;
  } catch {
    return false;
  }
}

/** Each mounted cell's listeners, removed when the cell is mounted again. */
const mounted = new WeakMap<HTMLElement, AbortController>();

/** Each mounted cell's code view (placeholder or editor), read again when the cell is mounted again. */
const surfaces = new WeakMap<HTMLElement, CodeSurface>();

type EditorModule = typeof import("./live-editor.js");
type CompilerModule = typeof import("./live-compiler.js");
let editorModule: Promise<EditorModule> | undefined;
let compilerModule: Promise<CompilerModule> | undefined;
let precompiled: Promise<Record<string, string>> | undefined;
/** The same two once they have arrived: a Run then compiles and starts in the click's own task, as it always did. */
let compilerReady: CompilerModule | undefined;
let precompiledReady: Record<string, string> | undefined;

/** CodeMirror and the editor around it, fetched once for the page. */
function loadEditor(): Promise<EditorModule> {
  return (editorModule ??= import("./live-editor.js").catch((error) => {
    editorModule = undefined; // a later focus tries again (the network may be back)
    throw error;
  }));
}

/** sucrase and acorn, fetched once for the page, only for code that was not compiled at build time. */
function loadCompiler(): Promise<CompilerModule> {
  return (compilerModule ??= import("./live-compiler.js").then(
    (module) => (compilerReady = module),
    (error) => {
      compilerModule = undefined;
      throw error;
    }
  ));
}

/** The bodies compiled at build time, keyed by `sourceKey(code)`; empty when the file cannot be read. */
function precompiledBodies(): Promise<Record<string, string>> {
  return (precompiled ??= FileAttachment("../../vendor/live-compiled.json")
    .url()
    .then((url) => fetch(url))
    .then((response) => response.json())
    .then((table: unknown) => (table && typeof table === "object" ? (table as Record<string, string>) : {}))
    .catch(() => ({}))
    .then((table) => (precompiledReady = table)));
}

type Compiled = {body: string} | {error: unknown};

/** The body for this code now, when what it needs has arrived; undefined when it must wait. */
function compileNow(code: string): Compiled | undefined {
  const body = precompiledReady?.[sourceKey(code)];
  if (typeof body === "string") return {body};
  if (!precompiledReady || !compilerReady) return undefined;
  try {
    return {body: compilerReady.compile(code)};
  } catch (error) {
    return {error};
  }
}

/** The body for this code: from the build-time table, else compiled here after loading the compiler. */
async function bodyFor(code: string, onCompilerWait: () => void): Promise<string> {
  const body = (await precompiledBodies())[sourceKey(code)];
  if (typeof body === "string") return body;
  if (!compilerModule) onCompilerWait();
  const {compile} = await loadCompiler();
  return compile(code);
}

/** Page-load runs start in page order even when one waits for the compiler and the next does not. */
let loadTurn: Promise<unknown> = Promise.resolve();

/** A value as the reader should see it under the cell: nodes as themselves, text as text, tensors as text. */
/** A cell shows at most this many characters of a string and this many outputs: a huge output cannot freeze the tab. */
export const MAX_OUTPUT_CHARS = 20_000;
export const MAX_OUTPUTS = 200;

function renderValue(value: unknown): Node {
  if (value instanceof Node) return value;
  if (typeof value === "string") {
    const div = document.createElement("div");
    div.className = "live-text";
    if (value.length <= MAX_OUTPUT_CHARS) div.textContent = value;
    else {
      const note = document.createElement("p");
      note.className = "live-truncated";
      note.textContent = `… ${value.length.toLocaleString("en-US")}자 중 처음 ${MAX_OUTPUT_CHARS.toLocaleString("en-US")}자만 보여 줍니다.`;
      div.append(value.slice(0, MAX_OUTPUT_CHARS), note);
    }
    return div;
  }
  if (value instanceof tf.Tensor) {
    const pre = document.createElement("pre");
    pre.className = "live-tensor";
    const body = value.isDisposed ? "(disposed)" : value.toString().replace(/^Tensor\n?/, "");
    pre.textContent = `Tensor  shape [${value.shape.join(", ")}]  dtype ${value.dtype}\n${body}`;
    return pre;
  }
  const div = document.createElement("div");
  new Inspector(div).fulfilled(value);
  return div;
}

function button(label: string, title: string, className: string): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.title = title;
  b.className = className;
  return b;
}

interface LiveCell {
  id: string;
  root: HTMLElement;
  run: (kind: "load" | "click") => Promise<RunOutcome | undefined>;
}

/** Turn every `.live-cell` of the page into an editor. Cells marked autorun run in page order. */
export function mountLiveCells({scope = {}, invalidation}: MountOptions = {}): LiveCell[] {
  runner ??= new CellRunner();
  const share = decodeShare(location.hash);
  const cells = Array.from(document.querySelectorAll<HTMLElement>(".live-cell")).map((root) =>
    mountCell(root, scope, share)
  );
  // page-load runs queue in order, after the page's own cells have had a chance to start
  for (const cell of cells)
    if (cell.root.dataset.autorun !== "false" && !cell.root.dataset.shared) void cell.run("load");
  invalidation?.then(() => {
    void runner?.stop();
    for (const cell of cells) runner?.disposeCell(cell.id);
  });
  return cells;
}

function mountCell(
  root: HTMLElement,
  pageScope: Record<string, unknown>,
  share?: {cellId: string; code: string}
): LiveCell {
  const id = root.dataset.liveId!;
  const source = root.querySelector<HTMLElement>(".live-source");
  const original = (root.querySelector("code")?.textContent ?? "").replace(/\n$/, "");
  // mounting again (the page's mount cell re-ran): start from the current code
  const previous = surfaces.get(root);
  const current = previous?.code;
  previous?.destroy();
  surfaces.delete(root);
  root.querySelector(".live-ui")?.remove();

  mounted.get(root)?.abort();
  const listeners = new AbortController();
  mounted.set(root, listeners);
  const loaded = load(id);
  const corrupt = loaded === "corrupt";
  const stored = corrupt ? undefined : loaded;
  const shared = share?.cellId === id ? share.code : undefined;
  const conflict = !shared && stored && stored.original !== original && stored.code !== original ? stored : undefined;
  const initial = current ?? shared ?? stored?.code ?? original;

  const ui = document.createElement("div");
  ui.className = "live-ui";
  const toolbar = document.createElement("div");
  toolbar.className = "live-toolbar";
  const runButton = button(UI_LABELS.run, "실행 (Shift-Enter 또는 Ctrl/Cmd-Enter)", "live-run");
  const stopButton = button(UI_LABELS.stop, "실행 중인 셀을 멈춥니다", "live-stop");
  const resetButton = button(UI_LABELS.reset, "원래 코드로 (Ctrl-Z로 되돌릴 수 있음)", "live-reset");
  const linkButton = button(
    "링크 복사",
    "이 코드를 담은 링크를 복사합니다 (받는 사람이 Run을 눌러야 실행됨)",
    "live-link"
  );
  const edited = document.createElement("span");
  edited.className = "live-edited";
  edited.textContent = "수정됨";
  const status = document.createElement("span");
  status.className = "live-status";
  status.setAttribute("role", "status");
  stopButton.disabled = true;
  toolbar.append(runButton, stopButton, resetButton, linkButton, edited, status);
  const notice = document.createElement("div");
  notice.className = "live-notice";
  // what happened to the reader's saved edits (storage full, another tab, an unreadable entry): its own line, so it
  // never replaces a share or conflict notice
  const storageNotice = document.createElement("div");
  storageNotice.className = "live-notice live-storage-notice";
  storageNotice.setAttribute("role", "status");
  const editorHost = document.createElement("div");
  editorHost.className = "live-editor";
  const output = document.createElement("div");
  output.className = "live-output";
  ui.append(toolbar, notice, storageNotice, editorHost, output);
  root.append(ui);
  if (source) source.hidden = true;

  const isEdited = (code: string) => code !== original;
  let saveFailed = false;
  const persist = (code: string) => {
    const ok = save(id, {code, original});
    if (ok && saveFailed) storageNotice.replaceChildren();
    else if (!ok && !saveFailed)
      storageNotice.replaceChildren(
        html`<div class="live-banner live-save-failed">
          ⚠ 이 브라우저에 편집을 저장하지 못했습니다 (저장 공간이 가득 찼거나 막혀 있습니다). 편집한 코드는 이 페이지에
          그대로 있습니다: 페이지를 닫기 전에 복사해 두세요.
        </div>`
      );
    saveFailed = !ok;
  };
  const refreshEdited = (code: string) => {
    edited.hidden = !isEdited(code);
    root.classList.toggle("is-edited", isEdited(code));
  };

  const onChange = (code: string) => {
    refreshEdited(code);
    persist(code);
  };
  const onRun = () => void run("click");
  let destroyed = false;
  const placeholder = createPlaceholder(editorHost, {
    id,
    doc: initial,
    onChange,
    onRun,
    onActivate: () => void upgrade().catch(() => undefined)
  });
  let view: CodeSurface = placeholder;
  surfaces.set(root, view);
  refreshEdited(initial);

  /** Swap the editor in for the placeholder (once), keeping the code, the caret or selection, and the error mark. */
  let upgrading: Promise<CodeSurface> | undefined;
  function upgrade(): Promise<CodeSurface> {
    return (upgrading ??= (async () => {
      let createEditor: EditorModule["createEditor"];
      try {
        ({createEditor} = await loadEditor());
      } catch (error) {
        upgrading = undefined;
        status.textContent = "편집기를 불러오지 못했습니다: 이 칸에서 그대로 고치고 실행할 수 있습니다";
        status.className = "live-status error";
        throw error;
      }
      if (destroyed) return view;
      const focused = placeholder.hasFocus();
      // a Reset made in the placeholder becomes the editor's first undo step
      const base = placeholder.undoBase();
      const editor = createEditor(editorHost, {
        id,
        doc: base ?? placeholder.code,
        onChange,
        onRun,
        selection: focused && base === undefined ? placeholder.selection() : undefined,
        errorLine: placeholder.errorLine()
      });
      if (base !== undefined) editor.setCode(placeholder.code);
      // the editor goes in and the placeholder out in the same task: no frame shows both
      placeholder.destroy();
      view = editor;
      surfaces.set(root, view);
      if (focused) editor.focus();
      return editor;
    })());
  }
  /** Changes the reader may undo (Reset, the conflict buttons): at once, and undoable in the editor, which they load. */
  const setCode = (code: string) => {
    view.setCode(code);
    if (view === placeholder) void upgrade().catch(() => undefined);
  };

  if (shared !== undefined) {
    root.dataset.shared = "true";
    notice.replaceChildren(
      html`<div class="live-banner">
        공유된 링크의 코드입니다. 아직 실행하지 않았습니다: 내용을 확인하고 <b>Run</b>을 누르세요.
        <button type="button" class="live-use-original">원래 코드 보기</button>
      </div>`
    );
    notice.querySelector(".live-use-original")!.addEventListener("click", () => {
      setCode(stored?.code ?? original);
      notice.replaceChildren();
    });
    queueMicrotask(() => root.scrollIntoView({block: "center"}));
  } else if (conflict) {
    const details = html`<details>
      <summary>새 원본 코드 보기</summary>
      <pre class="live-other"></pre>
    </details>`;
    details.querySelector("pre")!.textContent = original;
    const banner = html`<div class="live-banner">
      ✎ 이 셀의 원본 코드가 바뀌었습니다. 지금 보이는 것은 <b>여러분이 수정한 코드</b>입니다.
      <button type="button" class="live-keep">내 수정본 유지</button>
      <button type="button" class="live-take">새 원본으로 바꾸기 (Ctrl-Z로 되돌림)</button>${details}
    </div>`;
    banner.querySelector(".live-keep")!.addEventListener("click", () => {
      persist(view.code);
      notice.replaceChildren();
    });
    banner.querySelector(".live-take")!.addEventListener("click", () => {
      setCode(original);
      notice.replaceChildren();
    });
    notice.replaceChildren(banner);
  }

  if (corrupt)
    storageNotice.replaceChildren(
      html`<div class="live-banner live-corrupt">
        저장된 편집을 읽을 수 없어 (손상된 항목) 지우고 원래 코드를 보여 줍니다.
      </div>`
    );

  // another tab saved an edit of this cell: the later save is the stored one; this tab says so and offers it
  addEventListener(
    "storage",
    (e) => {
      if (e.key !== storageKey(id)) return;
      const theirs = e.newValue === null ? undefined : parseStored(e.newValue);
      const code = theirs?.code ?? original;
      if (code === view.code) return storageNotice.replaceChildren();
      const banner = html`<div class="live-banner live-other-tab">
        ✎ 다른 탭에서 이 셀의 코드를 고쳐 저장했습니다. 저장된 것은 나중에 저장한 그 탭의 코드입니다.
        <button type="button" class="live-take-other">그 코드 불러오기</button>
        <button type="button" class="live-keep-mine">이 탭의 코드 저장</button>
      </div>`;
      banner.querySelector(".live-take-other")!.addEventListener("click", () => {
        setCode(code);
        storageNotice.replaceChildren();
      });
      banner.querySelector(".live-keep-mine")!.addEventListener("click", () => {
        persist(view.code);
        if (!saveFailed) storageNotice.replaceChildren();
      });
      storageNotice.replaceChildren(banner);
    },
    {signal: listeners.signal}
  );

  const display = (value: unknown) => {
    const shown = output.childElementCount;
    if (shown < MAX_OUTPUTS) output.append(renderValue(value));
    else if (shown === MAX_OUTPUTS) {
      const note = document.createElement("p");
      note.className = "live-truncated";
      note.textContent = `출력이 너무 많아 처음 ${MAX_OUTPUTS}개만 보여 줍니다.`;
      output.append(note);
    }
    return value;
  };

  /** Page-load runs queue in order; a reader's Run stops whatever runs (this cell too) and goes next. */
  let latest = 0;
  async function run(kind: "load" | "click"): Promise<RunOutcome | undefined> {
    const code = view.code;
    const token = ++latest;
    // busy from the click on, also while the code is being compiled (tests and exercises wait on it)
    root.dataset.busy = "true";
    view.setErrorLine(null);
    let result = compileNow(code);
    if (!result || kind === "load") {
      const compiled: Promise<Compiled> = result
        ? Promise.resolve(result)
        : bodyFor(code, () => {
            status.textContent = "코드를 실행할 준비를 하는 중… (처음 한 번만)";
            status.className = "live-status";
          }).then(
            (body) => ({body}),
            (error: unknown) => ({error})
          );
      if (kind === "load") {
        const turn = loadTurn.then(() => compiled);
        loadTurn = turn;
        result = await turn;
      } else result = await compiled;
      if (token !== latest) return undefined; // a newer run of this cell owns the UI now
    }
    if ("error" in result) {
      const e = result.error;
      const error =
        e instanceof CellSyntaxError
          ? e
          : e instanceof SyntaxError || !(e instanceof Error)
            ? new CellSyntaxError(String(e instanceof Error ? e.message : e), 1, 0)
            : e;
      delete root.dataset.busy;
      output.replaceChildren();
      const line = error instanceof CellSyntaxError ? error.line : undefined;
      showError(error, line);
      const outcome: RunOutcome = {status: "error", error, line, ms: 0};
      document.dispatchEvent(new CustomEvent(LIVE_RESULT_EVENT, {detail: {cellId: id, kind, outcome}}));
      return outcome;
    }
    const body = result.body;
    if (root.dataset.shared) {
      delete root.dataset.shared; // the reader chose to run it
      notice.replaceChildren();
    }
    root.dataset.busy = "true";
    status.textContent = runner!.current ? "대기 중…" : "실행 중…";
    status.className = "live-status";
    const scope = {
      tf,
      lib,
      ...lib,
      Plot,
      Inputs,
      tex,
      html,
      imshow,
      imshowOf,
      matrixOf,
      matrixView,
      panels,
      display,
      ...pageScope
    };
    const request = {
      cellId: id,
      body,
      scope,
      onStart: () => {
        output.replaceChildren();
        status.textContent = "실행 중…";
        stopButton.disabled = false;
      }
    };
    const outcome = await (kind === "click" ? runner!.runNow(request) : runner!.enqueue(request));
    if (token !== latest) return outcome; // a newer run of this cell owns the UI now
    stopButton.disabled = true;
    delete root.dataset.busy;
    if (outcome.status === "ok") {
      try {
        if (outcome.value !== undefined) display(outcome.value);
      } catch (e) {
        showError(e instanceof Error ? e : new Error(String(e)));
        return outcome;
      }
      status.textContent = `✓ ${outcome.ms} ms`;
      status.className = "live-status ok";
    } else if (outcome.status === "stopped") {
      status.textContent = "■ 정지함";
      status.className = "live-status stopped";
    } else {
      showError(outcome.error, outcome.line);
    }
    const detail: LiveResultDetail = {cellId: id, kind, outcome};
    document.dispatchEvent(new CustomEvent(LIVE_RESULT_EVENT, {detail}));
    return outcome;
  }

  function showError(error: Error, line?: number) {
    const box = document.createElement("div");
    box.className = "live-error";
    box.setAttribute("role", "alert");
    const where = line ? ` (${line}번째 줄)` : "";
    box.textContent = `${error.name}: ${error.message}${where}`;
    output.append(box);
    status.textContent = `✗ 오류${where}`;
    status.className = "live-status error";
    if (line) view.setErrorLine(line);
  }

  runButton.addEventListener("click", () => void run("click"));
  // Stop stops this cell only
  stopButton.addEventListener("click", () => void (runner?.current === id && runner.stop()));
  resetButton.addEventListener("click", () => {
    setCode(original);
    save(id, undefined);
    view.focus();
  });
  linkButton.addEventListener("click", async () => {
    const url = `${location.origin}${location.pathname}#${encodeShare(id, view.code)}`;
    // the link is also shown, selectable, for browsers that refuse the clipboard
    const field = html`<div class="live-banner live-share">
      이 셀의 코드를 담은 링크: <input class="live-share-url" readonly size="40" />
    </div>`;
    const input = field.querySelector("input") as HTMLInputElement;
    input.value = url;
    notice.replaceChildren(field);
    input.select();
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = "링크를 복사했습니다";
    } catch {
      status.textContent = "링크를 복사하세요 (위 칸)";
    }
  });
  listeners.signal.addEventListener("abort", () => (destroyed = true));
  return {id, root, run};
}
