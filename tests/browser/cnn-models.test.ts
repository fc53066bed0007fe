/**
 * Chapter 3 「CNN Model 비교」 in Chromium: the comparison table's numbers come from the models (torchvision's counts
 * appear) and the ratio sentence divides them; both GoogLeNet variants are drawn with their counts; BatchNorm's
 * numbers follow the slider; D1 runs on the CO₂ series and its sentences match a naive computation here; the
 * exercises judge right and wrong answers; the claim markers are exactly the chapter's; the two training experiments
 * run when their button is pressed — on a short budget here — produce curves and gradient norms, and leak no tensors.
 */
import {readFileSync} from "node:fs";
import {expect, test} from "vitest";
import type {Locator, Page} from "playwright-core";
import {CHAPTERS} from "../../lib/chapters.js";
import {monthAt, monthlyMeans, parseSeriesCsv} from "../../lib/data/series.js";
import {CNN_MODELS_EXERCISES} from "../../lib/exercises/cnn-models.js";
import {
  expectCleanLoad,
  inspectPage,
  numTensors,
  SCREENSHOTS,
  setInput,
  settle,
  type PageReport,
  useSitePage
} from "./site.js";

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
  await expectCleanLoad(page, report, 5);
  expect(await page.locator(".panel-output *").count()).toBe(0);
  expect(await page.locator(".experiment-panel[data-state=idle]").count()).toBe(2);
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

test("the AlexNet/GoogLeNet ratio sentence divides the table's own counts (the paper's 12× corrected)", async () => {
  const count = async (model: string) =>
    Number((await page.locator(`tr[data-model=${model}] td.num`).first().innerText()).replace(/[^\d]/g, ""));
  const [alex, goog] = [await count("alexnet"), await count("googlenet")];
  const sentence = await page.locator("#alexnet-ratio").innerText();
  expect(sentence).toContain(`${(alex / goog).toFixed(1)}배`);
  expect(sentence).toContain("9.2배");
  expect(sentence).toContain("12배"); // the quoted claim it corrects
  // the paper-5×5 figure in the sentence is the one the GoogLeNet section draws
  const paper = Number(sentence.match(/([\d,]+)개로/)![1].replace(/,/g, ""));
  expect(sentence).toContain(`${(alex / paper).toFixed(1)}배`);
  expect(await page.locator(".inception-variant-label").nth(1).innerText()).toContain(paper.toLocaleString("en-US"));
  expect(await page.locator("tr[data-model=googlenet] td.idea").innerText()).toContain(`1/${(alex / goog).toFixed(1)}`);
});

test("claim markers: exactly the chapter's claims, each once", async () => {
  const shown = await page.locator("[data-claim]").evaluateAll((els) => els.map((e) => e.getAttribute("data-claim")));
  expect(shown.sort()).toEqual([...CHAPTERS.find((c) => c.slug === "cnn-models")!.claims].sort());
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
  const variants = page.locator(".inception-variants .inception-variant");
  expect(await variants.count()).toBe(2);
  const caption = () => page.locator(".arch-module-figure figcaption").first().innerText();
  expect(await caption()).toContain("64 + 128 + 32 + 32 = 256");
  // torchvision's third branch is a 3×3, the paper's a 5×5; each diagram is labelled with its model's count
  expect(await variants.nth(0).locator(".inception-variant-label").innerText()).toMatch(/torchvision.*3×3.*6,624,904/);
  expect(await variants.nth(1).locator(".inception-variant-label").innerText()).toMatch(/논문.*5×5.*7,005,832/);
  const nodes = (i: number) => variants.nth(i).locator("g.arch-node").allTextContents();
  expect((await nodes(0)).join(" ")).toContain("conv 3×3, 32");
  expect((await nodes(0)).join(" ")).not.toContain("conv 5×5");
  expect((await nodes(1)).join(" ")).toContain("conv 5×5, 32");
  expect(await page.locator("main").innerText()).toContain("25/9배가 되어 파라미터가 380,928개 늘어납니다");
  await choose("Inception module", "inception5b");
  expect(await caption()).toContain("384 + 384 + 128 + 128 = 1024");
  expect((await nodes(1)).join(" ")).toContain("conv 5×5, 128");
  expect(await variants.nth(0).locator('svg.arch-module[data-kind="inception"] g.arch-node').count()).toBe(9);
  const main = await page.locator("main").innerText();
  expect(main).toContain("13,004,888"); // with the auxiliary heads
  expect(main).toMatch(/5×5, 5×5 한 층은 5×5로 같고/);
  expect(await page.locator("svg.arch-module[data-kind=residual]").count()).toBe(1);
});

test("BatchNorm: the real layer matches the formula, and the sentence follows the slider", async () => {
  const table = page.locator("table:has(th:text-is('BatchNorm 층'))");
  const cells = await table
    .locator("tbody tr")
    .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent ?? "")));
  expect(cells.length).toBe(8);
  for (const r of cells) expect(r.at(-1)).toBe(r.at(-2)); // layer and formula agree to 4 decimals
  const claim = () => page.locator("#bn-claim").innerText();
  expect(await claim()).toMatch(/평균 0\.000, 분산 1\.000/);
  expect(await claim()).toContain("보이지 않습니다");
  await setInput(page, range("활성화의 크기"), "0.1");
  const small = await claim();
  const variance = Number(small.match(/분산 (0\.\d+)이고/)![1]);
  expect(variance).toBeLessThan(0.999);
  expect(small).toContain("몫입니다");
  await setInput(page, range("활성화의 크기"), "10");
});

test("D1: the CO₂ series, its filter outputs, and sentences that match a naive computation", async () => {
  const figure = page.locator(".series-figure[data-claim=D1]");
  expect(await figure.locator("svg").count()).toBe(4);
  // independent reference: monthly means from the CSV, differences by plain loops (no conv1d)
  const s = monthlyMeans(parseSeriesCsv(readFileSync("data/series/co2.csv", "utf8")).rows);
  const x = s.values;
  const sums = Array(12).fill(0);
  const counts = Array(12).fill(0);
  for (let t = 1; t < x.length; t++) {
    const m = monthAt(s, t).month - 1;
    sums[m] += x[t] - x[t - 1];
    counts[m]++;
  }
  const byMonth = sums.map((v, m) => v / counts[m]);
  const rise = byMonth.indexOf(Math.max(...byMonth)) + 1;
  const fall = byMonth.indexOf(Math.min(...byMonth)) + 1;
  const growth = (from: number) => {
    const v: number[] = [];
    for (let t = 12; t < x.length; t++) {
      const {year} = monthAt(s, t);
      if (year >= from && year < from + 10) v.push(x[t] - x[t - 12]);
    }
    return v.reduce((a, b) => a + b, 0) / v.length;
  };
  const findings = () => page.locator("#d1-findings").innerText();
  const text = await findings();
  const before = (m: number) => ((m + 10) % 12) + 1; // the month before m (12 before 1)
  const signed = (v: number) => `${v < 0 ? "−" : "+"}${Math.abs(v).toFixed(2)}`;
  expect(text).toContain(`${before(rise)}월→${rise}월에 가장 많이 오르고 (${signed(byMonth[rise - 1])} ppm)`);
  expect(text).toContain(`${before(fall)}월→${fall}월에 가장 많이 내립니다 (${signed(byMonth[fall - 1])} ppm)`);
  expect(text).toContain(`1960년대 평균 ${growth(1960).toFixed(2)} ppm/년`);
  expect(text).toContain(`1990년대 평균 ${growth(1990).toFixed(2)} ppm/년`);
  expect(text).toMatch(/가장 많이 줄이는 두 값은\s+k = 24, k = 12입니다/);
  expect(await page.locator("main").innerText()).toContain(`${x.length}개월 (1958년 3월부터; 측정이 없는 5개월은`);
  // the moving-average line follows the slider
  const wiggle = (k: number) => {
    const avg: number[] = [];
    for (let t = k - 1; t < x.length; t++) avg.push(x.slice(t - k + 1, t + 1).reduce((a, b) => a + b, 0) / k);
    const d = avg.slice(1).map((v, i) => v - avg[i]);
    const m = d.reduce((a, b) => a + b, 0) / d.length;
    return Math.sqrt(d.reduce((a, b) => a + (b - m) ** 2, 0) / d.length);
  };
  expect(text).toContain(`0.056 ppm`);
  expect(wiggle(12).toFixed(3)).toBe("0.056");
  await setInput(page, range("이동 평균 길이 k (개월)"), "7");
  const seven = await findings();
  expect(seven).toContain("이동 평균 (k = 7)");
  expect(seven).toContain(`${wiggle(7).toFixed(3)} ppm으로`);
  await setInput(page, range("이동 평균 길이 k (개월)"), "12");
});

test("D1: the receptive field grows linearly, with dilation exponentially", async () => {
  const main = await page.locator("main").innerText();
  expect(main).toContain("10층에서 receptive field는 21개 시점 (dilation 1) 대 2047개 시점 (dilation 2^(l−1))");
  expect(main).toContain("526개월 전체를 보려면 dilation 없이 263층이 필요합니다");
});

/** Type an answer into an exercise and press 확인; returns the feedback. */
async function answer(ex: Locator, value: string): Promise<string> {
  await ex.locator(".exercise-input").fill(value);
  await ex.locator(".exercise-check").click();
  return ex.locator(".exercise-feedback").innerText();
}

test("the number exercises judge a right and a wrong answer, and 풀이 보기 shows the computed answer", async () => {
  const wrongs: Record<string, string> = {
    "rf-stack": "12",
    "vgg-params": String(7 * 128 * 128),
    bottleneck: String(69_632 + 768),
    "dilated-length": "118"
  };
  for (const spec of Object.values(CNN_MODELS_EXERCISES)) {
    const ex = page.locator(`[data-exercise="${spec.id}"]`);
    expect(await ex.locator(".exercise-question").innerText()).toBe(spec.question);
    const wrong = await answer(ex, wrongs[spec.id]);
    expect(await ex.getAttribute("data-result"), spec.id).toBe("wrong");
    expect(wrong).toContain("✗");
    const right = await answer(ex, spec.expected.toLocaleString("en-US"));
    expect(await ex.getAttribute("data-result"), spec.id).toBe("right");
    expect(right).toContain(spec.expected.toLocaleString("en-US"));
    await ex.locator(".exercise-show").click();
    expect(await ex.locator(".exercise-solution").innerText()).toContain(spec.expected.toLocaleString("en-US"));
  }
  expect(await answer(page.locator('[data-exercise="vgg-params"]'), String(7 * 128 * 128))).toContain("bias");
});

test("the live-cell exercise judges the reader's kernel", async () => {
  const cell = page.locator('.live-cell[data-live-id="deseason"]');
  const ex = page.locator('[data-exercise="deseason-kernel"]');
  const setCode = async (code: string) => {
    await cell.locator(".cm-content").click();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.insertText(code);
    await cell.locator(".live-run").click();
    await page.waitForFunction(() => !document.querySelector('.live-cell[data-live-id="deseason"][data-busy]'));
  };
  const before = await numTensors(page);
  await setCode("const w = Array(11).fill(1 / 11);\nw");
  expect(await ex.getAttribute("data-result")).toBe("wrong");
  expect(await ex.locator(".exercise-feedback").innerText()).toContain("주기 12개월");
  await setCode("const w = Array(12).fill(1 / 12);\nw");
  expect(await ex.getAttribute("data-result")).toBe("right");
  await ex.locator(".exercise-show").click();
  expect(await ex.locator(".exercise-solution").innerText()).toContain("Array(12).fill(1 / 12)");
  expect(await numTensors(page)).toBe(before);
  await cell
    .locator(".live-reset")
    .click()
    .catch(() => {});
});

test("M4: the plain vs residual run on a few batches draws curves and gradient norms, and leaks nothing", async () => {
  const baseline = await numTensors(page);
  const panel = page.locator(".experiment-panel[data-claim=M4]");
  await setInput(page, `.experiment-panel[data-claim=M4] ${range("학습 예제 수")}`, "256"); // 4 batches of 64
  await panel.locator(".panel-start").click();
  await page.waitForFunction(
    () =>
      /^(done|stopped|error)$/.test(
        document.querySelector(".experiment-panel[data-claim=M4]")?.getAttribute("data-state") ?? ""
      ),
    null,
    {timeout: 150_000}
  );
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
  await panel.screenshot({path: `${SCREENSHOTS}/cnn-models-m4.png`});
  await settle(page);
  expect(await numTensors(page)).toBe(baseline);
  expect(report.consoleErrors).toEqual([]);
});

test("M4: 정지 mid-run ends the run as stopped, with a result up to there, and leaks nothing", async () => {
  const baseline = await numTensors(page);
  const panel = page.locator(".experiment-panel[data-claim=M4]");
  await setInput(page, `.experiment-panel[data-claim=M4] ${range("학습 예제 수")}`, "2048");
  await panel.locator(".panel-start").click();
  await page.waitForFunction(
    () =>
      /batch [2-9]/.test(document.querySelector(".experiment-panel[data-claim=M4] .panel-status")?.textContent ?? ""),
    null,
    {timeout: 120_000}
  );
  await panel.locator(".panel-stop").click();
  await page.waitForFunction(
    () => document.querySelector(".experiment-panel[data-claim=M4]")?.getAttribute("data-state") === "stopped",
    null,
    {timeout: 60_000}
  );
  expect(await panel.locator(".experiment-result").innerText()).toMatch(/^정지한 시점까지 \(\d+개 batch\)/);
  await settle(page);
  expect(await numTensors(page)).toBe(baseline);
});

test("the tiny-model race on a short budget reports accuracy, parameters and time, and leaks nothing", async () => {
  const baseline = await numTensors(page);
  const panel = page.locator(".experiment-panel").nth(1);
  await panel.locator('form:has(label:text-is("학습 예제 수")) input[type=range]').evaluate((el) => {
    const input = el as HTMLInputElement;
    input.value = "256";
    input.dispatchEvent(new Event("input", {bubbles: true}));
  });
  await panel.locator(".panel-start").click();
  await page.waitForFunction(
    () =>
      /^(done|stopped|error)$/.test(
        document.querySelectorAll(".experiment-panel")[1]?.getAttribute("data-state") ?? ""
      ),
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
