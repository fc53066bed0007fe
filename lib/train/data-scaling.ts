/**
 * Chapter 8's V4 (ViT against ResNet as data grows): the plan of runs and their summary. Both models (see
 * ../models/vit-vs-resnet.ts) train on the first n training images for each n, with the same number of epochs (the
 * same budget per image), and are tested on the same test images; the page draws test accuracy against n.
 *
 * The notes' claim: "데이터가 많을 경우 ViT가 성능이 더 좋으나 적을 경우 CNN(ResNet)이 더 낫다". `summarizeScaling`
 * decides from the run which pattern the numbers show (see `ScalingPattern`), with a noise band per size, so the
 * page's sentence (../viz/vit-vs-resnet.ts) says what this run does and does not reproduce.
 */
import type {ComparedModel} from "../models/vit-vs-resnet.js";
import type {Dataset} from "./loop.js";

/** Training-set sizes: the default run (a few minutes in a tab at most) and the longer one (up to all 60,000). */
export const SCALING_SIZES = {quick: [500, 2000, 8000], long: [500, 2000, 8000, 20000, 60000]} as const;

export interface ScalingRun {
  size: number;
  models: ComparedModel[];
}

/** One step per size, smallest first; at each size every model trains on the same images. */
export function scalingSchedule(sizes: readonly number[], models: readonly ComparedModel[] = ["resnet", "vit"]) {
  const unique = [...new Set(sizes)].filter((n) => Number.isInteger(n) && n > 0).sort((a, b) => a - b);
  return unique.map((size): ScalingRun => ({size, models: [...models]}));
}

/** The first n examples of a dataset (nested: a larger subset contains every smaller one). The caller disposes. */
export function takeSubset(data: Dataset, n: number): Dataset {
  const size = Math.min(n, data.xs.shape[0]);
  return {xs: data.xs.slice(0, size), ys: data.ys.slice(0, size)};
}

/** Training steps of one run: ⌈n / batch⌉ per epoch. */
export const stepsFor = (size: number, epochs: number, batchSize: number) => epochs * Math.ceil(size / batchSize);

/** One model's result at one size. */
export interface ScalingResult {
  model: ComparedModel;
  size: number;
  /** Test accuracy after training. */
  accuracy: number;
  /** Training time of the run, s. */
  seconds: number;
}

export type Leader = ComparedModel | "tie";

export interface ScalingRow {
  size: number;
  vit: number;
  resnet: number;
  /** ViT − ResNet, in accuracy (0.05 = 5 percentage points). */
  gap: number;
  /**
   * Twice the standard error of the gap on `testSize` images, 2·√((p_v(1 − p_v) + p_r(1 − p_r)) / n): a gap inside it
   * is a tie (the sampling noise of the test set alone; a different seed moves the results too).
   */
  band: number;
  leader: Leader;
}

/**
 * What the run shows, in the notes' terms:
 * - `reproduced`: ResNet ahead at the smallest size, ViT ahead at the largest (the notes' crossover);
 * - `narrowing`: ResNet ahead or tied everywhere, and the gap shrinks as data grows (the claim's direction, no
 *   crossover);
 * - `resnet`: ResNet ahead or tied everywhere, the gap not shrinking;
 * - `vit`: ViT ahead or tied everywhere (the small-data half of the claim fails);
 * - `reversed`: ViT ahead at the smallest size, ResNet at the largest;
 * - `ties`: no size separates them;
 * - `mixed`: anything else.
 */
export type ScalingPattern = "reproduced" | "narrowing" | "resnet" | "vit" | "reversed" | "ties" | "mixed";

export interface ScalingSummary {
  rows: ScalingRow[];
  pattern: ScalingPattern;
  /** The first size from which ViT stays ahead to the end (pattern `reproduced`). */
  crossover?: number;
}

/** Rows per size (sizes with both models only) and the pattern. */
export function summarizeScaling(results: readonly ScalingResult[], testSize: number): ScalingSummary {
  const sizes = [...new Set(results.map((r) => r.size))].sort((a, b) => a - b);
  const rows: ScalingRow[] = [];
  for (const size of sizes) {
    const vit = results.find((r) => r.size === size && r.model === "vit");
    const resnet = results.find((r) => r.size === size && r.model === "resnet");
    if (!vit || !resnet) continue;
    const gap = vit.accuracy - resnet.accuracy;
    const variance = vit.accuracy * (1 - vit.accuracy) + resnet.accuracy * (1 - resnet.accuracy);
    const band = 2 * Math.sqrt(variance / Math.max(1, testSize));
    const leader: Leader = Math.abs(gap) <= band ? "tie" : gap > 0 ? "vit" : "resnet";
    rows.push({size, vit: vit.accuracy, resnet: resnet.accuracy, gap, band, leader});
  }
  return {rows, ...scalingPattern(rows)};
}

function scalingPattern(rows: ScalingRow[]): {pattern: ScalingPattern; crossover?: number} {
  if (rows.length === 0) return {pattern: "ties"};
  const leaders = rows.map((r) => r.leader);
  const first = leaders[0];
  const last = leaders.at(-1)!;
  if (leaders.every((l) => l === "tie")) return {pattern: "ties"};
  if (first === "resnet" && last === "vit") {
    let from = rows.length - 1;
    while (from > 0 && rows[from - 1].leader === "vit") from--;
    return {pattern: "reproduced", crossover: rows[from].size};
  }
  if (leaders.every((l) => l !== "vit")) {
    const shrinking = rows.length > 1 && rows.at(-1)!.gap > rows[0].gap + rows[0].band / 2;
    return {pattern: shrinking ? "narrowing" : "resnet"};
  }
  if (leaders.every((l) => l !== "resnet")) return {pattern: "vit"};
  if (first === "vit" && last === "resnet") return {pattern: "reversed"};
  return {pattern: "mixed"};
}

/** Test accuracy after shifting every test image by `shift` pixels to the right (the inductive-bias check). */
export interface ShiftRow {
  model: ComparedModel;
  shift: number;
  accuracy: number;
}

/** The accuracy each model loses when the test images move by the largest shift (shift 0 is the reference). */
export function shiftDrops(rows: readonly ShiftRow[]): {model: ComparedModel; shift: number; drop: number}[] {
  const models = [...new Set(rows.map((r) => r.model))];
  return models.flatMap((model) => {
    const own = rows.filter((r) => r.model === model).sort((a, b) => a.shift - b.shift);
    const base = own.find((r) => r.shift === 0);
    const far = own.at(-1);
    return base && far && far.shift > 0 ? [{model, shift: far.shift, drop: base.accuracy - far.accuracy}] : [];
  });
}
