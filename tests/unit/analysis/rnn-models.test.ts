/**
 * Chapter 4 「RNN」's models (the four forecasters, the recall models) through the course's analysis: every layer
 * class registered, the counted parameters equal to `countParams()` and to the formula g·u·(d + u + 1) + readout.
 */
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {dryGraph} from "../../../lib/analysis/dry-build.js";
import {countFlops} from "../../../lib/analysis/flops.js";
import {layerAnalysis} from "../../../lib/analysis/registry.js";
import {recallModel} from "../../../lib/data/recall.js";
import {FORECASTER_KINDS, forecaster, forecasterUnits} from "../../../lib/models/forecaster.js";
import {rnnParamCount, type CellKind} from "../../../lib/models/rnn.js";

const MODELS: [string, () => tf.LayersModel, number | null][] = [
  ...FORECASTER_KINDS.map((kind): [string, () => tf.LayersModel, number | null] => {
    const u = forecasterUnits(kind, 24, 16);
    return [
      `forecaster ${kind}`,
      () => forecaster(kind, {window: 24, units: 16, seed: 1}),
      kind === "conv1d" ? null : rnnParamCount(kind, 1, u) + u + 1
    ];
  }),
  ...(["simpleRNN", "lstm", "gru"] as CellKind[]).map((kind): [string, () => tf.LayersModel, number | null] => [
    `recall ${kind}`,
    () => recallModel(kind, {units: 8, symbols: 4, lag: 10, seed: 1}),
    rnnParamCount(kind, 5, 8) + 8 * 4 + 4
  ])
];

describe("chapter 4 models in the course's analysis", () => {
  test.each(MODELS)("%s", (_, build, formula) => {
    const graph = dryGraph(build);
    const missing = graph.calls.map((c) => c.className).filter((n) => !layerAnalysis(n));
    expect(missing).toEqual([]);
    const totals = countFlops(graph);
    expect(totals.uncounted).toEqual([]);
    const model = build();
    expect(totals.params).toBe(model.countParams());
    if (formula !== null) expect(model.countParams()).toBe(formula);
    model.dispose();
  });
});
