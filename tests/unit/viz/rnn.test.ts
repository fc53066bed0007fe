import {describe, expect, test} from "vitest";
import {describeForecast, describeGradients, describeRecall, describeTiming} from "../../../lib/viz/rnn.js";

describe("describeForecast", () => {
  const rows = [
    {name: "SimpleRNN", testMae: 20, params: 100},
    {name: "LSTM", testMae: 15, params: 400},
    {name: "GRU", testMae: 16, params: 300},
    {name: "conv1d", testMae: 30, params: 90}
  ];
  test("names the best and worst and counts those beating the naive forecast", () => {
    const s = describeForecast(rows, {naiveMae: 18, epochs: 5, window: 12});
    expect(s).toContain("LSTM (15.00");
    expect(s).toContain("conv1d (30.00)");
    expect(s).toContain("LSTM, GRU뿐");
    expect(s).toContain("창 12, 5 epoch");
  });
  test("says when no model beats the naive forecast, and when the spread is too small to rank", () => {
    expect(describeForecast(rows, {naiveMae: 10, epochs: 1, window: 12})).toContain("어느 모델도");
    expect(describeForecast(rows, {naiveMae: 40, epochs: 1, window: 12})).toContain("네 모델 모두");
    const tight = rows.map((r) => ({...r, testMae: 15 + r.testMae / 100}));
    expect(describeForecast(tight, {naiveMae: 40, epochs: 1, window: 12})).toContain("순위를 말하기는 어렵");
  });
});

describe("describeGradients", () => {
  test("reports the factor between distance 1 and the farthest distance", () => {
    const s = describeGradients([
      {name: "A", points: [0, 1, 2, 3].map((d) => ({distance: d, norm: 0.5 ** d}))},
      {name: "B", points: [0, 1, 2].map((d) => ({distance: d, norm: 1}))}
    ]);
    expect(s).toContain("A: 거리 1에서 5.0e-1, 거리 3에서 1.3e-1로");
    expect(s).toContain("B: 거리 1에서 1.0e+0");
    expect(s).toContain("크게 바뀌지 않습니다");
    const steep = describeGradients([{name: "C", points: [1, 20].map((d) => ({distance: d, norm: 10 ** -d}))}]);
    expect(steep).toContain("1.0e+19배 작아집니다");
  });
});

describe("describeRecall", () => {
  const make = (name: string, accs: number[]) => accs.map((accuracy, i) => ({name, lag: [2, 5, 10][i], accuracy}));
  test("finds the last lag recalled and the first lag that fails", () => {
    const s = describeRecall([...make("SimpleRNN", [1, 0.95, 0.3]), ...make("LSTM", [1, 1, 0.97])], {
      chance: 0.25,
      epochs: 4,
      examples: 512
    });
    expect(s).toContain("SimpleRNN은 lag 5까지 90% 이상, lag 10에서 30%, 찍기와 비슷");
    expect(s).toContain("LSTM은 잰 모든 lag (최대 10)");
    expect(s).toContain("LSTM이 더 긴 lag");
  });
  test("says so when both reach the same lag", () => {
    const s = describeRecall([...make("SimpleRNN", [0.5, 0.3, 0.2]), ...make("LSTM", [0.4, 0.3, 0.3])], {
      chance: 0.25,
      epochs: 1,
      examples: 64
    });
    expect(s).toContain("차이가 드러나지 않았습니다");
  });
});

describe("describeTiming", () => {
  test("names where attention is faster and where it is slower", () => {
    const s = describeTiming(
      [
        {length: 16, rnnMs: 2, attentionMs: 0.5},
        {length: 256, rnnMs: 30, attentionMs: 10},
        {length: 1024, rnnMs: 120, attentionMs: 200}
      ],
      "webgl"
    );
    expect(s).toContain("webgl backend");
    expect(s).toContain("64.00배");
    expect(s).toContain("더 빠른 길이는 16, 256, 더 느린 길이는 1024");
    expect(s).toContain("T²");
  });
  test("all slower and all faster", () => {
    expect(
      describeTiming(
        [
          {length: 1, rnnMs: 1, attentionMs: 2},
          {length: 2, rnnMs: 1, attentionMs: 3}
        ],
        "cpu"
      )
    ).toContain("모든 길이에서 attention이 더 느렸습니다");
    expect(
      describeTiming(
        [
          {length: 1, rnnMs: 3, attentionMs: 2},
          {length: 2, rnnMs: 4, attentionMs: 3}
        ],
        "cpu"
      )
    ).toContain("모든 길이에서 attention이 더 빨랐습니다");
  });
});
