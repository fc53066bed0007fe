import {test} from "vitest";
import {openPage, settle, useSite} from "./site.js";
const site = useSite();
test("shots", async () => {
  for (const width of [1280, 390]) {
    const {page, context} = await openPage(site.browser, site.url, "/cnn.html", {width, height: 900});
    await page.selectOption('select[aria-label="픽셀 섞기 실험 예산"]', "quick");
    await page.locator('[data-claim="C5"] .panel-start').click();
    await page.waitForFunction(
      () => document.querySelector('[data-claim="C5"]')?.getAttribute("data-state") === "done",
      undefined,
      {timeout: 170000}
    );
    await settle(page);
    const shot = async (from: string, to: string, name: string) => {
      const y0 = await page.locator(from).evaluate((e) => e.getBoundingClientRect().top + window.scrollY);
      const y1 = await page.locator(to).evaluate((e) => e.getBoundingClientRect().top + window.scrollY);
      await page.screenshot({
        path: `test-results/screenshots/${name}-${width}.png`,
        fullPage: true,
        clip: {x: 0, y: y0 - 10, width, height: Math.min(y1 - y0, 3000)}
      });
    };
    await shot("#params", "#shift", "s-params");
    await shot("#shift", "#cost", "s-shift-spatial");
    await shot("#cost", "#softmax", "s-cost-summary");
    await shot("#softmax", "#results", "s-softmax-training");
    await shot("#pooling-shapes", "#fc", "s-pooling");
    await shot("#exercises", "footer", "s-exercises");
    await context.close();
  }
}, 400000);
