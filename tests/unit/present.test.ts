import {expect, test} from "vitest";
import {assignSlides, clampSlide, fitScale, slideFromHash} from "../../lib/present/slides.js";

const blocks = (tags: string) => tags.split(" ").map((tag) => ({tag}));
const slideCount = (b: {tag: string}[]) => assignSlides(b).at(-1)! + 1;

test("each ## starts a slide, --- adds a break, the intro is the title slide", () => {
  expect(assignSlides(blocks("h1 p div h2 p h3 p hr p h2 p"))).toEqual([0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3]);
  expect(slideCount(blocks("h1 p h2 p hr p h2 p"))).toBe(4);
});

test("a break right before a heading does not make an empty slide", () => {
  expect(assignSlides(blocks("h1 p hr h2 p"))).toEqual([0, 0, 1, 1, 1]);
  expect(slideCount(blocks("h1 hr h2 p"))).toBe(2);
});

test("empty blocks between a break and a heading do not make an empty slide", () => {
  const b = [{tag: "h1"}, {tag: "p"}, {tag: "hr"}, {tag: "div", empty: true}, {tag: "h2"}, {tag: "p"}];
  expect(assignSlides(b)).toEqual([0, 0, 1, 1, 1, 1]);
});

test("a page that starts with ## has no empty title slide", () => {
  expect(assignSlides(blocks("h2 p h2 p"))).toEqual([0, 0, 1, 1]);
});

test("slide numbers from the URL and clamping", () => {
  expect(slideFromHash("#slide=3")).toBe(2);
  expect(slideFromHash("#share=x.y&slide=12")).toBe(11);
  expect(slideFromHash("#intro")).toBeUndefined();
  expect(clampSlide(99, 5)).toBe(4);
  expect(clampSlide(-2, 5)).toBe(0);
  expect(clampSlide(NaN, 5)).toBe(0);
});

test("fitScale shrinks to fit, then scrolls below the readable minimum", () => {
  expect(fitScale(500, 600, 0.7)).toEqual({scale: 1, scroll: false});
  expect(fitScale(750, 600, 0.7)).toEqual({scale: 0.8, scroll: false});
  expect(fitScale(1200, 600, 0.7)).toEqual({scale: 0.7, scroll: true});
});
