// Data loader: KaTeX's stylesheet with its woff2 fonts inlined as data URLs, so formulas typeset with no
// network and no font files to copy. Framework runs this at build time and serves the output as katex.css.
import {readFileSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join} from "node:path";

const dist = dirname(createRequire(import.meta.url).resolve("katex/dist/katex.min.css"));
const css = readFileSync(join(dist, "katex.min.css"), "utf8");
// src:url(fonts/X.woff2) format("woff2"),url(fonts/X.woff) format("woff"),url(fonts/X.ttf) format("truetype")
const inlined = css.replace(/src:url\(fonts\/([\w-]+)\.woff2\) format\("woff2"\)[^;}]*/g, (_, name: string) => {
  const font = readFileSync(join(dist, "fonts", `${name}.woff2`)).toString("base64");
  return `src:url(data:font/woff2;base64,${font}) format("woff2")`;
});
if (/url\(fonts\//.test(inlined)) throw new Error("katex.css: a font reference was not inlined");
process.stdout.write(inlined);
