/**
 * Live cells under hostile input (issue 17, item 3), typed into a real cell of chapter 1: each case ends with a clear
 * message in that cell, the tab alive, the other cells and the page's pictures still working, and
 * `tf.memory().numTensors` back where it was.
 */
import {expect, test} from "vitest";
import type {Page} from "playwright-core";
import {numTensors, settle, useSitePage} from "./site.js";

let page: Page;
useSitePage("/filter.html", (opened) => ({page} = opened));

const cell = (id: string) => page.locator(`.live-cell[data-live-id="${id}"]`);

async function setCode(id: string, code: string): Promise<void> {
  await cell(id).locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(code);
}

async function run(id: string, timeout = 60_000): Promise<void> {
  await cell(id).locator(".live-run").click();
  await page.waitForFunction(
    (id) => !document.querySelector(`.live-cell[data-live-id="${id}"]`)?.hasAttribute("data-busy"),
    id,
    {timeout}
  );
}

const output = (id: string) => cell(id).locator(".live-output").innerText();

/** The tab answers at once, another cell still runs, and chapter 1's photo tensor still holds its pixels. */
async function expectPageAlive(): Promise<void> {
  const t0 = Date.now();
  expect(await page.evaluate(() => 1 + 1)).toBe(2);
  expect(Date.now() - t0).toBeLessThan(2000);
  await setCode("cell-2", "camera.shape.join('×') + ' ' + camera.mean().dataSync()[0].toFixed(3)");
  await run("cell-2");
  expect(await output("cell-2")).toMatch(/^\S*\d+×\d+(×\d+)? \d\.\d{3}/);
  await cell("cell-2").locator(".live-reset").click();
  await run("cell-2");
}

/** Run `code` in cell 1; its output must match `message`; then the page must be alive and hold no new tensor. */
async function contained(code: string, message: RegExp, before?: number): Promise<string> {
  const start = before ?? (await numTensors(page));
  await setCode("cell-1", code);
  await run("cell-1");
  const shown = await output("cell-1");
  expect(shown).toMatch(message);
  // the next run of the cell (here: its original code) disposes what the hostile run left
  await cell("cell-1").locator(".live-reset").click();
  await run("cell-1");
  await expectPageAlive();
  await settle(page);
  const after = await numTensors(page);
  expect(after, "tensors after the hostile run and a reset").toBe(start);
  return shown;
}

let baseline = 0;
test("the page starts clean", async () => {
  await run("cell-1");
  await run("cell-2");
  baseline = await numTensors(page);
  expect(baseline).toBeGreaterThan(0);
});

test("a syntax error", async () => {
  await contained("const x = ;", /SyntaxError/, baseline);
});

test("a thrown error", async () => {
  await contained("throw new Error('my own failure')", /Error: my own failure/, baseline);
});

test("infinite recursion", async () => {
  await contained("function f(n: number): number { return f(n + 1) + 1; }\nf(0)", /RangeError|call stack/i, baseline);
});

test("an await that never resolves: Stop ends it", async () => {
  await setCode("cell-1", "await new Promise(() => {});\n'never'");
  await cell("cell-1").locator(".live-run").click();
  await page.waitForFunction(() =>
    document.querySelector('.live-cell[data-live-id="cell-1"] .live-stop:not([disabled])')
  );
  await cell("cell-1").locator(".live-stop").click();
  await page.waitForFunction(
    () => document.querySelector('.live-cell[data-live-id="cell-1"] .live-status')?.textContent === "■ 정지함"
  );
  await cell("cell-1").locator(".live-reset").click();
  await run("cell-1");
  await expectPageAlive();
  expect(await numTensors(page)).toBe(baseline);
});

test("a huge allocation: tf.zeros([1e5, 1e5])", async () => {
  await contained("const big = tf.zeros([1e5, 1e5]);\nbig.shape", /RangeError: Invalid typed array length/, baseline);
});

test("an allocation larger than the backend's memory: tf.ones([3e4, 3e4]) (3.6 GB)", async () => {
  await contained(
    "const big = tf.ones([3e4, 3e4]);\nbig.sum()",
    /TensorTooLargeError: 텐서 \[30000, 30000\]에 3\.4 GB가 필요합니다/,
    baseline
  );
});

test("a thousand displays", async () => {
  await contained("for (let i = 0; i < 1000; i++) display(i);", /처음 200개만/, baseline);
});

test("a cell that disposes a tensor the page uses", async () => {
  await contained("camera.dispose();\n'disposed'", /disposed/, baseline);
});

test("a cell that throws inside tf.tidy", async () => {
  await contained(
    "tf.tidy(() => {\n  tf.ones([100, 100]).add(1);\n  throw new Error('inside tidy');\n});",
    /Error: inside tidy/,
    baseline
  );
});

test("an output of a million characters", async () => {
  const shown = await contained("'x'.repeat(1e6)", /x{100}[\s\S]*1,000,000자 중 처음 20,000자만/, baseline);
  expect(shown.length, "what the cell shows of it").toBeLessThan(21_000);
  const width = await page.evaluate(() => document.scrollingElement!.scrollWidth - innerWidth);
  expect(width, "no sideways scroll of the page").toBeLessThanOrEqual(0);
});
