/**
 * Live cells in Chromium (issue 3): edit and run, errors with their line, Reset, persistence across a
 * reload, shared links that never run by themselves, Stop and the loop guard, tensor hygiene over twenty
 * re-runs, two cells started at once, and a changed original that keeps the reader's edit.
 */
import {expect, test} from "vitest";
import type {BrowserContext, Page} from "playwright-core";
import {numTensors, SCREENSHOTS, settle, type PageReport, useSitePage} from "./site.js";

let page: Page;
let context: BrowserContext;
let report: PageReport;
const site = useSitePage("/filter.html", (opened) => ({page, context, report} = opened));

const cell = (id: string) => page.locator(`.live-cell[data-live-id="${id}"]`);

async function setCode(id: string, code: string): Promise<void> {
  await cell(id).locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(code);
}

async function run(id: string): Promise<void> {
  await cell(id).locator(".live-run").click();
  await page.waitForFunction(
    (id) => !document.querySelector(`.live-cell[data-live-id="${id}"]`)?.hasAttribute("data-busy"),
    id,
    {
      timeout: 60_000
    }
  );
}

const editorText = (id: string) => cell(id).locator(".cm-content").innerText();
const output = (id: string) => cell(id).locator(".live-output").innerText();

test("every live cell ran on load without an error", async () => {
  const cells = await page.locator(".live-cell").count();
  expect(cells).toBeGreaterThanOrEqual(6);
  expect(await page.locator(".live-status.ok").count()).toBe(cells);
  expect(await page.locator(".live-error").count()).toBe(0);
});

test("type new code, run it with the button and with Shift-Enter, read the output", async () => {
  await setCode("cell-1", "const t = tf.tensor([1, 2, 3]);\nt.mul(2)");
  expect(await cell("cell-1").locator(".live-edited").isVisible()).toBe(true);
  await run("cell-1");
  expect(await output("cell-1")).toContain("[2, 4, 6]");
  await setCode("cell-1", "const n: number = 21;\ndisplay(`answer: ${n * 2}`);");
  await page.keyboard.press("Shift+Enter");
  await page.waitForFunction(() =>
    document.querySelector('.live-cell[data-live-id="cell-1"] .live-output')?.textContent?.includes("answer: 42")
  );
  await cell("cell-1").screenshot({path: `${SCREENSHOTS}/live-edited.png`});
});

test("a syntax error and a runtime error each show their line, marked in the editor", async () => {
  await setCode("cell-1", "const a = 1;\nconst b = (a: string => 2;\nb");
  await run("cell-1");
  expect(await output("cell-1")).toMatch(/SyntaxError: .*\(2번째 줄\)/);
  expect(await cell("cell-1").locator(".cm-error-line").innerText()).toContain("const b");
  await setCode("cell-1", "const a = 1;\nconst b = 2;\nconst c = (null as any).boom;\nc");
  await run("cell-1");
  expect(await output("cell-1")).toMatch(/TypeError: .*boom.*\(3번째 줄\)/);
  expect(await cell("cell-1").locator(".cm-error-line").innerText()).toContain("boom");
  await cell("cell-1").screenshot({path: `${SCREENSHOTS}/live-error.png`});
  expect(report.pageErrors).toEqual([]);
});

test("Reset restores the original, and Ctrl-Z brings the edit back", async () => {
  await setCode("cell-1", "'my edit'");
  await cell("cell-1").locator(".live-reset").click();
  expect(await editorText("cell-1")).toContain("squareImage(48)");
  expect(await cell("cell-1").locator(".live-edited").isVisible()).toBe(false);
  await page.keyboard.press("ControlOrMeta+Z");
  expect(await editorText("cell-1")).toBe("'my edit'");
  await cell("cell-1").locator(".live-reset").click();
});

test("an edit survives a reload", async () => {
  await setCode("cell-2", "'kept across reloads'");
  await page.reload();
  await settle(page);
  expect(await editorText("cell-2")).toBe("'kept across reloads'");
  expect(await cell("cell-2").locator(".live-edited").isVisible()).toBe(true);
  expect(await output("cell-2")).toContain("kept across reloads"); // autorun runs what the editor holds
  await cell("cell-2").locator(".live-reset").click();
});

test("a shared link shows its code with a notice and does not run it until Run", async () => {
  const code = "display('the shared code ran');\n42";
  await setCode("cell-3", code);
  await cell("cell-3").locator(".live-link").click();
  const link = await cell("cell-3").locator(".live-share-url").inputValue();
  expect(link).toMatch(/#share=cell-3\./);
  await cell("cell-3").locator(".live-reset").click();
  const other = await context.newPage();
  await other.goto(link.replace(/^http:\/\/[^/]+/, site.url));
  await settle(other);
  const shared = other.locator('.live-cell[data-live-id="cell-3"]');
  expect(await shared.locator(".cm-content").innerText()).toBe(code);
  expect(await shared.locator(".live-banner").innerText()).toContain("아직 실행하지 않았습니다");
  expect(await shared.locator(".live-output").innerText()).not.toContain("the shared code ran");
  await shared.locator(".live-run").click();
  await other.waitForFunction(() =>
    document
      .querySelector('.live-cell[data-live-id="cell-3"] .live-output')
      ?.textContent?.includes("the shared code ran")
  );
  await other.close();
});

test("Stop ends a long loop; the loop guard ends while (true) {} and the tab stays responsive", async () => {
  await setCode("cell-1", "let i = 0;\nfor (;;) { i++; await sleep(20); }");
  await cell("cell-1").locator(".live-run").click();
  await page.waitForFunction(() =>
    document.querySelector('.live-cell[data-live-id="cell-1"] .live-stop:not([disabled])')
  );
  await cell("cell-1").locator(".live-stop").click();
  await page.waitForFunction(
    () => document.querySelector('.live-cell[data-live-id="cell-1"] .live-status')?.textContent === "■ 정지함"
  );
  await setCode("cell-1", "let n = 0;\nwhile (true) {\n  n++;\n}");
  const t0 = Date.now();
  await run("cell-1");
  expect(Date.now() - t0).toBeLessThan(15_000);
  expect(await output("cell-1")).toMatch(/LoopTimeoutError: .*\(2번째 줄\)/); // the loop's line
  const t1 = Date.now();
  expect(await page.evaluate(() => 1 + 1)).toBe(2);
  expect(Date.now() - t1).toBeLessThan(1000);
});

test("twenty re-runs of a training cell leave tf.memory().numTensors where one run left it", async () => {
  await setCode(
    "cell-1",
    `const model = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [4], activation: "relu"}), tf.layers.dense({units: 1})]});
model.compile({optimizer: tf.train.adam(0.01), loss: "meanSquaredError"});
const xs = tf.randomNormal([64, 4]);
const ys = xs.sum(1, true);
const h = await model.fit(xs, ys, {epochs: 2, batchSize: 16, verbose: 0});
h.history.loss.length`
  );
  await run("cell-1");
  expect(await output("cell-1")).toContain("2");
  const afterOne = await numTensors(page);
  for (let i = 0; i < 19; i++) await run("cell-1");
  expect(await cell("cell-1").locator(".live-status").innerText()).toMatch(/^✓/);
  expect(await numTensors(page)).toBe(afterOne);
});

test("two cells started at once do not break each other", async () => {
  await setCode("cell-1", "await sleep(300);\nconst x = tf.ones([3]);\nx.sum()");
  await setCode("cell-2", "const y = tf.tensor([1, 2, 3]);\nawait sleep(50);\ny.sum()");
  const both = async () => {
    await page.evaluate(() => {
      for (const id of ["cell-1", "cell-2"])
        document.querySelector<HTMLButtonElement>(`.live-cell[data-live-id="${id}"] .live-run`)!.click();
    });
    await page.waitForFunction(() => !document.querySelector(".live-cell[data-busy]"), undefined, {timeout: 20_000});
  };
  // clicked in the same moment: the second click stops the first run, then runs with its own tensors intact
  await both();
  expect(await cell("cell-1").locator(".live-status").innerText()).toBe("■ 정지함");
  expect(await output("cell-2")).toContain("6");
  // run one at a time, each finishes with its own result
  await run("cell-1");
  await run("cell-2");
  expect(await output("cell-1")).toContain("3");
  expect(await output("cell-2")).toContain("6");
  // a click on Run while another cell runs stops that one first
  await cell("cell-1").locator(".live-run").click();
  await page.waitForFunction(() =>
    document.querySelector('.live-cell[data-live-id="cell-1"] .live-stop:not([disabled])')
  );
  await run("cell-2");
  await page.waitForFunction(() => !document.querySelector(".live-cell[data-busy]"));
  expect(await cell("cell-1").locator(".live-status").innerText()).toBe("■ 정지함");
  expect(await output("cell-2")).toContain("6");
  expect(report.pageErrors).toEqual([]);
  for (const id of ["cell-1", "cell-2"]) await cell(id).locator(".live-reset").click();
});

test("when the original changes after an edit, both are kept and the reader chooses", async () => {
  await page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.endsWith(":cell-2")) ?? "dl4i:live:/filter:cell-2";
    localStorage.setItem(key, JSON.stringify({code: "'my old edit'", original: "'an older original'"}));
  });
  await page.reload();
  await settle(page);
  const banner = cell("cell-2").locator(".live-banner");
  expect(await banner.innerText()).toContain("원본 코드가 바뀌었습니다");
  expect(await editorText("cell-2")).toBe("'my old edit'");
  expect(await banner.locator("pre.live-other").textContent()).toContain("filter2d(camera, VERTICAL");
  await banner.locator(".live-take").click();
  expect(await editorText("cell-2")).toContain("filter2d(camera, VERTICAL");
  await cell("cell-2").locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+Z");
  expect(await editorText("cell-2")).toBe("'my old edit'");
  expect(report.consoleErrors).toEqual([]);
});
