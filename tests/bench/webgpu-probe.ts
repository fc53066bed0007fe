/**
 * Can this Chromium run WebGPU headless (issue 18)? Tries several launch flag sets on a blank page and prints what
 * `navigator.gpu.requestAdapter()` gives (adapter info, fallback flag) for each.
 * Usage: npx vite-node --config vitest.config.ts tests/bench/webgpu-probe.ts
 */
import {createServer} from "node:http";
import {chromium} from "playwright-core";
import {chromiumPath} from "../browser/chromium.js";

const BASE = ["--no-sandbox", "--no-first-run", "--disable-background-networking", "--disable-component-update"];
const SETS: Record<string, string[]> = {
  "course flags (--disable-gpu)": ["--disable-gpu"],
  "--enable-unsafe-webgpu": ["--enable-unsafe-webgpu"],
  "unsafe-webgpu + swiftshader adapter": ["--enable-unsafe-webgpu", "--use-webgpu-adapter=swiftshader"],
  "unsafe-webgpu + Vulkan + swiftshader": [
    "--enable-unsafe-webgpu",
    "--enable-features=Vulkan",
    "--use-vulkan=swiftshader",
    "--use-webgpu-adapter=swiftshader"
  ],
  "unsafe-webgpu + angle swiftshader": [
    "--enable-unsafe-webgpu",
    "--use-angle=swiftshader",
    "--use-webgpu-adapter=swiftshader",
    "--enable-features=Vulkan"
  ],
  "headless=new + unsafe-webgpu + swiftshader": [
    "--headless=new",
    "--enable-unsafe-webgpu",
    "--use-webgpu-adapter=swiftshader",
    "--enable-features=Vulkan,WebGPUDeveloperFeatures"
  ]
};
export const PROBE = `(async () => {
  if (!navigator.gpu) return {gpu: false};
  try {
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) return {gpu: true, adapter: null};
    const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
    let device = false;
    try { const d = await adapter.requestDevice(); device = true; d.destroy(); } catch (e) { device = String(e); }
    return {gpu: true, fallback: adapter.isFallbackAdapter ?? info.isFallbackAdapter, vendor: info.vendor,
      architecture: info.architecture, description: info.description, device};
  } catch (e) { return {gpu: true, error: String(e)}; }
})()`;
// navigator.gpu exists only in a secure context: serve a blank page from localhost
const server = createServer((_, res) => res.end("<!doctype html><p>probe</p>"));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${(server.address() as {port: number}).port}/`;
for (const [name, flags] of Object.entries(SETS)) {
  const browser = await chromium.launch({executablePath: chromiumPath(), headless: true, args: [...BASE, ...flags]});
  const page = await browser.newPage();
  await page.goto(url);
  let result: unknown;
  try {
    result = await page.evaluate(PROBE);
  } catch (e) {
    result = String(e);
  }
  console.log(`${name}: ${JSON.stringify(result)}`);
  await browser.close();
}
server.close();
