/**
 * Every page of the built site in Chromium: no cell errors, no console or page errors, no request off the
 * site's origin, formulas typeset, every chart and image drawn, and axe-core finds no WCAG 2.1 A/AA violation (issue 17)
 * once the cells have run. Saves a full-page screenshot of each.
 */
import {describe, expect, test} from "vitest";
import {COURSE_PAGES} from "../../lib/chapters.js";
import {axeViolations, inspectPage, openPage, PAGES, SCREENSHOTS, useSite} from "./site.js";

const site = useSite();

describe.each(PAGES)("page $path", ({name, path, url}) => {
  test("renders without errors, offline, with formulas and charts", async () => {
    const {page, context, report} = await openPage(site.browser, site.url, url);
    try {
      const found = await inspectPage(page);
      await page.screenshot({path: `${SCREENSHOTS}/${name === "home" ? "index" : path.slice(1)}.png`, fullPage: true});
      expect(found.cellErrors, "cell errors").toEqual([]);
      expect(report.failedRequests, "failed requests").toEqual([]);
      expect(report.pageErrors, "page errors").toEqual([]);
      expect(report.consoleErrors, "console errors").toEqual([]);
      expect(report.foreignRequests, "requests off the site's origin").toEqual([]);
      expect(found.katexErrors, "KaTeX errors").toEqual([]);
      // chapters teach with formulas; the home, glossary and licence pages need none
      if (COURSE_PAGES.some((c) => `/${c.slug}` === path)) expect(found.katex, "typeset formulas").toBeGreaterThan(0);
      for (const plot of found.plots) {
        expect(plot.width, `chart ${plot.label} width`).toBeGreaterThan(100);
        expect(plot.marks, `chart ${plot.label} marks`).toBeGreaterThan(0);
      }
      for (const canvas of found.canvases) {
        expect(canvas.inked, `canvas ${canvas.label} has pixels`).toBeGreaterThan(0);
      }
      expect(found.text, "page text").toBeGreaterThan(200);
      const unnamed = await page.evaluate(
        () =>
          Array.from(document.querySelectorAll("main canvas, main svg[class^='plot-']")).filter(
            (el) =>
              !el.closest("[aria-hidden=true], button") &&
              !el.getAttribute("aria-label") &&
              !el.getAttribute("aria-labelledby")
          ).length
      );
      expect(unnamed, "charts and pictures without a text alternative").toBe(0);
      // at 1280 px no display formula needs its sideways scroll: the wide ones are split over lines
      const wide = await page
        .locator(".tex-block")
        .evaluateAll((els) =>
          els
            .map((e) => ({w: e.scrollWidth, col: e.parentElement!.clientWidth, text: e.textContent!.slice(0, 40)}))
            .filter((b) => b.w > b.col + 1)
        );
      expect(wide, "formula blocks wider than their column").toEqual([]);
      const axe = await axeViolations(page);
      expect(axe, `axe on ${url}:\n${axe.join("\n")}`).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

test("the home page's course map marks as available exactly the chapters the sidebar lists", async () => {
  const {page, context} = await openPage(site.browser, site.url, "/index.html");
  try {
    await page.waitForSelector(".course-map .chapter-card");
    const available = await page.locator(".chapter-card.available h3").allInnerTexts();
    const listed = PAGES.filter((p) => COURSE_PAGES.some((c) => `/${c.slug}` === p.path)).length;
    expect(available.length).toBe(listed);
    expect(available.length).toBeGreaterThanOrEqual(3);
  } finally {
    await context.close();
  }
});
