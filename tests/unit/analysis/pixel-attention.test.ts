/**
 * V2's sizes (lib/analysis/pixel-attention.ts) against numbers worked out by hand, the limit solved exactly, and the
 * measured allocation against 4·N² on the backend the tests run on.
 */
import {describe, expect, test} from "vitest";
import {
  attentionMatrixSize,
  attentionSizeTable,
  formatBytes,
  largestSide,
  measurableSides,
  measurePixelAttention,
  memoryLimits,
  tokenCount,
  WASM_HEAP_BYTES
} from "../../../lib/analysis/pixel-attention.js";

describe("attention matrix sizes", () => {
  test("hand-worked: 224² pixels, 224² with 16×16 patches, 28² with 7×7 and 4×4 patches", () => {
    // 224 · 224 = 50,176 tokens; 50,176² = 2,517,630,976 values; × 4 = 10,070,523,904 bytes
    expect(attentionMatrixSize(224, 224)).toEqual({
      height: 224,
      width: 224,
      patch: 1,
      tokens: 50_176,
      entries: 2_517_630_976,
      bytes: 10_070_523_904
    });
    // (224 / 16)² = 14² = 196 tokens; 196² = 38,416 values; 153,664 bytes
    expect(attentionMatrixSize(224, 224, 16)).toMatchObject({tokens: 196, entries: 38_416, bytes: 153_664});
    // 28/7 = 4 → 16 tokens, 256 values; 28/4 = 7 → 49 tokens, 2,401 values
    expect(attentionMatrixSize(28, 28, 7)).toMatchObject({tokens: 16, entries: 256, bytes: 1024});
    expect(attentionMatrixSize(28, 28, 4)).toMatchObject({tokens: 49, entries: 2401, bytes: 9604});
    // a patch that does not divide the side: ViT's strided convolution drops the rest (⌊28/16⌋ = 1)
    expect(tokenCount(28, 28, 16)).toBe(1);
    expect(() => tokenCount(28, 28, 0)).toThrow(RangeError);
    // the fourth-power law: twice the side, 16 times the matrix
    expect(attentionMatrixSize(128, 128).bytes / attentionMatrixSize(64, 64).bytes).toBe(16);
  });

  test("the table has one row per side and patch", () => {
    const rows = attentionSizeTable([28, 64], [1, 4]);
    expect(rows.map((r) => [r.width, r.patch, r.tokens])).toEqual([
      [28, 1, 784],
      [28, 4, 49],
      [64, 1, 4096],
      [64, 4, 256]
    ]);
  });

  test("largestSide: the largest square whose matrix fits, exactly", () => {
    // 4 GiB = 2³² bytes: N² · 4 ≤ 2³² ⇔ N ≤ 2¹⁵ = 32,768 ⇔ S² ≤ 32,768 ⇔ S ≤ 181 (181² = 32,761, 182² = 33,124)
    expect(largestSide(WASM_HEAP_BYTES)).toBe(181);
    expect(4 * (181 * 181) ** 2).toBeLessThanOrEqual(2 ** 32);
    expect(4 * (182 * 182) ** 2).toBeGreaterThan(2 ** 32);
    // 64 MiB: N ≤ 2¹² = 4,096 ⇔ S = 64 exactly
    expect(largestSide(64 * 2 ** 20)).toBe(64);
    // two matrices alive (scores and softmax) halve the bytes: N ≤ 2,896 ⇒ S = 53 (53² = 2,809, 54² = 2,916)
    expect(largestSide(64 * 2 ** 20, 1, 2)).toBe(53);
    // with 16×16 patches the grid side is 181 patches: any image up to 181·16 + 15 = 2,911 pixels
    expect(largestSide(WASM_HEAP_BYTES, 16)).toBe(2911);
    expect(measurableSides(4 * 2 ** 20)).toEqual([8, 16, 24, 32]);
  });

  test("memory limits: WebAssembly always, the browser's own where given", () => {
    expect(memoryLimits().map((l) => [l.id, l.bytes])).toEqual([["wasm", 2 ** 32]]);
    const all = memoryLimits({jsHeapSizeLimit: 2 ** 31, deviceMemoryGiB: 8});
    expect(all.map((l) => [l.id, l.bytes])).toEqual([
      ["wasm", 2 ** 32],
      ["js-heap", 2 ** 31],
      ["device", 8 * 2 ** 30]
    ]);
  });

  test("formatBytes uses binary units", () => {
    expect(formatBytes(4)).toBe("4 B");
    expect(formatBytes(153_664)).toBe("150 KiB");
    expect(formatBytes(2 ** 32)).toBe("4.00 GiB");
    expect(formatBytes(10_070_523_904)).toBe("9.38 GiB");
  });
});

describe("measured allocation", () => {
  test("tf.memory() grows by exactly 4·N² for QKᵀ and for the softmax; nothing is left", async () => {
    const rows = await measurePixelAttention([4, 8, 12]);
    expect(rows.map((r) => r.tokens)).toEqual([16, 64, 144]);
    for (const r of rows) {
      expect(r.expectedBytes).toBe(4 * r.tokens * r.tokens);
      expect(r.scoreBytes).toBe(r.expectedBytes);
      expect(r.softmaxBytes).toBe(r.expectedBytes);
      expect(r.ms).toBeGreaterThanOrEqual(0);
    }
  });
});
