/**
 * The live-cell compiler in the browser: sucrase (types) and acorn (lib/live/compile.ts). Loaded on demand
 * (`import("./live-compiler.js")` in live-cells.ts) only for code that was not compiled at build time — a reader's
 * edit, a share link — so a page nobody edits never downloads it (issue 18, item 4).
 */
import {transform} from "../../vendor/sucrase.js";
import {compileCell, SUCRASE_OPTIONS} from "../../lib/live/compile.js";

/** The function body for a cell's code; throws `CellSyntaxError` with the reader's line. */
export function compile(code: string): string {
  return compileCell(code, (c) => transform(c, SUCRASE_OPTIONS).code);
}
