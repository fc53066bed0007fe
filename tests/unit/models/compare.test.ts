/** The comparison table's figures (lib/models/compare.ts) against the registry's reference figures. */
import {expect, test} from "vitest";
import {measureModel} from "../../../lib/models/compare.js";
import {FAMILIES, MODEL_INFO, MODEL_NAMES} from "../../../lib/models/registry.js";
import {resnet6n2Config, RESNET_6N2_DEPTHS} from "../../../lib/models/resnet-6n2.js";
import {buildResNet} from "../../../lib/models/resnet.js";
import {dryGraph} from "../../../lib/analysis/dry-build.js";
import {weightLayerCount} from "../../../lib/analysis/summary.js";

test.each(MODEL_NAMES)("%s: depth, parameters and multiply-adds at 224²", (name) => {
  const f = measureModel(name);
  const info = MODEL_INFO[name];
  expect(f.depth).toBe(info.depth);
  expect(f.params).toBe(info.torchvision.params);
  // torchvision's "GFLOPS" (multiply-adds), rounded to three decimals
  expect(Math.abs(f.macs / 1e9 - info.torchvision.gmacs)).toBeLessThan(0.0006);
  expect(f.year).toBe(FAMILIES[info.family].year);
  expect(f.inputShape).toEqual([224, 224, 3]);
});

test("other input sizes: the same parameters (global or adaptive pooling), fewer multiply-adds", () => {
  const small = measureModel("resnet50", {inputShape: [112, 112, 3]});
  expect(small.params).toBe(25_557_032);
  expect(small.macs).toBeLessThan(measureModel("resnet50").macs / 3);
});

test.each(RESNET_6N2_DEPTHS)("the 6n+2 ResNet of depth %i, and its plain twin", (depth) => {
  const residual = dryGraph(() => buildResNet(resnet6n2Config(depth)));
  const plain = dryGraph(() => buildResNet(resnet6n2Config(depth, {residual: false})));
  expect(weightLayerCount(residual).depth).toBe(depth);
  expect(weightLayerCount(plain).depth).toBe(depth);
  expect(plain.calls.some((c) => c.className === "Add")).toBe(false);
  expect(residual.calls.filter((c) => c.className === "Add")).toHaveLength(3 * ((depth - 2) / 6));
  expect(residual.calls.at(-1)!.outputShape).toEqual([10]);
});

test("a depth that is not 6n + 2 is refused", () => {
  expect(() => resnet6n2Config(21)).toThrow(/6n \+ 2/);
  expect(() => resnet6n2Config(2)).toThrow(/6n \+ 2/);
});
