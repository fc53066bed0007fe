/**
 * Chapter 8, V3: the small ViT the maps are drawn from. Before any run it is an untrained model (the same seed the
 * training starts from); the training panel puts its model here when it starts (with test images) and again when it
 * ends (trained). The store owns what it holds: a new snapshot disposes the previous model and images, `dispose()`
 * disposes the last.
 */
import {tf} from "../../../lib/tf.js";
import type {TrainingSummary} from "../../../lib/viz/vit-maps.js";

/** Test images kept for the attention maps. */
export const ATTENTION_IMAGES = 64;

/** Row-wise argmax as numbers (the index tensor is disposed). */
export function argMaxRows(x: tf.Tensor): number[] {
  const indices = tf.argMax(x, -1);
  try {
    return Array.from(indices.dataSync());
  } finally {
    indices.dispose();
  }
}

export interface VitSnapshot {
  model: tf.LayersModel;
  trained: boolean;
  /** Test images to draw the class token's attention on, [n, 28, 28, 1], and their labels. */
  images?: tf.Tensor4D;
  labels?: number[];
  summary?: TrainingSummary;
}

export interface VitStore {
  get(): VitSnapshot;
  set(next: VitSnapshot): void;
  /** Call `fn` now and on every change; returns the unsubscribe function. */
  subscribe(fn: (s: VitSnapshot) => void): () => void;
  dispose(): void;
  /** After `dispose()` (the page cell was invalidated): nothing may use the model any more. */
  readonly disposed: boolean;
}

export function vitStore(initial: VitSnapshot): VitStore {
  let current = initial;
  let disposed = false;
  const listeners = new Set<(s: VitSnapshot) => void>();
  const release = (old: VitSnapshot, next?: VitSnapshot) => {
    if (old.model !== next?.model) old.model.dispose();
    if (old.images && old.images !== next?.images) old.images.dispose();
  };
  return {
    get: () => current,
    set(next) {
      const old = current;
      current = next;
      release(old, next);
      for (const fn of listeners) fn(current);
    },
    subscribe(fn) {
      listeners.add(fn);
      fn(current);
      return () => listeners.delete(fn);
    },
    dispose() {
      disposed = true;
      listeners.clear();
      release(current);
    },
    get disposed() {
      return disposed;
    }
  };
}
