/**
 * Page weight before the first click (issue 18, item 4): every course page, the home page and the glossary, opened in
 * a fresh context (empty cache, no service worker) and left alone until its cells have run and the network is idle.
 *
 * Bytes are what the network carried, counted from Chromium's own network events (DevTools protocol): a response
 * served from the browser's cache is not counted. The test server sends files without compression, so each body is
 * counted at its **gzip size, level 9** (`zlib.gzipSync`), or at its raw size where gzip would not make it smaller
 * (PNG, JPEG, woff2, wasm), as a server that compresses text would send it. 1 KB = 1,000 bytes.
 *
 * Fails when a page goes over issue 18's 1,000 KB, or when a file comes over the network twice (the same address twice,
 * or the same bytes under two addresses). Prints a table per page and writes `test-results/page-weight.json`.
 */
import {createHash} from "node:crypto";
import {mkdirSync, writeFileSync} from "node:fs";
import {gzipSync} from "node:zlib";
import {afterAll, describe, expect, test} from "vitest";
import {COURSE_PAGES} from "../../lib/chapters.js";
import {settle, useSite} from "./site.js";

const LIMIT_KB = 1000;
const KB = 1000;

const WEIGHED = [
  {name: "home", url: "/"},
  ...COURSE_PAGES.map((p) => ({name: p.slug, url: `/${p.slug}.html`})),
  {name: "glossary", url: "/glossary.html"}
];

interface Resource {
  url: string;
  type: string;
  raw: number;
  gzip: number;
  /** What the page is charged: the gzip size, or the raw size where gzip does not help. */
  bytes: number;
  sha: string;
}

interface PageWeight {
  page: string;
  url: string;
  bytes: number;
  requests: number;
  /** Every response, biggest first. */
  files: {file: string; type: string; bytes: number}[];
}

const results: PageWeight[] = [];
const site = useSite();

/**
 * Open `url` fresh and record every response body that came over the network until the page is quiet; also the
 * KaTeX font families the page loaded (from the site's separate font files) and how many formulas it typeset.
 */
async function weigh(url: string): Promise<{resources: Resource[]; katexFonts: string[]; formulas: number}> {
  const context = await site.browser.newContext({
    viewport: {width: 1280, height: 900},
    deviceScaleFactor: 1,
    serviceWorkers: "block"
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  const responses = new Map<string, {url: string; type: string; cached: boolean}>();
  const finished: string[] = [];
  cdp.on("Network.responseReceived", (e) =>
    responses.set(e.requestId, {
      url: e.response.url,
      type: e.type,
      cached: !!(e.response.fromDiskCache || e.response.fromServiceWorker || e.response.fromPrefetchCache)
    })
  );
  cdp.on("Network.requestServedFromCache", (e) => {
    const r = responses.get(e.requestId);
    if (r) r.cached = true;
  });
  cdp.on("Network.loadingFinished", (e) => finished.push(e.requestId));
  try {
    await page.goto(site.url + url, {waitUntil: "load"});
    await settle(page);
    await page.waitForLoadState("networkidle");
    const out: Resource[] = [];
    for (const id of finished) {
      const r = responses.get(id);
      if (!r || r.cached || !r.url.startsWith(site.url)) continue;
      const {body, base64Encoded} = (await cdp.send("Network.getResponseBody", {requestId: id})) as {
        body: string;
        base64Encoded: boolean;
      };
      const bytes = Buffer.from(body, base64Encoded ? "base64" : "utf8");
      const gzip = gzipSync(bytes, {level: 9}).length;
      out.push({
        url: r.url.slice(site.url.length),
        type: r.type,
        raw: bytes.length,
        gzip,
        bytes: Math.min(gzip, bytes.length),
        sha: createHash("sha256").update(bytes).digest("hex")
      });
    }
    const {katexFonts, formulas} = await page.evaluate(async () => {
      await document.fonts.ready;
      return {
        katexFonts: [...document.fonts]
          .filter((f) => f.family.includes("KaTeX") && f.status === "loaded")
          .map((f) => f.family.replace(/"/g, "")),
        formulas: document.querySelectorAll("main .katex").length
      };
    });
    return {resources: out, katexFonts, formulas};
  } finally {
    await context.close();
  }
}

const kb = (bytes: number) => (bytes / KB).toFixed(1).padStart(7);

describe.each(WEIGHED)("page weight $url", ({name, url}) => {
  test(`under ${LIMIT_KB} KB gzip before the first click, nothing twice`, async () => {
    const {resources, katexFonts, formulas} = await weigh(url);
    // the formulas are drawn in KaTeX's own fonts, fetched from the site as separate files: only those a page uses
    const fontFiles = resources.filter((r) => r.url.includes("/katex-fonts/"));
    if (formulas > 0)
      expect(katexFonts, "KaTeX fonts in use").toEqual(expect.arrayContaining(["KaTeX_Main", "KaTeX_Math"]));
    // one file per loaded face (KaTeX_Main regular and bold are two), none fetched and left unused
    expect(fontFiles.length, "KaTeX font files fetched = font faces loaded").toBe(katexFonts.length);
    expect(fontFiles.length, "only the fonts the page uses, not all twenty").toBeLessThan(20);
    expect(
      resources.filter((r) => r.url.includes("katex") && r.type === "Stylesheet").every((r) => r.raw < 50_000),
      "KaTeX's stylesheet without inlined fonts"
    ).toBe(true);
    const total = resources.reduce((a, r) => a + r.bytes, 0);
    const biggest = [...resources].sort((a, b) => b.bytes - a.bytes);
    results.push({
      page: name,
      url,
      bytes: total,
      requests: resources.length,
      files: biggest.map((r) => ({file: r.url, type: r.type, bytes: r.bytes}))
    });
    console.log(
      `\n${url}: ${kb(total).trim()} KB gzip in ${resources.length} responses (limit ${LIMIT_KB} KB)\n` +
        biggest
          .slice(0, 8)
          .map((r) => `  ${kb(r.bytes)} KB  ${r.type.padEnd(10)} ${r.url}`)
          .join("\n")
    );
    expect(resources.length, "responses").toBeGreaterThan(1);
    const byUrl = new Map<string, number>();
    const bySha = new Map<string, string[]>();
    for (const r of resources) {
      byUrl.set(r.url, (byUrl.get(r.url) ?? 0) + 1);
      bySha.set(r.sha, [...(bySha.get(r.sha) ?? []), r.url]);
    }
    expect(
      [...byUrl].filter(([, n]) => n > 1),
      "files fetched twice"
    ).toEqual([]);
    expect(
      [...bySha.values()].filter((urls) => urls.length > 1),
      "the same bytes under two addresses"
    ).toEqual([]);
    expect(total / KB, `${url}: KB gzip before the first click`).toBeLessThanOrEqual(LIMIT_KB);
  });
});

afterAll(() => {
  if (!results.length) return;
  const order = WEIGHED.map((p) => p.name);
  results.sort((a, b) => order.indexOf(a.page) - order.indexOf(b.page));
  console.log(
    `\n| page | KB gzip before the first click | responses |\n|---|---:|---:|\n` +
      results.map((r) => `| ${r.url} | ${(r.bytes / KB).toFixed(0)} | ${r.requests} |`).join("\n")
  );
  mkdirSync("test-results", {recursive: true});
  writeFileSync(
    "test-results/page-weight.json",
    JSON.stringify(
      {
        measured: new Date().toISOString(),
        method:
          "Chromium network events, fresh context, no service worker, until the page's cells settled and the network " +
          "was idle; each body at its gzip size (zlib level 9) or raw where smaller; 1 KB = 1,000 bytes",
        limitKB: LIMIT_KB,
        pages: results
      },
      null,
      2
    ) + "\n"
  );
});
