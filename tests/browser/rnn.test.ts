/**
 * Chapter 4 「RNN」 in Chromium: the step-through numbers equal a real `tf.layers.simpleRNN` rebuilt here (Node, cpu)
 * from the weights the page shows; the parameter table equals the formula and real layers at every length; the claim
 * markers are exactly the chapter's; the exercises judge right and wrong; each experiment runs on a short budget to
 * `data-state="done"`, its sentence is the one lib/viz/rnn.ts writes from the run's own numbers, and no tensor leaks.
 */
import {expect, test} from "vitest";
import type {Locator, Page} from "playwright-core";
import {tf} from "../../lib/tf.js";
import {CHAPTERS} from "../../lib/chapters.js";
import {RNN_EXERCISES} from "../../lib/exercises/rnn.js";
import {describeForecast, describeRecall, describeTiming} from "../../lib/viz/rnn.js";
import {
  expectCleanLoad,
  numTensors,
  SCREENSHOTS,
  settle,
  type PageReport,
  useSitePage,
  runPanel as runPanelOn
} from "./site.js";

let page: Page;
let report: PageReport;
useSitePage("/rnn.html", (opened) => ({page, report} = opened));

test("the page loads without cell, console or network errors, and runs no experiment on load", async () => {
  await expectCleanLoad(page, report, 10);
  expect(await page.locator(".experiment-panel[data-state=idle]").count()).toBe(4);
  expect(await page.locator(".panel-output *").count()).toBe(0);
});

test("claim markers: exactly the chapter's claims, each once", async () => {
  const shown = await page.locator("[data-claim]").evaluateAll((els) => els.map((e) => e.getAttribute("data-claim")));
  expect(shown.sort()).toEqual([...CHAPTERS.find((c) => c.slug === "rnn")!.claims].sort());
});

test("R1: every h_t of the step-through equals tf.layers.simpleRNN rebuilt here with the page's weights", async () => {
  const stepper = page.locator(".rnn-stepper");
  const w = JSON.parse((await stepper.getAttribute("data-weights"))!) as {
    Wxh: number[][];
    Whh: number[][];
    b: number[];
  };
  const xs = JSON.parse((await stepper.getAttribute("data-xs"))!) as number[][];
  const shown = await stepper
    .locator("tbody tr")
    .evaluateAll((rows) => rows.map((r) => JSON.parse((r as HTMLElement).dataset.h!) as number[]));
  const [T, d, u] = [xs.length, xs[0].length, w.b.length];
  expect(shown.length).toBe(T);
  const layer = tf.layers.simpleRNN({units: u, returnSequences: true, inputShape: [T, d]});
  const model = tf.sequential({layers: [layer]});
  const transpose = (m: number[][]) => m[0].map((_, j) => m.map((row) => row[j]));
  const expected = tf.tidy(() => {
    // the formula's W_xh [u][d] is TF.js's kernel [d, u] transposed
    layer.setWeights([tf.tensor2d(transpose(w.Wxh)), tf.tensor2d(transpose(w.Whh)), tf.tensor1d(w.b)]);
    return (model.predict(tf.tensor3d([xs])) as tf.Tensor3D).arraySync()[0];
  });
  model.dispose();
  const diff = Math.max(...shown.flatMap((h, t) => h.map((v, j) => Math.abs(v - expected[t][j]))));
  expect(diff).toBeLessThan(1e-5);
  // the first step by hand: h_1 = tanh(W_xh x_1 + b) (h_0 = 0)
  const h1 = w.b.map((bj, j) => Math.tanh(bj + w.Wxh[j].reduce((s, wk, k) => s + wk * xs[0][k], 0)));
  h1.forEach((v, j) => expect(shown[0][j]).toBeCloseTo(v, 6));
  // the sentence reports the gap it measured against the layer
  expect(await page.locator("#r1-check").innerText()).toMatch(/최대 차이는\s*\d\.\de[-+]\d+/);
});

test("R1: the stepper moves with its buttons and the arrow keys, and the diagram follows", async () => {
  const stepper = page.locator(".rnn-stepper");
  expect(await stepper.getAttribute("data-step")).toBe("1");
  await stepper.locator(".rnn-next").click();
  expect(await stepper.getAttribute("data-step")).toBe("2");
  await stepper.focus();
  await page.keyboard.press("ArrowRight");
  expect(await stepper.getAttribute("data-step")).toBe("3");
  expect(await stepper.locator("tbody tr:visible").count()).toBe(3);
  expect(await stepper.locator('svg.rnn-unrolled g.rnn-h[data-step="3"] rect').getAttribute("stroke-width")).toBe(
    "2.5"
  );
  // the same three weights at every drawn step
  const T = JSON.parse((await stepper.getAttribute("data-xs"))!).length;
  expect(await stepper.locator('svg [data-weight="Wxh"]').count()).toBe(T <= 8 ? T : 7);
  await page.keyboard.press("Home");
  expect(await stepper.getAttribute("data-step")).toBe("1");
  await stepper.screenshot({path: `${SCREENSHOTS}/rnn-stepper.png`});
});

test("R1: the parameter table equals g·u(d + u + 1) and real layers at every length", async () => {
  const rows = await page.locator(".rnn-param-table tbody tr").evaluateAll((trs) =>
    trs.map((tr) => ({
      kind: (tr as HTMLElement).dataset.kind!,
      counts: Array.from(tr.querySelectorAll<HTMLElement>("td[data-length]"), (td) => ({
        length: Number(td.dataset.length),
        params: Number(td.textContent!.replace(/[^\d]/g, ""))
      }))
    }))
  );
  const gates: Record<string, number> = {simpleRNN: 1, lstm: 4, gru: 3};
  const [d, u] = [8, 32]; // the sliders' starting values
  expect(rows.map((r) => r.kind)).toEqual(["simpleRNN", "lstm", "gru"]);
  for (const r of rows) {
    expect(r.counts.length).toBeGreaterThanOrEqual(3);
    for (const c of r.counts) expect(c.params, `${r.kind} T=${c.length}`).toBe(gates[r.kind] * u * (d + u + 1));
  }
  // independent: a stock TF.js LSTM of the same size
  const lstm = tf.sequential({layers: [tf.layers.lstm({units: u, inputShape: [50, d]})]});
  expect(rows[1].counts[0].params).toBe(lstm.countParams());
  lstm.dispose();
  expect(await page.locator("#param-claim").innerText()).toContain("모두 공식과 같고");
});

/** Type an answer into an exercise and press 확인; returns the feedback. */
async function answer(ex: Locator, value: string): Promise<string> {
  await ex.locator(".exercise-input").fill(value);
  await ex.locator(".exercise-check").click();
  return ex.locator(".exercise-feedback").innerText();
}

test("the number exercises judge a right and a wrong answer", async () => {
  const lstm = page.locator('[data-exercise="lstm-params"]');
  expect(await answer(lstm, "5,248")).toContain("✓");
  expect(await lstm.getAttribute("data-result")).toBe("right");
  expect(await answer(lstm, String(32 * 41))).toContain("4배");
  expect(await lstm.getAttribute("data-result")).toBe("wrong");
  const step = page.locator('[data-exercise="hidden-step"]');
  expect(await answer(step, RNN_EXERCISES.hiddenStep.expected.toFixed(3))).toContain("✓");
  expect(await answer(step, "0.9")).toContain("✗");
  await step.locator(".exercise-show").click();
  expect(await step.locator(".exercise-solution").innerText()).toContain(RNN_EXERCISES.hiddenStep.expected.toFixed(4));
  expect(await page.locator("[data-exercise]").count()).toBeGreaterThanOrEqual(3);
});

test("the live-cell exercise judges the reader's loop", async () => {
  const cell = page.locator('.live-cell[data-live-id="recurrence"]');
  const ex = page.locator('[data-exercise="recurrence-loop"]');
  const run = async () => {
    await cell.locator(".live-run").click();
    await page.waitForFunction(() => !document.querySelector('.live-cell[data-live-id="recurrence"][data-busy]'));
  };
  await run(); // the starter code: h is not carried
  expect(await ex.getAttribute("data-result")).toBe("wrong");
  expect(await ex.locator(".exercise-feedback").innerText()).toContain("전달되지");
  await cell.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(
    "const xs = [0.5, -1, 2, 0, 1];\nlet h = 0;\nconst hs = [];\nfor (const x of xs) { h = Math.tanh(0.7 * x + 0.9 * h - 0.2); hs.push(h); }\nhs;"
  );
  await run();
  expect(await ex.getAttribute("data-result")).toBe("right");
  await cell
    .locator(".live-reset")
    .click()
    .catch(() => {});
});

/** Choose options of a panel's selects by label, press start, wait for the end; returns the panel. */
const runPanel = (selector: string, choices: Record<string, string>, timeout = 240_000) =>
  runPanelOn(page, selector, choices, timeout);

test("the forecaster on one epoch: four models, forecast over the truth, the sentence from its numbers", async () => {
  const baseline = await numTensors(page);
  const panel = await runPanel(".experiment-panel[data-experiment=forecast]", {
    epoch: "1",
    "창 W (년)": "5"
  });
  const result = panel.locator(".experiment-result");
  const rows = JSON.parse((await result.getAttribute("data-rows"))!);
  const naiveMae = Number(await result.getAttribute("data-naive-mae"));
  expect(rows.map((r: {name: string}) => r.name)).toEqual(["SimpleRNN", "LSTM", "GRU", "conv1d"]);
  for (const r of rows) expect(r.testMae).toBeGreaterThan(0);
  expect(naiveMae).toBeGreaterThan(0);
  expect(await result.innerText()).toBe(describeForecast(rows, {naiveMae, epochs: 1, window: 5, unit: "(흑점 수)"}));
  expect(await panel.locator("svg").count()).toBeGreaterThanOrEqual(2);
  await panel.screenshot({path: `${SCREENSHOTS}/rnn-forecast.png`});
  await settle(page);
  expect(await numTensors(page)).toBe(baseline);
});

test("R2: gradient norms of SimpleRNN and LSTM before and after a short training, positive and finite, and no leak", async () => {
  const baseline = await numTensors(page);
  const panel = await runPanel(".experiment-panel[data-claim=R2]", {"길이 T": "10", units: "8"});
  const curves = JSON.parse((await panel.locator(".experiment-result").getAttribute("data-curves"))!);
  expect(curves.map((c: {name: string}) => c.name)).toEqual([
    "SimpleRNN (학습 전)",
    "SimpleRNN (학습 후)",
    "LSTM (학습 전)",
    "LSTM (학습 후)"
  ]);
  // training changed the recurrent weights, so the curves differ
  expect(curves[1].points[5].norm).not.toBe(curves[0].points[5].norm);
  for (const c of curves) {
    expect(c.points.length).toBe(10);
    for (const p of c.points) expect(p.norm).toBeGreaterThan(0);
  }
  await settle(page);
  expect(await numTensors(page)).toBe(baseline);
});

test("R2: the recall task on a short budget reports accuracy by lag, and no leak", async () => {
  const baseline = await numTensors(page);
  const panel = await runPanel(".experiment-panel[data-experiment=recall]", {
    "최대 lag": "4",
    epoch: "1",
    "학습 예제 수": "64"
  });
  const result = panel.locator(".experiment-result");
  const rows = JSON.parse((await result.getAttribute("data-rows"))!);
  const chance = Number(await result.getAttribute("data-chance"));
  expect(rows.map((r: {lag: number}) => r.lag).sort()).toEqual([2, 2, 4, 4]);
  for (const r of rows) expect(r.accuracy).toBeGreaterThanOrEqual(0);
  expect(await result.innerText()).toBe(describeRecall(rows, {chance, epochs: 1, examples: 64}));
  await settle(page);
  expect(await numTensors(page)).toBe(baseline);
});

test("R3: time per sequence for lengths up to 64, RNN steps T vs attention 1, and no leak", async () => {
  const baseline = await numTensors(page);
  const panel = await runPanel(".experiment-panel[data-claim=R3]", {"최대 길이": "64", "너비 (units = D)": "32"});
  const result = panel.locator(".experiment-result");
  const rows = JSON.parse((await result.getAttribute("data-rows"))!);
  expect(rows.map((r: {length: number}) => r.length)).toEqual([16, 64]);
  for (const r of rows) {
    expect(r.rnnSteps).toBe(r.length);
    expect(r.attentionSteps).toBe(1);
    expect(r.rnnMs).toBeGreaterThan(0);
    expect(r.attentionMs).toBeGreaterThan(0);
  }
  const backend = (await result.innerText()).match(/^(\S+) backend/)![1];
  expect(await result.innerText()).toBe(describeTiming(rows, backend));
  await settle(page);
  expect(await numTensors(page)).toBe(baseline);
  expect(report.consoleErrors).toEqual([]);
});
