import {readFileSync} from "node:fs";
import {expect, test} from "vitest";
import {CHAPTERS, COURSE_PAGES} from "../../lib/chapters.js";
import config, {chapterPages} from "../../observablehq.config.js";

const notes = readFileSync(new URL("../../docs/course-notes.ko.md", import.meta.url), "utf8");

test("one chapter per ## section of the notes, in the notes' order", () => {
  const sections = Array.from(notes.matchAll(/^## (.+)$/gm), (m) => m[1].replace(/\s+/g, ""));
  expect(CHAPTERS.map((c) => c.title.replace(/\s+/g, ""))).toEqual(sections);
});

test("sub-pages are numbered after their chapter: 8, then 8-2", () => {
  const vision = COURSE_PAGES.filter((p) => p.chapter === "vision-transformer");
  expect(vision.map((p) => [p.slug, p.number])).toEqual([
    ["vision-transformer", "8"],
    ["swin", "8-2"]
  ]);
  expect(COURSE_PAGES.map((p) => p.slug).slice(0, 2)).toEqual(["filter", "cnn"]);
  expect(new Set(COURSE_PAGES.map((p) => p.slug)).size).toBe(COURSE_PAGES.length);
});

test("the config lists exactly the pages that exist, in order, and keeps search on", () => {
  const existing = COURSE_PAGES.filter((c) => {
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
