/**
 * Which TF.js backend a page runs on, and a menu to switch it. The choice is kept in localStorage and
 * applied on the next load, so no tensor ever crosses backends mid-page.
 */
import {FileAttachment} from "observablehq:stdlib";
import {setupBackend, tf, type BackendInfo} from "../lib/tf.js";

const KEY = "dl4i:backend";

/** Backends a reader can choose besides the ones TF.js registers itself. */
const LOADABLE = ["wasm"];

/**
 * Register TF.js's wasm backend with the page's one tf: its UMD bundle reads the core API from
 * `globalThis.tf` and adds `tf.wasm`; the binaries are served by the site (scripts/vendor.mjs copies them).
 * The wasm backend runs forward passes with SIMD; it cannot yet train convolutions (issue 5).
 */
async function registerWasm(): Promise<void> {
  if (tf.findBackendFactory("wasm")) return;
  const g = globalThis as unknown as {
    tf?: Record<string, unknown> & {wasm?: {setWasmPaths(paths: Record<string, string>): void}};
  };
  g.tf ??= {...tf};
  await import(/* @vite-ignore */ await FileAttachment("../vendor/wasm/tf-backend-wasm.es2017.min.js").url());
  g.tf.wasm!.setWasmPaths({
    "tfjs-backend-wasm.wasm": await FileAttachment("../vendor/wasm/tfjs-backend-wasm.wasm").url(),
    "tfjs-backend-wasm-simd.wasm": await FileAttachment("../vendor/wasm/tfjs-backend-wasm-simd.wasm").url(),
    "tfjs-backend-wasm-threaded-simd.wasm": await FileAttachment(
      "../vendor/wasm/tfjs-backend-wasm-threaded-simd.wasm"
    ).url()
  });
}

/** Start the reader's chosen backend, or TF.js's default. */
export async function startBackend(): Promise<BackendInfo> {
  let chosen: string | null = null;
  try {
    chosen = localStorage.getItem(KEY);
  } catch {
    // storage unavailable: use the default
  }
  if (chosen === "wasm") await registerWasm();
  return setupBackend(chosen ? [chosen] : []);
}

/** "TF.js backend: [webgl ▾]": switching reloads the page on the new backend. */
export function backendPicker(info: BackendInfo): HTMLElement {
  const root = document.createElement("p");
  root.className = "backend-note";
  const select = document.createElement("select");
  select.setAttribute("aria-label", "TF.js backend");
  for (const name of [...new Set([...info.available, ...LOADABLE])]) {
    const option = document.createElement("option");
    option.value = option.textContent = name;
    option.selected = name === info.name;
    select.append(option);
  }
  select.addEventListener("change", () => {
    try {
      localStorage.setItem(KEY, select.value);
    } catch {
      return;
    }
    location.reload();
  });
  root.append("실행 중인 TF.js backend: ", select, ` (TF.js ${info.version}) · 바꾸면 페이지를 다시 읽습니다.`);
  return root;
}
