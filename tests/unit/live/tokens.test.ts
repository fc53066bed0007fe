/**
 * The placeholder highlighter (lib/live/tokens.ts) against the editor's own: lezer's JavaScript grammar with the
 * course's highlight style (src/components/shared/highlight.ts), character by character, on every live cell of the
 * course and on a few constructs the cells use.
 */
import {readdirSync, readFileSync} from "node:fs";
import {describe, expect, test} from "vitest";
import {parser} from "@lezer/javascript";
import {highlightTree, tagHighlighter} from "@lezer/highlight";
import {COURSE_HIGHLIGHT_SPECS} from "../../../src/components/shared/highlight.js";
import {highlightLines, TOKEN_COLORS} from "../../../lib/live/tokens.js";
import {liveCellSources} from "../../../lib/live/precompiled.js";

const tsParser = parser.configure({dialect: "ts"});
const byColor = tagHighlighter(
  COURSE_HIGHLIGHT_SPECS.filter((s) => s.color).map((s) => ({tag: s.tag, class: s.color!}))
);

/** The colour of every character as the editor paints it ("" for plain text). */
function editorColors(code: string): string[] {
  const colors: string[] = Array.from(code, () => "");
  highlightTree(tsParser.parse(code), byColor, (from, to, cls) => {
    for (let i = from; i < to; i++) colors[i] = cls.split(" ")[0];
  });
  return colors;
}

/** The colour of every character as the placeholder paints it (newlines plain). */
function placeholderColors(code: string): string[] {
  const colors: string[] = [];
  highlightLines(code).forEach((line, n) => {
    if (n > 0) colors.push("");
    for (const t of line) for (let i = 0; i < t.text.length; i++) colors.push(t.kind ? TOKEN_COLORS[t.kind] : "");
  });
  return colors;
}

function agreement(code: string): {same: number; total: number; diffs: string[]} {
  const a = editorColors(code);
  const b = placeholderColors(code);
  expect(b.length).toBe(a.length);
  let same = 0;
  let total = 0;
  const diffs: string[] = [];
  for (let i = 0; i < code.length; i++) {
    if (/\s/.test(code[i])) continue;
    total++;
    if (a[i] === b[i]) same++;
    else if (diffs.length < 400) {
      const start = code.lastIndexOf("\n", i) + 1;
      diffs.push(
        `${JSON.stringify(code.slice(start, code.indexOf("\n", i) < 0 ? undefined : code.indexOf("\n", i)))} @${i - start} '${code[i]}' editor ${a[i] || "plain"} placeholder ${b[i] || "plain"}`
      );
    }
  }
  return {same, total, diffs};
}

const pages = readdirSync("src").filter((f) => f.endsWith(".md"));
const cells = pages.flatMap((f) => liveCellSources(readFileSync(`src/${f}`, "utf8")).map((code) => ({file: f, code})));

describe("the placeholder's colours match the editor's", () => {
  test("the text is kept exactly, line by line", () => {
    for (const {code} of cells)
      expect(
        highlightLines(code)
          .map((l) => l.map((t) => t.text).join(""))
          .join("\n")
      ).toBe(code);
    expect(highlightLines("a\n\n`x\n${1}\ny`\n/* c\nd */ 2").map((l) => l.map((t) => t.text).join(""))).toEqual([
      "a",
      "",
      "`x",
      "${1}",
      "y`",
      "/* c",
      "d */ 2"
    ]);
  });

  test("on every live cell of the course, at least 99% of the characters", () => {
    expect(cells.length).toBeGreaterThanOrEqual(25);
    let same = 0;
    let total = 0;
    const diffs: string[] = [];
    for (const {file, code} of cells) {
      const r = agreement(code);
      same += r.same;
      total += r.total;
      diffs.push(...r.diffs.map((d) => `${file}: ${d}`));
    }
    console.log(
      `placeholder colours: ${same}/${total} characters as the editor (${((100 * same) / total).toFixed(2)}%)`
    );
    if (diffs.length) console.log(diffs.slice(0, 60).join("\n"));
    expect(same / total).toBeGreaterThanOrEqual(0.99);
  });

  test.each([
    ["declarations and types", "const n: number = 21;\nlet [a, b] = [1, 2];\nconst {x, y: z} = obj;"],
    [
      "functions and arrows",
      "function f(a: number, b = 2): string {\n  return `${a}`;\n}\nconst g = (p, q) => p + q;\nxs.map((v) => v * 2);"
    ],
    [
      "strings, escapes, regexps, comments",
      `const s = "a\\nb" + 'c';\nconst r = /a+b/g;\nconst d = 4 / 2; // half\n/* block */`
    ],
    [
      "objects, keywords, literals",
      "const o = {a: 1, b: true, c: null, d() {}};\nfor (const k of Object.keys(o)) if (k) continue;\nnew Map();\nconst t = x as const;"
    ],
    ["await, classes", "class A extends B {}\nconst m = await tf.loadLayersModel(url);\nawait sleep(10);"]
  ])("%s", (_name, code) => {
    const r = agreement(code);
    if (r.diffs.length) console.log(r.diffs.join("\n"));
    expect(r.same / r.total).toBeGreaterThanOrEqual(0.97);
  });
});

// a share link can carry any text: each of these is highlighted in one linear pass (bracket partners are found once,
// return-type look-ahead is bounded, and over MAX_HIGHLIGHTED characters the text is shown plain)
describe("the placeholder keeps hostile input exactly", () => {
  test.each([
    ["nested brackets", "[".repeat(20_000) + "]".repeat(20_000)],
    ["many return types", "():".repeat(15_000)],
    ["an unclosed template", "`${".repeat(10_000)],
    ["a long comment", `// ${"long ".repeat(20_000)}`],
    ["over the highlighting limit", "x + 1;\n".repeat(10_000)]
  ])("%s", (_name, code) => {
    const lines = highlightLines(code);
    expect(lines.map((l) => l.map((t) => t.text).join("")).join("\n")).toBe(code);
  });
});
