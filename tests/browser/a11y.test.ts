/**
 * Accessibility and small screens (issue 17): axe-core (WCAG 2.1 A and AA rules) finds nothing in presentation mode
 * (first slide, overview, presenter window) and on a phone; at 390 and 768 px wide no page scrolls sideways. The
 * reading mode's axe check runs in pages.test.ts, on the same load as its other checks.
 */
import {describe, expect, test} from "vitest";
import type {Page} from "playwright-core";
import {COURSE_PAGES} from "../../lib/chapters.js";
import {axeViolations, openPage, PAGES, settle, useSite} from "./site.js";

const site = useSite();
const chapters = PAGES.filter((p) => COURSE_PAGES.some((c) => `/${c.slug}` === p.path));

describe.each(chapters)("$name as slides", ({url}) => {
  test("axe finds nothing in presentation mode, on the first slide and in the overview", async () => {
    const {page, context} = await openPage(site.browser, site.url, `${url}?present`, {width: 1280, height: 720});
    try {
      const slide = await axeViolations(page);
      expect(slide, `axe on ${url}?present:\n${slide.join("\n")}`).toEqual([]);
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
