/**
 * Chapter 8, V3 (ViT) in Chromium: the patch grid, the tokens and the steps follow the slider and equal the formulas
 * (N = (224/P)², sequence N + 1, parameters P²·C·D + D and (N + 1)·D) and the convolution equals flatten + matmul on
 * the photo; the exercises judge right and wrong; the small ViT trains on a tiny budget to `done` with its curves
 * and the sentence lib/viz/vit-maps.ts writes from the run's numbers; the maps change from the untrained model to
 * the trained one; no tensor leaks; screenshots at 1280 and 390 px.
 */
import {expect, test} from "vitest";
import type {Locator, Page} from "playwright-core";
import {patchSizes} from "../../lib/ops/patches.js";
import {VIT_PRESETS} from "../../lib/models/vit.js";
import {VIT_RECIPE} from "../../lib/train/vit-recipe.js";
import {V3_EXERCISES} from "../../lib/exercises/vision-transformer.js";
import {describeAttention, describeTraining} from "../../lib/viz/vit-maps.js";
import {findAvoidedTerms} from "../../lib/glossary.js";
import {
  expectCleanLoad,
  numTensors,
  openPage,
  SCREENSHOTS,
  settle,
  setInput,
  type PageReport,
  useSitePage
} from "./site.js";

let page: Page;
let report: PageReport;
const site = useSitePage("/vision-transformer.html", (opened) => ({page, report} = opened));
const SIZES = patchSizes(224, 224, 4, 56);
const D = VIT_PRESETS.vit_tiny_patch16_224.embedDim;

test("the page loads cleanly; V3's claim marker once; nothing trains on load; the maps show the untrained model", async () => {
  await expectCleanLoad(page, report, 10);
  expect(await page.locator("[data-claim=V3]").count()).toBe(1);
  const panel = page.locator(".experiment-panel[data-claim=V3]");
  expect(await panel.getAttribute("data-state")).toBe("idle");
  expect(await panel.locator(".panel-output *").count()).toBe(0);
  const positions = page.locator(".vit-position-map");
  expect(await positions.getAttribute("data-trained")).toBe("false");
  expect(await positions.locator(".vit-stage").innerText()).toContain("학습 전");
  expect(await positions.locator(".pos-tile").count()).toBe(16);
  expect(await page.locator(".vit-attention-view").getAttribute("data-drawn")).toBe("false");
  for (const id of ["vit", "patch", "patch-embedding", "class-token", "position-embedding"]) {
    expect(await page.locator(`dfn#term-${id}`).count(), id).toBe(1);
  }
  await page.locator("#vit").scrollIntoViewIfNeeded();
  await page.screenshot({path: `${SCREENSHOTS}/vision-transformer-v3-top.png`});
});

/** The steps for P: grid, token strip and the table read from the model, against the formulas. */
async function checkSteps(p: number) {
  const n = (224 / p) ** 2;
  const grid = page.locator(".patch-grid");
  expect(Number(await grid.getAttribute("data-patch"))).toBe(p);
  expect(Number(await grid.getAttribute("data-patches"))).toBe(n);
  expect(Number(await page.locator(".token-strip").getAttribute("data-patches"))).toBe(n);
  expect(Number(await page.locator(".token-strip").getAttribute("data-patch-dim"))).toBe(p * p * 3);
  const steps = page.locator(".vit-steps");
  expect(Number(await steps.getAttribute("data-n"))).toBe(n);
  expect(Number(await steps.getAttribute("data-seq"))).toBe(n + 1);
  expect(Number(await steps.getAttribute("data-d"))).toBe(D);
  expect(Number(await steps.getAttribute("data-max-diff"))).toBeLessThan(1e-4);
  const rows = await steps.locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => ({
      shape: JSON.parse((tr as HTMLElement).dataset.shape!),
      layer: (tr as HTMLElement).dataset.layerShape ? JSON.parse((tr as HTMLElement).dataset.layerShape!) : null,
      params: (tr as HTMLTableRowElement).cells[3].textContent
    }))
  );
  expect(rows.map((r) => r.shape)).toEqual([
    [224, 224, 3],
    [n, p * p * 3],
    [224 / p, 224 / p, D],
    [n, D],
    [n, D],
    [n + 1, D],
    [n + 1, D]
  ]);
  for (const r of rows) if (r.layer) expect(r.layer).toEqual(r.shape);
  expect(rows[2].params).toBe((p * p * 3 * D + D).toLocaleString("en-US"));
  expect(rows[5].params).toBe(D.toLocaleString("en-US"));
  expect(rows[6].params).toBe(((n + 1) * D).toLocaleString("en-US"));
  expect(await page.locator("#v3-grid-line").innerText()).toContain(`N = ${n}개`);
}

test("the patch grid, the tokens and the steps follow the slider and equal the formulas", async () => {
  await checkSteps(16);
  const before = await numTensors(page);
  await setInput(page, "form.patch-slider input[type=range]", String(SIZES.indexOf(8)));
  await checkSteps(8);
  await setInput(page, "form.patch-slider input[type=range]", String(SIZES.indexOf(32)));
  await checkSteps(32);
  // the step model of the old P is disposed when the slider moves
  expect(await numTensors(page)).toBe(before);
  await page.locator(".vit-steps").screenshot({path: `${SCREENSHOTS}/vision-transformer-v3-steps.png`});
  await setInput(page, "form.patch-slider input[type=range]", String(SIZES.indexOf(16)));
});

async function answer(ex: Locator, value: string): Promise<string> {
  await ex.locator(".exercise-input").fill(value);
  await ex.locator(".exercise-check").click();
  return ex.locator(".exercise-feedback").innerText();
}

test("the exercises judge a right and a wrong answer", async () => {
  const seq = page.locator('[data-exercise="vit-sequence"]');
  expect(await answer(seq, String(V3_EXERCISES.sequence.expected))).toContain("✓");
  expect(await seq.getAttribute("data-result")).toBe("right");
  expect(await answer(seq, String(V3_EXERCISES.sequence.expected - 1))).toContain("class token");
  expect(await seq.getAttribute("data-result")).toBe("wrong");
  const params = page.locator('[data-exercise="vit-patch-params"]');
  expect(await answer(params, "590,592")).toContain("✓");
  expect(await answer(params, "589824")).toContain("bias");
});

test("before training: the untrained model's class-token attention on test images, on request", async () => {
  const attention = page.locator(".vit-attention-view");
  await attention.locator(".vit-attention-load").click();
  await page.waitForFunction(
    () => document.querySelector(".vit-attention-view")?.getAttribute("data-drawn") === "true",
    null,
    {timeout: 60_000}
  );
  await settle(page);
  expect(await attention.getAttribute("data-trained")).toBe("false");
  expect(await attention.locator(".vit-stage").innerText()).toContain("학습 전");
  expect(await attention.locator(".vit-attention-line").innerText()).toMatch(/^학습 전 모델: 예측은 우연입니다/);
  expect(await attention.locator("[data-map]").count()).toBe(4 * 5);
  await attention.screenshot({path: `${SCREENSHOTS}/vision-transformer-v3-attention-untrained.png`});
});

test(
  "the small ViT trains on 1,000 images: curves, the sentence from the run, maps of the trained model, no leak",
  {timeout: 300_000},
  async () => {
    const baseline = await numTensors(page);
    const panel = page.locator(".experiment-panel[data-claim=V3]");
    await panel.locator('form:has(label:text-is("학습 이미지")) select').selectOption({label: "1,000"});
    await panel.locator('form:has(label:text-is("epoch")) select').selectOption({label: "1"});
    await panel.locator(".panel-start").click();
    await page.waitForFunction(
      () =>
        /^(done|stopped|error)$/.test(
          document.querySelector(".experiment-panel[data-claim=V3]")?.getAttribute("data-state") ?? ""
        ),
      null,
      {timeout: 280_000}
    );
    expect(await panel.getAttribute("data-state"), await panel.locator(".panel-output").innerText()).toBe("done");
    expect(await panel.locator(".panel-curves svg").count()).toBeGreaterThanOrEqual(1);
    const result = panel.locator(".vit-train-result");
    const d = await result.evaluate((e) => ({...(e as HTMLElement).dataset}));
    const summary = {
      trainImages: Number(d.trainImages),
      epochs: 1,
      epochsDone: Number(d.epochsDone),
      seconds: Number(d.seconds),
      testImages: Number(d.testImages),
      before: Number(d.before),
      after: Number(d.after),
      stopped: false
    };
    expect(summary.trainImages).toBe(1000);
    expect(summary.testImages).toBe(VIT_RECIPE.validationSize);
    expect(summary.epochsDone).toBe(1);
    expect(summary.seconds).toBeGreaterThan(0);
    expect(await result.innerText()).toBe(describeTraining(summary));
    // 1,000 images are enough to leave chance (10%) behind
    expect(summary.after).toBeGreaterThan(0.3);
    await settle(page);
    const positions = page.locator(".vit-position-map");
    expect(await positions.getAttribute("data-trained")).toBe("true");
    expect(await positions.locator(".vit-position-line").innerText()).toContain(
      Number(await positions.getAttribute("data-neighbours")).toFixed(3)
    );
    const attention = page.locator(".vit-attention-view");
    expect(await attention.getAttribute("data-drawn")).toBe("true");
    expect(await attention.getAttribute("data-trained")).toBe("true");
    expect(await attention.locator("[data-map]").count()).toBe(4 * 5);
    const heat = JSON.parse((await attention.locator("[data-map]").first().getAttribute("data-heat"))!) as number[];
    expect(heat.length).toBe(16);
    expect(heat.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
    const line = attention.locator(".vit-attention-line");
    const shown = await line.evaluate((e) => ({...(e as HTMLElement).dataset}));
    const right = await attention.locator(".vit-attention-caption.right").count();
    expect(Number(shown.right)).toBe(right);
    expect(await line.innerText()).toBe(
      describeAttention({right, total: 4, attention: Number(shown.attention), patches: Number(shown.patches)}, true)
    );
    // the store holds the trained model and the run's test images in place of the untrained model and its images
    expect(await numTensors(page)).toBe(baseline);
    await setInput(page, ".vit-attention-controls input[type=range]", "8");
    expect(await attention.getAttribute("data-start")).toBe("8");
    expect(await numTensors(page)).toBe(baseline);
    await panel.screenshot({path: `${SCREENSHOTS}/vision-transformer-v3-train.png`});
    await positions.screenshot({path: `${SCREENSHOTS}/vision-transformer-v3-positions.png`});
    await attention.screenshot({path: `${SCREENSHOTS}/vision-transformer-v3-attention.png`});
  }
);

test("no errors after the run; the one vocabulary in what V3 renders; 390 px wide without sideways scroll", async () => {
  expect(report.consoleErrors).toEqual([]);
  expect(report.pageErrors).toEqual([]);
  const rendered = await page
    .locator(
      ".patch-grid, .token-strip, .vit-steps, .experiment-panel[data-claim=V3], .vit-position-map, .vit-attention-view, [data-exercise^=vit-]"
    )
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText).join("\n"));
  expect(rendered).toContain("patch");
  expect(findAvoidedTerms(rendered)).toEqual([]);
  const narrow = await openPage(site.browser, site.url, "/vision-transformer.html", {width: 390, height: 844});
  try {
    const overflow = await narrow.page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await narrow.page.locator("#vit").scrollIntoViewIfNeeded();
    await narrow.page.screenshot({path: `${SCREENSHOTS}/vision-transformer-v3-390.png`});
    await narrow.page.locator("#vit-train").scrollIntoViewIfNeeded();
    await narrow.page.screenshot({path: `${SCREENSHOTS}/vision-transformer-v3-390-train.png`});
    expect(narrow.report.pageErrors).toEqual([]);
  } finally {
    await narrow.context.close();
  }
});
