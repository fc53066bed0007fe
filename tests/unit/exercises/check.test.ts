import {describe, expect, test} from "vitest";
import {checkNumber, formatAnswer, parseAnswer} from "../../../lib/exercises/check.js";

describe("checkNumber", () => {
  test("an exact answer is right and says the answer", () => {
    const r = checkNumber(12_832, 12_832);
    expect(r.ok).toBe(true);
    expect(r.message).toContain("12,832");
  });
  test("a wrong answer is wrong and says which side it is on", () => {
    expect(checkNumber(12_800, 12_832)).toMatchObject({ok: false});
    expect(checkNumber(12_800, 12_832).message).toContain("작습니다");
    expect(checkNumber(13_000, 12_832).message).toContain("큽니다");
  });
  test("a known mistake gets its own explanation", () => {
    const r = checkNumber(12_800, 12_832, {hints: [{value: 12_800, message: "bias를 빠뜨렸습니다"}]});
    expect(r).toEqual({ok: false, message: "12,800: bias를 빠뜨렸습니다"});
  });
  test("tolerance accepts rounding, and no more", () => {
    expect(checkNumber(0.289, 0.28913, {tolerance: 0.001}).ok).toBe(true);
    expect(checkNumber(0.29, 0.28813, {tolerance: 0.001}).ok).toBe(false);
  });
  test("not a number", () => {
    expect(checkNumber(NaN, 3)).toEqual({ok: false, message: "숫자를 입력하세요."});
  });
});

describe("parseAnswer and formatAnswer", () => {
  test("reads separators, signs and decimals", () => {
    expect(parseAnswer(" 12,832 ")).toBe(12_832);
    expect(parseAnswer("−3")).toBe(-3);
    expect(parseAnswer("0.5")).toBe(0.5);
    expect(parseAnswer("1e3")).toBe(1000);
    expect(parseAnswer("3x")).toBeNaN();
    expect(parseAnswer("")).toBeNaN();
  });
  test("formats integers with separators and others to 4 digits", () => {
    expect(formatAnswer(1234567)).toBe("1,234,567");
    expect(formatAnswer(0.289134)).toBe("0.2891");
  });
});
