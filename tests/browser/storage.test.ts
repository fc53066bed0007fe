/**
 * Nothing lost, and a link never runs code (issue 17, items 4 and 5), in chapter 1's live cells: two tabs editing
 * the same cell (the later save wins, the other tab is told and can take it), a full storage quota (a clear message,
 * the edit kept in the page), corrupted stored entries (ignored with a message, the page intact), and share links
 * carrying hostile text (shown as text, never run, never parsed as HTML).
 */
import {expect, test} from "vitest";
import type {Page} from "playwright-core";
import {encodeShare} from "../../lib/live/share.js";
import {openPage, settle, useSite} from "./site.js";

const site = useSite();
const PATH = "/filter.html";
const KEY = "dl4i:live:/filter:cell-1";

const cell = (page: Page, id = "cell-1") => page.locator(`.live-cell[data-live-id="${id}"]`);
const editorText = (page: Page) => cell(page).locator(".cm-content").innerText();

async function type(page: Page, code: string): Promise<void> {
  await cell(page).locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(code);
}

test("two tabs edit the same cell: the later save wins and the other tab is told", async () => {
  const {page: a, context, report} = await openPage(site.browser, site.url, PATH);
  try {
    const b = await context.newPage();
    await b.goto(site.url + PATH);
    await settle(b);
    await type(a, "// from tab A\n1");
    await b.waitForSelector('.live-cell[data-live-id="cell-1"] .live-other-tab');
    expect(await b.evaluate((k) => JSON.parse(localStorage.getItem(k)!).code, KEY)).toBe("// from tab A\n1");
    await type(b, "// from tab B\n2"); // the later save
    await a.waitForSelector('.live-cell[data-live-id="cell-1"] .live-other-tab');
    expect(await a.evaluate((k) => JSON.parse(localStorage.getItem(k)!).code, KEY)).toBe("// from tab B\n2");
    expect(await editorText(a)).toBe("// from tab A\n1"); // nothing replaced behind the reader's back
    await cell(a).locator(".live-take-other").click();
    expect(await editorText(a)).toBe("// from tab B\n2");
    expect(await cell(a).locator(".live-other-tab").count()).toBe(0);
    await cell(a).locator(".live-reset").click();
    expect(report.pageErrors).toEqual([]);
  } finally {
    await context.close();
  }
});

test("a full storage quota: a clear message, and the edit stays in the page", async () => {
  const context = await site.browser.newContext({serviceWorkers: "block"});
  await context.addInitScript(() => {
    Storage.prototype.setItem = function () {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    };
  });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(site.url + PATH);
    await settle(page);
    await type(page, "const kept = 'still here';\nkept");
    const banner = cell(page).locator(".live-save-failed");
    await banner.waitFor();
    expect(await banner.innerText()).toContain("저장하지 못했습니다");
    expect(await editorText(page)).toBe("const kept = 'still here';\nkept");
    await cell(page).locator(".live-run").click();
    await page.waitForFunction(() =>
      document.querySelector('.live-cell[data-live-id="cell-1"] .live-output')?.textContent?.includes("still here")
    );
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});

test("corrupted stored entries are ignored with a message and removed; the page works", async () => {
  const context = await site.browser.newContext({serviceWorkers: "block"});
  await context.addInitScript((key) => {
    if (sessionStorage.getItem("seeded")) return;
    sessionStorage.setItem("seeded", "1");
    localStorage.setItem(key, "{not json");
    localStorage.setItem(key.replace("cell-1", "cell-2"), JSON.stringify({code: 42, original: null}));
  }, KEY);
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(site.url + PATH);
    await settle(page);
    for (const id of ["cell-1", "cell-2"]) {
      expect(await cell(page, id).locator(".live-corrupt").count(), id).toBe(1);
      expect(await cell(page, id).locator(".live-status.ok").count(), `${id} ran its original code`).toBe(1);
    }
    expect(await page.evaluate((k) => localStorage.getItem(k), KEY)).toBeNull();
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});

test("share links with hostile text show it as text and run nothing; a broken link is ignored", async () => {
  const hostile = [
    `<img src=x onerror="window.__pwned = 1">\ndisplay('ran')`,
    `</script><script>window.__pwned = 1</script>\n1`,
    `// ${"long ".repeat(20_000)}\n1`,
    `"\u0000\uFFFF\uD83D\uDE00 ${"\u202E"}evil"`
  ];
  const {page, context} = await openPage(site.browser, site.url, PATH);
  try {
    for (const code of hostile) {
      await page.goto(`${site.url}${PATH}#${encodeShare("cell-1", code)}`);
      await page.reload();
      await settle(page);
      expect(await page.evaluate(() => (window as unknown as {__pwned?: number}).__pwned)).toBeUndefined();
      // the lazy editor's placeholder shows the code until a reader focuses the cell: one .cm-line per line, as text
      const shown = await page.evaluate(() =>
        Array.from(
          document.querySelectorAll('.live-cell[data-live-id="cell-1"] .live-placeholder .cm-content .cm-line'),
          (line) => line.textContent
        ).join("\n")
      );
      expect(shown).toBe(code);
      expect(await cell(page).locator(".live-banner").innerText()).toContain("아직 실행하지 않았습니다");
      expect(await cell(page).locator(".live-output").innerText()).toBe("");
      expect(await cell(page).locator(".live-output img, .live-notice img, .live-output script").count()).toBe(0);
    }
    // not base64: ignored, the original code runs as usual
    await page.goto(`${site.url}${PATH}#share=cell-1.%%%not-base64`);
    await page.reload();
    await settle(page);
    expect(await cell(page).locator(".live-status.ok").count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as {__pwned?: number}).__pwned)).toBeUndefined();
  } finally {
    await context.close();
  }
});
