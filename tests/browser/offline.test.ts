/**
 * Offline after one visit (issue 17, item 6): the built site's service worker precaches every page and script at the
 * first visit and keeps the MNIST files once fetched; with the network gone, every page reloads without a failed
 * request or an error, a live cell runs, and a short training runs on the cached data. A new build replaces the old
 * cache: its worker has another version and deletes the old cache on activation.
 * The worker also adds COOP/COEP to what it serves (issue 18): the first page reloads itself once when the worker takes
 * control, and from then on every page, offline too, is cross-origin isolated (wasm threads).
 */
import {readFileSync, writeFileSync} from "node:fs";
import {expect, test} from "vitest";
import type {BrowserContext, Page} from "playwright-core";
import {inspectPage, PAGES, settle, useSite} from "./site.js";

const site = useSite();

const SW = "dist/sw.js";
const workerVersion = () => /const VERSION = "([0-9a-f]+)";/.exec(readFileSync(SW, "utf8"))![1];

async function cacheNames(page: Page): Promise<string[]> {
  return page.evaluate(() => caches.keys());
}

test("after one visit every page works offline; a cell runs and a short training runs on cached data", async () => {
  const context: BrowserContext = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    // the first visit: the worker installs and precaches the build, takes control, and the page reloads once
    await page.goto(`${site.url}/index.html`);
    await waitForIsolation(page);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    expect(await cacheNames(page)).toContain(`dl4i-site-${workerVersion()}`);
    // chapter 2's training fetches MNIST once (online)
    await page.goto(`${site.url}/cnn.html`);
    await settle(page);
    await trainBriefly(page);
    expect((await cacheNames(page)).includes("dl4i-data")).toBe(true);

    await context.setOffline(true);
    const failed: string[] = [];
    page.on("requestfailed", (r) => failed.push(r.url()));
    for (const {url} of PAGES) {
      await page.goto(`${site.url}${url}`);
      await settle(page);
      const found = await inspectPage(page);
      expect(found.cellErrors, `${url}: cell errors offline`).toEqual([]);
      expect(found.text, `${url}: text offline`).toBeGreaterThan(200);
      expect(await page.evaluate(() => globalThis.crossOriginIsolated), `${url}: isolated offline`).toBe(true);
    }
    // presentation mode and a path without .html, offline
    await page.goto(`${site.url}/cnn?present`);
    await settle(page);
    expect(await page.evaluate(() => document.title)).toContain("CNN");
    // a live cell, then a short training, offline
    await page.goto(`${site.url}/filter.html`);
    await settle(page);
    const cell = page.locator('.live-cell[data-live-id="cell-1"]');
    await cell.locator(".cm-content").click();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.insertText("tf.tensor([1, 2, 3]).mul(2)");
    await cell.locator(".live-run").click();
    await page.waitForFunction(() =>
      document.querySelector('.live-cell[data-live-id="cell-1"] .live-output')?.textContent?.includes("[2, 4, 6]")
    );
    await cell.locator(".live-reset").click();
    await page.goto(`${site.url}/cnn.html`);
    await settle(page);
    await trainBriefly(page);
    expect(failed, "requests that failed offline").toEqual([]);
    expect(errors, "errors offline").toEqual([]);
  } finally {
    await context.close();
  }
});

/** Wait until the page, reloaded by the worker's first taking control, is cross-origin isolated. */
async function waitForIsolation(page: Page): Promise<void> {
  await page.waitForFunction(() => globalThis.crossOriginIsolated === true, undefined, {timeout: 60_000, polling: 250});
  await page.waitForLoadState("load");
}

/** Chapter 2's training panel: start on 5,000 images, stop after ten batches, wait for the test accuracy. */
async function trainBriefly(page: Page): Promise<void> {
  const panel = page.locator('[data-claim="C4"]');
  await page.selectOption('select[aria-label="학습 데이터 수"]', "5000");
  await panel.locator(".panel-start").click();
  await page.waitForFunction(
    () => /batch (\d{2,})/.test(document.querySelector(".train-stats")?.textContent ?? ""),
    undefined,
    {timeout: 120_000}
  );
  await panel.locator(".panel-stop").click();
  await page.waitForSelector('[data-testid="test-accuracy"] .big', {timeout: 120_000});
  await settle(page);
}

test("a new build's worker has a new version, and its activation deletes the old cache", async () => {
  const source = readFileSync(SW, "utf8");
  expect(source).toContain(`dl4i-site-\${VERSION}`);
  expect(source).toMatch(/key\.startsWith\("dl4i-site-"\) && key !== SITE_CACHE/);
  const context = await site.browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${site.url}/index.html`);
    await waitForIsolation(page);
    await page.evaluate(() => navigator.serviceWorker.ready);
    // an old build's cache, as a previous deployment would have left it
    await page.evaluate(async () => {
      const old = await caches.open("dl4i-site-0000000000000000");
      await old.put("/old-build-file.js", new Response("old"));
    });
    // a new deployment: the built worker changes on the server (restored below), the browser checks for it
    writeFileSync(SW, source.replace(/const VERSION = "[0-9a-f]+";/, 'const VERSION = "ffffffffffffffff";'));
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration!.update();
    });
    const deadline = Date.now() + 60_000;
    let sites: string[] = [];
    do {
      await page.waitForTimeout(300);
      sites = (await cacheNames(page)).filter((k) => k.startsWith("dl4i-site-"));
    } while (!(sites.length === 1 && sites[0] === "dl4i-site-ffffffffffffffff") && Date.now() < deadline);
    const keys = await cacheNames(page);
    expect(keys.filter((k) => k.startsWith("dl4i-site-"))).toEqual(["dl4i-site-ffffffffffffffff"]);
  } finally {
    writeFileSync(SW, source);
    await context.close();
  }
});
