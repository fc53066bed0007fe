import {expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {edgeResponse, squareImage} from "../../../lib/ops/edges.js";
import {HORIZONTAL, SOBEL_X, VERTICAL} from "../../../lib/ops/kernels.js";

test("the square has four sides of 1s on 0s", () => {
  const img = squareImage(8);
  expect(img.shape).toEqual([8, 8, 1]);
  const rows = tf.tidy(() => img.squeeze([2]).arraySync() as number[][]);
  expect(rows[1]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  expect(rows[3]).toEqual([0, 0, 1, 1, 1, 1, 0, 0]);
  img.dispose();
});

test("claim F1, worked by hand: the vertical kernel sees only vertical edges, the horizontal only horizontal", () => {
  // Next to a 0|1 step, the vertical kernel covers one column of three 1s with weights 1 or −1: |response| = 3.
  // Along a horizontal side, its left and right columns see the same values and cancel: response 0.
  expect(edgeResponse(VERTICAL)).toEqual({vertical: 3, horizontal: 0});
  expect(edgeResponse(HORIZONTAL)).toEqual({vertical: 0, horizontal: 3});
  // Sobel x weighs the middle row twice: 1 + 2 + 1 = 4
  expect(edgeResponse(SOBEL_X)).toEqual({vertical: 4, horizontal: 0});
});
