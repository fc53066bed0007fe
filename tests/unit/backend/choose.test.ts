import {describe, expect, test} from "vitest";
import {chooseBackend, isSoftwareRenderer} from "../../../lib/backend/choose.js";

const ALL = ["webgl", "cpu", "wasm"];
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
