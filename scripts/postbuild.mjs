/**
 * After `observable build`: fixes to Framework 1.13's page template that its config cannot make, for WCAG 2.1
 * (issue 17), in every built page of dist/:
 * - `<html lang="ko">`: the pages are Korean (screen readers pick the voice from it);
 * - the viewport allows zooming (Framework writes `maximum-scale=1`, which stops a reader from zooming in);
 * - the sidebar's close `<label>` moves out of its `<ol>` (a list holds only `<li>`).
 * `present.js` makes the same changes at run time, so the dev server's pages match.
 */
import {readdirSync, readFileSync, statSync, writeFileSync} from "node:fs";
import {join} from "node:path";

export function fixPage(html) {
  return html
    .replace(/<html(?![^>]*\blang=)>/, '<html lang="ko">')
    .replace(/(<meta name="viewport" content="[^"]*?),\s*maximum-scale=1(\.0)?/, "$1")
    .replace(/<ol>\s*(<label id="observablehq-sidebar-close"[^>]*><\/label>)/, "$1\n  <ol>");
}

function pages(dir) {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    if (statSync(path).isDirectory()) return f.startsWith("_") ? [] : pages(path);
    return f.endsWith(".html") ? [path] : [];
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dist = process.argv[2] ?? "dist";
  let changed = 0;
  for (const file of pages(dist)) {
    const before = readFileSync(file, "utf8");
    const after = fixPage(before);
    if (after !== before) {
      writeFileSync(file, after);
      changed++;
    }
  }
  console.log(`postbuild: ${changed} page(s) fixed (lang, zoom, sidebar list)`);
}
