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

/**
 * Thousands separators as written by `toLocaleString` ("73,728"): in math mode a comma is punctuation and gets a
 * space after it ("73, 728"); `{,}` is an ordinary comma. Only a comma between a digit and exactly three digits
 * changes, so lists such as `(1, 2)` or `f(x,y)` keep their spacing.
 */
export function groupDigits(source: string): string {
  return source.replace(/(\d),(?=\d{3}(?!\d))/g, "$1{,}");
}

export function renderTex(source: string, display = false): TexResult {
  source = groupDigits(source);
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
