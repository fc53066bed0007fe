/**
 * `npm run audit` (issue 17, item 2): Lighthouse 12.8 on every page of the built site, with Debian's Chromium, desktop
 * preset; prints each page's scores (performance, accessibility, best practices, SEO), the audits that cost points, and
 * the first-view metrics of issue 18 (largest contentful paint, total blocking time, cumulative layout shift, with
 * their targets: performance ≥ 90, LCP ≤ 2.5 s, TBT ≤ 200 ms, CLS ≤ 0.1). Writes every figure to
 * `test-results/lighthouse.json`. Not part of `npm test` (about 15–30 s per page). Needs `npm run build` first.
 * Lighthouse's error reporting is off. Exits non-zero when an audit costs points or a target is missed.
 *
 *   npm run build && npm run audit            # every page
 *   npm run audit -- /filter /swin            # some pages
 */
import {mkdirSync, writeFileSync} from "node:fs";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import * as chromeLauncher from "chrome-launcher";
import {serve} from "../tests/browser/server.js";
import config from "../observablehq.config.js";

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;
const pages = [{path: "/", url: "/"}, ...config.pages.map((p) => ({path: p.path, url: `${p.path}.html`}))];
const only = process.argv.slice(2);
const chosen = only.length ? pages.filter((p) => only.includes(p.path)) : pages;

const site = await serve("dist");
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"]
});
/** Issue 18's first-view targets for every chapter. */
const TARGETS = {performance: 90, lcpMs: 2500, tbtMs: 200, cls: 0.1};
const rows: string[][] = [];
const report: Record<string, unknown>[] = [];
let failed = false;
try {
  for (const page of chosen) {
    const result = await lighthouse(
      site.url + page.url,
      {port: chrome.port, output: "json", logLevel: "error", onlyCategories: [...CATEGORIES]},
      desktopConfig
    );
    const lhr = result!.lhr;
    // the whole report, for a closer look (bootup-time, long-tasks, layout-shifts)
    mkdirSync("test-results/lighthouse", {recursive: true});
    writeFileSync(
      `test-results/lighthouse/${page.path === "/" ? "index" : page.path.slice(1)}.json`,
      JSON.stringify(lhr)
    );
    const scores = CATEGORIES.map((c) => Math.round(100 * (lhr.categories[c]?.score ?? 0)));
    rows.push([page.path, ...scores.map(String)]);
    console.log(`${page.path.padEnd(22)} ${CATEGORIES.map((c, i) => `${c} ${scores[i]}`).join("  ")}`);
    for (const c of CATEGORIES.slice(1)) {
      for (const ref of lhr.categories[c]?.auditRefs ?? []) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          failed = true;
          console.log(`    ${c}: ${audit.id} (${audit.title})`);
        }
      }
    }
    const value = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
    const metrics = {
      lcpMs: Math.round(value("largest-contentful-paint")),
      tbtMs: Math.round(value("total-blocking-time")),
      cls: Math.round(value("cumulative-layout-shift") * 1000) / 1000,
      fcpMs: Math.round(value("first-contentful-paint")),
      speedIndexMs: Math.round(value("speed-index"))
    };
    const missed = [
      scores[0] < TARGETS.performance && `performance ${scores[0]} < ${TARGETS.performance}`,
      metrics.lcpMs > TARGETS.lcpMs && `LCP ${metrics.lcpMs} ms > ${TARGETS.lcpMs}`,
      metrics.tbtMs > TARGETS.tbtMs && `TBT ${metrics.tbtMs} ms > ${TARGETS.tbtMs}`,
      metrics.cls > TARGETS.cls && `CLS ${metrics.cls} > ${TARGETS.cls}`
    ].filter((m): m is string => !!m);
    if (missed.length) failed = true;
    rows[rows.length - 1].push((metrics.lcpMs / 1000).toFixed(2), String(metrics.tbtMs), metrics.cls.toFixed(3));
    report.push({page: page.path, scores: Object.fromEntries(CATEGORIES.map((c, i) => [c, scores[i]])), ...metrics});
    console.log(
      `    LCP ${metrics.lcpMs} ms · TBT ${metrics.tbtMs} ms · CLS ${metrics.cls} · FCP ${metrics.fcpMs} ms` +
        (missed.length ? `  — missed: ${missed.join(", ")}` : "")
    );
    if (metrics.cls > 0) {
      const shifts = lhr.audits["layout-shifts"]?.details as {items?: {node?: {snippet?: string}; score?: number}[]};
      for (const item of shifts?.items ?? [])
        console.log(`    shift ${item.score?.toFixed(3)}: ${(item.node?.snippet ?? "?").slice(0, 120)}`);
    }
  }
} finally {
  chrome.kill();
  await site.close();
}
console.log(
  `\n| page | ${CATEGORIES.join(" | ")} | LCP s | TBT ms | CLS |\n|---|${CATEGORIES.map(() => "---").join("|")}|---|---|---|`
);
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
mkdirSync("test-results", {recursive: true});
writeFileSync(
  "test-results/lighthouse.json",
  JSON.stringify({measured: new Date().toISOString(), preset: "desktop", targets: TARGETS, pages: report}, null, 2) +
    "\n"
);
if (failed) process.exitCode = 1;
