import {describe, expect, test} from "vitest";
import {modelSummary} from "../../../lib/analysis/summary.js";
import {ALEXNET_PRESETS, buildAlexNet} from "../../../lib/models/alexnet.js";
import {MODELS} from "../../../lib/models/registry.js";

const shapes = (model: Parameters<typeof modelSummary>[0]) =>
  Object.fromEntries(modelSummary(model).map((r) => [r.name, r.outputShape]));

describe("AlexNet", () => {
  test("torchvision's feature map sizes at 224²: 55 → 27 → 13 → 6, and no pooling layer where 6×6 already fits", () => {
    const model = MODELS.alexnet({weights: "zeros"});
    try {
      const s = shapes(model);
      expect(s["features.0.pad"]).toEqual([228, 228, 3]); // PyTorch's padding 2, as a layer
      expect(s["features.0"]).toEqual([55, 55, 64]); // ⌊(224 + 4 − 11)/4⌋ + 1
      expect(s["features.2"]).toEqual([27, 27, 64]);
      expect(s["features.3"]).toEqual([27, 27, 192]);
      expect(s["features.5"]).toEqual([13, 13, 192]);
      expect(s["features.10"]).toEqual([13, 13, 256]);
      expect(s["features.12"]).toEqual([6, 6, 256]);
      expect(s.avgpool).toBeUndefined();
      expect(s.flatten).toEqual([9216]);
      expect(s["classifier.6"]).toEqual([1000]);
    } finally {
      model.dispose();
    }
  });

  test("other input sizes: 227² (the paper's arithmetic) gives the same maps; 256² pools 7 → 6 as torchvision", () => {
    const at227 = MODELS.alexnet({inputShape: [227, 227, 3], numClasses: 10, weights: "zeros"});
    const at256 = MODELS.alexnet({inputShape: [256, 256, 3], numClasses: 10, weights: "zeros"});
    try {
      expect(shapes(at227)["features.12"]).toEqual([6, 6, 256]);
      const s = shapes(at256);
      expect(s["features.12"]).toEqual([7, 7, 256]);
      expect(s.avgpool).toEqual([6, 6, 256]); // windows of 2, stride 1: exactly AdaptiveAvgPool2d(6) on 7
      // the classifier, and so the parameter count, does not depend on the input size
      expect(at256.countParams()).toBe(at227.countParams());
      expect(at227.countParams()).toBe(61_100_840 - 4097 * 990); // 1000 → 10 classes: fc3 loses 990 × (4096 + 1)
    } finally {
      at227.dispose();
      at256.dispose();
    }
  });

  test("layer names are torchvision's module paths", () => {
    const model = buildAlexNet(ALEXNET_PRESETS.tiny, {weights: "zeros"});
    try {
      const weighted = model.layers.filter((l) => l.countParams() > 0).map((l) => l.name);
      expect(weighted).toEqual([
        "features.0",
        "features.3",
        "features.6",
        "features.8",
        "features.10",
        "classifier.1",
        "classifier.4",
        "classifier.6"
      ]);
    } finally {
      model.dispose();
    }
  });
});
