/**
 * Re-runs leak nothing (issue 17, item 3: "twenty re-runs of every training cell leak nothing"), on every page:
 *
 * - every live cell that trains (its code calls `.fit(`, `train(` or makes an optimizer) is run twenty times, on a
 *   tiny budget (`epochs: 1`, at most 64 examples: the budget words are edited in the cell, the rest is the page's
 *   code);
 * - every experiment panel is started on its smallest settings (each select at its smallest number) and stopped once
 *   it has reported progress and a second has passed (a short run ends by itself), so both the Stop path and the end
 *   of a run are exercised: once to warm up, then three times. Four runs, not twenty: this file takes five to six
 *   minutes on the CI machine as it is (most of it loading the pages and their cells).
 *
 * A live cell's twenty runs must each end at exactly the count after its first run. A panel's measured runs must not
 * grow the count run after run (a leak of even one tensor per run does): a panel may keep the model of its last
 * finished run for the cells below it (chapter 5's S1 translator, chapter 2's ConvNet), and whether a run stopped
 * near its end has put its model there yet is a race, so one run may leave that model and the next not. What a first
 * run loads once and keeps (a data set's tensors) is in the warm-up, which is not measured.
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
  test("twenty runs of each training live cell leave numTensors as one run left it; re-runs of each experiment panel do not grow it", async () => {
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
        const runs = [await startAndStop(page, i)];
        const counts: number[] = [];
        for (let r = 2; r <= 4; r++) {
          runs.push(await startAndStop(page, i));
          counts.push(await numTensors(page));
        }
        const states = runs.map((r) => r.state);
        const during = runs.map((r) => r.during).join(", ");
        done.push(
          `panel ${name}: ${states.join(", ")}; ${during} tensors while running; ${counts.join(", ")} after runs 2–4`
        );
        expect(states, `panel ${name}: ${states.join(", ")}`).not.toContain("error");
        if (counts[0] < counts[1] && counts[1] < counts[2]) {
          leaks.push(`panel ${name}: ${counts.join(", ")} tensors after runs 2–4 (${states.join(", ")})`);
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
