/** Chapter 4 「RNN」, claim R3: self-attention against a naive loop; the timing function's result (never its times). */
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {selfAttention, timeSequenceOps} from "../../../lib/analysis/sequential-cost.js";
import {maxAbsDiff, randomArray} from "../helpers.js";

/** softmax(QKᵀ/√D)V with plain loops. */
function naiveAttention(x: number[][][], wq: number[][], wk: number[][], wv: number[][]): number[][][] {
  const mul = (row: number[], m: number[][]) => m[0].map((_, j) => row.reduce((s, r, i) => s + r * m[i][j], 0));
  const d = wq[0].length;
  return x.map((seq) => {
    const q = seq.map((r) => mul(r, wq));
    const k = seq.map((r) => mul(r, wk));
    const v = seq.map((r) => mul(r, wv));
    return q.map((qi) => {
      const s = k.map((kj) => qi.reduce((a, b, c) => a + b * kj[c], 0) / Math.sqrt(d));
      const m = Math.max(...s);
      const e = s.map((z) => Math.exp(z - m));
      const sum = e.reduce((a, b) => a + b, 0);
      return v[0].map((_, c) => e.reduce((a, ej, j) => a + (ej / sum) * v[j][c], 0));
    });
  });
}

describe("selfAttention", () => {
  test("equals a naive loop (B = 2, T = 5, D = 4)", () => {
    const x = randomArray([2, 5, 4], 1) as number[][][];
    const [q, k, v] = [2, 3, 4].map((s) => randomArray([4, 4], s) as number[][]);
    const tensors = [tf.tensor3d(x), tf.tensor2d(q), tf.tensor2d(k), tf.tensor2d(v)] as const;
    const out = selfAttention(tensors[0], {q: tensors[1], k: tensors[2], v: tensors[3]});
    expect(out.shape).toEqual([2, 5, 4]);
    expect(maxAbsDiff(out.arraySync(), naiveAttention(x, q, k, v))).toBeLessThan(1e-5);
    tf.dispose([...tensors, out]);
  });
});

describe("timeSequenceOps", () => {
  test("one row per length, steps T and 1, positive times, nothing leaks", async () => {
    const rows = await timeSequenceOps([4, 16], {width: 8, repeats: 1});
    expect(rows.map((r) => [r.length, r.rnnSteps, r.attentionSteps])).toEqual([
      [4, 4, 1],
      [16, 16, 1]
    ]);
    for (const r of rows) {
      expect(r.rnnMs).toBeGreaterThan(0);
      expect(r.attentionMs).toBeGreaterThan(0);
    }
  });

  test("an aborted measurement returns what it has", async () => {
    const c = new AbortController();
    c.abort();
    expect(await timeSequenceOps([8], {width: 4, signal: c.signal})).toEqual([]);
  });
});
