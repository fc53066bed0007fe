import {readFileSync} from "node:fs";
import {expect, test} from "vitest";
import {CHAPTERS} from "../../lib/chapters.js";
import config, {chapterPages} from "../../observablehq.config.js";

const notes = readFileSync(new URL("../../docs/course-notes.ko.md", import.meta.url), "utf8");

test("one chapter per ## section of the notes, in the notes' order", () => {
  const sections = Array.from(notes.matchAll(/^## (.+)$/gm), (m) => m[1].replace(/\s+/g, ""));
  expect(CHAPTERS.map((c) => c.title.replace(/\s+/g, ""))).toEqual(sections);
});

test("the config lists exactly the chapters whose page exists, in order, and keeps search on", () => {
  const existing = CHAPTERS.filter((c) => {
    try {
      readFileSync(new URL(`../../src/${c.slug}.md`, import.meta.url));
      return true;
    } catch {
      return false;
    }
  });
  expect(chapterPages.map((p) => p.path)).toEqual(existing.map((c) => `/${c.slug}`));
  expect(existing.length).toBeGreaterThan(0);
  expect(config.search).toBe(true);
  expect(config.globalStylesheets).toEqual([]);
});
