/**
 * Training speed of chapter 7's small Transformer (lib/models/transformer.ts, `TRANSFORMER_PRESETS.dates`) on the
 * date task, on TF.js's wasm backend in Node (issue 14, Performance). `benchTransformer()` is for `npm run bench`
 * (tests/bench/run.ts calls it); `npx tsx tests/bench/transformer.ts` runs it alone and writes
 * test-results/bench-transformer.json.
 *
 * Rows, interleaved round by round so a shared machine's load hits them alike (best step of each row is kept):
 * - kernels: `stock` TF.js 4.22 and `course` (lib/backend/kernels.ts: transposed products made explicit, so they
 *   stay on the fast path);
 * - head layouts of lib/models/layers/attention.ts: `packed` (one rank-3 transpose of the packed projection, the
 *   default since issue 15), `slices` (heads stacked on the batch axis by column slices) and `transpose` (reshape to
 *   [B, T, h, d_k] and a rank-4 transpose);
 * per row: ms per training step (batch 64, Adam), target tokens/s (non-padding target tokens the loss counts),
 * positions/s (source + target positions, padding included).
 * Tried and left out (measured 29 Nov, Node, 2 shared cores): a JavaScript kernel for the small batched products of
 * attention (Q Kᵀ, weights · V and their gradients, which wasm's BatchMatMul runs outside XNNPACK) was 5–10× faster
 * than stock on one product alone but made the whole step ~30% slower (140 against 111 ms), so no attention kernel
 * is registered. The two head layouts measured within noise of each other.
 * Then: the kernel time by kernel name of one profiled step with the course's kernels, and the wall-clock time
 * until the held-out token accuracy (teacher forcing) reaches `accuracyTarget` (T1's chart target).
 */
import {register} from "node:module";
import {mkdirSync, writeFileSync} from "node:fs";
import type {tf as TF} from "../../lib/tf.js";

/** lib/tf.ts imports the browser bundle; in Node the package entry is the same API (as vitest.config.ts aliases). */
let hooked = false;
export function aliasTfBundle(): void {
  if (hooked) return;
  hooked = true;
  const hook = `export async function resolve(s, c, next) {
    return next(s === "@tensorflow/tfjs/dist/tf.fesm.min.js" ? "@tensorflow/tfjs" : s, c);
  }`;
  register("data:text/javascript," + encodeURIComponent(hook), import.meta.url);
}

export interface TransformerBenchOptions {
  batch?: number;
  /** Dates per example (lib/data/dates.ts): 3 gives sources of ~34 tokens and targets of ~37. */
  maxDates?: number;
  rounds?: number;
  stepsPerRound?: number;
  /** Held-out token accuracy to reach (course kernels, packed layout). 0 skips. */
  accuracyTarget?: number;
  /** Give up on the target after this many seconds. */
  maxSeconds?: number;
}

export interface TransformerBenchRow {
  kernels: "stock" | "course";
  layout: "packed" | "slices" | "transpose";
  msPerStep: number;
  targetTokensPerSec: number;
  positionsPerSec: number;
}

export interface TransformerBench {
  backend: string;
  shapes: {batch: number; sourceLength: number; targetLength: number; params: number};
  rows: TransformerBenchRow[];
  /** Kernel ms of one profiled step (course kernels, packed), largest first. */
  kernelMs: {name: string; ms: number; share: number}[];
  target: {accuracy: number; reached: boolean; seconds: number; steps: number; finalAccuracy: number} | null;
}

export async function benchTransformer(opts: TransformerBenchOptions = {}): Promise<TransformerBench> {
  const {batch = 64, maxDates = 3, rounds = 3, stepsPerRound = 3, accuracyTarget = 0.9, maxSeconds = 120} = opts;
  aliasTfBundle();
  await import("@tensorflow/tfjs-backend-wasm");
  const {tf, setupBackend} = await import("../../lib/tf.js");
  const {registerCourseKernels, unregisterCourseKernels} = await import("../../lib/backend/kernels.js");
  const {setHeadLayout} = await import("../../lib/models/layers/attention.js");
  const {dateTransformer} = await import("../../lib/models/transformer.js");
  const {dateTask, encodePairs, PAD, SOURCE_VOCAB, TARGET_VOCAB} = await import("../../lib/data/dates.js");
  const {batchMean, tokenCrossEntropy} = await import("../../lib/train/losses.js");

  const info = await setupBackend(["wasm", "cpu"]);
  const task = dateTask({train: 4000, test: 256, seed: 3, maxDates});
  const dims = {
    sourceLength: task.sourceLength,
    targetLength: task.targetLength,
    sourceVocab: SOURCE_VOCAB.size,
    targetVocab: TARGET_VOCAB.size
  };
  const lengths = {source: task.sourceLength, target: task.targetLength};
  const train = encodePairs(task.train, lengths);
  const test = encodePairs(task.test, lengths);
  const loss = tokenCrossEntropy({padToken: PAD, from: "logits"});

  const model = dateTransformer(dims, {}, {seed: 1});
  const optimizer = tf.train.adam(0.003);
  const batchAt = (i: number) => {
    const start = (i * batch) % (task.train.length - batch);
    return [train.source, train.decoderInput, train.target].map((t) => tf.slice(t, [start, 0], [batch, -1]));
  };
  const step = (i: number) =>
    tf.tidy(() => {
      const [src, dec, y] = batchAt(i);
      optimizer.minimize(() => batchMean(loss, y, model.apply([src, dec], {training: true}) as TF.Tensor));
    });
  const targetTokens = tf.tidy(() => tf.sum(tf.cast(tf.notEqual(batchAt(0)[2], PAD), "int32")).arraySync() as number);
  const positions = batch * (task.sourceLength + task.targetLength);

  const setups: Record<TransformerBenchRow["kernels"], () => void> = {
    stock: () => unregisterCourseKernels(info.name),
    course: () => void registerCourseKernels(info.name)
  };
  const layouts: TransformerBenchRow["layout"][] = ["packed", "slices", "transpose"];
  const best = new Map<string, number>();
  let i = 0;
  for (let round = 0; round < rounds; round++) {
    for (const [kernels, setup] of Object.entries(setups)) {
      for (const layout of layouts) {
        setup();
        setHeadLayout(layout);
        step(i++); // warm: kernels' first calls
        for (let s = 0; s < stepsPerRound; s++) {
          const t0 = performance.now();
          step(i++);
          const ms = performance.now() - t0;
          const key = `${kernels}/${layout}`;
          best.set(key, Math.min(best.get(key) ?? Infinity, ms));
        }
      }
    }
  }
  const rows = [...best.entries()].map(([key, ms]): TransformerBenchRow => {
    const [kernels, layout] = key.split("/") as [TransformerBenchRow["kernels"], TransformerBenchRow["layout"]];
    return {
      kernels,
      layout,
      msPerStep: ms,
      targetTokensPerSec: targetTokens / (ms / 1000),
      positionsPerSec: positions / (ms / 1000)
    };
  });

  // where the time goes, course kernels, default layout
  setups.course();
  setHeadLayout("packed");
  const profile = await tf.profile(() => step(i++));
  registerCourseKernels(info.name);
  const byName = new Map<string, number>();
  for (const k of profile.kernels) byName.set(k.name, (byName.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  const total = [...byName.values()].reduce((a, b) => a + b, 0);
  const kernelMs = [...byName.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => ({name, ms, share: ms / total}));

  // time to the accuracy target, from a fresh model, course kernels
  let target: TransformerBench["target"] = null;
  if (accuracyTarget > 0) {
    const fresh = dateTransformer(dims, {}, {seed: 2});
    const opt = tf.train.adam(0.003);
    const heldOut = () =>
      tf.tidy(
        () =>
          batchMean(
            loss.metrics.accuracy,
            test.target,
            fresh.predict([test.source, test.decoderInput]) as TF.Tensor
          ).arraySync() as number
      );
    const t0 = performance.now();
    let steps = 0;
    let accuracy = 0;
    while ((performance.now() - t0) / 1000 < maxSeconds) {
      tf.tidy(() => {
        const [src, dec, y] = batchAt(steps);
        opt.minimize(() => batchMean(loss, y, fresh.apply([src, dec], {training: true}) as TF.Tensor));
      });
      steps++;
      if (steps % 20 === 0) {
        accuracy = heldOut();
        if (accuracy >= accuracyTarget) break;
      }
    }
    target = {
      accuracy: accuracyTarget,
      reached: accuracy >= accuracyTarget,
      seconds: (performance.now() - t0) / 1000,
      steps,
      finalAccuracy: accuracy
    };
    opt.dispose();
    fresh.dispose();
  }

  setHeadLayout("packed");
  const params = model.countParams();
  tf.dispose([train.source, train.decoderInput, train.target, test.source, test.decoderInput, test.target]);
  optimizer.dispose();
  model.dispose();
  return {
    backend: info.name,
    shapes: {batch, sourceLength: task.sourceLength, targetLength: task.targetLength, params},
    rows,
    kernelMs,
    target
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchTransformer();
  console.log(`backend ${result.backend}, ${JSON.stringify(result.shapes)}`);
  console.table(
    result.rows.map((r) => ({
      ...r,
      msPerStep: +r.msPerStep.toFixed(1),
      targetTokensPerSec: Math.round(r.targetTokensPerSec),
      positionsPerSec: Math.round(r.positionsPerSec)
    }))
  );
  console.log(
    result.kernelMs
      .slice(0, 10)
      .map((k) => `${k.name} ${k.ms.toFixed(1)} ms (${(100 * k.share).toFixed(0)}%)`)
      .join(", ")
  );
  console.log("time to target", result.target);
  mkdirSync("test-results", {recursive: true});
  writeFileSync("test-results/bench-transformer.json", JSON.stringify(result, null, 2));
}
