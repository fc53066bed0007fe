/**
 * The translation task of chapter 5, shown: generated examples with their tokens and token counts, and the spread
 * of source lengths as a small bar chart. The examples come from lib/data/dates.ts (seeded); the counts are the
 * tokenizers' own; every row carries `data-source` / `data-target` for the browser test to regenerate and compare.
 */
import {ensureSeq2SeqStyles} from "./style.js";
import * as Plot from "@observablehq/plot";
import {sourceTokens, targetTokens, type DateExample} from "../../lib/data/dates.js";
import type {LengthSpread} from "../../lib/viz/seq2seq.js";
import {el} from "../shared/dom.js";

/** Tokens as small chips, one per token. */
export function tokenChips(tokens: string[], className = ""): HTMLElement {
  const box = el("span", `s2s-tokens ${className}`);
  for (const t of tokens) box.append(el("span", "s2s-token", t));
  return box;
}

/** One row per example: source and its tokens, target and its tokens, both counts. */
export function taskTable(examples: DateExample[]): HTMLElement {
  const wrap = el("div", "s2s-task-wrap");
  const t = el("table", "s2s-task");
  const head = t.createTHead().insertRow();
  for (const h of ["입력 (영어)", "입력 토큰", "출력 (한국어)", "출력 토큰"]) head.append(el("th", "", h));
  const body = t.createTBody();
  for (const e of examples) {
    const src = sourceTokens(e.source);
    const tgt = targetTokens(e.target);
    const tr = body.insertRow();
    tr.dataset.source = e.source;
    tr.dataset.target = e.target;
    tr.dataset.sourceCount = String(src.length);
    tr.dataset.targetCount = String(tgt.length);
    tr.insertCell().textContent = e.source;
    const c1 = tr.insertCell();
    c1.append(el("b", "s2s-count", `${src.length}개 `), tokenChips(src, "src"));
    tr.insertCell().textContent = e.target;
    const c2 = tr.insertCell();
    c2.append(el("b", "s2s-count", `${tgt.length}개 `), tokenChips(tgt, "tgt"));
  }
  wrap.append(t);
  return wrap;
}

/** Examples per source length (tokens), with the median marked. */
export function lengthChart(
  spread: LengthSpread,
  {width = 640, label = "학습 예제"} = {}
): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width,
    height: 170,
    marginLeft: 44,
    x: {label: "입력 토큰 수 →"},
    y: {label: `↑ ${label} 수`, grid: true},
    marks: [
      Plot.rectY(spread.counts, {
        x1: (d) => d.length - 0.5,
        x2: (d) => d.length + 0.5,
        y: "count",
        fill: "#1971c2",
        tip: true
      }),
      Plot.ruleX([spread.median], {stroke: "#e8590c", strokeDasharray: "4 3"}),
      Plot.text([spread.median], {
        x: (d) => d,
        frameAnchor: "top",
        dy: 4,
        dx: 4,
        textAnchor: "start",
        text: (d) => `중앙값 ${d}`,
        fill: "#e8590c"
      }),
      Plot.ruleY([0])
    ]
  });
}

ensureSeq2SeqStyles();
