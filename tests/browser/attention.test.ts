/**
 * Chapter 6 「Attention」 (first half) in Chromium: the five-step numbers on the page agree with an independent
 * recomputation here (softmax of the shown scores = the shown weights, weights sum to 1, the weighted sum of the
 * shown encoder states = the shown attention output); the stepper moves by buttons and keys; the claim markers are
 * exactly the chapter's built ones; the exercises judge right and wrong; A1 on a tiny budget reaches
 * `data-state="done"` with two curves, the accuracy-by-length chart and the sentence lib/viz/attention.ts writes from
 * the run's own numbers, and hands its model to the five steps and the heatmap; the heatmap of a typed input has
 * T × S cells; nothing leaks, also after a re-run.
 */
import {expect, test} from "vitest";
import type {Locator, Page} from "playwright-core";
import {CHAPTERS} from "../../lib/chapters.js";
import {ATTENTION_EXERCISES} from "../../lib/exercises/attention.js";
import {describeA1, type A1Conditions, type LengthRow} from "../../lib/viz/attention.js";
import {sourceTokens} from "../../lib/data/dates.js";
import {expectCleanLoad, numTensors, SCREENSHOTS, settle, type PageReport, useSitePage} from "./site.js";

let page: Page;
let report: PageReport;
useSitePage("/attention.html", (opened) => ({page, report} = opened));

const steps = () => page.locator(".attention-steps");
const json = async (loc: Locator, name: string) => JSON.parse((await loc.getAttribute(`data-${name}`))!);

test("the page loads without cell, console or network errors, and runs no experiment on load", async () => {
  await expectCleanLoad(page, report, 10);
  // every experiment panel (A1 here; SA3, SA5 of the second half) waits for a click
  expect(await page.locator(".experiment-panel:not([data-state=idle])").count()).toBe(0);
  expect(await page.locator(".experiment-panel[data-claim=A1][data-state=idle]").count()).toBe(1);
  expect(await page.locator(".experiment-panel .panel-output *").count()).toBe(0);
});

test("claim markers: exactly the chapter's built claims (A1, A2 and the second half's SA1–SA5), each once", async () => {
  const chapter = CHAPTERS.find((c) => c.slug === "attention")!;
  const shown = await page.locator("[data-claim]").evaluateAll((els) => els.map((e) => e.getAttribute("data-claim")));
  expect(shown.sort()).toEqual(chapter.claims.filter((c) => !(chapter.pending ?? []).includes(c)).sort());
  expect(shown.sort()).toEqual(["A1", "A2", "SA1", "SA2", "SA3", "SA4", "SA5"]);
});

/** The shown step's numbers, recomputed here by plain loops. */
async function checkStep() {
  const root = steps();
  const scores = (await json(root, "scores")) as number[];
  const weights = (await json(root, "weights")) as number[];
  const keys = (await json(root, "keys")) as number[][];
  const output = (await json(root, "output")) as number[];
  const query = (await json(root, "query")) as number[];
  expect(scores.length).toBe(keys.length);
  expect(scores.length).toBeGreaterThan(3);
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const total = exps.reduce((a, b) => a + b, 0);
  exps.forEach((e, i) => expect(weights[i]).toBeCloseTo(e / total, 5));
  expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  output.forEach((o, j) =>
    expect(o).toBeCloseTo(
      keys.reduce((sum, k, s) => sum + weights[s] * k[j], 0),
      5
    )
  );
  expect(output.length).toBe(query.length);
  // the dot score is the query times each key
  const dot = keys.map((k) => k.reduce((sum, x, j) => sum + x * query[j], 0));
  dot.forEach((d, s) => expect(scores[s]).toBeCloseTo(d, 4));
  // the KaTeX lines show the same weights, rounded
  const text = await root.locator(".steps-formulas").innerText();
  expect(text).toContain(weights[0].toFixed(2));
  expect(text).toContain(`${(1).toFixed(3)}`);
  return weights;
}

test("A2: softmax of the shown scores = the shown weights (sum 1); their sum of states = the shown output", async () => {
  expect(await page.locator(".steps-model").innerText()).toContain("아직 학습하지 않은 모델");
  await checkStep();
  // the figure sits on the next slide (.steps-details), beside the table of every score and weight
  const figure = page.locator(".steps-details svg.attention-figure g.fig-state");
  expect(await figure.count()).toBe(((await json(steps(), "weights")) as number[]).length);
});

test("A2: the stepper moves with its buttons and the arrow keys, and the numbers follow", async () => {
  const root = steps();
  expect(await root.getAttribute("data-step")).toBe("1");
  const before = await root.getAttribute("data-query");
  await root.locator(".steps-next").click();
  expect(await root.getAttribute("data-step")).toBe("2");
  expect(await root.getAttribute("data-query")).not.toBe(before);
  await checkStep();
  await root.focus();
  await page.keyboard.press("ArrowRight");
  expect(await root.getAttribute("data-step")).toBe("3");
  await page.keyboard.press("Home");
  expect(await root.getAttribute("data-step")).toBe("1");
});

/** Type into a text input and fire its change event (as leaving the field does). */
async function typeInto(loc: Locator, text: string) {
  await loc.fill(text);
  await loc.dispatchEvent("change");
  await loc.press("Enter");
  await settle(page);
}

const noSidewaysScroll = () =>
  page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

/** Formula boxes of the five steps wider than their box (cut, or scrolled) and the table's column count. */
const stepsFit = () =>
  steps().evaluate((root) => ({
    cut: [...root.querySelectorAll(".steps-line > :last-child")]
      .map((b, i) => ({b, i}))
      .filter(({b}) => b.scrollWidth > b.clientWidth + 1)
      .map(({b, i}) => `step ${i + 1}: ${b.scrollWidth}/${b.clientWidth}`),
    columns: document.querySelector(".steps-vector-table tr")?.children.length ?? 0
  }));

test("A2: the score and weight vectors are not cut at 1280 or 390 px; the table below lists every entry", async () => {
  const size = page.viewportSize()!;
  const S = (await json(steps(), "scores")).length as number;
  try {
    for (const width of [1280, 390]) {
      await page.setViewportSize({width, height: 900});
      await settle(page);
      const fit = await stepsFit();
      await steps().screenshot({path: `${SCREENSHOTS}/attention-steps-${width}.png`});
      expect(fit.cut, `at ${width} px`).toEqual([]);
      expect(fit.columns).toBe(S + 1);
      expect(await noSidewaysScroll()).toBe(true);
    }
  } finally {
    await page.setViewportSize(size);
    await settle(page);
  }
});

test("A2: a 400-character word in either input is quoted short and does not make the page scroll sideways", async () => {
  const long = "x".repeat(400);
  const stepsInput = steps().locator(".steps-input");
  const heatInput = page.locator(".heatmap-input");
  const [stepsText, heatText] = [await stepsInput.inputValue(), await heatInput.inputValue()];
  try {
    await typeInto(stepsInput, `Sun, Nov 29, 2026 ${long}`);
    await typeInto(heatInput, `Sun, Nov 29, 2026 ${long}`);
    expect(await noSidewaysScroll()).toBe(true);
    expect(await steps().locator(".steps-model").innerText()).toContain(`“${"x".repeat(40)}…”`);
    expect(await page.locator(".heatmap-translation").innerText()).toContain(`“${"x".repeat(40)}…”`);
    expect((await stepsFit()).cut).toEqual([]);
  } finally {
    await typeInto(stepsInput, stepsText);
    await typeInto(heatInput, heatText);
  }
});

test("A2: an empty input says so and shows no step and no heatmap", async () => {
  const stepsInput = steps().locator(".steps-input");
  const heatInput = page.locator(".heatmap-input");
  const [stepsText, heatText] = [await stepsInput.inputValue(), await heatInput.inputValue()];
  try {
    await typeInto(stepsInput, "  ");
    await typeInto(heatInput, "");
    expect(await steps().locator(".steps-model").innerText()).toContain("입력이 비어 있습니다");
    expect(await steps().locator(".steps-formulas > *").count()).toBe(0);
    expect(await steps().locator(".steps-where").innerText()).toBe("");
    expect(await steps().locator(".steps-next").isDisabled()).toBe(true);
    expect(await page.locator(".heatmap-translation").innerText()).toContain("입력이 비어 있습니다");
    expect(await page.locator(".attention-heatmap-view rect.hm-cell").count()).toBe(0);
  } finally {
    await typeInto(stepsInput, stepsText);
    await typeInto(heatInput, heatText);
  }
  expect(await steps().getAttribute("data-step")).toBe("1");
  await checkStep();
});

test("A2: the untrained heatmap says it is the same model as the five steps; one output token reads plainly", async () => {
  const text = await page.locator(".heatmap-translation").innerText();
  expect(text).toContain("위 다섯 단계와 같은 모델");
  expect(await page.locator(".looks-result").innerText()).not.toContain("첫 토큰 1개");
});

async function answer(ex: Locator, value: string): Promise<string> {
  await ex.locator(".exercise-input").fill(value);
  await ex.locator(".exercise-check").click();
  return ex.locator(".exercise-feedback").innerText();
}

test("the number exercises judge a right and a wrong answer", async () => {
  const w = page.locator('[data-exercise="softmax-weight"]');
  expect(await answer(w, ATTENTION_EXERCISES.softmaxWeight.expected.toFixed(3))).toContain("✓");
  expect(await w.getAttribute("data-result")).toBe("right");
  expect(await answer(w, "1")).toContain("argmax");
  expect(await w.getAttribute("data-result")).toBe("wrong");
  const out = page.locator('[data-exercise="attention-output"]');
  expect(await answer(out, "0.8")).toContain("✓");
  expect(await answer(out, "1")).toContain("평균");
  const count = page.locator('[data-exercise="score-count"]');
  expect(await answer(count, String(ATTENTION_EXERCISES.scoreCount.expected))).toContain("✓");
  expect(await answer(count, "38")).toContain("곱합니다");
  await count.locator(".exercise-show").click();
  expect(await count.locator(".exercise-solution").innerText()).toContain(
    ATTENTION_EXERCISES.scoreCount.expected.toLocaleString("en-US")
  );
  expect(await page.locator("[data-exercise]").count()).toBeGreaterThanOrEqual(4);
});

test("the live-cell exercise judges the reader's attention output", async () => {
  const cell = page.locator('.live-cell[data-live-id="attend"]');
  const ex = page.locator('[data-exercise="attend-cell"]');
  const run = async () => {
    await cell.locator(".live-run").click();
    await page.waitForFunction(() => !document.querySelector('.live-cell[data-live-id="attend"][data-busy]'));
  };
  await run(); // the starter code: the scores used as weights
  expect(await ex.getAttribute("data-result")).toBe("wrong");
  expect(await ex.locator(".exercise-feedback").innerText()).toContain("softmax");
  await cell.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(
    "const q = [1, 0.5];\nconst states = [[0.2, 1], [1, 0], [-0.5, 0.5]];\n" +
      "const score = states.map((h) => h[0] * q[0] + h[1] * q[1]);\n" +
      "const e = score.map(Math.exp); const sum = e.reduce((x, y) => x + y);\nconst a = e.map((x) => x / sum);\n" +
      "[0, 1].map((j) => states.reduce((s, h, i) => s + a[i] * h[j], 0));"
  );
  await run();
  expect(await ex.getAttribute("data-result")).toBe("right");
  await cell
    .locator(".live-reset")
    .click()
    .catch(() => {});
});

/** Choose options of the A1 panel's selects by label, press start, wait for the end. */
async function runA1(choices: Record<string, string>, timeout = 300_000): Promise<Locator> {
  const panel = page.locator(".experiment-panel[data-claim=A1]");
  for (const [label, option] of Object.entries(choices)) {
    await panel.locator(`form:has(label:text-is("${label}")) select`).selectOption({label: option});
  }
  await panel.locator(".panel-start").click();
  await page.waitForFunction(
    () =>
      /^(done|stopped|error)$/.test(
        document.querySelector(".experiment-panel[data-claim=A1]")?.getAttribute("data-state") ?? ""
      ),
    undefined,
    {timeout}
  );
  const error = await panel.locator(".panel-output").innerText();
  expect(await panel.getAttribute("data-state"), error).toBe("done");
  return panel;
}

test("A1 on a tiny budget: two curves, accuracy by length of both, the sentence from the run; A2 then uses it", async () => {
  const baseline = await numTensors(page);
  const panel = await runA1({"학습 시간 (초)": "5초", "최대 epoch": "1", "학습 예제 수": "256"});
  const result = panel.locator(".experiment-result");
  // JSON writes NaN (a bucket without tokens) as null
  const rows = ((await json(result, "rows")) as LengthRow[][]).map((model) =>
    model.map((r) => ({...r, sequenceAccuracy: r.sequenceAccuracy ?? NaN, tokenAccuracy: r.tokenAccuracy ?? NaN}))
  );
  const conditions = (await json(result, "conditions")) as A1Conditions;
  expect(rows.length).toBe(2);
  expect(rows[0].map((r) => r.length)).toEqual(rows[1].map((r) => r.length));
  expect(rows[0].reduce((a, r) => a + r.examples, 0)).toBe(conditions.testExamples);
  for (const acc of conditions.overall) expect(acc).toBeGreaterThanOrEqual(0);
  expect(conditions.trainExamples).toBe(256);
  expect(conditions.epochs).toBeGreaterThan(0);
  expect(conditions.epochs).toBeLessThanOrEqual(1);
  for (const [i, acc] of conditions.overallToken.entries()) {
    expect(acc).toBeGreaterThanOrEqual(conditions.overall[i]); // a right sequence has every token right
  }
  expect(await result.innerText()).toBe(describeA1(rows[0], rows[1], conditions));
  // the live curves name both runs; the length chart has a line per model and metric (solid: sequence, dashed: token)
  const curves = await panel.locator(".panel-curves").innerText();
  expect(curves).toContain("attention 없음");
  const chart = panel.locator(".a1-result svg:has([aria-label=line])");
  expect(await chart.locator(".a1-sequence path").count()).toBe(2);
  expect(await chart.locator(".a1-token path").count()).toBe(2);
  expect(await chart.locator(".a1-token").getAttribute("stroke-dasharray")).toBe("5,4");
  const withExamples = rows.flatMap((model) => model.filter((r) => r.examples > 0));
  expect(await chart.locator("[aria-label=dot] path").count()).toBe(2 * withExamples.length);
  const legends = await panel.locator(".a1-result").innerText();
  for (const name of ["attention 없음", "attention", "시퀀스 정확도", "토큰 정확도"]) expect(legends).toContain(name);
  await panel.screenshot({path: `${SCREENSHOTS}/attention-a1.png`});
  // 390 px: no sideways scroll
  const size = page.viewportSize()!;
  await page.setViewportSize({width: 390, height: 844});
  await settle(page);
  try {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await panel.locator(".a1-result").screenshot({path: `${SCREENSHOTS}/attention-a1-390.png`});
  } finally {
    await page.setViewportSize(size);
    await settle(page);
  }
  await settle(page);
  // the fresh model was replaced by the trained one of the same size: the count is back where it was
  expect(await numTensors(page)).toBe(baseline);
  expect(await page.locator(".steps-model").innerText()).toContain("학습한 attention 모델");
  await checkStep();
  expect(await page.locator(".attention-heatmap-view").getAttribute("data-trained")).toBe("true");
});

test("the heatmap of a typed input has one cell per output token and source token, and a sentence", async () => {
  const view = page.locator(".attention-heatmap-view");
  const text = "Mon, Mar 4, 2024 and the 1st of May, 1999";
  await view.locator(".heatmap-input").fill(text);
  await view.locator(".heatmap-input").press("Enter");
  await settle(page);
  const T = Number(await view.getAttribute("data-rows"));
  const S = Number(await view.getAttribute("data-columns"));
  expect(S).toBe(sourceTokens(text).length);
  expect(await view.locator("rect.hm-cell").count()).toBe(T * S);
  expect(await view.locator(".heatmap-translation").innerText()).toMatch(/정답/);
  if (T > 0) expect(await view.locator(".looks-result").innerText()).toContain("가장 많이 보는 입력 위치");
  // every row of weights sums to 1 over the real source tokens (PAD columns get 0)
  const sums = await view.locator("rect.hm-cell").evaluateAll((cells) => {
    const byRow = new Map<string, number>();
    for (const c of cells)
      byRow.set(
        c.getAttribute("data-t")!,
        (byRow.get(c.getAttribute("data-t")!) ?? 0) + Number(c.getAttribute("data-w"))
      );
    return [...byRow.values()];
  });
  for (const s of sums) expect(s).toBeCloseTo(1, 4);
  await view.screenshot({path: `${SCREENSHOTS}/attention-heatmap.png`});
});

test("A1 re-run: nothing leaks, and no console error", async () => {
  const baseline = await numTensors(page);
  await runA1({"학습 시간 (초)": "5초", "최대 epoch": "1", "학습 예제 수": "256"});
  await settle(page);
  expect(await numTensors(page)).toBe(baseline);
  expect(report.consoleErrors).toEqual([]);
  expect(report.pageErrors).toEqual([]);
});
