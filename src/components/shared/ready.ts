/**
 * Pages import `tf` (and `backend`) from here rather than from `lib/tf.ts`: this module finishes loading
 * only once the chosen backend runs (`startBackend`, with the course's kernels), so every cell of a page's
 * import block, and every cell that uses one of its names, waits for it. Without this, a cell that makes a
 * tensor could run while the wasm backend is still starting ("Backend 'wasm' has not yet been initialized").
 */
import {tf} from "../../lib/tf.js";
import {startBackend, type PageBackend} from "./backend.js";

export const backend: PageBackend = await startBackend();
export {tf};
