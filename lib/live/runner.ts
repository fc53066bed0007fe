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
 * - Hygiene: a tensor is the cell's when the cell's own code creates it (between its awaits), or when an
 *   `await` in the cell returns a tensor made during the run; a variable is the cell's when it is made while
 *   the run lasts (optimizers make theirs inside awaited training calls). The next run of the same cell (or
 *   `disposeCell`) disposes them. Tensors the page makes while a cell waits are not touched.
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
  tensors: Set<tf.Tensor>;
  variables: tf.Variable[];
}

interface Active {
  cellId: string;
  controller: AbortController;
  owned: Owned;
  /** The cell's own code is executing (not waiting at an await). */
  running: boolean;
  /** Every tensor made while this run lasted, by anyone: an awaited or returned tensor is the cell's only if
   *  it is in here (a page tensor such as `camera` is not). */
  madeDuringRun: WeakSet<tf.Tensor>;
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
  /**
   * While a cell runs, a tensor larger than this is refused with a clear error before the backend allocates it
   * (a wasm heap cannot pass 4 GB, and a tab that asks for more crashes instead of failing). Default 1 GiB.
   */
  maxTensorBytes?: number;
  /** Likewise for all tensors together (`tf.memory().numBytes` plus the new one). Default 2 GiB. */
  maxTotalBytes?: number;
}

/** A tensor a cell asked for that would exceed the tab's memory: refused before it was allocated. */
export class TensorTooLargeError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "TensorTooLargeError";
  }
}

const BYTES: Record<string, number> = {float32: 4, int32: 4, bool: 1, complex64: 8};

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(bytes < 2 ** 30 ? 2 : 1)} GB`;

interface Pending {
  request: RunRequest;
  resolve: (outcome: RunOutcome) => void;
}

export class CellRunner {
  private readonly guardMs: number;
  private active: Active | undefined;
  private done: Promise<RunOutcome> | undefined;
  private readonly pending: Pending[] = [];
  private pumping = false;
  private readonly owned = new Map<string, Owned>();
  private unpatch: (() => void) | undefined;
  private readonly maxTensorBytes: number;
  private readonly maxTotalBytes: number;
  private readonly guardedBackends = new WeakSet<object>();

  constructor(opts: RunnerOptions = {}) {
    this.guardMs = opts.guardMs ?? 3000;
    this.maxTensorBytes = opts.maxTensorBytes ?? 2 ** 30;
    this.maxTotalBytes = opts.maxTotalBytes ?? 2 ** 31;
  }

  /** The cell running now, if any. */
  get current(): string | undefined {
    return this.active?.cellId;
  }

  /** Queue a run after the ones already waiting (page-load autoruns). */
  enqueue(request: RunRequest): Promise<RunOutcome> {
    return new Promise((resolve) => {
      this.pending.push({request, resolve});
      void this.pump();
    });
  }

  /**
   * A reader's click on Run: stop whatever runs, drop this cell's queued runs, and run this one next,
   * before the rest of the queue. Runs never overlap.
   */
  runNow(request: RunRequest): Promise<RunOutcome> {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (this.pending[i].request.cellId === request.cellId)
        this.pending.splice(i, 1)[0].resolve({status: "stopped", ms: 0});
    }
    const outcome = new Promise<RunOutcome>((resolve) => this.pending.unshift({request, resolve}));
    this.active?.controller.abort();
    void this.pump();
    return outcome;
  }

  /** Abort the current run and wait for it to end (it ends at its next await, loop iteration or sleep). */
  async stop(): Promise<void> {
    const {active, done} = this;
    if (!active || !done) return;
    active.controller.abort();
    await done;
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
    for (const p of this.pending.splice(0)) p.resolve({status: "stopped", ms: 0});
    for (const id of [...this.owned.keys()]) this.disposeCell(id);
    this.unpatch?.();
    this.unpatch = undefined;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let next = this.pending.shift(); next; next = this.pending.shift()) {
        this.done = this.execute(next.request);
        next.resolve(await this.done);
      }
    } finally {
      this.pumping = false;
      this.done = undefined;
    }
  }

  private async execute(request: RunRequest): Promise<RunOutcome> {
    const {cellId} = request;
    this.disposeCell(cellId);
    this.hookEngine();
    this.guardBackend();
    const controller = new AbortController();
    const owned: Owned = {tensors: new Set(), variables: []};
    this.owned.set(cellId, owned);
    const active: Active = {cellId, controller, owned, running: false, madeDuringRun: new WeakSet()};
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    const signal = controller.signal;
    const stopped = new Promise<never>((_, reject) =>
      signal.addEventListener("abort", () => reject(new StopError()), {once: true})
    );
    stopped.catch(() => undefined); // observed by the races below

    // the event loop turns while this ticks; a loop that never yields to it leaves `lastTick` stale
    let lastTick = performance.now();
    const ticker = setInterval(() => (lastTick = performance.now()), 50);
    const guard = () => {
      if (this.active !== active) return; // a loop in a callback the cell left behind, after the run
      if (signal.aborted) throw new StopError();
      if (performance.now() - lastTick > this.guardMs) throw new LoopTimeoutError(Math.round(this.guardMs / 1000));
    };
    // an await in the cell: the cell's code pauses, and a Stop ends the wait at once
    const suspend = <T>(value: T): Promise<Awaited<T>> => {
      active.running = false;
      return Promise.race([value, stopped]) as Promise<Awaited<T>>;
    };
    const adopt = (value: unknown) => {
      for (const t of tensorsIn(value)) if (active.madeDuringRun.has(t)) owned.tensors.add(t);
    };
    const resume = <T>(value: T): T => {
      active.running = true;
      if (signal.aborted) throw new StopError();
      adopt(value);
      return value;
    };
    const sleep = (ms: number) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(new StopError());
        const onAbort = () => (clearTimeout(id), reject(new StopError()));
        const id = setTimeout(() => (signal.removeEventListener("abort", onAbort), resolve()), ms);
        signal.addEventListener("abort", onAbort, {once: true});
      });
    const nextFrame = () =>
      new Promise<number>((resolve, reject) => {
        if (signal.aborted) return reject(new StopError());
        const onAbort = () => reject(new StopError());
        signal.addEventListener("abort", onAbort, {once: true});
        const raf =
          typeof requestAnimationFrame === "function"
            ? requestAnimationFrame
            : (f: (t: number) => void) => setTimeout(() => f(performance.now()), 16);
        raf((t) => {
          signal.removeEventListener("abort", onAbort);
          if (signal.aborted) reject(new StopError());
          else resolve(t);
        });
      });

    const scope: Record<string, unknown> = {...request.scope, signal, sleep, nextFrame};
    const names = Object.keys(scope);
    this.active = active;
    try {
      request.onStart?.();
      const fn = new AsyncFunction(
        ...names,
        "__guard",
        "__suspend",
        "__resume",
        `${request.body}\n//# sourceURL=${SOURCE_PREFIX}${cellId}.js`
      );
      active.running = true;
      // the page's tensors reach the cell as clones (same data, owned by the cell): a cell that disposes one
      // disposes its clone, and the page keeps its own
      const args = names.map((n) => shield(scope[n]));
      const pending = fn(...args, guard, suspend, resume);
      active.running = false;
      const value = await Promise.race([pending, stopped]);
      adopt(value);
      return {status: "ok", value, ms: ms()};
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      if (error instanceof StopError || (signal.aborted && error.name === "AbortError")) {
        return {status: "stopped", ms: ms()};
      }
      return {status: "error", error, line: errorLine(error, cellId), ms: ms()};
    } finally {
      active.running = false;
      clearInterval(ticker);
      if (this.active === active) this.active = undefined;
    }
  }

  /**
   * Refuse, while a cell runs, a tensor over the memory limits before the active backend allocates it: every backend
   * stores new data through `move(dataId, values, shape, dtype, refCount)`. Installed once per backend (the reader
   * may switch backends).
   */
  private guardBackend(): void {
    const backend = tf.backend() as unknown as {move?: (...args: unknown[]) => unknown};
    if (typeof backend.move !== "function" || this.guardedBackends.has(backend)) return;
    this.guardedBackends.add(backend);
    const move = backend.move;
    const current = () => this.active;
    const {maxTensorBytes, maxTotalBytes} = this;
    backend.move = function (this: unknown, ...args: unknown[]) {
      const [, , shape, dtype] = args as [unknown, unknown, number[], string];
      if (current() && Array.isArray(shape)) {
        const bytes = shape.reduce((a, b) => a * b, 1) * (BYTES[dtype] ?? 4);
        const total = tf.memory().numBytes + bytes;
        if (bytes > maxTensorBytes || total > maxTotalBytes)
          throw new TensorTooLargeError(
            `텐서 [${shape.join(", ")}]에 ${gib(bytes)}가 필요합니다 (지금 쓰는 메모리와 합쳐 ${gib(total)}). ` +
              `이 탭이 안전하게 쓸 수 있는 한도 (텐서 하나 ${gib(maxTensorBytes)}, 모두 ${gib(maxTotalBytes)})를 넘어 ` +
              `만들지 않았습니다.`
          );
      }
      return move.apply(this, args);
    };
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
    const current = () => this.active;
    engine.trackTensor = function (a, backend) {
      const cell = current();
      if (cell) {
        cell.madeDuringRun.add(a);
        if (cell.running) {
          cell.owned.tensors.add(a);
          // long training loops make many short-lived tensors: forget the disposed ones now and then
          if (cell.owned.tensors.size > 20000)
            for (const t of cell.owned.tensors) if (t.isDisposed) cell.owned.tensors.delete(t);
        }
      }
      return trackTensor.call(this, a, backend);
    };
    engine.makeVariable = function (...args) {
      const v = makeVariable.apply(this, args);
      current()?.owned.variables.push(v);
      return v;
    };
    this.unpatch = () => {
      engine.trackTensor = trackTensor;
      engine.makeVariable = makeVariable;
    };
  }
}

/** A page tensor passed to a cell: a clone while it is alive (the clone is the cell's to dispose), else itself. */
function shield(value: unknown): unknown {
  return value instanceof tf.Tensor && !value.isDisposed ? tf.clone(value) : value;
}
