// Lint the pages' own code (part of `npm run lint`): every ```js cell of src/*.md, with ESLint's recommended rules
// and `no-undef`, so a typo in a page cell fails `npm test` instead of showing up in a reader's browser. A page's
// cells share one scope (Framework), so each cell may use the names the other cells declare.
import {readdirSync, readFileSync} from "node:fs";
import {ESLint} from "eslint";
import js from "@eslint/js";
import globals from "globals";
import * as acorn from "acorn";

// Framework's page globals (https://observablehq.com/framework/reactivity, /files, /inputs)
const FRAMEWORK = [
  "display",
  "view",
  "Generators",
  "invalidation",
  "resize",
  "width",
  "FileAttachment",
  "Mutable",
  "now",
  "visibility",
  "observable"
];

const src = new URL("../src/", import.meta.url);
const pages = readdirSync(src).filter((f) => f.endsWith(".md"));
const cellRe = /^```js\b([^\n]*)\n([\s\S]*?)^```\s*$/gm;

/** Names a cell declares at top level (what other cells of the page can use). */
function declared(code) {
  const names = [];
  let ast;
  try {
    ast = acorn.parse(code, {ecmaVersion: "latest", sourceType: "module", allowAwaitOutsideFunction: true});
  } catch {
    return names; // ESLint reports the syntax error
  }
  const fromPattern = (p) => {
    if (!p) return;
    if (p.type === "Identifier") names.push(p.name);
    else if (p.type === "ObjectPattern")
      p.properties.forEach((q) => fromPattern(q.type === "RestElement" ? q.argument : q.value));
    else if (p.type === "ArrayPattern") p.elements.forEach(fromPattern);
    else if (p.type === "AssignmentPattern") fromPattern(p.left);
    else if (p.type === "RestElement") fromPattern(p.argument);
  };
  for (const node of ast.body) {
    if (node.type === "VariableDeclaration") node.declarations.forEach((d) => fromPattern(d.id));
    else if ((node.type === "FunctionDeclaration" || node.type === "ClassDeclaration") && node.id)
      names.push(node.id.name);
    else if (node.type === "ImportDeclaration") node.specifiers.forEach((s) => names.push(s.local.name));
  }
  return names;
}

let problems = 0;
for (const file of pages) {
  const md = readFileSync(new URL(file, src), "utf8");
  const cells = [...md.matchAll(cellRe)].map((m) => ({code: m[2], line: md.slice(0, m.index).split("\n").length + 1}));
  const pageNames = Object.fromEntries(cells.flatMap((c) => declared(c.code)).map((n) => [n, "readonly"]));
  const eslint = new ESLint({
    overrideConfigFile: true,
    overrideConfig: [
      js.configs.recommended,
      {
        languageOptions: {
          ecmaVersion: "latest",
          sourceType: "module",
          globals: {...globals.browser, ...Object.fromEntries(FRAMEWORK.map((n) => [n, "readonly"])), ...pageNames}
        },
        rules: {"no-unused-vars": "off", "no-redeclare": "off"}
      }
    ]
  });
  for (const cell of cells) {
    // top-level await is allowed in a cell; wrap nothing, lint as a module
    const [result] = await eslint.lintText(cell.code, {filePath: `src/${file}.js`});
    for (const m of result.messages) {
      problems++;
      console.error(`src/${file}:${cell.line + m.line - 1}:${m.column}  ${m.message}  (${m.ruleId ?? "syntax"})`);
    }
  }
}
if (problems) {
  console.error(`\n${problems} problem(s) in page cells`);
  process.exit(1);
}
console.log(`page cells: ${pages.length} pages linted, no problems`);
