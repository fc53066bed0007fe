import {describe, expect, test} from "vitest";
import {
  dateExamples,
  englishDate,
  calendarDate,
  koreanDate,
  sourceTokens,
  targetTokens
} from "../../../lib/data/dates.js";
import {
  describeBottleneck,
  describeDecodeTimes,
  describeOwnInput,
  describeProjection,
  describeTask,
  describeTranslation,
  diagramColumns,
  lengthBuckets,
  lengthSpread,
  taskFacts,
  timeFit,
  tokenRun,
  yearPositions
} from "../../../lib/viz/seq2seq.js";

const cond = {units: 64, embedding: 32, epochs: 10, trainExamples: 4000, testExamples: 500};

describe("lengthSpread", () => {
  test("a full histogram from min to max and nearest-rank quantiles", () => {
    const s = lengthSpread([5, 7, 7, 9, 12]);
    expect(s.counts.map((c) => c.count)).toEqual([1, 0, 2, 0, 1, 0, 0, 1]);
    expect([s.min, s.max, s.median, s.p10, s.p90]).toEqual([5, 12, 7, 5, 12]);
    expect(lengthSpread([]).counts).toEqual([]);
  });
});

describe("tokens and the reordering", () => {
  test("tokenRun finds a run, or −1", () => {
    expect(tokenRun(["a", "b", "c", "b", "c"], ["b", "c"])).toBe(1);
    expect(tokenRun(["a"], ["a", "b"])).toBe(-1);
    expect(tokenRun(["a"], [])).toBe(-1);
  });
  test("the year moves from the end of the source to the front of the target (hand-counted positions)", () => {
    const d = calendarDate(2026, 11, 29);
    const long = yearPositions(sourceTokens(englishDate(d, "long")), targetTokens(koreanDate(d, false)), 2026);
    // november 2 9 , 2 0 2 6: the year starts at token 5; the target starts with it
    expect(long).toEqual({source: 5, target: 1, digits: 4});
    const short = yearPositions(sourceTokens(englishDate(d, "us-short")), targetTokens(koreanDate(d, false)), 2026);
    // 1 1 / 2 9 / 2 6: the two-digit year at token 7
    expect(short).toEqual({source: 7, target: 1, digits: 2});
  });
  test("lengthBuckets start at the shortest length, every width tokens", () => {
    expect(lengthBuckets([7, 9, 30, 12], 8)).toEqual([7, 15, 23]);
    expect(lengthBuckets([5], 8)).toEqual([5]);
    expect(lengthBuckets([], 8)).toEqual([]);
  });
  test("diagramColumns keeps short lists and cuts long ones to head, gap, tail", () => {
    expect(diagramColumns(4, 7)).toEqual([0, 1, 2, 3]);
    expect(diagramColumns(20, 7, 2)).toEqual([0, 1, 2, 3, null, 18, 19]);
  });
});

describe("taskFacts", () => {
  const examples = dateExamples({count: 300, seed: 5});
  const f = taskFacts(examples);
  test("counts agree with a direct recount of the examples", () => {
    const lengths = examples.map((e) => sourceTokens(e.source).length);
    expect(f.sourceLengths.min).toBe(Math.min(...lengths));
    expect(f.sourceLengths.max).toBe(Math.max(...lengths));
    const iso = examples.filter((e) => e.formats[0] === "iso").length;
    // every first date but an ISO one has its year after the start of the source
    expect(f.yearMoved).toBe(examples.length - iso);
    const dates = examples.reduce((s, e) => s + e.dates.length, 0);
    expect(f.named.dates + f.unnamed.dates).toBe(dates);
    expect(f.named.withWeekday).toBe(f.named.dates);
    expect(f.unnamed.withWeekday).toBe(0);
  });
  test("the sentences carry the numbers", () => {
    const t = describeTask(f);
    expect(t.order).toContain(`${f.yearMoved}개에서`);
    expect(t.length).toContain(`${f.sourceLengths.min}–${f.sourceLengths.max} 토큰`);
    expect(t.weekday).toContain(`${f.named.dates}개 중 ${f.named.withWeekday}개`);
  });
});

describe("describeTranslation", () => {
  test("counts, both accuracies and the conditions", () => {
    const s = describeTranslation({sequenceAccuracy: 0.4, tokenAccuracy: 0.9, correct: 200, total: 500}, cond);
    expect(s).toContain("500개 중 200개 (시퀀스 정확도 40.0%)");
    expect(s).toContain("토큰 정확도는 90.0%");
    expect(s).toContain("units 64, embedding 32, 학습 예제 4,000개, 10 epoch");
    expect(s).toContain("토큰 하나만 틀려도");
    expect(
      describeTranslation({sequenceAccuracy: 0.4, tokenAccuracy: 0.5, correct: 2, total: 5}, {...cond, epochs: 2.25})
    ).toContain("2.3 epoch");
    expect(describeTranslation({sequenceAccuracy: 0.01, tokenAccuracy: 0.3, correct: 5, total: 500}, cond)).toContain(
      "학습 시간과 최대 epoch을 늘려"
    );
  });
});

describe("describeBottleneck", () => {
  const b = (
    length: number,
    end: number | undefined,
    examples: number,
    sequenceAccuracy: number,
    tokenAccuracy: number
  ) => ({length, end, examples, sequenceAccuracy, tokenAccuracy});
  const timed = {...cond, epochs: 2.5, seconds: 60.2};
  test("a sequence drop: both metrics of the short and the long bucket, the size of the drop, why", () => {
    const s = describeBottleneck(
      [b(0, 7, 2, 1, 1), b(8, 15, 50, 0.9, 0.97), b(16, 23, 60, 0.5, 0.9), b(24, undefined, 40, 0.3, 0.8)],
      cond
    );
    expect(s).toBe(
      "입력 토큰 8–15개에서 시퀀스 정확도 90%, 토큰 정확도 97% (50개), 24개 이상에서 시퀀스 정확도 30%, 토큰 정확도 80% " +
        "(40개)입니다 (held-out greedy decoding; units 64, embedding 32, 학습 예제 4,000개, 10 epoch). 긴 입력에서 " +
        "시퀀스 정확도가 60%p (3.0배), 토큰 정확도가 17%p 떨어집니다: 크기가 고정된 context vector (units 64)는 긴 " +
        "입력일수록 더 많은 것을 잃어, 틀리는 토큰이 늘어납니다. 입력 전체를 context vector 하나에 담은 대가입니다."
    );
    // the long bucket at 0: no ratio; the token drop under 10%p: not named
    const s0 = describeBottleneck([b(8, 15, 50, 0.4, 0.9), b(16, undefined, 50, 0, 0.85)], cond);
    expect(s0).toContain("시퀀스 정확도가 40%p 떨어집니다:");
  });
  test("sequence accuracy near 0 everywhere: the token accuracy's drop, with the conditions (the measured case)", () => {
    const s = describeBottleneck(
      [b(6, 13, 120, 0.03, 0.71), b(14, 21, 150, 0, 0.55), b(22, 29, 130, 0.01, 0.45), b(30, undefined, 100, 0, 0.37)],
      timed
    );
    expect(s).toBe(
      "입력 토큰 6–13개에서 시퀀스 정확도 3%, 토큰 정확도 71% (120개), 30개 이상에서 시퀀스 정확도 0%, 토큰 정확도 37% " +
        "(100개)입니다 (held-out greedy decoding; units 64, embedding 32, 학습 예제 4,000개, 2.5 epoch, 60초). 시퀀스 " +
        "정확도는 모든 길이에서 거의 0 (가장 높은 구간 3%)입니다: 예제마다 토큰이 수십 개라, 하나만 틀려도 그 예는 " +
        "틀립니다. 그러나 토큰 정확도는 71%에서 37%로 34%p 떨어집니다: 크기가 고정된 context vector (units 64)는 긴 " +
        "입력일수록 더 많은 것을 잃어, 틀리는 토큰이 늘어납니다. 병목현상이 토큰 정확도에 먼저 보이는 것입니다 (학습 " +
        "초기에는 긴 출력의 뒷부분을 아직 덜 배운 몫도 섞여 있습니다: 6장의 A1이 attention 모델과 나란히 재어 둘을 " +
        "가릅니다). 더 오래 학습하면 짧은 입력부터 시퀀스 정확도가 오를 것이라 예상할 수 있습니다: 위 S1의 학습 " +
        "시간과 최대 epoch을 늘려 다시 재 보세요."
    );
  });
  test("sequence accuracy near 0: a token rise, no token change, nothing learned — each said honestly", () => {
    const rise = describeBottleneck([b(8, 15, 50, 0.01, 0.4), b(16, undefined, 50, 0, 0.6)], cond);
    expect(rise).toContain("토큰 정확도는 오히려 긴 입력에서 20%p 높습니다: 이 조건에서는 병목현상이 보이지 않습니다");
    const flat = describeBottleneck([b(8, 15, 50, 0.01, 0.5), b(16, undefined, 50, 0, 0.45)], cond);
    expect(flat).toContain(
      "토큰 정확도도 길이에 따라 뚜렷이 (10%p 이상) 달라지지 않아, 길이의 영향을 말할 수 없습니다"
    );
    // token accuracy under 20% everywhere: a drop there is no evidence, the model has learned next to nothing
    const nothing = describeBottleneck([b(8, 15, 50, 0.01, 0.19), b(16, undefined, 50, 0, 0.05)], cond);
    expect(nothing).toContain("토큰 정확도도 모든 구간에서 20% 미만 (가장 높은 구간 19%)이라, 모델이 아직 거의 배우지");
    expect(nothing).not.toContain("떨어집니다");
  });
  test("sequence accuracy learned: no drop, a rise, a token-only drop, too few examples", () => {
    const flat = describeBottleneck([b(8, 15, 50, 0.9, 0.98), b(16, undefined, 50, 0.88, 0.97)], cond);
    expect(flat).toContain("길이에 따른 뚜렷한 하락 (10%p 이상)이 없습니다");
    const rise = describeBottleneck([b(8, 15, 50, 0.5, 0.9), b(16, undefined, 50, 0.8, 0.95)], cond);
    expect(rise).toContain("오히려 긴 입력이 더 잘 맞았습니다");
    const tokenOnly = describeBottleneck([b(8, 15, 50, 0.3, 0.9), b(16, undefined, 50, 0.25, 0.7)], cond);
    expect(tokenOnly).toContain("시퀀스 정확도에는 뚜렷한 하락 (10%p 이상)이 없지만, 토큰 정확도는 긴 입력에서 20%p");
    expect(describeBottleneck([b(8, 15, 50, 0.9, 0.9), b(16, undefined, 2, 0, 0)], cond)).toContain("평가 예제를 늘려");
  });
});

describe("describeProjection, describeDecodeTimes, describeOwnInput", () => {
  test("explained variance in the sentence, and a warning when the axes keep little", () => {
    expect(describeProjection([0.5, 0.2], 300, 64, "첫 날짜의 월")).toContain("합쳐 70%");
    expect(describeProjection([0.2, 0.1], 300, 64, "월")).toContain("나머지 70%");
  });
  test("decode times: the least-squares slope, growth or not", () => {
    const rows = [4, 8, 16, 32].map((length) => ({length, ms: 2 + 0.5 * length}));
    expect(timeFit(rows).slope).toBeCloseTo(0.5, 10);
    expect(timeFit(rows).intercept).toBeCloseTo(2, 10);
    const s = describeDecodeTimes(rows, {backend: "cpu", batch: 32});
    expect(s).toContain("출력 4 토큰에 4.0 ms, 32 토큰에 18.0 ms");
    expect(s).toContain("약 0.50 ms씩");
    const flat = describeDecodeTimes(
      [4, 32].map((length) => ({length, ms: 10})),
      {backend: "cpu", batch: 1}
    );
    expect(flat).toContain("뚜렷이 늘지 않았습니다");
    // longer but a noisy fall in between: a negative slope is never called growth
    const noisy = describeDecodeTimes(
      [
        {length: 4, ms: 17},
        {length: 8, ms: 45},
        {length: 16, ms: 40},
        {length: 32, ms: 27.2}
      ],
      {backend: "wasm", batch: 32}
    );
    expect(noisy).toContain("뚜렷이 늘지 않았습니다");
  });
  test("own input: right, wrong with the answer, unknown format, unknown words", () => {
    expect(describeOwnInput({output: "a", reference: "a", unknown: [], truncated: false})).toMatch(/^맞음/);
    expect(describeOwnInput({output: "a", reference: "b", unknown: [], truncated: false})).toContain('정답은 "b"');
    expect(describeOwnInput({output: "a", reference: null, unknown: ["tomorrow"], truncated: true})).toMatch(
      /판정할 수 없습니다.*"tomorrow".*잘렸습니다/
    );
  });
});
