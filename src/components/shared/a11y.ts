/**
 * Accessibility fixes for markup the course does not write itself (issue 17: WCAG 2.1 AA, checked by axe-core in
 * tests/browser/a11y.test.ts). Loaded on every page by ./present.ts; it watches the page, since cells render late.
 *
 * - Observable Plot labels its marks' `<g>` with `aria-label` ("line", "x-axis tick") and no role; ARIA prohibits a
 *   name on an element without a role, so each gets `role="group"` (its label is then read).
 * - Observable Inputs' `range` labels its number box only: the slider gets the same label (`aria-labelledby`).
 * - Inputs' `table` has unlabelled row checkboxes: they get "행 선택" / "모두 선택".
 * - The Inspector's expand/collapse toggles are `<a>` without `href` (not links, not reachable by keyboard): they
 *   get `role="button"`, a tab stop, and Enter/Space.
 * - A chart or picture without a name (an Observable Plot `svg`, a `canvas`) gets `role="img"` and a name from its
 *   figure's caption and, for a chart, its axis labels, so a screen reader says what it shows rather than skipping it
 *   (the page's computed sentences next to each chart carry the result itself).
 * - A box that scrolls sideways (a wide formula, table or output) must be reachable by keyboard to scroll it: a
 *   scrolling box without anything focusable inside gets `tabindex="0"` and a name, and loses them when it stops
 *   scrolling (e.g. the window grew).
 */

let uid = 0;

/** The label element's id, given one if it has none. */
function idOf(el: Element): string {
  if (!el.id) el.id = `a11y-label-${++uid}`;
  return el.id;
}

const FOCUSABLE = "a[href], button, input, select, textarea, [tabindex], [contenteditable=true]";

function scrollsSideways(el: HTMLElement): boolean {
  if (el.scrollWidth <= el.clientWidth + 1) return false;
  const overflow = getComputedStyle(el).overflowX;
  return overflow === "auto" || overflow === "scroll";
}

/** One pass over `root`; idempotent. */
export function fixAccessibility(root: ParentNode = document): void {
  for (const g of root.querySelectorAll("svg g[aria-label]:not([role])")) g.setAttribute("role", "group");
  for (const input of root.querySelectorAll<HTMLInputElement>(
    "form input[type=range]:not([aria-label]):not([aria-labelledby])"
  )) {
    const label = input.closest("form")?.querySelector("label");
    if (label?.textContent?.trim()) input.setAttribute("aria-labelledby", idOf(label));
  }
  for (const box of root.querySelectorAll<HTMLInputElement>("table input[type=checkbox]:not([aria-label])"))
    box.setAttribute("aria-label", box.closest("thead") ? "모두 선택" : "행 선택");
  for (const toggle of root.querySelectorAll<HTMLElement>(".observablehq--inspect a:not([href]):not([role])")) {
    toggle.setAttribute("role", "button");
    toggle.tabIndex = 0;
    toggle.addEventListener("keydown", (e) => {
      if (e.key !== "Enter" && e.key !== " ") return;
      e.preventDefault();
      toggle.click();
    });
  }
  const main = root instanceof Document ? root.querySelector("main") : root;
  if (!main) return;
  for (const picture of main.querySelectorAll<HTMLElement | SVGElement>(
    'svg[class^="plot-"]:not([aria-label]):not([aria-labelledby]), canvas:not([aria-label]):not([aria-labelledby])'
  )) {
    if (picture.closest("[aria-hidden=true], button")) continue;
    const caption = picture.closest("figure")?.querySelector("figcaption")?.textContent?.trim() ?? "";
    const axes =
      picture instanceof SVGElement
        ? Array.from(picture.querySelectorAll('g[aria-label$="axis label"] text'), (t) => t.textContent?.trim())
            .filter(Boolean)
            .join(", ")
        : "";
    const kind = picture instanceof SVGElement ? "차트" : "그림";
    picture.setAttribute("role", "img");
    picture.setAttribute("aria-label", [kind, axes && `(${axes})`, caption].filter(Boolean).join(" ").slice(0, 300));
  }
  for (const el of main.querySelectorAll<HTMLElement>("div, figure, form, pre, table, svg")) {
    if (el.dataset.a11yScroll === "added") {
      if (!scrollsSideways(el)) {
        el.removeAttribute("tabindex");
        el.removeAttribute("data-a11y-scroll");
        if (el.dataset.a11yNamed === "true") {
          el.removeAttribute("aria-label");
          el.removeAttribute("data-a11y-named");
          el.removeAttribute("role");
        }
      }
      continue;
    }
    if (el.hasAttribute("tabindex") || !scrollsSideways(el) || el.querySelector(FOCUSABLE)) continue;
    el.tabIndex = 0;
    el.dataset.a11yScroll = "added";
    if (!el.hasAttribute("aria-label") && !el.hasAttribute("aria-labelledby") && !el.hasAttribute("role")) {
      el.setAttribute("role", "region");
      el.setAttribute("aria-label", "가로로 스크롤되는 영역");
      el.dataset.a11yNamed = "true";
    }
  }
}

/** ARIA names on Plot's mark groups need a role: set at once on what was added, before the next frame is drawn. */
function fixAdded(node: Node): void {
  if (!(node instanceof Element)) return;
  if (node.matches("svg g[aria-label]:not([role])")) node.setAttribute("role", "group");
  for (const g of node.querySelectorAll("g[aria-label]:not([role])")) g.setAttribute("role", "group");
}

/**
 * Fix what was added at once (cheap), and the whole page again at most `150 ms` after any change or resize. A pass is
 * never postponed by later changes: a page that keeps changing (an animation, a training run) still gets one.
 */
export function watchAccessibility(): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      fixAccessibility(document);
    }, 150);
  };
  // only added and removed nodes: the fixes' own attribute changes must not schedule another pass
  new MutationObserver((records) => {
    for (const r of records) r.addedNodes.forEach(fixAdded);
    schedule();
  }).observe(document.body, {subtree: true, childList: true});
  addEventListener("resize", schedule);
  schedule();
}
