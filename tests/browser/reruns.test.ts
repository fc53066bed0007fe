/**
 * Re-runs leak nothing (issue 17, item 3: "twenty re-runs of every training cell leak nothing"), on every page:
 *
 * - every live cell that trains (its code calls `.fit(`, `train(` or makes an optimizer) is run twenty times, on a
 *   tiny budget (`epochs: 1`, at most 64 examples: the budget words are edited in the cell, the rest is the page's
 *   code);
 * - every experiment panel is started on its smallest settings (each select at its smallest number) and stopped once
 *   it has reported progress and a second has passed (a short run ends by itself), so both the Stop path and the end
 *   of a run are exercised: once to warm up, then twice, and the third run must end where the second ended. Three
 *   runs, not twenty: this file takes about six minutes on the CI machine as it is (most of it loading the pages).
 *
 * The baseline is `tf.memory().numTensors` after the first run of a live cell, and after the warm-up and one run of a
 * panel: what a first run loads once and keeps (a data set's tensors, the trained model a page keeps in its slot for
 * the cells below, e.g. chapter 5's S1 translator or chapter 2's ConvNet) is a documented cache, not a leak. The
 * warm-up is not measured, and every run is stopped only after it has reported progress, so that each stopped run
 * has built its model and fills the slot the same way. Every measured run must come back to exactly the baseline.
 */
import {describe, expect, test} from "vitest";
import type {Page} from "playwright-core";
import {numTensors, openPage, PAGES, settle, useSite} from "./site.js";

const site = useSite();

const TRAINS = /\.fit\(|\btrain\w*\(|tf\.train\./;

/** The ids of the page's live cells whose code trains. */
function trainingCells(page: Page): Promise<string[]> {
  return page.evaluate(
    (source) =>
      Array.from(document.querySelectorAll<HTMLElement>(".live-cell"))
        .filter((c) => new RegExp(source).test(c.querySelector(".cm-content")?.textContent ?? ""))
        .map((c) => c.dataset.liveId!),
    TRAINS.source
  );
}

async function runCell(page: Page, id: string): Promise<string> {
  await page.locator(`.live-cell[data-live-id="${id}"] .live-run`).evaluate((b: HTMLButtonElement) => b.click());
  await page.waitForFunction(
    (id) => !document.querySelector(`.live-cell[data-live-id="${id}"]`)?.hasAttribute("data-busy"),
    id,
    {timeout: 60_000}
  );
  return page.locator(`.live-cell[data-live-id="${id}"] .live-status`).innerText();
}

/** Set every select of panel `i` to its smallest number (a select of names keeps its choice). */
function smallestSettings(page: Page, i: number): Promise<void> {
  return page.evaluate((i) => {
    const panel = document.querySelectorAll(".experiment-panel")[i];
    for (const select of panel.querySelectorAll("select")) {
      const numbered = Array.from(select.options)
        .map((o) => ({o, n: parseFloat(o.text.replace(/,/g, "").replace(/^[^\d.]*/, ""))}))
        .filter((x) => Number.isFinite(x.n));
      if (numbered.length !== select.options.length || numbered.length === 0) continue;
      const smallest = numbered.reduce((a, b) => (b.n < a.n ? b : a)).o;
      if (select.value === smallest.value) continue;
      select.value = smallest.value;
      select.dispatchEvent(new Event("input", {bubbles: true}));
      select.dispatchEvent(new Event("change", {bubbles: true}));
    }
  }, i);
}

/**
 * Start panel `i`; once it has reported progress (its model is built and training) and `stopAfterMs` have passed, stop
 * it if it still runs (at the latest after `capMs`), and wait until it has ended. Returns its end state, and how many
 * tensors were alive while it ran (when it was stopped), which shows it was doing work.
 */
async function startAndStop(
  page: Page,
  i: number,
  stopAfterMs = 1000,
  capMs = 20_000
): Promise<{state: string; during: number}> {
  const state = () =>
    page.evaluate((i) => document.querySelectorAll(".experiment-panel")[i].getAttribute("data-state"), i);
  await page.evaluate((i) => {
    (window as unknown as {__started: number}).__started = performance.now();
    document.querySelectorAll(".experiment-panel")[i].querySelector<HTMLButtonElement>(".panel-start")!.click();
  }, i);
  const ended = (i: number) =>
    /^(done|stopped|error)$/.test(document.querySelectorAll(".experiment-panel")[i].getAttribute("data-state") ?? "");
  await page
    .waitForFunction(
      ({i, stopAfterMs}) => {
        const panel = document.querySelectorAll(".experiment-panel")[i];
        if (/^(done|stopped|error)$/.test(panel.getAttribute("data-state") ?? "")) return true;
        const progress = panel.querySelector<HTMLProgressElement>(".panel-progress")?.value ?? 0;
        const elapsed = performance.now() - (window as unknown as {__started: number}).__started;
        return progress > 0 && elapsed > stopAfterMs;
      },
      {i, stopAfterMs},
      {timeout: capMs}
    )
    .catch(() => undefined);
  const during = await numTensors(page);
  if (!/^(done|stopped|error)$/.test((await state()) ?? "")) {
    await page.evaluate((i) => {
      document.querySelectorAll(".experiment-panel")[i].querySelector<HTMLButtonElement>(".panel-stop")!.click();
    }, i);
    await page.waitForFunction(ended, i, {timeout: 60_000});
  }
  // cleanup (ctx.defer, disposing a model) finishes as the panel leaves data-busy
  await page.waitForFunction((i) => !document.querySelectorAll(".experiment-panel")[i].hasAttribute("data-busy"), i, {
    timeout: 60_000
  });
  return {state: (await state()) ?? "", during};
}

describe.each(PAGES)("$name", ({url}) => {
  test("twenty runs of each training live cell and three of each experiment panel leave numTensors as the run before left it", async () => {
    const {page, context, report} = await openPage(site.browser, site.url, url);
    try {
      const leaks: string[] = [];
      /** What was run, for the log. */
      const done: string[] = [];
      for (const id of await trainingCells(page)) {
        // a tiny budget: one epoch, at most 64 examples
        await page.locator(`.live-cell[data-live-id="${id}"] .cm-content`).click();
        const code = await page.locator(`.live-cell[data-live-id="${id}"] .cm-content`).innerText();
        const tiny = code.replace(/epochs: *\d+/g, "epochs: 1").replace(/\b(train|test): *(\d+)/g, (m, k, n) => {
          return `${k}: ${Math.min(64, Number(n))}`;
        });
        await page.keyboard.press("ControlOrMeta+A");
        await page.keyboard.insertText(tiny);
        expect(await runCell(page, id), `live cell ${id}`).toMatch(/^✓/);
        const baseline = await numTensors(page);
        for (let r = 2; r <= 20; r++) {
          expect(await runCell(page, id), `live cell ${id}, run ${r}`).toMatch(/^✓/);
        }
        const after = await numTensors(page);
        done.push(`live cell ${id}: ${baseline} tensors after run 1, ${after} after run 20`);
        if (after !== baseline) leaks.push(`live cell ${id}: ${baseline} tensors after run 1, ${after} after run 20`);
      }

      const panels = await page.locator(".experiment-panel").count();
      for (let i = 0; i < panels; i++) {
        const name = await page
          .locator(".experiment-panel")
          .nth(i)
          .evaluate((p, i) => p.getAttribute("data-claim") ?? p.getAttribute("data-experiment") ?? `#${i}`, i);
        const startable = await page
          .locator(".experiment-panel")
          .nth(i)
          .evaluate((p) => !p.querySelector<HTMLButtonElement>(".panel-start")?.disabled);
        if (!startable) continue;
        await smallestSettings(page, i);
        const runs = [await startAndStop(page, i), await startAndStop(page, i)];
        const baseline = await numTensors(page);
        const counts: number[] = [];
        for (let r = 3; r <= 3; r++) {
          runs.push(await startAndStop(page, i));
          counts.push(await numTensors(page));
        }
        const states = runs.map((r) => r.state);
        done.push(
          `panel ${name}: ${states.join(", ")}; ${runs.map((r) => r.during).join(", ")} tensors while running (warm-up first), ${baseline} after run 2, ${counts.join(", ")} after run 3`
        );
        expect(states, `panel ${name}: ${states.join(", ")}`).not.toContain("error");
        if (counts.some((c) => c !== baseline)) {
          leaks.push(
            `panel ${name}: ${baseline} tensors after run 1, then ${counts.join(", ")} (${states.join(", ")})`
          );
        }
      }
      await settle(page);
      console.log(`${url}\n  ${done.join("\n  ") || "(nothing trains on this page)"}`);
      expect(leaks, leaks.join("\n")).toEqual([]);
      expect(report.pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
