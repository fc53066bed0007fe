import {test} from "vitest";
import type {Page} from "playwright-core";
import {openPage, settle, useSite} from "./site.js";
const site = useSite();
test("slides", {timeout: 120_000}, async () => {
  const {page} = (await openPage(site.browser, site.url, "/vision-transformer.html", {width: 1280, height: 720})) as {page: Page};
  await page.keyboard.press("p");
  await settle(page);
  const st = await page.evaluate(() => {
    const p = (window as unknown as {__presentation: {count: number; overflowing: number[]}}).__presentation;
    return {count: p.count, overflowing: [...p.overflowing]};
  });
  console.log("STATE", JSON.stringify(st));
  for (let i = 0; i < st.count; i++) {
    await page.evaluate((k) => (window as unknown as {__presentation: {go(i: number): void}}).__presentation.go(k), i);
    await settle(page);
    await page.screenshot({path: `test-results/screenshots/_slide-${i}.png`});
  }
});
