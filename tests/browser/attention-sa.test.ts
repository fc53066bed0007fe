/**
 * Chapter 6 「Attention」, second half (self-attention, SA1–SA5) in Chromium: the SA1 numbers on the page recomputed
 * here (softmax rows sum to 1 and equal the softmax of the shown scores, the shown weighted sum equals weights · V,
 * the shown scores equal Q Kᵀ / √d_k, the layer's output equals the hand output within the printed max difference);
 * SA2 and SA4 differences (≈0 vs clearly not); SA3 on a tiny budget reaches `data-state="done"` with two curves and
 * its computed sentence; SA5 points and fit; the exercises judge right and wrong; nothing leaks after re-running.
 */
import {expect, test} from "vitest";
import type {Locator, Page} from "playwright-core";
import {ATTENTION_EXERCISES} from "../../lib/exercises/attention.js";
import {describeSA3, describeSA5, type SA3Conditions} from "../../lib/viz/attention.js";
import {expectCleanLoad, numTensors, SCREENSHOTS, settle, type PageReport, useSitePage} from "./site.js";

let page: Page;
let report: PageReport;
useSitePage("/attention.html", (opened) => ({page, report} = opened));

const json = async (loc: Locator, name: string) => JSON.parse((await loc.getAttribute(`data-${name}`))!);
type M = number[][];
const matmul = (a: M, b: M): M => a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
const maxDiff = (a: M, b: M) => Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i][j]))));

test("the page loads without cell, console or network errors; the SA panels wait for a click", async () => {
  await expectCleanLoad(page, report);
  for (const claim of ["SA3", "SA5"]) {
    expect(await page.locator(`.experiment-panel[data-claim=${claim}]`).getAttribute("data-state")).toBe("idle");
  }
  const claims = await page.locator("[data-claim]").evaluateAll((els) => els.map((e) => e.getAttribute("data-claim")));
  expect(claims.sort()).toEqual(["A1", "A2", "SA1", "SA2", "SA3", "SA4", "SA5"]);
});

/** The SA1 numbers, recomputed here by plain loops. */
async function checkSA1(): Promise<string[]> {
  const root = page.locator("[data-claim=SA1]");
  const [q, k, v, scores, weights, z, output, layerOutput] = (await Promise.all(
    ["q", "k", "v", "scores", "weights", "head-output", "output", "layer-output"].map((n) => json(root, n))
  )) as M[];
  const dk = Number(await root.getAttribute("data-dk"));
  const tokens = (await json(root, "tokens")) as string[];
  expect(q.length).toBe(tokens.length);
  // scores = Q Kᵀ / √d_k
  const kt = k[0].map((_, j) => k.map((row) => row[j]));
  expect(
    maxDiff(
      scores,
      matmul(q, kt).map((r) => r.map((x) => x / Math.sqrt(dk)))
    )
  ).toBeLessThan(1e-9);
  // weights = row softmax of the scores, rows sum to 1
  for (const [i, row] of weights.entries()) {
    expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    const m = Math.max(...scores[i]);
    const e = scores[i].map((s) => Math.exp(s - m));
    const total = e.reduce((a, b) => a + b, 0);
    row.forEach((w, j) => expect(w).toBeCloseTo(e[j] / total, 9));
  }
  // the weighted sum
  expect(maxDiff(z, matmul(weights, v))).toBeLessThan(1e-9);
  // the hand output equals the layer's own output; the printed difference is that one and small
  const shown = Number(await root.getAttribute("data-max-diff"));
  expect(maxDiff(output, layerOutput)).toBeCloseTo(shown, 12);
  expect(shown).toBeLessThan(1e-5);
  expect(await page.locator(".sa1-check").innerText()).toContain(shown.toExponential(1));
  return tokens;
}

test("SA1: Q Kᵀ/√d_k, softmax rows, A V and the layer's output agree with a recomputation; a typed sentence too", async () => {
  expect(await checkSA1()).toEqual(["나", "는", "너", "를", "본", "다"]);
  const input = page.locator("[data-claim=SA1] .sa-input");
  await input.fill("나는 나를 안다");
  await input.press("Enter");
  await settle(page);
  const tokens = await checkSA1();
  expect(tokens).toEqual(["나", "는", "나", "를", "안", "다"]);
  // a repeated syllable: the same row of Q
  const q = (await json(page.locator("[data-claim=SA1]"), "q")) as M;
  expect(q[0]).toEqual(q[2]);
  await page.locator("[data-claim=SA1]").screenshot({path: `${SCREENSHOTS}/attention-sa1.png`});
});

test("SA2: shuffled and put back ≈ 0; with the positional encoding clearly not; the encoding charts", async () => {
  const root = page.locator("[data-claim=SA2]");
  for (let round = 0; round < 2; round++) {
    const scale = Number(await root.getAttribute("data-scale"));
    expect(Number(await root.getAttribute("data-permuted-gap"))).toBeLessThan(1e-5 * Math.max(1, scale));
    expect(Number(await root.getAttribute("data-encoded-gap"))).toBeGreaterThan(1e-2 * scale);
    const perm = (await json(root, "permutation")) as number[];
    expect([...perm].sort()).toEqual(perm.map((_, i) => i + 1));
    expect(await root.locator(".sa2-result").innerText()).toContain("순서를 보지 못합니다");
    await root.locator(".sa-shuffle").click();
    await settle(page);
  }
  const enc = page.locator(".sa-encoding");
  expect(Number(await enc.getAttribute("data-spread"))).toBeLessThan(1e-9);
  expect(await enc.locator("svg").count()).toBeGreaterThanOrEqual(2);
  await enc.screenshot({path: `${SCREENSHOTS}/attention-sa2-encoding.png`});
});

test("SA4: masked weights are 0 after the diagonal; changing later tokens changes nothing before t, unmasked it does", async () => {
  const root = page.locator("[data-claim=SA4]");
  const check = async () => {
    const w = (await json(root, "weights")) as M;
    w.forEach((row, i) => {
      row.forEach((x, j) => j > i && expect(x).toBe(0));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    });
    expect(Number(await root.getAttribute("data-masked-gap"))).toBe(0);
    expect(Number(await root.getAttribute("data-unmasked-gap"))).toBeGreaterThan(1e-4);
    expect(Number(await root.getAttribute("data-changed-gap"))).toBeGreaterThan(1e-4);
  };
  await check();
  await root.locator(".sa4-t").fill("1");
  await settle(page);
  expect(await root.getAttribute("data-t")).toBe("1");
  await check();
  expect(await root.locator("rect.hm-cell").count()).toBe(2 * 36);
  await root.screenshot({path: `${SCREENSHOTS}/attention-sa4.png`});
});

test("SA4: the slider shows t; one position reads 위치 1; a one-syllable sentence clears the old heatmaps", async () => {
  const root = page.locator("[data-claim=SA4]");
  await root.locator(".sa4-t").fill("1");
  await settle(page);
  expect(await root.locator(".sa4-t-value").innerText()).toBe("t = 1");
  const said = await root.locator(".sa4-result").innerText();
  expect(said).toContain("위치 1의");
  expect(said).not.toContain("위치 1…1");
  await root.locator(".sa4-t").fill("2");
  await settle(page);
  expect(await root.locator(".sa4-t-value").innerText()).toBe("t = 2");
  const input = root.locator(".sa-input");
  const before = await input.inputValue();
  try {
    await input.fill("나");
    await input.press("Enter");
    await settle(page);
    expect(await root.locator(".sa4-result").innerText()).toContain("음절이 둘 이상");
    expect(await root.locator("rect.hm-cell").count()).toBe(0);
    expect(await root.locator(".sa4-t-label").innerText()).toBe("");
    expect(await root.getAttribute("data-t")).toBeNull();
    await input.fill("x".repeat(400));
    await input.press("Enter");
    await settle(page);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)
    ).toBe(true);
  } finally {
    await input.fill(before);
    await input.press("Enter");
    await settle(page);
  }
  expect(await root.locator("rect.hm-cell").count()).toBeGreaterThan(0);
});

/** Choose options of a panel's selects by label, press start, wait for the end. */
async function runPanel(claim: string, choices: Record<string, string>, timeout = 300_000): Promise<Locator> {
  const panel = page.locator(`.experiment-panel[data-claim=${claim}]`);
  for (const [label, option] of Object.entries(choices)) {
    await panel.locator(`form:has(label:text-is("${label}")) select`).selectOption({label: option});
  }
  await panel.locator(".panel-start").click();
  await page.waitForFunction(
    (c) =>
      /^(done|stopped|error)$/.test(
        document.querySelector(`.experiment-panel[data-claim=${c}]`)?.getAttribute("data-state") ?? ""
      ),
    claim,
    {timeout}
  );
  expect(await panel.getAttribute("data-state"), await panel.locator(".panel-output").innerText()).toBe("done");
  return panel;
}

test("SA3 on a tiny budget: two curves and the sentence from the run; nothing leaks, also re-run", async () => {
  const baseline = await numTensors(page);
  for (let round = 0; round < 2; round++) {
    const panel = await runPanel("SA3", {"학습 예제 수": "256", epoch: "1"});
    const result = panel.locator(".experiment-result");
    const c = (await json(result, "conditions")) as SA3Conditions;
    expect(c.trainExamples).toBe(256);
    expect(c.epochs).toBe(1);
    expect(c.params[0]).toBeGreaterThan(c.params[1]);
    for (const a of c.valAccuracy) expect(a).toBeGreaterThanOrEqual(0);
    expect(await result.innerText()).toBe(describeSA3(c));
    const curves = await panel.locator(".panel-curves").innerText();
    expect(curves).toContain("feed-forward 있음");
    expect(curves).toContain("feed-forward 없음");
    if (round === 0) await panel.screenshot({path: `${SCREENSHOTS}/attention-sa3.png`});
    await settle(page);
    expect(await numTensors(page)).toBe(baseline);
  }
});

test("SA5: six measured lengths, the score matrix is 4·h·L² bytes, the fit and the tab limit", async () => {
  const baseline = await numTensors(page);
  const panel = await runPanel("SA5", {"가장 긴 길이": "256 토큰"});
  const result = panel.locator(".experiment-result");
  const rows = (await json(result, "rows")) as {length: number; scoreBytes: number; layerBytes: number}[];
  const fit = await json(result, "fit");
  expect(rows.map((r) => r.length)).toEqual([32, 64, 96, 128, 192, 256]);
  rows.forEach((r) => expect(r.scoreBytes).toBe(4 * 4 * r.length * r.length));
  rows.forEach((r) => expect(r.layerBytes).toBeGreaterThanOrEqual(2 * r.scoreBytes));
  expect(fit.layer.r2).toBeGreaterThan(0.99);
  expect(fit.limitLength).toBeGreaterThan(256);
  const [c0, c1, c2] = fit.layer.coefficients as number[];
  expect(c0 + c1 * fit.limitLength + c2 * fit.limitLength ** 2).toBeCloseTo(4 * 2 ** 30, -4);
  expect(await result.innerText()).toBe(
    describeSA5(
      {rows, layerFit: fit.layer, limitLength: fit.limitLength, tabBytes: 4 * 2 ** 30},
      {dModel: 64, heads: 4}
    )
  );
  // dots are circles or symbols (the two series differ by shape as well as colour)
  expect(await panel.locator("svg [aria-label=dot] :is(circle, path)").count()).toBe(12);
  expect(await panel.locator("svg [aria-label=line] path").count()).toBe(2);
  await panel.screenshot({path: `${SCREENSHOTS}/attention-sa5.png`});
  await settle(page);
  expect(await numTensors(page)).toBe(baseline);
});

/** Type an answer into an exercise and press 확인; returns the feedback. */
async function answer(ex: Locator, value: string): Promise<string> {
  await ex.locator(".exercise-input").fill(value);
  await ex.locator(".exercise-check").click();
  return ex.locator(".exercise-feedback").innerText();
}

test("the self-attention exercises judge a right and a wrong answer", async () => {
  const entries = page.locator('[data-exercise="score-entries"]');
  expect(await answer(entries, String(ATTENTION_EXERCISES.scoreEntries.expected))).toContain("✓");
  expect(await answer(entries, "144")).toContain("head 하나");
  expect(await entries.getAttribute("data-result")).toBe("wrong");
  const bytes = page.locator('[data-exercise="score-bytes"]');
  expect(await answer(bytes, "33,554,432")).toContain("✓");
  expect(await answer(bytes, "8388608")).toContain("4 byte");
  const visible = page.locator('[data-exercise="causal-visible"]');
  expect(await answer(visible, "21")).toContain("✓");
  expect(await answer(visible, "36")).toContain("마스크가 없을");
  await visible.locator(".exercise-show").click();
  expect(await visible.locator(".exercise-solution").innerText()).toContain("21");
  expect(report.consoleErrors).toEqual([]);
  expect(report.pageErrors).toEqual([]);
});

test("screenshots: desktop and 390 px wide without sideways scroll", async () => {
  await page.screenshot({path: `${SCREENSHOTS}/attention-sa-desktop.png`, fullPage: true});
  await page.setViewportSize({width: 390, height: 844});
  await settle(page);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await page.locator("#sa2").scrollIntoViewIfNeeded();
  await page.screenshot({path: `${SCREENSHOTS}/attention-sa-390.png`});
  await page.setViewportSize({width: 1280, height: 900});
});
