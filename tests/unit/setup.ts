// Node tests run TF.js on the `cpu` backend (tfjs-node cannot be installed here), and every test is checked
// for leaked tensors: whatever a test creates, it (or the code under test) must dispose.
import {afterEach, beforeEach, expect} from "vitest";
import {setupBackend, tf} from "../../lib/tf.js";

await setupBackend(["cpu"]);

let before = 0;
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors, "tensors leaked by this test").toBe(before);
});
