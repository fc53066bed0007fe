// Data loader: KaTeX's stylesheet, pointing at its woff2 fonts as separate files next to it (`katex-fonts/`), so a
// browser fetches only the fonts a page's formulas use, from the site itself (issue 18). In `npm run dev` the folder
// is src/assets/katex-fonts, a link to katex's own fonts; `npm run build` copies them with content hashes in their
// names and rewrites these urls (scripts/postbuild.mjs, `katexFonts`). Only woff2: every browser that runs the
// course's ES modules and wasm reads it.
import {readFileSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join} from "node:path";

const require = createRequire(import.meta.url);
const dist = dirname(require.resolve("katex/dist/katex.min.css"));
const {version} = JSON.parse(readFileSync(require.resolve("katex/package.json"), "utf8")) as {version: string};
const css = readFileSync(join(dist, "katex.min.css"), "utf8");
// src:url(fonts/X.woff2) format("woff2"),url(fonts/X.woff) format("woff"),url(fonts/X.ttf) format("truetype")
const linked = css.replace(
  /src:url\(fonts\/([\w-]+)\.woff2\) format\("woff2"\)[^;}]*/g,
  (_, name: string) => `src:url(katex-fonts/${name}.woff2) format("woff2")`
);
if (/url\(fonts\//.test(linked)) throw new Error("katex-styles.css: a font reference was not rewritten");
// the version in the text gives the stylesheet a new hashed name when katex (and so its fonts) changes
process.stdout.write(`/* KaTeX ${version} */\n${linked}`);
