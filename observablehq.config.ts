// Observable Framework configuration: https://observablehq.com/framework/config
import {existsSync} from "node:fs";
import {CHAPTERS} from "./lib/chapters.js";

/** Chapters whose page exists, in the notes' order. A chapter that is only planned is not listed. */
export const chapterPages = CHAPTERS.filter((c) => existsSync(new URL(`./src/${c.slug}.md`, import.meta.url))).map(
  (c, i) => ({name: `${i + 1}. ${c.title}`, path: `/${c.slug}`})
);

export default {
  title: "이미지를 위한 딥러닝",
  home: `<span class="course-title">이미지를 위한 딥러닝</span><small class="course-subtitle">Deep Learning for Images</small>`,
  root: "src",
  pages: chapterPages,
  // no Google Fonts: the default stylesheets link fonts.googleapis.com
  globalStylesheets: [],
  style: "style.css",
  head: `<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/assets/katex.css">`,
  footer:
    "이미지를 위한 딥러닝 · Deep Learning for Images — built with Observable Framework and TensorFlow.js; runs offline.",
  search: true,
  // links end in .html and name index.html, so any plain static file server (or a classroom folder) works
  preserveExtension: true,
  preserveIndex: true,
  toc: true,
  pager: true
};
