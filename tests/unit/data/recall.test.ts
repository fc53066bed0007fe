/**
 * Chapter 4 「RNN」, claim R2: the recall task's examples (checked element by element), its model, and a short
 * training that learns a lag of 2.
 */
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {matchedUnits, recallAccuracyByLag, recallModel, recallTask} from "../../../lib/data/recall.js";
import {rnnParamCount} from "../../../lib/models/rnn.js";

describe("recallTask", () => {
  test("shapes, one symbol then L flagged distractors, the target is the first symbol", () => {
    const {xs, ys, symbols} = recallTask({examples: 50, lag: 3, symbols: 5, seed: 2});
    expect(symbols).toBe(5);
    expect(xs.shape).toEqual([50, 4, 6]);
    expect(ys.shape).toEqual([50, 5]);
    const x = xs.arraySync();
    const y = ys.arraySync();
    const seen = new Set<number>();
    for (let n = 0; n < 50; n++) {
      const s = y[n].indexOf(1);
      expect(y[n].reduce((a, b) => a + b, 0)).toBe(1);
      seen.add(s);
      expect(x[n][0]).toEqual(Array.from({length: 6}, (_, k) => (k === s ? 1 : 0)));
      for (let t = 1; t < 4; t++) {
        expect(x[n][t][5]).toBe(1); // noise flag
        expect(x[n][t].slice(0, 5).reduce((a, b) => a + b, 0)).toBe(1); // one distractor
      }
    }
    expect(seen.size).toBe(5);
    tf.dispose([xs, ys]);
  });

  test("seeded: same seed, same examples; another seed, others", () => {
    const a = recallTask({examples: 20, lag: 2, seed: 4});
    const b = recallTask({examples: 20, lag: 2, seed: 4});
    const c = recallTask({examples: 20, lag: 2, seed: 5});
    expect(a.xs.arraySync()).toEqual(b.xs.arraySync());
    expect(a.xs.arraySync()).not.toEqual(c.xs.arraySync());
    tf.dispose([a.xs, a.ys, b.xs, b.ys, c.xs, c.ys]);
  });
});

describe("recallModel", () => {
  test("parameters: the recurrent layer's formula plus the readout", () => {
    for (const kind of ["simpleRNN", "lstm", "gru"] as const) {
      const model = recallModel(kind, {units: 6, symbols: 4, lag: 3, seed: 1});
      expect(model.countParams()).toBe(rnnParamCount(kind, 5, 6) + 6 * 4 + 4);
      expect(model.outputs[0].shape).toEqual([null, 4]);
      model.dispose();
    }
  });

  test("matched sizes: the SimpleRNN gets about the LSTM's parameters", () => {
    const u = matchedUnits("simpleRNN", 5, 8);
    const lstm = rnnParamCount("lstm", 5, 8);
    expect(Math.abs(rnnParamCount("simpleRNN", 5, u) - lstm)).toBeLessThan(rnnParamCount("simpleRNN", 5, u + 1) - rnnParamCount("simpleRNN", 5, u));
    expect(matchedUnits("lstm", 5, 8)).toBe(8);
  });
});

describe("recallAccuracyByLag", () => {
  test("a short training learns lag 2 (chance 0.25)", async () => {
    const progress: number[] = [];
    const results = await recallAccuracyByLag(["lstm", "simpleRNN"], [2], {
      examples: 512,
      epochs: 6,
      units: 8,
      seed: 3,
      onProgress: (p) => progress.push(p.fraction)
    });
    expect(results.map((r) => [r.kind, r.lag])).toEqual([
      ["lstm", 2],
      ["simpleRNN", 2]
    ]);
    for (const r of results) expect(r.accuracy, r.kind).toBeGreaterThan(0.9);
    expect(results[0].params).toBe(rnnParamCount("lstm", 5, 8) + 8 * 4 + 4);
    expect(progress.at(-1)).toBeCloseTo(1, 9);
  });

  test("an aborted run returns what it has", async () => {
    const controller = new AbortController();
    controller.abort();
    const results = await recallAccuracyByLag(["lstm"], [2, 4], {examples: 64, epochs: 1, units: 4, signal: controller.signal});
    expect(results).toEqual([]);
  });
});
