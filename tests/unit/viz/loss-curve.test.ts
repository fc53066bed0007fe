import {describe, expect, test} from "vitest";
import type {TrainEvent} from "../../../lib/train/loop.js";
import {mulberry32} from "../../../lib/random.js";
import {
  binSeries,
  emptyHistory,
  lossCurve,
  pushTrainEvent,
  smoothEma,
  trainHistory
} from "../../../lib/viz/loss-curve.js";
import {makeDocument, serialize} from "./dom.js";

const round = (v: number) => Math.round(v * 1e4) / 1e4;

/** A batch event (with the fields a newer loop adds, so the test compiles against either). */
function batch(epoch: number, batch: number, batches: number, loss: number, accuracy: number, rate = 500): TrainEvent {
  return {type: "batch", epoch, batch, batches, loss, accuracy, examplesPerSec: rate, microBatch: 32} as TrainEvent;
}

/** A seeded run that looks like training: loss falls toward `floor` with batch noise, accuracy rises. */
function syntheticRun(seed: number, {epochs = 3, batches = 60, speed = 40, floor = 0.08, validation = true} = {}) {
  const rand = mulberry32(seed);
  const events: TrainEvent[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let b = 0; b < batches; b++) {
      const clean = floor + 2.2 * Math.exp(-(epoch * batches + b) / speed);
      const loss = round(clean * (0.7 + 0.6 * rand()));
      const accuracy = round(Math.min(1, Math.max(0, 1 - clean / 2.4 + 0.15 * (rand() - 0.5))));
      events.push(batch(epoch, b, batches, loss, accuracy));
    }
    const clean = floor + 2.2 * Math.exp(-((epoch + 1) * batches) / speed);
    events.push({
      type: "epoch",
      epoch,
      loss: round(clean * 1.1),
      accuracy: round(1 - clean / 2.2),
      valLoss: validation ? round(clean * 1.3 + 0.02 * epoch) : undefined,
      valAccuracy: validation ? round(1 - (clean * 1.3) / 2.4) : undefined
    });
  }
  events.push({type: "end", reason: "done", epochs});
  return events;
}

describe("history", () => {
  test("events reduce to arrays, x in fractional epochs", () => {
    const events: TrainEvent[] = [
      batch(0, 0, 4, 2, 0.1, 10),
      batch(0, 1, 4, 1.5, 0.25, 11),
      batch(0, 2, 4, 1, 0.5, 12),
      batch(0, 3, 4, 0.5, 0.75, 13),
      {type: "epoch", epoch: 0, loss: 1.25, accuracy: 0.4, valLoss: 0.9, valAccuracy: 0.6},
      batch(1, 0, 4, 0.4, 0.8, 14),
      {type: "epoch", epoch: 1, loss: 0.4, accuracy: 0.8},
      {type: "end", reason: "stopped", epochs: 2}
    ];
    expect(trainHistory(events)).toEqual({
      batchesPerEpoch: 4,
      batch: {
        epoch: [0.25, 0.5, 0.75, 1, 1.25],
        loss: [2, 1.5, 1, 0.5, 0.4],
        accuracy: [0.1, 0.25, 0.5, 0.75, 0.8]
      },
      epoch: {epoch: [1, 2], loss: [1.25, 0.4], accuracy: [0.4, 0.8], valLoss: [0.9, NaN], valAccuracy: [0.6, NaN]},
      examplesPerSec: 14,
      end: "stopped"
    });
    // pushTrainEvent adds in place and returns the same object
    const h = emptyHistory();
    expect(pushTrainEvent(h, events[0])).toBe(h);
    expect(h.batch.loss).toEqual([2]);
  });

  test("EMA smoothing is debiased and skips NaN", () => {
    // w = 0.5: s1 = 0.5·1 / (1 − 0.5) = 1; s2 = (0.25 + 1.5) / (1 − 0.25) = 7/3
    expect(smoothEma([1, 3], 0.5)).toEqual([1, 1.75 / 0.75]);
    expect(smoothEma([1, 3, 2], 0)).toEqual([1, 3, 2]);
    // NaN keeps its place and does not count: after 2, s = 1 / 0.5 = 2; after 4, (0.5 + 2) / 0.75
    expect(smoothEma([NaN, 2, 4], 0.5)).toEqual([NaN, 2, 2.5 / 0.75]);
    // a constant series stays constant (the point of the debiasing)
    expect(smoothEma([3, 3, 3], 0.9).map((v) => v.toFixed(12))).toEqual([
      "3.000000000000",
      "3.000000000000",
      "3.000000000000"
    ]);
  });

  test("binning: power-of-two bins of mean x, mean/min/max y", () => {
    const x = [0, 1, 2, 3, 4, 5];
    const y = [1, 3, 2, 6, 5, 4];
    expect(binSeries(x, y, 3)).toEqual({x: [0.5, 2.5, 4.5], mean: [2, 4, 4.5], min: [1, 2, 4], max: [3, 6, 5]});
    expect(binSeries(x, y, 6)).toEqual({x, mean: y, min: y, max: y});
    // 6 points into at most 2 bins: size 4 (not 3), the last bin is partial
    expect(binSeries(x, y, 2)).toEqual({x: [1.5, 4.5], mean: [3, 4.5], min: [1, 4], max: [6, 5]});
    expect(binSeries([0, 1], [NaN, NaN], 1)).toEqual({x: [0.5], mean: [NaN], min: [NaN], max: [NaN]});
    // as a series grows (here 9 → 12 points, bin size 4 throughout), finished bins do not change
    const long = Array.from({length: 12}, (_, i) => (i * 7) % 5);
    const idx = long.map((_, i) => i);
    const early = binSeries(idx.slice(0, 9), long.slice(0, 9), 3);
    const later = binSeries(idx, long, 3);
    expect(later.mean.slice(0, 2)).toEqual(early.mean.slice(0, 2));
  });
});

describe("lossCurve", () => {
  const document = makeDocument();
  const run = syntheticRun(1);
  const xTicks = (el: Element) =>
    [...el.querySelectorAll('g[aria-label="x-axis tick label"]')].map((g) =>
      [...g.querySelectorAll("text")].map((t) => t.textContent)
    );

  test("one run, loss and accuracy, 640 px", async () => {
    const el = lossCurve(trainHistory(run), {width: 640, epochs: 3, document});
    expect(el.querySelectorAll("svg[viewBox]").length).toBeGreaterThanOrEqual(2);
    expect(el.textContent).toContain("↑ loss");
    expect(el.textContent).toContain("정확도 (accuracy)");
    await expect(serialize(el)).toMatchFileSnapshot("__snapshots__/loss-curve-single.svg");
  });

  test("events and their history draw the same chart; other data draws another", () => {
    const a = serialize(lossCurve(run, {width: 640, epochs: 3, document}));
    const b = serialize(lossCurve(trainHistory(run), {width: 640, epochs: 3, document}));
    const c = serialize(lossCurve(syntheticRun(2), {width: 640, epochs: 3, document}));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  test("with the total epochs known, the x axis is fixed while the curve grows", () => {
    const partial = run.slice(0, 75); // 1¼ epochs of 3
    const full = lossCurve(run, {width: 640, epochs: 3, document});
    const live = lossCurve(partial, {width: 640, epochs: 3, document});
    expect(xTicks(live)).toEqual(xTicks(full));
    expect(xTicks(full)[0].at(-1)).toBe("3.0");
    // nothing trained yet: axes only, same x axis
    const empty = lossCurve(emptyHistory(), {width: 640, epochs: 3, document});
    expect(xTicks(empty)).toEqual(xTicks(full));
    // without a total, the axis ends at the data
    expect(xTicks(lossCurve(partial, {width: 640, document}))[0].at(-1)).not.toBe("3.0");
  });

  test("named runs overlaid, with a legend", async () => {
    const el = lossCurve(
      [
        {name: "plain-20", history: trainHistory(syntheticRun(3, {speed: 70, floor: 0.25}))},
        {name: "resnet-20", history: syntheticRun(4, {speed: 35, floor: 0.06})}
      ],
      {width: 640, epochs: 3, document}
    );
    const legend = [...el.querySelectorAll("[class$=-swatch]")].map((s) => s.textContent);
    expect(legend.slice(0, 2)).toEqual(["plain-20", "resnet-20"]);
    await expect(serialize(el)).toMatchFileSnapshot("__snapshots__/loss-curve-runs.svg");
    // one legend for both charts; side by side from 960 px
    expect(el.querySelectorAll("[class*=-swatches-wrap]").length).toBe(1);
    const wide = lossCurve([{name: "a", history: run}], {width: 1000, document});
    expect(wide.querySelector("div[style*=flex-direction]")?.getAttribute("style")).toContain("flex-direction:row");
    expect(wide.querySelector("svg[viewBox]")?.getAttribute("width")).toBe("488");
  });

  test("loss only, x in examples seen, no validation, smoothing off", async () => {
    const el = lossCurve(syntheticRun(5, {epochs: 1, batches: 120, validation: false}), {
      width: 640,
      metric: "loss",
      examplesPerEpoch: 60000,
      epochs: 1,
      smoothing: 0,
      document
    });
    expect(xTicks(el)[0].at(-1)).toBe("60k");
    // no validation: no validation readout, legend entry or caption line
    expect(el.textContent).not.toContain("검증");
    expect(xTicks(el)[0][0]).toBe("0");
    await expect(serialize(el)).toMatchFileSnapshot("__snapshots__/loss-curve-examples.svg");
  });
});
