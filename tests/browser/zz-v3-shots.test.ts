import {test} from "vitest";
import {openPage, settle, useSite} from "./site.js";
const site = useSite();
test("shots", {timeout: 500_000}, async () => {
  const {page, context} = await openPage(site.browser, site.url, "/vision-transformer.html?present", {width: 1280, height: 720});
  const state = () => page.evaluate(() => (window as any).__presentation.count as number);
  const count = await state();
  const go = async (i: number) => { await page.evaluate((i) => (window as any).__presentation.go(i), i); await settle(page, 30_000, 300); };
  const slides: number[] = [];
  for (let i = 0; i < count; i++) {
    await go(i);
    const text = await page.evaluate(() => document.querySelector("main")!.innerText);
    slides.push(i);
    await page.screenshot({path: `/tmp/v3-slide-${i}.png`});
  }
  // train on the training slide, then shoot the later slides again
  for (let i = 0; i < count; i++) {
    await go(i);
    const visible = await page.locator(".experiment-panel[data-claim=V3]").isVisible();
    if (visible) {
      await page.locator('.experiment-panel[data-claim=V3] form:has(label:text-is("학습 이미지")) select').selectOption({label: "1,000"});
      await page.locator(".experiment-panel[data-claim=V3] .panel-start").click();
      await page.waitForFunction(() => document.querySelector(".experiment-panel[data-claim=V3]")?.getAttribute("data-state") === "done", null, {timeout: 400_000});
      await settle(page);
      await page.screenshot({path: `/tmp/v3-slide-${i}-after.png`});
      for (const j of [i + 1, i + 2]) { await go(j); await page.screenshot({path: `/tmp/v3-slide-${j}-after.png`}); }
      const over = await page.evaluate(() => (window as any).__presentation.overflowing);
      console.log("overflowing after", JSON.stringify(over), "count", count, "train slide", i);
      break;
    }
  }
  await context.close();
});
