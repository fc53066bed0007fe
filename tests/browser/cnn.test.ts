/**
 * Chapter 2 in Chromium, used the way a student does: move the parameter sliders, edit the softmax logits, train the
 * ConvNet for a few seconds and stop, look at the results, draw a digit, run the position and the pixel-permutation
 * experiments on their quick settings, switch the pooling input, answer the exercises. Checks that every computed
 * sentence follows its input, that every claim shows once, that the page never shows a cell error, and that
 * nothing leaks tensors.
 */
import {readdirSync, readFileSync, statSync} from "node:fs";
import {expect, test} from "vitest";
import type {Page} from "playwright-core";
import {CHAPTERS} from "../../lib/chapters.js";
import {CONVNET_RECIPE} from "../../lib/train/convnet-recipe.js";
import {inspectPage, numTensors, SCREENSHOTS, setInput, settle, type PageReport, useSitePage} from "./site.js";

let page: Page;
let report: PageReport;
useSitePage("/cnn.html", (opened) => ({page, report} = opened));

const text = (selector: string) => page.locator(selector).first().innerText();

test("the page shows exactly chapter 2's claims, each once", async () => {
  const shown = await page.locator("[data-claim]").evaluateAll((els) => els.map((e) => e.getAttribute("data-claim")));
  const expected = CHAPTERS.find((c) => c.slug === "cnn")!.claims;
  expect([...shown].sort()).toEqual([...expected].sort());
  expect(expected).toContain("C5");
});

test("C1: the formula and countParams() of a real conv layer agree for any slider setting", async () => {
  const value = () => text('[data-testid="conv-params"]');
  expect(await value()).toBe("896"); // (3·3·3 + 1)·32
  await setInput(page, 'form:has(label:text-is("f (필터 크기)")) input[type=range]', "5");
  await setInput(page, 'form:has(label:text-is("c_in")) input[type=range]', "16");
  expect(await value()).toBe("12,832"); // (5·5·16 + 1)·32, chapter 2's conv2
  expect(await text(".formula-row")).toContain("✓");
  expect((await inspectPage(page)).cellErrors).toEqual([]);
});

test("C3: the sentence about the cost chart says what the rows show (the pooled line is the steeper one)", async () => {
  const sentence = await text('[data-testid="cost-lines"]');
  // by hand (tests/unit/analysis/pooling-cost.test.ts): 6,170,240 / 1,083,008 = 5.70 at 28², 4.22 at 224²
  expect(sentence).toContain("더 가파른 선은 max pooling입니다");
  expect(sentence).toContain("28²의 5.7배에서 224²의 4.2배로 줄어듭니다");
});

test("the MNIST size in the prose is the size of the built file", async () => {
  const dir = "dist/_file/assets/";
  const file = readdirSync(dir).find((f) => /^mnist-train\.[0-9a-f]+\.bin$/.test(f))!;
  const bytes = statSync(dir + file).size;
  const shown = `${(bytes / 2 ** 20).toFixed(1)} MB`;
  expect(await text("#training ~ p")).toContain(`픽셀당 4비트로 압축해서 ${shown}`); // 4: the loader's bits
});

test("the training prose states the page's recipe (lib/train/convnet-recipe.ts), the first choice is the recipe's", async () => {
  const prose = await text("#training ~ p");
  const r = CONVNET_RECIPE;
  expect(prose).toContain(`처음 ${r.examples.toLocaleString("en-US")}장으로 ${r.epochs} epoch, batch ${r.batchSize}`);
  expect(prose).toContain(`${r.learningRate / 10}에서 ${r.learningRate}까지 올렸다가 cosine으로`);
  expect(prose).toContain(`처음 ${r.warmup * 100}%의 step`);
  const first = await page.locator('select[aria-label="학습 데이터 수"] option').first().getAttribute("value");
  expect(Number(first)).toBe(r.examples);
});

test("softmax and cross-entropy follow the edited logits", async () => {
  const input = page.locator('form:has(label:text-is("logit z (쉼표로)")) input').first();
  await input.fill("0, 0, 0, 0");
  await input.dispatchEvent("input");
  await setInput(page, 'form:has(label:text-is("정답 클래스 y")) input[type=range]', "2");
  // four equal logits: p = 1/4 each, loss = ln 4
  const result = await text('[data-testid="softmax-result"]');
  expect(result).toContain("정답 2의 확률 25.0%");
  expect(result).toContain(`cross-entropy ${Math.log(4).toFixed(3)}`);
  await input.fill("0, oops");
  await input.dispatchEvent("input");
  await settle(page);
  expect(await page.locator(".softmax-view").count()).toBe(0);
  expect(await text(".error-note")).toContain("oops");
  await input.fill("1.2, -0.5, 0.3, 4.0, -1.0, 0.8, -0.2, 2.5, 0.0, 1.0");
  await input.dispatchEvent("input");
  await settle(page);
});

/** The P2 sentence's numbers against its own image captions, for the input chosen. */
async function poolingSentence(): Promise<{text: string; verdict: string; captions: string[]}> {
  return {
    text: await text('[data-testid="pooling-cnr"]'),
    verdict: await text('[data-testid="pooling-cnr"] b'),
    captions: await page.locator("#pooling-noise ~ * .panels figcaption").allInnerTexts()
  };
}

test("P2: the pooling sentence follows the chosen input (thin stroke and wide area)", async () => {
  const stroke = await poolingSentence();
  expect(stroke.text).toContain("가는 획");
  expect(stroke.verdict).toBe("max pooling"); // tests/unit/ops/pooling-inputs.test.ts
  expect(stroke.text).toMatch(/contrast\) [\d.]+ → [\d.]+ \(×[\d.]+, \d+% 잃음\)/);
  // the sentence's CNRs are the captions' CNRs (two decimals there, one here)
  const caption = (kind: string) => Number(stroke.captions.find((c) => c.startsWith(kind))!.match(/CNR ([\d.]+)/)![1]);
  const said = (kind: string) => Number(stroke.text.match(new RegExp(`${kind} ([\\d.]+)[,)]`))![1]);
  expect(Math.abs(said("max") - caption("max pooling"))).toBeLessThanOrEqual(0.06);
  expect(Math.abs(said("average") - caption("average pooling"))).toBeLessThanOrEqual(0.06);
  await page.locator('label:has-text("넓은 면") input[type=radio]').check();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="pooling-cnr"]')?.textContent?.includes("넓은 면")
  );
  await settle(page);
  const area = await poolingSentence();
  expect(area.text).toContain("넓은 면");
  expect(area.text).not.toContain("가는 획");
  expect(area.verdict).toBe("average pooling");
  expect(area.text).toMatch(/contrast\) [\d.]+ → [\d.]+ \(×[\d.]+, 거의 그대로\)/);
  expect(area.text).toContain("average pooling의 CNR이 더 높습니다");
  // the summary names both inputs' winners at the same σ
  const summary = await page.locator("li", {hasText: "노이즈에서 CNR이 더 높은 쪽"}).innerText();
  expect(summary).toMatch(/가는 획 \(1 px\)은 max pooling .* 넓은 면은 average pooling/);
});

async function trainBriefly(): Promise<void> {
  const panel = page.locator('[data-claim="C4"]');
  await page.selectOption('select[aria-label="학습 데이터 수"]', "5000");
  await panel.locator(".panel-start").click();
  await page.waitForFunction(
    () => /batch (\d{2,})/.test(document.querySelector(".train-stats")?.textContent ?? ""),
    undefined,
    {timeout: 120_000}
  );
  await panel.locator(".panel-stop").click();
  await page.waitForFunction(
    () => document.querySelector('[data-claim="C4"]')?.getAttribute("data-state") === "stopped",
    undefined,
    {
      timeout: 120_000
    }
  );
  await page.waitForSelector('[data-testid="test-accuracy"] .big', {timeout: 120_000});
  await settle(page);
}

test("C4: a short training draws the curves, is evaluated on the 10,000 test images, and shows the results", async () => {
  await trainBriefly();
  expect(await page.locator(".train-chart svg").count()).toBeGreaterThan(0);
  expect(await text(".train-stats")).toMatch(/loss [\d.]+ · 정확도 [\d.]+%/);
  const accuracy = parseFloat(await text('[data-testid="test-accuracy"] .big'));
  expect(accuracy).toBeGreaterThan(20); // a few dozen batches already beat chance (10%)
  expect(await text('[data-testid="test-accuracy"]')).toContain("10,000장");
  expect(await page.locator("#results ~ * svg, #results ~ * figure").count()).toBeGreaterThan(0);
  // the mistakes list: its count matches the accuracy, its captions are "true → predicted (p%)"
  const mistakes = await text('[data-testid="mistakes"]');
  const wrong = Number(mistakes.match(/틀린 숫자 ([\d,]+)개/)![1].replace(/,/g, ""));
  expect(wrong).toBe(Math.round(10_000 * (1 - accuracy / 100)));
  const captions = await page.locator(".digit-gallery figcaption").allInnerTexts();
  expect(captions.length).toBe(Math.min(24, wrong));
  for (const c of captions) {
    const [, t, p] = c.match(/^(\d) → (\d) \(\d+%\)$/)!;
    expect(t).not.toBe(p);
  }
  expect(await page.locator("#filters ~ * svg rect").count()).toBeGreaterThan(16 * 25 - 1);
  expect(await page.locator("#feature-maps ~ * .feature-map-grid").count()).toBe(4);
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

test("C2: the prose reads the chosen data size; the experiment reports accuracy against the shift", async () => {
  const intro = () => text("#shift ~ p");
  expect(await intro()).toContain("12,000장");
  await page.selectOption('select[aria-label="위치 실험 학습 데이터 수"]', "3000");
  await settle(page);
  expect(await intro()).toContain("3,000장");
  expect(await intro()).not.toContain("12,000장");
  const before = await numTensors(page);
  const panel = page.locator('[data-claim="C2"]');
  await panel.locator(".panel-start").click();
  await page.waitForFunction(
    () => document.querySelector('[data-claim="C2"]')?.getAttribute("data-state") === "done",
    undefined,
    {
      timeout: 170_000
    }
  );
  const summary = await text('[data-testid="shift-summary"]');
  expect(summary).toMatch(/CNN \d+\.\d%, MLP \d+\.\d%/);
  expect(summary).toContain("학습 3,000장");
  expect(await panel.locator(".panel-output svg").count()).toBeGreaterThan(0);
  expect(await numTensors(page)).toBe(before);
});

test("C5: the permutation experiment on its quick budget shows the digit, four accuracies and a computed sentence", async () => {
  await page.selectOption('select[aria-label="픽셀 섞기 실험 예산"]', "quick");
  const before = await numTensors(page);
  const panel = page.locator('[data-claim="C5"]');
  await panel.locator(".panel-start").click();
  await page.waitForFunction(
    () => document.querySelector('[data-claim="C5"]')?.getAttribute("data-state") === "done",
    undefined,
    {
      timeout: 170_000
    }
  );
  expect(await panel.locator(".panels canvas").count()).toBe(3); // original, permuted, restored
  const bars = await panel.locator(".panel-output svg text").evaluateAll((els) => els.map((e) => e.textContent ?? ""));
  const values = bars.filter((t) => /^\d+\.\d%$/.test(t));
  expect(values.length).toBe(4);
  const summary = await text('[data-testid="permutation-summary"]');
  expect(summary).toContain("학습 1,000장, 1 epoch, 테스트 500장");
  const m = summary.match(/MLP는 원본 ([\d.]+)% → 픽셀 섞음 ([\d.]+)%.*CNN은 ([\d.]+)% → ([\d.]+)%/)!;
  expect(m).not.toBeNull();
  // the four numbers in the sentence are the four bars
  expect([...m.slice(1)].map((v) => `${v}%`).sort()).toEqual([...values].sort());
  // the MLP pair is the same computation up to float order (lib/train/permutation.ts)
  expect(Math.abs(Number(m[1]) - Number(m[2]))).toBeLessThanOrEqual(0.4);
  expect(await numTensors(page)).toBe(before);
});

test("exercises: right and wrong answers, feedback and computed solutions", async () => {
  const answer = async (id: string, value: string) => {
    const ex = page.locator(`[data-exercise="${id}"]`);
    await ex.locator(".exercise-input").fill(value);
    await ex.locator(".exercise-check").click();
    return {result: await ex.getAttribute("data-result"), feedback: await ex.locator(".exercise-feedback").innerText()};
  };
  expect(await answer("conv-params", "12800")).toMatchObject({
    result: "wrong",
    feedback: expect.stringContaining("bias")
  });
  expect((await answer("conv-params", "12,832")).result).toBe("right");
  expect(await answer("pool-shape", "14")).toMatchObject({result: "wrong"});
  expect((await answer("pool-shape", "12")).result).toBe("right");
  expect(await answer("conv-macs", "1638400")).toMatchObject({feedback: expect.stringContaining("FLOPs")});
  expect((await answer("conv-macs", "819200")).result).toBe("right");
  expect((await answer("softmax-loss", "0.88")).result).toBe("wrong");
  expect((await answer("softmax-loss", "0.24")).result).toBe("right");
  const solution = page.locator('[data-exercise="conv-params"]');
  await solution.locator(".exercise-show").click();
  expect(await solution.locator(".exercise-solution").innerText()).toContain("TF.js countParams: 12,832");

  // the live cell: the starting code is too big; a small CNN passes
  const cell = page.locator('[data-live-id="small-cnn"]');
  const judged = page.locator('[data-exercise="small-cnn"]');
  await cell.locator(".live-run").click();
  await page.waitForFunction(() => document.querySelector('[data-exercise="small-cnn"]')?.getAttribute("data-result"));
  expect(await judged.getAttribute("data-result")).toBe("wrong");
  expect(await judged.locator(".exercise-feedback").innerText()).toContain("이상입니다");
  await judged.locator(".exercise-show").click();
  const code = await judged.locator(".exercise-solution pre").innerText();
  await cell.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(code);
  await page.keyboard.press("Shift+Enter");
  await page.waitForFunction(
    () => document.querySelector('[data-exercise="small-cnn"]')?.getAttribute("data-result") === "right",
    undefined,
    {timeout: 30_000}
  );
  await cell.locator(".live-reset").click();
});

test("screenshots at desktop and phone width; no sideways scroll at 390 px; no errors all along", async () => {
  await page.screenshot({path: `${SCREENSHOTS}/cnn-desktop.png`, fullPage: true});
  await page.setViewportSize({width: 390, height: 844});
  await settle(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.screenshot({path: `${SCREENSHOTS}/cnn-390.png`, fullPage: true});
  await page.setViewportSize({width: 1280, height: 900});
  expect(overflow).toBeLessThanOrEqual(0);
  expect((await inspectPage(page)).cellErrors).toEqual([]);
  expect(report.pageErrors).toEqual([]);
  expect(report.consoleErrors).toEqual([]);
  expect(report.foreignRequests).toEqual([]);
  expect(readFileSync("dist/cnn.html", "utf8")).toContain('data-claim="C1"');
});
