import {launch} from "../tests/browser/chromium.js";
import {serve} from "../tests/browser/server.js";
const settle = (p: any) => p.waitForTimeout(6000);
const server = await serve("dist");
const browser = await launch();
const ctx = await browser.newContext({viewport: {width: 1280, height: 900}, serviceWorkers: "block"});
const page = await ctx.newPage();
page.on("console", (m) => console.log("console:", m.type(), m.text()));
await page.goto(server.url + "/filter.html", {waitUntil: "load"});
await settle(page);
const c = page.locator('.live-cell[data-live-id="cell-1"]');
for (let i = 0; i < 2; i++) {
await c.locator(".cm-content").click();
await page.keyboard.press("ControlOrMeta+A");
await page.keyboard.insertText("const x = ;");
console.log("placeholder?", await c.locator(".live-placeholder").count(), JSON.stringify(await c.locator(".cm-content").innerText()));
await page.waitForTimeout(1000);
console.log("placeholder?", await c.locator(".live-placeholder").count(), JSON.stringify(await c.locator(".cm-content").innerText()));
}
await browser.close(); await server.close();
