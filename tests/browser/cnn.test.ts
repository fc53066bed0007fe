/**
 * Chapter 2 in Chromium, used the way a student does: move the parameter sliders, train the ConvNet for a
 * few seconds and stop, look at the results, draw a digit, run the position experiment on its quick
 * setting, switch the pooling input. Checks that every claim's experiment shows its numbers, that the
 * page never shows a cell error, and that training twice leaks no tensors.
 */
import {expect, test} from "vitest";
import type {Page} from "playwright-core";
import {inspectPage, numTensors, setInput, type PageReport, useSitePage} from "./site.js";

let page: Page;
let report: PageReport;
useSitePage("/cnn.html", (opened) => ({page, report} = opened));

test("C1: the formula and countParams() of a real conv layer agree for any slider setting", async () => {
  const value = () => page.locator('[data-testid="conv-params"]').innerText();
  expect(await value()).toBe("896"); // (3·3·3 + 1)·32
  await setInput(page, 'form:has(label:text-is("f (필터 크기)")) input[type=range]', "5");
  await setInput(page, 'form:has(label:text-is("c_in")) input[type=range]', "16");
  expect(await value()).toBe("12,832"); // (5·5·16 + 1)·32, chapter 2's conv2
  expect(await page.locator(".formula-row").innerText()).toContain("✓");
  expect((await inspectPage(page)).cellErrors).toEqual([]);
});

test("P2: pooling under noise reports a measured CNR, and the verdict follows the input", async () => {
  const verdict = () => page.locator('[data-testid="pooling-cnr"] b').first().innerText();
  expect(await verdict()).toBe("max pooling"); // a thin stroke (tests/unit/ops/chapter2.test.ts)
  await page.locator('label:has-text("넓은 면") input[type=radio]').check();
  await page.waitForTimeout(300);
  expect(await verdict()).toBe("average pooling");
});

async function trainBriefly(): Promise<void> {
  await page.selectOption('select[aria-label="학습 데이터 수"]', "5000");
  await page.click(".train-start");
  await page.waitForFunction(
    () => /batch (\d{2,})/.test(document.querySelector(".train-stats")?.textContent ?? ""),
    undefined,
    {
      timeout: 120_000
    }
  );
  await page.click(".train-stop");
  await page.waitForSelector('[data-testid="test-accuracy"] .big', {timeout: 120_000});
  await page.waitForFunction(() => !(document.querySelector(".train-start") as HTMLButtonElement).disabled);
}

test("C4: a short training draws the curves, is evaluated on the 10,000 test images, and shows the results", async () => {
  await trainBriefly();
  expect(await page.locator(".train-chart svg").count()).toBeGreaterThan(0);
  const accuracy = parseFloat(await page.locator('[data-testid="test-accuracy"] .big').innerText());
  expect(accuracy).toBeGreaterThan(20); // a few dozen batches already beat chance (10%)
  // the confusion matrix counts all 10,000 test images
  const confusionText = await page.locator("#results ~ * svg, #results ~ * figure").first().innerText();
  expect(confusionText.length).toBeGreaterThan(0);
  expect(await page.locator(".digit-gallery figure").count()).toBeGreaterThan(0);
  expect(await page.locator("#filters ~ * svg rect").count()).toBeGreaterThan(16 * 25 - 1);
  expect((await inspectPage(page)).cellErrors).toEqual([]);
});

test("the drawing canvas classifies a drawn digit", async () => {
  const pad = page.locator(".draw-pad");
  await pad.scrollIntoViewIfNeeded();
  const b = (await pad.boundingBox())!;
  await page.mouse.move(b.x + 140, b.y + 40);
  await page.mouse.down();
  await page.mouse.move(b.x + 140, b.y + 240, {steps: 12}); // a "1"
  await page.mouse.up();
  await page.waitForFunction(() => document.querySelector(".draw-digit")?.getAttribute("data-prediction") != null);
  expect(await page.locator(".draw-probs svg").count()).toBe(1);
  expect(await page.locator(".draw-steps canvas").count()).toBe(2);
  await page.click(".draw-clear");
});

test("training again replaces the model and leaks no tensors", async () => {
  const after1 = await numTensors(page);
  await trainBriefly();
  expect(await numTensors(page)).toBe(after1);
});

test("C2: the position experiment trains a CNN and an MLP and reports accuracy against the shift", async () => {
  await page.selectOption('select[aria-label="위치 실험 학습 데이터 수"]', "3000");
  const before = await numTensors(page);
  await page.click(".shift-start");
  await page.waitForSelector('[data-testid="shift-summary"]', {timeout: 170_000});
  const text = await page.locator('[data-testid="shift-summary"]').innerText();
  expect(text).toMatch(/CNN \d+\.\d%, MLP \d+\.\d%/);
  expect(await page.locator(".shift-result svg").count()).toBeGreaterThan(0);
  expect(await numTensors(page)).toBe(before);
  expect(report.pageErrors).toEqual([]);
  expect(report.consoleErrors).toEqual([]);
  expect(report.foreignRequests).toEqual([]);
});
