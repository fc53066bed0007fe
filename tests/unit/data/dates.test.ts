/**
 * Chapters 5 「Seq2Seq」 and 6 「Attention」: the date task. The calendar against hand-known dates and a naive day
 * count; each format against hand examples; every generated target against the reference parser and a Korean date
 * written out here; the tokenizers, the tensors and the held-out split.
 */
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {
  calendarDate,
  civilFromDays,
  dateExamples,
  dateTask,
  daysFromCivil,
  encodePairs,
  encodeSource,
  END,
  englishDate,
  joinTarget,
  koreanDate,
  namesWeekday,
  ordinalSuffix,
  PAD,
  parseSource,
  parseSourceDetailed,
  referenceTarget,
  SOURCE_FORMATS,
  SOURCE_VOCAB,
  sourceTokens,
  START,
  TARGET_VOCAB,
  targetTokens,
  UNK,
  weekdayOf,
  type CalendarDate,
  type DateExample,
  type SourceFormat
} from "../../../lib/data/dates.js";

const SUN = 0,
  MON = 1,
  TUE = 2,
  THU = 4,
  FRI = 5,
  SAT = 6;

describe("calendar", () => {
  test("weekdays of hand-known dates", () => {
    expect(weekdayOf(2026, 11, 29)).toBe(SUN);
    expect(weekdayOf(2000, 1, 1)).toBe(SAT);
    expect(weekdayOf(1969, 7, 20)).toBe(SUN); // Apollo 11 landing
    expect(weekdayOf(2000, 2, 29)).toBe(TUE);
    expect(weekdayOf(2024, 2, 29)).toBe(THU);
    expect(weekdayOf(1970, 1, 1)).toBe(THU);
    expect(weekdayOf(1950, 1, 1)).toBe(SUN);
    expect(weekdayOf(2049, 12, 31)).toBe(FRI);
    // outside the task's years: 1900 is not a leap year, 1600 is
    expect(weekdayOf(1900, 1, 1)).toBe(MON);
    expect(weekdayOf(1900, 3, 1)).toBe(THU);
    expect(weekdayOf(1600, 2, 29)).toBe(TUE);
  });

  test("every day of 1950–2049 against a naive day-by-day count", () => {
    // within these years every fourth year is a leap year (2000 is divisible by 400)
    const lengths = (y: number) => [31, y % 4 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let weekday = SUN; // 1950-01-01
    let days = daysFromCivil(1950, 1, 1);
    for (let y = 1950; y <= 2049; y++) {
      lengths(y).forEach((n, m) => {
        for (let d = 1; d <= n; d++) {
          if (weekdayOf(y, m + 1, d) !== weekday) throw new Error(`${y}-${m + 1}-${d}`);
          if (daysFromCivil(y, m + 1, d) !== days) throw new Error(`days ${y}-${m + 1}-${d}`);
          const c = civilFromDays(days);
          if (c.year !== y || c.month !== m + 1 || c.day !== d || c.weekday !== weekday) throw new Error(`civil ${days}`);
          weekday = (weekday + 1) % 7;
          days++;
        }
      });
    }
    expect(days - daysFromCivil(1950, 1, 1)).toBe(36525);
  });
});

describe("formats", () => {
  const nov29 = calendarDate(2026, 11, 29);
  const mar4 = calendarDate(2021, 3, 4);

  test("each English format on hand examples", () => {
    const expected: Record<SourceFormat, [string, string]> = {
      long: ["November 29, 2026", "March 4, 2021"],
      "weekday-long": ["Sunday, November 29, 2026", "Thursday, March 4, 2021"],
      short: ["Nov 29, 2026", "Mar 4, 2021"],
      "weekday-short": ["Sun, Nov 29, 2026", "Thu, Mar 4, 2021"],
      "day-month": ["29 November 2026", "4 March 2021"],
      ordinal: ["the 29th of November, 2026", "the 4th of March, 2021"],
      "us-numeric": ["11/29/2026", "3/4/2021"],
      "us-short": ["11/29/26", "3/4/21"],
      iso: ["2026-11-29", "2021-03-04"]
    };
    expect([...SOURCE_FORMATS].sort()).toEqual(Object.keys(expected).sort());
    for (const f of SOURCE_FORMATS) {
      expect(englishDate(nov29, f)).toBe(expected[f][0]);
      expect(englishDate(mar4, f)).toBe(expected[f][1]);
    }
    expect(englishDate(calendarDate(1999, 9, 1), "us-short")).toBe("9/1/99");
    expect(englishDate(calendarDate(2005, 9, 1), "us-short")).toBe("9/1/05");
    expect(englishDate(calendarDate(2005, 9, 1), "weekday-short")).toBe("Thu, Sep 1, 2005");
    expect(SOURCE_FORMATS.filter(namesWeekday)).toEqual(["weekday-long", "weekday-short"]);
  });

  test("ordinal suffixes", () => {
    const days = [1, 2, 3, 4, 10, 11, 12, 13, 14, 20, 21, 22, 23, 24, 30, 31];
    const suffixes = ["st", "nd", "rd", "th", "th", "th", "th", "th", "th", "th", "st", "nd", "rd", "th", "th", "st"];
    expect(days.map(ordinalSuffix)).toEqual(suffixes);
  });

  test("Korean dates, with the weekday only when asked", () => {
    expect(koreanDate(nov29, true)).toBe("2026년 11월 29일 일요일");
    expect(koreanDate(nov29, false)).toBe("2026년 11월 29일");
    expect(koreanDate(calendarDate(2026, 11, 30), true)).toBe("2026년 11월 30일 월요일");
    expect(koreanDate(calendarDate(2026, 12, 5), true)).toBe("2026년 12월 5일 토요일");
  });
});

/** The target written out independently: "YYYY년 M월 D일" (+ weekday when the format names one), joined ", ". */
function expectedTarget(dates: CalendarDate[], formats: SourceFormat[]): string {
  const names = ["일요일", "월요일", "화요일", "수요일", "목요일", "금요일", "토요일"];
  return dates
    .map((d, i) => {
      const withDay = formats[i] === "weekday-long" || formats[i] === "weekday-short";
      return `${d.year}년 ${d.month}월 ${d.day}일` + (withDay ? ` ${names[d.weekday]}` : "");
    })
    .join(", ");
}

describe("dateExamples", () => {
  test("seeded: same seed, same list; another seed, another list", () => {
    const a = dateExamples({count: 50, seed: 4});
    expect(dateExamples({count: 50, seed: 4})).toEqual(a);
    expect(dateExamples({count: 50, seed: 5}).map((e) => e.source)).not.toEqual(a.map((e) => e.source));
  });

  test("every target follows its source, over 4000 examples", () => {
    const examples = dateExamples({count: 4000, seed: 11, maxDates: 4});
    for (const e of examples) {
      const parsed = parseSource(e.source);
      if (!parsed) throw new Error(`not parsed: ${e.source}`);
      expect(parsed).toEqual(e.dates);
      expect(e.source).toBe(e.dates.map((d, i) => englishDate(d, e.formats[i])).join(" and "));
      const target = expectedTarget(e.dates, e.formats);
      if (e.target !== target) throw new Error(`${e.source}: ${e.target} ≠ ${target}`);
      expect(referenceTarget(e.source)).toBe(target);
      for (const d of e.dates) {
        expect(d.year).toBeGreaterThanOrEqual(1950);
        expect(d.year).toBeLessThanOrEqual(2049);
        expect(d.weekday).toBe(weekdayOf(d.year, d.month, d.day));
      }
    }
  });

  test("formats and date counts are uniform; years, months and days cover their range", () => {
    const examples = dateExamples({count: 6000, seed: 2, minDates: 1, maxDates: 3});
    const counts = [0, 0, 0];
    const formats = new Map<SourceFormat, number>();
    const years = new Set<number>();
    const days = new Set<number>();
    let total = 0;
    for (const e of examples) {
      counts[e.dates.length - 1]++;
      e.formats.forEach((f) => formats.set(f, (formats.get(f) ?? 0) + 1));
      e.dates.forEach((d) => (years.add(d.year), days.add(d.day)));
      total += e.dates.length;
    }
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(150); // ≈ 4.4 standard deviations
    expect(formats.size).toBe(9);
    for (const c of formats.values()) expect(Math.abs(c - total / 9)).toBeLessThan(200);
    expect(years.size).toBe(100);
    expect(days.size).toBe(31);
    const fixed = dateExamples({count: 100, seed: 3, minDates: 2, maxDates: 2});
    expect(fixed.every((e) => e.dates.length === 2 && e.source.split(" and ").length === 2)).toBe(true);
  });

  test("source lengths range widely: one date is 6–11 tokens, four dates reach past 40", () => {
    const lengths = (maxDates: number) =>
      dateExamples({count: 3000, seed: 1, maxDates}).map((e) => sourceTokens(e.source).length);
    const one = lengths(1);
    expect(Math.min(...one)).toBe(6); // "3/4/21", "4 March 1950"
    expect(Math.max(...one)).toBe(11); // "the 29th of September, 2026"
    const four = lengths(4);
    expect(Math.min(...four)).toBe(6);
    expect(Math.max(...four)).toBeGreaterThan(40);
  });
});

describe("the reference parser", () => {
  test("case and spacing are free (as for the tokens), two-digit years 50–99 → 19xx, 00–49 → 20xx", () => {
    expect(parseSource("NOVEMBER 29,2026")).toEqual([calendarDate(2026, 11, 29)]);
    expect(parseSource("  sun ,  nov 29 , 2026 ")).toEqual([calendarDate(2026, 11, 29)]);
    expect(parseSource("1/1/49")).toEqual([calendarDate(2049, 1, 1)]);
    expect(parseSource("1/1/50")).toEqual([calendarDate(1950, 1, 1)]);
    expect(parseSource("12/31/00 and May 5, 1999")).toEqual([calendarDate(2000, 12, 31), calendarDate(1999, 5, 5)]);
    expect(referenceTarget("Sun, Nov 29, 2026 and 3/4/21")).toBe("2026년 11월 29일 일요일, 2021년 3월 4일");
  });

  test("says what is wrong", () => {
    const problem = (text: string) => {
      const p = parseSourceDetailed(text);
      return p.ok ? "ok" : `${p.problem}: ${p.part}`;
    };
    expect(problem("")).toBe("empty: ");
    expect(problem("November 29 2026")).toBe("format: november 2 9 ▁ 2 0 2 6"); // no comma: not a task format
    expect(problem("Nov 29, 2026 and")).toBe("format: ");
    expect(problem("Novembre 29, 2026")).toBe("format: novembre 2 9 , 2 0 2 6");
    expect(problem("February 30, 2026")).toBe("date: february 3 0 , 2 0 2 6");
    expect(problem("2/29/2025")).toBe("date: 2 / 2 9 / 2 0 2 5");
    expect(problem("2/29/2024")).toBe("ok");
    expect(problem("1/1/2050")).toBe("year: 1 / 1 / 2 0 5 0");
    expect(problem("Monday, November 29, 2026")).toBe("weekday: monday , november 2 9 , 2 0 2 6");
    expect(problem("the 29st of November, 2026")).toBe("ordinal: the 2 9 st of november , 2 0 2 6");
    expect(problem("2026-1-29")).toBe("format: 2 0 2 6 - 1 - 2 9"); // ISO pads to two digits
    expect(referenceTarget("hello")).toBeNull();
  });
});

describe("tokens", () => {
  test("source tokens: words lowercased, one per digit, punctuation, ▁ between digits only", () => {
    expect(sourceTokens("Sunday, November 29, 2026")).toEqual(["sunday", ",", "november", "2", "9", ",", "2", "0", "2", "6"]);
    expect(sourceTokens("the 29th of November, 2026")).toEqual(
      ["the", "2", "9", "th", "of", "november", ",", "2", "0", "2", "6"]
    );
    expect(sourceTokens("11/29/26 and 2026-11-29")).toEqual(
      ["1", "1", "/", "2", "9", "/", "2", "6", "and", "2", "0", "2", "6", "-", "1", "1", "-", "2", "9"]
    );
    expect(sourceTokens("29 2026")).toEqual(["2", "9", "▁", "2", "0", "2", "6"]);
    expect(sourceTokens("29  November")).toEqual(["2", "9", "november"]);
    expect(sourceTokens(" 7 ")).toEqual(["7"]);
    expect(sourceTokens("Nov. 3!")).toEqual(["nov", ".", "3", "!"]);
  });

  test("target tokens and back", () => {
    const text = "2026년 11월 29일 일요일, 2021년 3월 4일";
    const tokens = ["2", "0", "2", "6", "년", "1", "1", "월", "2", "9", "일", "일요일", ","];
    expect(targetTokens(text)).toEqual([...tokens, "2", "0", "2", "1", "년", "3", "월", "4", "일"]);
    expect(joinTarget(targetTokens(text))).toBe(text);
    expect(joinTarget([...tokens.slice(0, 12), "<end>", "1"])).toBe("2026년 11월 29일 일요일");
    expect(joinTarget(["<start>", "1", "<pad>", "월"])).toBe("1월");
    for (const e of dateExamples({count: 2000, seed: 8, maxDates: 4})) {
      const ts = targetTokens(e.target);
      if (joinTarget(ts) !== e.target) throw new Error(e.target);
      expect(ts.every((t) => TARGET_VOCAB.id(t) !== UNK)).toBe(true);
      expect(sourceTokens(e.source).every((t) => SOURCE_VOCAB.id(t) !== UNK)).toBe(true);
    }
  });

  test("ill-formed output does not throw", () => {
    const rand = (() => {
      let s = 7;
      return () => (s = (s * 48271) % 2147483647) / 2147483647;
    })();
    for (let k = 0; k < 200; k++) {
      const tokens = Array.from({length: Math.floor(rand() * 20)}, () => {
        return TARGET_VOCAB.tokens[Math.floor(rand() * TARGET_VOCAB.size)];
      });
      expect(typeof joinTarget(tokens)).toBe("string");
    }
    expect(joinTarget([",", ",", "일요일", "일요일", "년"])).toBe(",, 일요일 일요일년");
    expect(joinTarget([])).toBe("");
  });

  test("vocabularies: fixed lists, specials first, unknown → UNK", () => {
    for (const v of [SOURCE_VOCAB, TARGET_VOCAB]) {
      expect(v.tokens.slice(0, 4)).toEqual(["<pad>", "<start>", "<end>", "<unk>"]);
      expect(new Set(v.tokens).size).toBe(v.size);
      v.tokens.forEach((t, i) => expect(v.id(t)).toBe(i));
    }
    expect([PAD, START, END, UNK]).toEqual([0, 1, 2, 3]);
    // 10 digits, 4 punctuation/▁, 7 words, 12 months, 11 abbreviations (May once), 7 weekdays, 7 abbreviations
    expect(SOURCE_VOCAB.size).toBe(4 + 10 + 4 + 7 + 12 + 11 + 7 + 7);
    expect(TARGET_VOCAB.size).toBe(4 + 10 + 3 + 7 + 1);
    expect(SOURCE_VOCAB.id("novembre")).toBe(UNK);
    expect(TARGET_VOCAB.id("요일")).toBe(UNK);
  });
});

describe("tensors", () => {
  test("encodePairs: left-padded source, START + tokens, tokens + END, PAD elsewhere", () => {
    const examples: DateExample[] = [
      {source: "3/4/21", target: "2021년 3월 4일", dates: [calendarDate(2021, 3, 4)], formats: ["us-short"]},
      {
        source: "Sun, Nov 29, 2026",
        target: "2026년 11월 29일 일요일",
        dates: [calendarDate(2026, 11, 29)],
        formats: ["weekday-short"]
      }
    ];
    const e = encodePairs(examples, {source: 10, target: 14});
    expect(e.source.shape).toEqual([2, 10]);
    expect(e.decoderInput.shape).toEqual([2, 14]);
    expect(e.target.shape).toEqual([2, 14]);
    expect([e.source.dtype, e.decoderInput.dtype, e.target.dtype]).toEqual(["int32", "int32", "int32"]);
    expect(e.sourceLengths).toEqual([6, 10]);
    const s = (t: string) => SOURCE_VOCAB.id(t);
    const y = (t: string) => TARGET_VOCAB.id(t);
    const src = e.source.arraySync();
    expect(src[0]).toEqual([0, 0, 0, 0, s("3"), s("/"), s("4"), s("/"), s("2"), s("1")]);
    expect(src[1]).toEqual(["sun", ",", "nov", "2", "9", ",", "2", "0", "2", "6"].map(s));
    const first = ["2", "0", "2", "1", "년", "3", "월", "4", "일"].map(y);
    expect(e.decoderInput.arraySync()[0]).toEqual([START, ...first, PAD, PAD, PAD, PAD]);
    expect(e.target.arraySync()[0]).toEqual([...first, END, PAD, PAD, PAD, PAD]);
    const second = ["2", "0", "2", "6", "년", "1", "1", "월", "2", "9", "일", "일요일"].map(y);
    expect(e.decoderInput.arraySync()[1]).toEqual([START, ...second, PAD]);
    expect(e.target.arraySync()[1]).toEqual([...second, END, PAD]);
    tf.dispose([e.source, e.decoderInput, e.target]);
    expect(() => encodePairs(examples, {source: 9, target: 14})).toThrow(/source tokens/);
    expect(() => encodePairs(examples, {source: 10, target: 12})).toThrow(/target tokens/);
  });

  test("encodeSource: the reader's input, unknown words and truncation reported", () => {
    const r = encodeSource(["Nov 29, 2026", "Novembre 29, 2026 ?", "the 29th of November, 2026 and 1/1/21"], 12);
    expect(r.source.shape).toEqual([3, 12]);
    expect(r.source.dtype).toBe("int32");
    expect(r.lengths).toEqual([8, 9, 12]);
    expect(r.unknown).toEqual([[], ["novembre", "?"], []]);
    expect(r.truncated).toEqual([false, false, true]);
    const rows = r.source.arraySync();
    expect(rows[1].slice(0, 3)).toEqual([PAD, PAD, PAD]);
    expect(rows[1][3]).toBe(UNK);
    expect(rows[1][11]).toBe(UNK);
    expect(rows[2][11]).toBe(SOURCE_VOCAB.id("and")); // the first 12 tokens are kept
    r.source.dispose();
  });
});

describe("dateTask", () => {
  test("held-out test shares no source with train; lengths are the maxima (+ END)", () => {
    const task = dateTask({train: 3000, test: 500, seed: 3, maxDates: 1});
    expect(task.train.length).toBe(3000);
    expect(task.test.length).toBe(500);
    const train = new Set(task.train.map((e) => e.source));
    expect(task.test.some((e) => train.has(e.source))).toBe(false);
    const all = [...task.train, ...task.test];
    expect(task.sourceLength).toBe(Math.max(...all.map((e) => sourceTokens(e.source).length)));
    expect(task.targetLength).toBe(Math.max(...all.map((e) => targetTokens(e.target).length)) + 1);
    expect(task.sourceLength).toBe(11);
    expect(task.targetLength).toBe(13); // "2026년 11월 29일 일요일" = 12 tokens, + END
    expect(dateTask({train: 3000, test: 500, seed: 3, maxDates: 1})).toEqual(task);
    const e = encodePairs(task.test, {source: task.sourceLength, target: task.targetLength});
    tf.dispose([e.source, e.decoderInput, e.target]);
  });

  test("defaults: up to 3 dates per example, a disjoint test set", () => {
    const task = dateTask({train: 200, test: 50, seed: 9});
    const train = new Set(task.train.map((e) => e.source));
    expect(task.test.every((e) => !train.has(e.source))).toBe(true);
    expect(task.train.some((e) => e.dates.length === 3)).toBe(true);
  });
});
