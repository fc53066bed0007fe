/**
 * Chapter 5's translator kept between visits (like chapter 2's ConvNet Example): after S1 trains one, its weights go
 * to IndexedDB and its settings to localStorage; on the next visit the page rebuilds the same model, loads the
 * weights in order, regenerates the same held-out set from the seed and evaluates it again (the numbers shown are
 * computed in that visit). Without IndexedDB (private mode) nothing is kept and nothing breaks.
 */
import {tf} from "../../lib/tf.js";
import {dateTask, SOURCE_VOCAB, TARGET_VOCAB} from "../../lib/data/dates.js";
import {evaluate, seq2seq} from "../../lib/models/seq2seq.js";
import type {RunConditions} from "../../lib/viz/seq2seq.js";
import type {ModelSlot, Trained} from "./slot.js";

export const S2S_STORE = "indexeddb://dl4i-seq2seq-translator";
const META_KEY = "dl4i:seq2seq:translator";

/** What it takes to rebuild the task and the model. */
export interface StoredMeta {
  task: {train: number; test: number; seed: number; maxDates: number};
  model: {embedding: number; units: number; seed: number};
  buckets: number[];
  conditions: RunConditions;
}

/** Keep the slot's model (weights in IndexedDB, settings in localStorage). Resolves to whether it did. */
export async function saveTranslator(t: Trained, meta: StoredMeta): Promise<boolean> {
  try {
    await t.s2s.model.save(S2S_STORE);
    localStorage.setItem(META_KEY, JSON.stringify(meta));
    return true;
  } catch {
    return false; // no IndexedDB: the model still works for this visit
  }
}

/** Rebuild the kept translator into the slot, if there is one. Resolves to whether it did. */
export async function restoreTranslator(slot: ModelSlot, onStatus: (s: string) => void = () => {}): Promise<boolean> {
  let meta: StoredMeta;
  let weights: tf.Tensor[];
  try {
    const text = localStorage.getItem(META_KEY);
    if (!text || !(S2S_STORE in (await tf.io.listModels()))) return false;
    meta = JSON.parse(text) as StoredMeta;
    onStatus("저장된 번역기의 가중치를 불러오는 중…");
    const handler = tf.io.getLoadHandlers(S2S_STORE)[0];
    if (!handler?.load) return false;
    const artifacts = await handler.load();
    if (!artifacts.weightSpecs || !artifacts.weightData) return false;
    const named = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
    weights = artifacts.weightSpecs.map((spec) => named[spec.name]);
  } catch {
    return false;
  }
  const s2s = seq2seq({sourceVocab: SOURCE_VOCAB.size, targetVocab: TARGET_VOCAB.size, ...meta.model});
  try {
    const shapes = s2s.model.weights.map((w) => w.shape.join("x"));
    if (weights.length !== shapes.length || weights.some((w, i) => w.shape.join("x") !== shapes[i])) {
      s2s.dispose();
      return false; // stored by another version of the model
    }
    s2s.model.setWeights(weights);
  } finally {
    tf.dispose(weights);
  }
  onStatus("held-out 입력을 다시 번역해 평가하는 중…");
  await new Promise((resolve) => setTimeout(resolve, 0));
  const task = dateTask(meta.task);
  const lengths = {source: task.sourceLength, target: task.targetLength};
  const evaluation = evaluate(s2s, task.test, lengths, {buckets: meta.buckets});
  if (slot.current || slot.closed) {
    s2s.dispose(); // the reader trained one meanwhile, or left the page
    return false;
  }
  slot.set({s2s, task, lengths, evaluation, conditions: meta.conditions, restored: true});
  return true;
}

/** Forget the kept translator. */
export async function clearTranslator(): Promise<void> {
  try {
    localStorage.removeItem(META_KEY);
    await tf.io.removeModel(S2S_STORE);
  } catch {
    // nothing stored
  }
}
