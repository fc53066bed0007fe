/**
 * Colour is never the only carrier of meaning (issue 17, WCAG 1.4.1): chapter 2's charts, T2's norm variants and V2's
 * memory lines differ by their points' shapes as well as their colours, and the legend shows those shapes; A1's two
 * models differ by hollow and filled points (its own legend shows them); the permutation chart's and S2's bars are
 * named under each bar. Rendered with Observable Plot in jsdom.
 */
import {afterAll, beforeAll, describe, expect, test, vi} from "vitest";
import {costChart, paramChart, permutationChart, shiftChart} from "../../../src/components/cnn/charts.js";
// the chapters' experiment modules reach the data loaders, which import Framework's stdlib (not loadable in Node)
vi.mock("observablehq:stdlib", () => ({FileAttachment: () => ({})}));
import {t2Chart, type T2Point} from "../../../src/components/transformer/experiments.js";
import {v2Chart} from "../../../src/components/vision-transformer/v12/v2.js";
import {s2Chart} from "../../../src/components/seq2seq/experiments.js";
import {a1Chart, A1_NAMES, type A1Point} from "../../../src/components/attention/experiments.js";
import {A1_METRICS} from "../../../lib/viz/attention.js";
import {attentionSizeTable} from "../../../lib/analysis/pixel-attention.js";
import {makeDocument} from "../viz/dom.js";

// the chart functions take no document: Plot draws into `window.document`, a jsdom one here
// (A1's legend is built with `document` itself: that is the same jsdom document)
const global = globalThis as {window?: unknown; document?: unknown};
let saved: unknown;
let savedDocument: unknown;
beforeAll(() => {
  saved = global.window;
  savedDocument = global.document;
  const doc = makeDocument();
  global.window = doc.defaultView;
  global.document = doc;
});
afterAll(() => {
  global.window = saved;
  global.document = savedDocument;
});

const T2_NAMES = ["Add & Norm", "Add만", "Norm만", "둘 다 없음"];
const T2_POINTS: T2Point[] = T2_NAMES.flatMap((name, i) =>
  [0, 1, 2, 3].map((layer) => ({
    layer,
    std: (1 + i) * (1 + layer),
    grad: layer === 0 ? NaN : 1 / (1 + i + layer),
    name
  }))
);

/** Each series' (fill colour's) point shapes: the `d` of its dots' paths. */
function shapesByColour(chart: Element): Map<string, Set<string>> {
  const shapes = new Map<string, Set<string>>();
  for (const path of chart.querySelectorAll('g[aria-label="dot"] path')) {
    const fill = path.getAttribute("fill") ?? path.parentElement?.getAttribute("fill") ?? "";
    const d = path.getAttribute("d") ?? "";
    if (!shapes.has(fill)) shapes.set(fill, new Set());
    shapes.get(fill)!.add(d);
  }
  return shapes;
}

describe.each([
  {
    name: "paramChart",
    chart: () =>
      paramChart([
        {size: 28, layer: "conv", params: 320},
        {size: 56, layer: "conv", params: 320},
        {size: 28, layer: "dense", params: 25_000},
        {size: 56, layer: "dense", params: 100_000}
      ])
  },
  {
    name: "costChart",
    chart: () =>
      costChart([
        {size: 28, variant: "max pooling", macs: 1e6},
        {size: 224, variant: "max pooling", macs: 6e7},
        {size: 28, variant: "pooling 없음", macs: 6e6},
        {size: 224, variant: "pooling 없음", macs: 4e8}
      ])
  },
  {
    name: "shiftChart",
    chart: () =>
      shiftChart([
        {model: "CNN", shift: 0, accuracy: 0.98},
        {model: "CNN", shift: 4, accuracy: 0.6},
        {model: "MLP", shift: 0, accuracy: 0.97},
        {model: "MLP", shift: 4, accuracy: 0.3}
      ])
  },
  {
    name: "t2Chart (the transformer's norm variants), std",
    series: 4,
    chart: () => t2Chart(T2_POINTS, T2_NAMES, "std")
  },
  {
    name: "t2Chart (the transformer's norm variants), gradient norms",
    series: 4,
    chart: () => t2Chart(T2_POINTS, T2_NAMES, "grad")
  },
  {
    name: "v2Chart (ViT V2's memory lines)",
    series: 5,
    chart: () => {
      const shown = [1, 4, 7, 14, 16];
      const rows = attentionSizeTable([28, 64, 128, 224], shown).filter((r) => r.tokens > 0);
      return v2Chart(rows, shown, {id: "wasm", label: "test", bytes: 2 ** 30}, 224, {width: 700});
    }
  }
])("$name", ({chart, series = 2}) => {
  test("its lines differ by shape as well as colour, and the legend shows the shapes with the names", () => {
    const figure = chart();
    const shapes = shapesByColour(figure);
    expect(shapes.size, "one colour per series").toBe(series);
    for (const s of shapes.values()) expect(s.size, "one shape per line").toBe(1);
    const all = [...shapes.values()].map((s) => [...s][0]);
    expect(new Set(all).size, "the lines' shapes all differ").toBe(series);
    // the legend: one swatch per series, each an svg symbol next to its name
    const swatches = Array.from(figure.querySelectorAll("[class$='-swatch']"));
    expect(swatches.length).toBe(series);
    for (const s of swatches) {
      expect(s.querySelector("svg path"), "a shape in the legend").not.toBeNull();
      expect(s.textContent?.trim()).not.toBe("");
    }
    const legendShapes = swatches.map((s) => s.querySelector("svg path")!.getAttribute("d"));
    expect(new Set(legendShapes).size).toBe(series);
  });
});

test("permutationChart names each bar under it, not by colour alone", () => {
  const figure = permutationChart([
    {model: "MLP", data: "원본", accuracy: 0.97},
    {model: "MLP", data: "픽셀 섞음", accuracy: 0.97},
    {model: "CNN", data: "원본", accuracy: 0.99},
    {model: "CNN", data: "픽셀 섞음", accuracy: 0.9}
  ]);
  const ticks = Array.from(figure.querySelectorAll('g[aria-label="x-axis tick label"] text'), (t) => t.textContent);
  // each facet (MLP, CNN) labels both of its bars
  expect(ticks.filter((t) => t === "원본").length).toBe(2);
  expect(ticks.filter((t) => t === "픽셀 섞음").length).toBe(2);
});

test("S2 names each bar's metric under it, not by colour alone", () => {
  const buckets = [
    {length: 3, end: 5, examples: 10, sequenceAccuracy: 0.5, tokenAccuracy: 0.9},
    {length: 6, end: 8, examples: 12, sequenceAccuracy: 0.2, tokenAccuracy: 0.8},
    {length: 9, examples: 4, sequenceAccuracy: 0, tokenAccuracy: 0.6}
  ];
  const figure = s2Chart(buckets, {width: 640});
  const ticks = Array.from(figure.querySelectorAll('g[aria-label="x-axis tick label"] text'), (t) => t.textContent);
  // every bucket's facet names both of its bars; the buckets are still named
  expect(ticks.filter((t) => t === "시퀀스").length).toBe(buckets.length);
  expect(ticks.filter((t) => t === "토큰").length).toBe(buckets.length);
  const facets = Array.from(figure.querySelectorAll('g[aria-label="fx-axis tick label"] text'), (t) => t.textContent);
  expect(facets.join(" ")).toContain("3–5");
  expect(figure.querySelectorAll('g[aria-label="bar"] rect').length).toBe(2 * buckets.length);
});

test("A1's two models differ by hollow and filled points as well as colour, and its legend shows both", () => {
  const labels = ["3–5", "6–8", "9+"];
  const shown: A1Point[] = A1_NAMES.flatMap((model, i) =>
    labels.flatMap((bucket, j) =>
      A1_METRICS.map((metric, m) => ({model, metric, bucket, accuracy: (1 + i + j + m) / 10, examples: 5}))
    )
  );
  const figure = a1Chart(shown, labels, {width: 640});
  // a dot's colour is its stroke when hollow (white fill), else its fill; per colour: which fills it has
  const fills = new Map<string, Set<string>>();
  for (const path of figure.querySelectorAll('g[aria-label="dot"] path')) {
    const attr = (name: string) => path.getAttribute(name) ?? path.parentElement?.getAttribute(name) ?? "";
    const hollow = attr("fill") === "white";
    const colour = hollow ? attr("stroke") : attr("fill");
    if (!fills.has(colour)) fills.set(colour, new Set());
    fills.get(colour)!.add(hollow ? "hollow" : "filled");
  }
  expect(fills.size, "two colours").toBe(2);
  const kinds = [...fills.values()].map((k) => [...k]);
  for (const k of kinds) expect(k.length, "one fill style per model").toBe(1);
  expect(new Set(kinds.map((k) => k[0])).size, "the models' fill styles differ").toBe(2);
  // the legend names each model with its fill style, drawn as a hollow and a filled circle
  const keys = Array.from(figure.querySelectorAll(".a1-model-key"));
  expect(keys.map((k) => k.textContent)).toEqual([
    expect.stringContaining(A1_NAMES[0]),
    expect.stringContaining(A1_NAMES[1])
  ]);
  const circles = keys.map((k) => k.querySelector("circle")!.getAttribute("fill"));
  expect(circles[0]).not.toBe(circles[1]);
  expect(circles).toContain("white");
});
