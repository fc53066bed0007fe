/**
 * Chapter 7 「Transformer」 in Chromium: the parameter counts shown equal models built here (Node) and PyTorch's; the
 * diagram follows the norm placement; the positional encoding shown equals the paper's formula computed here; the
 * claim markers are exactly the chapter's; the exercises judge right and wrong; T1, T2 and the heads panel run on a
 * short budget to `data-state="done"`, their sentences are the ones lib/viz/transformer.ts writes from the run's own
 * numbers, and no tensor leaks.
 */
import {expect, test} from "vitest";
import type {Locator, Page} from "playwright-core";
import {CHAPTERS} from "../../lib/chapters.js";
import {dateTransformer, TRANSFORMER_MODELS, TRANSFORMER_PRESETS} from "../../lib/models/transformer.js";
import {SOURCE_VOCAB, TARGET_VOCAB} from "../../lib/data/dates.js";
import {TRANSFORMER_EXERCISES} from "../../lib/exercises/transformer.js";
import {describeT1, describeT2, summarizeT2, type T1Row, type T2Variant} from "../../lib/viz/transformer.js";
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
useSitePage("/transformer.html", (opened) => ({page, report} = opened));

test("the page loads without cell, console or network errors, and runs no experiment on load", async () => {
  await expectCleanLoad(page, report, 10);
  expect(await page.locator(".experiment-panel[data-state=idle]").count()).toBe(3);
  expect(await page.locator(".panel-output *").count()).toBe(0);
  await page.screenshot({path: `${SCREENSHOTS}/transformer-top.png`});
});

test("claim markers: exactly the chapter's claims, each once", async () => {
  const shown = await page.locator("[data-claim]").evaluateAll((els) => els.map((e) => e.getAttribute("data-claim")));
  expect(shown.sort()).toEqual([...CHAPTERS.find((c) => c.slug === "transformer")!.claims].sort());
});

test("the parameter counts shown equal the models built here and PyTorch's 44,140,544", async () => {
  const view = page.locator(".transformer-architecture");
  const line = page.locator(".transformer-counts .arch-compare");
  const shown = Number(await line.getAttribute("data-params"));
  const model = TRANSFORMER_MODELS.transformer({weights: "zeros"});
  const built = model.countParams();
  model.dispose();
  expect(shown).toBe(built);
  expect(shown).toBe(44_140_544);
  expect(Number(await line.getAttribute("data-pytorch"))).toBe(44_140_544);
  expect(await line.innerText()).toContain("정확히 같습니다");
  expect(await view.locator('.arch-box[data-column="encoder"]').count()).toBeGreaterThan(3);
  expect(await view.locator(".arch-shortcut").count()).toBe(5);
  await view.screenshot({path: `${SCREENSHOTS}/transformer-architecture.png`});
  // pre-norm: LayerNorm before each sub-layer, Add after
  await view.locator('label:has-text("pre-norm")').click();
  await settle(page);
  expect(await view.getAttribute("data-norm-first")).toBe("true");
  expect(await view.locator('.arch-box[data-kind="norm"]').count()).toBe(5);
  expect(await view.locator('.arch-box[data-kind="add-norm"]').count()).toBe(0);
  await view.locator('label:has-text("post-norm")').click();
  // the small preset
  await view.locator('label:has-text("작은 preset")').click();
  await settle(page);
  const small = dateTransformer(
    {sourceLength: 16, targetLength: 18, sourceVocab: SOURCE_VOCAB.size, targetVocab: TARGET_VOCAB.size},
    {},
    {weights: "zeros"}
  );
  expect(Number(await page.locator(".transformer-counts .arch-small").getAttribute("data-params"))).toBe(
    small.countParams()
  );
  expect(Number(await view.locator(".transformer-params[data-model=dates] tr.total").getAttribute("data-params"))).toBe(
    small.countParams()
  );
  small.dispose();
  await view.locator('label:has-text("nn.Transformer")').click();
  await settle(page);
});

test("positional encoding: the values shown equal sin/cos(pos / 10000^(2i/d)) computed here, at two settings", async () => {
  const check = async (pos: number, d: number) => {
    const view = page.locator(".pe-view");
    expect(Number(await view.getAttribute("data-pos"))).toBe(pos);
    expect(Number(await view.getAttribute("data-d-model"))).toBe(d);
    const values = JSON.parse((await view.getAttribute("data-values"))!) as number[];
    expect(values.length).toBe(d);
    values.forEach((v, k) => {
      const i2 = k - (k % 2);
      const angle = pos / 10000 ** (i2 / d);
      expect(v, `PE(${pos}, ${k})`).toBeCloseTo(k % 2 ? Math.cos(angle) : Math.sin(angle), 10);
    });
    const cells = await view.locator("td[data-k]").allInnerTexts();
    cells.forEach((c, k) => expect(Number(c)).toBeCloseTo(values[k], 4));
    expect(await page.locator("#pe-line").innerText()).toContain(Math.sin(pos).toFixed(4));
  };
  await check(10, 64);
  await setInput(page, 'form:has(label:text-is("위치 pos")) input[type=range]', "37");
  await setInput(page, 'form:has(label:text-is("d_model")) select', "1");
  await check(37, 32);
});

/** Type an answer into an exercise and press 확인; returns the feedback. */
async function answer(ex: Locator, value: string): Promise<string> {
  await ex.locator(".exercise-input").fill(value);
  await ex.locator(".exercise-check").click();
  return ex.locator(".exercise-feedback").innerText();
}

test("the number exercises judge a right and a wrong answer", async () => {
  const params = page.locator('[data-exercise="encoder-params"]');
  expect(await answer(params, "789,760")).toContain("✓");
  expect(await params.getAttribute("data-result")).toBe("right");
  expect(await answer(params, String(789_760 - 1024))).toContain("LayerNorm");
  expect(await params.getAttribute("data-result")).toBe("wrong");
  const pe = page.locator('[data-exercise="pe-value"]');
  expect(await answer(pe, TRANSFORMER_EXERCISES.positional.expected.toFixed(3))).toContain("✓");
  expect(await answer(pe, Math.sin(0.7).toFixed(3))).toContain("cos");
  await pe.locator(".exercise-show").click();
  expect(await pe.locator(".exercise-solution").innerText()).toContain(
    TRANSFORMER_EXERCISES.positional.expected.toFixed(4)
  );
  const steps = page.locator('[data-exercise="sequential-steps"]');
  expect(await answer(steps, String(TRANSFORMER_EXERCISES.sequential.expected))).toContain("✓");
  expect(await answer(steps, "43")).toContain("✗");
  expect(await page.locator("[data-exercise]").count()).toBeGreaterThanOrEqual(4);
});

test("the live-cell exercise judges the reader's Add & Norm", async () => {
  const cell = page.locator('.live-cell[data-live-id="add-norm"]');
  const ex = page.locator('[data-exercise="add-norm"]');
  const run = async () => {
    await cell.locator(".live-run").click();
    await page.waitForFunction(() => !document.querySelector('.live-cell[data-live-id="add-norm"][data-busy]'));
  };
  await run(); // the starter code normalises f(x) alone
  expect(await ex.getAttribute("data-result")).toBe("wrong");
  expect(await ex.locator(".exercise-feedback").innerText()).toContain("Add");
  await cell.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(
    "const x = [1, -2, 0.5, 3];\nconst fx = [0.2, 0.4, -1.2, 0.6];\nconst v = x.map((xi, i) => xi + fx[i]);\nconst mean = v.reduce((a, b) => a + b, 0) / v.length;\nconst variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;\nv.map((vi) => (vi - mean) / Math.sqrt(variance + 1e-5));"
  );
  await run();
  expect(await ex.getAttribute("data-result")).toBe("right");
  await cell
    .locator(".live-reset")
    .click()
    .catch(() => {});
});

/** Choose options of a panel's selects by label, press start, wait for the end; returns the panel. */
const runPanel = (selector: string, choices: Record<string, string>, timeout = 400_000) =>
  runPanelOn(page, selector, choices, timeout);

test(
  "T1 on one epoch of 256 examples: both curves, the table, the sentence from its numbers, and no leak",
  {timeout: 420_000},
  async () => {
    const baseline = await numTensors(page);
    const panel = await runPanel(".experiment-panel[data-claim=T1]", {epoch: "1", "학습 예제 수": "256"});
    const result = panel.locator(".experiment-result");
    const rows = JSON.parse((await result.getAttribute("data-rows"))!) as [T1Row, T1Row];
    const run = JSON.parse((await result.getAttribute("data-run"))!);
    expect(rows.map((r) => r.name)).toEqual(["Transformer", "LSTM + attention"]);
    const p = TRANSFORMER_PRESETS.dates;
    expect(rows[0].sequentialSteps).toBe(p.encoderLayers + p.decoderLayers);
    expect(rows[1].sequentialSteps).toBeGreaterThan(20); // S + T of the date task
    for (const r of rows) {
      expect(r.secondsPerEpoch).toBeGreaterThan(0);
      expect(r.curve.length).toBeGreaterThanOrEqual(2); // before training and at the epoch's end
      expect(r.curve[0].seconds).toBe(0);
      for (const c of r.curve) expect(c.accuracy).toBeGreaterThanOrEqual(0);
      expect(r.sequenceAccuracy).toBeGreaterThanOrEqual(0);
    }
    expect(run.epochs).toBe(1);
    expect(run.examples).toBe(256);
    expect(await result.innerText()).toBe(describeT1(rows, run));
    // the table's counts in full: the Transformer's parameters equal the structure section's small preset
    const tableParams = await panel
      .locator(".t1-table tbody tr")
      .evaluateAll((trs) => trs.map((tr) => (tr as HTMLTableRowElement).cells[1].textContent));
    expect(tableParams).toEqual(rows.map((r) => r.params.toLocaleString("en-US")));
    expect(rows[0].params).toBe(
      Number(await page.locator(".transformer-counts .arch-small").getAttribute("data-params"))
    );
    // the sentence gives the table's end-of-training accuracies too, so its same-time numbers are not a mystery
    for (const r of rows) expect(await result.innerText()).toContain(`${(100 * r.curve.at(-1)!.accuracy).toFixed(1)}%`);
    expect(await panel.locator(".t1-chart svg").count()).toBeGreaterThanOrEqual(1);
    await panel.screenshot({path: `${SCREENSHOTS}/transformer-t1.png`});
    await settle(page);
    expect(await numTensors(page)).toBe(baseline);
  }
);

test("T2 on 6 layers: four variants, two charts, the sentence from its numbers, and no leak", async () => {
  const baseline = await numTensors(page);
  const diagram = page.locator(".t2-block");
  expect(await diagram.locator(".arch-repeat").textContent()).toContain("× 12");
  await page
    .locator('.experiment-panel[data-claim=T2] form:has(label:text-is("층 수")) select')
    .selectOption({label: "24"});
  await settle(page);
  expect(await diagram.getAttribute("data-layers")).toBe("24");
  expect(await diagram.locator(".arch-repeat").textContent()).toContain("× 24");
  const panel = await runPanel(".experiment-panel[data-claim=T2]", {"층 수": "6"});
  expect(await diagram.locator(".arch-repeat").textContent()).toContain("× 6");
  const result = panel.locator(".experiment-result");
  const variants = JSON.parse((await result.getAttribute("data-variants"))!) as T2Variant[];
  expect(variants.map((v) => v.name)).toEqual(["Add & Norm", "Add만", "Norm만", "둘 다 없음"]);
  for (const v of variants) {
    expect(v.stats.layers.length).toBe(6);
    for (const l of v.stats.layers) expect(Number.isFinite(l.std) && Number.isFinite(l.inputGradNorm)).toBe(true);
  }
  // post-norm with LayerNorm: each layer's output is normalised over d (std ≈ 1)
  for (const l of variants[0].stats.layers) expect(l.std).toBeCloseTo(1, 1);
  expect(await result.innerText()).toBe(describeT2(variants));
  // the summary's T2 point is this run's verdict, not a typed claim
  expect(await page.locator(".t2-verdict").innerText()).toBe(summarizeT2(variants));
  expect(await panel.locator(".t2-charts svg").count()).toBeGreaterThanOrEqual(2);
  await panel.screenshot({path: `${SCREENSHOTS}/transformer-t2.png`});
  await settle(page);
  expect(await numTensors(page)).toBe(baseline);
});

test(
  "the heads of a Transformer trained 10 s on the reader's input; re-drawn on a new input; only the model is kept",
  {timeout: 300_000},
  async () => {
    const baseline = await numTensors(page);
    const panel = await runPanel(".experiment-panel[data-experiment=heads]", {"학습 시간 (s)": "10"});
    const kept = Number(await panel.locator("[data-kept]").getAttribute("data-kept"));
    expect(kept).toBeGreaterThan(10);
    const view = panel.locator(".heads-view");
    expect(Number(await view.getAttribute("data-heads"))).toBe(TRANSFORMER_PRESETS.dates.numHeads);
    expect(await view.locator(".heads-encoder svg").count()).toBe(TRANSFORMER_PRESETS.dates.numHeads);
    expect(await view.locator(".heads-cross svg").count()).toBe(TRANSFORMER_PRESETS.dates.numHeads);
    expect(await view.locator(".heads-line").innerText()).toContain("Friday, March 5, 2021");
    await panel.screenshot({path: `${SCREENSHOTS}/transformer-heads.png`});
    await settle(page);
    expect(await numTensors(page)).toBe(baseline + kept);
    await setInput(
      page,
      '.experiment-panel[data-experiment=heads] form:has(label:text-is("영어 날짜")) input',
      "3/5/2021"
    );
    await page.waitForFunction(() => document.querySelector(".heads-line")?.textContent?.includes("3/5/2021"));
    await settle(page);
    expect(await numTensors(page)).toBe(baseline + kept);
    expect(report.consoleErrors).toEqual([]);
  }
);

test("phone width: no sideways scroll", async () => {
  await page.setViewportSize({width: 390, height: 844});
  await settle(page);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth
  );
  await page.screenshot({path: `${SCREENSHOTS}/transformer-390.png`, fullPage: true});
  expect(overflow).toBeLessThanOrEqual(0);
  await page.setViewportSize({width: 1280, height: 900});
});
