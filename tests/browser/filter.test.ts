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

test("the five claims each have one experiment root", async () => {
  const claims = await page.locator("[data-claim]").evaluateAll((els) => els.map((e) => e.getAttribute("data-claim")));
  expect(claims).toEqual(["F1", "F2", "F3", "F4", "F5"]);
  // each root holds its experiment: F1 the response chart, F2 the editor, F3 the slider, F4 the sliders, F5 the sum
  expect(await page.locator('[data-claim="F1"] svg').count()).toBeGreaterThan(0);
  // two kernels × two edges: four bars drawn (an empty chart once passed every other check)
  expect(await page.locator('[data-claim="F1"] svg g[aria-label="bar"] rect').count()).toBe(4);
  expect(await page.locator('[data-claim="F2"] select[aria-label="x kernel preset"]').count()).toBe(1);
  expect(await page.locator(`[data-claim="F3"] ${range("파장 λ (px)")}`).count()).toBe(1);
  expect(await page.locator(`[data-claim="F4"] ${range("s stride")}`).count()).toBe(1);
  expect(await page.locator('[data-claim="F5"]').innerText()).toContain("tf.conv2d");
});

test("stride: the overlap sentence follows f and s (f − s shared, s − f unread)", async () => {
  await setInput(page, range("n 입력 크기"), "7");
  for (const [f, s, expected] of [
    [3, 1, "f = 3, s = 1: 이웃한 두 창은 f − s = 2열을 함께 읽습니다. 창이 겹칩니다."],
    [3, 2, "f = 3, s = 2: 이웃한 두 창은 f − s = 1열을 함께 읽습니다. 창이 겹칩니다."],
    [2, 2, "f = s = 2: 이웃한 두 창은 딱 붙어, 겹치지도 건너뛰지도 않습니다."],
    [2, 4, "f = 2, s = 4: 두 창 사이의 s − f = 2열은 어떤 창도 읽지 않습니다."]
  ] as const) {
    await setInput(page, range("f 커널 크기"), String(f));
    await setInput(page, range("s stride"), String(s));
    await expect.poll(() => text(".stride-overlap")).toBe(`위 슬라이더로: ${expected}`);
  }
  // the correction of the notes is visible prose, not a speaker note
  const callout = page.locator(".callout", {hasText: "겹치지 않고"});
  expect(await callout.isVisible()).toBe(true);
  // AlexNet's pooling, read from its preset (the formula's TeX source)
  expect(await callout.locator("annotation").allTextContents()).toContain("f = 3,\\ s = 2");
});

test("padding: the growth sentence follows n, f, p, s; 2p only at stride 1", async () => {
  // hand-worked: ⌊(7 − 3)/2⌋ + 1 = 3, ⌊(7 + 2 − 3)/2⌋ + 1 = 4
  for (const [n, f, p, s, sizes, growth] of [
    [7, 3, 1, 2, "p = 0이면 출력 3, p = 1이면 4", "출력은 1칸 커졌습니다 (2p = 2가 아닙니다"],
    [7, 3, 1, 1, "p = 0이면 출력 5, p = 1이면 7", "출력은 2칸 커졌습니다 (s = 1이므로 정확히 2p입니다)"],
    [12, 5, 3, 4, "p = 0이면 출력 2, p = 3이면 4", "출력은 2칸 커졌습니다 (2p = 6이 아닙니다"],
    [6, 3, 0, 1, "p = 0이면 출력 4, p = 1이면 6", "출력은 2칸 커졌습니다"]
  ] as const) {
    await setInput(page, range("n 입력 크기"), String(n));
    await setInput(page, range("f 커널 크기"), String(f));
    await setInput(page, range("p padding"), String(p));
    await setInput(page, range("s stride"), String(s));
    // the sentence re-renders after the sliders' cells: wait for it rather than for a quiet page
    await expect.poll(() => text(".padding-growth")).toContain(`n = ${n}, f = ${f}, s = ${s}: ${sizes}`);
    expect(await text(".padding-growth")).toContain(growth);
  }
});

test("F3: the sentences under the wavelength sweep say what its rows show", async () => {
  const list = page.locator(".sweep-summary");
  const rows = JSON.parse((await list.getAttribute("data-sweep"))!) as {
    kernel: string;
    wavelength: number;
    worst: number;
  }[];
  const items = await list.locator("li").allInnerTexts();
  const of = (kernel: string) => rows.filter((r) => r.kernel === kernel).sort((a, b) => a.wavelength - b.wavelength);
  const [sobel, scharr] = [of("Sobel"), of("Scharr")];
  const rises = (k: typeof rows) => k.slice(1).filter((r, i) => r.worst > k[i].worst);
  // re-derived here, independently of lib/ops/orientation.ts
  expect(rises(sobel)).toEqual([]);
  expect(items[0]).toContain("한 번도 커지지 않고");
  expect(rises(scharr).map((r) => r.wavelength)).toEqual([5]); // 0.289° at λ = 4, 0.309° at λ = 5
  expect(items[1]).toContain("꼭 그렇지는 않습니다: λ = 4 px → 5 px에서 0.289° → 0.309°");
  expect(items[2]).toBe(`잰 ${sobel.length}개 파장 모두에서 Scharr의 최대 오차가 Sobel보다 작습니다.`);
  const ratios = sobel.map((r, i) => ({wavelength: r.wavelength, ratio: r.worst / scharr[i].worst}));
  const min = ratios.reduce((m, r) => (r.ratio < m.ratio ? r : m));
  const max = ratios.reduce((m, r) => (r.ratio > m.ratio ? r : m));
  expect([min.wavelength, max.wavelength]).toEqual([2.5, 4]);
  expect(items[3]).toContain(`λ = ${min.wavelength} px에서 ${min.ratio.toFixed(1)}×로 가장 작고`);
  expect(items[3]).toContain(`λ = ${max.wavelength} px에서 ${Math.round(max.ratio)}×로 가장 크며`);
  expect(items[3]).toContain(`λ = 32 px에서는 ${ratios.at(-1)!.ratio.toFixed(1)}×`);
  // the summary's ratio range is the same as the list's
  const summary = (await page.locator("#summary ~ ul li", {hasText: "비율"}).innerText()).replace(/\u00a0/g, " ");
  expect(summary).toContain(`${min.ratio.toFixed(1)}× (λ = ${min.wavelength} px)`);
});

test("F3: the sentence under the angle chart follows the wavelength", async () => {
  await setInput(page, range("파장 λ (px)"), "8");
  const sentence = await text(".angle-summary");
  expect(sentence).toContain("(λ = 8 px)");
  expect(sentence).toContain("가까운 축(0° 또는 90°) 쪽으로"); // measured 20° reads as less than 20° (unit test)
  expect(sentence).toContain("가장 큰 오차 0.000°");
  await setInput(page, range("파장 λ (px)"), "4");
});

/** Type a number into an exercise, press 확인, and return the verdict and the feedback. */
async function answer(id: string, value: string) {
  const root = page.locator(`[data-exercise="${id}"]`);
  await root.locator("input").fill(value);
  await root.locator("button.exercise-check").click();
  return {
    result: await root.getAttribute("data-result"),
    feedback: await root.locator(".exercise-feedback").innerText()
  };
}

test("exercises: a right and a wrong number for each, with the reason, and a worked answer", async () => {
  // right answers worked by hand: ⌊(7 + 2 − 3)/2⌋ + 1 = 4; (5 − 1)/2 = 2; 3 − 2 = 1; 3·3·3·16 + 16 = 448
  for (const [id, right, wrong, why, solution] of [
    ["output-size", "4", "3", "padding p = 1을 빼고", "= 4."],
    ["same-padding", "2", "4", "양쪽을 합친", "= 2"],
    ["overlap", "1", "0", "s ≥ f일 때만", "max(f − s, 0) = 1"],
    ["filter-bank", "448", "432", "bias가 하나씩", "합계 448"]
  ]) {
    const bad = await answer(id, wrong);
    expect(bad.result, id).toBe("wrong");
    expect(bad.feedback).toContain(why);
    const good = await answer(id, right);
    expect(good.result, id).toBe("right");
    expect(good.feedback).toMatch(/^✓/);
    const root = page.locator(`[data-exercise="${id}"]`);
    await root.locator("button.exercise-show").click();
    expect(await root.locator(".exercise-solution").innerText()).toContain(solution);
  }
});

test("exercise 5: the 45° kernel cell is judged by what it measures on four edges", async () => {
  const cell = page.locator('.live-cell[data-live-id="kernel-45"]');
  const root = page.locator('[data-exercise="kernel-45"]');
  const runWith = async (code: string) => {
    await cell.locator(".cm-content").click();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.insertText(code);
    await cell.locator(".live-run").click();
    await page.waitForFunction(() =>
      document.querySelector('[data-exercise="kernel-45"]')?.hasAttribute("data-result")
    );
    await settle(page);
    return {
      result: await root.getAttribute("data-result"),
      feedback: await root.locator(".exercise-feedback").innerText()
    };
  };
  // the starter code (the vertical kernel) ran with the page and was not judged
  expect(await root.getAttribute("data-result")).toBeNull();
  const wrong = await runWith("[[1, 0, -1], [1, 0, -1], [1, 0, -1]];");
  expect(wrong.result).toBe("wrong");
  expect(wrong.feedback).toContain("세로 edge │ (0°)에 가장 크게");
  const right = await runWith("[[-2, -1, 0], [-1, 0, 1], [0, 1, 2]];");
  expect(right.result).toBe("right");
  // hand-worked: on ╱ the window sees 1 + 2 + 1 = 4 on its bright side; on │ and ─ the sums are 3
  expect(right.feedback).toContain("대각선 edge ╱ (45°) 4");
  expect(right.feedback).toContain("세로 edge │ (0°) 3");
  await root.locator("button.exercise-show").click();
  expect(await root.locator(".exercise-solution").innerText()).toContain("[[-2, -1, 0], [-1, 0, 1], [0, 1, 2]]");
  await cell.locator("button", {hasText: "원래 코드"}).click();
  await settle(page);
  expect(report.consoleErrors).toEqual([]);
  expect(report.pageErrors).toEqual([]);
});
