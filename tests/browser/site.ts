/** What the browser suites share: the page list from the config, the served site, and page checks. */
import {mkdirSync, readFileSync} from "node:fs";
import {createRequire} from "node:module";
import {afterAll, beforeAll, expect} from "vitest";
import type {Browser, BrowserContext, Locator, Page} from "playwright-core";
import config from "../../observablehq.config.js";
import {launch} from "./chromium.js";
import {serve} from "./server.js";

/**
 * Every page the config lists, plus the home page: new chapters are covered without edits here.
 * `url` is where the built site has it (`preserveExtension`: `/filter` is `filter.html`).
 */
export const PAGES: {name: string; path: string; url: string}[] = [
  {name: "home", path: "/", url: "/"},
  ...config.pages.map((p) => ({...p, url: `${p.path}.html`}))
];

export const SCREENSHOTS = "test-results/screenshots";
mkdirSync(SCREENSHOTS, {recursive: true});

export interface PageReport {
  consoleErrors: string[];
  pageErrors: string[];
  foreignRequests: string[];
  failedRequests: string[];
}

/** Open a page and record every console error, page error and request that leaves the local origin. */
export async function openPage(
  browser: Browser,
  origin: string,
  path: string,
  viewport: {width: number; height: number} = {width: 1280, height: 900}
) {
  // the site's service worker (offline use) would precache the whole site in every test's fresh context: blocked,
  // except in tests/browser/offline.test.ts
  const context = await browser.newContext({viewport, deviceScaleFactor: 1, serviceWorkers: "block"});
  const page = await context.newPage();
  const report: PageReport = {consoleErrors: [], pageErrors: [], foreignRequests: [], failedRequests: []};
  page.on("console", (msg) => {
    if (msg.type() === "error") report.consoleErrors.push(msg.text());
  });
  page.on("pageerror", (error) => report.pageErrors.push(String(error)));
  page.on("request", (req) => {
    const url = req.url();
    if (!url.startsWith(origin) && !url.startsWith("data:") && !url.startsWith("blob:")) {
      report.foreignRequests.push(url);
    }
  });
  page.on("requestfailed", (req) => report.failedRequests.push(`${req.url()} ${req.failure()?.errorText ?? ""}`));
  page.on("response", (res) => {
    if (res.status() >= 400) report.failedRequests.push(`${res.url()} ${res.status()}`);
  });
  await page.goto(origin + path, {waitUntil: "load"});
  await settle(page);
  return {page, context, report};
}

/**
 * Wait until the page is still: no cell pending, no component busy, and no change to the DOM of `main` for
 * `quietMs`, counted from this call (changes inside `[data-animated]`, such as a running animation, do not count).
 */
export async function settle(page: Page, timeoutMs = 150_000, quietMs = 600): Promise<void> {
  // quiet counts from this call: a change the last action has queued but not yet made (Framework re-renders on a
  // later tick) must not be missed because the page was quiet before the action
  await page.evaluate(() => {
    (window as unknown as {__lastChange?: number}).__lastChange = performance.now();
  });
  await page.waitForFunction(
    (quietMs) => {
      const w = window as unknown as {__lastChange?: number; __observer?: MutationObserver};
      const main = document.querySelector("main");
      if (!main) return false;
      if (!w.__observer) {
        w.__lastChange = performance.now();
        w.__observer = new MutationObserver((records) => {
          for (const r of records) {
            const el = r.target instanceof Element ? r.target : r.target.parentElement;
            if (!el?.closest("[data-animated]")) w.__lastChange = performance.now();
          }
        });
        w.__observer.observe(main, {subtree: true, childList: true, attributes: true, characterData: true});
      }
      if (main.querySelector("observablehq-loading, [data-busy]")) w.__lastChange = performance.now();
      return performance.now() - (w.__lastChange ?? 0) > quietMs;
    },
    quietMs,
    {timeout: timeoutMs, polling: 100}
  );
}

/** Measurements of what the page rendered, taken in the page. */
export async function inspectPage(page: Page) {
  return page.evaluate(() => {
    const main = document.querySelector("main")!;
    const plots = Array.from(main.querySelectorAll<SVGSVGElement>("svg[class^='plot']"));
    const canvases = Array.from(main.querySelectorAll<HTMLCanvasElement>("canvas"));
    return {
      cellErrors: Array.from(main.querySelectorAll(".observablehq--error"), (e) => e.textContent ?? ""),
      katex: main.querySelectorAll(".katex").length,
      katexErrors: Array.from(main.querySelectorAll(".katex-error"), (e) => e.textContent ?? ""),
      plots: plots.map((svg) => {
        const box = svg.getBoundingClientRect();
        // a chart is rendered when it has size and at least one data mark (not an axis, grid or rule) with drawn children
        const marks = Array.from(svg.querySelectorAll("g[aria-label]")).filter(
          (g) => g.childElementCount > 0 && !/axis|tick|grid|rule|frame/.test(g.getAttribute("aria-label") ?? "")
        );
        return {label: svg.getAttribute("aria-label") ?? "", width: box.width, height: box.height, marks: marks.length};
      }),
      canvases: canvases.map((c) => {
        const ctx = c.getContext("2d");
        let inked = 0;
        if (ctx && c.width > 0 && c.height > 0) {
          const data = ctx.getImageData(0, 0, c.width, c.height).data;
          for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++;
        }
        return {width: c.width, height: c.height, inked, label: c.getAttribute("aria-label") ?? ""};
      }),
      text: main.innerText.length
    };
  });
}

/** `tf.memory().numTensors` of the page's one TF.js instance (TF.js keeps its engine on the global object). */
export function numTensors(page: Page): Promise<number> {
  return page.evaluate(
    () => (window as unknown as {_tfengine: {memory(): {numTensors: number}}})._tfengine.memory().numTensors
  );
}

/** Set an Observable input (a range's slider, a select, a text field) and fire its input event. */
export async function setInput(page: Page, selector: string, value: string): Promise<void> {
  await page
    .locator(selector)
    .first()
    .evaluate((el, v) => {
      const input = el as HTMLInputElement | HTMLSelectElement;
      input.value = v;
      input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? "change" : "input", {bubbles: true}));
    }, value);
  await settle(page);
}

/** The built site on localhost and a Chromium, for one test file: started before its tests, closed after. */
export function useSite(): {browser: Browser; url: string} {
  const site = {} as {browser: Browser; url: string};
  let server: {url: string; close(): Promise<void>} | undefined;
  beforeAll(async () => {
    server = await serve("dist");
    site.url = server.url;
    site.browser = await launch();
  });
  afterAll(async () => {
    await site.browser?.close();
    await server?.close();
  });
  return site;
}

/** `useSite` plus one page opened before the tests and shared by them; `onOpen` receives it. */
export function useSitePage(
  path: string,
  onOpen: (opened: {page: Page; context: BrowserContext; report: PageReport}) => void
): {browser: Browser; url: string} {
  const site = useSite();
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    const opened = await openPage(site.browser, site.url, path);
    context = opened.context;
    onOpen(opened);
  });
  afterAll(async () => context?.close());
  return site;
}

/**
 * The checks every chapter's first browser test makes: no cell error, no KaTeX error, no page or console error, no
 * request off the site's origin, and (when given) more than `minFormulas` typeset formulas. Returns the inspection.
 */
export async function expectCleanLoad(page: Page, report: PageReport, minFormulas?: number) {
  const found = await inspectPage(page);
  expect(found.cellErrors).toEqual([]);
  expect(found.katexErrors).toEqual([]);
  if (minFormulas !== undefined) expect(found.katex).toBeGreaterThan(minFormulas);
  expect(report.pageErrors).toEqual([]);
  expect(report.consoleErrors).toEqual([]);
  expect(report.foreignRequests).toEqual([]);
  return found;
}

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: {target: string[]; failureSummary?: string}[];
}

/**
 * axe-core's WCAG 2.1 A/AA violations on the page as it is now (issue 17), one line per rule with its first few
 * elements. axe is injected from node_modules (no network).
 */
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

/**
 * Set an experiment panel's selects (by their labels' text), press ▶ 시작 and wait until the run ends; the run must
 * end `done` (the panel's output is the failure message otherwise). Returns the panel.
 */
export async function runPanel(
  page: Page,
  selector: string,
  choices: Record<string, string>,
  timeout = 400_000
): Promise<Locator> {
  const panel = page.locator(selector);
  for (const [label, option] of Object.entries(choices)) {
    await panel.locator(`form:has(label:text-is("${label}")) select`).selectOption({label: option});
  }
  await panel.locator(".panel-start").click();
  await page.waitForFunction(
    (sel) => /^(done|stopped|error)$/.test(document.querySelector(sel)?.getAttribute("data-state") ?? ""),
    selector,
    {timeout}
  );
  const error = await panel.locator(".panel-output").innerText();
  expect(await panel.getAttribute("data-state"), error).toBe("done");
  return panel;
}
