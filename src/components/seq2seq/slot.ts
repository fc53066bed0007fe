/**
 * The trained translator of chapter 5, shared by the cells below the S1 experiment: the reader's input box, the
 * context-vector projection, S2's accuracy against length, the decoding times. S1 puts a model in when its training
 * ends; the slot owns it from then on and disposes it when a new one replaces it or the page cell re-runs.
 */
import type {DateTask} from "../../lib/data/dates.js";
import type {Evaluation, Seq2Seq} from "../../lib/models/seq2seq.js";
import type {RunConditions} from "../../lib/viz/seq2seq.js";

export interface Trained {
  s2s: Seq2Seq;
  task: DateTask;
  lengths: {source: number; target: number};
  evaluation: Evaluation;
  conditions: RunConditions;
  /** 1, 2, …: which training this is (the tests see the sentences change). */
  run: number;
  /** Loaded from this browser's IndexedDB (an earlier visit's training), not trained in this visit. */
  restored?: boolean;
}

export interface ModelSlot {
  readonly current: Trained | null;
  /** True once disposed (the page cell re-ran or the page was left). */
  readonly closed: boolean;
  set(t: Omit<Trained, "run">): void;
  /** Call `fn` now and on every change; returns the unsubscribe. */
  subscribe(fn: (t: Trained | null) => void): () => void;
  /** Ask S1 to train one (the S2 button when none exists yet); set by the S1 panel. */
  train?: () => Promise<void>;
  dispose(): void;
}

export function modelSlot(invalidation?: Promise<unknown>): ModelSlot {
  let current: Trained | null = null;
  let closed = false;
  let runs = 0;
  const listeners = new Set<(t: Trained | null) => void>();
  const notify = () => listeners.forEach((fn) => fn(current));
  const slot: ModelSlot = {
    get current() {
      return current;
    },
    get closed() {
      return closed;
    },
    set(t) {
      if (closed) {
        t.s2s.dispose();
        return;
      }
      if (current && current.s2s !== t.s2s) current.s2s.dispose();
      current = {...t, run: ++runs};
      notify();
    },
    subscribe(fn) {
      listeners.add(fn);
      fn(current);
      return () => listeners.delete(fn);
    },
    dispose() {
      closed = true;
      current?.s2s.dispose();
      current = null;
      notify();
      listeners.clear();
    }
  };
  invalidation?.then(() => slot.dispose());
  return slot;
}
