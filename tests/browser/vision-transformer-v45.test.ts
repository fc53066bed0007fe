/**
 * Chapter 8 「Attention / Transformer for Vision」, part v45 in Chromium: V4 (ViT against ResNet on growing subsets)
 * and V5 (augmentation, regularization, DeiT distillation) run on a tiny budget to `data-state="done"`; their chart,
 * tables and sentences are the ones lib/viz/vit-vs-resnet.ts writes from the run's own numbers; the switches work by
 * keyboard; the exercises judge right and wrong; the live augmentation cell runs; nothing leaks.
 */
import {expect, test} from "vitest";
import type {Locator, Page} from "playwright-core";
import {summarizeScaling, type ScalingResult, type ShiftRow} from "../../lib/train/data-scaling.js";
import {describeImprovement, describeScaling, describeShift, type ImproveRow} from "../../lib/viz/vit-vs-resnet.js";
import {distillationLossExercise} from "../../lib/exercises/vision-transformer.js";
import {findAvoidedTerms} from "../../lib/glossary.js";
import {
  expectCleanLoad,
  numTensors,
  SCREENSHOTS,
  settle,
  type PageReport,
  useSitePage,
  runPanel as runPanelOn
} from "./site.js";

let page: Page;
let report: PageReport;
/** Console warnings of the page (Plot's "implicit z channel has high cardinality" is one). */
const warnings: string[] = [];
useSitePage("/vision-transformer.html", (opened) => {
  ({page, report} = opened);
  page.on("console", (msg) => {
    if (msg.type() === "warning") warnings.push(msg.text());
  });
});

test("the page loads cleanly; V4 and V5 are idle, each claim marked once", async () => {
  await expectCleanLoad(page, report);
  for (const claim of ["V4", "V5"]) {
    const panel = page.locator(`[data-claim=${claim}]`);
    expect(await panel.count()).toBe(1);
    expect(await panel.getAttribute("data-state")).toBe("idle");
  }
  for (const id of ["inductive-bias", "augmentation", "regularization", "distillation"]) {
    expect(await page.locator(`dfn#term-${id}`).count()).toBe(1);
  }
});

/** Choose options of a panel's selects by label, press start, wait for the end; returns the panel. */
const runPanel = (selector: string, choices: Record<string, string>, timeout = 240_000) =>
  runPanelOn(page, selector, choices, timeout);

test(
  "V4 on 100 and 300 images, one epoch: the chart, the sentence and the shift table from the run",
  {timeout: 240_000},
  async () => {
    const baseline = await numTensors(page);
    const panel = await runPanel("[data-claim=V4]", {
      "학습 이미지 수": "100 · 300장 (빠른 확인)",
      epoch: "1",
      "테스트 이미지": "500"
    });
    const sentence = panel.locator(".v4-sentence");
    const results = JSON.parse((await sentence.getAttribute("data-results"))!) as ScalingResult[];
    const run = JSON.parse((await sentence.getAttribute("data-run"))!);
    expect(run).toEqual({epochs: 1, testSize: 500});
    expect(results.map((r) => `${r.model}@${r.size}`).sort()).toEqual([
      "resnet@100",
      "resnet@300",
      "vit@100",
      "vit@300"
    ]);
    for (const r of results) expect(r.accuracy).toBeGreaterThanOrEqual(0);
    expect(await sentence.innerText()).toBe(describeScaling(summarizeScaling(results, 500), run));
    // one dot per model and size, on a log axis
    expect(await panel.locator(".v4-chart svg [aria-label=dot] :is(circle, path)").count()).toBeGreaterThanOrEqual(4);
    const shift = panel.locator(".v4-shift");
    const rows = JSON.parse((await shift.getAttribute("data-rows"))!) as ShiftRow[];
    expect(rows).toHaveLength(6);
    expect(await shift.locator(".v4-shift-sentence").innerText()).toBe(describeShift(rows, 300));
    const cells = await shift
      .locator("tbody tr")
      .evaluateAll((trs) => trs.map((tr) => Array.from((tr as HTMLTableRowElement).cells, (c) => c.textContent)));
    expect(cells[0][0]).toBe("ResNet");
    expect(cells[0][1]).toBe(
      `${(100 * rows.find((r) => r.model === "resnet" && r.shift === 0)!.accuracy).toFixed(1)}%`
    );
    // the one vocabulary in what the run wrote (chart labels, sentences, tables)
    expect(findAvoidedTerms(await panel.innerText())).toEqual([]);
    // the chart's lines have an explicit z: no Plot warning while one size has one point per model
    expect(warnings.filter((w) => /cardinality/.test(w))).toEqual([]);
    await panel.screenshot({path: `${SCREENSHOTS}/vision-transformer-v4.png`});
    await settle(page);
    expect(await numTensors(page)).toBe(baseline);
  }
);

test(
  "V5 with every switch on (by keyboard), 256 images: teacher, two runs, table and sentence from the run",
  {timeout: 240_000},
  async () => {
    const baseline = await numTensors(page);
    const panel = page.locator("[data-claim=V5]");
    const boxes = panel.locator("input[type=checkbox]");
    expect(await boxes.count()).toBe(6);
    // keyboard: focus each unchecked box and press Space
    for (let i = 0; i < 6; i++) {
      const box = boxes.nth(i);
      if (!(await box.isChecked())) {
        await box.focus();
        await page.keyboard.press("Space");
      }
      expect(await box.isChecked()).toBe(true);
    }
    await runPanel("[data-claim=V5]", {"학습 이미지 수": "256", epoch: "1", "테스트 이미지": "500"});
    expect(await panel.locator(".v5-teacher").innerText()).toContain("teacher (ResNet");
    expect(await panel.locator(".v5-preview canvas").count()).toBe(4);
    expect(await panel.locator(".v5-curves svg").count()).toBeGreaterThanOrEqual(1);
    const result = panel.locator(".v5-result");
    const rows = JSON.parse((await result.getAttribute("data-rows"))!) as {
      baseline: ImproveRow;
      improved: ImproveRow;
      teacher?: ImproveRow;
    };
    const run = JSON.parse((await result.getAttribute("data-run"))!);
    expect(run.switches).toHaveLength(6);
    expect(run).toMatchObject({epochs: 1, trainSize: 256, testSize: 500});
    expect(rows.improved.name).toBe("DeiT student");
    expect(rows.teacher?.agreement).toBe(1);
    expect(await result.locator(".v5-sentence").innerText()).toBe(describeImprovement(rows, run));
    const table = await result
      .locator("tbody tr")
      .evaluateAll((trs) => trs.map((tr) => Array.from((tr as HTMLTableRowElement).cells, (c) => c.textContent)));
    expect(table.map((r) => r[0])).toEqual(["기본 ViT", "DeiT student", "teacher (ResNet)"]);
    expect(table[1][1]).toBe(`${(100 * rows.improved.accuracy).toFixed(1)}%`);
    expect(table[1][2]).toBe(`${(100 * rows.improved.agreement).toFixed(1)}%`);
    expect(findAvoidedTerms(await panel.innerText())).toEqual([]);
    expect(warnings.filter((w) => /cardinality/.test(w))).toEqual([]);
    // the loss chart says that the two lines are different objectives, and draws no end-of-line labels over them
    expect(await panel.locator(".v5-curves figcaption").innerText()).toContain("각 모델의 학습 목표 (서로 다름");
    await panel.screenshot({path: `${SCREENSHOTS}/vision-transformer-v5.png`});
    await settle(page);
    expect(await numTensors(page)).toBe(baseline);
  }
);

/** Type an answer into an exercise and press 확인; returns the feedback. */
async function answer(ex: Locator, value: string): Promise<string> {
  await ex.locator(".exercise-input").fill(value);
  await ex.locator(".exercise-check").click();
  return ex.locator(".exercise-feedback").innerText();
}

test("the exercises judge right and wrong; the live augmentation cell runs", async () => {
  const distill = page.locator('[data-exercise="distill-loss"]');
  expect(await answer(distill, distillationLossExercise().expected.toFixed(4))).toContain("✓");
  expect(await answer(distill, "0.9163")).toContain("½");
  expect(await distill.getAttribute("data-result")).toBe("wrong");
  const smoothing = page.locator('[data-exercise="label-smoothing"]');
  expect(await answer(smoothing, "0.91")).toContain("✓");
  expect(await answer(smoothing, "0.9")).toContain("✗");
  const cell = page.locator(".live-cell").filter({hasText: "augmentPixels"});
  await cell.locator(".live-run").click();
  await page.waitForFunction(
    () => ![...document.querySelectorAll(".live-cell")].some((c) => c.hasAttribute("data-busy"))
  );
  // the 'ㄱ' moved down one row and mirrored: the first row empty, the second "· ■ ■ ■ ■"
  const out = await cell.locator(".live-output").innerText();
  expect(out).toContain("· ■ ■ ■ ■");
  expect(report.consoleErrors).toEqual([]);
});

test("screenshots at 1280 and 390 px; no sideways scroll at 390 px", async () => {
  await page.setViewportSize({width: 1280, height: 900});
  await settle(page);
  await page.locator("#vit-vs-resnet").scrollIntoViewIfNeeded();
  await page.screenshot({path: `${SCREENSHOTS}/vision-transformer-v45-1280.png`, fullPage: false});
  await page.setViewportSize({width: 390, height: 844});
  await settle(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.locator("[data-claim=V5]").scrollIntoViewIfNeeded();
  await page.screenshot({path: `${SCREENSHOTS}/vision-transformer-v45-390.png`});
  await page.setViewportSize({width: 1280, height: 900});
});
