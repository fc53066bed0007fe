/**
 * Accessibility and small screens (issue 17): axe-core (WCAG 2.1 A and AA rules) finds nothing in presentation mode
 * (the controls, every slide of every deck, the overview, the presenter window) and on a phone; at 390 and 768 px wide no page scrolls sideways. The
 * reading mode's axe check runs in pages.test.ts, on the same load as its other checks.
 */
import {readFileSync} from "node:fs";
import {createRequire} from "node:module";
import {describe, expect, test} from "vitest";
import type {Page} from "playwright-core";
import {COURSE_PAGES} from "../../lib/chapters.js";
import {axeViolations, openPage, PAGES, settle, useSite} from "./site.js";

const site = useSite();
const chapters = PAGES.filter((p) => COURSE_PAGES.some((c) => `/${c.slug}` === p.path));

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * axe on every slide of the deck, in the page: each slide is shown with the present mode's own `go`, two frames pass
 * (the slide's synchronous fit), and axe checks the slide stage with the rules presentation mode can break (below) (`main`; the hidden slides are out of the check, as
 * axe skips `visibility: hidden`). One line per violation, with the slide's number.
 */
async function axeEverySlide(page: Page): Promise<{count: number; found: string[]}> {
  await page.addScriptTag({content: AXE});
  return page.evaluate(async () => {
    type Result = {violations: {id: string; help: string; nodes: {target: string[]}[]}[]};
    const w = window as unknown as {
      axe: {run(ctx: unknown, opts: unknown): Promise<Result>};
      __presentation: {count: number; index: number; go(i: number): void};
    };
    const found: string[] = [];
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    for (let i = 0; i < w.__presentation.count; i++) {
      w.__presentation.go(i);
      await frame();
      await frame();
      const result = await w.axe.run(
        {include: ["#observablehq-main"]},
        // Per slide, the WCAG rules that presentation mode's styling and layout can break (contrast on the slide's
        // colours and sizes, overflow that needs a focusable scroll box, focusable content hidden from assistive tech,
        // images and charts drawn at slide size); the whole document with every WCAG 2.1 A/AA rule is checked on the
        // first slide and on the overview, and every page's content in reading mode (pages.test.ts). Violations
        // only: collecting every passing node is most of axe's time on a slide full of chart marks.
        {
          runOnly: {
            type: "rule",
            values: [
              "color-contrast",
              "scrollable-region-focusable",
              "aria-hidden-focus",
              "role-img-alt",
              "svg-img-alt"
            ]
          },
          resultTypes: ["violations"]
        }
      );
      for (const v of result.violations) {
        const where = v.nodes
          .slice(0, 4)
          .map((n) => n.target.join(" "))
          .join(" | ");
        found.push(`slide ${i + 1}: ${v.id} (${v.nodes.length}×) ${v.help} — ${where}`);
      }
    }
    return {count: w.__presentation.count, found};
  });
}

describe.each(chapters)("$name as slides", ({url}) => {
  test("axe finds nothing in presentation mode: the controls on the first slide, every slide, the overview", async () => {
    const {page, context} = await openPage(site.browser, site.url, `${url}?present`, {width: 1280, height: 720});
    try {
      // the whole document once (the slide controls, counter, sidebar toggle), then each slide's stage
      const first = await axeViolations(page);
      expect(first, `axe on ${url}?present:\n${first.join("\n")}`).toEqual([]);
      const {count, found} = await axeEverySlide(page);
      expect(count, "the deck has slides").toBeGreaterThan(3);
      expect(found, `axe on the slides of ${url}:\n${found.join("\n")}`).toEqual([]);
      await page.keyboard.press("Home");
      await page.keyboard.press("o");
      await settle(page);
      const overview = await axeViolations(page);
      expect(overview, `axe on the overview of ${url}:\n${overview.join("\n")}`).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

/** How far the page itself scrolls sideways (0 when it fits the window). */
const sideways = (page: Page) =>
  page.evaluate(() => document.scrollingElement!.scrollWidth - document.documentElement.clientWidth);

describe.each(PAGES)("$name on a phone and a tablet", ({url}) => {
  test("at 390 px axe finds nothing and the page never scrolls sideways; nor at 768 px", async () => {
    const {page, context} = await openPage(site.browser, site.url, url, {width: 390, height: 844});
    try {
      expect(await sideways(page), "sideways scroll at 390 px").toBeLessThanOrEqual(0);
      const found = await axeViolations(page);
      expect(found, `axe on ${url} at 390 px:\n${found.join("\n")}`).toEqual([]);
      await page.setViewportSize({width: 768, height: 1024});
      await settle(page);
      expect(await sideways(page), "sideways scroll at 768 px").toBeLessThanOrEqual(0);
    } finally {
      await context.close();
    }
  });
});

test("axe finds nothing in the presenter window", async () => {
  const {page: audience, context} = await openPage(site.browser, site.url, "/cnn.html?present", {
    width: 1280,
    height: 720
  });
  try {
    const [presenter] = await Promise.all([context.waitForEvent("page"), audience.keyboard.press("s")]);
    await presenter.setViewportSize({width: 1600, height: 900});
    await presenter.waitForLoadState("load");
    await settle(presenter);
    const found = await axeViolations(presenter);
    expect(found, `axe on the presenter window:\n${found.join("\n")}`).toEqual([]);
  } finally {
    await context.close();
  }
});

describe.each([
  {width: 1024, height: 768},
  {width: 768, height: 1024}
])("presentation on a $width×$height tablet", (viewport) => {
  test("the slide stage fits the screen, nothing scrolls sideways, and → moves on", async () => {
    const {page, context} = await openPage(site.browser, site.url, "/transformer.html?present", viewport);
    try {
      const fits = () =>
        page.evaluate(() => {
          const r = document.querySelector("#observablehq-main")!.getBoundingClientRect();
          return r.left >= -1 && r.top >= -1 && r.right <= innerWidth + 1 && r.bottom <= innerHeight + 1;
        });
      expect(await fits(), "the stage inside the screen").toBe(true);
      expect(await sideways(page)).toBeLessThanOrEqual(0);
      const index = () =>
        page.evaluate(() => (window as unknown as {__presentation: {index: number}}).__presentation.index);
      const first = await index();
      await page.keyboard.press("ArrowRight");
      expect(await index()).toBe(first + 1);
      expect(await fits()).toBe(true);
    } finally {
      await context.close();
    }
  });
});
