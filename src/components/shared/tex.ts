/**
 * `tex` — formulas typeset by KaTeX from node_modules, never Framework's CDN-loaded `tex`.
 *
 *   tex`\frac{n + 2p - f}{s} + 1`          inline
 *   tex.block`\sum_i x_i`                   display
 *   tex.string(source, {display})           the same from a plain string
 *
 * A formula that does not parse is not thrown and not logged: KaTeX's error message appears in its place,
 * red, with the source in the tooltip, so a typo never leaves a blank (lib/tex.ts).
 */
import {renderTex} from "../../lib/tex.js";

export interface TexOptions {
  display?: boolean;
}

function render(source: string, {display = false}: TexOptions = {}): HTMLElement {
  const root = document.createElement(display ? "div" : "span");
  root.className = display ? "tex tex-block" : "tex";
  root.innerHTML = renderTex(source, display).html;
  if (display) scrollableByKeyboard(root);
  return root;
}

/** A display formula wider than its column scrolls; then it takes focus, so the keyboard can scroll it too. */
function scrollableByKeyboard(block: HTMLElement): void {
  if (typeof ResizeObserver === "undefined") return;
  const check = () => {
    const scrolls = block.scrollWidth > block.clientWidth + 1;
    if (scrolls === block.hasAttribute("tabindex")) return; // only write on change (no observer loop)
    if (scrolls) {
      block.tabIndex = 0;
      block.setAttribute("role", "group");
      block.setAttribute("aria-label", "수식 (옆으로 스크롤)");
    } else {
      block.removeAttribute("tabindex");
      block.removeAttribute("role");
      block.removeAttribute("aria-label");
    }
  };
  new ResizeObserver(check).observe(block);
}

// String.raw keeps backslashes, so \frac needs no escaping
const fromTemplate = (strings: TemplateStringsArray, values: unknown[]) => String.raw({raw: strings.raw}, ...values);

type Tag = (strings: TemplateStringsArray, ...values: unknown[]) => HTMLElement;

export const tex: Tag & {block: Tag; string: (source: string, options?: TexOptions) => HTMLElement} = Object.assign(
  (strings: TemplateStringsArray, ...values: unknown[]) => render(fromTemplate(strings, values)),
  {
    block: (strings: TemplateStringsArray, ...values: unknown[]) =>
      render(fromTemplate(strings, values), {display: true}),
    string: (source: string, options?: TexOptions) => render(source, options)
  }
);
