/**
 * Chapter 8, part v12 (V1 and V2) in Chromium: a clean load; the three models' counts equal models built here; V1 on a
 * tiny budget to `done`, its table and sentence are the ones lib/viz/attention-cnn.ts writes from the run's numbers,
 * the attention map's query moves by keyboard and by click; V2's numbers equal the formula computed here at two
 * settings; the measured allocation equals 4·N²; the exercises judge right and wrong; no tensor leaks.
 */
import {expect, test} from "vitest";
import type {Locator, Page} from "playwright-core";
import {ATTENTION_CNN_KINDS, attentionCnn} from "../../lib/models/attention-cnn.js";
import {attentionMatrixSize, largestSide, type PixelAttentionMeasurement} from "../../lib/analysis/pixel-attention.js";
import {describeV1, describeV2, describeV2Measurement, type V1Row} from "../../lib/viz/attention-cnn.js";
import {findAvoidedTerms} from "../../lib/glossary.js";
import {VIT_RECIPE} from "../../lib/train/vit-recipe.js";
import {V12_EXERCISES} from "../../lib/exercises/vision-transformer/v12.js";
import {
  expectCleanLoad,
  numTensors,
  SCREENSHOTS,
  settle,
  setInput,
  type PageReport,
  useSitePage,
  runPanel as runPanelOn
} from "./site.js";

let page: Page;
let report: PageReport;
useSitePage("/vision-transformer.html", (opened) => ({page, report} = opened));

test("the page loads without errors and runs no V1/V2 experiment on load; V1 and V2 are marked once each", async () => {
  await expectCleanLoad(page, report, 4);
  expect(await page.locator("[data-claim=V1]").count()).toBe(1);
  expect(await page.locator("[data-claim=V2]").count()).toBe(1);
  expect(await page.locator("[data-claim=V1][data-state=idle]").count()).toBe(1);
  expect(await page.locator("[data-experiment=v2-measure][data-state=idle]").count()).toBe(1);
  for (const id of ["term-non-local-block", "term-local-attention"])
    expect(await page.locator(`dfn#${id}`).count()).toBe(1);
  await page.locator("#v1").scrollIntoViewIfNeeded();
  await page.screenshot({path: `${SCREENSHOTS}/vision-transformer-v1.png`});
});

test("the cost table equals the models built here (parameters)", async () => {
  const costs = JSON.parse((await page.locator("[data-costs]").getAttribute("data-costs"))!);
  for (const [i, kind] of ATTENTION_CNN_KINDS.entries()) {
    const model = attentionCnn(kind, {}, {weights: "zeros"});
    expect(costs[i].params, kind).toBe(model.countParams());
    model.dispose();
  }
});

/** Choose options of a panel's selects by label, press start, wait for the end; returns the panel. */
const runPanel = (selector: string, choices: Record<string, string>, timeout = 300_000) =>
  runPanelOn(page, selector, choices, timeout);

test(
  "V1 on 256 images: three curves, the table and sentence from the run, the attention map by keyboard and click, no leak",
  {timeout: 300_000},
  async () => {
    const baseline = await numTensors(page);
    const panel = await runPanel("[data-claim=V1]", {"학습 이미지": "256", "테스트 이미지": "200"});
    const sentence = panel.locator(".v1-sentence");
    const rows = JSON.parse((await sentence.getAttribute("data-rows"))!) as V1Row[];
    const conditions = JSON.parse((await sentence.getAttribute("data-conditions"))!);
    expect(rows.map((r) => r.name)).toEqual(["CNN", "CNN + non-local block", "local attention"]);
    expect(conditions).toMatchObject({
      train: 256,
      test: 200,
      epochs: 1,
      batchSize: VIT_RECIPE.batchSize,
      stopped: false
    });
    for (const r of rows) {
      expect(r.steps).toBe(Math.ceil(256 / VIT_RECIPE.batchSize));
      expect(r.msPerStep).toBeGreaterThan(0);
      expect(r.accuracy).toBeGreaterThanOrEqual(0);
      expect(r.accuracy).toBeLessThanOrEqual(1);
    }
    expect(await sentence.innerText()).toBe(
      describeV1(rows, {
        trainImages: conditions.train,
        testImages: conditions.test,
        epochs: conditions.epochs,
        batchSize: conditions.batchSize,
        stopped: false
      })
    );
    const cells = await panel
      .locator(".v1-results tbody tr")
      .evaluateAll((trs) => trs.map((tr) => Array.from((tr as HTMLTableRowElement).cells, (c) => c.textContent)));
    expect(cells.map((c) => c[1])).toEqual(rows.map((r) => `${(100 * r.accuracy).toFixed(1)}%`));
    expect(cells.map((c) => c[2])).toEqual(rows.map((r) => r.params.toLocaleString("en-US")));
    expect(await panel.locator(".panel-curves svg").count()).toBeGreaterThanOrEqual(1);
    await panel.screenshot({path: `${SCREENSHOTS}/vision-transformer-v1-run.png`});

    // the attention map: arrow keys on the image move the query; its row sums to 1; the top cell is the largest
    const map = page.locator(".v1-attention");
    await map.scrollIntoViewIfNeeded();
    const state = async () => ({
      row: Number(await map.getAttribute("data-row")),
      col: Number(await map.getAttribute("data-col")),
      weights: JSON.parse((await map.getAttribute("data-weights"))!) as number[],
      top: JSON.parse((await map.getAttribute("data-top"))!) as [number, number]
    });
    const before = await state();
    expect(before.weights.length).toBe(196);
    expect(before.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    const max = Math.max(...before.weights);
    expect(before.weights[before.top[0] * 14 + before.top[1]]).toBe(max);
    await map.locator("canvas").focus();
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    const moved = await state();
    expect([moved.row, moved.col]).toEqual([before.row - 1, before.col + 2]);
    expect(await map.locator(".v1-attention-line").innerText()).toContain(`(${moved.row}, ${moved.col})`);
    // a click on the top-left cell
    await map.locator("canvas").click({position: {x: 3, y: 3}});
    const clicked = await state();
    expect([clicked.row, clicked.col]).toEqual([0, 0]);
    await map.screenshot({path: `${SCREENSHOTS}/vision-transformer-v1-map.png`});
    await settle(page);
    expect(await numTensors(page)).toBe(baseline);
  }
);

test("V2: the sentence and data equal the formula computed here, at two settings", async () => {
  const view = page.locator("[data-claim=V2]");
  const check = async (side: number, patch: number) => {
    expect(Number(await view.getAttribute("data-side"))).toBe(side);
    expect(Number(await view.getAttribute("data-patch"))).toBe(patch);
    const pixels = JSON.parse((await view.getAttribute("data-pixels"))!);
    const patches = JSON.parse((await view.getAttribute("data-patches"))!);
    // by hand: N = side², entries N², bytes 4N²
    expect(pixels.tokens).toBe(side * side);
    expect(pixels.entries).toBe(side ** 4);
    expect(pixels.bytes).toBe(4 * side ** 4);
    expect(patches.tokens).toBe(Math.floor(side / patch) ** 2);
    expect(patches).toEqual(attentionMatrixSize(side, side, patch));
    const limit = Number(await view.getAttribute("data-limit"));
    const text = await view.locator(".v2-line").innerText();
    expect(text).toBe(describeV2(pixels, patches, {label: "WebAssembly 주소 공간 (32비트)", bytes: limit}));
    const s = largestSide(limit);
    expect(text).toContain(`${s}×${s}`);
  };
  await check(224, 16);
  expect(await view.locator(".v2-line").innerText()).toContain("50,176");
  await setInput(page, '[data-claim=V2] form:has(label:text-is("이미지 한 변 (픽셀)")) select', "1");
  await setInput(page, '[data-claim=V2] form:has(label:text-is("patch 한 변")) select', "0");
  await check(64, 4);
  // the memory-limit select shows its whole option text (not clipped)
  const clipped = await page
    .locator('[data-claim=V2] form:has(label:text-is("메모리 한도")) select')
    .evaluate((s: HTMLSelectElement) => {
      const probe = document.createElement("span");
      probe.style.cssText = `font: ${getComputedStyle(s).font}; white-space: nowrap; position: absolute`;
      probe.textContent = Array.from(s.options).reduce((a, o) => (o.text.length > a.length ? o.text : a), "");
      document.body.append(probe);
      const need = probe.getBoundingClientRect().width;
      probe.remove();
      return need > s.clientWidth - 24; // the arrow and padding
    });
  expect(clipped).toBe(false);
  await view.screenshot({path: `${SCREENSHOTS}/vision-transformer-v2.png`});
});

test("V2 measured: tf.memory() grows by exactly 4·N² for QKᵀ and again for the softmax; nothing leaks", async () => {
  const baseline = await numTensors(page);
  const panel = await runPanel("[data-experiment=v2-measure]", {"가장 큰 행렬": "4.00 MiB"});
  const line = panel.locator(".v2-measured-line");
  const rows = JSON.parse((await line.getAttribute("data-rows"))!) as PixelAttentionMeasurement[];
  expect(rows.map((r) => r.side)).toEqual([8, 16, 24, 32]);
  for (const r of rows) {
    expect(r.expectedBytes).toBe(4 * r.side ** 4);
    expect(r.scoreBytes).toBe(r.expectedBytes);
    expect(r.softmaxBytes).toBe(r.expectedBytes);
  }
  const backend = await page.evaluate(
    () => (window as unknown as {_tfengine: {backendName: string}})._tfengine.backendName
  );
  expect(await line.innerText()).toBe(describeV2Measurement(rows, backend));
  // the status line ends with the run, not "실행 중…"
  const status = await panel.locator(".panel-status").innerText();
  expect(status).not.toContain("실행 중");
  expect(status).toContain(`${rows.length}개 크기`);
  await settle(page);
  expect(await numTensors(page)).toBe(baseline);
});

/** Type an answer into an exercise and press 확인; returns the feedback. */
async function answer(ex: Locator, value: string): Promise<string> {
  await ex.locator(".exercise-input").fill(value);
  await ex.locator(".exercise-check").click();
  return ex.locator(".exercise-feedback").innerText();
}

test("the exercises judge a right and a wrong answer", async () => {
  const entries = page.locator('[data-exercise="v2-patch-entries"]');
  expect(await answer(entries, "38,416")).toContain("✓");
  expect(await entries.getAttribute("data-result")).toBe("right");
  expect(await answer(entries, "196")).toContain("N × N");
  expect(await entries.getAttribute("data-result")).toBe("wrong");
  const mib = page.locator('[data-exercise="v2-pixel-mib"]');
  expect(await answer(mib, String(V12_EXERCISES.pixelMiB.expected))).toContain("✓");
  expect(await answer(mib, "67.1")).toContain("MiB");
  // the answer is exact: half a MiB off is wrong
  expect(await answer(mib, "64.5")).toContain("✗");
  expect(await mib.getAttribute("data-result")).toBe("wrong");
});

test("after the runs: the one vocabulary in what V1 and V2 render (charts, tables, sentences, buttons)", async () => {
  const text = await page.evaluate(() => {
    const parts = [
      ...document.querySelectorAll(
        "[data-claim=V1], [data-claim=V2], [data-experiment=v2-measure], .v1-map-slot, .v2-table"
      )
    ];
    return parts.map((p) => p.textContent ?? "").join(" ");
  });
  expect(text).toContain("local attention");
  expect(findAvoidedTerms(text)).toEqual([]);
});

test("phone width: no sideways scroll", async () => {
  await page.setViewportSize({width: 390, height: 844});
  await settle(page);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth
  );
  await page.locator("#v1").scrollIntoViewIfNeeded();
  await page.screenshot({path: `${SCREENSHOTS}/vision-transformer-v12-390.png`, fullPage: true});
  expect(overflow).toBeLessThanOrEqual(0);
  await page.setViewportSize({width: 1280, height: 900});
});
