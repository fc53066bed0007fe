/**
 * `npm run bench` (not part of `npm test`): TF.js training speed in headless Chromium, in one run, on the
 * built site. Reports ratios against the best *stock* TF.js backend, because these machines are shared and
 * noisy; only ratios measured in the same run mean anything.
 *
 * Every row runs in a fresh page (so "first step" really is the first): each backend TF.js offers here,
 * once with stock TF.js kernels and once with the course's kernels (`lib/backend/kernels.ts`) where it
 * has any. Per row:
 * - matMul (512³) and conv2d (8×64×64×32 → 64, 3×3) forward GFLOP/s, and matMul with a transposed
 *   operand (what every Dense layer's gradient computes);
 * - training examples/s of the classic tfjs-examples MNIST CNN and of chapter 2's ConvNet Example
 *   (batch 64, RMSprop as in tfjs-examples), and the first training step's time after the backend is ready;
 * - the training FLOPs of one step and how far the step time is from them at the row's matMul speed;
 * - chapter 4: sequences/s of a training step of the forecaster's LSTM and of the recall task's LSTM.
 * Then the page's own automatic choice (`lib/backend/choose.ts`) is reported.
 * Chapters 5–6 (skip with --skip-seq2seq): the date task's Seq2Seq with dot attention and without attention, each
 * trained `SEQ2SEQ_DEFAULTS.seconds` (60 s) with the pages' defaults on the automatic backend, then greedy decoding on
 * the held-out test set: sequence accuracy (overall and by source length) and training sequences/s. Target: the
 * attention model ≥ 95 % held-out sequence accuracy within the 60 s; the no-attention model behind on long inputs.
 * Chapter 7 (skip with --skip-transformer): the small Transformer's training step in Node on wasm, stock vs course
 * kernels, and the time to its held-out token accuracy target (tests/bench/transformer.ts).
 * Chapter 8 (skip with --skip-vit, alone with --only-vit): the tiny ViT's training step in Node, before and after
 * issue 15's speed-up, course kernels on wasm vs stock TF.js on cpu, and the training time until it reaches 85% on
 * Fashion-MNIST's full test set (tests/bench/vit.ts; about 3 minutes).
 * `--only-seq2seq` runs the chapters 5–6 rows alone (after `npm run build`: `tsx tests/bench/run.ts --only-seq2seq`).
 * Chapter 2 (skip with --skip-chapter2, alone with --only-chapter2: the automatic backend's row and chapter 2): the
 * page's Start pressed as a reader would, with the recipe of lib/train/convnet-recipe.ts, against the same recipe
 * trained by the same loop in a page without the panel, its chart or any yield (the bench's examples/s for the same
 * model and backend). Targets: ≥ 98.5% on the full test set within 45 s of in-page training; page/bench ≥ 0.9.
 * Writes test-results/bench.json: the structured results and every line the run prints.
 */
import {benchTransformer} from "./transformer.js";
import {benchVit, vitBenchReport} from "./vit.js";
import {mkdirSync, readdirSync, writeFileSync} from "node:fs";
import {cpus, loadavg} from "node:os";
import {launch} from "../browser/chromium.js";
import {serve} from "../browser/server.js";

type Row = Record<string, number | string | undefined>;

// every line the run prints also goes to test-results/bench.json (`lines`)
const printed: string[] = [];
const print = console.log.bind(console);
console.log = (...args: unknown[]) => {
  printed.push(args.map(String).join(" "));
  print(...args);
};

const site = await serve("dist");
const browser = await launch();

/** Open chapter 1 on `backend` (or the automatic choice) and wait for it to settle. */
async function openOn(backend: string | null, url = site.url) {
  // no service worker: it would reload a page it first takes control of (cross-origin isolation, issue 18)
  const page = await (await browser.newContext({serviceWorkers: "block"})).newPage();
  await page.addInitScript((name) => {
    if (name) localStorage.setItem("dl4i:backend", name);
    else localStorage.removeItem("dl4i:backend");
  }, backend);
  await page.goto(`${url}/filter.html`, {waitUntil: "load"});
  await page.waitForFunction(() => document.querySelector(".backend-note"), undefined, {timeout: 120_000});
  return page;
}

// runs in the page, as a string so nothing rewrites its dynamic imports
const MEASURE = (stock: boolean) => `(async () => {
  const link = (name) => document.querySelector('link[rel=modulepreload][href*="' + name + '"]').href;
  const {tf} = await import(link("lib/tf."));
  const lib = await import(link("lib/index."));
  await tf.ready();
  const name = tf.getBackend();
  if (${stock}) lib.unregisterCourseKernels(name);
  const threads = name === "wasm" ? globalThis.tf?.wasm?.getThreadsCount?.() ?? 1 : undefined;
  const row = {backend: name + (threads > 1 ? " (" + threads + " threads)" : ""), kernels: ${stock} ? "stock" : (lib.courseKernels(name).length ? "course" : "stock")};
  const time = async (f, n) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await f();
    return (performance.now() - t0) / n;
  };
  const slow = name === "cpu";
  // training FLOPs of one example: 2·(forward MACs + dW MACs + dx MACs), no dx for the first layer; the MACs
  // per layer come from the course's counter (lib/analysis)
  const trainFlops = (model) => {
    const macs = lib.modelSummary(model).map((r) => r.macs).filter((m) => m > 0);
    return 2 * (3 * macs.reduce((a, b) => a + b, 0) - macs[0]);
  };
  const trainRow = async (key, model, steps) => {
    model.compile({optimizer: tf.train.rmsprop(0.001), loss: "categoricalCrossentropy"});
    const xs = tf.randomUniform([64, 28, 28, 1]);
    const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([64], 0, 10, "int32"), 10));
    try {
      let t0 = performance.now();
      await model.trainOnBatch(xs, ys);
      row[key + "FirstStepMs"] = performance.now() - t0;
      await model.trainOnBatch(xs, ys);
      const ms = await time(() => model.trainOnBatch(xs, ys), steps);
      row[key + "MsPerStep"] = ms;
      row[key + "ExamplesPerSec"] = 64 / (ms / 1000);
      row[key + "StepMflop"] = (64 * trainFlops(model)) / 1e6;
    } catch (e) {
      row[key + "Error"] = "cannot train: " + String(e.message).slice(0, 80);
    }
    tf.dispose([xs, ys]);
    model.dispose();
  };
  // first: training, straight after the backend is ready
  await trainRow("classic", lib.convNet(lib.CONVNET_PRESETS.classic), slow ? 3 : 15);
  await trainRow("example", lib.convNet(lib.CONVNET_PRESETS.example), slow ? 2 : 10);
  // chapter 4: sequences/s of a training step (batch 32, Adam) of the forecaster's LSTM (window 24, 16 units) and of
  // the recall task's LSTM (lag 20, 8 units), as the page trains them
  const seqRow = async (key, model, xs, ys, loss, steps) => {
    model.compile({optimizer: tf.train.adam(0.01), loss});
    try {
      await model.trainOnBatch(xs, ys);
      const ms = await time(() => model.trainOnBatch(xs, ys), steps);
      row[key + "MsPerStep"] = ms;
      row[key + "SeqPerSec"] = xs.shape[0] / (ms / 1000);
    } catch (e) {
      row[key + "Error"] = "cannot train: " + String(e.message).slice(0, 80);
    }
    tf.dispose([xs, ys]);
    model.dispose();
  };
  await seqRow("forecastLstm", lib.forecaster("lstm", {window: 24, units: 16, seed: 1}), tf.randomNormal([32, 24, 1]),
    tf.randomNormal([32, 1]), "meanSquaredError", slow ? 3 : 15);
  const recall = lib.recallTask({examples: 32, lag: 20, seed: 1});
  await seqRow("recallLstm", lib.recallModel("lstm", {units: 8, symbols: recall.symbols, lag: 20, seed: 1}), recall.xs,
    recall.ys, "categoricalCrossentropy", slow ? 3 : 15);
  const a = tf.randomNormal([512, 512]), b = tf.randomNormal([512, 512]);
  const mm = async (tA) => { const c = tf.matMul(a, b, tA, false); await c.data(); c.dispose(); };
  await mm(false);
  row.matMulGflops = (2 * 512 ** 3) / (await time(() => mm(false), slow ? 2 : 10)) / 1e6;
  await mm(true);
  row.matMulTGflops = (2 * 512 ** 3) / (await time(() => mm(true), slow ? 2 : 10)) / 1e6;
  const x = tf.randomNormal([8, 64, 64, 32]), k = tf.randomNormal([3, 3, 32, 64]);
  const cv = async () => { const y = tf.conv2d(x, k, 1, "same"); await y.data(); y.dispose(); };
  await cv();
  row.conv2dGflops = (2 * 8 * 64 * 64 * 32 * 64 * 9) / (await time(cv, slow ? 2 : 10)) / 1e6;
  tf.dispose([a, b, x, k]);
  return row;
})()`;

const rows: Row[] = [];
// --only-seq2seq: the chapters 5–6 rows alone (and the automatic choice); --only-vit: chapter 8's rows alone;
// --only-chapter2: the automatic backend's row (course kernels) and chapter 2's training
const onlyVit = process.argv.includes("--only-vit");
// --only-threads: the wasm threads rows alone (benchThreads, near the end)
const onlyThreads = process.argv.includes("--only-threads");
const onlyChapter2 = process.argv.includes("--only-chapter2");
const onlySeq2seq = process.argv.includes("--only-seq2seq") || onlyVit || onlyThreads;
for (const backend of onlySeq2seq ? [] : onlyChapter2 ? [null] : ["webgl", "cpu", "wasm"]) {
  for (const stock of onlyChapter2 ? [false] : [true, false]) {
    const page = await openOn(backend);
    const row = (await page.evaluate(MEASURE(stock))) as Row;
    await page.close();
    if (!stock && row.kernels === "stock" && !onlyChapter2) break; // no course kernels on this backend: one row is enough
    rows.push(row);
    console.log(`measured ${row.backend} (${row.kernels})`);
  }
}
// Chapter 2's ConvNet Example, as a reader trains it: the page's own Start button on the automatic backend with the
// page's recipe (lib/train/convnet-recipe.ts), then the full 10,000-image test set; and the same recipe trained by the
// same loop in a fresh page without the panel, the chart or any yield between batches: the bench's examples/s for
// the same model and backend. Targets: ≥ 98.5% within 45 s of training; page / bench ≥ 0.9.
const CHAPTER2_TARGET = {accuracy: 98.5, seconds: 45, ratio: 0.9};
const assetUrl = (name: string) => {
  const file = readdirSync("dist/_file/assets").find((f) => new RegExp(`^${name}\\.[0-9a-f]+\\.bin$`).test(f));
  if (!file) throw new Error(`dist/_file/assets has no ${name}.bin: run npm run build`);
  return `${site.url}/_file/assets/${file}`;
};
// the bare run in three steps, so that the CPU clock is read around the training alone: set up (data, model) …
const CHAPTER2_SETUP = (trainUrl: string, testUrl: string) => `(async () => {
  const link = (name) => document.querySelector('link[rel=modulepreload][href*="' + name + '"]').href;
  const {tf} = await import(link("lib/tf."));
  const lib = await import(link("lib/index."));
  await tf.ready();
  const r = lib.CONVNET_RECIPE;
  const load = async (url) => lib.decodeMnist(new Uint8Array(await (await fetch(url)).arrayBuffer()));
  const [trainSet, testSet] = await Promise.all([load(${JSON.stringify(trainUrl)}), load(${JSON.stringify(testUrl)})]);
  const model = lib.convNet(lib.CONVNET_PRESETS.example, r.seed);
  globalThis.__chapter2 = {tf, lib, r, model, optimizer: tf.train.adam(r.learningRate),
    data: lib.mnistTensors(trainSet, 0, r.examples), validation: lib.mnistTensors(testSet, 0, r.validation),
    test: lib.mnistTensors(testSet)};
})()`;
// … train (the page's loop with the page's options, no yield between batches) …
const CHAPTER2_TRAIN = `(async () => {
  const {lib, r, model, optimizer, data, validation} = globalThis.__chapter2;
  const t0 = performance.now();
  let examples = 0;
  for await (const e of lib.train({model, optimizer, train: data, validation, epochs: r.epochs, batchSize: r.batchSize,
    seed: r.seed, learningRate: lib.convNetSchedule(r), taskBudgetMs: r.taskBudgetMs, readEvery: r.readEvery,
    yieldFn: async () => {}})) {
    if (e.type === "batch") examples += Math.min(r.batchSize, r.examples - e.batch * r.batchSize);
  }
  return {examples, trainSeconds: (performance.now() - t0) / 1000};
})()`;
// … and test on the 10,000 images
const CHAPTER2_TEST = `(async () => {
  const {tf, lib, model, optimizer, data, validation, test} = globalThis.__chapter2;
  const accuracy = (await lib.evaluate(model, test)).accuracy;
  tf.dispose([data.xs, data.ys, validation.xs, validation.ys, test.xs, test.ys]);
  optimizer.dispose();
  model.dispose();
  return {backend: tf.getBackend(), testAccuracy: 100 * accuracy};
})()`;
/**
 * CPU seconds of the page's main thread (where TF.js's wasm runs) and of its renderer process, from Chromium's
 * performance metrics: on a shared machine the wall clock also counts the time other processes had the cores.
 */
async function cpuClock(cdp: import("playwright-core").CDPSession): Promise<{thread: number; process: number}> {
  const {metrics} = (await cdp.send("Performance.getMetrics")) as {metrics: {name: string; value: number}[]};
  const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
  return {thread: get("ThreadTime"), process: get("ProcessTime")};
}
let chapter2: Row = {};
let chapter2Loop: Row = {};
if (!onlySeq2seq && !process.argv.includes("--skip-chapter2")) {
  const page = await (await browser.newContext({serviceWorkers: "block"})).newPage();
  await page.addInitScript(() => localStorage.removeItem("dl4i:backend"));
  await page.goto(`${site.url}/cnn.html`, {waitUntil: "load"});
  await page.waitForSelector(`[data-claim="C4"] .panel-start`, {timeout: 120_000});
  await page.waitForFunction(() => document.querySelector(".backend-note"), undefined, {timeout: 120_000});
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  // the first choice is the recipe's
  const choice = await page.$eval(
    'select[aria-label="학습 데이터 수"]',
    (s) => (s as HTMLSelectElement).options[0].value
  );
  await page.selectOption('select[aria-label="학습 데이터 수"]', choice);
  const t0 = Date.now();
  await page.click(`[data-claim="C4"] .panel-start`);
  // the status line says "학습 중…" from just before the first batch to just after the last one (then "평가하는 중")
  const status = `[data-claim="C4"] .panel-status`;
  await page.waitForFunction((s) => document.querySelector(s)?.textContent === "학습 중…", status, {
    timeout: 300_000,
    polling: 50
  });
  const cpu0 = await cpuClock(cdp);
  await page.waitForFunction((s) => document.querySelector(s)?.textContent !== "학습 중…", status, {
    timeout: 600_000,
    polling: 50
  });
  const cpu1 = await cpuClock(cdp);
  await page.waitForSelector('[data-testid="test-accuracy"] .big', {timeout: 600_000});
  chapter2 = await page.evaluate(() => {
    const result = document.querySelector<HTMLElement>('[data-testid="test-accuracy"]')!;
    const examples = Number(result.dataset.examples);
    const seconds = Number(result.dataset.seconds);
    return {
      backend: document.querySelector<HTMLElement>(".backend-note")?.dataset.backend,
      examples,
      testAccuracy: parseFloat(result.querySelector(".big")?.textContent ?? "NaN"),
      trainSeconds: seconds,
      examplesPerSec: examples / seconds
    };
  });
  chapter2.wallSeconds = (Date.now() - t0) / 1000;
  chapter2.threadCpuSeconds = cpu1.thread - cpu0.thread;
  chapter2.processCpuSeconds = cpu1.process - cpu0.process;
  chapter2.examplesPerThreadCpuSec = (chapter2.examples as number) / chapter2.threadCpuSeconds;
  await page.close();
  console.log("measured chapter 2 training in the page");
  const bare = await openOn(null);
  const bareCdp = await bare.context().newCDPSession(bare);
  await bareCdp.send("Performance.enable");
  await bare.evaluate(CHAPTER2_SETUP(assetUrl("mnist-train"), assetUrl("mnist-test")));
  const c0 = await cpuClock(bareCdp);
  const trained = (await bare.evaluate(CHAPTER2_TRAIN)) as {examples: number; trainSeconds: number};
  const c1 = await cpuClock(bareCdp);
  const tested = (await bare.evaluate(CHAPTER2_TEST)) as {backend: string; testAccuracy: number};
  chapter2Loop = {
    ...tested,
    ...trained,
    examplesPerSec: trained.examples / trained.trainSeconds,
    threadCpuSeconds: c1.thread - c0.thread,
    processCpuSeconds: c1.process - c0.process,
    examplesPerThreadCpuSec: trained.examples / (c1.thread - c0.thread)
  };
  await bare.close();
  console.log("measured chapter 2's recipe without the page");
}
// Chapters 5–6: the date task's Seq2Seq, dot attention vs none, trained for the same time with the pages' defaults
const SEQ2SEQ = `(async () => {
  const link = (name) => document.querySelector('link[rel=modulepreload][href*="' + name + '"]').href;
  const {tf} = await import(link("lib/tf."));
  const lib = await import(link("lib/index."));
  await tf.ready();
  const d = lib.SEQ2SEQ_DEFAULTS;
  const task = lib.dateTask({train: d.train, test: d.test, seed: d.seed, maxDates: d.maxDates});
  const lengths = {source: task.sourceLength, target: task.targetLength};
  const data = lib.encodePairs(task.train, lengths);
  const n = task.train.length;
  const out = {backend: tf.getBackend(), seconds: d.seconds, lengths};
  for (const attention of ["dot", "none"]) {
    const s = lib.seq2seq({sourceVocab: lib.SOURCE_VOCAB.size, targetVocab: lib.TARGET_VOCAB.size,
      embedding: d.embedding, units: d.units, cell: "lstm", attention, seed: d.seed});
    const optimizer = tf.train.adam(d.learningRate);
    const controller = new AbortController();
    const t0 = performance.now();
    let sequences = 0;
    for await (const e of lib.train({model: s.model, optimizer, train: {xs: [data.source, data.decoderInput], ys: data.target},
      loss: lib.translationLoss(), epochs: d.epochs, batchSize: d.batchSize, seed: d.seed, taskBudgetMs: d.taskBudgetMs,
      signal: controller.signal})) {
      if (e.type !== "batch") continue;
      sequences += Math.min(d.batchSize, n - e.batch * d.batchSize);
      if (performance.now() - t0 > d.seconds * 1000) controller.abort();
    }
    const seconds = (performance.now() - t0) / 1000;
    const ev = lib.evaluateTranslation(s, task.test, lengths);
    out[attention] = {trainSeconds: seconds, seqPerSec: sequences / seconds, sequenceAccuracy: ev.sequenceAccuracy,
      tokenAccuracy: ev.tokenAccuracy, byLength: ev.byLength};
    optimizer.dispose();
    s.dispose();
  }
  tf.dispose([data.source, data.decoderInput, data.target]);
  return out;
})()`;
type Seq2SeqRun = {trainSeconds: number; seqPerSec: number; sequenceAccuracy: number; tokenAccuracy: number};
type Seq2SeqRow = {backend: string; seconds: number; dot: Seq2SeqRun; none: Seq2SeqRun} & Record<string, unknown>;
let seq2seqRow: Seq2SeqRow | undefined;
if (!onlyVit && !onlyThreads && !onlyChapter2 && !process.argv.includes("--skip-seq2seq")) {
  const page = await openOn(null);
  seq2seqRow = (await page.evaluate(SEQ2SEQ)) as Seq2SeqRow;
  await page.close();
  console.log("measured chapters 5–6 Seq2Seq training");
}
const autoPage = await openOn(null);
const auto = await autoPage.evaluate(() => ({
  backend: document.querySelector<HTMLElement>(".backend-note")?.dataset.backend,
  note: document.querySelector(".backend-note")?.textContent
}));
await autoPage.close();
await browser.close();
await site.close();

const num = (r: Row, key: string) => (typeof r[key] === "number" ? (r[key] as number) : undefined);
const bestStock = (key: string) => Math.max(...rows.filter((r) => r.kernels === "stock").map((r) => num(r, key) ?? 0));
const cell = (r: Row, key: string, digits = 1) => {
  const v = num(r, key);
  if (v === undefined) return String(r[key.replace(/[A-Z][a-z]+$/, "") + "Error"] ?? "—");
  const best = bestStock(key);
  return `${v.toFixed(digits)} (${best > 0 ? (v / best).toFixed(2) : "—"}×)`;
};
console.log("\nTF.js in headless Chromium, this run. (n×) = ratio to the best stock TF.js backend of the column.\n");
console.log(
  "backend | kernels | MNIST CNN ex/s | ConvNet Example ex/s | first step ms (classic / example) | matMul GFLOP/s | matMulᵀ GFLOP/s | conv2d GFLOP/s"
);
console.log("---|---|---|---|---|---|---|---");
for (const r of rows) {
  const first = [num(r, "classicFirstStepMs"), num(r, "exampleFirstStepMs")]
    .map((v) => (v === undefined ? "—" : v.toFixed(0)))
    .join(" / ");
  console.log(
    [
      r.backend,
      r.kernels,
      cell(r, "classicExamplesPerSec", 0),
      cell(r, "exampleExamplesPerSec", 0),
      first,
      cell(r, "matMulGflops"),
      cell(r, "matMulTGflops"),
      cell(r, "conv2dGflops")
    ].join(" | ")
  );
}
console.log("\nChapter 4, recurrent training (batch 32, Adam): sequences/s (n× the best stock backend)\n");
console.log("backend | kernels | forecaster LSTM (W 24, 16 units) seq/s | recall LSTM (lag 20, 8 units) seq/s");
console.log("---|---|---|---");
for (const r of rows) {
  console.log(
    [
      r.backend,
      r.kernels,
      r.forecastLstmError ?? cell(r, "forecastLstmSeqPerSec", 0),
      r.recallLstmError ?? cell(r, "recallLstmSeqPerSec", 0)
    ].join(" | ")
  );
}
console.log("\nStep time against the FLOP count (one step of 64 examples, at the same row's matMul speed):\n");
for (const r of rows) {
  for (const key of ["classic", "example"]) {
    const ms = num(r, key + "MsPerStep");
    const mflop = num(r, key + "StepMflop");
    const gflops = num(r, "matMulGflops");
    if (ms === undefined || mflop === undefined || !gflops) continue;
    const bound = mflop / gflops; // ms
    console.log(
      `${r.backend} (${r.kernels}) ${key}: ${mflop.toFixed(0)} MFLOP per step → ${bound.toFixed(1)} ms at ${gflops.toFixed(1)} GFLOP/s; measured ${ms.toFixed(1)} ms (${(ms / bound).toFixed(1)}× the bound)`
    );
  }
}
console.log(`\nautomatic choice on this device: ${auto.backend} — ${auto.note}`);
if (chapter2.testAccuracy !== undefined) {
  const c = chapter2 as {backend: string; examples: number; testAccuracy: number; trainSeconds: number};
  const b = chapter2Loop as {backend: string; trainSeconds: number; testAccuracy: number};
  const rate = (r: Row) => num(r, "examplesPerSec") ?? NaN;
  const cpuRate = (r: Row) => num(r, "examplesPerThreadCpuSec") ?? NaN;
  const cpu = (r: Row) =>
    `${Number(r.threadCpuSeconds).toFixed(1)} s of main-thread CPU (${Number(r.processCpuSeconds).toFixed(1)} s renderer process)`;
  const modelRate = num(
    rows.find((r) => r.kernels === "course" && String(r.backend).startsWith(c.backend)) ?? {},
    "exampleExamplesPerSec"
  );
  const ratio = rate(chapter2) / rate(chapter2Loop);
  const cpuRatio = cpuRate(chapter2) / cpuRate(chapter2Loop);
  const ok = c.testAccuracy >= CHAPTER2_TARGET.accuracy && c.trainSeconds <= CHAPTER2_TARGET.seconds;
  const okCpu =
    c.testAccuracy >= CHAPTER2_TARGET.accuracy && Number(chapter2.threadCpuSeconds) <= CHAPTER2_TARGET.seconds;
  Object.assign(chapter2, {ratio, cpuRatio, target: CHAPTER2_TARGET, met: ok, metByCpuClock: okCpu});
  console.log(
    `\nchapter 2 ConvNet Example in the page (${c.backend}, recipe of lib/train/convnet-recipe.ts: ${c.examples.toLocaleString("en-US")} images, 1 epoch): test accuracy ${c.testAccuracy}% on 10,000 images after ${c.trainSeconds.toFixed(1)} s of training (${rate(chapter2).toFixed(0)} examples/s; ${Number(chapter2.wallSeconds).toFixed(0)} s with download and test); ${cpu(chapter2)}, ${cpuRate(chapter2).toFixed(0)} examples per CPU second`
  );
  console.log(
    `target ≥ ${CHAPTER2_TARGET.accuracy}% within ${CHAPTER2_TARGET.seconds} s: ${ok ? "met" : "NOT met"} (wall clock); ${okCpu ? "met" : "NOT met"} by the main thread's CPU clock (what an idle machine's wall clock would show)`
  );
  console.log(
    `the same recipe, same loop, no page (${b.backend}): ${rate(chapter2Loop).toFixed(0)} examples/s, ${b.trainSeconds.toFixed(1)} s; ${cpu(chapter2Loop)}, ${cpuRate(chapter2Loop).toFixed(0)} examples per CPU second; test accuracy ${b.testAccuracy.toFixed(2)}%` +
      (modelRate ? `; trainOnBatch alone (RMSprop, the table above): ${modelRate.toFixed(0)} examples/s` : "")
  );
  console.log(
    `page / bench: ${ratio.toFixed(2)} in examples/s, ${cpuRatio.toFixed(2)} in examples per CPU second — target ≥ ${CHAPTER2_TARGET.ratio}: ${ratio >= CHAPTER2_TARGET.ratio ? "met" : "NOT met"} (wall), ${cpuRatio >= CHAPTER2_TARGET.ratio ? "met" : "NOT met"} (CPU)`
  );
}
if (seq2seqRow) {
  const r = seq2seqRow;
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const byLength = (run: Seq2SeqRun) =>
    (
      (
        run as unknown as {
          byLength: {length: number; examples: number; sequenceAccuracy: number; tokenAccuracy: number}[];
        }
      ).byLength ?? []
    )
      .map((b) => `${b.length}+ tokens: ${pct(b.sequenceAccuracy)} (tokens ${pct(b.tokenAccuracy)}; ${b.examples})`)
      .join(", ");
  console.log(
    `\nchapters 5–6 Seq2Seq on the date task (${r.backend}, ${r.seconds} s of training each, pages' defaults):`
  );
  for (const kind of ["dot", "none"] as const) {
    const run = r[kind];
    console.log(
      `${kind === "dot" ? "dot attention" : "no attention "}: held-out greedy sequence accuracy ${pct(run.sequenceAccuracy)} (tokens ${pct(run.tokenAccuracy)}) after ${run.trainSeconds.toFixed(0)} s, ${run.seqPerSec.toFixed(0)} sequences/s; by source length: ${byLength(run)}`
    );
  }
  console.log(`target: attention ≥ 95% within ${r.seconds} s: ${r.dot.sequenceAccuracy >= 0.95 ? "met" : "NOT met"}`);
}
// chapter 7: the small Transformer's training step in Node on wasm, stock vs course kernels (tests/bench/transformer.ts)
let transformerBench: Awaited<ReturnType<typeof benchTransformer>> | null = null;
if (!onlySeq2seq && !onlyChapter2 && !process.argv.includes("--skip-transformer")) {
  transformerBench = await benchTransformer();
  const t = transformerBench;
  console.log(
    `\nchapter 7 small Transformer (${t.backend}, Node, batch ${t.shapes.batch}, source ${t.shapes.sourceLength} / target ${t.shapes.targetLength} tokens, ${t.shapes.params} parameters):`
  );
  for (const r of t.rows) {
    console.log(
      `${r.kernels} kernels, ${r.layout} heads: ${r.msPerStep.toFixed(0)} ms/step, ${r.targetTokensPerSec.toFixed(0)} target tokens/s`
    );
  }
  const stock = t.rows.find((r) => r.kernels === "stock" && r.layout === "packed");
  const course = t.rows.find((r) => r.kernels === "course" && r.layout === "packed");
  if (stock && course) console.log(`course / stock: ${(stock.msPerStep / course.msPerStep).toFixed(2)}× faster`);
  if (t.target) {
    console.log(
      `held-out token accuracy ${(100 * t.target.accuracy).toFixed(0)}%: ${t.target.reached ? `reached after ${t.target.seconds.toFixed(0)} s (${t.target.steps} steps)` : `not reached (${(100 * t.target.finalAccuracy).toFixed(1)}% after ${t.target.seconds.toFixed(0)} s)`}`
    );
  }
}

// chapter 8: the tiny ViT in Node, before/after the speed-up, and its time to 85% on the test set (tests/bench/vit.ts)
let vitBench: Awaited<ReturnType<typeof benchVit>> | null = null;
if ((onlyVit || (!onlySeq2seq && !onlyChapter2)) && !process.argv.includes("--skip-vit")) {
  vitBench = await benchVit();
  console.log("\n" + vitBenchReport(vitBench).join("\n"));
}

// wasm threads (issue 18): training examples/s, threaded SIMD build vs single-threaded SIMD build (benchThreads)
let threadsBench: Awaited<ReturnType<typeof benchThreads>> | null = null;
if (!process.argv.includes("--skip-threads") && (onlyThreads || (!onlySeq2seq && !onlyChapter2))) {
  threadsBench = await benchThreads();
  console.log("\n" + threadsBench.lines.join("\n"));
}

mkdirSync("test-results", {recursive: true});
writeFileSync(
  "test-results/bench.json",
  JSON.stringify(
    {
      date: new Date().toISOString(),
      rows,
      auto,
      chapter2: chapter2.testAccuracy === undefined ? undefined : {page: chapter2, bench: chapter2Loop},
      seq2seq: seq2seqRow,
      transformer: transformerBench,
      vit: vitBench,
      threads: threadsBench && {rounds: threadsBench.rounds, summary: threadsBench.summary},
      lines: printed
    },
    null,
    2
  )
);
console.log("\nwritten: test-results/bench.json");

/**
 * wasm threads (issue 18): training examples/s of the classic MNIST CNN and chapter 2's ConvNet Example (batch 64,
 * RMSprop, as the rows above) on the threaded SIMD build (a host sending COOP/COEP: every core, up to 8) and on the
 * single-threaded SIMD build (a plain host, no service worker), each in a fresh page on wasm with the course's
 * kernels. The two alternate for `ROUNDS` rounds (this machine is shared: a busy neighbour hits both alike); the
 * best round of each counts. Target: threads ≥ 1.6× single-threaded on a 2-core machine.
 */
async function benchThreads() {
  const ROUNDS = 3;
  const TRAIN = `(async () => {
    const link = (name) => document.querySelector('link[rel=modulepreload][href*="' + name + '"]').href;
    const {tf} = await import(link("lib/tf."));
    const lib = await import(link("lib/index."));
    await tf.ready();
    const out = {backend: tf.getBackend(), threads: globalThis.tf.wasm.getThreadsCount(), isolated: crossOriginIsolated};
    for (const [key, preset, steps] of [["classic", lib.CONVNET_PRESETS.classic, 30], ["example", lib.CONVNET_PRESETS.example, 20]]) {
      const model = lib.convNet(preset, 1);
      const optimizer = tf.train.rmsprop(0.001);
      model.compile({optimizer, loss: "categoricalCrossentropy"});
      const xs = tf.randomUniform([64, 28, 28, 1], 0, 1, "float32", 2);
      const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([64], 0, 10, "int32", 3), 10));
      for (let i = 0; i < 3; i++) await model.trainOnBatch(xs, ys);
      const t0 = performance.now();
      for (let i = 0; i < steps; i++) await model.trainOnBatch(xs, ys);
      out[key + "ExamplesPerSec"] = (64 * steps) / ((performance.now() - t0) / 1000);
      tf.dispose([xs, ys]);
      model.dispose();
      optimizer.dispose();
    }
    return out;
  })()`;
  type Run = {
    backend: string;
    threads: number;
    isolated: boolean;
    classicExamplesPerSec: number;
    exampleExamplesPerSec: number;
  };
  const hosts = {single: await serve("dist"), threads: await serve("dist", {isolated: true})};
  const threadsBrowser = await launch();
  const rounds: {single: Run; threads: Run; oneThread: Run}[] = [];
  const loadBefore = loadavg()[0];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const pair = {} as {single: Run; threads: Run; oneThread: Run};
      for (const kind of ["single", "threads", "oneThread"] as const) {
        const context = await threadsBrowser.newContext({serviceWorkers: "block"});
        const page = await context.newPage();
        // oneThread: the threaded build held to one thread (what the build costs without any parallel work)
        await page.addInitScript((one) => {
          localStorage.setItem("dl4i:backend", "wasm");
          if (one) localStorage.setItem("dl4i:wasm-threads", "1");
          else localStorage.removeItem("dl4i:wasm-threads");
        }, kind === "oneThread");
        await page.goto(`${hosts[kind === "single" ? "single" : "threads"].url}/filter.html`, {waitUntil: "load"});
        await page.waitForSelector(".backend-note", {timeout: 120_000});
        pair[kind] = (await page.evaluate(TRAIN)) as Run;
        await context.close();
      }
      rounds.push(pair);
    }
  } finally {
    await threadsBrowser.close();
    await hosts.single.close();
    await hosts.threads.close();
  }
  const best = (kind: "single" | "threads" | "oneThread", key: "classicExamplesPerSec" | "exampleExamplesPerSec") =>
    Math.max(...rounds.map((r) => r[kind][key]));
  const threads = rounds[0].threads.threads;
  const model = (key: "classicExamplesPerSec" | "exampleExamplesPerSec") => {
    const single = best("single", key);
    const threaded = best("threads", key);
    const oneThread = best("oneThread", key);
    return {single, threads: threaded, ratio: threaded / single, oneThread, oneThreadRatio: oneThread / single};
  };
  const summary = {
    threads,
    singleThreads: rounds[0].single.threads,
    classic: model("classicExamplesPerSec"),
    example: model("exampleExamplesPerSec"),
    target: 1.6,
    // threads wait on each other at every parallel op: on a machine busier than its cores they lose (see README)
    cpus: cpus().length,
    loadAverage: [loadBefore, loadavg()[0]]
  };
  const line = (name: string, m: ReturnType<typeof model>) =>
    `${name}: ${m.single.toFixed(0)} → ${m.threads.toFixed(0)} examples/s (${m.ratio.toFixed(2)}×); threaded build on ` +
    `1 thread ${m.oneThread.toFixed(0)} (${m.oneThreadRatio.toFixed(2)}×)`;
  const lines = [
    `wasm threads (course kernels, batch 64, RMSprop; best of ${ROUNDS} alternating rounds): single-threaded SIMD build ` +
      `(${summary.singleThreads} thread, plain host) → threaded SIMD build (${threads} threads, COOP/COEP host)`,
    line("MNIST CNN", summary.classic),
    line("ConvNet Example", summary.example),
    `machine: ${summary.cpus} cores, 1-minute load average ${summary.loadAverage.map((l) => l.toFixed(1)).join(" → ")}`,
    `target ≥ ${summary.target}×: ${Math.min(summary.classic.ratio, summary.example.ratio) >= summary.target ? "met" : "NOT met"}`
  ];
  return {rounds, summary, lines};
}
