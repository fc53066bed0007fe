/**
 * Chapter 4 「RNN」, claim R2: ‖∂h_T/∂h_t‖ from lib/train/rnn-gradients.ts, against a case worked by hand and against
 * the Jacobian of the whole unrolled chain.
 */
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {
  gruStep,
  layerWeights,
  lstmStep,
  recurrentLayer,
  simpleRnnStep,
  type CellKind
} from "../../../lib/models/rnn.js";
import type {RnnWeights} from "../../../lib/models/rnn.js";
import {hiddenGradNorms} from "../../../lib/train/rnn-gradients.js";
import {randomArray} from "../helpers.js";

describe("hiddenGradNorms", () => {
  test("1-unit SimpleRNN: ∂h_T/∂h_t = Π_{k>t} w·(1 − h_k²), by hand", async () => {
    const W = 0.7;
    const U = 0.9;
    const B = -0.2;
    const x = [1, -0.5, 0.3, 2, -1];
    // forward by hand
    const h = [0];
    for (const xt of x) h.push(Math.tanh(W * xt + U * h[h.length - 1] + B));
    const T = x.length;
    const expected = Array.from({length: T}, (_, i) => {
      const t = T - 1 - i; // t = T−1 … 0
      let p = 1;
      for (let k = t + 1; k <= T; k++) p *= U * (1 - h[k] ** 2);
      return Math.abs(p);
    });
    const w: RnnWeights = {kernel: tf.tensor2d([[W]]), recurrentKernel: tf.tensor2d([[U]]), bias: tf.tensor1d([B])};
    const xs = tf.tensor3d([x.map((v) => [v])]);
    const got = await hiddenGradNorms("simpleRNN", w, xs);
    expect(got.map((p) => p.distance)).toEqual([1, 2, 3, 4, 5]);
    got.forEach((p, i) => expect(p.norm).toBeCloseTo(expected[i], 5));
    tf.dispose([w.kernel, w.recurrentKernel, w.bias, xs]);
  });

  /**
   * ‖∂h_T/∂s_t‖ by differentiating the whole chain from the state s_t (h_t, and for the LSTM c_t too) to h_T with
   * one tf.grad per t.
   */
  async function direct(kind: CellKind, w: RnnWeights, seq: number[][], u: number): Promise<number[]> {
    const out: number[] = [];
    const T = seq.length;
    for (let t = T - 1; t >= 0; t--) {
      const value = tf.tidy(() => {
        // forward to h_t, c_t
        let h = tf.zeros([1, u]) as tf.Tensor2D;
        let c = tf.zeros([1, u]) as tf.Tensor2D;
        const x = (k: number) => tf.tensor2d(Array.from({length: u}, () => seq[k]));
        for (let k = 0; k < t; k++) {
          if (kind === "lstm") ({h, c} = lstmStep(tf.tensor2d([seq[k]]), {h, c}, w));
          else h = (kind === "gru" ? gruStep : simpleRnnStep)(tf.tensor2d([seq[k]]), h, w);
        }
        const chain = (s0: tf.Tensor) => {
          let hh = (kind === "lstm" ? s0.slice([0, 0], [u, u]) : s0) as tf.Tensor2D;
          let cc = (kind === "lstm" ? s0.slice([0, u], [u, u]) : tf.zeros([u, u])) as tf.Tensor2D;
          for (let k = t; k < T; k++) {
            if (kind === "lstm") ({h: hh, c: cc} = lstmStep(x(k), {h: hh, c: cc}, w));
            else hh = (kind === "gru" ? gruStep : simpleRnnStep)(x(k), hh, w);
          }
          return hh;
        };
        const s = kind === "lstm" ? tf.concat([h, c], 1) : h;
        const jac = tf.grad(chain)(tf.tile(s, [u, 1]) as tf.Tensor2D, tf.eye(u) as tf.Tensor2D);
        return tf.norm(jac).arraySync() as number;
      });
      out.push(value);
    }
    return out;
  }

  test("lstm: the cell state's own path counts (the c_t block is not zero)", async () => {
    const u = 4;
    const model = tf.sequential({layers: [recurrentLayer("lstm", {units: u, inputShape: [null, 3], seed: 3})]});
    const w = layerWeights(model.layers[0]);
    const seq = randomArray([6, 3], 5) as number[][];
    const xs = tf.tensor3d([seq]);
    const full = await hiddenGradNorms("lstm", w, xs);
    // the h block alone, differentiated with c_t held
    const hOnly = await directHOnly(w, seq, u);
    for (let i = 1; i < full.length; i++) expect(full[i].norm).toBeGreaterThan(hOnly[i] * 1.0001);
    xs.dispose();
    model.dispose();
  });

  async function directHOnly(w: RnnWeights, seq: number[][], u: number): Promise<number[]> {
    const out: number[] = [];
    const T = seq.length;
    for (let t = T - 1; t >= 0; t--) {
      out.push(
        tf.tidy(() => {
          let h = tf.zeros([1, u]) as tf.Tensor2D;
          let c = tf.zeros([1, u]) as tf.Tensor2D;
          for (let k = 0; k < t; k++) ({h, c} = lstmStep(tf.tensor2d([seq[k]]), {h, c}, w));
          const c0 = tf.tile(c, [u, 1]) as tf.Tensor2D;
          const x = (k: number) => tf.tensor2d(Array.from({length: u}, () => seq[k]));
          const chain = (h0: tf.Tensor) => {
            let hh = h0 as tf.Tensor2D;
            let cc = c0;
            for (let k = t; k < T; k++) ({h: hh, c: cc} = lstmStep(x(k), {h: hh, c: cc}, w));
            return hh;
          };
          return tf
            .norm(tf.grad(chain)(tf.tile(h, [u, 1]) as tf.Tensor2D, tf.eye(u) as tf.Tensor2D))
            .arraySync() as number;
        })
      );
    }
    return out;
  }

  for (const kind of ["simpleRNN", "lstm", "gru"] as CellKind[]) {
    test(`${kind}: equals the Jacobian of the whole unrolled chain`, async () => {
      const u = 4;
      const d = 3;
      const model = tf.sequential({layers: [recurrentLayer(kind, {units: u, inputShape: [null, d], seed: 3})]});
      const w = layerWeights(model.layers[0]);
      const seq = randomArray([6, d], 12) as number[][];
      const xs = tf.tensor3d([seq]);
      const got = await hiddenGradNorms(kind, w, xs);
      const want = await direct(kind, w, seq, u);
      expect(got).toHaveLength(6);
      got.forEach((p, i) => expect(p.norm).toBeCloseTo(want[i], 4));
      xs.dispose();
      model.dispose();
    });
  }

  test("an untrained SimpleRNN: the norm falls with distance", async () => {
    const model = tf.sequential({layers: [recurrentLayer("simpleRNN", {units: 16, inputShape: [null, 1], seed: 1})]});
    const xs = tf.tensor3d([Array.from({length: 40}, (_, t) => [Math.sin(t / 3)])]);
    const got = await hiddenGradNorms("simpleRNN", layerWeights(model.layers[0]), xs);
    expect(got[0].norm).toBeGreaterThan(0);
    expect(got[39].norm).toBeLessThan(got[0].norm * 1e-2);
    expect(got[19].norm).toBeLessThan(got[0].norm);
    xs.dispose();
    model.dispose();
  });

  test("refuses a batch", async () => {
    const model = tf.sequential({layers: [recurrentLayer("gru", {units: 2, inputShape: [null, 1]})]});
    const xs = tf.zeros([2, 3, 1]) as tf.Tensor3D;
    await expect(hiddenGradNorms("gru", layerWeights(model.layers[0]), xs)).rejects.toThrow();
    xs.dispose();
    model.dispose();
  });
});
