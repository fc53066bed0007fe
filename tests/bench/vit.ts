/**
 * Training speed of chapter 8's small ViT (lib/models/vit.ts, `TINY_VIT_MODELS.vit`: 16 patches of 7×7 + class
 * token, D 64, 4 heads, 4 blocks, 139,018 parameters) in Node, and the time it takes to reach its accuracy target on
 * Fashion-MNIST (issue 15, Performance). `benchVit()` is for `npm run bench` (tests/bench/run.ts calls it);
 * `npx tsx tests/bench/vit.ts` runs it alone and writes test-results/bench-vit.json (`--no-target`: speed rows only).
 *
 * Speed rows, interleaved round by round so a shared machine's load hits them alike (the best step of each row is
 * kept; also the process CPU time per step, which another process's load hardly changes):
 * - `before` (the issue's baseline): `tf.layers.layerNormalization` as the final norm (it tiles γ and β; the
 *   gradient of a tile is one slice and one add per repetition), LayerNorm's gradient derived by TF.js, heads by
 *   column slices, class tokens by `tf.tile` (`buildVit(…, {finalNorm: "layers"})` + `useVitBaseline(true)`), and
 *   the course kernels as they were (without `VIT_COURSE_KERNELS`: wasm's own Slice, SplitV and Identity; batched
 *   products on stock wasm's loop), and `tf.train.adam`;
 * - `after`: the course LayerNorm with its written gradient, the "packed" head layout, broadcast class tokens, all
 *   course kernels (batched products on the SIMD kernel of lib/backend/wasm-bmm.ts, Identity without a copy), the
 *   one-pass Adam (lib/train/fused-adam.ts); also with the two other head layouts, to show what the layout alone does;
 * - each on wasm with the course kernels (lib/backend/kernels.ts) and on stock TF.js `cpu` (stock wasm cannot train
 *   the patch embedding: it has no `Conv2DBackpropFilter`).
 * Then the kernel time by kernel name of one profiled `after` step, and the training time until the accuracy on
 * Fashion-MNIST's full 10,000-image test set reaches `accuracyTarget` (the page's recipe, lib/train/vit-recipe.ts:
 * batch 64, Adam 10⁻³, all 60,000 training images shuffled per epoch; the test set is evaluated every `evalEvery`
 * steps, its time not counted).
 */
import {mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {gunzipSync} from "node:zlib";
import type {tf as TF} from "../../lib/tf.js";
import {aliasTfBundle} from "./transformer.js";

export interface VitBenchOptions {
  batch?: number;
  rounds?: number;
  /** Timed steps per row and round on wasm (cpu rows: 1). */
  stepsPerRound?: number;
  /** Full-test-set accuracy to reach (the after path, wasm, course kernels). 0 skips. */
  accuracyTarget?: number;
  /** The target's time budget in seconds of training; training stops at `maxSeconds`. */
  targetSeconds?: number;
  maxSeconds?: number;
  /** Steps between evaluations of the test set. */
  evalEvery?: number;
  /**
   * What `targetSeconds` counts: `"wall"` (default) clock time, or `"cpu"` this process's CPU time, which a shared
   * machine's other load hardly changes (TF.js's wasm runs on one thread: on an idle machine the two agree).
   */
  clock?: "wall" | "cpu";
  /** Try another Adam step size for the target run (default: the recipe's). */
  learningRate?: number;
  /** Skip the speed rows (only the time to the target). */
  targetOnly?: boolean;
}

export interface VitBenchRow {
  backend: string;
  kernels: "stock" | "course";
  path: "before" | "after";
  layout: string;
  msPerStep: number;
  cpuMsPerStep: number;
  imagesPerSec: number;
}

export interface VitBench {
  shapes: {batch: number; tokens: number; params: number};
  rows: VitBenchRow[];
  kernelMs: {name: string; ms: number; share: number}[];
  target: {
    accuracy: number;
    seconds: number;
    clock: "wall" | "cpu";
    reached: boolean;
    /** Training seconds (and steps, epochs) when the target was first seen; null when not reached. */
    reachedAfter: {seconds: number; cpuSeconds: number; steps: number; epochs: number} | null;
    /** Every evaluation: training seconds (wall and CPU), steps, test accuracy. */
    curve: {seconds: number; cpuSeconds: number; steps: number; accuracy: number}[];
    finalAccuracy: number;
  } | null;
}

interface RowSpec {
  backend: "wasm" | "cpu";
  path: "before" | "after";
  layout: "packed" | "slices" | "transpose";
}

export async function benchVit(opts: VitBenchOptions = {}): Promise<VitBench> {
  const {batch = 64, rounds = 3, stepsPerRound = 3, accuracyTarget = 0.85} = opts;
  const {targetSeconds = 120, maxSeconds = 150, evalEvery = 200, clock = "wall"} = opts;
  aliasTfBundle();
  await import("@tensorflow/tfjs-backend-wasm");
  const {tf, setupBackend} = await import("../../lib/tf.js");
  const {registerCourseKernels, unregisterCourseKernels, useSimdBatchedProduct, VIT_COURSE_KERNELS} =
    await import("../../lib/backend/kernels.js");
  const {setHeadLayout} = await import("../../lib/models/layers/attention.js");
  const {TINY_VIT_MODELS, useVitBaseline, vitTokens, VIT_PRESETS} = await import("../../lib/models/vit.js");
  const {VIT_RECIPE, vitOptimizer} = await import("../../lib/train/vit-recipe.js");

  await setupBackend(["wasm"]);
  registerCourseKernels("wasm");
  unregisterCourseKernels("cpu");

  const specs: RowSpec[] = [
    {backend: "wasm", path: "before", layout: "slices"},
    {backend: "wasm", path: "after", layout: "packed"},
    {backend: "wasm", path: "after", layout: "slices"},
    {backend: "wasm", path: "after", layout: "transpose"},
    {backend: "cpu", path: "before", layout: "slices"},
    {backend: "cpu", path: "after", layout: "packed"}
  ];
  const usePath = (s: RowSpec) => {
    useVitBaseline(s.path === "before");
    useSimdBatchedProduct(s.path !== "before");
    setHeadLayout(s.layout);
    // the kernels added for the ViT (Slice, SplitV read in place) are part of the after path
    if (s.backend === "wasm" && s.path === "before") unregisterCourseKernels("wasm", VIT_COURSE_KERNELS);
    else if (s.backend === "wasm") registerCourseKernels("wasm");
  };
  // one model, optimizer and batch per row, made on the row's backend (data stays where it was made)
  type Setup = {model: TF.LayersModel; optimizer: TF.Optimizer; xs: TF.Tensor; ys: TF.Tensor; vars: TF.Variable[]};
  const setups = new Map<RowSpec, Setup>();
  for (const s of specs) {
    await tf.setBackend(s.backend);
    const model = TINY_VIT_MODELS.vit({seed: 1, finalNorm: s.path === "before" ? "layers" : "course"});
    const xs = tf.randomUniform([batch, 28, 28, 1], 0, 1, "float32", 2);
    const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, 10, "int32", 3), 10));
    const vars = model.trainableWeights.map((w) => w.read() as TF.Variable);
    // the before path: TF.js's own Adam (about ten kernels per weight); after: the one-pass Adam of the recipe
    const optimizer = s.path === "before" ? tf.train.adam(VIT_RECIPE.learningRate) : vitOptimizer();
    setups.set(s, {model, optimizer, xs, ys, vars});
  }
  const step = (s: Setup) =>
    tf.tidy(() => {
      const loss = () => tf.losses.softmaxCrossEntropy(s.ys, s.model.apply(s.xs, {training: true}) as TF.Tensor);
      s.optimizer.applyGradients(tf.variableGrads(loss as () => TF.Scalar, s.vars).grads);
    });

  const best = new Map<RowSpec, {ms: number; cpuMs: number}>();
  for (let round = 0; round < (opts.targetOnly ? 0 : rounds); round++) {
    for (const s of specs) {
      await tf.setBackend(s.backend);
      usePath(s);
      const setup = setups.get(s)!;
      step(setup); // warm: the kernels' first calls
      const steps = s.backend === "cpu" ? 1 : stepsPerRound;
      for (let i = 0; i < steps; i++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        step(setup);
        const ms = performance.now() - t0;
        const c = process.cpuUsage(c0);
        const cpuMs = (c.user + c.system) / 1000;
        const b = best.get(s) ?? {ms: Infinity, cpuMs: Infinity};
        best.set(s, {ms: Math.min(b.ms, ms), cpuMs: Math.min(b.cpuMs, cpuMs)});
      }
    }
  }
  const rows = specs
    .filter((s) => best.has(s))
    .map((s): VitBenchRow => ({
      backend: s.backend,
      kernels: s.backend === "wasm" ? "course" : "stock",
      path: s.path,
      layout: s.layout,
      msPerStep: best.get(s)!.ms,
      cpuMsPerStep: best.get(s)!.cpuMs,
      imagesPerSec: batch / (best.get(s)!.ms / 1000)
    }));

  // where the time goes: the after path on wasm
  await tf.setBackend("wasm");
  usePath(specs[1]);
  const profile = await tf.profile(() => step(setups.get(specs[1])!));
  if (opts.targetOnly) profile.kernels.length = 0;
  const byName = new Map<string, number>();
  for (const k of profile.kernels) byName.set(k.name, (byName.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  const total = [...byName.values()].reduce((a, b) => a + b, 0);
  const kernelMs = [...byName.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => ({name, ms, share: ms / total}));
  const params = setups.get(specs[1])!.model.countParams();
  for (const [s, setup] of setups) {
    await tf.setBackend(s.backend);
    tf.dispose([setup.xs, setup.ys]);
    setup.optimizer.dispose();
    setup.model.dispose();
  }

  let target: VitBench["target"] = null;
  if (accuracyTarget > 0) target = await timeToTarget();
  return {shapes: {batch, tokens: vitTokens(VIT_PRESETS.tiny).total, params}, rows, kernelMs, target};

  async function timeToTarget(): Promise<NonNullable<VitBench["target"]>> {
    const {FASHION_MNIST_DIR, FASHION_MNIST_FILES} = await import("../../lib/data/fashion-mnist.js");
    const {mnistFromIdx, mnistTensors} = await import("../../lib/data/mnist.js");
    const {evaluate, shuffledIndices} = await import("../../lib/train/loop.js");
    const {batchMean, categoricalCrossEntropy} = await import("../../lib/train/losses.js");
    const read = (name: string) => new Uint8Array(gunzipSync(readFileSync(join(FASHION_MNIST_DIR, name))));
    const files = FASHION_MNIST_FILES;
    const trainSet = mnistTensors(mnistFromIdx(read(files.train.images), read(files.train.labels)));
    const testSet = mnistTensors(mnistFromIdx(read(files.test.images), read(files.test.labels)));
    await tf.setBackend("wasm");
    useVitBaseline(false);
    const model = TINY_VIT_MODELS.vit({seed: 1});
    const optimizer = vitOptimizer({...VIT_RECIPE, learningRate: opts.learningRate ?? VIT_RECIPE.learningRate});
    const loss = categoricalCrossEntropy({from: "logits"});
    const vars = model.trainableWeights.map((w) => w.read() as TF.Variable);
    const n = trainSet.xs.shape[0];
    const size = VIT_RECIPE.batchSize;
    const perEpoch = Math.floor(n / size);
    let order = shuffledIndices(n, 1);
    const curve: NonNullable<VitBench["target"]>["curve"] = [];
    let reachedAfter: {seconds: number; cpuSeconds: number; steps: number; epochs: number} | null = null;
    let seconds = 0;
    let cpuSeconds = 0;
    let steps = 0;
    let accuracy = 0;
    const elapsed = (t0: number, c0: NodeJS.CpuUsage) => {
      const c = process.cpuUsage(c0);
      return clock === "cpu" ? cpuSeconds + (c.user + c.system) / 1e6 : seconds + (performance.now() - t0) / 1000;
    };
    while ((clock === "cpu" ? cpuSeconds : seconds) < maxSeconds) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < evalEvery && elapsed(t0, c0) < maxSeconds; i++) {
        const at = steps % perEpoch;
        if (at === 0 && steps > 0) order = shuffledIndices(n, 1 + steps / perEpoch);
        tf.tidy(() => {
          const idx = tf.tensor1d(order.subarray(at * size, (at + 1) * size), "int32");
          const xb = tf.gather(trainSet.xs, idx);
          const yb = tf.gather(trainSet.ys, idx);
          const f = () => batchMean(loss, yb, model.apply(xb, {training: true}) as TF.Tensor);
          optimizer.applyGradients(tf.variableGrads(f, vars).grads);
        });
        steps++;
      }
      vars[0].dataSync(); // the last step's work is done before the clock stops
      seconds += (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      cpuSeconds += (c.user + c.system) / 1e6;
      accuracy = (await evaluate(model, testSet, {loss, batchSize: 500})).accuracy;
      curve.push({seconds, cpuSeconds, steps, accuracy});
      if (accuracy >= accuracyTarget && !reachedAfter) {
        reachedAfter = {seconds, cpuSeconds, steps, epochs: steps / perEpoch};
        break;
      }
    }
    tf.dispose([trainSet.xs, trainSet.ys, testSet.xs, testSet.ys]);
    optimizer.dispose();
    model.dispose();
    return {
      accuracy: accuracyTarget,
      seconds: targetSeconds,
      clock,
      reached:
        reachedAfter !== null && (clock === "cpu" ? reachedAfter.cpuSeconds : reachedAfter.seconds) <= targetSeconds,
      reachedAfter,
      curve,
      finalAccuracy: accuracy
    };
  }
}

/** The bench's lines for the console (and the README). */
export function vitBenchReport(r: VitBench): string[] {
  const lines = [
    `chapter 8 tiny ViT (Node, batch ${r.shapes.batch}, ${r.shapes.tokens} tokens, ${r.shapes.params} parameters, Adam):`
  ];
  for (const row of r.rows) {
    lines.push(
      `${row.backend} (${row.kernels} kernels), ${row.path}, ${row.layout} heads: ${row.msPerStep.toFixed(0)} ms/step ` +
        `(CPU ${row.cpuMsPerStep.toFixed(0)} ms), ${row.imagesPerSec.toFixed(0)} images/s`
    );
  }
  const find = (backend: string, path: string, layout: string) =>
    r.rows.find((x) => x.backend === backend && x.path === path && x.layout === layout);
  const before = find("wasm", "before", "slices");
  const after = find("wasm", "after", "packed");
  const stock = find("cpu", "before", "slices");
  if (before && after) {
    lines.push(
      `after / before (wasm, course kernels): ${(before.msPerStep / after.msPerStep).toFixed(2)}× faster ` +
        `(CPU time ${(before.cpuMsPerStep / after.cpuMsPerStep).toFixed(2)}×)`
    );
  }
  if (stock && after) {
    lines.push(
      `course setup / stock TF.js cpu: ${(stock.msPerStep / after.msPerStep).toFixed(1)}× faster ` +
        `(CPU time ${(stock.cpuMsPerStep / after.cpuMsPerStep).toFixed(1)}×)`
    );
  }
  lines.push(
    "kernel time of one after step: " +
      r.kernelMs
        .slice(0, 8)
        .map((k) => `${k.name} ${(100 * k.share).toFixed(0)}%`)
        .join(", ")
  );
  const t = r.target;
  if (t) {
    const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
    const reached = t.reachedAfter;
    lines.push(
      reached
        ? `test accuracy ≥ ${pct(t.accuracy)} on 10,000 test images after ${reached.seconds.toFixed(0)} s of training ` +
            `(${reached.steps} steps, ${reached.epochs.toFixed(2)} epochs, CPU ${reached.cpuSeconds.toFixed(0)} s): ` +
            `target ${t.seconds} s (${t.clock === "cpu" ? "CPU time" : "wall clock"}) ${t.reached ? "met" : "NOT met"}`
        : `test accuracy ${pct(t.accuracy)} not reached: ${pct(t.finalAccuracy)} after ${t.curve.at(-1)?.seconds.toFixed(0)} s ` +
            `(CPU ${t.curve.at(-1)?.cpuSeconds.toFixed(0)} s, ${t.curve.at(-1)?.steps} steps)`
    );
    const point = (c: (typeof t.curve)[number]) =>
      `${c.seconds.toFixed(0)} / ${c.cpuSeconds.toFixed(0)} / ${c.steps}: ${pct(c.accuracy)}`;
    lines.push("curve (wall s / CPU s / steps: test accuracy): " + t.curve.map(point).join(", "));
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const flag = (name: string) => process.argv.includes(name);
  const result = await benchVit({
    accuracyTarget: flag("--no-target") ? 0 : undefined,
    clock: flag("--cpu-clock") ? "cpu" : "wall",
    targetOnly: flag("--target-only"),
    evalEvery: flag("--target-only") ? 250 : undefined,
    learningRate: process.argv.includes("--lr") ? Number(process.argv[process.argv.indexOf("--lr") + 1]) : undefined
  });
  console.log(vitBenchReport(result).join("\n"));
  mkdirSync("test-results", {recursive: true});
  writeFileSync("test-results/bench-vit.json", JSON.stringify(result, null, 2));
}
