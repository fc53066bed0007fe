/** Chapter 4 「RNN」: the four forecasters, their matched sizes, and that a short training on a sine lowers the MSE. */
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {seriesWindows} from "../../../lib/data/windows.js";
import {FORECASTER_KINDS, conv1dForecasterParams, forecaster, forecasterUnits} from "../../../lib/models/forecaster.js";
import {rnnParamCount} from "../../../lib/models/rnn.js";
import {evaluate, train} from "../../../lib/train/loop.js";
import {meanSquaredError} from "../../../lib/train/losses.js";

describe("forecaster", () => {
  test("shapes and similar sizes (within 10 % of the LSTM's)", () => {
    const lstm = rnnParamCount("lstm", 1, 16) + 16 + 1;
    for (const kind of FORECASTER_KINDS) {
      const model = forecaster(kind, {window: 24, units: 16, seed: 1});
      expect(model.outputs[0].shape).toEqual([null, 1]);
      expect(Math.abs(model.countParams() - lstm) / lstm, kind).toBeLessThan(0.1);
      if (kind === "conv1d")
        expect(model.countParams()).toBe(conv1dForecasterParams(24, forecasterUnits(kind, 24, 16)));
      model.dispose();
    }
  });

  test("a short training of each on a sine lowers the test MSE", async () => {
    const values = Array.from({length: 200}, (_, i) => Math.sin((2 * Math.PI * i) / 25) + 0.3 * Math.sin(i / 7));
    const w = seriesWindows(values, {window: 16, testFraction: 0.2});
    const loss = meanSquaredError();
    for (const kind of FORECASTER_KINDS) {
      const model = forecaster(kind, {window: 16, units: 8, seed: 2});
      const optimizer = tf.train.adam(0.01);
      const before = (await evaluate(model, w.test, {loss})).loss;
      for await (const e of train({model, optimizer, train: w.train, loss, epochs: 8, batchSize: 16, seed: 1})) void e;
      const after = (await evaluate(model, w.test, {loss})).loss;
      expect(after, kind).toBeLessThan(before * 0.5);
      optimizer.dispose();
      model.dispose();
    }
    tf.dispose([w.train.xs, w.train.ys, w.test.xs, w.test.ys]);
  });
});
