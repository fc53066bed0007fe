/**
 * `tex` — formulas typeset by KaTeX from node_modules, never Framework's CDN-loaded `tex`.
 *
 *   tex`\frac{n + 2p - f}{s} + 1`          inline
 *   tex.block`\sum_i x_i`                   display
 *   tex.string(source, {display})           the same from a plain string
 *
 * A formula that does not parse is not thrown and not logged: KaTeX's error message appears in its place,
 * red, with the source in the tooltip, so a typo never leaves a blank.
 */
import katex from "katex";

export interface TexOptions {
  display?: boolean;
}

function render(source: string, {display = false}: TexOptions = {}): HTMLElement {
  const root = document.createElement(display ? "div" : "span");
  root.className = display ? "tex tex-block" : "tex";
  try {
    root.innerHTML = katex.renderToString(source, {
      displayMode: display,
      throwOnError: true,
      output: "htmlAndMathml",
      strict: "ignore"
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const span = document.createElement("span");
    span.className = "katex-error";
    span.title = source;
    span.textContent = message;
    root.replaceChildren(span);
  }
  return root;
}

function fromTemplate(strings: TemplateStringsArray, values: unknown[]): string {
  // String.raw keeps backslashes, so \frac needs no escaping
  return String.raw({raw: strings.raw}, ...values);
}

type Tex = ((strings: TemplateStringsArray, ...values: unknown[]) => HTMLElement) & {
  block: (strings: TemplateStringsArray, ...values: unknown[]) => HTMLElement;
  string: (source: string, options?: TexOptions) => HTMLElement;
};

export const tex: Tex = Object.assign(
  (strings: TemplateStringsArray, ...values: unknown[]) => render(fromTemplate(strings, values)),
  {
    block: (strings: TemplateStringsArray, ...values: unknown[]) =>
      render(fromTemplate(strings, values), {display: true}),
    string: (source: string, options?: TexOptions) => render(source, options)
  }
);
