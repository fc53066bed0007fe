/**
 * Chapter 5 「Seq2Seq」 in Chromium: the task's examples and sentences equal the generator's, run here in Node; the
 * claim markers are exactly the chapter's; the exercises judge right and wrong; S1 on a tiny budget ends `done` with a
 * translations table whose rows give back the accuracies it prints; the reader's input box translates and is judged
 * by the reference parser; S2's chart has marks and its sentence is lib/viz/seq2seq.ts's on the model's own numbers
 * and changes with the model; the decoding times have their sentence; nothing leaks when S1 runs again.
 */
import {expect, test} from "vitest";
import type {Locator, Page} from "playwright-core";
import {CHAPTERS} from "../../lib/chapters.js";
import {
  dateExamples,
  dateTask,
  referenceTarget,
  sourceTokens,
  targetTokens,
  TARGET_VOCAB
} from "../../lib/data/dates.js";
import {SEQ2SEQ_DEFAULTS} from "../../lib/models/seq2seq.js";
import {encoderParamsExercise, outputLayerExercise, sourceTokensExercise} from "../../lib/exercises/seq2seq.js";
import {
  describeBottleneck,
  describeDecodeTimes,
  describeOwnInput,
  describeTask,
  describeTranslation,
  taskFacts,
  type LengthBucket,
  type RunConditions
} from "../../lib/viz/seq2seq.js";
import {
  expectCleanLoad,
  inspectPage,
  numTensors,
  SCREENSHOTS,
  settle,
  type PageReport,
  useSitePage,
  runPanel as runPanelOn
} from "./site.js";

let page: Page;
let report: PageReport;
useSitePage("/seq2seq.html", (opened) => ({page, report} = opened));

test("the page loads without cell, console or network errors, and trains nothing on load", async () => {
  await expectCleanLoad(page, report, 10);
  expect(await page.locator(".experiment-panel[data-state=idle]").count()).toBe(2);
  expect(await page.locator(".experiment-panel .panel-output *").count()).toBe(0);
  // before any training: the diagram shows placeholders, the input box and S2 say there is no model
  expect(await page.locator(".s2s-own").getAttribute("data-state")).toBe("no-model");
  expect(await page.locator(".s2s-own-none").innerText()).toContain("아직 학습한 모델이 없습니다");
  expect(await page.locator("[data-claim=S2]").getAttribute("data-state")).toBe("no-model");
  expect(await page.locator(".s2s-diagram-view").getAttribute("data-trained")).toBe("false");
  await page.screenshot({path: `${SCREENSHOTS}/seq2seq-desktop.png`, fullPage: true});
});

test("claim markers: exactly the chapter's claims, each once", async () => {
  const shown = await page.locator("[data-claim]").evaluateAll((els) => els.map((e) => e.getAttribute("data-claim")));
  expect(shown.sort()).toEqual([...CHAPTERS.find((c) => c.slug === "seq2seq")!.claims].sort());
});

test("the task's examples are the generator's, with the tokenizers' counts", async () => {
  const rows = await page.locator(".s2s-task tbody tr").evaluateAll((trs) =>
    trs.map((tr) => {
      const d = (tr as HTMLElement).dataset;
      return {
        source: d.source,
        target: d.target,
        sourceCount: d.sourceCount,
        targetCount: d.targetCount,
        chips: tr.querySelectorAll(".s2s-tokens.src .s2s-token").length
      };
    })
  );
  const expected = dateExamples({count: 6, seed: 29}); // the seed slider's starting value
  expect(rows.map((r) => [r.source, r.target])).toEqual(expected.map((e) => [e.source, e.target]));
  rows.forEach((r, i) => {
    expect(Number(r.sourceCount)).toBe(sourceTokens(expected[i].source).length);
    expect(r.chips).toBe(sourceTokens(expected[i].source).length);
    expect(Number(r.targetCount)).toBe(targetTokens(expected[i].target).length);
  });
  // the three sentences are taskFacts of S1's own training set
  const d = SEQ2SEQ_DEFAULTS;
  const told = describeTask(
    taskFacts(dateTask({train: d.train, test: d.test, seed: d.seed, maxDates: d.maxDates}).train)
  );
  expect(await page.locator("#task-order").innerText()).toBe(told.order);
  expect(await page.locator("#task-length").innerText()).toBe(told.length);
  expect(await page.locator("#task-weekday").innerText()).toBe(told.weekday);
  const plots = (await inspectPage(page)).plots;
  expect(plots.some((p) => p.marks > 0 && p.width > 100)).toBe(true);
});

test("the diagram draws the first example's tokens, teacher forcing inputs one step behind the outputs", async () => {
  const source = sourceTokens(dateExamples({count: 6, seed: 29})[0].source);
  const encoder = await page
    .locator("svg.s2s-diagram g.s2s-enc")
    .evaluateAll((gs) => gs.map((g) => (g as SVGGElement).dataset.token));
  expect(encoder[0]).toBe(source[0]);
  expect(encoder.at(-1)).toBe(source.at(-1));
  const steps = await page
    .locator("svg.s2s-diagram g.s2s-dec")
    .evaluateAll((gs) => gs.map((g) => ({...(g as SVGGElement).dataset})));
  expect(steps[0].teacher).toBe(TARGET_VOCAB.tokens[1]);
  for (const s of steps.slice(1)) {
    const prev = steps.find((p) => Number(p.step) === Number(s.step) - 1);
    if (prev) expect(s.teacher).toBe(prev.output);
  }
  expect(steps.at(-1)!.output).toBe(TARGET_VOCAB.tokens[2]);
  expect(await page.locator(".s2s-context").getAttribute("data-units")).toBe(String(SEQ2SEQ_DEFAULTS.units));
  // the s₀ = c label sits below the arrow from c to s_1 (not on it), at a readable size
  const label = await page.locator("svg.s2s-diagram .s2s-s0-label").evaluate((t) => ({
    fontSize: Number(t.getAttribute("font-size")),
    top: t.getBoundingClientRect().top,
    contextBottom: document.querySelector("svg.s2s-diagram .s2s-context rect")!.getBoundingClientRect().bottom
  }));
  expect(label.fontSize).toBeGreaterThanOrEqual(12);
  expect(label.top).toBeGreaterThanOrEqual(label.contextBottom);
});

test("at 1280 px no display formula is wider than its column (the decoder's is split over two lines)", async () => {
  await settle(page);
  const wide = await page.locator(".tex-block").evaluateAll((blocks) =>
    blocks
      .map((b) => ({
        tex: b.textContent!.slice(0, 40),
        width: b.querySelector(".katex-display > .katex")?.getBoundingClientRect().width ?? 0,
        column: b.parentElement!.clientWidth
      }))
      .filter((b) => b.width > b.column)
  );
  expect(wide).toEqual([]);
  expect(await page.locator(".tex-block", {hasText: "(decoder)"}).count()).toBe(1);
});

/** Type an answer into an exercise and press 확인; returns the feedback. */
async function answer(ex: Locator, value: string): Promise<string> {
  await ex.locator(".exercise-input").fill(value);
  await ex.locator(".exercise-check").click();
  return ex.locator(".exercise-feedback").innerText();
}

test("the number exercises judge a right and a wrong answer", async () => {
  const tokens = page.locator('[data-exercise="source-tokens"]');
  expect(await answer(tokens, String(sourceTokensExercise().expected))).toContain("✓");
  expect(await answer(tokens, "4")).toContain("띄어쓰기");
  expect(await tokens.getAttribute("data-result")).toBe("wrong");
  const enc = page.locator('[data-exercise="encoder-params"]');
  const {embedding: e, units: u} = SEQ2SEQ_DEFAULTS;
  expect(await answer(enc, String(4 * u * (e + u + 1)))).toContain("✓");
  expect(encoderParamsExercise(e, u).expected).toBe(4 * u * (e + u + 1));
  expect(await answer(enc, String(4 * u * (e + u)))).toContain("bias");
  const out = page.locator('[data-exercise="output-layer"]');
  const V = TARGET_VOCAB.size;
  expect(outputLayerExercise(V, u).expected).toBe(u * V + V);
  expect(await answer(out, String(u * V + V))).toContain("✓");
  expect(await answer(out, String(u * V))).toContain("✗");
  await out.locator(".exercise-show").click();
  expect(await out.locator(".exercise-solution").innerText()).toContain((u * V + V).toLocaleString("en-US"));
  expect(await page.locator("[data-exercise]").count()).toBeGreaterThanOrEqual(4);
  // numbered 연습 1.–3. (연습 4. heads the live cell's task); formulas in KaTeX, not as plain s_t; particles computed
  const questions = await page.locator(".exercise-question").allInnerTexts();
  for (const n of [1, 2, 3]) expect(questions.some((q) => q.startsWith(`연습 ${n}.`))).toBe(true);
  expect(await page.getByText("연습 4.", {exact: false}).count()).toBeGreaterThan(0);
  expect(await out.locator(".exercise-question .katex").count()).toBeGreaterThanOrEqual(2);
  expect(await out.locator(".exercise-question").innerText()).not.toContain("s_t");
  expect(await tokens.locator(".exercise-question").innerText()).toContain('"Sun, Nov 29, 2026"을');
});

test("the live-cell exercise judges the reader's teacher forcing", async () => {
  const cell = page.locator('.live-cell[data-live-id="teacher"]');
  const ex = page.locator('[data-exercise="teacher-forcing"]');
  const run = async () => {
    await cell.locator(".live-run").click();
    await page.waitForFunction(() => !document.querySelector('.live-cell[data-live-id="teacher"][data-busy]'));
  };
  await run(); // the starter code: input = output = y
  expect(await ex.getAttribute("data-result")).toBe("wrong");
  expect(await ex.locator(".exercise-feedback").innerText()).toContain("베끼기");
  await cell.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(
    'const y = targetTokens("2026년 11월 29일");\nconst start = TARGET_VOCAB.tokens[START], end = TARGET_VOCAB.tokens[END];\nconst pair = {input: [start, ...y], output: [...y, end]};\npair;'
  );
  await run();
  expect(await ex.getAttribute("data-result")).toBe("right");
  await cell
    .locator(".live-reset")
    .click()
    .catch(() => {});
});

test("modularity: the GRU cell builds both models, counts fewer parameters for GRU, trains, and leaks nothing", async () => {
  await settle(page);
  const baseline = await numTensors(page);
  const cell = page.locator('.live-cell[data-live-id="gru"]');
  await cell.locator(".live-run").click();
  await page.waitForFunction(() => !document.querySelector('.live-cell[data-live-id="gru"][data-busy]'), null, {
    timeout: 240_000
  });
  const text = await cell.locator(".live-output").innerText();
  const count = (name: string) => Number(text.match(new RegExp(`${name}: 파라미터 ([\\d,]+)`))![1].replace(/,/g, ""));
  expect(count("gru")).toBeLessThan(count("lstm"));
  expect(text).toMatch(/gru: .*loss \d\.\d{3} → \d\.\d{3}/);
  await settle(page);
  expect(await numTensors(page)).toBe(baseline);
});

/** Choose options of a panel's selects by label, press start, wait for the end; returns the panel. */
const runPanel = (selector: string, choices: Record<string, string>, timeout = 300_000) =>
  runPanelOn(page, selector, choices, timeout);

const S1 = ".experiment-panel[data-claim=S1]";

test("S1 on a tiny budget: curves, every held-out translation, accuracies that the table gives back", async () => {
  const panel = await runPanel(S1, {
    "학습 시간 (초)": "30초",
    "최대 epoch": "1",
    "학습 예제 수": "256",
    "held-out 예제 수": "100"
  });
  expect(await panel.locator(".panel-curves svg").count()).toBeGreaterThanOrEqual(2);
  const rows = await panel.locator(".s2s-translations tbody tr").evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = Array.from(tr.querySelectorAll("td"), (td) => td.textContent ?? "");
      return {source: cells[0], target: cells[1], output: cells[2], verdict: cells[3]};
    })
  );
  expect(rows.length).toBe(100);
  // 맞음/틀림 as text, and it is exact match of output and target
  for (const r of rows) {
    expect(r.verdict).toMatch(/^(✓ 맞음|✗ 틀림)$/);
    expect(r.verdict === "✓ 맞음").toBe(r.output === r.target);
  }
  const result = panel.locator(".s1-result");
  const seqAcc = Number(await result.getAttribute("data-sequence-accuracy"));
  const tokAcc = Number(await result.getAttribute("data-token-accuracy"));
  const correct = rows.filter((r) => r.verdict === "✓ 맞음").length;
  expect(seqAcc).toBeCloseTo(correct / rows.length, 10);
  // token accuracy, recounted from the rows: target tokens + END against the output's, position by position
  let hits = 0;
  let count = 0;
  for (const r of rows) {
    const want = [...targetTokens(r.target), "<end>"];
    const got = r.output === "(빈 출력)" ? ["<end>"] : [...targetTokens(r.output), "<end>"];
    want.forEach((t, k) => (hits += got[k] === t ? 1 : 0));
    count += want.length;
  }
  expect(Math.abs(tokAcc - hits / count)).toBeLessThan(0.02);
  const conditions = JSON.parse((await result.getAttribute("data-conditions"))!) as RunConditions;
  expect(conditions).toMatchObject({epochs: 1, trainExamples: 256, testExamples: 100});
  expect(await result.innerText()).toBe(
    describeTranslation({sequenceAccuracy: seqAcc, tokenAccuracy: tokAcc, correct, total: rows.length}, conditions)
  );
  await panel.screenshot({path: `${SCREENSHOTS}/seq2seq-s1.png`});
});

test("the reader's input is translated by the trained model and judged by the reference parser", async () => {
  const own = page.locator(".s2s-own");
  await settle(page);
  const text = "Sun, Nov 29, 2026 and the 3rd of March, 2021";
  await own.locator(".s2s-own-input").fill(text);
  await own.locator(".s2s-own-translate").click();
  await page.waitForFunction(() => document.querySelector(".s2s-own")?.getAttribute("data-state") === "translated");
  const verdict = own.locator(".s2s-own-verdict");
  const output = (await verdict.getAttribute("data-output"))!;
  const reference = referenceTarget(text);
  expect(reference).toBe("2026년 11월 29일 일요일, 2021년 3월 3일");
  expect(await verdict.getAttribute("data-reference")).toBe(reference);
  expect(await verdict.innerText()).toBe(describeOwnInput({output, reference, unknown: [], truncated: false}));
  // an unknown word is named; the parser says it is not a date of the task
  await own.locator(".s2s-own-input").fill("tomorrow, Nov 29, 2026");
  await own.locator(".s2s-own-translate").click();
  await settle(page);
  expect(await verdict.innerText()).toContain('"tomorrow"');
  expect(await own.locator(".s2s-own-reference").innerText()).toContain("참조 파서:");
  // a 400-character word, at 1280 px and at 390 px, is quoted short and does not make the page scroll sideways
  const size = page.viewportSize()!;
  try {
    for (const width of [1280, 390]) {
      await page.setViewportSize({width, height: 844});
      await own.locator(".s2s-own-input").fill("x".repeat(400));
      await own.locator(".s2s-own-input").press("Enter");
      await settle(page);
      expect(await own.locator(".s2s-own-reference").innerText()).toContain(`"${"x".repeat(39)}…"`);
      expect(await verdict.innerText()).not.toContain("x".repeat(41));
      const {scroll, client} = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth
      }));
      expect(scroll).toBeLessThanOrEqual(client);
    }
  } finally {
    await page.setViewportSize(size);
    await settle(page);
  }
  // the diagram's greedy row now shows the model's own tokens
  expect(await page.locator(".s2s-diagram-view").getAttribute("data-trained")).toBe("true");
});

test("S1's projection of the context vectors and S2's accuracy by length, from the trained model", async () => {
  const projection = page.locator(".s2s-projection");
  expect(await projection.locator("svg circle").count()).toBe(100);
  const explained = JSON.parse((await projection.locator(".projection-result").getAttribute("data-explained"))!);
  expect(explained[0]).toBeGreaterThanOrEqual(explained[1]);
  expect(explained[0] + explained[1]).toBeLessThanOrEqual(1 + 1e-9);
  const s2 = page.locator("[data-claim=S2]");
  expect(await s2.getAttribute("data-state")).toBe("done");
  const found = await inspectPage(page);
  expect(found.plots.filter((p) => p.marks > 0).length).toBeGreaterThanOrEqual(4);
  const sentence = s2.locator(".s2-result");
  const buckets = JSON.parse((await sentence.getAttribute("data-buckets"))!) as LengthBucket[];
  const conditions = JSON.parse((await sentence.getAttribute("data-conditions"))!) as RunConditions;
  expect(buckets.reduce((s, b) => s + b.examples, 0)).toBe(100);
  // JSON writes NaN (a bucket without tokens) as null
  const clean = buckets.map((b) => ({
    ...b,
    sequenceAccuracy: b.sequenceAccuracy ?? NaN,
    tokenAccuracy: b.tokenAccuracy ?? NaN
  }));
  for (const b of clean.filter((b) => b.examples > 0)) {
    expect(b.tokenAccuracy).toBeGreaterThanOrEqual(b.sequenceAccuracy); // a right sequence has every token right
  }
  expect(await sentence.innerText()).toBe(describeBottleneck(clean, conditions));
  // two bars per bucket with examples (시퀀스 정확도, 토큰 정확도), their heights the buckets' numbers, a legend naming both
  const shown = clean.filter((b) => b.examples > 0);
  const bars = s2.locator("svg [aria-label=bar] rect");
  expect(await bars.count()).toBe(2 * shown.length);
  const texts = await s2.locator("svg [aria-label=text] text").evaluateAll((ts) => ts.map((t) => t.textContent));
  const expected = shown.flatMap((b) => [b.sequenceAccuracy, b.tokenAccuracy].map((a) => `${(100 * a).toFixed(0)}%`));
  expect([...texts].sort()).toEqual([...expected].sort());
  const legend = await s2.locator("[class*=swatches]").innerText();
  expect(legend).toContain("시퀀스 정확도");
  expect(legend).toContain("토큰 정확도");
  expect(await s2.locator(".s2-why").innerText()).toContain("토큰 정확도");
  await s2.screenshot({path: `${SCREENSHOTS}/seq2seq-s2.png`});
  // 390 px: no sideways scroll, the chart still drawn
  const size = page.viewportSize()!;
  await page.setViewportSize({width: 390, height: 844});
  await settle(page);
  try {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await s2.screenshot({path: `${SCREENSHOTS}/seq2seq-s2-390.png`});
  } finally {
    await page.setViewportSize(size);
    await settle(page);
  }
});

test("S2's sentence changes with the model, and a second S1 run leaks no tensor", async () => {
  await settle(page);
  const before = await numTensors(page);
  const first = await page.locator(".s2-result").innerText();
  await runPanel(S1, {"학습 시간 (초)": "30초", "최대 epoch": "2", "학습 예제 수": "256", "held-out 예제 수": "100"});
  await settle(page);
  expect(await page.locator("[data-claim=S2]").getAttribute("data-run")).toBe("2");
  expect(await page.locator(".s2-result").innerText()).not.toBe(first);
  // the old model was disposed when the new one replaced it: the same number of tensors as after the first run
  expect(await numTensors(page)).toBe(before);
});

test("the translator is kept in IndexedDB: a new visit rebuilds it and its re-evaluation equals this one", async () => {
  await settle(page);
  expect(await page.locator(".s2s-store").innerText()).toContain("IndexedDB");
  const s2sHere = await page.locator(".s2-result").innerText();
  const s1Here = await page.locator(".s1-result").innerText();
  const again = await page.context().newPage();
  try {
    await again.goto(page.url(), {waitUntil: "load"});
    await again.waitForSelector(".experiment-panel[data-claim=S1][data-restored=true]", {timeout: 120_000});
    await settle(again);
    expect(await again.locator(".s2s-restored .s1-result").innerText()).toBe(s1Here);
    expect(await again.locator(".s2-result").innerText()).toBe(s2sHere);
    expect(await again.locator(".s2s-restored .s2s-translations tbody tr").count()).toBe(100);
    // forgetting it: the next visit starts without a model
    await again.locator(".s2s-store-clear").click();
    await again.waitForFunction(() => document.querySelector(".s2s-store")?.textContent?.includes("지웠습니다"));
    await again.reload({waitUntil: "load"});
    await settle(again);
    expect(await again.locator("[data-claim=S2]").getAttribute("data-state")).toBe("no-model");
  } finally {
    await again.close();
  }
});

test("greedy decoding time against output length: the sentence from its rows, and no leak", async () => {
  const baseline = await numTensors(page);
  const panel = await runPanel(".experiment-panel[data-experiment=decode-time]", {
    "한 번에 번역하는 입력 수": "1",
    "최대 출력 길이": "16"
  });
  const result = panel.locator(".decode-result");
  const rows = JSON.parse((await result.getAttribute("data-rows"))!);
  expect(rows.map((r: {length: number}) => r.length)).toEqual([2, 4, 8, 12, 16]);
  for (const r of rows) expect(r.ms).toBeGreaterThan(0);
  const backend = (await result.getAttribute("data-backend"))!;
  expect(await result.innerText()).toBe(describeDecodeTimes(rows, {backend, batch: 1}));
  await settle(page);
  expect(await numTensors(page)).toBe(baseline);
  expect(report.consoleErrors).toEqual([]);
  expect(report.pageErrors).toEqual([]);
});
