/**
 * Colour is never the only carrier of meaning (issue 17, WCAG 1.4.1), for chapter 2's charts: two lines differ by
 * their points' shapes as well as their colours, and the legend shows those shapes; the permutation chart's bars are
 * named under each bar. Rendered with Observable Plot in jsdom.
 */
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {costChart, paramChart, permutationChart, shiftChart} from "../../../src/components/cnn/charts.js";
import {makeDocument} from "../viz/dom.js";

// the chart functions take no document: Plot draws into `window.document`, a jsdom one here
const global = globalThis as {window?: unknown};
let saved: unknown;
beforeAll(() => {
  saved = global.window;
  global.window = makeDocument().defaultView;
});
afterAll(() => {
  global.window = saved;
});

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
  }
])("$name", ({chart}) => {
  test("its two lines differ by shape as well as colour, and the legend shows the shapes with the names", () => {
    const figure = chart();
    const shapes = shapesByColour(figure);
    expect(shapes.size, "two colours").toBe(2);
    const [a, b] = [...shapes.values()];
    expect(a.size, "one shape per line").toBe(1);
    expect(b.size).toBe(1);
    expect([...a][0], "the two lines' shapes differ").not.toBe([...b][0]);
    // the legend: one swatch per series, each an svg symbol next to its name
    const swatches = Array.from(figure.querySelectorAll("[class$='-swatch']"));
    expect(swatches.length).toBe(2);
    for (const s of swatches) {
      expect(s.querySelector("svg path"), "a shape in the legend").not.toBeNull();
      expect(s.textContent?.trim()).not.toBe("");
    }
    const legendShapes = swatches.map((s) => s.querySelector("svg path")!.getAttribute("d"));
    expect(new Set(legendShapes).size).toBe(2);
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
