// Prebuilt ESM bundles of the CommonJS packages pages need, which Framework cannot bundle itself.
// Runs before `observable build` and `observable preview` (see package.json). Output is git-ignored.
// It also drops one stale data-loader cache (end of file).
import {build} from "esbuild";
import {copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join} from "node:path";

/** One minified browser ESM bundle of `contents` (an entry module's source) at `outfile`. */
function bundle(contents, outfile) {
  return build({
    stdin: {contents, resolveDir: process.cwd(), loader: "js"},
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    minify: true,
    legalComments: "eof",
    outfile,
    logLevel: "warning"
  });
}

await bundle('export {transform} from "sucrase";', "src/vendor/sucrase.js");

// The site's TF.js (issue 18, page weight): core, layers and the cpu backend, bundled from their ESM builds. The
// package's union bundle (`@tensorflow/tfjs/dist/tf.fesm.min.js`, which pages import through lib/tf.ts) also carries
// the converter and data packages, which the course never uses, and the webgl backend, which only a reader with a
// GPU needs: 278 KB gzip against 180. `scripts/postbuild.mjs` puts this bundle in the union's place in dist/ (the
// dev server and Node keep the union); the webgl backend's UMD bundle is copied next to it and loaded only where a
// page runs on webgl (src/components/shared/backend.ts).
await bundle(
  [
    "// as @tensorflow/tfjs's own index does: gradients and chained ops (t.reshape(…)) registered",
    'import "@tensorflow/tfjs-core";',
    'import "@tensorflow/tfjs-core/dist/register_all_gradients";',
    'import "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops";',
    'export * from "@tensorflow/tfjs-core";',
    'export * from "@tensorflow/tfjs-layers";',
    'export * from "@tensorflow/tfjs-backend-cpu";',
    'import {version_core} from "@tensorflow/tfjs-core";',
    'import {version_layers} from "@tensorflow/tfjs-layers";',
    'import {version_cpu} from "@tensorflow/tfjs-backend-cpu";',
    "// the union's version object, without the packages left out",
    'export const version = {"tfjs-core": version_core, "tfjs-backend-cpu": version_cpu, "tfjs-layers": version_layers, tfjs: version_core};'
  ].join("\n"),
  "src/vendor/tf-slim.js"
);
copyFileSync(
  createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-webgl/dist/tf-backend-webgl.es2017.min.js"),
  "src/vendor/tf-backend-webgl.es2017.min.js"
);

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
