/**
 * Which TF.js backend a page runs on, and a menu to switch it. By default the page picks the fastest
 * backend that can train on this device (`lib/backend/choose.ts`); a reader's choice is kept in
 * localStorage and applied on the next load, so no tensor ever crosses backends mid-page. Whatever runs
 * gets the course's training kernels (`lib/backend/kernels.ts`).
 */
import {FileAttachment} from "observablehq:stdlib";
import {setupBackend, tf, type BackendInfo} from "../../lib/tf.js";
import {chooseBackend, type DeviceProbe, type WebGpuProbe} from "../../lib/backend/choose.js";
import {registerCourseKernels, warmUpTraining} from "../../lib/backend/kernels.js";

const KEY = "dl4i:backend";

/**
 * Backends a reader can choose besides the ones TF.js registers itself (and webgpu where the browser gives an adapter).
 * The built site's TF.js has no webgl backend in it (scripts/postbuild.mjs, issue 18): it is loaded like wasm.
 */
const LOADABLE = ["wasm", "webgl"];
const loadable = (webgpu: WebGpuProbe | null | undefined) => [...LOADABLE, ...(webgpu ? ["webgpu"] : [])];

/**
 * Register TF.js's WebGPU backend, only when a page runs on it (a reader's GPU, or the reader's choice): like the wasm
 * backend, its UMD bundle reads the core API from `globalThis.tf` (scripts/vendor-webgpu.mjs copies it; about
 * 73 KB gzip, downloaded by no page that does not use it).
 */
async function registerWebgpu(): Promise<void> {
  if (tf.findBackendFactory("webgpu")) return;
  const g = globalThis as unknown as {tf?: Record<string, unknown>};
  g.tf ??= {...tf};
  await import(/* @vite-ignore */ await FileAttachment("../../vendor/tf-backend-webgpu.es2017.min.js").url());
}

/**
 * Register TF.js's webgl backend where a page runs on it (a reader's GPU, or the reader's choice): the built site's
 * TF.js leaves it out (83 KB gzip that a page on wasm never uses); its UMD bundle reads the core API from
 * `globalThis.tf` (scripts/vendor.mjs copies it). The dev server's TF.js still has it built in.
 */
async function registerWebgl(): Promise<void> {
  if (tf.findBackendFactory("webgl")) return;
  const g = globalThis as unknown as {tf?: Record<string, unknown>};
  g.tf ??= {...tf};
  await import(/* @vite-ignore */ await FileAttachment("../../vendor/tf-backend-webgl.es2017.min.js").url());
}

/** The wasm backend's API on the page's tf once its bundle has loaded (`tf.wasm`). */
interface WasmApi {
  setWasmPaths(paths: Record<string, string>): void;
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
}
const wasmApi = () => (globalThis as unknown as {tf?: {wasm?: WasmApi}}).tf?.wasm;

/** The most threads the wasm build can run: TF.js 4.22 starts a pool of 8 pthread workers. */
const MAX_WASM_THREADS = 8;

/**
 * How many threads wasm may use here: every logical core (up to 8) where the page is cross-origin isolated, so
 * that SharedArrayBuffer exists (a host's COOP/COEP headers, or the site's service worker adding them); 1 elsewhere.
 */
export function wasmThreadsAllowed(): number {
  if (globalThis.crossOriginIsolated !== true || typeof SharedArrayBuffer !== "function") return 1;
  return Math.max(1, Math.min(navigator.hardwareConcurrency || 1, MAX_WASM_THREADS));
}

/** localStorage key: fewer wasm threads than `wasmThreadsAllowed()` (the bench measures the threaded build at 1). */
const THREADS_KEY = "dl4i:wasm-threads";

/** The threads wasm asks for: `wasmThreadsAllowed()`, or fewer where localStorage says so. */
function wasmThreadsWanted(): number {
  const allowed = wasmThreadsAllowed();
  let wanted = NaN;
  try {
    wanted = Number(localStorage.getItem(THREADS_KEY) ?? NaN);
  } catch {
    // storage unavailable: all allowed threads
  }
  return Number.isInteger(wanted) && wanted >= 1 ? Math.min(wanted, allowed) : allowed;
}

/**
 * Register TF.js's wasm backend with the page's one tf: its UMD bundle reads the core API from
 * `globalThis.tf` and adds `tf.wasm`; the binaries are served by the site (scripts/vendor.mjs copies them).
 * Where the page is cross-origin isolated TF.js picks the threaded SIMD build (its pthread worker is a Blob made
 * from the bundle itself) and runs `wasmThreadsAllowed()` threads; elsewhere it detects no SharedArrayBuffer and
 * takes the single-threaded SIMD build, with nothing logged.
 */
async function registerWasm(): Promise<void> {
  if (tf.findBackendFactory("wasm")) return;
  const g = globalThis as unknown as {tf?: Record<string, unknown>};
  g.tf ??= {...tf};
  await import(/* @vite-ignore */ await FileAttachment("../../vendor/wasm/tf-backend-wasm.es2017.min.js").url());
  const wasm = wasmApi()!;
  const threads = wasmThreadsWanted();
  // TF.js checks SharedArrayBuffer and wasm threads itself; this only keeps it off the threaded build where the
  // page would get one thread anyway (the single-threaded build starts faster: no worker pool)
  if (wasmThreadsAllowed() === 1) tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  wasm.setThreadsCount(threads);
  wasm.setWasmPaths({
    "tfjs-backend-wasm.wasm": await FileAttachment("../../vendor/wasm/tfjs-backend-wasm.wasm").url(),
    "tfjs-backend-wasm-simd.wasm": await FileAttachment("../../vendor/wasm/tfjs-backend-wasm-simd.wasm").url(),
    "tfjs-backend-wasm-threaded-simd.wasm": await FileAttachment(
      "../../vendor/wasm/tfjs-backend-wasm-threaded-simd.wasm"
    ).url()
  });
}

/** The threads the running wasm backend uses (1 for any other backend). */
function wasmThreads(): number {
  if (tf.getBackend() !== "wasm") return 1;
  try {
    return wasmApi()?.getThreadsCount() ?? 1;
  } catch {
    return 1;
  }
}

/** What runs, why, and which of the course's kernels serve it. */
export interface PageBackend extends BackendInfo {
  /** "auto" when the page chose, else the reader's choice. */
  mode: string;
  reason: string;
  courseKernels: string[];
  /** Threads the backend computes on (wasm: 1 without cross-origin isolation; others: 1). */
  threads: number;
  /** Backends the menu offers besides the registered ones: wasm, and webgpu where the browser gives an adapter. */
  loadable: string[];
}

// the smallest module using a SIMD instruction (as wasm-feature-detect checks it)
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11
]);

/** The WebGL renderer string, or null without WebGL. The probe context is released at once. */
function webglRenderer(): string | null {
  try {
    const gl =
      document.createElement("canvas").getContext("webgl2") ?? document.createElement("canvas").getContext("webgl");
    if (!gl) return null;
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return renderer;
  } catch {
    return null;
  }
}

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: WebGpuProbe & {isFallbackAdapter?: boolean};
  requestAdapterInfo?(): Promise<WebGpuProbe>;
}

/** The WebGPU adapter's flags and info, null without one (no `navigator.gpu`, no adapter, or an error). */
async function webgpuAdapter(): Promise<WebGpuProbe | null> {
  const gpu = (navigator as unknown as {gpu?: {requestAdapter(): Promise<GpuAdapterLike | null>}}).gpu;
  if (!gpu) return null;
  try {
    const adapter = await Promise.race([
      gpu.requestAdapter(),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 2000)) // a driver that never answers
    ]);
    if (!adapter) return null;
    const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
    const pick = (k: keyof WebGpuProbe) => (typeof info[k] === "string" ? (info[k] as string) : undefined);
    return {
      isFallbackAdapter: adapter.isFallbackAdapter === true || info.isFallbackAdapter === true,
      vendor: pick("vendor"),
      architecture: pick("architecture"),
      description: pick("description"),
      device: pick("device")
    };
  } catch {
    return null;
  }
}

/** Probe this device for `chooseBackend` (`adapter`: the WebGPU adapter when already probed). */
export async function probeDevice(adapter?: WebGpuProbe | null): Promise<DeviceProbe> {
  const webgpu = adapter === undefined ? await webgpuAdapter() : adapter;
  let wasmSimd = false;
  try {
    wasmSimd = typeof WebAssembly === "object" && WebAssembly.validate(SIMD_PROBE);
  } catch {
    // no WebAssembly
  }
  return {
    available: [...new Set([...tf.engine().backendNames(), ...loadable(webgpu)])],
    webglRenderer: webglRenderer(),
    webgpu,
    wasmSimd,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    wasmThreads: wasmThreadsAllowed() > 1
  };
}

/** Start the reader's chosen backend, or the fastest one that can train here. */
export async function startBackend(): Promise<PageBackend> {
  let chosen: string | null = null;
  try {
    chosen = localStorage.getItem(KEY);
  } catch {
    // storage unavailable: choose automatically
  }
  const webgpu = await webgpuAdapter();
  const auto = chosen ? null : chooseBackend(await probeDevice(webgpu));
  const name = chosen ?? auto!.name;
  if (name === "wasm") await registerWasm();
  if (name === "webgpu") await registerWebgpu();
  if (name === "webgl") await registerWebgl();
  const info = await setupBackend([name]);
  const courseKernels = registerCourseKernels(info.name);
  // part of "ready": the reader's first training step skips the one-time compile costs. Not on webgpu, where the
  // warm-up's synchronous read-back is slow (TF.js warns) and the shaders compile per shape anyway
  if (info.name !== "webgpu") warmUpTraining();
  return {
    ...info,
    mode: chosen ? chosen : "auto",
    reason: auto ? auto.reason : "직접 고른 backend입니다.",
    courseKernels,
    threads: wasmThreads(),
    loadable: loadable(webgpu)
  };
}

/** "TF.js backend: [auto ▾] wasm — why": switching reloads the page on the new backend. */
export function backendPicker(info: PageBackend): HTMLElement {
  const root = document.createElement("p");
  root.className = "backend-note";
  const select = document.createElement("select");
  select.setAttribute("aria-label", "TF.js backend");
  for (const name of ["auto", ...new Set([...info.available, ...info.loadable])]) {
    const option = document.createElement("option");
    option.value = name;
    option.textContent = name === "auto" ? `auto (${info.mode === "auto" ? info.name : "가장 빠른 것"})` : name;
    option.selected = name === info.mode;
    select.append(option);
  }
  select.addEventListener("change", () => {
    try {
      if (select.value === "auto") localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, select.value);
    } catch {
      return;
    }
    location.reload();
  });
  const kernels = info.courseKernels.length ? ` 코스 커널: ${info.courseKernels.join(", ")}.` : "";
  const threads =
    info.name !== "wasm"
      ? ""
      : info.threads > 1
        ? ` 스레드 ${info.threads}개로 계산합니다.`
        : " 단일 스레드(스레드 1개)로 계산합니다.";
  root.append(
    "TF.js backend: ",
    select,
    ` (바꾸면 페이지를 다시 읽습니다) → ${info.name} (TF.js ${info.version}). ${info.reason}${threads}${kernels}`
  );
  root.dataset.backend = info.name;
  root.dataset.threads = String(info.threads);
  return root;
}
