// Chapter 8 V3 exercises: answers against a real buildVit model (dry-counted, no weights), checkers right and wrong.
import {describe, expect, test} from "vitest";
import {patchEmbeddingParamsExercise, vitSequenceExercise} from "../../../lib/exercises/vision-transformer.js";
import {buildVit, VIT_PRESETS, vitTokens} from "../../../lib/models/vit.js";

describe("vit-sequence", () => {
  const ex = vitSequenceExercise(384, 16);
  test("the answer is the model's sequence: 24 × 24 + 1 = 577 (timm's vit_base_patch16_384)", () => {
    const config = {...VIT_PRESETS.vit_base_patch16_224, inputShape: [384, 384, 3] as [number, number, number]};
    expect(ex.expected).toBe(vitTokens(config).total);
    expect(ex.expected).toBe(577);
  });
  test("right and wrong answers; the usual mistakes are named", () => {
    expect(ex.check(577).ok).toBe(true);
    expect(ex.check(576).message).toContain("class token");
    expect(ex.check(24).message).toContain("한 변");
    expect(ex.check(768).message).toContain("P²·C");
    expect(ex.check(500).ok).toBe(false);
  });
});

describe("vit-patch-params", () => {
  const ex = patchEmbeddingParamsExercise(16, 3, 768);
  test("the answer is countParams() of a real patch_embed.proj (ViT-B/16's), 590,592", () => {
    const model = buildVit(
      {...VIT_PRESETS.tiny, inputShape: [32, 32, 3], patchSize: 16, embedDim: 768, numHeads: 12, depth: 0},
      {
        weights: "zeros"
      }
    );
    expect(ex.expected).toBe(model.getLayer("patch_embed.proj").countParams());
    model.dispose();
    expect(ex.expected).toBe(16 * 16 * 3 * 768 + 768);
  });
  test("right and wrong answers; the usual mistakes are named", () => {
    expect(ex.check(590_592).ok).toBe(true);
    expect(ex.check(589_824).message).toContain("bias");
    expect(ex.check(16 * 16 * 768 + 768).message).toContain("채널");
    expect(ex.check(196 * 590_592).message).toContain("같은 행렬");
    expect(ex.check(1).ok).toBe(false);
  });
});
