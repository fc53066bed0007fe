// Prebuilt ESM bundles of the CommonJS packages pages need, which Framework cannot bundle itself.
// Runs before `observable build` and `observable preview` (see package.json). Output is git-ignored.
// It also drops one stale data-loader cache (end of file).
import {build} from "esbuild";
import {copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join} from "node:path";

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

// TF.js's wasm backend: its UMD bundle (which registers with the page's one tf through globalThis.tf) and its
// three .wasm binaries, served by the site itself. The bundle carries the pthread worker inline (a Blob), so the
// threaded SIMD build needs no extra file, only a cross-origin isolated page (the service worker adds the headers).
const wasmDist = dirname(
  createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.es2017.min.js")
);
mkdirSync("src/vendor/wasm", {recursive: true});
for (const file of ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"]) {
  copyFileSync(join(wasmDist, file), join("src/vendor/wasm", file));
}
// One patch: the threaded build sizes its thread pool as min(requested, 8, emscripten_num_logical_cores() / 2)
// (tfjs-backend-wasm/src/cc/backend.cc halves navigator.hardwareConcurrency for hyper-threading), so a 2-core
// machine gets one thread whatever tf.wasm.setThreadsCount asks. The glue reports twice the logical cores, so the
// cap is the core count and setThreadsCount (src/components/shared/backend.ts) decides.
const CORES = "return w?u.cpus().length:navigator.hardwareConcurrency}";
const umd = readFileSync(join(wasmDist, "tf-backend-wasm.es2017.min.js"), "utf8");
if (umd.split(CORES).length !== 2) {
  throw new Error(
    "vendor: the wasm bundle's emscripten_num_logical_cores changed; update the patch in scripts/vendor.mjs"
  );
}
writeFileSync(
  "src/vendor/wasm/tf-backend-wasm.es2017.min.js",
  umd.replace(CORES, "return 2*(w?u.cpus().length:navigator.hardwareConcurrency)}")
);

// Framework caches a data loader's output until the loader file itself changes. The course map
// (src/assets/chapters.json.ts) depends on which chapter pages exist, which that cache cannot see:
// drop it so a new chapter shows as available on the home page.
rmSync("src/.observablehq/cache/assets/chapters.json", {force: true});
