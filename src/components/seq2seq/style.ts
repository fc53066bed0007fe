/**
 * Chapter 5's own styles, added to the document once by the components that need them (kept here rather than in the
 * shared src/style.css, which the other chapters' helpers edit at the same time).
 */
const CSS = `
.s2s-task-wrap, .s2s-translations-wrap { overflow-x: auto; max-width: 100%; }
.s2s-translations-wrap { max-height: 320px; overflow-y: auto; border: 1px solid var(--theme-foreground-faint, #ddd); }
.s2s-task, .s2s-translations { font-size: 13px; border-collapse: collapse; }
.s2s-task td, .s2s-translations td { vertical-align: top; padding: 3px 6px; }
.s2s-translations thead th { position: sticky; top: 0; background: var(--theme-background, #fff); }
.s2s-tokens { display: inline-flex; flex-wrap: wrap; gap: 2px; }
.s2s-token { font: 11px var(--monospace, monospace); padding: 0 3px; border-radius: 3px; background: #e7f5ff; border: 1px solid #a5d8ff; }
.s2s-tokens.tgt .s2s-token { background: #fff4e6; border-color: #ffd8a8; }
.s2s-count { font-size: 12px; margin-right: 4px; }
.s2s-right { color: #2b8a3e; white-space: nowrap; }
.s2s-wrong { color: #c92a2a; white-space: nowrap; }
.s2s-own-form { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.s2s-own-input { max-width: 100%; font: 14px var(--monospace, monospace); }
.s2s-own-out p { overflow-wrap: anywhere; }
.s2s-diagram-view { overflow-x: auto; max-width: 100%; }
.s2s-bottleneck-train { margin: 4px 0; }
`;

export function ensureSeq2SeqStyles(): void {
  if (typeof document === "undefined" || document.getElementById("s2s-styles")) return;
  const style = document.createElement("style");
  style.id = "s2s-styles";
  style.textContent = CSS;
  document.head.append(style);
}
