/**
 * A host that sends COOP/COEP headers makes the page cross-origin isolated: TF.js runs its threaded SIMD wasm build
 * on every core (up to 8), the backend line says how many threads, and the page works as anywhere else.
 * tests/browser/threads.test.ts trains on it and compares with the single-threaded build.
 */
import {expect, test} from "vitest";
import {launch} from "./chromium.js";
import {serve} from "./server.js";

test("chapter 1 on a cross-origin isolated host runs wasm on every core without errors", async () => {
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
      threads: (globalThis as unknown as {tf?: {wasm?: {getThreadsCount(): number}}}).tf?.wasm?.getThreadsCount(),
      line: document.querySelector<HTMLElement>(".backend-note")?.dataset.threads,
      cores: navigator.hardwareConcurrency
    }));
    const expected = Math.min(state.cores, 8);
    expect(expected).toBeGreaterThan(1);
    expect(state).toEqual({
      isolated: true,
      backend: "wasm",
      threads: expected,
      line: String(expected),
      cores: state.cores
    });
    await page.waitForFunction(() => document.querySelectorAll(".live-status.ok").length > 0, undefined, {
      timeout: 120_000
    });
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
    await site.close();
  }
});
