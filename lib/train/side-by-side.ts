/**
 * Several models trained side by side on the same batches: chapter 3 「CNN Model 비교」 (a plain against a residual
 * network of equal depth; the four families' tiny presets on one MNIST budget). Each run is `train` of ./loop.ts
 * with the same seed, so every model sees the same examples in the same order; the runs take turns batch by batch,
 * so their curves grow together on the page.
 *
 * Time: `seconds` is the run's own training time, the sum of the durations of its steps (the page's redraws between
 * steps, and validation, are not counted), so models can be compared by time as well as by examples seen.
 */
import type {tf} from "../tf.js";
import {train, type TrainEvent, type TrainOptions} from "./loop.js";

export interface SideBySideRun {
  name: string;
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  /**
   * This run's own loop options over the shared ones (chapter 8's V5: a distilled student's loss and targets, one
   * run's augmentation). Runs that should see the same batches keep the same example count, batch size and seed.
   */
  options?: Partial<Omit<TrainOptions, "model" | "optimizer" | "signal" | "controller">>;
}

export interface SideBySideEvent {
  /** Index of the run in the list given. */
  run: number;
  name: string;
  event: TrainEvent;
  /** Training time of this run so far, in seconds (see the module comment). */
  seconds: number;
}

/**
 * The loop's options (./loop.ts) without the per-run model and optimizer: every field (loss, epochs, batchSize, the
 * shared seed, signal, controller, learningRate, taskBudgetMs, …) is given to each run's `train` as it is.
 */
export interface SideBySideOptions extends Omit<TrainOptions, "model" | "optimizer"> {
  /** Called between turns, untimed: give the page a frame here. Default: none. */
  between?: () => Promise<unknown>;
}

/** Train the runs in turns, one batch each, yielding every event of every run; ends when all have ended. */
export async function* trainSideBySide(
  runs: readonly SideBySideRun[],
  opts: SideBySideOptions
): AsyncGenerator<SideBySideEvent> {
  const {between, ...loop} = opts;
  const generators = runs.map((r) => train({...loop, ...r.options, model: r.model, optimizer: r.optimizer}));
  const seconds = runs.map(() => 0);
  const active = new Set(runs.map((_, i) => i));
  try {
    while (active.size > 0) {
      for (const i of [...active]) {
        const t0 = performance.now();
        const step = await generators[i].next();
        const dt = (performance.now() - t0) / 1000;
        if (step.done) {
          active.delete(i);
          continue;
        }
        // validation runs at an epoch's end: not training time
        if (step.value.type === "batch") seconds[i] += dt;
        yield {run: i, name: runs[i].name, event: step.value, seconds: seconds[i]};
        if (step.value.type === "end") active.delete(i);
        if (between) await between();
      }
    }
  } finally {
    // a consumer that stops early (break, return, throw) ends every run's loop, which disposes its tensors
    await Promise.all(generators.map((g) => g.return(undefined)));
  }
}
