/**
 * A host that sends COOP/COEP headers makes the page cross-origin isolated, which tempts TF.js into its
 * threaded wasm build; that build fails to start from the site's bundle, so the page must stay on the
 * single-threaded SIMD build and work as anywhere else.
 */
import {expect, test} from "vitest";
import {launch} from "./chromium.js";
import {serve} from "./server.js";

test("chapter 1 on a cross-origin isolated host runs wasm (single-threaded) without errors", async () => {
  const site = await serve("dist", {isolated: true});
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${site.url}/filter.html`);
    await page.waitForSelector(".backend-note", {timeout: 120_000});
    const state = await page.evaluate(() => ({
      isolated: globalThis.crossOriginIsolated,
      backend: document.querySelector<HTMLElement>(".backend-note")?.dataset.backend,
      threads: (globalThis as unknown as {tf?: {wasm?: {getThreadsCount(): number}}}).tf?.wasm?.getThreadsCount()
    }));
    expect(state).toEqual({isolated: true, backend: "wasm", threads: 1});
    await page.waitForFunction(() => document.querySelectorAll(".live-status.ok").length > 0, undefined, {
      timeout: 120_000
    });
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
    await site.close();
  }
});
