/**
 * Page checks over every page's Markdown (issue 11): no hand-typed result numbers, one vocabulary, the glossary's
 * anchors, thin pages. They read `src/*.md`, so they run in a second, before any build.
 */
import {existsSync, readdirSync, readFileSync} from "node:fs";
import {describe, expect, test} from "vitest";
import {COURSE_PAGES} from "../../../lib/chapters.js";
import {findAvoidedTerms, GLOSSARY, termAnchor} from "../../../lib/glossary.js";
import {fences, prose, stripInterpolations, typedNumbers} from "./prose.js";

const SRC = new URL("../../../src/", import.meta.url);
const pages = readdirSync(SRC)
  .filter((f) => f.endsWith(".md"))
  .map((f) => ({slug: f.replace(/\.md$/, ""), md: readFileSync(new URL(f, SRC), "utf8")}));

describe("the prose helpers", () => {
  test("interpolations are removed, nested braces and all", () => {
    expect(stripInterpolations("a ${f({x: 1})} b ${tex`\\frac{1}{2}`} c")).toBe("a   b   c");
  });
  test("numbers in names are names; numbers with Korean or units are typed", () => {
    expect(typedNumbers("ResNet-152, VGG16, conv1, F3, 1D conv와 3장, 12배, 60,000장, λ = 2.5, 28²").sort()).toEqual(
      ["12", "2.5", "28", "3", "60,000"].sort()
    );
  });
  test("code, tags and computed values are not prose", () => {
    const md =
      '---\ntitle: x\n---\n# 제목\n\n```js\nconst n = 7;\n```\n\n<b class="x-2">${n}</b>개, `k = 3`, <code>5</code> 9장';
    expect(typedNumbers(prose(md))).toEqual(["9"]);
  });
});

/**
 * The numbers a page may type, with their reasons: `typed-numbers/<slug>.json`, merged with the part files
 * `typed-numbers/<slug>.<part>.json` of a page whose sections are written separately (a number listed in two parts
 * keeps both reasons).
 */
function allowedNumbers(slug: string): Record<string, string> {
  const dir = new URL("./typed-numbers/", import.meta.url);
  const files = existsSync(dir)
    ? readdirSync(dir).filter((f) => f === `${slug}.json` || (f.startsWith(`${slug}.`) && f.endsWith(".json")))
    : [];
  const allowed: Record<string, string> = {};
  for (const f of files.sort()) {
    const part: Record<string, string> = JSON.parse(readFileSync(new URL(f, dir), "utf8"));
    for (const [n, reason] of Object.entries(part)) allowed[n] = n in allowed ? `${allowed[n]}; ${reason}` : reason;
  }
  return allowed;
}

describe.each(pages)("page $slug", ({slug, md}) => {
  test("every number typed in prose is a listed constant (results are computed, not typed)", () => {
    const allowed = allowedNumbers(slug);
    const typed = typedNumbers(prose(md));
    const unlisted = typed.filter((n) => !(n in allowed));
    expect(
      unlisted,
      `numbers typed in src/${slug}.md: compute them, or list them with a reason in typed-numbers/${slug}.json`
    ).toEqual([]);
    // the list stays honest: nothing listed that the page no longer types, and every entry has a reason
    expect(
      Object.keys(allowed).filter((n) => !typed.includes(n)),
      "listed but no longer typed"
    ).toEqual([]);
    for (const [n, reason] of Object.entries(allowed)) expect(reason.length, `reason for ${n}`).toBeGreaterThan(5);
  });

  test.skipIf(slug === "glossary")("uses the glossary's terms, not their avoided variants", () => {
    expect(findAvoidedTerms(prose(md))).toEqual([]);
  });

  test("no hidden js cell over 15 lines, except the import cell", () => {
    const long = fences(md)
      .filter((f) => f.lang === "js" && !/\becho\b/.test(f.info))
      .filter((f) => !/^(\s*(import\b[^;]*;|\/\/.*)?\s*)*$/.test(f.body))
      .filter((f) => f.body.trimEnd().split("\n").length > 15)
      .map((f) => `line ${f.line}: ${f.body.trimEnd().split("\n").length} lines`);
    expect(long, `move the logic of these cells into lib/ or src/components/`).toEqual([]);
  });
});

describe("the glossary", () => {
  test("every entry is explained first where it says, at its anchor", () => {
    const missing = GLOSSARY.filter((e) => {
      const page = pages.find((p) => p.slug === e.chapter);
      return page && !page.md.includes(`id="${termAnchor(e.id)}"`);
    }).map((e) => `${e.chapter}#${termAnchor(e.id)}`);
    expect(missing).toEqual([]);
  });
  test("ids are unique and chapters exist", () => {
    expect(new Set(GLOSSARY.map((e) => e.id)).size).toBe(GLOSSARY.length);
    for (const e of GLOSSARY) expect(COURSE_PAGES.map((c) => c.slug)).toContain(e.chapter);
  });
  test("findAvoidedTerms finds a variant and allows the English gloss", () => {
    expect(findAvoidedTerms("conv 레이어와 dense layer").map((f) => f.found)).toEqual(["레이어", "layer"]);
    expect(findAvoidedTerms("층 (layer)은 입력을 받아 출력을 냅니다.")).toEqual([]);
    expect(findAvoidedTerms("정확도 (accuracy)와 loss")).toEqual([]);
  });
});

describe("the claims", () => {
  test("every page's claims are in docs/claims.md, and every claim of the table is on one page", () => {
    const table = readFileSync(new URL("../../../docs/claims.md", import.meta.url), "utf8");
    const ids = new Set([...table.matchAll(/^\| ([A-Z]+\d+) \|/gm)].map((m) => m[1]));
    for (const c of COURSE_PAGES) for (const claim of c.claims) expect(ids, `${c.slug}: ${claim}`).toContain(claim);
    const onPages = COURSE_PAGES.flatMap((c) => c.claims);
    expect([...onPages].sort(), "each claim on exactly one page").toEqual([...ids].sort());
  });
});
