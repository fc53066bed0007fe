/**
 * Training in the page (issue 5): the automatic backend choice, the course's kernels, and the training
 * loop's promise that the page stays responsive — no main-thread task over 200 ms while a ConvNet
 * trains, measured with a long-task observer — and leaks nothing.
 */
import {expect, test} from "vitest";
import type {Page} from "playwright-core";
import {numTensors, type PageReport, useSitePage} from "./site.js";

let page: Page;
let report: PageReport;
useSitePage("/filter.html", (opened) => ({page, report} = opened));

test("with software WebGL the page picks wasm, says why, and serves the course's kernels", async () => {
  const note = page.locator(".backend-note");
  const renderer = await page.evaluate(() => {
    const gl = document.createElement("canvas").getContext("webgl");
    const ext = gl?.getExtension("WEBGL_debug_renderer_info");
    return gl && ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : null;
  });
  // headless Chromium on a CPU-only machine renders WebGL with SwiftShader
  if (renderer === null || /swiftshader|llvmpipe/i.test(renderer)) {
    expect(await note.getAttribute("data-backend")).toBe("wasm");
    expect(await note.innerText()).toContain(renderer === null ? "WebGL을 쓸 수 없어서" : "소프트웨어 렌더러");
  }
  expect(await note.innerText()).toContain("코스 커널: Conv2DBackpropFilter");
  expect(await page.locator('select[aria-label="TF.js backend"]').inputValue()).toBe("auto");
});

test("training the ConvNet Example keeps every main-thread task under 200 ms, and leaks nothing", async () => {
  const before = await numTensors(page);
  const result = await page.evaluate(`(async () => {
    const link = (name) => document.querySelector('link[rel=modulepreload][href*="' + name + '"]').href;
    const {tf} = await import(link("lib/tf."));
    const lib = await import(link("lib/index."));
    const long = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) long.push({start: e.startTime, duration: e.duration});
    });
    observer.observe({type: "longtask"});
    const n = 64 * 12;
    const xs = tf.randomUniform([n, 28, 28, 1], 0, 1, "float32", 1);
    const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([n], 0, 10, "int32", 2), 10));
    const model = lib.convNet(lib.CONVNET_PRESETS.example, 3);
    const optimizer = tf.train.adam(0.001);
    const t0 = performance.now();
    const events = [];
    for await (const e of lib.train({model, optimizer, train: {xs, ys}, epochs: 1, batchSize: 64, seed: 4})) events.push(e);
    const t1 = performance.now();
    await new Promise((r) => setTimeout(r, 100)); // let the observer deliver
    observer.disconnect();
    tf.dispose([xs, ys]);
    optimizer.dispose();
    model.dispose();
    const during = long.filter((e) => e.start >= t0 && e.start <= t1);
    return {
      batches: events.filter((e) => e.type === "batch").length,
      end: events.at(-1),
      losses: events.filter((e) => e.type === "batch").map((e) => e.loss),
      longest: Math.max(0, ...during.map((e) => e.duration)),
      longTasks: during.length,
      ms: t1 - t0
    };
  })()`);
  const r = result as {batches: number; end: {type: string; reason: string}; losses: number[]; longest: number};
  expect(r.batches).toBe(12);
  expect(r.end).toMatchObject({type: "end", reason: "done"});
  expect(r.losses.every(Number.isFinite)).toBe(true);
  expect(r.longest, JSON.stringify(result)).toBeLessThan(200);
  expect(await numTensors(page)).toBe(before);
  expect(report.consoleErrors).toEqual([]);
  expect(report.foreignRequests).toEqual([]);
});
