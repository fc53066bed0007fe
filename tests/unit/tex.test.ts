import {afterEach, expect, test, vi} from "vitest";
import {renderTex} from "../../lib/tex.js";

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
