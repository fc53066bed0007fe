/**
 * Chapter 8-2 「Swin Transformer」 (V6) in Chromium: the widgets' numbers equal lib/analysis/swin.ts's and the paper's
 * formulas computed here (window counts, the mask, reach sets, Ω, the relative index, Swin-T's parameters); the
 * shift stepper, the patch pick, the sliders and the index picker work by keyboard; the measurement and the training
 * run on a tiny budget to `data-state="done"` with sentences written from their own numbers, and nothing leaks; the
 * exercises judge right and wrong; no sideways scroll at 390 px.
 */
import {expect, test} from "vitest";
import type {Locator, Page} from "playwright-core";
import {COURSE_PAGES} from "../../lib/chapters.js";
import {msaCost, shiftedWindowMask, wmsaCost} from "../../lib/analysis/swin.js";
import {dryBuild} from "../../lib/analysis/dry-build.js";
import type {AttentionCostRow} from "../../lib/analysis/swin-cost.js";
import {SWIN_MODELS} from "../../lib/models/swin.js";
import {maskExercise, SWIN_EXERCISES} from "../../lib/exercises/swin.js";
import {VIT_RECIPE} from "../../lib/train/vit-recipe.js";
import {
  costSeries,
  describeCost,
  describeMeasured,
  describeReach,
  describeV6,
  maskCounts,
  maskedSoftmax,
  newPairs,
  reachSummary,
  relativePair,
  windowCount,
  type V6Conditions,
  type V6Row
} from "../../lib/viz/swin.js";
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
useSitePage("/swin.html", (opened) => ({page, report} = opened));

const data = async (loc: Locator, name: string) => (await loc.getAttribute(`data-${name}`))!;

test("the page loads without cell, console or network errors, and runs no experiment on load", async () => {
  await expectCleanLoad(page, report, 10);
  expect(await page.locator(".experiment-panel[data-state=idle]").count()).toBe(2);
  expect(await page.locator(".panel-output *").count()).toBe(0);
  await page.screenshot({path: `${SCREENSHOTS}/swin-top.png`});
});

test("claim markers: exactly the page's claims, each once", async () => {
  const shown = await page.locator("[data-claim]").evaluateAll((els) => els.map((e) => e.getAttribute("data-claim")));
  expect(shown.sort()).toEqual([...COURSE_PAGES.find((c) => c.slug === "swin")!.claims].sort());
});

/** The stage's grid, window and shift, and its mask view checked against the lib's mask. */
async function checkShiftView() {
  const stage = page.locator(".swin-shift");
  const [n, m, s] = await Promise.all(["grid", "window", "shift"].map(async (k) => Number(await data(stage, k))));
  expect(s).toBe(Math.floor(m / 2));
  expect(n % m).toBe(0);
  expect(Number(await data(stage, "windows"))).toBe(windowCount(n, n, m));
  const mask = page.locator(".swin-mask");
  const index = Number(await data(mask, "window-index"));
  const expected = shiftedWindowMask(n, n, m, s)[index];
  const counts = maskCounts(expected);
  expect(Number(await data(mask, "blocked"))).toBe(counts.blocked);
  expect(Number(await data(mask, "open"))).toBe(counts.open);
  const shown = await mask.locator("rect[data-v]").evaluateAll((rs) => rs.map((r) => Number(r.getAttribute("data-v"))));
  expect(shown).toEqual(expected.flat());
  return {n, m, s, index};
}

test("shift stepper: numbers from the lib, steps by buttons and keys, sliders by keyboard", async () => {
  const stage = page.locator(".swin-shift");
  const first = await checkShiftView();
  expect(first.index).toBe(windowCount(first.n, first.n, first.m) - 1); // the last window: four regions
  expect(Number(await data(page.locator(".swin-mask"), "blocked"))).toBeGreaterThan(0);
  await page.locator(".swin-picture").focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
  expect(await data(stage, "step")).toBe("3");
  expect(await data(stage, "roll")).toBe(`${-first.s},${-first.s}`);
  await stage.screenshot({path: `${SCREENSHOTS}/swin-shift.png`});
  await page.keyboard.press("End");
  expect(await data(stage, "step")).toBe("5");
  await page.keyboard.press("Home");
  expect(await data(stage, "step")).toBe("0");
  await stage.locator(".swin-next").click();
  expect(await data(stage, "step")).toBe("1");
  // window size by keyboard: 4 -> 5
  await stage.locator('form:has(label:text-is("window 크기 M (patch)")) input').focus();
  await page.keyboard.press("ArrowRight");
  await settle(page);
  expect(await data(stage, "window")).toBe("5");
  const second = await checkShiftView();
  expect(second.m).toBe(5);
  // patch size 32 -> 16: more patches per side
  await stage.locator('form:has(label:text-is("patch 크기 (픽셀)")) input').focus();
  await page.keyboard.press("ArrowLeft");
  await settle(page);
  expect(await data(stage, "patch")).toBe("16");
  const third = await checkShiftView();
  expect(third.n).toBeGreaterThan(second.n);
  // a middle window has one region: all 0
  await setInput(page, '.swin-mask form:has(label:text-is("mask를 볼 window")) input', "0");
  expect(await data(page.locator(".swin-mask"), "blocked")).toBe("0");
  await page.locator(".swin-mask").screenshot({path: `${SCREENSHOTS}/swin-mask.png`});
});

test("reach: the counts and the sentence equal the lib's sets; the patch moves by keyboard", async () => {
  const view = page.locator(".reach-view");
  const check = async () => {
    const n = Number(await data(view, "grid"));
    const m = Number(await data(view, "window"));
    const blocks = Number(await data(view, "blocks"));
    const start = (await data(view, "start")).split(",").map(Number) as [number, number];
    const summary = reachSummary(n, n, m, start, 24);
    for (const [i, mode] of ["window", "shifted", "global"].entries()) {
      expect(Number(await data(view.locator(`.reach-grid[data-mode=${mode}]`), "count"))).toBe(
        summary[i].counts[blocks]
      );
      expect(await view.locator(`.reach-grid[data-mode=${mode}] rect[data-reached]`).count()).toBe(
        summary[i].counts[blocks]
      );
    }
    expect(await view.locator(".reach-line").innerText()).toBe(describeReach(n, n, m, start, blocks, summary));
    return start;
  };
  const start = await check();
  await view.locator(".reach-grid[data-mode=shifted]").focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowRight");
  expect(await data(view, "start")).toBe(`${start[0] + 1},${start[1] + 1}`);
  await setInput(page, '.reach-view form:has(label:text-is("block 수")) input', "5");
  expect(await data(view, "blocks")).toBe("5");
  await check();
  await view.screenshot({path: `${SCREENSHOTS}/swin-reach.png`});
});

test("cost: Ω shown equals the paper's formulas at two settings", async () => {
  const view = page.locator(".swin-cost");
  const check = async (resolution: number, c: number, m: number) => {
    const h = resolution / 4;
    expect(Number(await data(view, "h"))).toBe(h);
    expect(Number(await data(view, "msa"))).toBe(msaCost(h, h, c));
    expect(Number(await data(view, "wmsa"))).toBe(wmsaCost(h, h, c, m));
    const [row] = costSeries([resolution], {patch: 4, channels: c, window: m});
    expect(await view.locator(".cost-line").innerText()).toBe(describeCost(row, {channels: c, window: m}));
  };
  await check(224, 96, 7);
  await setInput(page, '.swin-cost form:has(label:text-is("이미지 크기 (픽셀)")) input', "5"); // 640
  await setInput(page, '.swin-cost form:has(label:text-is("C")) input', "1"); // 64
  await check(640, 64, 7);
  expect(await page.locator(".cost-chart svg").count()).toBeGreaterThan(0);
});

test("hierarchy: Swin-T's parameters equal a dry build here and timm's; stages 56² … 7² beside ResNet-50's", async () => {
  const line = page.locator(".hierarchy-line");
  const model = dryBuild(() => SWIN_MODELS.swin_tiny_patch4_window7_224({weights: "zeros"}));
  expect(Number(await data(line, "params"))).toBe(model.countParams());
  expect(Number(await data(line, "timm"))).toBe(28_288_354);
  const shapes = async (model: string) =>
    page
      .locator(`.hierarchy-table tr[data-model=${model}] td[data-shape]`)
      .evaluateAll((tds) => tds.map((t) => t.getAttribute("data-shape")));
  expect(await shapes("swin_tiny")).toEqual(["56x56x96", "28x28x192", "14x14x384", "7x7x768"]);
  expect(await shapes("resnet50")).toEqual(["56x56x256", "28x28x512", "14x14x1024", "7x7x2048"]);
});

test("questions: ⌊M/2⌋ table, the masked softmax in float32, the relative index by click and keyboard", async () => {
  const best = await page
    .locator(".shift-table tr.best")
    .evaluateAll((trs) => trs.map((t) => Number(t.getAttribute("data-s"))));
  expect(best).toContain(3); // M = 7: s = 3 and 4
  for (const s of [1, 3]) {
    expect(Number(await data(page.locator(`.shift-table tr[data-s="${s}"]`), "pairs"))).toBe(newPairs(7, s));
  }
  const soft = page.locator(".mask-softmax");
  const f32 = JSON.parse(await data(soft, "f32")) as number[];
  const f64 = maskedSoftmax([1, 0.5, 2, 3], [0, 0, -100, -100]);
  f32.forEach((v, i) => expect(v).toBeCloseTo(f64[i], 6));
  expect(f32[3]).toBeLessThan(1e-30);
  // the sentence: e^−100 multiplies exp(score); the renormalised weight changes by masked / plain, not by e^−100
  const plain = maskedSoftmax([1, 0.5, 2, 3], [0, 0, 0, 0]);
  const softLine = await soft.locator(".softmax-line").innerText();
  expect(softLine).toContain(`${(f64[3] / plain[3]).toExponential(2)}배가 됩니다`);
  expect(softLine).not.toContain(`${Math.exp(-100).toExponential(2)}배`);
  expect(softLine).toContain("3.0으로");
  // the table and its sentence count ordered query–key pairs
  expect(await page.locator(".shift-table th").allInnerTexts()).toContain("새로 만나는 쌍 (query–key 순서쌍)");
  // the mask caption does not point at a figure that is not on its slide
  expect(await page.locator("body").innerText()).not.toContain("그림에 점선");
  const rel = page.locator(".rel-index");
  const m = 3;
  await rel.locator('[data-patch="1"]').click(); // i = (0, 1)
  await rel.locator('[data-patch="6"]').click(); // j = (2, 0)
  let p = relativePair(m, 1, 6);
  expect([await data(rel, "i"), await data(rel, "j"), await data(rel, "index")]).toEqual(["1", "6", String(p.index)]);
  expect(p).toMatchObject({dr: -2, dc: 1, index: 0 * 5 + 3});
  // keyboard: the cursor is on 6; move right and pick i, then down-left and pick j
  await rel.locator(".rel-window").focus();
  await page.keyboard.press("ArrowRight"); // 7
  await page.keyboard.press("Enter"); // i = 7
  await page.keyboard.press("ArrowUp"); // 4
  await page.keyboard.press("ArrowLeft"); // 3
  await page.keyboard.press("Enter"); // j = 3
  p = relativePair(m, 7, 3);
  expect([await data(rel, "i"), await data(rel, "j"), await data(rel, "index")]).toEqual(["7", "3", String(p.index)]);
  expect(await rel.locator(".rel-line").innerText()).toContain(`= ${p.index}.`);
});

/** Type an answer into an exercise and press 확인; returns the feedback. */
async function answer(ex: Locator, value: string): Promise<string> {
  await ex.locator(".exercise-input").fill(value);
  await ex.locator(".exercise-check").click();
  return ex.locator(".exercise-feedback").innerText();
}

test("the exercises judge a right and a wrong answer", async () => {
  const rel = page.locator('[data-exercise="relative-index"]');
  expect(await answer(rel, String(SWIN_EXERCISES.relativeIndex.expected))).toContain("✓");
  expect(await rel.getAttribute("data-result")).toBe("right");
  expect(await answer(rel, "120")).toContain("j − i");
  expect(await rel.getAttribute("data-result")).toBe("wrong");
  const windows = page.locator('[data-exercise="window-count"]');
  expect(await answer(windows, "64")).toContain("✓");
  expect(await answer(windows, "8")).toContain("한 변");
  const cost = page.locator('[data-exercise="wmsa-cost"]');
  expect(await answer(cost, "145,108,992")).toContain("✓");
  expect(await answer(cost, String(msaCost(56, 56, 96)))).toContain("Ω(MSA)");
  const mask = page.locator('[data-exercise="mask-count"]');
  expect(await answer(mask, String(SWIN_EXERCISES.mask.expected))).toContain("✓");
  expect(await answer(mask, "324")).toContain("같은 region"); // 12×12, M = 6, s = 3: four 3×3 regions, 4·9² pairs
  await mask.locator(".exercise-show").click();
  expect(await mask.locator(".exercise-solution").innerText()).toContain(String(SWIN_EXERCISES.mask.expected));
  expect(await page.locator("[data-exercise]").count()).toBeGreaterThanOrEqual(4);
});

test("the live cell counts the last window's −100 entries as the mask exercise's checker does, for another case", async () => {
  const out = page.locator(".live-cell").first().locator(".live-output");
  await expect.poll(() => out.innerText()).toContain(`−100인 칸 ${maskExercise(8, 4, 2).expected}개`);
  // the exercise asks another case than the one the cell prints
  expect(maskExercise(8, 4, 2).expected).not.toBe(SWIN_EXERCISES.mask.expected);
});

/** Choose options of a panel's selects by label, press start, wait for the end; returns the panel. */
const runPanel = (selector: string, choices: Record<string, string>, timeout = 300_000) =>
  runPanelOn(page, selector, choices, timeout);

const backendName = () =>
  page.evaluate(() => (window as unknown as {_tfengine: {backendName: string}})._tfengine.backendName);

test("the measurement up to 28×28: two sizes, the sentence from its numbers, and no leak", async () => {
  const baseline = await numTensors(page);
  const panel = await runPanel(".experiment-panel[data-experiment=measure]", {"가장 큰 크기 (patch)": "28×28"});
  const result = panel.locator(".experiment-result");
  const rows = JSON.parse(await data(result, "rows")) as AttentionCostRow[];
  expect(rows.map((r) => r.side)).toEqual([14, 28]);
  for (const r of rows) expect(r.globalMacs).toBe(msaCost(r.side, r.side, 32));
  for (const r of rows) expect(r.globalBytes).toBeGreaterThan(r.windowBytes);
  expect(await result.innerText()).toBe(describeMeasured(rows, await backendName()));
  await settle(page);
  expect(await numTensors(page)).toBe(baseline);
});

test(
  "V6 on 128 images, 1 epoch, 500 test images: both curves, the table, the sentence from its numbers, and no leak",
  {timeout: 300_000},
  async () => {
    const baseline = await numTensors(page);
    const panel = await runPanel(".experiment-panel[data-claim=V6]", {
      "학습 예제 수": "128",
      epoch: "1",
      "테스트 예제 수": "500"
    });
    const result = panel.locator(".experiment-result");
    const rows = JSON.parse(await data(result, "rows")) as [V6Row, V6Row];
    const conditions = JSON.parse(await data(result, "conditions")) as V6Conditions;
    expect(rows.map((r) => r.name)).toEqual(["Swin", "ViT"]);
    expect(conditions).toMatchObject({examples: 128, testExamples: 500, epochs: 1, batchSize: VIT_RECIPE.batchSize});
    for (const r of rows) {
      expect(r.steps).toBe(Math.ceil(128 / VIT_RECIPE.batchSize));
      expect(r.msPerStep).toBeGreaterThan(0);
      expect(r.accuracy).toBeGreaterThanOrEqual(0);
      expect(r.accuracy).toBeLessThanOrEqual(1);
    }
    expect(await result.innerText()).toBe(describeV6(rows, conditions));
    // 4 steps each: the mean leaves out the warm-up step; the verdict has a noise band or the chance guard
    for (const r of rows) expect(r.warmupIncluded).toBe(false);
    expect(await result.innerText()).toContain("첫 step (warm-up)을 뺀 평균");
    expect(await result.innerText()).toMatch(/잡음 범위/);
    expect(await panel.locator(".panel-curves svg").count()).toBeGreaterThanOrEqual(1);
    await panel.screenshot({path: `${SCREENSHOTS}/swin-v6.png`});
    await settle(page);
    expect(await numTensors(page)).toBe(baseline);
  }
);

test("phone width: no sideways scroll", async () => {
  await page.setViewportSize({width: 390, height: 844});
  await settle(page);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth
  );
  await page.screenshot({path: `${SCREENSHOTS}/swin-390.png`, fullPage: true});
  expect(overflow).toBeLessThanOrEqual(0);
  await page.setViewportSize({width: 1280, height: 900});
});
