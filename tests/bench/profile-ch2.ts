/**
 * Profile chapter 2's in-page training (issue 18): open the built page, press Start on the C4 panel, and record a
 * JavaScript CPU profile (CDP `Profiler`) of `seconds` of training; print the self time by category (wasm kernels,
 * TF.js, Plot, the loop, the browser's own rendering as "(program)", idle, GC) and the top functions.
 * Usage (after `npm run build`): npx vite-node --config vitest.config.ts tests/bench/profile-ch2.ts -- [seconds]
 */
import {launch} from "../browser/chromium.js";
import {serve} from "../browser/server.js";

const seconds = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 15);
const site = await serve("dist");
const browser = await launch();
const page = await browser.newPage();
await page.addInitScript(() => localStorage.removeItem("dl4i:backend"));
await page.goto(`${site.url}/cnn.html`, {waitUntil: "load"});
await page.waitForSelector(`[data-claim="C4"] .panel-start`, {timeout: 120_000});
await page.waitForFunction(() => document.querySelector(".backend-note"), undefined, {timeout: 120_000});
await page.click(`[data-claim="C4"] .panel-start`);
await page.waitForFunction(() => /batch/.test(document.querySelector(".train-stats")?.textContent ?? ""), undefined, {
  timeout: 300_000
});
const cdp = await page.context().newCDPSession(page);
await cdp.send("Performance.enable");
const metrics = async () =>
  Object.fromEntries(
    ((await cdp.send("Performance.getMetrics")) as {metrics: {name: string; value: number}[]}).metrics.map((m) => [
      m.name,
      m.value
    ])
  );
const m0 = await metrics();
await cdp.send("Profiler.enable");
await cdp.send("Profiler.setSamplingInterval", {interval: 200});
await cdp.send("Profiler.start");
const before = await page.evaluate(() => document.querySelector(".train-stats")?.textContent);
await new Promise((r) => setTimeout(r, seconds * 1000));
const after = await page.evaluate(() => document.querySelector(".train-stats")?.textContent);
const m1 = await metrics();
console.log(
  [
    "Timestamp",
    "ThreadTime",
    "ProcessTime",
    "TaskDuration",
    "ScriptDuration",
    "LayoutDuration",
    "RecalcStyleDuration",
    "TaskOtherDuration",
    "LayoutCount",
    "RecalcStyleCount"
  ]
    .map((k) => `${k} ${(m1[k] - m0[k]).toFixed(3)}`)
    .join("\n")
);
const {profile} = (await cdp.send("Profiler.stop")) as {
  profile: {
    nodes: {id: number; callFrame: {functionName: string; url: string; lineNumber: number}}[];
    samples: number[];
    timeDeltas: number[];
  };
};
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
const cats = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] / 1000;
  total += dt;
  const f = byId.get(id)!.callFrame;
  const file = f.url.split("/").pop() ?? "";
  const key = `${f.functionName || "(anon)"} ${file}:${f.lineNumber}`;
  self.set(key, (self.get(key) ?? 0) + dt);
  const cat =
    f.url.includes("wasm") || f.url.startsWith("wasm://")
      ? "wasm"
      : file.replace(/\.[0-9a-f]{8}\.js$/, "") || f.functionName;
  cats.set(cat, (cats.get(cat) ?? 0) + dt);
});
const top = (m: Map<string, number>, n: number) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${v.toFixed(0).padStart(6)} ms  ${k}`);
console.log(
  `before: ${before}\nafter:  ${after}\n${total.toFixed(0)} ms sampled\n\nby file:\n${top(cats, 20).join("\n")}\n\nby function:\n${top(self, 30).join("\n")}`
);
await page.evaluate(() => (document.querySelector(`[data-claim="C4"] .panel-stop`) as HTMLButtonElement)?.click());
await browser.close();
await site.close();
