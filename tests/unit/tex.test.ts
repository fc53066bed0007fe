import {afterEach, describe, expect, test, vi} from "vitest";
import katex from "katex";
import {groupDigits, renderTex} from "../../lib/tex.js";

afterEach(() => vi.restoreAllMocks());

test("typesets inline and display formulas", () => {
  const inline = renderTex(String.raw`\frac{n + 2p - f}{s} + 1`);
  expect(inline.error).toBeUndefined();
  expect(inline.html).toContain('class="katex"');
  expect(inline.html).toContain("<math");
  expect(inline.html).not.toContain("katex-display");
  expect(renderTex("x^2", true).html).toContain("katex-display");
});

test("a formula that does not parse shows KaTeX's message in place and logs nothing", () => {
  const error = vi.spyOn(console, "error");
  const warn = vi.spyOn(console, "warn");
  const bad = renderTex(String.raw`\frac{1}{`);
  expect(bad.error).toMatch(/^KaTeX parse error: Unexpected end of input/);
  expect(bad.html).toMatch(/^<span class="katex-error" title="\\frac\{1\}\{">KaTeX parse error/);
  expect(renderTex(String.raw`\notacommand`).html).toContain("Undefined control sequence");
  expect(error).not.toHaveBeenCalled();
  expect(warn).not.toHaveBeenCalled();
});

test("the source is escaped in the tooltip", () => {
  expect(renderTex(String.raw`\frac{"<b>"}{`).html).toContain('title="\\frac{&quot;&lt;b&gt;&quot;}{"');
});

test("Korean inside \\text{} typesets without a warning", () => {
  const warn = vi.spyOn(console, "warn");
  expect(renderTex(String.raw`\text{정의되지 않음}`).error).toBeUndefined();
  expect(warn).not.toHaveBeenCalled();
});

describe("groupDigits", () => {
  test("thousands separators become ordinary commas; other commas keep their spacing", () => {
    expect(groupDigits("= 73,728 + 1,234,567")).toBe("= 73{,}728 + 1{,}234{,}567");
    expect(groupDigits("(1, 2) f(x,y) 3,14")).toBe("(1, 2) f(x,y) 3,14");
    expect(groupDigits("12,8320")).toBe("12,8320");
  });
  test("renderTex typesets 73,728 as one number (KaTeX's punctuation space only after a list comma)", () => {
    const opts = {output: "htmlAndMathml", strict: "ignore"} as const;
    expect(renderTex("73,728").html).toBe(katex.renderToString("73{,}728", opts));
    expect(renderTex("73,728").html).not.toBe(katex.renderToString("73,728", opts));
    expect(renderTex("(1, 2)").html).toBe(katex.renderToString("(1, 2)", opts));
  });
});
