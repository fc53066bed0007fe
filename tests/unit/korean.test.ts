import {describe, expect, test} from "vitest";
import {withParticle} from "../../lib/korean.js";

describe("withParticle", () => {
  test("numbers, by the Sino-Korean reading of their end", () => {
    // 칠은, 사는, 만이천팔백삼십이는 (…이), 삼 점 오는, 십은, 백은
    expect(withParticle("7", "은/는")).toBe("7은");
    expect(withParticle("4", "은/는")).toBe("4는");
    expect(withParticle("12,832", "은/는")).toBe("12,832는");
    expect(withParticle("3.5", "은/는")).toBe("3.5는");
    expect(withParticle("10", "은/는")).toBe("10은");
    expect(withParticle("100", "이/가")).toBe("100이");
    expect(withParticle("32×32", "이/가")).toBe("32×32가");
    expect(withParticle("2…4", "을/를")).toBe("2…4를");
  });
  test("으로/로: 로 after a vowel or ㄹ", () => {
    expect(withParticle("1", "으로/로")).toBe("1로");
    expect(withParticle("3", "으로/로")).toBe("3으로");
    expect(withParticle("2", "으로/로")).toBe("2로");
  });
  test("Hangul and Latin words", () => {
    expect(withParticle("필터", "을/를")).toBe("필터를");
    expect(withParticle("층", "을/를")).toBe("층을");
    expect(withParticle("ResNet-50", "을/를")).toBe("ResNet-50을");
    expect(withParticle("VGG-19", "을/를")).toBe("VGG-19를");
    expect(withParticle("AlexNet", "을/를")).toBe("AlexNet을");
    expect(withParticle("softmax", "은/는")).toBe("softmax는");
  });
  test("unknown endings keep both forms", () => {
    expect(withParticle("?", "은/는")).toBe("?은(는)");
  });
});
