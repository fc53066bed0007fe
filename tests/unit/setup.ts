// Node tests run TF.js on the wasm backend (tfjs-node cannot be installed here; wasm is the fast path),
// falling back to `cpu`; TFJS_BACKEND=cpu forces the reference backend. Every test is checked for leaked
// tensors: whatever a test creates, it (or the code under test) must dispose.
import "@tensorflow/tfjs-backend-wasm";
import {afterEach, beforeEach, expect} from "vitest";
import {setupBackend, tf} from "../../lib/tf.js";
import {registerCourseKernels} from "../../lib/backend/kernels.js";

const info = await setupBackend(process.env.TFJS_BACKEND === "cpu" ? ["cpu"] : ["wasm", "cpu"]);
if (!process.env.TFJS_BACKEND && info.name !== "wasm") console.warn(`unit tests run on ${info.name}, not wasm`);
// the course's training kernels, as the pages use them (lib/backend/kernels.ts)
registerCourseKernels(info.name);

let before = 0;
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors, "tensors leaked by this test").toBe(before);
});
