/** The Swin page's widget styles, added once to the document (the shared style.css stays the kit's). */
const CSS = `
.swin-controls, .swin-stepper, .reach-controls { display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; align-items: center; margin: 0.4rem 0; }
.swin-range { display: flex; align-items: center; gap: 0.5rem; margin: 0; font-size: 0.9rem; }
.swin-range input { width: 120px; }
.swin-range output { min-width: 2ch; font-variant-numeric: tabular-nums; }
.swin-picture { display: inline-block; max-width: 100%; }
.swin-picture:focus-visible { outline: 3px solid var(--theme-foreground-focus); outline-offset: 2px; }
.swin-photo { display: block; max-width: 100%; height: auto; image-rendering: auto; cursor: pointer; }
.swin-step-label { font-weight: 600; }
.swin-caption, .swin-mask-head { max-width: 640px; margin: 0.3rem 0; }
.swin-legend { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; font-size: 0.85rem; margin-top: 0.3rem; }
.swin-legend i { display: inline-block; width: 0.9em; height: 0.9em; border: 1px solid #999; margin-right: 0.3em; vertical-align: -0.1em; }
.swin-mask-matrix { max-width: 100%; height: auto; }
.reach-grids { display: flex; flex-wrap: wrap; gap: 0.8rem; }
.reach-grid { display: flex; flex-direction: column; gap: 0.2rem; font-size: 0.85rem; }
.reach-grid svg { max-width: 100%; height: auto; }
.reach-grid:focus-visible, .rel-window:focus-visible { outline: 3px solid var(--theme-foreground-focus); outline-offset: 2px; }
.swin-table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 0.9rem; }
.swin-table th, .swin-table td { padding: 0.15rem 0.6rem; text-align: right; border-bottom: 1px solid var(--theme-foreground-faintest); }
.swin-table th:first-child, .swin-table td:first-child { text-align: left; }
.swin-table tr.best td { font-weight: 700; }
.rel-view { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
.hierarchy svg { max-width: 100%; height: auto; }
.swin-wide { max-width: 100%; overflow-x: auto; }
`;

/** A `<style>` for the page's widgets; only the first call adds the rules. */
export function swinStyles(): HTMLStyleElement {
  const style = document.createElement("style");
  if (!document.getElementById("swin-styles")) {
    style.id = "swin-styles";
    style.textContent = CSS;
  }
  return style;
}

/** A table (or any wide element) in a box that scrolls sideways on a narrow screen instead of the page. */
export function scrollBox(node: Element): HTMLDivElement {
  const box = document.createElement("div");
  box.className = "swin-wide";
  box.append(node);
  return box;
}
