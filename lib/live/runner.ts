/**
 * Live cells, part 2: run compiled cells one at a time per page, stop them, end runaway loops, and clean up
 * the tensors, variables (and so models) each run made. No DOM here: the same runner works in Node tests.
 *
 * - One run at a time: TF.js's scope stack is global, so overlapping runs would dispose each other's
 *   tensors. Runs queue; `runNow` stops the current run first.
 * - Stop: `stop()` aborts the run's `signal`; `sleep`, `nextFrame`, every `await` and every loop iteration
 *   in the cell then throw a `StopError`.
 * - Runaway loops: `__guard()` (inserted in every loop body by compile.ts) throws a `LoopTimeoutError` when
 *   the cell has not yielded to the event loop for `guardMs`.
 * - Hygiene: a tensor is the cell's when the cell's own code creates it (between its awaits) or an `await`
 *   in the cell returns it; a variable is the cell's when it is made while the cell runs. The next run of
 *   the same cell (or `disposeCell`) disposes them. Tensors the page makes while a cell waits are not touched.
 */
import {tf} from "../tf.js";

export class StopError extends Error {
  constructor() {
    super("실행을 멈췄습니다 (Stop).");
    this.name = "StopError";
  }
}

export class LoopTimeoutError extends Error {
  constructor(seconds: number) {
    super(
      `이 셀이 ${seconds}초 동안 브라우저에 제어를 돌려주지 않아 멈췄습니다. 끝나지 않는 루프(while (true) {…})가 있나요? ` +
        "오래 걸리는 계산이라면 루프 안에서 `await nextFrame()`을 호출하세요."
    );
    this.name = "LoopTimeoutError";
  }
}

export type RunOutcome =
  | {status: "ok"; value: unknown; ms: number}
  | {status: "error"; error: Error; line?: number; ms: number}
  | {status: "stopped"; ms: number};

export interface RunRequest {
  /** Stable per page: outputs, tensors and variables belong to it. */
  cellId: string;
  /** Output of `compileCell`. */
  body: string;
  /** Names visible to the cell, besides `signal`, `sleep`, `nextFrame`. */
  scope: Record<string, unknown>;
  /** Called when the run starts, after the previous one ended. */
  onStart?: () => void;
}

interface Owned {
  tensors: tf.Tensor[];
  variables: tf.Variable[];
}

interface Active {
  cellId: string;
  controller: AbortController;
  owned: Owned;
  /** The cell's own code is executing (not waiting at an await). */
  running: boolean;
  done: Promise<RunOutcome>;
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...args: unknown[]) => Promise<unknown>;

const SOURCE_PREFIX = "live-cell/";

/** How many lines `new AsyncFunction(…)` puts before the body, measured once on this JavaScript engine. */
let lineOffset: number | undefined;
function bodyLineOffset(): number {
  if (lineOffset !== undefined) return lineOffset;
  try {
    new Function(`throw new Error("calibrate")\n//# sourceURL=${SOURCE_PREFIX}__calibrate.js`)();
  } catch (e) {
    const m = String((e as Error).stack).match(new RegExp(`${SOURCE_PREFIX}__calibrate\\.js:(\\d+)`));
    lineOffset = m ? Number(m[1]) - 1 : 2;
  }
  return lineOffset!;
}

/** The reader's line (1-based) where a runtime error happened, from its stack; undefined if not in the cell. */
export function errorLine(error: unknown, cellId: string): number | undefined {
  const stack = String((error as Error)?.stack ?? "");
  const escaped = cellId.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = stack.match(new RegExp(`${SOURCE_PREFIX}${escaped}\\.js:(\\d+):\\d+`));
  return m ? Number(m[1]) - bodyLineOffset() : undefined;
}

function tensorsIn(value: unknown, depth = 0): tf.Tensor[] {
  if (value instanceof tf.Tensor) return [value];
  if (depth > 1 || value === null || typeof value !== "object") return [];
  if (Array.isArray(value)) return value.flatMap((v) => tensorsIn(v, depth + 1));
  if (Object.getPrototypeOf(value) === Object.prototype)
    return Object.values(value).flatMap((v) => tensorsIn(v, depth + 1));
  return [];
}

export interface RunnerOptions {
  /** How long a cell may run without yielding before its loops are stopped. Default 3000 ms. */
  guardMs?: number;
}

export class CellRunner {
  private readonly guardMs: number;
  private active: Active | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly owned = new Map<string, Owned>();
  private unpatch: (() => void) | undefined;

  constructor(opts: RunnerOptions = {}) {
    this.guardMs = opts.guardMs ?? 3000;
  }

  /** The cell running now, if any. */
  get current(): string | undefined {
    return this.active?.cellId;
  }

  /** Queue a run after the ones already waiting (page-load autoruns). */
  enqueue(request: RunRequest): Promise<RunOutcome> {
    const result = this.queue.then(() => this.execute(request));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Stop whatever runs, then run this before anything else queued (a reader's click on Run). */
  async runNow(request: RunRequest): Promise<RunOutcome> {
    await this.stop();
    return this.execute(request);
  }

  /** Abort the current run and wait (up to 2 s) for it to end. */
  async stop(): Promise<void> {
    const active = this.active;
    if (!active) return;
    active.controller.abort();
    await Promise.race([active.done, new Promise((resolve) => setTimeout(resolve, 2000))]);
  }

  /** Dispose what the last run of a cell created. */
  disposeCell(cellId: string): void {
    const owned = this.owned.get(cellId);
    if (!owned) return;
    this.owned.delete(cellId);
    for (const v of owned.variables) if (!v.isDisposed) v.dispose();
    for (const t of owned.tensors) if (!t.isDisposed) t.dispose();
  }

  /** Dispose everything every cell made, and undo the TF.js hooks. */
  dispose(): void {
    this.active?.controller.abort();
    for (const id of [...this.owned.keys()]) this.disposeCell(id);
    this.unpatch?.();
    this.unpatch = undefined;
  }

  private execute(request: RunRequest): Promise<RunOutcome> {
    const {cellId} = request;
    // a run of this same cell may still be ending after a timed-out stop; its leftovers go too
    this.disposeCell(cellId);
    this.hookEngine();
    const controller = new AbortController();
    const owned: Owned = {tensors: [], variables: []};
    this.owned.set(cellId, owned);
    const active = {cellId, controller, owned, running: false} as Active;
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    const signal = controller.signal;

    // the event loop turns while this ticks; a loop that never yields leaves it stale
    let lastTick = performance.now();
    const ticker = setInterval(() => (lastTick = performance.now()), 50);
    let iterations = 0;
    const guard = () => {
      if (signal.aborted) throw new StopError();
      if ((++iterations & 1023) === 0 && performance.now() - lastTick > this.guardMs) {
        throw new LoopTimeoutError(Math.round(this.guardMs / 1000));
      }
    };
    const suspend = <T>(value: T): T => {
      active.running = false;
      return value;
    };
    const resume = <T>(value: T): T => {
      active.running = true;
      lastTick = performance.now();
      if (signal.aborted) throw new StopError();
      owned.tensors.push(...tensorsIn(value));
      return value;
    };
    const sleep = (ms: number) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(new StopError());
        const id = setTimeout(resolve, ms);
        signal.addEventListener("abort", () => (clearTimeout(id), reject(new StopError())), {once: true});
      });
    const nextFrame = () =>
      new Promise<number>((resolve, reject) => {
        if (signal.aborted) return reject(new StopError());
        const raf =
          typeof requestAnimationFrame === "function"
            ? requestAnimationFrame
            : (f: (t: number) => void) => setTimeout(() => f(performance.now()), 16);
        raf((t) => (signal.aborted ? reject(new StopError()) : resolve(t)));
      });

    const scope: Record<string, unknown> = {...request.scope, signal, sleep, nextFrame};
    const names = Object.keys(scope);
    active.done = (async (): Promise<RunOutcome> => {
      this.active = active;
      request.onStart?.();
      try {
        const fn = new AsyncFunction(
          ...names,
          "__guard",
          "__suspend",
          "__resume",
          `${request.body}\n//# sourceURL=${SOURCE_PREFIX}${cellId}.js`
        );
        active.running = true;
        const pending = fn(...names.map((n) => scope[n]), guard, suspend, resume);
        active.running = false;
        const value = await pending;
        owned.tensors.push(...tensorsIn(value));
        return {status: "ok", value, ms: ms()};
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        if (error instanceof StopError || (signal.aborted && error.name === "AbortError"))
          return {status: "stopped", ms: ms()};
        return {status: "error", error, line: errorLine(error, cellId), ms: ms()};
      } finally {
        active.running = false;
        clearInterval(ticker);
        if (this.active === active) this.active = undefined;
      }
    })();
    return active.done;
  }

  /** Attribute new tensors and variables to the active cell (installed once per runner). */
  private hookEngine(): void {
    if (this.unpatch) return;
    const engine = tf.engine() as unknown as {
      trackTensor(a: tf.Tensor, backend: unknown): void;
      makeVariable(initialValue: tf.Tensor, trainable?: boolean, name?: string, dtype?: tf.DataType): tf.Variable;
    };
    const trackTensor = engine.trackTensor;
    const makeVariable = engine.makeVariable;
    const active = () => this.active;
    engine.trackTensor = function (a, backend) {
      const cell = active();
      if (cell?.running) cell.owned.tensors.push(a);
      return trackTensor.call(this, a, backend);
    };
    engine.makeVariable = function (...args) {
      const v = makeVariable.apply(this, args);
      active()?.owned.variables.push(v);
      return v;
    };
    this.unpatch = () => {
      engine.trackTensor = trackTensor;
      engine.makeVariable = makeVariable;
    };
  }
}
