import {describe, expect, test} from "vitest";
import {
  attentionFigure,
  attentionHeatmap,
  bucketLabels,
  describeA1,
  describeLooks,
  escapeXml,
  formatEpochs,
  lengthBuckets,
  looks,
  type LengthRow
} from "../../../lib/viz/attention.js";
import {makeDocument} from "./dom.js";

/** Parse SVG markup with jsdom (well-formed, or the parser reports an error element). */
function parse(svg: string): Element {
  const doc = makeDocument();
  const parsed = new doc.defaultView!.DOMParser().parseFromString(svg, "image/svg+xml");
  expect(parsed.querySelector("parsererror")).toBeNull();
  return parsed.documentElement;
}

describe("attentionFigure", () => {
  const step = {
    query: [0.5, -0.2, 0.1],
    keys: [
      [0, 0, 0],
      [1, 0, 0.5],
      [0.2, -1, 0.3]
    ],
    masked: [true, false, false],
    scores: [-Infinity, 0.5, 0.33],
    weights: [0, 0.54, 0.46],
    output: [0.63, -0.46, 0.41],
    token: "2"
  };
  const svg = parse(attentionFigure(step, {sourceTokens: ["<pad>", "nov", "&"], width: 500}));
  test("one group per source position, with its weight; PAD faded; line widths grow with the weight", () => {
    const groups = Array.from(svg.querySelectorAll("g.fig-state"));
    expect(groups.map((g) => Number(g.getAttribute("data-weight")))).toEqual(step.weights);
    expect(groups[0].getAttribute("opacity")).toBe("0.25");
    const widths = groups.map((g) => Number(g.querySelector("line")!.getAttribute("stroke-width")));
    expect(widths[1]).toBeGreaterThan(widths[2]);
    expect(widths[2]).toBeGreaterThan(widths[0]);
    // each state drawn as one cell per unit
    expect(groups[1].querySelectorAll("rect:not(.fig-bar)").length).toBe(3);
  });
  test("the source tokens are escaped, the predicted token named", () => {
    expect(svg.textContent).toContain("&");
    expect(svg.textContent).toContain("“2”");
    expect(escapeXml(`<a href="x">'`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;");
  });
});

describe("attentionHeatmap", () => {
  test("T × S cells with their weights, labelled by both token lists", () => {
    const w = [
      [0.1, 0.9],
      [0.7, 0.3],
      [0.5, 0.5]
    ];
    const svg = parse(attentionHeatmap(w, ["a", "▁"], ["x", "y", "z"]));
    const cells = Array.from(svg.querySelectorAll("rect.hm-cell"));
    expect(cells.length).toBe(6);
    expect(cells.map((c) => Number(c.getAttribute("data-w")))).toEqual(w.flat());
    expect(svg.querySelectorAll("text.hm-target").length).toBe(3);
    expect(Array.from(svg.querySelectorAll("text.hm-source"), (t) => t.textContent)).toEqual(["a", "␣"]);
    expect(svg.getAttribute("aria-label")).toContain("3개 × 입력 토큰 2개");
  });
});

describe("describeLooks", () => {
  const source = ["nov", "2", "9", ",", "2", "0", "2", "6"];
  test("reordering: the year first, from the back half, then a jump backwards", () => {
    const onehot = (s: number) => source.map((_, j) => (j === s ? 0.9 : 0.1 / 7));
    const w = [4, 5, 6, 7, 0, 1, 2].map(onehot);
    expect(looks(w, source, ["2", "0", "2", "6", "년", "1", "1"]).map((l) => l.position)).toEqual([
      4, 5, 6, 7, 0, 1, 2
    ]);
    const text = describeLooks(w, source, ["2", "0", "2", "6", "년", "1", "1"]);
    expect(text).toContain("5번째 “2”, 6번째 “0”, 7번째 “2”, 8번째 “6”");
    expect(text).toContain("모두 입력의 뒤쪽 절반");
    expect(text).toContain("되돌아가는 곳이 1번");
    expect(text).toContain("0.90");
  });
  test("in order, and nearly uniform weights said as such", () => {
    const w = source.map((_, t) => source.map((_, j) => (j === t ? 0.8 : 0.2 / 7)));
    expect(describeLooks(w, source, source)).toContain("순서를 그대로");
    expect(describeLooks(w, source, source)).toContain("앞쪽 절반");
    const flat = [source.map(() => 1 / source.length)];
    const text = describeLooks(flat, source, ["2"], {trained: false});
    expect(text).toContain("학습 전");
    expect(text).toContain("고르게 퍼져");
  });
});

describe("describeA1", () => {
  const rows = (accs: number[]): LengthRow[] =>
    accs.map((a, i) => ({length: 5 + 10 * i, examples: 50, sequenceAccuracy: a}));
  const c = {
    epochs: 3,
    budget: 60,
    trainExamples: 4000,
    testExamples: 500,
    seed: 1,
    scoring: "dot",
    seconds: [20, 25] as [number, number],
    overall: [0.4, 0.9] as [number, number]
  };
  test("buckets 8 tokens wide from the shortest input; labels from the starts", () => {
    expect(lengthBuckets([5, 30, 12, 21])).toEqual([5, 13, 21, 29]);
    expect(lengthBuckets([])).toEqual([]);
    expect(formatEpochs(3)).toBe("3");
    expect(bucketLabels(rows([0, 0, 0]))).toEqual(["5–14", "15–24", "25+"]);
  });
  test("attention ahead on long inputs; ties named", () => {
    const text = describeA1(rows([0.95, 0.9, 0.4, 0.1]), rows([0.97, 0.95, 0.9, 0.85]), c);
    expect(text).toContain("attention 없는 모델 40%, attention (dot) 모델 90%");
    expect(text).toContain("입력 토큰 35+개 (10% 대 85%, attention 모델이 75%p 높음)");
    expect(text).toContain("5–14 (95% 대 97%)");
    expect(text).toContain("긴 입력일수록 차이가 커집니다");
    expect(text).toContain("4,000개에서 같은 batch 3 epoch, seed 1");
    expect(text).toContain("한도 60초");
    expect(describeA1(rows([0.5]), rows([0.9]), {...c, epochs: 2.25})).toContain("2.25 epoch");
    expect(describeA1(rows([0, 0]), rows([0, 0.02]), {...c, overall: [0, 0.01]})).toContain("거의 맞히지 못합니다");
  });
  test("no gain and the reverse outcome are said as they are", () => {
    expect(describeA1(rows([0.5, 0.5]), rows([0.52, 0.48]), {...c, overall: [0.5, 0.5]})).toContain(
      "이득이 보이지 않습니다"
    );
    const reverse = describeA1(rows([0.2, 0.9, 0.9]), rows([0.9, 0.9, 0.9]), c);
    expect(reverse).toContain("짧은 입력에서 차이가 더 큽니다");
    const worse = describeA1(rows([0.9, 0.9]), rows([0.5, 0.5]), c);
    expect(worse).toContain("attention 없는 모델이 40%p 높음");
    expect(worse).toContain("비기는 구간은 없습니다");
  });
});
