/**
 * The lazy live-cell editor (issue 18, item 4), on chapter 1: before any interaction the page requests no CodeMirror,
 * sucrase or acorn module and its cells still run (from the bodies compiled at build time); focusing a cell loads
 * the editor, which replaces the placeholder in a box of the same size, with the caret where the reader clicked;
 * a cell edited and run before the editor loads (Run, Shift-Enter), then edited and run again in the editor; a
 * restored edit shown in the placeholder; keyboard focus by Tab.
 */
import {gzipSync} from "node:zlib";
import {expect, test} from "vitest";
import type {BrowserContext, Page, Route} from "playwright-core";
import {SCREENSHOTS, settle, useSite} from "./site.js";

const site = useSite();
const PATH = "/filter.html";
/** Modules of the editor stack: CodeMirror, lezer, sucrase, acorn, and the course's two lazy modules. */
const EDITOR_STACK = /codemirror|@lezer|sucrase|acorn|live-editor|live-compiler|style-mod|w3c-keyname|crelt/;

interface Opened {
  page: Page;
  context: BrowserContext;
  requests: string[];
  /** gzip bytes of every response so far, by URL. */
  bytes: Map<string, number>;
  errors: string[];
}

async function open(path = PATH, beforeGoto?: (page: Page) => Promise<unknown>): Promise<Opened> {
  const context = await site.browser.newContext({
    viewport: {width: 1280, height: 900},
    deviceScaleFactor: 1,
    serviceWorkers: "block"
  });
  const page = await context.newPage();
  const requests: string[] = [];
  const bytes = new Map<string, number>();
  const errors: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("response", async (r) => {
    const body = await r.body().catch(() => undefined);
    if (body) bytes.set(r.url(), gzipSync(body).length);
  });
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  await beforeGoto?.(page);
  await page.goto(site.url + path, {waitUntil: "load"});
  await settle(page);
  return {page, context, requests, bytes, errors};
}

const cell = (page: Page, id: string) => page.locator(`.live-cell[data-live-id="${id}"]`);
const stackRequests = (o: Opened) => o.requests.filter((u) => EDITOR_STACK.test(u));
const kb = (o: Opened, filter: (url: string) => boolean = () => true) =>
  Array.from(o.bytes).reduce((sum, [url, n]) => sum + (filter(url) ? n : 0), 0) / 1024;

/** The editor's document and caret, when the cell has the real editor (CodeMirror keeps its view on the content). */
const editorState = (page: Page, id: string) =>
  page.evaluate((id) => {
    type State = {doc: {toString(): string}; selection: {main: {head: number}}};
    const content = document.querySelector(`.live-cell[data-live-id="${id}"] .cm-content`) as
      (HTMLElement & {cmTile?: {root?: {view?: {state: State}}}}) | null;
    const state = content?.cmTile?.root?.view?.state;
    return state ? {doc: state.doc.toString(), head: state.selection.main.head} : null;
  }, id);
const hasPlaceholder = (page: Page, id: string) => cell(page, id).locator(".live-placeholder").count();
const waitForEditor = (page: Page, id: string) =>
  page.waitForSelector(`.live-cell[data-live-id="${id}"] .cm-editor:not(.live-placeholder) .cm-content`);
const waitIdle = (page: Page, id: string) =>
  page.waitForFunction(
    (id) => {
      const root = document.querySelector(`.live-cell[data-live-id="${id}"]`);
      return (
        root &&
        !root.hasAttribute("data-busy") &&
        !/준비|실행 중|대기/.test(root.querySelector(".live-status")?.textContent ?? "")
      );
    },
    id,
    {timeout: 60_000}
  );

test("before any interaction no editor, sucrase or acorn module is fetched, and every cell ran", async () => {
  const o = await open();
  try {
    const cells = await o.page.locator(".live-cell").count();
    expect(cells).toBeGreaterThanOrEqual(6);
    expect(await o.page.locator(".live-status.ok").count()).toBe(cells);
    expect(await o.page.locator(".live-placeholder").count()).toBe(cells);
    expect(stackRequests(o)).toEqual([]);
    const before = kb(o);
    // the first focus brings the editor (CodeMirror), not the compiler: the code is unchanged
    await cell(o.page, "cell-1").locator(".cm-content").focus();
    await waitForEditor(o.page, "cell-1");
    await settle(o.page);
    const stack = stackRequests(o);
    expect(stack.some((u) => /codemirror/.test(u))).toBe(true);
    expect(stack.some((u) => /live-editor/.test(u))).toBe(true);
    expect(stack.some((u) => /sucrase|acorn/.test(u))).toBe(false);
    // editing and running needs the compiler: fetched then, once
    await o.page.keyboard.press("ControlOrMeta+A");
    await o.page.keyboard.insertText("const k: number = 7;\nk * 6");
    await cell(o.page, "cell-1").locator(".live-run").click();
    await waitIdle(o.page, "cell-1");
    expect(await cell(o.page, "cell-1").locator(".live-output").innerText()).toContain("42");
    const after = stackRequests(o);
    expect(after.some((u) => /sucrase/.test(u))).toBe(true);
    expect(after.some((u) => /acorn/.test(u))).toBe(true);
    // nothing downloaded twice
    expect(new Set(o.requests).size).toBe(o.requests.length);
    const stackKb = kb(o, (u) => EDITOR_STACK.test(u));
    console.log(
      `lazy editor, ${PATH}: ${before.toFixed(0)} KB gzip before the first click; ` +
        `the editor stack fetched on first focus/edit: ${stackKb.toFixed(1)} KB gzip`
    );
    expect(stackKb).toBeGreaterThan(100); // what a reader who never edits no longer downloads
    expect(o.errors).toEqual([]);
  } finally {
    await o.context.close();
  }
});

test("the editor replaces each placeholder in a box of the same size, with the caret where the reader clicked", async () => {
  const o = await open();
  try {
    const {page} = o;
    const ids = await page
      .locator(".live-cell")
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.liveId!));
    const box = (id: string) =>
      cell(page, id)
        .locator(".live-editor")
        .evaluate((e) => {
          const r = e.getBoundingClientRect();
          const line = e.querySelectorAll(".cm-line")[1] ?? e.querySelector(".cm-line")!;
          const range = document.createRange();
          const text = document.createTreeWalker(line, NodeFilter.SHOW_TEXT).nextNode();
          if (text) {
            range.setStart(text, 0);
            range.setEnd(text, Math.min(1, text.textContent!.length));
          }
          const c = text ? range.getBoundingClientRect() : line.getBoundingClientRect();
          return {height: r.height, width: r.width, textX: c.left - r.left, textY: c.top - r.top};
        });
    await cell(page, "cell-1").screenshot({path: `${SCREENSHOTS}/lazy-placeholder.png`});
    const before = new Map<string, Awaited<ReturnType<typeof box>>>();
    for (const id of ids) before.set(id, await box(id));

    // click on the second line, a few characters in: the editor opens with its caret there
    const line = cell(page, "cell-1").locator(".cm-line").nth(1);
    const text = await line.innerText();
    const lb = (await line.boundingBox())!;
    const charWidth = await line.evaluate((el) => {
      const r = document.createRange();
      const t = document.createTreeWalker(el, NodeFilter.SHOW_TEXT).nextNode()!;
      r.setStart(t, 0);
      r.setEnd(t, 1);
      return r.getBoundingClientRect().width;
    });
    const column = Math.min(4, text.length);
    await page.mouse.click(lb.x + 6 + charWidth * column + 1, lb.y + lb.height / 2);
    await waitForEditor(page, "cell-1");
    const firstLine = (await editorState(page, "cell-1"))!.doc.split("\n")[0];
    expect((await editorState(page, "cell-1"))!.head).toBe(firstLine.length + 1 + column);
    expect(
      await page.evaluate(() => document.activeElement?.closest(".cm-editor:not(.live-placeholder)") !== null)
    ).toBe(true);
    await cell(page, "cell-1").screenshot({path: `${SCREENSHOTS}/lazy-editor.png`});

    for (const id of ids) {
      if (await hasPlaceholder(page, id)) {
        await cell(page, id).locator(".cm-content").focus();
        await waitForEditor(page, id);
      }
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const now = await box(id);
      const was = before.get(id)!;
      expect(Math.abs(now.height - was.height), `${id} height ${was.height} → ${now.height}`).toBeLessThanOrEqual(0.5);
      expect(Math.abs(now.width - was.width)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(now.textX - was.textX), `${id} text x ${was.textX} → ${now.textX}`).toBeLessThanOrEqual(0.5);
      expect(Math.abs(now.textY - was.textY), `${id} text y ${was.textY} → ${now.textY}`).toBeLessThanOrEqual(0.5);
    }
    expect(await page.locator(".live-placeholder").count()).toBe(0);
    expect(o.errors).toEqual([]);
  } finally {
    await o.context.close();
  }
});

test("a cell edited and run before the editor loads (Run, Shift-Enter), then edited and run in the editor; the edit is restored in the placeholder", async () => {
  // hold the editor module back, so every key below reaches the placeholder
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  const o = await open(PATH, (page) =>
    page.route(/live-editor\.[\w-]+\.js$/, async (route: Route) => {
      await held;
      await route.continue();
    })
  );
  try {
    const {page} = o;
    // Run on an unedited cell: its body was compiled at build time, nothing is fetched
    await cell(page, "cell-2").locator(".live-run").click();
    await waitIdle(page, "cell-2");
    expect(await cell(page, "cell-2").locator(".live-status.ok").count()).toBe(1);
    expect(stackRequests(o).filter((u) => !/live-editor/.test(u))).toEqual([]);

    // edit in the placeholder, run with the button
    await cell(page, "cell-2").locator(".cm-content").click();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.insertText("const t = tf.tensor([1, 2, 3]);\nt.mul(3)");
    expect(await hasPlaceholder(page, "cell-2")).toBe(1);
    expect(await cell(page, "cell-2").locator(".live-edited").isVisible()).toBe(true);
    await cell(page, "cell-2").locator(".live-run").click();
    await waitIdle(page, "cell-2");
    expect(await cell(page, "cell-2").locator(".live-output").innerText()).toContain("[3, 6, 9]");
    expect(stackRequests(o).some((u) => /sucrase/.test(u))).toBe(true);

    // type more and run with Shift-Enter, still in the placeholder
    await cell(page, "cell-2").locator(".cm-content").focus();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("const n: number = 21;\n`answer: ${n * 2}`");
    await page.keyboard.press("Shift+Enter");
    await page.waitForFunction(() =>
      document.querySelector('.live-cell[data-live-id="cell-2"] .live-output')?.textContent?.includes("answer: 42")
    );
    expect(await hasPlaceholder(page, "cell-2")).toBe(1);
    const typed = "const n: number = 21;\n`answer: ${n * 2}`";
    expect(await cell(page, "cell-2").locator(".cm-content").innerText()).toBe(typed);
    // a syntax error is marked on its line in the placeholder too
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.insertText("1;\nconst = ;");
    await page.keyboard.press("ControlOrMeta+Enter");
    await page.waitForSelector('.live-cell[data-live-id="cell-2"] .live-placeholder .cm-error-line');
    expect(await cell(page, "cell-2").locator(".cm-error-line").innerText()).toContain("const =");
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.insertText(typed);

    // the editor arrives: same code, focus kept, then edited and run there
    release();
    await waitForEditor(page, "cell-2");
    expect((await editorState(page, "cell-2"))!.doc).toBe(typed);
    expect((await editorState(page, "cell-2"))!.head).toBe(typed.length);
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.insertText("[1, 2, 3].map((x) => x * 10).join(' ')");
    await page.keyboard.press("Shift+Enter");
    await page.waitForFunction(() =>
      document.querySelector('.live-cell[data-live-id="cell-2"] .live-output')?.textContent?.includes("10 20 30")
    );
    expect(new Set(o.requests).size).toBe(o.requests.length);
    expect(o.errors).toEqual([]);

    // reload: the restored edit shows in the placeholder and runs; the compiler is fetched for it, the editor is not
    const reloaded: string[] = [];
    page.on("request", (r) => reloaded.push(r.url()));
    await page.reload({waitUntil: "load"});
    await settle(page);
    expect(await hasPlaceholder(page, "cell-2")).toBe(1);
    expect(await cell(page, "cell-2").locator(".cm-content").innerText()).toBe(
      "[1, 2, 3].map((x) => x * 10).join(' ')"
    );
    expect(await cell(page, "cell-2").locator(".live-edited").isVisible()).toBe(true);
    expect(await cell(page, "cell-2").locator(".live-output").innerText()).toContain("10 20 30");
    expect(reloaded.some((u) => /sucrase/.test(u))).toBe(true);
    expect(reloaded.some((u) => /codemirror|live-editor/.test(u))).toBe(false);
    await page.evaluate(() => localStorage.clear());
  } finally {
    release();
    await o.context.close();
  }
});

test("Tab reaches a placeholder like the editor, with the editor's role and label, and the editor takes the focus", async () => {
  const o = await open();
  try {
    const {page} = o;
    const content = cell(page, "cell-3").locator(".cm-content");
    expect(await content.getAttribute("role")).toBe("textbox");
    expect(await content.getAttribute("aria-multiline")).toBe("true");
    expect(await content.getAttribute("aria-label")).toBe("live cell cell-3 code");
    await cell(page, "cell-3").locator(".live-link").focus();
    await page.keyboard.press("Tab");
    await waitForEditor(page, "cell-3");
    expect(
      await page.evaluate(() => {
        const a = document.activeElement;
        return (
          a?.classList.contains("cm-content") &&
          !a.closest(".live-placeholder") &&
          a.closest(".live-cell")?.getAttribute("data-live-id")
        );
      })
    ).toBe("cell-3");
    expect((await editorState(page, "cell-3"))!.head).toBe(0);
    expect(o.errors).toEqual([]);
  } finally {
    await o.context.close();
  }
});
