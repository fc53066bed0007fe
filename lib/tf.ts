/**
 * The one module that imports TensorFlow.js, for the pages and the tests alike.
 *
 * Pages get the prebuilt ESM bundle: Framework's own bundling of the package entry breaks at run time
 * (a seedrandom CommonJS interop failure, see README "Notes"). Node tests alias this path to the package
 * entry in `vitest.config.ts`; `types/tfjs-fesm.d.ts` gives the bundle the package's types.
 *
 * Backend choice is a seam: `setupBackend()` takes an ordered preference list and reports what runs.
 * The logic that picks the fastest backend on a given device belongs here too, behind the same calls.
 */
import * as tf from "@tensorflow/tfjs/dist/tf.fesm.min.js";

export {tf};

/** Which backend runs, and which ones this build could have used. */
export interface BackendInfo {
  /** The active backend, e.g. `"webgl"`, `"cpu"`, `"wasm"`. */
  name: string;
  /** Every backend registered with this TF.js instance, best first as TF.js ranks them. */
  available: string[];
  /** TF.js version string. */
  version: string;
}

/** Backends registered with this TF.js instance, in TF.js's priority order. */
export function registeredBackends(): string[] {
  const registry = tf.engine().registryFactory as Record<string, {priority: number}>;
  return Object.entries(registry)
    .sort((a, b) => b[1].priority - a[1].priority)
    .map(([name]) => name);
}

/**
 * Start the first backend of `preferred` that initialises, or TF.js's default when none is given.
 * Resolves to what runs; `tf.ready()` has completed when it resolves.
 */
export async function setupBackend(preferred: readonly string[] = []): Promise<BackendInfo> {
  const available = registeredBackends();
  for (const name of preferred) {
    if (!available.includes(name)) continue;
    if (tf.getBackend() === name) break;
    if (await tf.setBackend(name)) break;
  }
  await tf.ready();
  return backendInfo();
}

/** What runs now, without changing anything. */
export function backendInfo(): BackendInfo {
  return {name: tf.getBackend(), available: registeredBackends(), version: tf.version.tfjs};
}
