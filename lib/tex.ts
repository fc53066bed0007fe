/**
 * KaTeX to an HTML string, without the DOM (so Node tests check it). A formula that does not parse gives
 * KaTeX's own error message, in a `katex-error` span, instead of throwing or logging.
 */
import katex from "katex";

export interface TexResult {
  html: string;
  /** KaTeX's message when the source did not parse. */
  error?: string;
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})[c]!);

export function renderTex(source: string, display = false): TexResult {
  try {
    const html = katex.renderToString(source, {
      displayMode: display,
      throwOnError: true,
      output: "htmlAndMathml",
      // Korean in \text{} is fine; do not warn about it
      strict: "ignore"
    });
    return {html};
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    return {html: `<span class="katex-error" title="${escape(source)}">${escape(error)}</span>`, error};
  }
}
