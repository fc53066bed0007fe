import {describe, expect, test} from "vitest";
import {
  attentionFigure,
  attentionHeatmap,
  bucketLabels,
  describeA1,
  signedPoints,
  describeLooks,
  escapeXml,
  formatEpochs,
  lengthBuckets,
  looks,
  quoteShort,
  unknownNote,
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
  /** Buckets 5–14, 15–24, … with both metrics. */
  const rows = (seq: number[], tok: number[] = seq): LengthRow[] =>
    seq.map((a, i) => ({length: 5 + 10 * i, examples: 50, sequenceAccuracy: a, tokenAccuracy: tok[i]}));
  const c = {
    epochs: 3,
    budget: 60,
    trainExamples: 4000,
    testExamples: 500,
    seed: 1,
    scoring: "dot",
    seconds: [20, 25] as [number, number],
    overall: [0.4, 0.9] as [number, number],
    overallToken: [0.7, 0.95] as [number, number]
  };
  test("buckets 8 tokens wide from the shortest input; labels from the starts; signed gaps", () => {
    expect(lengthBuckets([5, 30, 12, 21])).toEqual([5, 13, 21, 29]);
    expect(lengthBuckets([])).toEqual([]);
    expect(formatEpochs(3)).toBe("3");
    expect(bucketLabels(rows([0, 0, 0]))).toEqual(["5–14", "15–24", "25+"]);
    expect([0.123, -0.031, 0.004, -0.004].map(signedPoints)).toEqual(["+12%p", "−3%p", "±0%p", "±0%p"]);
  });
  test("attention ahead on long inputs: both gaps per bucket, ties per metric, both trends", () => {
    const text = describeA1(rows([0.95, 0.91, 0.4, 0.1], [0.99, 0.97, 0.8, 0.6]), rows([0.97, 0.95, 0.9, 0.85]), c);
    expect(text).toBe(
      "이번 실행 (같은 학습 예제 4,000개에서 같은 batch 3 epoch, seed 1; 학습 시간 20초 / 25초, 한도 60초)에서 학습하지 " +
        "않은 입력 500개를 greedy decoding으로 번역한 시퀀스 정확도는 attention 없는 모델 40%, attention (dot) 모델 90%, " +
        "토큰 정확도는 70% 대 95%입니다. 길이 구간별 (attention 없음 대 attention): 5–14개 시퀀스 95% 대 97% (+2%p), " +
        "토큰 99% 대 97% (−2%p); 15–24개 시퀀스 91% 대 95% (+4%p), 토큰 97% 대 95% (−2%p); 25–34개 시퀀스 40% 대 90% " +
        "(+50%p), 토큰 80% 대 90% (+10%p); 35+개 시퀀스 10% 대 85% (+75%p), 토큰 60% 대 85% (+25%p). 5%p 이내로 비기는 " +
        "구간: 시퀀스 정확도 5–14, 15–24, 토큰 정확도 5–14, 15–24. 긴 입력일수록 차이가 커집니다: 시퀀스 정확도 (짧은 쪽 " +
        "평균 +3%p, 긴 쪽 +63%p), 토큰 정확도 (짧은 쪽 평균 −2%p, 긴 쪽 +18%p). 병목현상이 긴 입력에서 나타나고 " +
        "attention이 그것을 줄인다는 노트의 주장과 맞습니다."
    );
    expect(describeA1(rows([0.5]), rows([0.9]), {...c, epochs: 2.25})).toContain("2.25 epoch");
  });
  test("no attention near 0 in sequence accuracy everywhere (the measured case): the token accuracy shows the length", () => {
    const text = describeA1(rows([0.02, 0, 0, 0], [0.7, 0.55, 0.45, 0.37]), rows([1, 1, 0.99, 0.99], [1, 1, 1, 1]), {
      ...c,
      overall: [0.01, 0.998],
      overallToken: [0.52, 1]
    });
    expect(text).toContain("5–14개 시퀀스 2% 대 100% (+98%p), 토큰 70% 대 100% (+30%p)");
    expect(text).toContain("35+개 시퀀스 0% 대 99% (+99%p), 토큰 37% 대 100% (+63%p)");
    expect(text).toContain("비기는 구간: 시퀀스 정확도 없음, 토큰 정확도 없음");
    expect(text).toContain(
      "시퀀스 정확도로는 길이의 영향이 보이지 않지만, 토큰 정확도는 짧은 입력 70%에서 긴 입력 37%로 33%p 떨어집니다: " +
        "병목현상이 토큰 정확도에 먼저 보입니다."
    );
    // the same without a token drop: said so
    const flat = describeA1(rows([0.02, 0], [0.5, 0.45]), rows([0.9, 0.9], [0.95, 0.95]), c);
    expect(flat).toContain("토큰 정확도도 짧은 입력에서 긴 입력으로 뚜렷이 (10%p 이상) 떨어지지 않습니다.");
    expect(text).toContain("긴 입력일수록 차이가 커집니다: 토큰 정확도 (짧은 쪽 평균 +38%p, 긴 쪽 +59%p)");
    expect(text).not.toContain("긴 입력일수록 차이가 커집니다: 시퀀스");
  });
  test("nothing learned, no gain, ties everywhere in one metric, and the reverse outcome are said as they are", () => {
    const nothing = describeA1(rows([0, 0], [0.1, 0.05]), rows([0, 0.02], [0.19, 0.1]), {...c, overall: [0, 0.01]});
    expect(nothing).toContain("토큰 정확도가 모든 구간에서 20% 미만으로, 아직 거의 배우지 못했습니다");
    expect(nothing).not.toContain("길이 구간별");
    expect(describeA1(rows([0.5, 0.5]), rows([0.52, 0.48]), {...c, overall: [0.5, 0.5]})).toContain(
      "모든 구간에서 두 정확도 모두 차이가 5%p 이내입니다: 이 학습량에서는 attention의 이득이 보이지 않습니다"
    );
    const tokensTie = describeA1(rows([0.5, 0.3], [0.9, 0.9]), rows([0.7, 0.6], [0.92, 0.91]), c);
    expect(tokensTie).toContain("비기는 구간: 시퀀스 정확도 없음, 토큰 정확도 모든 구간");
    expect(tokensTie).toContain("긴 입력일수록 차이가 커집니다: 시퀀스 정확도 (짧은 쪽 평균 +20%p, 긴 쪽 +30%p)");
    const reverse = describeA1(rows([0.2, 0.9, 0.9]), rows([0.9, 0.9, 0.9]), c);
    expect(reverse).toContain(
      "이번 실행에서 시퀀스 정확도 (짧은 쪽 평균 +70%p, 긴 쪽 ±0%p), 토큰 정확도 (짧은 쪽 평균 +70%p, 긴 쪽 ±0%p)의 " +
        "차이는 오히려 짧은 입력에서 더 큽니다: 노트의 주장 (긴 입력에서의 병목현상)과 다른 결과입니다."
    );
    const worse = describeA1(rows([0.9, 0.9]), rows([0.5, 0.5]), c);
    expect(worse).toContain("5–14개 시퀀스 90% 대 50% (−40%p)");
    expect(worse).toContain("비기는 구간: 시퀀스 정확도 없음, 토큰 정확도 없음");
    expect(worse).not.toContain("커집니다");
  });
});

describe("reader's text in messages", () => {
  test("quoteShort cuts a long input at 40 characters with …; unknownNote lists at most 5", () => {
    expect(quoteShort("abc")).toBe("“abc”");
    expect(quoteShort("x".repeat(400))).toBe(`“${"x".repeat(40)}…”`);
    expect(unknownNote([])).toBe("");
    const note = unknownNote(["a", "b", "c", "d", "e", "f", "g"]);
    expect(note).toContain("“e”");
    expect(note).not.toContain("“f”");
    expect(note).toContain("외 2개");
  });
  test("describeLooks with one output token says so plainly", () => {
    const text = describeLooks([[0.2, 0.8]], ["a", "b"], ["<unk>"], {trained: false});
    expect(text).toContain("출력은 토큰 하나 (“<unk>”)뿐이고");
    expect(text).not.toContain("첫 토큰 1개");
  });
});
