/**
 * wasm threads (issue 18, item 1). The same seeded training steps of chapter 2's ConvNet run three ways:
 * - on a plain host with the service worker blocked: no cross-origin isolation, so the single-threaded SIMD build
 *   (the fallback: one thread, "단일 스레드" on the backend line, nothing on the console);
 * - on a host that sends COOP/COEP itself: the threaded SIMD build on every core (up to 8);
 * - on the plain host behind the site's service worker: the first load is not isolated, the worker takes control,
 *   the page reloads itself once and is isolated, with threads.
 * The threaded runs must give the single-threaded run's losses and weights (within 1e-6), and leak no tensor.
 */
import {afterAll, beforeAll, expect, test} from "vitest";
import type {Browser, Page} from "playwright-core";
import {launch} from "./chromium.js";
import {serve} from "./server.js";
import {openPage, settle} from "./site.js";

interface StepResult {
  backend: string;
  threads: number;
  cores: number;
  losses: number[];
  weights: number[];
  leaked: number;
}

// runs in the page, as a string so nothing rewrites its dynamic imports: three SGD steps of the ConvNet Example
// from seeded weights on seeded data, then every weight
const STEPS = `(async () => {
  const link = (name) => document.querySelector('link[rel=modulepreload][href*="' + name + '"]').href;
  const {tf} = await import(link("lib/tf."));
  const lib = await import(link("lib/index."));
  await tf.ready();
  const before = tf.memory().numTensors;
  const model = lib.convNet(lib.CONVNET_PRESETS.example, 7);
  const optimizer = tf.train.sgd(0.05);
  model.compile({optimizer, loss: "categoricalCrossentropy"});
  const xs = tf.randomUniform([32, 28, 28, 1], 0, 1, "float32", 11);
  const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([32], 0, 10, "int32", 12), 10));
  const losses = [];
  for (let i = 0; i < 3; i++) losses.push(Number(await model.trainOnBatch(xs, ys)));
  const weights = [];
  for (const w of model.getWeights()) weights.push(...(await w.data()));
  tf.dispose([xs, ys]);
  model.dispose();
  optimizer.dispose();
  const wasm = globalThis.tf && globalThis.tf.wasm;
  return {backend: tf.getBackend(), threads: tf.getBackend() === "wasm" ? wasm.getThreadsCount() : 1,
    cores: navigator.hardwareConcurrency, losses, weights, leaked: tf.memory().numTensors - before};
})()`;

let browser: Browser;
let plain: {url: string; close(): Promise<void>};
let isolated: {url: string; close(): Promise<void>};
/** The single-threaded run, the reference for the threaded ones. */
let reference: StepResult;

beforeAll(async () => {
  browser = await launch();
  plain = await serve("dist");
  isolated = await serve("dist", {isolated: true});
});
afterAll(async () => {
  await browser?.close();
  await plain?.close();
  await isolated?.close();
});

/** The backend line's state: backend, thread count, text. */
function backendLine(page: Page) {
  return page.evaluate(() => {
    const note = document.querySelector<HTMLElement>(".backend-note")!;
    return {
      isolated: globalThis.crossOriginIsolated,
      backend: note.dataset.backend,
      threads: Number(note.dataset.threads),
      text: note.textContent ?? ""
    };
  });
}

/** The threaded run gives the single-threaded run's numbers. */
function expectSameAsReference(run: StepResult): void {
  expect(run.leaked).toBe(0);
  expect(run.weights.length).toBe(reference.weights.length);
  for (let i = 0; i < run.losses.length; i++) expect(run.losses[i]).toBeCloseTo(reference.losses[i], 6);
  let worst = 0;
  for (let i = 0; i < run.weights.length; i++) worst = Math.max(worst, Math.abs(run.weights[i] - reference.weights[i]));
  expect(worst).toBeLessThanOrEqual(1e-6);
}

test("fallback: a plain host without the service worker runs single-threaded SIMD wasm, with nothing logged", async () => {
  const {page, context, report} = await openPage(browser, plain.url, "/filter.html");
  try {
    const line = await backendLine(page);
    expect(line).toMatchObject({isolated: false, backend: "wasm", threads: 1});
    expect(line.text).toContain("단일 스레드");
    expect(line.text).toContain("스레드 1개");
    reference = (await page.evaluate(STEPS)) as StepResult;
    expect(reference).toMatchObject({backend: "wasm", threads: 1, leaked: 0});
    expect(reference.weights.length).toBeGreaterThan(10_000);
    // it trains: the loss goes down over the three steps
    expect(reference.losses[2]).toBeLessThan(reference.losses[0]);
    expect(report.consoleErrors).toEqual([]);
    expect(report.pageErrors).toEqual([]);
  } finally {
    await context.close();
  }
});

test("a host sending COOP/COEP gets the threaded SIMD build on every core, with the same numbers", async () => {
  const {page, context, report} = await openPage(browser, isolated.url, "/filter.html");
  try {
    const line = await backendLine(page);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const expected = Math.min(cores, 8);
    expect(expected).toBeGreaterThan(1);
    expect(line).toMatchObject({isolated: true, backend: "wasm", threads: expected});
    expect(line.text).toContain(`스레드 ${expected}개`);
    const run = (await page.evaluate(STEPS)) as StepResult;
    expect(run).toMatchObject({backend: "wasm", threads: expected});
    expectSameAsReference(run);
    expect(report.consoleErrors).toEqual([]);
    expect(report.pageErrors).toEqual([]);
  } finally {
    await context.close();
  }
});

test("localStorage dl4i:wasm-threads holds the threaded build to fewer threads (as the bench does)", async () => {
  const context = await browser.newContext({serviceWorkers: "block"});
  try {
    await context.addInitScript(() => localStorage.setItem("dl4i:wasm-threads", "1"));
    const page = await context.newPage();
    await page.goto(`${isolated.url}/filter.html`);
    await page.waitForSelector(".backend-note", {timeout: 120_000});
    expect(await backendLine(page)).toMatchObject({isolated: true, backend: "wasm", threads: 1});
    const run = (await page.evaluate(STEPS)) as StepResult;
    expect(run.threads).toBe(1);
    expectSameAsReference(run);
  } finally {
    await context.close();
  }
});

test("a plain host behind the service worker: one reload, then cross-origin isolated with threads", async () => {
  // service workers allowed in this context only (site.ts blocks them for the other tests)
  const context = await browser.newContext({viewport: {width: 1280, height: 900}});
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("pageerror", (e) => errors.push(String(e)));
    let loads = 0;
    page.on("load", () => loads++);
    await page.goto(`${plain.url}/filter.html`);
    // the worker installs (precaching the site), takes control, and the untouched page reloads itself once
    await page.waitForFunction(() => globalThis.crossOriginIsolated === true, undefined, {
      timeout: 120_000,
      polling: 250
    });
    await page.waitForSelector(".backend-note", {timeout: 120_000});
    await settle(page);
    expect(loads).toBe(2);
    const line = await backendLine(page);
    const expected = Math.min(await page.evaluate(() => navigator.hardwareConcurrency), 8);
    expect(line).toMatchObject({isolated: true, backend: "wasm", threads: expected});
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    const run = (await page.evaluate(STEPS)) as StepResult;
    expect(run.threads).toBe(expected);
    expectSameAsReference(run);
    // the next page is isolated from its first load: no further reload
    await page.goto(`${plain.url}/cnn.html`);
    await page.waitForSelector(".backend-note", {timeout: 120_000});
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    expect(loads).toBe(3);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
