/**
 * Which TF.js backend trains fastest on this device (issue 5). Pure: the page probes the device
 * (`src/components/shared/backend.ts`) and this decides, so the rule is unit-tested.
 *
 * The rule, from `npm run bench` on CPU-only machines (README "Backends and speed"):
 * 1. A hardware GPU trains fastest: through WebGPU (`webgpu`) where the browser gives the page an adapter that is
 *    not a software one (`isFallbackAdapter`, or an adapter info naming SwiftShader, llvmpipe, lavapipe…),
 * 2. else through WebGL (`webgl`) where the WebGL renderer is a real GPU.
 * 3. Without one, WebGL is emulated on the CPU (SwiftShader, llvmpipe…) and is slow; `wasm` with SIMD,
 *    which trains with the course's kernels (`lib/backend/kernels.ts`), is several times faster.
 *    It could run multi-threaded where the page is cross-origin isolated (COOP/COEP headers) and the wasm
 *    build supports threads; the site's build does not yet, so pages say `wasmThreads: false`.
 * 4. `cpu` (plain JavaScript) is the last resort.
 */

/** What `navigator.gpu.requestAdapter()` gave: the adapter's flags and its info (`adapter.info`). */
export interface WebGpuProbe {
  /** `adapter.isFallbackAdapter` (or `info.isFallbackAdapter`): a software implementation. */
  isFallbackAdapter?: boolean;
  vendor?: string;
  architecture?: string;
  description?: string;
  device?: string;
}

/** What the page could find out about the device. */
export interface DeviceProbe {
  /** Backends registered or loadable on this page. */
  available: readonly string[];
  /** The WebGL renderer string (unmasked where the browser allows), null without WebGL. */
  webglRenderer: string | null;
  /** The WebGPU adapter, null where `navigator.gpu` is missing or gives none (absent: not probed). */
  webgpu?: WebGpuProbe | null;
  /** Whether WebAssembly SIMD is supported. */
  wasmSimd: boolean;
  /** `globalThis.crossOriginIsolated`: SharedArrayBuffer, hence wasm threads, are allowed. */
  crossOriginIsolated: boolean;
  /** Whether the site's wasm build can run threads at all (false today: see src/components/shared/backend.ts). */
  wasmThreads?: boolean;
}

export interface BackendChoice {
  name: string;
  /** Why, in one Korean sentence with the English terms kept, for the page's backend line. */
  reason: string;
  /** Whether wasm may use threads here. */
  threads: boolean;
}

const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|microsoft basic render|lavapipe/i;

/** Whether a WebGL renderer string names a CPU emulation rather than a GPU. */
export function isSoftwareRenderer(renderer: string | null): boolean {
  return renderer == null || SOFTWARE_RENDERERS.test(renderer);
}

/** The WebGPU adapter's name for the backend line: description, else vendor and architecture. */
export function webgpuAdapterName(adapter: WebGpuProbe): string {
  return adapter.description || [adapter.vendor, adapter.architecture].filter(Boolean).join(" ") || "WebGPU adapter";
}

/** Whether a WebGPU adapter is a software one (a fallback adapter, or info naming a CPU rasteriser). */
export function isSoftwareAdapter(adapter: WebGpuProbe): boolean {
  if (adapter.isFallbackAdapter) return true;
  const text = [adapter.vendor, adapter.architecture, adapter.description, adapter.device].filter(Boolean).join(" ");
  return SOFTWARE_RENDERERS.test(text);
}

/** The fastest backend that can train on the probed device. */
export function chooseBackend(probe: DeviceProbe): BackendChoice {
  const has = (name: string) => probe.available.includes(name);
  const threads = probe.crossOriginIsolated && probe.wasmThreads !== false;
  if (has("webgpu") && probe.webgpu && !isSoftwareAdapter(probe.webgpu)) {
    return {name: "webgpu", reason: `GPU가 있어 webgpu를 씁니다 (${webgpuAdapterName(probe.webgpu)}).`, threads: false};
  }
  if (has("webgl") && probe.webglRenderer && !isSoftwareRenderer(probe.webglRenderer)) {
    return {name: "webgl", reason: `GPU가 있어 webgl을 씁니다 (${probe.webglRenderer}).`, threads: false};
  }
  if (has("wasm")) {
    // the renderer's short name (the full string, e.g. "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device …", is long)
    const renderer = probe.webglRenderer?.match(SOFTWARE_RENDERERS)?.[0] ?? probe.webglRenderer;
    const why = renderer ? `WebGL이 소프트웨어 렌더러(${renderer})라서` : "WebGL을 쓸 수 없어서";
    // how many threads: the page's backend line says it (src/components/shared/backend.ts)
    return {name: "wasm", reason: `${why} wasm(${probe.wasmSimd ? "SIMD" : "SIMD 없이"})을 씁니다.`, threads};
  }
  if (has("webgl")) return {name: "webgl", reason: "wasm이 없어 webgl을 씁니다.", threads: false};
  return {name: "cpu", reason: "가속할 수 있는 backend가 없어 cpu를 씁니다.", threads: false};
}
