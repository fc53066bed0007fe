/**
 * After `observable build`, in dist/ (issue 17):
 *
 * 1. The service worker: `sw.js` from scripts/service-worker.js, with the build's file list and a version made from
 *    the files' contents, and a script in every page that registers it (built pages only: the dev server has none)
 *    and reloads the page once when the worker first makes it cross-origin isolated (`REGISTER`).
 *
 * 2. A `<meta name="description">` in every page (search results, Lighthouse SEO): a chapter's number, title and
 *    sections from the course map the build wrote (`_file/assets/chapters.*.json`, from lib/chapters.ts).
 *
 * 3. Fixes to Framework 1.13's page template that its config cannot make, for WCAG 2.1, in every built page:
 * - `<html lang="ko">`: the pages are Korean (screen readers pick the voice from it);
 * - the viewport allows zooming (Framework writes `maximum-scale=1`, which stops a reader from zooming in);
 * - the sidebar's close `<label>` moves out of its `<ol>` (a list holds only `<li>`).
 * `present.js` makes the same changes at run time, so the dev server's pages match.
 *
 * 4. KaTeX's fonts as separate files (issue 18): the stylesheet (src/assets/katex-styles.css.ts) points at
 *    `katex-fonts/<name>.woff2`; here each font it names is copied from the katex package next to the built
 *    stylesheet with a content hash in its name, and the stylesheet's urls are rewritten to match. A browser then
 *    fetches only the fonts a page's formulas use (a few KB each) instead of all twenty inlined (258 KB gzip).
 *
 * 6. A lighter TF.js (issue 18): the union bundle Framework copied for lib/tf.ts (`/_node/@tensorflow/tfjs@…/dist/
 *    tf.fesm.min.*.js`) is replaced by `src/vendor/tf-slim.js` (scripts/vendor.mjs: core, layers, cpu; 180 KB gzip
 *    instead of 278). Same address, so the pages and their module preloads are unchanged.
 *
 * 5. No layout shift from the chapter kit (issue 18): the block whose cell displays `chapterTools(…)` (the backend
 *    line and the live-cell help, about 230 px, shown only once the backend is ready) gets the class
 *    `chapter-tools-slot`, for which the config's `head` reserves that height until it is filled. Without it, all
 *    the text below moved down by that much a second or more after it was painted (Lighthouse CLS 0.07–0.30).
 */
import {createHash} from "node:crypto";
import {copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join, relative, sep} from "node:path";

/**
 * Registers the service worker; a page opened from a file or without service workers just works online. The worker
 * adds the COOP/COEP headers (cross-origin isolation, hence wasm threads) to the pages it serves, but a page is
 * isolated or not from the moment it loads: so when the worker first takes control of a page that is not isolated,
 * the page reloads itself, once per tab, and only if the reader has not yet touched it (no click, key, wheel or touch:
 * nothing they started is lost). Otherwise the next page they open is isolated.
 */
export const REGISTER = `<script type="module">if ("serviceWorker" in navigator) {
  let touched = false;
  for (const type of ["pointerdown", "keydown", "wheel", "touchstart"]) addEventListener(type, () => (touched = true), {capture: true, once: true, passive: true});
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (globalThis.crossOriginIsolated || touched) return;
    try {
      if (sessionStorage.getItem("dl4i:isolation-reload")) return;
      sessionStorage.setItem("dl4i:isolation-reload", "1");
    } catch {
      return;
    }
    location.reload();
  });
  navigator.serviceWorker.register("./sw.js").catch(() => {});
}</script>`;

const SITE = "이미지를 위한 딥러닝";
const FIXED_DESCRIPTIONS = {
  "index.html": `${SITE}: filter와 convolution에서 CNN, RNN, attention, Transformer, ViT, Swin Transformer까지. 브라우저에서 코드를 고쳐 실행하고 모델을 직접 학습하는 대화형 강의.`,
  "glossary.html": `${SITE}의 용어집: 강의 전체에서 쓰는 용어 하나하나의 뜻과 처음 설명한 곳.`
};

/** Each page's description, by file name, from the build's course map. */
export function descriptions(dist) {
  const assets = join(dist, "_file", "assets");
  const file = readdirSync(assets).find((f) => /^chapters\.[0-9a-f]+\.json$/.test(f));
  const map = file ? JSON.parse(readFileSync(join(assets, file), "utf8")) : [];
  const out = {...FIXED_DESCRIPTIONS};
  for (const c of map)
    out[`${c.slug}.html`] =
      `${c.number}. ${c.title} — ${c.sections.join(", ")}. ${SITE}: 브라우저에서 코드를 고쳐 실행하고 모델을 직접 학습하는 대화형 강의.`;
  return out;
}

const escapeAttribute = (s) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

export function fixPage(html, description) {
  const described =
    description && !html.includes('<meta name="description"')
      ? html.replace(
          /(<meta name="viewport"[^>]*>)/,
          `$1\n<meta name="description" content="${escapeAttribute(description)}">`
        )
      : html;
  const fixed = described
    .replace(/<html(?![^>]*\blang=)>/, '<html lang="ko">')
    .replace(/(<meta name="viewport" content="[^"]*?),\s*maximum-scale=1(\.0)?/, "$1")
    .replace(/<ol>\s*(<label id="observablehq-sidebar-close"[^>]*><\/label>)/, "$1\n  <ol>");
  return fixed.includes(REGISTER) ? fixed : fixed.replace("</body>", `${REGISTER}\n</body>`);
}

/** KaTeX's woff2 fonts next to the built stylesheet, hashed; returns how many were copied. */
export function katexFonts(dist) {
  const assets = join(dist, "_file", "assets");
  const sheets = readdirSync(assets).filter((f) => /^katex-styles\.[0-9a-f]+\.css$/.test(f));
  if (sheets.length !== 1) throw new Error(`postbuild: expected one built katex-styles.*.css, found ${sheets.length}`);
  const fonts = join(dirname(createRequire(import.meta.url).resolve("katex/dist/katex.min.css")), "fonts");
  const out = join(assets, "katex-fonts");
  mkdirSync(out, {recursive: true});
  const sheet = join(assets, sheets[0]);
  let copied = 0;
  const css = readFileSync(sheet, "utf8").replace(
    /url\(katex-fonts\/([\w-]+)(?:\.[0-9a-f]{8})?\.woff2\)/g,
    (_, name) => {
      const font = readFileSync(join(fonts, `${name}.woff2`));
      const hashed = `${name}.${createHash("sha256").update(font).digest("hex").slice(0, 8)}.woff2`;
      copyFileSync(join(fonts, `${name}.woff2`), join(out, hashed));
      copied++;
      return `url(katex-fonts/${hashed})`;
    }
  );
  if (!copied)
    throw new Error(
      "postbuild: the built katex stylesheet names no katex-fonts/ file (a stale loader cache? `npm run clean`)"
    );
  writeFileSync(sheet, css);
  return copied;
}

/** Marks the block that will hold the page's `chapterTools(…)` so its height is reserved (see the config's head). */
export function reserveChapterTools(html) {
  const ids = [...html.matchAll(/define\(\{id: "([0-9a-f]+)"/g)];
  const cell = ids.find((m, i) => html.slice(m.index, ids[i + 1]?.index).includes("display(chapterTools("));
  if (!cell) return html;
  return html.replace(
    `<div class="observablehq observablehq--block"><!--:${cell[1]}:-->`,
    `<div class="observablehq observablehq--block chapter-tools-slot"><!--:${cell[1]}:-->`
  );
}

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** dist/sw.js: the worker with this build's files (data files apart) and its version. */
export function writeServiceWorker(dist) {
  const all = files(dist)
    .map((f) => relative(dist, f).split(sep).join("/"))
    .filter((f) => f !== "sw.js")
    .sort();
  const data = all.filter((f) => f.endsWith(".bin"));
  const site = all.filter((f) => !f.endsWith(".bin"));
  const hash = createHash("sha256");
  for (const f of all)
    hash
      .update(f)
      .update("\0")
      .update(readFileSync(join(dist, f)))
      .update("\0");
  const version = hash.digest("hex").slice(0, 16);
  const template = readFileSync(new URL("./service-worker.js", import.meta.url), "utf8");
  const worker = template
    .replace('"__VERSION__"', JSON.stringify(version))
    .replace("/* __FILES__ */ []", JSON.stringify(site))
    .replace("/* __DATA_FILES__ */ []", JSON.stringify(data));
  writeFileSync(join(dist, "sw.js"), worker);
  return {version, files: site.length, data: data.length};
}

/** Put the slim TF.js bundle in the union bundle's place (see 6 above). Returns how many files were replaced. */
export function slimTf(dist, slim = "src/vendor/tf-slim.js") {
  const root = join(dist, "_node");
  let replaced = 0;
  for (const dir of readdirSync(join(root, "@tensorflow")).filter((d) => d.startsWith("tfjs@"))) {
    const at = join(root, "@tensorflow", dir, "dist");
    for (const f of readdirSync(at).filter((f) => /^tf\.fesm\.min\.[0-9a-f]+\.js$/.test(f))) {
      copyFileSync(slim, join(at, f));
      replaced++;
    }
  }
  if (replaced === 0) throw new Error("postbuild: TF.js's union bundle not found in dist/_node");
  return replaced;
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
  // before the worker: the fonts are part of its file list and version
  const fonts = katexFonts(dist);
  slimTf(dist);
  let changed = 0;
  const described = descriptions(dist);
  for (const file of pages(dist)) {
    const before = readFileSync(file, "utf8");
    const after = reserveChapterTools(fixPage(before, described[relative(dist, file).split(sep).join("/")]));
    if (after !== before) {
      writeFileSync(file, after);
      changed++;
    }
  }
  // after the pages: their final bytes are part of the version
  const sw = writeServiceWorker(dist);
  console.log(
    `postbuild: ${changed} page(s) fixed (lang, zoom, description, sidebar list, worker registered); sw.js ${sw.version}: ` +
      `${sw.files} files precached, ${sw.data} data files cached on first use; ${fonts} KaTeX fonts as separate files; TF.js slim bundle`
  );
}
