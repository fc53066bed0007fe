// Live cells compiled at build time (issue 18, item 4): a page whose reader never edits a cell then never downloads
// the compiler (sucrase, acorn) or the editor (CodeMirror). Finds every ```ts live fence in src/**.md, compiles it
// with lib/live/compile.ts and writes src/vendor/live-compiled.json ({[sourceKey(code)]: body}, see
// lib/live/precompiled.ts). Runs before `observable build` and `observable preview` (package.json "vendor").
// Output is git-ignored.
import {build} from "esbuild";
import {mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {pathToFileURL} from "node:url";

// lib/live is TypeScript: bundle what this script needs into a temporary module and import it
const dir = join(tmpdir(), `vendor-editor-${process.pid}`);
mkdirSync(dir, {recursive: true});
const entry = join(dir, "precompile.mjs");
await build({
  stdin: {
    contents: `export {compileCell, SUCRASE_OPTIONS} from "./lib/live/compile.ts";
export {liveCellSources, precompile} from "./lib/live/precompiled.ts";
export {transform} from "sucrase";`,
    resolveDir: process.cwd(),
    loader: "ts"
  },
  bundle: true,
  format: "esm",
  platform: "node",
  outfile: entry,
  logLevel: "warning"
});
const {compileCell, SUCRASE_OPTIONS, liveCellSources, precompile, transform} = await import(pathToFileURL(entry).href);
rmSync(dir, {recursive: true, force: true});

function markdownFiles(folder) {
  return readdirSync(folder, {withFileTypes: true}).flatMap((e) => {
    if (e.name.startsWith(".") || e.name === "vendor") return [];
    const path = join(folder, e.name);
    return e.isDirectory() ? markdownFiles(path) : e.name.endsWith(".md") ? [path] : [];
  });
}

const sources = markdownFiles("src").flatMap((file) => liveCellSources(readFileSync(file, "utf8")));
const table = precompile(sources, (code) => compileCell(code, (c) => transform(c, SUCRASE_OPTIONS).code));
mkdirSync("src/vendor", {recursive: true});
writeFileSync("src/vendor/live-compiled.json", JSON.stringify(table));
console.log(`vendor-editor: ${Object.keys(table).length} of ${sources.length} live cells compiled ahead`);
