/**
 * Accessibility (issue 17): axe-core (WCAG 2.1 A and AA rules) finds nothing on any page of the config, after the
 * page's cells have run. axe is injected from node_modules by the harness (no network).
 */
import {readFileSync} from "node:fs";
import {createRequire} from "node:module";
import {describe, expect, test} from "vitest";
import type {Page} from "playwright-core";
import {openPage, PAGES, useSite} from "./site.js";

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
