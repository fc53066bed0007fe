/**
 * `npm run audit` (issue 17, item 2): Lighthouse 12.8 on every page of the built site, with Debian's Chromium, desktop
 * preset; prints each page's scores (performance, accessibility, best practices, SEO) and the audits that cost points.
 * Not part of `npm test` (about 15–30 s per page). Needs `npm run build` first. Lighthouse's error reporting is off.
 *
 *   npm run build && npm run audit            # every page
 *   npm run audit -- /filter /swin            # some pages
 */
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
const rows: string[][] = [];
let failed = false;
try {
  for (const page of chosen) {
    const result = await lighthouse(
      site.url + page.url,
      {port: chrome.port, output: "json", logLevel: "error", onlyCategories: [...CATEGORIES]},
      desktopConfig
    );
    const lhr = result!.lhr;
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
    const m = (id: string) => lhr.audits[id]?.displayValue ?? "";
    console.log(
      `    LCP ${m("largest-contentful-paint")} · TBT ${m("total-blocking-time")} · CLS ${m("cumulative-layout-shift")}`
    );
  }
} finally {
  chrome.kill();
  await site.close();
}
console.log(`\n| page | ${CATEGORIES.join(" | ")} |\n|---|${CATEGORIES.map(() => "---").join("|")}|`);
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
if (failed) process.exitCode = 1;
