// TF.js's WebGPU backend for pages (issue 18): its UMD bundle, which registers with the page's one tf through
// globalThis.tf (as the wasm backend's does), copied to src/vendor/ (git-ignored) so the site serves it itself.
// src/components/shared/backend.ts loads it only on a page that runs on webgpu. Runs after scripts/vendor.mjs.
import {copyFileSync, mkdirSync} from "node:fs";
import {createRequire} from "node:module";

const file = "tf-backend-webgpu.es2017.min.js";
mkdirSync("src/vendor", {recursive: true});
copyFileSync(
  createRequire(import.meta.url).resolve(`@tensorflow/tfjs-backend-webgpu/dist/${file}`),
  `src/vendor/${file}`
);
