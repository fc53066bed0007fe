/**
 * The attention model the A2 views (five steps, heatmap) look at: a freshly initialised one until the A1 experiment
 * has trained one, then the trained one. The store owns whichever it holds and disposes it when it is replaced or
 * when the page cell that made it is invalidated (the reader changes the scoring, or leaves the page).
 */
import {SOURCE_VOCAB, TARGET_VOCAB} from "../../lib/data/dates.js";
import {seq2seq, type AttentionKind, type Seq2Seq} from "../../lib/models/seq2seq.js";

/** An untrained model rarely emits END: its greedy decoding stops here. */
export const UNTRAINED_MAX_LENGTH = 20;

export interface HeldModel {
  s: Seq2Seq;
  /** False for the freshly initialised model. */
  trained: boolean;
  /** Source length the model was trained on (the reader's input is padded or cut to it); undefined when fresh. */
  sourceLength?: number;
  /** Conditions of its training, for the sentences ("4,000 examples, 3 epochs"). */
  note: string;
}

export interface AttentionModelStore {
  readonly attention: Exclude<AttentionKind, "none">;
  current(): HeldModel;
  /** Hand over a trained model: the store disposes the one it held and, later, this one. */
  setTrained(s: Seq2Seq, info: {sourceLength: number; note: string}): void;
  /** Called at once and after every change; returns the unsubscribe function. */
  subscribe(listener: (held: HeldModel) => void): () => void;
}

export function attentionModelStore({
  attention,
  seed = 1,
  invalidation
}: {
  attention: Exclude<AttentionKind, "none">;
  seed?: number;
  invalidation?: Promise<unknown>;
}): AttentionModelStore {
  const fresh = (): HeldModel => ({
    s: seq2seq({sourceVocab: SOURCE_VOCAB.size, targetVocab: TARGET_VOCAB.size, attention, seed}),
    trained: false,
    note: `seed ${seed}로 초기화만 한 모델`
  });
  let held: HeldModel | null = fresh();
  const listeners = new Set<(held: HeldModel) => void>();
  const store: AttentionModelStore = {
    attention,
    current: () => {
      if (!held) throw new Error("the attention model store was disposed");
      return held;
    },
    setTrained(s, info) {
      if (!held) {
        s.dispose();
        return;
      }
      held.s.dispose();
      held = {s, trained: true, sourceLength: info.sourceLength, note: info.note};
      for (const l of listeners) l(held);
    },
    subscribe(listener) {
      listeners.add(listener);
      if (held) listener(held);
      return () => listeners.delete(listener);
    }
  };
  invalidation?.then(() => {
    held?.s.dispose();
    held = null;
    listeners.clear();
  });
  return store;
}
