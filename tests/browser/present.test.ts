/**
 * Presentation mode in Chromium (issue 4): entering by key and URL, slide count, every navigation key, the
 * hash deep link, Escape back to the same place, editors that keep their keys, presenter and audience in
 * step both ways, the print layout as a PDF with one page per slide, and a report of slides that would need
 * scrolling in every chapter at 1280×720 and 1920×1080.
 */
import {readFileSync} from "node:fs";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import type {Page} from "playwright-core";
import {COURSE_PAGES} from "../../lib/chapters.js";
import {openPage, PAGES, SCREENSHOTS, settle, useSite} from "./site.js";

interface Presentation {
  active: boolean;
  index: number;
  count: number;
  overflowing: number[];
  go(i: number): void;
}
const state = (page: Page) =>
  page.evaluate(() => {
    const p = (window as unknown as {__presentation: Presentation}).__presentation;
    return {active: p.active, index: p.index, count: p.count, overflowing: [...p.overflowing]};
  });

/** Slides the Markdown asks for, counted from the source: the title, each `##` (or `<h2>`), each `---` not right before a `##`. */
function slidesInSource(file: string): number {
  const lines = readFileSync(file, "utf8")
    .replace(/^---\n[\s\S]*?\n---\n/, "")
    .split("\n");
  let fenced = false;
  let count = 1;
  let pendingBreak = false;
  for (const line of lines) {
    if (line.startsWith("```")) fenced = !fenced;
    if (fenced) continue;
    if (/^---\s*$/.test(line)) {
      if (!pendingBreak) count++;
      pendingBreak = true;
    } else if (/^(## |<h2[ >])/.test(line)) {
      if (!pendingBreak) count++;
      pendingBreak = false;
    } else if (line.trim() !== "") pendingBreak = false;
  }
  return count;
}

const site = useSite();

describe("chapter 1 as slides", () => {
  let page: Page;
  beforeAll(async () => {
    ({page} = await openPage(site.browser, site.url, "/filter.html", {width: 1280, height: 720}));
  });
  afterAll(() => page?.context().close());

  test("p enters, the slide count matches the headings and breaks, every slide has speaker notes", async () => {
    expect((await state(page)).active).toBe(false);
    await page.keyboard.press("p");
    const s = await state(page);
    expect(s.active).toBe(true);
    expect(s.count).toBe(slidesInSource("src/filter.md"));
    expect(new URL(page.url()).searchParams.has("present")).toBe(true);
    const withNotes = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>("#observablehq-main > .notes"), (n) => Number(n.dataset.slide))
    );
    for (let i = 0; i < s.count; i++) expect(withNotes, `notes on slide ${i + 1}`).toContain(i);
    // the reading chrome is gone, the stage shows one slide
    expect(await page.locator("#observablehq-sidebar").isVisible()).toBe(false);
    expect(await page.locator(".present-counter").innerText()).toBe(`1 / ${s.count}`);
  });

  test("every navigation key moves the slide, and the hash follows", async () => {
    const {count} = await state(page);
    const steps: [string, number][] = [
      ["ArrowRight", 1],
      ["ArrowDown", 2],
      ["Space", 3],
      ["PageDown", 4],
      ["ArrowLeft", 3],
      ["ArrowUp", 2],
      ["Shift+Space", 1],
      ["PageUp", 0],
      ["End", count - 1],
      ["Home", 0]
    ];
    for (const [key, expected] of steps) {
      await page.keyboard.press(key);
      expect((await state(page)).index, key).toBe(expected);
    }
    await page.keyboard.press("PageDown");
    expect(new URL(page.url()).hash).toBe("#slide=2");
  });

  test("a slide, the overview, and typing in an editor on a slide", async () => {
    await page.evaluate(() => (window as unknown as {__presentation: Presentation}).__presentation.go(8));
    await settle(page);
    await page.screenshot({path: `${SCREENSHOTS}/present-slide.png`});
    await page.keyboard.press("o");
    expect(await page.locator(".present-card").count()).toBe((await state(page)).count);
    await page.screenshot({path: `${SCREENSHOTS}/present-overview.png`});
    await page.locator(".present-card").nth(2).click();
    expect((await state(page)).index).toBe(2);
    expect(await page.locator(".present-overview").count()).toBe(0);
    // slide 3 holds a live cell: keys typed there edit the code and never move the slide
    await page.locator('.live-cell[data-live-id="cell-1"] .cm-content').click();
    await page.keyboard.press("End");
    await page.keyboard.type(" // p o s");
    for (const key of ["ArrowRight", "ArrowLeft", "Space", "PageDown", "Home"]) await page.keyboard.press(key);
    expect((await state(page)).index).toBe(2);
    expect(await page.locator('.live-cell[data-live-id="cell-1"] .cm-content').innerText()).toContain("// p o s");
    await page.locator('.live-cell[data-live-id="cell-1"] .live-reset').click();
  });

  test("a running cell keeps its output updating on the slide", async () => {
    await page.evaluate(() => (window as unknown as {__presentation: Presentation}).__presentation.go(2));
    const cell = page.locator('.live-cell[data-live-id="cell-1"]');
    await cell.locator(".cm-content").click();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.insertText(
      'const box = display(html`<div class="ticker">0</div>`);\nfor (let i = 1; i <= 40; i++) {\n  box.textContent = String(i);\n  await sleep(40);\n}'
    );
    await page.keyboard.press("Shift+Enter");
    await page.waitForFunction(() => Number(document.querySelector(".ticker")?.textContent) >= 5);
    const first = Number(await page.locator(".ticker").innerText());
    await page.waitForTimeout(400);
    const second = Number(await page.locator(".ticker").innerText());
    expect(second).toBeGreaterThan(first);
    expect(await page.locator(".ticker").isVisible()).toBe(true);
    expect((await state(page)).index).toBe(2);
    await page.waitForFunction(() => !document.querySelector(".live-cell[data-busy]"));
    await cell.locator(".live-reset").click();
  });

  test("Escape returns the reader to the same place", async () => {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur()); // out of the editor
    await page.keyboard.press("Escape");
    expect((await state(page)).active).toBe(false);
    expect(new URL(page.url()).searchParams.has("present")).toBe(false);
    // the block at the top of the window, and where it is
    const anchor = () =>
      page.evaluate(() => {
        const blocks = Array.from(document.querySelectorAll<HTMLElement>("#observablehq-main > *"));
        const i = blocks.findIndex((el) => el.getBoundingClientRect().bottom > 0 && el.offsetHeight > 0);
        return {i, top: Math.round(blocks[i].getBoundingClientRect().top)};
      });
    await page.evaluate(() => window.scrollTo(0, 2400));
    await settle(page);
    const before = await anchor();
    await page.keyboard.press("p");
    await page.keyboard.press("Escape");
    await settle(page);
    const after = await anchor();
    expect(after.i).toBe(before.i);
    expect(Math.abs(after.top - before.top)).toBeLessThan(40);
    // after moving to another slide, Escape lands on that slide's place in the page
    await page.keyboard.press("p");
    await page.keyboard.press("End");
    await page.keyboard.press("Escape");
    // the last slide's first visible block (chapter 1's 연습 spans several slides)
    const top = await page.evaluate(() => {
      const blocks = Array.from(document.querySelectorAll<HTMLElement>("#observablehq-main > [data-slide]"));
      const last = Math.max(...blocks.map((el) => Number(el.dataset.slide)));
      const first = blocks.find((el) => Number(el.dataset.slide) === last && el.offsetHeight > 0)!;
      return first.getBoundingClientRect().top;
    });
    expect(Math.abs(top)).toBeLessThan(200);
  });
});

test("a swipe on a touch screen moves the slide", async () => {
  const context = await site.browser.newContext({
    viewport: {width: 1024, height: 768},
    hasTouch: true,
    isMobile: false,
    // as in site.ts: the service worker would reload the page once when it takes control (issue 18)
    serviceWorkers: "block"
  });
  const page = await context.newPage();
  await page.goto(`${site.url}/filter.html?present#slide=3`);
  await settle(page);
  const swipe = (from: number, to: number) =>
    page.evaluate(
      ([from, to]) => {
        const touch = (x: number) => new Touch({identifier: 1, target: document.body, clientX: x, clientY: 300});
        document.body.dispatchEvent(new TouchEvent("touchstart", {touches: [touch(from)], bubbles: true}));
        document.body.dispatchEvent(new TouchEvent("touchend", {changedTouches: [touch(to)], bubbles: true}));
      },
      [from, to]
    );
  await swipe(800, 300); // right to left: next
  expect((await state(page)).index).toBe(3);
  await swipe(300, 800); // left to right: previous
  await swipe(300, 800);
  expect((await state(page)).index).toBe(1);
  await context.close();
});

test("?present#slide=N opens on that slide", async () => {
  const {page, context} = await openPage(site.browser, site.url, "/filter.html?present#slide=6", {
    width: 1280,
    height: 720
  });
  const s = await state(page);
  expect(s.active).toBe(true);
  expect(s.index).toBe(5);
  expect(await page.locator("#observablehq-main > h2:visible").innerText()).toContain("Sobel & Scharr");
  await context.close();
});

test("the presenter window follows the audience, and the audience follows the presenter", async () => {
  const {page: audience, context} = await openPage(site.browser, site.url, "/filter.html?present#slide=2", {
    width: 1280,
    height: 720
  });
  const [presenter] = await Promise.all([context.waitForEvent("page"), audience.keyboard.press("s")]);
  await presenter.setViewportSize({width: 1600, height: 900});
  await presenter.waitForLoadState("load");
  await settle(presenter);
  expect((await state(presenter)).index).toBe(1);
  expect(await presenter.locator(".presenter-notes").innerText()).not.toBe("");
  expect(await presenter.locator(".presenter-timer").innerText()).toMatch(/^\d\d:\d\d$/);
  expect(await presenter.locator(".presenter-next .present-thumb").count()).toBe(1);
  await audience.keyboard.press("ArrowRight");
  await presenter.waitForFunction(
    () => (window as unknown as {__presentation: Presentation}).__presentation.index === 2
  );
  await presenter.keyboard.press("ArrowRight");
  await presenter.keyboard.press("ArrowRight");
  await audience.waitForFunction(
    () => (window as unknown as {__presentation: Presentation}).__presentation.index === 4
  );
  expect(await presenter.locator(".presenter-count").innerText()).toBe(`5 / ${(await state(presenter)).count}`);
  await settle(presenter);
  await presenter.screenshot({path: `${SCREENSHOTS}/presenter.png`});
  await context.close();
});

test("?present&print gives a PDF with one page per slide", async () => {
  const {page, context} = await openPage(site.browser, site.url, "/filter.html?present&print", {
    width: 1280,
    height: 720
  });
  await page.emulateMedia({media: "print"});
  await settle(page);
  const pdf = await page.pdf({width: "1280px", height: "720px", preferCSSPageSize: true, printBackground: true});
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  expect(pages).toBe(slidesInSource("src/filter.md"));
  await context.close();
});

describe.each([
  {width: 1280, height: 720},
  {width: 1920, height: 1080}
])("slides that need scrolling at $width×$height", (viewport) => {
  // chapters are decks; the home, glossary and licence pages are not
  test.each(PAGES.filter((p) => COURSE_PAGES.some((c) => `/${c.slug}` === p.path)))("$path", async ({url}) => {
    const {page, context} = await openPage(site.browser, site.url, `${url}?present`, viewport);
    const {count} = await state(page);
    // a fast pass in the page: each slide's fit is measured as it is shown (present.ts fits synchronously in go());
    // two frames let late layout land
    const candidates = await page.evaluate(async (count) => {
      const p = (window as unknown as {__presentation: Presentation}).__presentation;
      const found: number[] = [];
      for (let i = 0; i < count; i++) {
        p.go(i);
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        if (p.overflowing.includes(i)) found.push(i);
      }
      return found;
    }, count);
    // a slide the fast pass flags is checked again once the page is still (its re-fits at 120–1500 ms done)
    const overflowing: number[] = [];
    for (const i of candidates) {
      await page.evaluate((i) => (window as unknown as {__presentation: Presentation}).__presentation.go(i), i);
      await settle(page, 30_000, 1600);
      if ((await state(page)).overflowing.includes(i)) overflowing.push(i + 1);
    }
    expect(count, "slides").toBeGreaterThan(3);
    if (overflowing.length)
      console.warn(`${url}: slides that scroll at ${viewport.width}×${viewport.height}: ${overflowing.join(", ")}`);
    expect(overflowing, "slides to split").toEqual([]);
    await context.close();
  });
});
