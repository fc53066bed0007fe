/**
 * The chapter kit in Chromium (issue 11): every chapter shows exactly its claims, has at least three self-checking
 * exercises and keeps the vocabulary in what it renders (charts and buttons included); the 용어집's links land on
 * their explanations; the experiment panel starts, pauses, resumes and stops by keyboard, and leaks no tensor.
 */
import {describe, expect, test} from "vitest";
import type {Page} from "playwright-core";
import {COURSE_PAGES} from "../../lib/chapters.js";
import {findAvoidedTerms, GLOSSARY, termAnchor} from "../../lib/glossary.js";
import {numTensors, openPage, PAGES, settle, useSite} from "./site.js";

const site = useSite();
const chapters = COURSE_PAGES.filter((c) => PAGES.some((p) => p.path === `/${c.slug}`));

/** What the reader sees as text in `main`, without code (live cells, pre, code, formulas). */
function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const main = document.querySelector("main")!.cloneNode(true) as HTMLElement;
    for (const el of main.querySelectorAll("pre, code, kbd, .katex, .live-cell, .cm-editor, script, style"))
      el.remove();
    return main.textContent ?? "";
  });
}

describe.each(chapters)("chapter $slug", ({slug, claims, pending = []}) => {
  test("shows exactly its claims, each once, three or more exercises, and the one vocabulary", async () => {
    const {page, context} = await openPage(site.browser, site.url, `/${slug}.html`);
    try {
      const shown = await page
        .locator("[data-claim]")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-claim")));
      const built = claims.filter((c) => !pending.includes(c));
      expect([...shown].sort(), "data-claim markers").toEqual([...built].sort());
      const exercises = await page
        .locator("[data-exercise]")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-exercise")));
      expect(exercises.length, "self-checking exercises").toBeGreaterThanOrEqual(3);
      expect(new Set(exercises).size, "exercise ids are unique").toBe(exercises.length);
      expect(findAvoidedTerms(await visibleText(page)), "avoided variants on the page").toEqual([]);
      const anchors = GLOSSARY.filter((e) => e.chapter === slug).map((e) => termAnchor(e.id));
      for (const id of anchors) expect(await page.locator(`[id="${id}"]`).count(), id).toBe(1);
    } finally {
      await context.close();
    }
  });
});

test("the 용어집 lists every term, and each link lands on an explanation", async () => {
  const {page, context} = await openPage(site.browser, site.url, "/glossary.html");
  try {
    const rows = await page.locator("tr[data-term]").count();
    expect(rows).toBe(GLOSSARY.length);
    const links = await page
      .locator("tr[data-term] a")
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    const byPage = new Map<string, string[]>();
    for (const href of links) {
      const url = new URL(href);
      byPage.set(url.pathname, [...(byPage.get(url.pathname) ?? []), url.hash.slice(1)]);
    }
    for (const [path, ids] of byPage) {
      const target = await openPage(site.browser, site.url, path);
      try {
        for (const id of ids) expect(await target.page.locator(`[id="${id}"]`).count(), `${path}#${id}`).toBe(1);
      } finally {
        await target.context.close();
      }
    }
  } finally {
    await context.close();
  }
});

test("the home page's chapter cards open their chapters on a plain static server", async () => {
  const {page, context} = await openPage(site.browser, site.url, "/index.html");
  try {
    const hrefs = await page
      .locator(".chapter-card.available")
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(hrefs.length).toBe(chapters.length);
    for (const href of hrefs) expect((await page.request.get(href)).status(), href).toBe(200);
  } finally {
    await context.close();
  }
});

/** The first chapter whose page loads the experiment panel module; its URL. */
async function panelModule(page: Page): Promise<{panel: string; tf: string} | undefined> {
  return page.evaluate(() => {
    const find = (part: string) =>
      (document.querySelector(`link[rel=modulepreload][href*="${part}"]`) as HTMLLinkElement | null)?.href;
    const panel = find("components/shared/experiment-panel");
    const tf = find("lib/tf.");
    return panel && tf ? {panel, tf} : undefined;
  });
}

test("the experiment panel: start, pause, resume and stop by keyboard; runs side by side; nothing leaks", async () => {
  let opened: Awaited<ReturnType<typeof openPage>> | undefined;
  let modules: {panel: string; tf: string} | undefined;
  for (const c of chapters) {
    opened = await openPage(site.browser, site.url, `/${c.slug}.html`);
    modules = await panelModule(opened.page);
    if (modules) break;
    await opened.context.close();
  }
  expect(modules, "a chapter that uses the experiment panel").toBeDefined();
  const {page, context} = opened!;
  try {
    // a string, so vitest does not rewrite the dynamic imports
    await page.evaluate(`(async () => {
      window.__kit = {panel: await import(${JSON.stringify(modules!.panel)}), tf: (await import(${JSON.stringify(modules!.tf)})).tf};
    })()`);
    const before = await numTensors(page);
    // a run that makes tensors step by step, honours pause through checkpoint, and cleans up with defer
    await page.evaluate(() => {
      const kit = (
        window as unknown as {
          __kit: {panel: Record<string, (o: object) => HTMLElement>; tf: typeof import("@tensorflow/tfjs")};
        }
      ).__kit;
      const {experimentPanel} = kit.panel;
      const {tf} = kit;
      const w = window as unknown as {__steps: number};
      w.__steps = 0;
      const root = experimentPanel({
        action: "테스트 실행",
        run: async (ctx: {
          signal: AbortSignal;
          checkpoint(): Promise<void>;
          defer(f: () => void): void;
          status(t: string): void;
        }) => {
          const init = tf.zeros([4]);
          const acc = tf.variable(init);
          init.dispose();
          ctx.defer(() => acc.dispose());
          while (!ctx.signal.aborted) {
            await ctx.checkpoint();
            tf.tidy(() => acc.assign(acc.add(tf.ones([4]))));
            w.__steps++;
            ctx.status(`step ${w.__steps}`);
            await new Promise((r) => setTimeout(r, 10));
          }
        }
      });
      root.id = "kit-panel";
      document.querySelector("main")!.append(root);
    });
    const panel = page.locator("#kit-panel");
    const steps = () => page.evaluate(() => (window as unknown as {__steps: number}).__steps);
    // keyboard only: focus Start and press Enter
    await panel.locator(".panel-start").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => panel.getAttribute("data-state")).toBe("running");
    await expect.poll(steps).toBeGreaterThan(3);
    // Tab to Pause, Space pauses
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.className)).resolves.toBe("panel-pause");
    await page.keyboard.press("Space");
    await expect.poll(() => panel.getAttribute("data-state")).toBe("paused");
    const held = await steps();
    await page.waitForTimeout(300);
    expect(await steps(), "no step while paused").toBeLessThanOrEqual(held + 1);
    await page.keyboard.press("Space");
    await expect.poll(() => panel.getAttribute("data-state")).toBe("running");
    await expect.poll(steps).toBeGreaterThan(held + 2);
    // Escape inside the panel stops
    await page.keyboard.press("Escape");
    await expect.poll(() => panel.getAttribute("data-state")).toBe("stopped");
    expect(await numTensors(page), "tensors after stop").toBe(before);

    // runs side by side: two tiny models on the same batches, live curves, everything disposed at the end
    await page.evaluate(() => {
      const kit = (
        window as unknown as {
          __kit: {panel: Record<string, (o: object) => HTMLElement>; tf: typeof import("@tensorflow/tfjs")};
        }
      ).__kit;
      const {runsPanel} = kit.panel;
      const {tf} = kit;
      const model = (units: number) =>
        tf.sequential({
          layers: [
            tf.layers.dense({inputShape: [4], units, activation: "relu"}),
            tf.layers.dense({units: 2, activation: "softmax"})
          ]
        });
      const root = runsPanel({
        action: "두 모델 학습",
        async setup(ctx: {defer(f: () => void): void}) {
          const xs = tf.randomNormal([64, 4], 0, 1, "float32", 1);
          const ys = tf.tidy(() => tf.oneHot(tf.cast(tf.greater(xs.sum(1), 0), "int32"), 2));
          ctx.defer(() => tf.dispose([xs, ys]));
          return {
            runs: [
              {name: "small", model: model(4), optimizer: tf.train.adam(0.01)},
              {name: "wide", model: model(16), optimizer: tf.train.adam(0.01)}
            ],
            train: {xs, ys},
            options: {epochs: 2, batchSize: 16}
          };
        },
        finish(r: {histories: {batch: {loss: number[]}}[]}, ctx: {out: HTMLElement}) {
          const p = document.createElement("p");
          p.className = "kit-result";
          p.textContent = r.histories.map((h) => h.batch.loss.length).join(",");
          ctx.out.append(p);
        }
      });
      root.id = "kit-runs";
      document.querySelector("main")!.append(root);
    });
    const runs = page.locator("#kit-runs");
    await runs.locator(".panel-start").click();
    await expect.poll(() => runs.getAttribute("data-state"), {timeout: 60_000}).toBe("done");
    // 64 examples / 16 per batch × 2 epochs = 8 batches per run
    expect(await runs.locator(".kit-result").innerText()).toBe("8,8");
    expect(await runs.locator(".panel-curves svg").count()).toBeGreaterThan(0);
    await settle(page);
    expect(await numTensors(page), "tensors after the side-by-side run").toBe(before);
  } finally {
    await context.close();
  }
});
