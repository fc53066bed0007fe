/**
 * The reader's GPU through WebGPU (issue 18). This Chromium runs WebGPU headless only with `--enable-unsafe-webgpu`,
 * and then on SwiftShader: a *fallback* (software) adapter, vendor "google", architecture "swiftshader"
 * (tests/bench/webgpu-probe.ts tries other flag sets). So here:
 * - the automatic choice sees that adapter, calls it software and picks wasm; the menu still offers webgpu, and the
 *   webgpu backend's bundle is not downloaded;
 * - a reader who picks webgpu gets it: the page loads the bundle and runs on it; the training ops (convolution,
 *   max pooling, dense layers and their gradients) agree with the cpu backend, and a short training of the ConvNet
 *   Example learns and leaks nothing.
 */
import {afterAll, beforeAll, expect, test} from "vitest";
import type {Browser, Page} from "playwright-core";
import {launch} from "./chromium.js";
import {serve} from "./server.js";

let browser: Browser;
let server: {url: string; close(): Promise<void>};

beforeAll(async () => {
  server = await serve("dist");
  browser = await launch({webgpu: true});
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Chapter 1 on `backend` (null: automatic); the URLs it requested and the errors it logged. */
async function open(backend: string | null): Promise<{page: Page; requests: string[]; errors: string[]}> {
  const page = await browser.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.addInitScript((name) => {
    if (name) localStorage.setItem("dl4i:backend", name);
    else localStorage.removeItem("dl4i:backend");
  }, backend);
  await page.goto(`${server.url}/filter.html`, {waitUntil: "load"});
  await page.waitForSelector(".backend-note", {timeout: 120_000});
  return {page, requests, errors};
}

test("a SwiftShader (fallback) adapter is software: auto picks wasm, offers webgpu, and does not download it", async () => {
  const {page, requests, errors} = await open(null);
  const adapter = await page.evaluate(async () => {
    const a = await (navigator as unknown as {gpu: {requestAdapter(): Promise<unknown>}}).gpu.requestAdapter();
    const x = a as {isFallbackAdapter?: boolean; info?: {architecture?: string; isFallbackAdapter?: boolean}};
    return {fallback: x.isFallbackAdapter ?? x.info?.isFallbackAdapter, architecture: x.info?.architecture};
  });
  expect(adapter).toEqual({fallback: true, architecture: "swiftshader"});
  const note = page.locator(".backend-note");
  expect(await note.getAttribute("data-backend")).toBe("wasm");
  const options = await page
    .locator('select[aria-label="TF.js backend"] option')
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(options).toContain("webgpu");
  expect(requests.filter((u) => u.includes("tf-backend-webgpu"))).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
});

test("webgpu chosen: the page runs on it, the training ops agree with cpu, a short training learns", async (ctx) => {
  const {page, requests, errors} = await open("webgpu");
  expect(await page.locator(".backend-note").getAttribute("data-backend")).toBe("webgpu");
  expect(requests.filter((u) => u.includes("tf-backend-webgpu"))).toHaveLength(1);
  // Tensors under TF.js's CPU hand-off size (1,000 values) are computed on the CPU; a larger one needs GPU buffers.
  // On this Chromium's SwiftShader adapter every buffer TF.js 4.22 creates fails (README "이 머신의 WebGPU"): then
  // the rest cannot run here, and the test says so instead of passing.
  const gpuCheck = await page.evaluate(`(async () => {
    const link = (name) => document.querySelector('link[rel=modulepreload][href*="' + name + '"]').href;
    const {tf} = await import(link("lib/tf."));
    try {
      const t = tf.add(tf.ones([4096]), 1);
      const v = (await t.data())[4095];
      t.dispose();
      return v === 2 ? "ok" : "wrong value " + v;
    } catch (e) {
      return String(e);
    }
  })()`);
  if (/createBuffer failed/.test(String(gpuCheck))) {
    await page.close();
    ctx.skip(`TF.js's webgpu backend cannot make GPU buffers on this adapter: ${gpuCheck}`);
  }
  expect(gpuCheck).toBe("ok");
  const result = await page.evaluate(`(async () => {
    const link = (name) => document.querySelector('link[rel=modulepreload][href*="' + name + '"]').href;
    const {tf} = await import(link("lib/tf."));
    const lib = await import(link("lib/index."));
    const backend = tf.getBackend();
    // deterministic inputs from a small LCG, made afresh on each backend
    const values = (n, seed) => { let s = seed; return Float32Array.from({length: n}, () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) - 0.5); };
    const step = async () => {
      const tensors = tf.tidy(() => {
      const x = tf.tensor4d(values(4 * 12 * 12 * 2, 1), [4, 12, 12, 2]);
      const w1 = tf.tensor4d(values(3 * 3 * 2 * 5, 2), [3, 3, 2, 5]);
      const w2 = tf.tensor4d(values(3 * 3 * 5 * 4, 3), [3, 3, 5, 4]);
      const w3 = tf.tensor2d(values(2 * 2 * 4 * 3, 4), [16, 3]);
      const labels = tf.oneHot(tf.tensor1d([0, 2, 1, 2], "int32"), 3);
      const f = (x, w1, w2, w3) => {
        const h = tf.maxPool(tf.relu(tf.conv2d(x, w1, 1, "same")), 2, 2, "valid"); // [4, 6, 6, 5]
        const g = tf.maxPool(tf.relu(tf.conv2d(h, w2, 1, "valid")), 2, 2, "valid"); // [4, 2, 2, 4]
        return tf.losses.softmaxCrossEntropy(labels, tf.matMul(tf.reshape(g, [4, 16]), w3));
      };
      const {value, grads} = tf.valueAndGrads(f)([x, w1, w2, w3]);
      return [value, ...grads];
      });
      // read back asynchronously (a synchronous read on webgpu goes through a canvas)
      const out = await Promise.all(tensors.map(async (t) => Array.from(await t.data())));
      tf.dispose(tensors);
      return out;
    };
    const onGpu = await step();
    await tf.setBackend("cpu");
    const onCpu = await step();
    await tf.setBackend("webgpu");
    const diff = Math.max(...onGpu.flatMap((a, i) => a.map((v, j) => Math.abs(v - onCpu[i][j]))));
    const scale = Math.max(...onCpu.flatMap((a) => a.map(Math.abs)));
    // a short training: the ConvNet Example tells a bright top half from a bright bottom half
    const before = tf.memory().numTensors;
    const n = 256;
    const xs = tf.tidy(() => {
      const rows = tf.range(0, 28).reshape([1, 28, 1, 1]);
      const top = tf.tensor1d(Array.from({length: n}, (_, i) => i % 2), "float32").reshape([n, 1, 1, 1]);
      const bright = tf.where(tf.less(rows, 14), top, tf.sub(1, top));
      return tf.add(tf.mul(bright.tile([1, 1, 28, 1]), 0.8), tf.tensor4d(values(n * 28 * 28, 5), [n, 28, 28, 1]).mul(0.2));
    });
    const ys = tf.oneHot(tf.tensor1d(Array.from({length: n}, (_, i) => i % 2), "int32"), 10);
    const model = lib.convNet(lib.CONVNET_PRESETS.example, 3);
    const optimizer = tf.train.adam(0.003);
    const losses = [];
    let last;
    for await (const e of lib.train({model, optimizer, train: {xs, ys}, epochs: 2, batchSize: 32, readEvery: 4})) {
      if (e.type === "batch") losses.push(e.loss);
      if (e.type === "epoch") last = e;
    }
    tf.dispose([xs, ys]);
    optimizer.dispose();
    model.dispose();
    return {backend, diff, scale, first: losses[0], lastLoss: losses.at(-1), accuracy: last.accuracy, batches: losses.length,
      leaked: tf.memory().numTensors - before};
  })()`);
  const r = result as {backend: string; diff: number; scale: number; first: number; lastLoss: number};
  expect(r.backend).toBe("webgpu");
  expect(r.scale).toBeGreaterThan(0.01);
  expect(r.diff).toBeLessThan(1e-4 * Math.max(1, r.scale));
  expect(result).toMatchObject({batches: 16, leaked: 0});
  expect(r.lastLoss).toBeLessThan(r.first / 4);
  expect((result as {accuracy: number}).accuracy).toBeGreaterThan(0.9);
  expect(errors).toEqual([]);
  await page.close();
});
