/**
 * Live cells compiled at build time (lib/live/precompiled.ts, scripts/vendor-editor.mjs): the fences found in a page
 * are exactly the code the page shows, every body equals what the browser would compile, and a key never matches
 * other code.
 */
import {readdirSync, readFileSync} from "node:fs";
import {describe, expect, test} from "vitest";
import {transform} from "sucrase";
import {compileCell, SUCRASE_OPTIONS} from "../../../lib/live/compile.js";
import {liveCellSources, precompile, sourceKey} from "../../../lib/live/precompiled.js";

const strip = (c: string) => transform(c, SUCRASE_OPTIONS).code;
const compile = (c: string) => compileCell(c, strip);

describe("liveCellSources", () => {
  test("reads ts/js live fences only, without the last newline, in page order", () => {
    const md = [
      "# Page",
      "```ts live",
      "const a = 1;",
      "",
      "a",
      "```",
      "```ts",
      "not live",
      "```",
      "````js live autorun=false id=x",
      "```",
      "inner fence",
      "````",
      "```ts live id=y",
      "unclosed"
    ].join("\n");
    expect(liveCellSources(md)).toEqual(["const a = 1;\n\na", "```\ninner fence", "unclosed"]);
  });

  test("finds every cell of the course, as many as the pages render", () => {
    const pages = readdirSync("src").filter((f) => f.endsWith(".md"));
    for (const file of pages) {
      const text = readFileSync(`src/${file}`, "utf8");
      const fences = (text.match(/^```(?:ts|js) [^\n]*\blive\b/gm) ?? []).length;
      expect(liveCellSources(text).length, file).toBe(fences);
    }
  });
});

describe("precompile", () => {
  test("each body is what the browser compiles; a syntax error is left to the browser", () => {
    const sources = ["const x: number = 2;\nx * 21", "for (const i of [1]) await sleep(i);", "const = ;"];
    const table = precompile(sources, compile);
    expect(Object.keys(table)).toHaveLength(2);
    expect(table[sourceKey(sources[0])]).toBe(compile(sources[0]));
    expect(table[sourceKey(sources[1])]).toBe(compile(sources[1]));
    expect(table[sourceKey(sources[2])]).toBeUndefined();
  });

  test("keys differ for different code, even one character or only the length apart", () => {
    const codes = ["a", "b", "a ", " a", "ab", "ba", "", "x".repeat(1000), "x".repeat(1001), "한글", "한굴"];
    expect(new Set(codes.map(sourceKey)).size).toBe(codes.length);
    expect(sourceKey("const a = 1;")).toBe(sourceKey("const a = 1;"));
  });
});
