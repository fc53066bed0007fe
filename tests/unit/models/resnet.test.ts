import {describe, expect, test} from "vitest";
import {modelSummary, weightLayerCount} from "../../../lib/analysis/summary.js";
import {buildResNet, RESNET_PRESETS} from "../../../lib/models/resnet.js";
import {MODELS} from "../../../lib/models/registry.js";

const rowsOf = (m: Parameters<typeof modelSummary>[0]) => Object.fromEntries(modelSummary(m).map((r) => [r.name, r]));

describe("ResNet", () => {
  test("ResNet-50 is v1.5: the bottleneck strides in its 3×3; shapes 112 → 56 → 28 → 14 → 7 with 256…2048 channels", () => {
    const model = MODELS.resnet50({weights: "zeros"});
    try {
      const r = rowsOf(model);
      expect(r.conv1.outputShape).toEqual([112, 112, 64]);
      expect(r.maxpool.outputShape).toEqual([56, 56, 64]);
      expect(r["layer1.2.relu"].outputShape).toEqual([56, 56, 256]);
      expect(r["layer2.0.conv1"].outputShape).toEqual([56, 56, 128]); // 1×1, stride 1
      expect(r["layer2.0.conv2"].outputShape).toEqual([28, 28, 128]); // 3×3, stride 2 (v1.5)
      expect(r["layer2.0.downsample.0"].outputShape).toEqual([28, 28, 512]);
      expect(r["layer4.2.relu"].outputShape).toEqual([7, 7, 2048]);
      // one projection per stage (layer1's changes 64 → 256 channels), identity shortcuts elsewhere
      const projections = Object.keys(r).filter((n) => n.endsWith("downsample.0"));
      expect(projections).toEqual([
        "layer1.0.downsample.0",
        "layer2.0.downsample.0",
        "layer3.0.downsample.0",
        "layer4.0.downsample.0"
      ]);
      expect(Object.values(r).filter((row) => row.className === "Add")).toHaveLength(3 + 4 + 6 + 3);
      expect(model.getLayer("bn1").getConfig()).toMatchObject({epsilon: 1e-5, momentum: 0.9});
    } finally {
      model.dispose();
    }
  });

  test("the paper's plain-34: the same layers without shortcuts, 173,824 parameters fewer than ResNet-34", () => {
    // the three 1×1/2 projections of ResNet-34 with their BatchNorm: (64·128 + 256) + (128·256 + 512) + (256·512 + 1024)
    const plain = buildResNet({...RESNET_PRESETS.resnet34, residual: false}, {weights: "zeros"});
    try {
      const trainable = plain.trainableWeights.reduce((n, w) => n + w.read().size, 0);
      expect(trainable).toBe(21_797_672 - (64 * 128 + 256) - (128 * 256 + 512) - (256 * 512 + 1024));
      expect(trainable).toBe(21_797_672 - 173_824);
      expect(plain.layers.some((l) => l.getClassName() === "Add")).toBe(false);
      expect(weightLayerCount(plain)).toEqual(expect.objectContaining({depth: 34, total: 34}));
    } finally {
      plain.dispose();
    }
  });

  test("tiny: 19,810 parameters, 8 weight layers, 28² → 14² → 7²", () => {
    // stem 3·3·1·8 + BN 16 = 88; layer1.0: 2 · 3·3·8·8 + BN 32 = 1,184;
    // layer2.0: 3·3·8·16 + 3·3·16·16 + 8·16 + BN 96 = 3,680; layer3.0: 3·3·16·32 + 3·3·32·32 + 16·32 + BN 192 = 14,528;
    // fc 32·10 + 10 = 330. Sum 19,810.
    const model = buildResNet(RESNET_PRESETS.tiny, {weights: "zeros"});
    try {
      const r = rowsOf(model);
      expect(Object.values(r).reduce((n, row) => n + row.trainableParams, 0)).toBe(19_810);
      expect(r["layer1.0.relu"].outputShape).toEqual([28, 28, 8]);
      expect(r["layer3.0.relu"].outputShape).toEqual([7, 7, 32]);
      expect(weightLayerCount(model)).toEqual(expect.objectContaining({depth: 8, total: 10}));
    } finally {
      model.dispose();
    }
  });
});
