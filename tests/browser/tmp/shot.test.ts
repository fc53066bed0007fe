import {writeFileSync} from "node:fs";
import {test} from "vitest";
import {openPage, useSite} from "../site.js";

const site = useSite();
test("shots", async () => {
  const {page, context} = await openPage(site.browser, site.url, "/cnn-models.html", {width: 1280, height: 900});
  const shots: [string, string][] = [
    ["variants", ".inception-variants"],
    ["series", ".series-figure"],
    ["m4", ".experiment-panel >> nth=0"],
    ["ex1", "[data-exercise] >> nth=0"],
    ["compare", ".comparison-table"]
  ];
  for (const [name, sel] of shots) await page.locator(sel).screenshot({path: `/tmp/ch3/el-${name}.png`});
  await context.close();
  const mob = await openPage(site.browser, site.url, "/cnn-models.html", {width: 390, height: 800});
  const wide = await mob.page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll("main *")) {
      const r = el.getBoundingClientRect();
      if (r.right > 392 && r.width > 0) {
        let anc = el.parentElement; let clipped = false;
        while (anc && anc !== document.body) { const o = getComputedStyle(anc).overflowX; if (o === "auto" || o === "scroll" || o === "hidden") { clipped = true; break; } anc = anc.parentElement; }
        if (!clipped) out.push(`${el.tagName}.${(el.getAttribute("class") ?? "").slice(0, 40)} right=${Math.round(r.right)} ${el.textContent?.slice(0, 40)}`);
      }
    }
    return out.slice(0, 30);
  });
  writeFileSync("/tmp/ch3/wide.txt", wide.join("\n"));
  await mob.page.locator(".series-figure").screenshot({path: "/tmp/ch3/mob-series.png"});
  await mob.context.close();
}, 300_000);
