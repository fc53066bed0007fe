import {describe, expect, test} from "vitest";
import {chooseBackend, isSoftwareAdapter, isSoftwareRenderer, type WebGpuProbe} from "../../../lib/backend/choose.js";

const ALL = ["webgl", "cpu", "wasm", "webgpu"];
const probe = (webglRenderer: string | null, extra: Partial<Parameters<typeof chooseBackend>[0]> = {}) =>
  chooseBackend({available: ALL, webglRenderer, wasmSimd: true, crossOriginIsolated: false, ...extra});

describe("isSoftwareRenderer", () => {
  test.each([
    ["ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)", true],
    ["llvmpipe (LLVM 15.0.6, 256 bits)", true],
    ["Microsoft Basic Render Driver", true],
    ["ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)", false],
    ["Apple M2", false],
    ["Mesa Intel(R) UHD Graphics 620 (KBL GT2)", false]
  ])("%s → %s", (renderer, software) => expect(isSoftwareRenderer(renderer)).toBe(software));
});

describe("chooseBackend", () => {
  test("a real GPU gets webgl", () => {
    expect(probe("Mesa Intel(R) UHD Graphics 620 (KBL GT2)").name).toBe("webgl");
  });
  test("software WebGL gets wasm, which trains with the course's kernels", () => {
    const c = probe("ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)");
    expect(c.name).toBe("wasm");
    expect(c.reason).toContain("SwiftShader");
    expect(c.threads).toBe(false);
  });
  test("no WebGL at all gets wasm; threads only when cross-origin isolated", () => {
    expect(probe(null).name).toBe("wasm");
    expect(probe(null, {crossOriginIsolated: true}).threads).toBe(true);
    expect(probe(null, {crossOriginIsolated: true, wasmThreads: false}).threads).toBe(false);
  });
  test("without wasm: webgl even in software, else cpu", () => {
    expect(probe("llvmpipe", {available: ["webgl", "cpu"]}).name).toBe("webgl");
    expect(probe(null, {available: ["cpu"]}).name).toBe("cpu");
  });
});

// adapter info as Chromium reports it: a discrete GPU, an integrated one, Apple silicon, SwiftShader (software), and an
// adapter that hides its info (privacy): empty strings
const NVIDIA: WebGpuProbe = {vendor: "nvidia", architecture: "ampere", description: "NVIDIA GeForce RTX 3060"};
const INTEL: WebGpuProbe = {vendor: "intel", architecture: "gen-12lp", description: ""};
const APPLE: WebGpuProbe = {vendor: "apple", architecture: "metal-3", description: ""};
const SWIFTSHADER: WebGpuProbe = {vendor: "google", architecture: "swiftshader", description: "SwiftShader Device"};
const HIDDEN: WebGpuProbe = {vendor: "", architecture: "", description: "", isFallbackAdapter: false};
const FALLBACK: WebGpuProbe = {vendor: "", architecture: "", description: "", isFallbackAdapter: true};
const LAVAPIPE: WebGpuProbe = {vendor: "mesa", architecture: "", description: "llvmpipe (LLVM 15.0.7, 256 bits)"};

describe("isSoftwareAdapter", () => {
  test.each([
    ["NVIDIA", NVIDIA, false],
    ["Intel", INTEL, false],
    ["Apple", APPLE, false],
    ["hidden info", HIDDEN, false],
    ["SwiftShader", SWIFTSHADER, true],
    ["fallback adapter", FALLBACK, true],
    ["lavapipe / llvmpipe", LAVAPIPE, true]
  ])("%s", (_, adapter, software) => expect(isSoftwareAdapter(adapter)).toBe(software));
});

const GPU_GL = "ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)";
const SOFT_GL = "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)";

// the whole table: (backends available, WebGPU adapter, WebGL renderer) → choice
describe("the choice table", () => {
  test.each([
    // a real GPU through WebGPU wins over everything, even over a real GPU through WebGL
    [ALL, NVIDIA, GPU_GL, "webgpu"],
    [ALL, INTEL, SOFT_GL, "webgpu"],
    [ALL, APPLE, null, "webgpu"],
    [ALL, HIDDEN, GPU_GL, "webgpu"],
    // a software adapter is not used: a real GPU through WebGL, else wasm
    [ALL, SWIFTSHADER, GPU_GL, "webgl"],
    [ALL, FALLBACK, GPU_GL, "webgl"],
    [ALL, LAVAPIPE, SOFT_GL, "wasm"],
    [ALL, SWIFTSHADER, SOFT_GL, "wasm"],
    [ALL, SWIFTSHADER, null, "wasm"],
    // no adapter (no navigator.gpu, or requestAdapter gave null)
    [ALL, null, GPU_GL, "webgl"],
    [ALL, null, SOFT_GL, "wasm"],
    [ALL, null, null, "wasm"],
    [ALL, undefined, SOFT_GL, "wasm"],
    // an adapter, but the webgpu backend cannot be loaded on this page
    [["webgl", "cpu", "wasm"], NVIDIA, GPU_GL, "webgl"],
    [["webgl", "cpu", "wasm"], NVIDIA, SOFT_GL, "wasm"],
    // no wasm: webgl (even in software), else cpu
    [["webgl", "cpu"], null, SOFT_GL, "webgl"],
    [["webgl", "cpu", "webgpu"], SWIFTSHADER, SOFT_GL, "webgl"],
    [["cpu"], null, null, "cpu"],
    [["cpu", "webgpu"], NVIDIA, null, "webgpu"]
  ] as [string[], WebGpuProbe | null | undefined, string | null, string][])(
    "%j, adapter %j, WebGL %s → %s",
    (available, webgpu, webglRenderer, name) => {
      const c = chooseBackend({available, webgpu, webglRenderer, wasmSimd: true, crossOriginIsolated: false});
      expect(c.name).toBe(name);
      expect(c.threads).toBe(false);
    }
  );
  test("the reason names the adapter", () => {
    expect(probe(null, {webgpu: NVIDIA}).reason).toContain("NVIDIA GeForce RTX 3060");
    expect(probe(null, {webgpu: APPLE}).reason).toContain("apple metal-3");
    expect(probe(SOFT_GL, {webgpu: SWIFTSHADER}).reason).toContain("SwiftShader");
  });
});
