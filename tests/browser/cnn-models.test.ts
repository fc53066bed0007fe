/**
 * Chapter 3 「CNN Model 비교」 in Chromium: the comparison table's numbers come from the models (torchvision's counts
 * appear), the diagrams are drawn from the layer graph and follow the model select, and the two training experiments
 * run when their button is pressed — on a short budget here — produce curves and gradient norms, and leak no tensors.
 */
import {expect, test} from "vitest";
import type {Page} from "playwright-core";
import {inspectPage, numTensors, setInput, settle, type PageReport, useSitePage} from "./site.js";

let page: Page;
let report: PageReport;
useSitePage("/cnn-models.html", (opened) => ({page, report} = opened));

const select = (label: string) => `form:has(label:text-is("${label}")) select`;

/** Pick an option of an Observable select by its text (its values are indices). */
async function choose(label: string, option: string): Promise<void> {
  await page.locator(select(label)).selectOption({label: option});
  await settle(page);
}
const range = (label: string) => `form:has(label:text-is("${label}")) input[type=range]`;

test("the page loads without cell, console or network errors, and trains nothing on load", async () => {
  const found = await inspectPage(page);
  expect(found.cellErrors).toEqual([]);
  expect(found.katexErrors).toEqual([]);
  expect(found.katex).toBeGreaterThan(5);
  expect(report.pageErrors).toEqual([]);
  expect(report.consoleErrors).toEqual([]);
  expect(report.foreignRequests).toEqual([]);
  expect(await page.locator(".experiment-output *").count()).toBe(0);
  // the dry builds allocate nothing: only the page's own few tensors exist
  expect(await numTensors(page)).toBeLessThan(20);
});

test("M1: the comparison table shows the measured depths and torchvision's parameter counts", async () => {
  const table = page.locator(".comparison-table");
  const text = await table.innerText();
  for (const n of ["61,100,840", "6,624,904", "143,667,240", "60,192,808"]) expect(text).toContain(n);
  for (const [model, depth] of [
    ["alexnet", 8],
    ["googlenet", 22],
    ["vgg19", 19],
    ["resnet152", 152]
  ] as const) {
    expect(await table.locator(`tr[data-model=${model}] td.ok`).innerText()).toContain(`${depth} ✓`);
  }
  expect(await page.locator(".claim-line").first().innerText()).toContain("4개");
});

test("the stage diagram is drawn from the model and redraws on another preset", async () => {
  const stages = () =>
    page.locator("svg.arch-stages g.arch-stage").evaluateAll((gs) => gs.map((g) => g.getAttribute("data-stage")));
  expect(await stages()).toEqual(["stem", "layer1", "layer2", "layer3", "layer4", "head"]);
  expect(await page.locator("main").innerText()).toContain("25,557,032");
  await choose("모델", "VGG-16");
  expect(await stages()).toEqual(["conv1", "conv2", "conv3", "conv4", "conv5", "head"]);
  expect(await page.locator("main").innerText()).toContain("138,357,544");
  await choose("모델", "GoogLeNet");
  expect(await stages()).toEqual(["stem1", "stem2", "inception3", "inception4", "inception5", "head"]);
  await choose("모델", "ResNet-50");
});

test("the explicit build button makes the real model, checks its count against the dry graph, and frees it", async () => {
  const baseline = await numTensors(page);
  await choose("모델", "ResNet-18");
  const button = page.locator(".build-button");
  expect(await button.innerText()).toContain("MB의 메모리를 씁니다");
  await button.locator("button").click();
  await page.waitForFunction(() => !document.querySelector(".build-button[data-busy]"), null, {timeout: 120_000});
  expect(await button.locator(".build-result").innerText()).toMatch(
    /11,689,512개: dry graph의 11,689,512개와 같습니다 ✓/
  );
  expect(await numTensors(page)).toBe(baseline);
  await choose("모델", "ResNet-50");
});

test("M3: the Inception close-up follows the select; M2 and the auxiliary heads are computed", async () => {
  const caption = () => page.locator(".arch-module-figure figcaption").first().innerText();
  expect(await caption()).toContain("64 + 128 + 32 + 32 = 256");
  await choose("Inception module", "inception5b");
  expect(await caption()).toContain("384 + 384 + 128 + 128 = 1024");
  expect(await page.locator('svg.arch-module[data-kind="inception"] g.arch-node').count()).toBe(9);
  const main = await page.locator("main").innerText();
  expect(main).toContain("13,004,888"); // with the auxiliary heads
  expect(main).toMatch(/5×5, 5×5 한 층은 5×5로 같고/);
  expect(await page.locator("svg.arch-module[data-kind=residual]").count()).toBe(1);
});

test("D1: 1D convolution on a real scan line; the receptive field grows linearly, with dilation exponentially", async () => {
  const main = await page.locator("main").innerText();
  expect(main).toContain("10층에서 receptive field는 21개 시점 (dilation 1) 대 2047개 시점 (dilation 2^l)");
  expect(main).toContain("dilation 없이 256층이 필요합니다");
});

test("M4: the plain vs residual run on a few batches draws curves and gradient norms, and leaks nothing", async () => {
  const baseline = await numTensors(page);
  await setInput(page, range("학습 예제 수"), "256"); // 4 batches of 64
  const panel = page.locator(".experiment").first();
  await panel.locator(".experiment-start").click();
  await page.waitForFunction(() => document.querySelector(".experiment")?.getAttribute("data-state") != null, null, {
    timeout: 150_000
  });
  expect(await panel.getAttribute("data-state")).toBe("done");
  const result = panel.locator(".experiment-result");
  const values = await result.evaluate((el) => ({...(el as HTMLElement).dataset}));
  for (const v of Object.values(values)) expect(Number.isFinite(Number(v))).toBe(true);
  expect(await result.innerText()).toMatch(/plain-20 \d\.\d{3}, ResNet-20 \d\.\d{3}/);
  // loss chart (two runs) and the gradient-norm chart
  const found = await inspectPage(page);
  const charts = found.plots.filter((p) => p.marks > 0);
  expect(charts.length).toBeGreaterThan(3);
  expect(await panel.locator(".experiment-grads svg").count()).toBeGreaterThan(0);
  await settle(page);
  expect(await numTensors(page)).toBe(baseline);
  expect(report.consoleErrors).toEqual([]);
});

test("the tiny-model race on a short budget reports accuracy, parameters and time, and leaks nothing", async () => {
  const baseline = await numTensors(page);
  await page
    .locator('form:has(label:text-is("학습 예제 수")) input[type=range]')
    .nth(1)
    .evaluate((el) => {
      const input = el as HTMLInputElement;
      input.value = "256";
      input.dispatchEvent(new Event("input", {bubbles: true}));
    });
  await settle(page);
  const panel = page.locator(".experiment").nth(1);
  await panel.locator(".experiment-start").click();
  await page.waitForFunction(
    () => document.querySelectorAll(".experiment")[1]?.getAttribute("data-state") != null,
    null,
    {timeout: 150_000}
  );
  expect(await panel.getAttribute("data-state")).toBe("done");
  const rows = JSON.parse((await panel.locator(".experiment-result").getAttribute("data-rows")) ?? "[]");
  expect(rows.map((r: {family: string}) => r.family)).toEqual(["alexnet", "vgg", "googlenet", "resnet"]);
  for (const r of rows) {
    expect(r.accuracy).toBeGreaterThanOrEqual(0);
    expect(r.seconds).toBeGreaterThan(0);
  }
  expect(rows.find((r: {family: string}) => r.family === "resnet").params).toBe(19_810);
  expect(await panel.locator(".experiment-race svg").count()).toBeGreaterThanOrEqual(2);
  await settle(page);
  expect(await numTensors(page)).toBe(baseline);
  expect(report.consoleErrors).toEqual([]);
  expect(report.foreignRequests).toEqual([]);
});
