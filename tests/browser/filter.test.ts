/**
 * Chapter 1 in Chromium, used the way a student does: edit the kernel, move the sliders to their extremes,
 * type something wrong. Checks that every figure follows, errors appear next to their input, the page
 * never shows a cell error, and re-running cells leaks no tensors.
 */
import {expect, test} from "vitest";
import type {Page} from "playwright-core";
import {inspectPage, numTensors, setInput, settle, type PageReport, useSitePage} from "./site.js";

let page: Page;
let report: PageReport;
useSitePage("/filter.html", (opened) => ({page, report} = opened));

const range = (label: string) => `form:has(label:text-is("${label}")) input[type=range]`;
const text = (selector: string) => (page as Page).locator(selector).first().innerText();

test("F3: the measured worst cases follow the wavelength, and Scharr stays below Sobel", async () => {
  const read = async () => (await page.locator(".claim-result .big").allInnerTexts()).map((t) => parseFloat(t));
  const [sobel4, scharr4] = await read();
  expect(sobel4).toBeGreaterThan(3); // λ = 4: about 3.2° against 0.3° (tests/unit/ops/orientation.test.ts)
  expect(scharr4).toBeLessThan(sobel4 / 3);
  await setInput(page, range("파장 λ (px)"), "8");
  const [sobel8, scharr8] = await read();
  expect(sobel8).toBeLessThan(sobel4);
  expect(scharr8).toBeLessThan(sobel8);
});

test("F2: the kernel editor recomputes the maps; a typo shows a message and keeps the page", async () => {
  const before = await page.locator('canvas[aria-label="Gx"]').evaluate((c: HTMLCanvasElement) => c.toDataURL());
  await setInput(page, 'select[aria-label="x kernel preset"]', "Scharr");
  const after = await page.locator('canvas[aria-label="Gx"]').evaluate((c: HTMLCanvasElement) => c.toDataURL());
  expect(after).not.toBe(before);
  await setInput(page, 'input[aria-label="x kernel row 1 column 1"]', "abc");
  expect(await text(".kernel-message")).toContain("숫자가 아닙니다");
  expect((await inspectPage(page)).cellErrors).toEqual([]);
  await setInput(page, 'input[aria-label="x kernel row 1 column 1"]', "-3");
  expect(await text(".kernel-message")).toBe("");
});

test("F4: the formula and tf.conv2d agree; an impossible setting explains itself next to the sliders", async () => {
  for (const [n, f, p, s, out] of [
    [7, 3, 1, 2, 4],
    [12, 7, 3, 4, 3],
    [5, 2, 0, 2, 2]
  ]) {
    await setInput(page, range("n 입력 크기"), String(n));
    await setInput(page, range("f 커널 크기"), String(f));
    await setInput(page, range("p padding"), String(p));
    await setInput(page, range("s stride"), String(s));
    expect(await text(".shape-check")).toBe(`tf.conv2d 출력 shape: [${out}, ${out}, 1] ✓ 공식과 일치`);
    expect(await page.locator(".conv-window svg rect[width]").count()).toBeGreaterThan(0);
  }
  await setInput(page, range("n 입력 크기"), "1");
  await setInput(page, range("f 커널 크기"), "7");
  await setInput(page, range("p padding"), "0");
  expect(await text(".error-note")).toContain("filter is larger than the padded input");
  expect((await inspectPage(page)).cellErrors).toEqual([]);
  await setInput(page, range("n 입력 크기"), "6");
  await setInput(page, range("f 커널 크기"), "3");
  expect(await page.locator(".error-note").count()).toBe(0);
});

test("the sliding window steps through tf.conv2d's outputs", async () => {
  await page.locator(".conv-controls button", {hasText: "멈춤"}).click();
  const first = await text(".conv-readout");
  await page.locator(".conv-controls button[title='다음 위치']").click();
  const second = await text(".conv-readout");
  expect(second).not.toBe(first);
  // the naive sum and tf.conv2d's value agree at every step shown: "… = v (tf.conv2d: v)"
  for (const readout of [first, second]) {
    const m = readout.match(/= (-?\d+) \(tf\.conv2d: (-?\d+)\)$/);
    expect(m, readout).not.toBeNull();
    expect(m![1]).toBe(m![2]);
  }
});

test("a broken formula shows KaTeX's message in place, and nothing is logged", async () => {
  // a string, so vitest does not rewrite the dynamic import
  const rendered = (await page.evaluate(`(async () => {
    const href = document.querySelector('link[rel=modulepreload][href*="components/shared/tex"]').href;
    const {tex} = await import(href);
    const el = tex.string("\\\\frac{1}{", {display: true});
    return {className: el.firstElementChild?.className, text: el.textContent};
  })()`)) as {className: string; text: string};
  expect(rendered.className).toBe("katex-error");
  expect(rendered.text).toMatch(/^KaTeX parse error/);
});

test("re-running cells leaves as many tensors as the first run, and nothing went wrong", async () => {
  const baseline = await numTensors(page);
  for (const lambda of ["5", "12", "4"]) await setInput(page, range("파장 λ (px)"), lambda);
  await setInput(page, 'select[aria-label="x kernel preset"]', "Sobel");
  await setInput(page, 'select[aria-label="x kernel preset"]', "Scharr");
  await settle(page);
  expect(await numTensors(page)).toBe(baseline);
  expect(report.pageErrors).toEqual([]);
  expect(report.consoleErrors).toEqual([]);
  expect(report.foreignRequests).toEqual([]);
});

test.each(["cpu", "wasm"])(
  "the reader can switch the backend to %s; the page reloads on it and measures the same",
  async (name) => {
    const claims = () => page.locator(".claim-result .big").allInnerTexts();
    const before = await claims();
    const select = page.locator('select[aria-label="TF.js backend"]');
    await Promise.all([page.waitForEvent("load"), select.selectOption(name)]);
    await settle(page);
    expect(
      await page.evaluate(() => (window as unknown as {_tfengine: {backendName: string}})._tfengine.backendName)
    ).toBe(name);
    expect(await select.inputValue()).toBe(name);
    expect((await inspectPage(page)).cellErrors).toEqual([]);
    expect(await page.locator(".live-status.ok").count()).toBe(await page.locator(".live-cell").count());
    expect(await claims()).toEqual(before); // the F3 measurement does not depend on the backend
    expect(report.consoleErrors).toEqual([]);
    await page.evaluate(() => localStorage.removeItem("dl4i:backend"));
    await page.reload();
    await settle(page);
  }
);
