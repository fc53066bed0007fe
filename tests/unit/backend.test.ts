import {expect, test} from "vitest";
import {backendInfo} from "../../lib/tf.js";

test("unit tests run on the wasm backend (the fast path), unless TFJS_BACKEND=cpu asks for the reference", () => {
  expect(backendInfo().name).toBe(process.env.TFJS_BACKEND === "cpu" ? "cpu" : "wasm");
  expect(backendInfo().available).toEqual(expect.arrayContaining(["cpu", "wasm"]));
});
