// Observable Framework configuration: https://observablehq.com/framework/config
import {existsSync} from "node:fs";
import {COURSE_PAGES, pageName} from "./lib/chapters.js";

type Token = {info: string; content: string};
type FenceRule = (
  tokens: Token[],
  idx: number,
  options: unknown,
  env: Record<string, unknown>,
  self: unknown
) => string;
interface MarkdownIt {
  renderer: {rules: {fence?: FenceRule}};
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})[c]!);

/**
 * ```ts live [autorun=false] [id=name]: a live cell (src/components/shared/live-cells.ts). Framework keeps only a
 * fence's language, so this hook reads the other words. Without JavaScript the cell is highlighted code.
 */
export function liveCellFences(md: MarkdownIt): MarkdownIt {
  const fence = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens, idx, options, env, self) => {
    const [lang, ...words] = tokens[idx].info.trim().split(/\s+/);
    if (!(lang === "ts" || lang === "js") || !words.includes("live")) return fence(tokens, idx, options, env, self);
    const opts = Object.fromEntries(words.filter((w) => w.includes("=")).map((w) => w.split("=", 2)));
    const count = ((env.liveCellCount as number | undefined) ?? 0) + 1;
    env.liveCellCount = count;
    const id = /^[\w-]+$/.test(opts.id ?? "") ? opts.id : `cell-${count}`;
    // a cell's id keys the reader's saved edits and its tensors: two cells must never share one
    const ids = (env.liveCellIds ??= new Set<string>()) as Set<string>;
    if (ids.has(id)) throw new Error(`two live cells on this page have the id "${id}"`);
    ids.add(id);
    const autorun = opts.autorun === "false" ? "false" : "true";
    return `<div class="live-cell" data-live-id="${id}" data-autorun="${autorun}">
<pre class="live-source"><code class="language-${lang}">${escapeHtml(tokens[idx].content)}</code></pre>
</div>
`;
  };
  return md;
}

/** Course pages (chapters and their sub-pages) whose file exists, in the notes' order. A planned page is not listed. */
export const chapterPages = COURSE_PAGES.filter((c) => existsSync(new URL(`./src/${c.slug}.md`, import.meta.url))).map(
  (c) => ({name: pageName(c), path: `/${c.slug}`})
);

export default {
  title: "이미지를 위한 딥러닝",
  home: `<span class="course-title">이미지를 위한 딥러닝</span><small class="course-subtitle">Deep Learning for Images</small>`,
  root: "src",
  // the chapters, then the reader's glossary (generated from lib/glossary.ts)
  pages: [...chapterPages, {name: "용어집", path: "/glossary"}],
  // no web fonts from a font CDN: the default stylesheets would link one; fonts come from the system or the site
  globalStylesheets: [],
  style: "style.css",
  // KaTeX's stylesheet (its fonts are separate files, fetched when a formula uses them: src/assets/katex-styles.css.ts);
  // the height the chapter kit's block will take, reserved until it arrives (scripts/postbuild.mjs marks the block),
  // so the text below does not jump when the backend is ready; the presentation mode
  head: `<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/assets/katex-styles.css"><style>.chapter-tools-slot:not(:has(.chapter-tools)){min-height:244px}@media (max-width:600px){.chapter-tools-slot:not(:has(.chapter-tools)){min-height:440px}}</style><script type="module" src="/components/shared/present.js"></script>`,
  footer:
    "이미지를 위한 딥러닝 · Deep Learning for Images — built with Observable Framework and TensorFlow.js; runs offline.",
  search: true,
  markdownIt: liveCellFences,
  // links end in .html and name index.html, so any plain static file server (or a classroom folder) works
  preserveExtension: true,
  preserveIndex: true,
  toc: true,
  pager: true
};
