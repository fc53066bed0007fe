/**
 * What the self-attention half of chapter 6 「Attention」 (SA1–SA5) shares: a matrix as a small table of numbers with
 * row and column labels (shaded for attention 가중치 and masks), the reader's sentence input, and element helpers.
 */
import {syllableVectors, type Matrix} from "../../lib/analysis/attention-steps.js";
import {el as sharedEl} from "../shared/dom.js";

/** This half's own styles, added once (kept out of the shared src/style.css, which other helpers edit). */
const CSS = `
.sa-row { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: flex-start; max-width: 100%; }
.sa-matrix { margin: 0; max-width: 100%; overflow-x: auto; }
.sa-matrix figcaption { font-size: 12px; font-weight: 600; margin-bottom: 2px; }
.sa-matrix table { border-collapse: collapse; font: 12px var(--monospace, monospace); }
.sa-matrix th { font-weight: normal; color: var(--theme-foreground-muted, #555); padding: 1px 5px; text-align: right; }
.sa-matrix td { padding: 1px 5px; text-align: right; border: 1px solid var(--theme-foreground-faint, #ddd); }
.sa-controls { display: inline-flex; flex-wrap: wrap; gap: 4px; align-items: center; font-size: 14px; }
.sa-input { font-size: 15px; max-width: 100%; }
.sa-note, .sa-sums, .sa-encoding-note { font-size: 13px; margin: 4px 0; }
.sa4-map { margin: 0; max-width: 100%; overflow-x: auto; }
.sa4-map figcaption { font-size: 12px; font-weight: 600; }
.sa-encoding svg { max-width: 100%; height: auto; }
`;

export function ensureSelfAttentionStyles(): void {
  if (typeof document === "undefined" || document.getElementById("sa-styles")) return;
  const style = document.createElement("style");
  style.id = "sa-styles";
  style.textContent = CSS;
  document.head.append(style);
}

/** The shared `el`, with this half's styles in the document first. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string
): HTMLElementTagNameMap[K] {
  ensureSelfAttentionStyles();
  return sharedEl(tag, className, text);
}

/** The sentence every SA experiment starts from (syllable tokens; the reader can type another). */
export const SA_SENTENCE = "나는 너를 본다";
/** At most this many syllables are used, so the T × T matrices fit a slide. */
export const SA_MAX_TOKENS = 8;
/** Seed of the syllable vectors (lib/analysis/attention-steps.ts `syllableVectors`). */
export const SA_VECTOR_SEED = 1;

/** The sentence's first `SA_MAX_TOKENS` syllables and their d-wide vectors, and whether it was cut. */
export function sentenceVectors(text: string, dim: number): {tokens: string[]; x: Matrix; cut: number} {
  const all = syllableVectors(text, {dim, seed: SA_VECTOR_SEED});
  const keep = Math.min(all.tokens.length, SA_MAX_TOKENS);
  return {tokens: all.tokens.slice(0, keep), x: all.x.slice(0, keep), cut: all.tokens.length - keep};
}

export interface MatrixTableOptions {
  /** Caption above the table (plain text or KaTeX-free HTML-safe text). */
  title: string;
  rows: string[];
  columns: string[];
  /** Shade cells by value in [0, 1] (attention 가중치, masks). */
  shade?: boolean;
  /** Digits after the point. Default 2. */
  digits?: number;
  className?: string;
}

/** A matrix as a table; −∞ (a masked score) prints as −∞. */
export function matrixTable(m: Matrix, opts: MatrixTableOptions): HTMLElement {
  const figure = el("figure", `sa-matrix ${opts.className ?? ""}`.trim());
  figure.append(el("figcaption", "", opts.title));
  const table = el("table", "");
  const head = el("tr", "");
  head.append(el("th", ""), ...opts.columns.map((c) => el("th", "", c)));
  table.append(head);
  m.forEach((row, i) => {
    const tr = el("tr", "");
    tr.append(el("th", "", opts.rows[i] ?? ""));
    for (const v of row) {
      const td = el("td", "", v === -Infinity ? "−∞" : v.toFixed(opts.digits ?? 2).replace("-", "−"));
      if (opts.shade && Number.isFinite(v)) td.style.background = `rgba(232, 89, 12, ${(0.85 * v).toFixed(3)})`;
      if (opts.shade && v > 0.55) td.style.color = "#fff";
      tr.append(td);
    }
    table.append(tr);
  });
  figure.append(table);
  return figure;
}

/** A text input with a button; `onChange` runs on Enter and on the button. */
export function sentenceInput(value: string, label: string, onChange: (text: string) => void): HTMLElement {
  const input = el("input", "sa-input");
  input.type = "text";
  input.value = value;
  input.size = 18;
  input.setAttribute("aria-label", label);
  const button = el("button", "sa-go", "계산");
  button.type = "button";
  const wrap = el("label", "sa-controls");
  wrap.append(`${label}: `, input, " ", button);
  const fire = () => onChange(input.value);
  button.addEventListener("click", fire);
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      fire();
    }
  });
  return wrap;
}

/** max |a − b| over two equal-shape matrices. */
export function maxAbsDiff(a: Matrix, b: Matrix): number {
  let m = 0;
  a.forEach((row, i) => row.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[i][j])))));
  return m;
}

/** max |a| over a matrix. */
export function maxAbs(a: Matrix): number {
  return Math.max(0, ...a.flat().map(Math.abs));
}
