/**
 * Keyboard alone (issue 17): tabbing through a page, every stop shows where the focus is (an outline or a box-shadow
 * with a contrast of 3:1 or more against what is behind it, WCAG 2.4.7 / 1.4.11), in reading mode, on a slide and in
 * the slide overview; chapter 2's drawing pad is used by keyboard only (arrow keys draw, Space lowers the pen, the
 * clear and test-digit buttons by Enter); and a result's colour always comes with words or shapes (1.4.1).
 */
import {describe, expect, test} from "vitest";
import type {Page} from "playwright-core";
import {axeViolations, numTensors, openPage, settle, useSite} from "./site.js";

const site = useSite();

interface Stop {
  what: string;
  ring: string;
  contrast: number;
}

/**
 * The focused element and its focus indicator: its outline, else its box-shadow (the live-cell editor's ring is on
 * the editor around its content line). The contrast is the indicator's colour against the first opaque background
 * behind it (colours are read back through a canvas, so `color-mix()` and `oklch()` count as drawn).
 */
function focusStop(page: Page): Promise<Stop | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const ctx = Object.assign(document.createElement("canvas"), {width: 1, height: 1}).getContext("2d", {
      willReadFrequently: true
    })!;
    const rgba = (css: string): number[] => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = "#00000000";
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      return Array.from(ctx.getImageData(0, 0, 1, 1).data);
    };
    const luminance = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const target = (el.closest(".cm-editor") as HTMLElement | null) ?? el;
    // what the ring is drawn on: the nearest opaque background outside the element (white if none)
    let back = [255, 255, 255, 255];
    for (let n = target.parentElement; n; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c[3] > 200) {
        back = c;
        break;
      }
    }
    const cs = getComputedStyle(target);
    let ring = "";
    let color: number[] | undefined;
    if (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 1) {
      ring = `outline ${cs.outlineWidth} ${cs.outlineStyle} ${cs.outlineColor}`;
      color = rgba(cs.outlineColor);
    } else if (cs.boxShadow && cs.boxShadow !== "none") {
      ring = `box-shadow ${cs.boxShadow}`;
      const m = cs.boxShadow.match(/(rgba?|color|oklch|lab|lch)\([^)]*\)/);
      color = m ? rgba(m[0]) : undefined;
    }
    const what = `${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : ""} "${(el.getAttribute("aria-label") ?? el.textContent ?? "").trim().slice(0, 30)}"`;
    if (!color) return {what, ring: ring || "none", contrast: 0};
    // a translucent ring is seen mixed with what is behind it
    const a = color[3] / 255;
    const seen = [0, 1, 2].map((i) => color[i] * a + back[i] * (1 - a));
    const [l1, l2] = [luminance(seen), luminance(back)].sort((x, y) => y - x);
    return {what, ring, contrast: (l1 + 0.05) / (l2 + 0.05)};
  });
}

/** Press Tab up to `max` times (or until the focus comes round again); every stop's indicator. */
async function tabThrough(page: Page, max: number): Promise<Stop[]> {
  const stops: Stop[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const key = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement & {__tabKey?: string};
      return (el.__tabKey ??= String(Math.random()));
    });
    if (seen.has(key)) break;
    seen.add(key);
    const stop = await focusStop(page);
    if (stop) stops.push(stop);
  }
  return stops;
}

const weak = (stops: Stop[]) => stops.filter((s) => s.contrast < 3).map((s) => `${s.what}: ${s.ring} (${s.contrast})`);

describe.each([
  // the kinds of control each page's first 220 tab stops must include (links, buttons, sliders, selects, the editor)
  {url: "/filter.html", kinds: ["a", "button", "input", "div.cm-content"]},
  {url: "/cnn.html", kinds: ["a", "button", "input", "select", "div.cm-content"]},
  {url: "/glossary.html", kinds: ["a", "input"]}
])("tabbing through $url", ({url, kinds}) => {
  test("every focus stop shows a ring of 3:1 or more", async () => {
    const {page, context} = await openPage(site.browser, site.url, url);
    try {
      const stops = await tabThrough(page, 220);
      expect(stops.length, "focus stops").toBeGreaterThan(10);
      const seen = new Set(stops.map((s) => s.what.split(" ")[0].replace(/\.(?!cm-content).*$/, "")));
      for (const kind of kinds) expect([...seen], `a ${kind} among the stops`).toContain(kind);
      expect(weak(stops), "stops without a visible focus ring").toEqual([]);
    } finally {
      await context.close();
    }
  });
});

test("on a slide and in the slide overview every focus stop shows a ring of 3:1 or more", async () => {
  const {page, context} = await openPage(site.browser, site.url, "/cnn.html?present#slide=2", {
    width: 1280,
    height: 720
  });
  try {
    const onSlide = await tabThrough(page, 40);
    expect(onSlide.length).toBeGreaterThan(0);
    expect(weak(onSlide), "on the slide").toEqual([]);
    await page.keyboard.press("o");
    const card = await focusStop(page);
    expect(card?.what, "the overview focuses the current slide's card").toContain("present-card");
    await page.keyboard.press("Tab");
    const next = await focusStop(page);
    expect(weak([card!, next!]), "in the overview").toEqual([]);
  } finally {
    await context.close();
  }
});

test("chapter 2's drawing pad works by keyboard alone: arrows draw, Space lifts the pen, Enter presses the buttons", async () => {
  const {page, context} = await openPage(site.browser, site.url, "/cnn.html");
  try {
    // the pad appears once a model is trained: a few batches on the smallest data size
    const panel = page.locator('[data-claim="C4"]');
    await page.selectOption('select[aria-label="학습 데이터 수"]', "5000");
    await panel.locator(".panel-start").click();
    await page.waitForFunction(
      () => /batch (\d{2,})/.test(document.querySelector(".train-stats")?.textContent ?? ""),
      undefined,
      {timeout: 120_000}
    );
    await panel.locator(".panel-stop").click();
    await page.waitForSelector(".draw-pad", {timeout: 120_000});
    await settle(page);
    const before = await numTensors(page);

    // reach the pad by Tab only
    let found = false;
    for (let i = 0; i < 600 && !found; i++) {
      await page.keyboard.press("Tab");
      found = await page.evaluate(() => document.activeElement?.classList.contains("draw-pad") ?? false);
    }
    expect(found, "the pad is in the tab order").toBe(true);
    expect((await focusStop(page))!.contrast, "the pad's focus ring").toBeGreaterThanOrEqual(3);
    expect(await page.locator(".draw-cursor").isVisible(), "the keyboard pen is shown").toBe(true);
    const scroll = await page.evaluate(() => scrollY);

    // a "1": up 8 pixels from the centre, pen down, down 16, pen up
    for (let i = 0; i < 8; i++) await page.keyboard.press("ArrowUp");
    await page.keyboard.press("Space");
    for (let i = 0; i < 16; i++) await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Space");
    await page.waitForFunction(() => document.querySelector(".draw-digit")?.getAttribute("data-prediction") != null);
    expect(await page.evaluate(() => scrollY), "the arrows did not scroll the page").toBe(scroll);
    // the ink is a vertical stroke: the pad's inked columns are few, its inked rows many
    const ink = await page.locator(".draw-pad").evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      const rows = new Set<number>();
      const cols = new Set<number>();
      for (let i = 0; i < d.length / 4; i++) {
        if (d[i * 4] < 128) {
          rows.add(Math.floor(i / c.width));
          cols.add(i % c.width);
        }
      }
      return {rows: rows.size, cols: cols.size};
    });
    expect(ink.rows).toBeGreaterThan(150);
    expect(ink.cols).toBeLessThan(30);
    const prediction = await page.locator(".draw-digit").getAttribute("data-prediction");
    expect(await page.locator(".draw-status").innerText(), "the prediction in words").toContain(
      `예측: ${prediction} (`
    );

    // Tab to 지우기, Enter: the pad is empty again
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.className)).toBe("draw-clear");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => !document.querySelector(".draw-digit")?.hasAttribute("data-prediction"));
    // Tab to 테스트 숫자, Enter: a test digit is copied onto the pad and classified
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.className)).toBe("draw-sample");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector(".draw-digit")?.hasAttribute("data-prediction"));
    expect(await page.locator(".draw-digit").getAttribute("data-sample")).toMatch(/^\d+:\d$/);
    await page.screenshot({path: "test-results/screenshots/draw-pad-keyboard.png"});
    const violations = await axeViolations(page);
    expect(violations, `axe with the pad in use:\n${violations.join("\n")}`).toEqual([]);
    expect(await numTensors(page), "classifying leaks nothing").toBe(before);
  } finally {
    await context.close();
  }
});
