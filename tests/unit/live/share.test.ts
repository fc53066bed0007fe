import {describe, expect, test} from "vitest";
import {decodeShare, encodeShare} from "../../../lib/live/share.js";

describe("share links", () => {
  test("round trip of any text, Korean, emoji and markup included", () => {
    for (const code of ["1 + 1", "const 한글 = '😀';", "</script><img onerror=x>", "x".repeat(100_000), ""]) {
      expect(decodeShare(`#${encodeShare("cell-3", code)}`)).toEqual({cellId: "cell-3", code});
    }
  });
  test("the hash is URL-safe base64 of the UTF-8 bytes", () => {
    expect(encodeShare("a", "hi?")).toBe("share=a.aGk_"); // "hi?" = 68 69 3f -> aGk/ -> aGk_
  });
  test("no share, a broken one, or invalid UTF-8: undefined", () => {
    expect(decodeShare("#intro")).toBeUndefined();
    expect(decodeShare("#share=cell-1.%%%")).toBeUndefined();
    expect(decodeShare("#share=cell-1.gA")).toBeUndefined(); // 0x80 alone is not UTF-8
  });
});
