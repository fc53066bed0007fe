// Prebuilt ESM bundles of the CommonJS packages pages need, which Framework cannot bundle itself.
// Runs before `observable build` and `observable preview` (see package.json). Output is git-ignored.
import {build} from "esbuild";

await build({
  stdin: {contents: 'export {transform} from "sucrase";', resolveDir: process.cwd(), loader: "js"},
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2020",
  minify: true,
  legalComments: "eof",
  outfile: "src/vendor/sucrase.js",
  logLevel: "warning"
});
