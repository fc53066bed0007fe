/**
 * Slides from a page (presentation mode, src/components/shared/present.ts): each `##` heading starts a slide and a
 * `---` rule adds a break; everything before the first `##` is the title slide. Pure, so Node tests check it.
 */

/** What the splitter needs to know about one top-level block of the page. */
export interface Block {
  /** Lower-case tag name: "h2", "hr", "div", … */
  tag: string;
  /** Shows nothing (a cell that only defines values, speaker notes): it neither fills a slide nor separates. */
  empty?: boolean;
}

/** The slide index of every block; `hr` breaks belong to the slide they start but are never shown. */
export function assignSlides(blocks: readonly Block[]): number[] {
  let slide = 0;
  let started = false; // the current slide already has a heading or break that opened it
  let content = false; // it has shown something since
  let previous = ""; // the tag of the last block that was not empty
  return blocks.map((b) => {
    if (b.tag === "h2" || b.tag === "hr") {
      // a heading right after a break opens no new slide: "---" then "## Title" is one slide
      const afterBreak = previous === "hr";
      if ((content || started) && !(b.tag === "h2" && afterBreak)) slide++;
      started = true;
      content = false;
      previous = b.tag;
      return slide;
    }
    if (!b.empty) {
      content = true;
      previous = b.tag;
    }
    return slide;
  });
}

/** Clamp a requested slide (1-based in URLs) to [0, count). */
export function clampSlide(index: number, count: number): number {
  if (!Number.isFinite(index)) return 0;
  return Math.max(0, Math.min(count - 1, Math.trunc(index)));
}

/** `#slide=3` (1-based) → 2; anything else → undefined. */
export function slideFromHash(hash: string): number | undefined {
  const m = hash.match(/(?:^#|&)slide=(\d+)/);
  return m ? Number(m[1]) - 1 : undefined;
}

/** How much to shrink a slide whose content is `content` px tall on a stage with `available` px. */
export function fitScale(content: number, available: number, minScale: number): {scale: number; scroll: boolean} {
  if (content <= available) return {scale: 1, scroll: false};
  const scale = available / content;
  return scale >= minScale ? {scale, scroll: false} : {scale: minScale, scroll: true};
}
