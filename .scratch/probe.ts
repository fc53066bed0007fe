import {gzipSync} from "node:zlib";
import {launch} from "../tests/browser/chromium.js";
import {serve} from "../tests/browser/server.js";
const path = process.argv[2] ?? "/filter.html";
const server = await serve("dist");
const browser = await launch();
const ctx = await browser.newContext({viewport: {width: 1280, height: 900}, serviceWorkers: "block"});
const page = await ctx.newPage();
const sizes: {url: string; gz: number}[] = [];
page.on("response", async (res) => {
  try { const b = await res.body(); sizes.push({url: res.url().replace(server.url, ""), gz: gzipSync(b).length}); } catch {}
});
await page.goto(server.url + path, {waitUntil: "load"});
await page.waitForTimeout(8000);
const editorish = sizes.filter((s) => /codemirror|lezer|sucrase|acorn|live-|style-mod|crelt|w3c-keyname|lang-/.test(s.url));
console.log("total gz KB", (sizes.reduce((a, s) => a + s.gz, 0) / 1024).toFixed(1), "requests", sizes.length);
console.log("editorish KB", (editorish.reduce((a, s) => a + s.gz, 0) / 1024).toFixed(1));
for (const s of editorish) console.log(s.url, s.gz);
if (process.argv[3] === "dom") {
  const info = await page.evaluate(() => {
    const ed = document.querySelector('.live-cell[data-live-id="cell-1"] .cm-editor')!;
    const out: string[] = [];
    for (const el of [ed, ...ed.querySelectorAll("*")].slice(0, 40)) {
      const cs = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      out.push(`${el.tagName}.${el.className} ${r.width.toFixed(1)}x${r.height.toFixed(1)} font=${cs.fontFamily}/${cs.fontSize}/${cs.lineHeight} pad=${cs.padding} bg=${cs.backgroundColor} color=${cs.color} border=${cs.borderRight} disp=${cs.display} pos=${cs.position}`);
    }
    return {html: ed.outerHTML.slice(0, 3000), out};
  });
  console.log(info.html); console.log(info.out.join("\n"));
}
await browser.close(); await server.close();
