/**
 * Accessibility (issue 17): axe-core (WCAG 2.1 A and AA rules) finds nothing on any page of the config, after the
 * page's cells have run. axe is injected from node_modules by the harness (no network).
 */
import {readFileSync} from "node:fs";
import {createRequire} from "node:module";
import {describe, expect, test} from "vitest";
import type {Page} from "playwright-core";
import {COURSE_PAGES} from "../../lib/chapters.js";
import {openPage, PAGES, settle, useSite} from "./site.js";

const site = useSite();
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: {target: string[]; failureSummary?: string}[];
}

/** axe's WCAG 2.1 A/AA violations on the page as it is now, one line per rule with its first few elements. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({content: AXE});
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as {axe: {run: (ctx: unknown, opts: unknown) => Promise<{violations: unknown}>}})
      .axe;
    const result = await axe.run(document, {
      runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
    });
    return result.violations;
  })) as Violation[];
  return violations.map(
    (v) =>
      `${v.id} (${v.impact}, ${v.nodes.length}×): ${v.help} — ${v.nodes
        .slice(0, 4)
        .map((n) => n.target.join(" "))
        .join(" | ")}`
  );
}

describe.each(PAGES)("$name", ({url}) => {
  test("axe finds no WCAG 2.1 A/AA violation after the cells ran", async () => {
    const {page, context} = await openPage(site.browser, site.url, url);
    try {
      const found = await axeViolations(page);
      expect(found, `axe on ${url}:\n${found.join("\n")}`).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

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

describe.each(PAGES)("$name on a phone", ({url}) => {
  test("axe finds nothing at 390 px wide", async () => {
    const {page, context} = await openPage(site.browser, site.url, url, {width: 390, height: 844});
    try {
      const found = await axeViolations(page);
      expect(found, `axe on ${url} at 390 px:\n${found.join("\n")}`).toEqual([]);
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
