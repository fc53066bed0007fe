/**
 * The experiment panel every chapter uses (issue 11's chapter kit): ▶ Start / ❚❚ Pause / ■ Stop, a progress bar, a
 * status line and an output area, around one `run(ctx)` function. Nothing runs until the reader presses Start.
 *
 * - `data-state` on the root: idle → running ⇄ paused → done | stopped | error (tests and styles read it);
 *   `data-busy` while a run is in progress, so page tests wait for it.
 * - Stop, a new Start and the page cell's invalidation (re-run, leaving the page) abort `ctx.signal`; whatever the run
 *   registered with `ctx.defer` is cleaned up in every case.
 * - Pause holds `train()` / `trainSideBySide()` between batches through `ctx.controller`, and the run's own loops at
 *   `await ctx.checkpoint()`.
 * - Keyboard: the controls are native buttons (Tab, Enter, Space); Escape inside the panel stops a run.
 *
 * `runsPanel` is the "runs side by side" variant: N named runs train in turns on the same batches with live curves;
 * every model and optimizer is disposed at the end.
 */
import {TrainController, type Dataset} from "../../lib/train/loop.js";
import {
  trainSideBySide,
  type SideBySideEvent,
  type SideBySideOptions,
  type SideBySideRun
} from "../../lib/train/side-by-side.js";
import {emptyHistory, lossCurve, pushTrainEvent, type TrainHistory} from "../../lib/viz/loss-curve.js";
import {UI_LABELS} from "../../lib/glossary.js";
import {errorNote} from "./imshow.js";
import {el, nextFrame} from "./dom.js";

export type PanelState = "idle" | "running" | "paused" | "done" | "stopped" | "error";

export interface ExperimentContext {
  /** Aborted by 정지, by a new start, and when the page cell is invalidated. */
  signal: AbortSignal;
  /** Pass to `train()` / `trainSideBySide()`: 일시정지 holds them between batches. */
  controller: TrainController;
  /** For the run's own loops: resolves at once when running, waits while paused (or until stopped). */
  checkpoint(): Promise<void>;
  /** The status line. */
  status(text: string): void;
  /** The progress bar, 0…1. */
  progress(fraction: number): void;
  /** The output area, emptied at each start. */
  out: HTMLElement;
  /** Run `cleanup` when this run ends, whatever the reason (last registered, first run). */
  defer(cleanup: () => void): void;
}

export interface ExperimentPanelOptions {
  /** The claim (docs/claims.md) this experiment shows: `data-claim` on the root. */
  claim?: string;
  /** Start button text after "▶ ". Default "시작". */
  action?: string;
  /** Status text before the first run. */
  idle?: string;
  /** Inputs shown in the control bar, disabled while running. */
  settings?: HTMLElement[];
  /** Show the pause button. Default true. */
  pausable?: boolean;
  run(ctx: ExperimentContext): Promise<void>;
  /** Framework's invalidation promise: stop the run when the cell re-runs or the page is left. */
  invalidation?: Promise<unknown>;
}

export type ExperimentPanel = HTMLElement & {
  /** Start a run (what the Start button does); resolves when it has ended. */
  start(): Promise<void>;
  /** Stop the current run, if any. */
  stop(): void;
};

const startText = (action?: string) => `${UI_LABELS.start.slice(0, 2)}${action ?? UI_LABELS.start.slice(2)}`;

export function experimentPanel(opts: ExperimentPanelOptions): ExperimentPanel {
  const root = el("div", "experiment-panel") as unknown as ExperimentPanel;
  if (opts.claim) root.dataset.claim = opts.claim;
  root.dataset.state = "idle";
  const bar = el("div", "panel-controls");
  const start = el("button", "panel-start", startText(opts.action));
  const pause = el("button", "panel-pause", UI_LABELS.pause);
  const stop = el("button", "panel-stop", UI_LABELS.stop);
  for (const b of [start, pause, stop]) b.type = "button";
  pause.hidden = opts.pausable === false;
  pause.disabled = stop.disabled = true;
  const settings = opts.settings ?? [];
  bar.append(start, pause, stop, ...settings);
  const progress = el("progress", "panel-progress");
  progress.max = 1;
  progress.value = 0;
  progress.setAttribute("aria-label", "진행");
  const statusLine = el("div", "panel-status", opts.idle ?? "버튼을 누르면 이 브라우저에서 실행합니다.");
  statusLine.setAttribute("role", "status");
  const out = el("div", "panel-output");
  root.append(bar, progress, statusLine, out);

  let current: {abort: AbortController; controller: TrainController; done: Promise<void>} | null = null;
  const setState = (state: PanelState) => {
    root.dataset.state = state;
    const active = state === "running" || state === "paused";
    start.disabled = active;
    pause.disabled = stop.disabled = !active;
    pause.textContent = state === "paused" ? UI_LABELS.resume : UI_LABELS.pause;
    pause.setAttribute("aria-pressed", String(state === "paused"));
    for (const s of settings) setDisabled(s, active);
    if (active) root.dataset.busy = "true";
    else delete root.dataset.busy;
  };

  root.stop = () => {
    if (!current) return;
    current.abort.abort();
    current.controller.resume(); // a paused run wakes up to see the abort
  };

  root.start = async () => {
    if (current) {
      root.stop();
      await current.done.catch(() => {});
    }
    const abort = new AbortController();
    const controller = new TrainController();
    const cleanups: (() => void)[] = [];
    out.replaceChildren();
    progress.value = 0;
    // the bar follows at most once per animation frame (a run may report every batch; each change costs a repaint)
    let fraction = 0;
    let frame = 0;
    const showProgress = () => {
      cancelAnimationFrame(frame);
      frame = 0;
      progress.value = fraction;
    };
    const ctx: ExperimentContext = {
      signal: abort.signal,
      controller,
      checkpoint: () => controller.wait(abort.signal),
      status: (text) => (statusLine.textContent = text),
      progress: (f) => {
        fraction = Math.max(0, Math.min(1, f));
        frame ||= requestAnimationFrame(showProgress);
      },
      out,
      defer: (fn) => cleanups.push(fn)
    };
    statusLine.textContent = "실행 중…";
    setState("running");
    const done = (async () => {
      try {
        await opts.run(ctx);
        showProgress();
        setState(abort.signal.aborted ? "stopped" : "done");
        if (abort.signal.aborted && statusLine.textContent === "실행 중…") statusLine.textContent = "정지했습니다.";
        if (!abort.signal.aborted) progress.value = 1;
      } catch (error) {
        if (abort.signal.aborted) {
          // stopped while waiting (a download, a pause): a stop, not an error
          setState("stopped");
          statusLine.textContent = "정지했습니다.";
        } else {
          setState("error");
          statusLine.textContent = "실행하지 못했습니다.";
          out.append(errorNote(error));
        }
      } finally {
        if (frame) showProgress();
        for (const fn of cleanups.reverse()) {
          try {
            fn();
          } catch (e) {
            console.warn("experiment cleanup failed", e);
          }
        }
        if (current?.abort === abort) current = null;
      }
    })();
    current = {abort, controller, done};
    await done;
  };

  start.addEventListener("click", () => void root.start());
  pause.addEventListener("click", () => {
    if (!current) return;
    if (current.controller.isPaused) {
      current.controller.resume();
      setState("running");
    } else {
      current.controller.pause();
      setState("paused");
      statusLine.textContent = "일시정지했습니다. 계속을 누르면 이어서 실행합니다.";
    }
  });
  stop.addEventListener("click", () => root.stop());
  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && current) {
      event.preventDefault();
      root.stop();
    }
  });
  opts.invalidation?.then(() => root.stop());
  return root;
}

function setDisabled(node: HTMLElement, disabled: boolean) {
  const controls = node.matches("input, select, button, textarea")
    ? [node]
    : Array.from(node.querySelectorAll<HTMLElement>("input, select, button, textarea"));
  for (const c of controls) (c as HTMLInputElement).disabled = disabled;
}

export interface RunsPanelSetup {
  runs: SideBySideRun[];
  train: Dataset;
  validation?: Dataset;
  /** The loop's options for every run (epochs, batchSize, seed, loss, learningRate…). */
  options?: Partial<Omit<SideBySideOptions, "train" | "validation" | "signal" | "controller" | "between">>;
}

export interface RunsPanelResult {
  runs: SideBySideRun[];
  histories: TrainHistory[];
  seconds: number[];
  stopped: boolean;
}

export interface RunsPanelOptions extends Omit<ExperimentPanelOptions, "run"> {
  /** Build the runs and load the data; dispose the data with `ctx.defer` (models and optimizers are disposed here). */
  setup(ctx: ExperimentContext): Promise<RunsPanelSetup>;
  /** After each event of each run (e.g. measure something every 10 batches). */
  onEvent?(e: SideBySideEvent, ctx: ExperimentContext): void | Promise<void>;
  /** When every run has ended: write the computed result into `ctx.out`. */
  finish?(result: RunsPanelResult, ctx: ExperimentContext): void | Promise<void>;
  /** Height of each curve. Default 180. */
  curveHeight?: number;
}

/** N named runs trained side by side (same batches, in turns) with live loss and 정확도 curves. */
export function runsPanel(opts: RunsPanelOptions): ExperimentPanel {
  const {setup, onEvent, finish, curveHeight = 180, ...panel} = opts;
  return experimentPanel({
    ...panel,
    async run(ctx) {
      let runs: SideBySideRun[] = [];
      ctx.defer(() => {
        for (const r of runs) {
          r.optimizer.dispose();
          r.model.dispose();
        }
      });
      const plan = await setup(ctx);
      runs = plan.runs;
      if (ctx.signal.aborted) return;
      const {epochs = 1, batchSize = 32, seed = 1} = plan.options ?? {};
      const histories = runs.map(() => emptyHistory());
      const seconds = runs.map(() => 0);
      const curves = el("div", "panel-curves");
      ctx.out.prepend(curves);
      const draw = () => {
        const width = Math.max(300, Math.min(ctx.out.clientWidth || 640, 960));
        curves.replaceChildren(
          lossCurve(
            runs.map((r, i) => ({name: r.name, history: histories[i]})),
            {width, epochs, height: curveHeight}
          )
        );
      };
      draw();
      const total = runs.length * epochs * Math.ceil(plan.train.xs.shape[0] / batchSize);
      let steps = 0;
      let lastDraw = 0;
      for await (const e of trainSideBySide(runs, {
        ...plan.options,
        train: plan.train,
        validation: plan.validation,
        epochs,
        batchSize,
        seed,
        signal: ctx.signal,
        controller: ctx.controller,
        between: nextFrame
      })) {
        pushTrainEvent(histories[e.run], e.event);
        seconds[e.run] = e.seconds;
        if (e.event.type === "batch") {
          steps++;
          ctx.progress(steps / total);
          ctx.status(`${e.name}: batch ${e.event.batch + 1}/${e.event.batches} (epoch ${e.event.epoch + 1}/${epochs})`);
        }
        await onEvent?.(e, ctx);
        if (performance.now() - lastDraw > 250) {
          draw();
          lastDraw = performance.now();
        }
      }
      draw();
      const stopped = ctx.signal.aborted;
      await finish?.({runs, histories, seconds, stopped}, ctx);
      if (stopped) ctx.status("정지했습니다.");
      else ctx.status("끝났습니다.");
    }
  });
}

/** Name the panel for tests and styles: `data-experiment="<name>"`. */
export function tagged(panel: ExperimentPanel, name: string): ExperimentPanel {
  panel.dataset.experiment = name;
  return panel;
}
