/**
 * The paper-sized networks against torchvision and the papers, at 224×224×3 and 1000 classes. Built with
 * `weights: "zeros"` (no random numbers; 0.3–2 s per model on wasm, VGG-19's 575 MB of zeros being the largest).
 *
 * References, per model:
 * - params: torchvision's `sum(p.numel() for p in model.parameters())`, published as `num_params` in the weights'
 *   meta of torchvision/models/{alexnet,vgg,googlenet,resnet}.py (IMAGENET1K_V1; GoogLeNet with
 *   aux_logits=False) and in the docs' "Params" column. Our side is the model's trainable weights: BatchNorm's
 *   moving mean / variance are non-trainable weights in Keras and buffers (not parameters) in PyTorch.
 * - gmacs: the docs' "GFLOPS" column, which counts conv + linear multiply-adds: within 3% of the two-decimal
 *   figure, and equal to the three-decimal `_ops` of the same meta.
 * - depth: the papers' layer counts (AlexNet 8, VGG 11/13/16/19 — Table 1's configurations A, B, D, E, GoogLeNet 22
 *   — "22 layers deep when counting only layers with parameters", ResNet 18…152 — Table 1), measured as conv +
 *   dense layers on the longest path to the main output. ResNet's 1×1 projection shortcuts run beside a longer
 *   path and GoogLeNet's auxiliary heads lead to other outputs, so neither adds to the depth (`total` counts them).
 */
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {countFlops, layerCost} from "../../../lib/analysis/flops.js";
import {modelGraph} from "../../../lib/analysis/graph.js";
import {weightLayerCount} from "../../../lib/analysis/summary.js";
import {MODEL_INFO, MODEL_NAMES, MODELS, type ModelName} from "../../../lib/models/registry.js";
import {TRANSFORMER_MODEL_INFO, TRANSFORMER_MODEL_NAMES, TRANSFORMER_MODELS} from "../../../lib/models/transformer.js";
import {dryGraph} from "../../../lib/analysis/dry-build.js";
import {VIT_MODEL_INFO, VIT_MODEL_NAMES, VIT_MODELS} from "../../../lib/models/vit.js";

const REFERENCE: Record<ModelName, {params: number; gflops: number; ops: number; depth: number; total: number}> = {
  // total: every conv + dense layer (GoogLeNet: 3 stem + 9 modules × 6 + fc; ResNet: + 3 or 4 projections)
  alexnet: {params: 61_100_840, gflops: 0.71, ops: 0.714, depth: 8, total: 8},
  vgg11: {params: 132_863_336, gflops: 7.61, ops: 7.609, depth: 11, total: 11},
  vgg13: {params: 133_047_848, gflops: 11.31, ops: 11.308, depth: 13, total: 13},
  vgg16: {params: 138_357_544, gflops: 15.47, ops: 15.47, depth: 16, total: 16},
  vgg19: {params: 143_667_240, gflops: 19.63, ops: 19.632, depth: 19, total: 19},
  googlenet: {params: 6_624_904, gflops: 1.5, ops: 1.498, depth: 22, total: 58},
  resnet18: {params: 11_689_512, gflops: 1.81, ops: 1.814, depth: 18, total: 21},
  resnet34: {params: 21_797_672, gflops: 3.66, ops: 3.664, depth: 34, total: 37},
  resnet50: {params: 25_557_032, gflops: 4.09, ops: 4.089, depth: 50, total: 54},
  resnet101: {params: 44_549_160, gflops: 7.8, ops: 7.801, depth: 101, total: 105},
  resnet152: {params: 60_192_808, gflops: 11.51, ops: 11.514, depth: 152, total: 156}
};

const count = (weights: tf.LayerVariable[]) => weights.reduce((n, w) => n + w.read().size, 0);

describe("registry models at 224×224×3, 1000 classes", () => {
  test("the registry lists exactly these eleven models, with the same reference figures", () => {
    expect(MODEL_NAMES).toEqual(Object.keys(REFERENCE));
    for (const name of MODEL_NAMES) {
      const {torchvision, depth} = MODEL_INFO[name];
      expect({params: torchvision.params, gmacs: torchvision.gmacs, depth}).toEqual({
        params: REFERENCE[name].params,
        gmacs: REFERENCE[name].ops,
        depth: REFERENCE[name].depth
      });
    }
  });

  test.each(MODEL_NAMES)("%s: torchvision's parameters and multiply-adds, the paper's depth", (name) => {
    const ref = REFERENCE[name];
    const model = MODELS[name]({weights: "zeros"});
    try {
      expect(model.inputs[0].shape).toEqual([null, 224, 224, 3]);
      expect(model.outputs[0].shape).toEqual([null, 1000]);
      expect(count(model.trainableWeights)).toBe(ref.params);

      const graph = modelGraph(model);
      const totals = countFlops(graph);
      expect(totals.trainableParams).toBe(ref.params);
      expect(totals.params).toBe(model.countParams());
      expect(totals.uncounted).toEqual([]);
      expect(Math.abs(totals.macs / 1e9 / ref.gflops - 1)).toBeLessThan(0.03);
      expect(Math.round(totals.macs / 1e6) / 1e3).toBe(ref.ops);

      expect(weightLayerCount(graph)).toMatchObject({depth: ref.depth, total: ref.total});

      // the formulas of lib/analysis/flops.ts (used for unbuilt layer lists) agree with the real weights, layer by layer
      for (const call of graph.calls) {
        const formula = layerCost({...call, params: null});
        expect([call.name, formula.params, formula.trainableParams]).toEqual([
          call.name,
          call.params!.total,
          call.params!.trainable
        ]);
      }
    } finally {
      model.dispose();
    }
  });
});

/**
 * The sibling registry of chapter 7 「Transformer」 (lib/models/transformer.ts): PyTorch's `sum(p.numel() for p in
 * m.parameters())` of `nn.Transformer()` and `nn.TransformerEncoderLayer(d_model=512, nhead=8)`; the derivation from
 * PyTorch's module definitions is in tests/unit/models/transformer.test.ts.
 */
describe("transformer registry models (weights: zeros)", () => {
  test.each(TRANSFORMER_MODEL_NAMES)("%s: PyTorch's parameter count, by the weights and by the analysis", (name) => {
    const ref = {transformer: 44_140_544, transformer_encoder_layer: 3_152_384}[name];
    expect(TRANSFORMER_MODEL_INFO[name].pytorch.params).toBe(ref);
    const model = TRANSFORMER_MODELS[name]({weights: "zeros"});
    try {
      expect(count(model.trainableWeights)).toBe(ref);
      const totals = countFlops(modelGraph(model));
      expect(totals.trainableParams).toBe(ref);
      expect(totals.params).toBe(model.countParams());
      expect(totals.uncounted).toEqual([]);
      for (const call of modelGraph(model).calls) {
        const formula = layerCost({...call, params: null});
        expect([call.name, formula.params]).toEqual([call.name, call.params!.total]);
      }
    } finally {
      model.dispose();
    }
  });
});

/**
 * The sibling registry of chapter 8 (lib/models/vit.ts): timm's `sum(p.numel() for p in model.parameters())` for
 * timm's names (derived from timm's module definitions in tests/unit/models/vit.test.ts), dry-built (no weights
 * allocated); multiply-adds within 3% of the published one-decimal figure or equal to it at that precision.
 */
describe("ViT / DeiT registry models (dry-built)", () => {
  const TIMM: Record<string, number> = {
    vit_tiny_patch16_224: 5_717_416,
    vit_small_patch16_224: 22_050_664,
    vit_base_patch16_224: 86_567_656,
    deit_tiny_distilled_patch16_224: 5_910_800,
    deit_small_distilled_patch16_224: 22_436_432,
    deit_base_distilled_patch16_224: 87_338_192
  };
  test.each(VIT_MODEL_NAMES)("%s: timm's parameter count, by the analysis", (name) => {
    expect(VIT_MODEL_INFO[name].timm.params).toBe(TIMM[name]);
    const graph = dryGraph(() => VIT_MODELS[name]({weights: "zeros"}));
    const totals = countFlops(graph);
    expect(totals.trainableParams).toBe(TIMM[name]);
    expect(totals.uncounted).toEqual([]);
    const gmacs = totals.macs / 1e9;
    const ref = VIT_MODEL_INFO[name].timm.gmacs;
    expect(Math.abs(gmacs / ref - 1) < 0.03 || Math.round(gmacs * 10) / 10 === ref).toBe(true);
    for (const call of graph.calls) {
      const formula = layerCost({...call, params: null});
      expect([call.name, formula.params]).toEqual([call.name, call.params!.total]);
    }
  });
});
