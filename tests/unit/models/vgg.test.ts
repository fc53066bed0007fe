import {describe, expect, test} from "vitest";
import {modelSummary, weightLayerCount} from "../../../lib/analysis/summary.js";
import {buildVgg, VGG_LAYERS, VGG_PRESETS, type VggConfig} from "../../../lib/models/vgg.js";

describe("VGG", () => {
  test("the configurations have the paper's 8/10/13/16 convolutions, so 11/13/16/19 weight layers with the 3 fc", () => {
    const convs = (layers: (number | "M")[]) => layers.filter((l) => l !== "M").length;
    expect([VGG_LAYERS.A, VGG_LAYERS.B, VGG_LAYERS.D, VGG_LAYERS.E].map(convs)).toEqual([8, 10, 13, 16]);
  });

  test("vgg11_bn: torchvision's 132,868,840 parameters (BatchNorm adds γ and β to each of 8 convolutions)", () => {
    // 132,863,336 + 2 · (64 + 128 + 256 + 256 + 512 + 512 + 512 + 512) = 132,863,336 + 5,504 (torchvision `num_params`)
    const model = buildVgg({...VGG_PRESETS.vgg11, batchNorm: true}, {weights: "zeros"});
    try {
      const trainable = model.trainableWeights.reduce((n, w) => n + w.read().size, 0);
      expect(trainable).toBe(132_868_840);
      expect(weightLayerCount(model).depth).toBe(11);
    } finally {
      model.dispose();
    }
  });

  test("adaptive pooling to 7×7 at other sizes, as torchvision: the classifier stays the same", () => {
    // five 2×2 pools as in every VGG, narrow layers so that the 7·7·C-input classifier stays small
    const narrow: VggConfig = {
      ...VGG_PRESETS.vgg11,
      layers: [8, "M", 8, "M", 8, 8, "M", 8, 8, "M", 8, 8, "M"],
      hidden: [16, 16]
    };
    const at = (n: number) => buildVgg({...narrow, inputShape: [n, n, 3], numClasses: 10}, {weights: "zeros"});
    const rows = (m: ReturnType<typeof at>) => Object.fromEntries(modelSummary(m).map((r) => [r.name, r]));
    // 32² → 1×1 features, upsampled 7×; 64² → 2×2, upsampled 4× then pooled 2/1; 256² → 8×8, pooled 2/1
    const expected: [number, number, string[]][] = [
      [32, 1, ["UpSampling2D"]],
      [64, 2, ["UpSampling2D", "AveragePooling2D"]],
      [224, 7, []],
      [256, 8, ["AveragePooling2D"]]
    ];
    const params = new Set<number>();
    for (const [n, features, layers] of expected) {
      const model = at(n);
      try {
        const r = rows(model);
        expect(r["features.20"].outputShape, `${n}²`).toEqual([features, features, 8]);
        const pools = Object.values(r).filter((row) => row.name.startsWith("avgpool"));
        expect(
          pools.map((row) => row.className),
          `${n}²`
        ).toEqual(layers);
        expect(r.flatten.outputShape).toEqual([7 * 7 * 8]);
        params.add(model.countParams());
      } finally {
        model.dispose();
      }
    }
    expect(params.size).toBe(1);
  });

  test("tiny: 28² digits padded to 32², five pools down to 1×1, 15,034 parameters", () => {
    // convs (3·3·C_in + 1)·C_out: 1→4: 40, 4→8: 296, 8→16: 1,168, 16→16 ×5: 5 · 2,320 = 11,600;
    // fc: 16→32: 544, 32→32: 1,056, 32→10: 330. Sum 15,034.
    const model = buildVgg(VGG_PRESETS.tiny, {weights: "zeros"});
    try {
      expect(model.countParams()).toBe(15_034);
      const shapes = Object.fromEntries(modelSummary(model).map((r) => [r.name, r.outputShape]));
      expect(shapes.input_pad).toEqual([32, 32, 1]);
      expect(shapes["features.20"]).toEqual([1, 1, 16]); // the fifth pool
      expect(shapes.flatten).toEqual([16]);
    } finally {
      model.dispose();
    }
  });
});
