// Claims C3 and P1: the cost rows and what the page says about them.
import {expect, test} from "vitest";
import {compareCost, describeCost, layerCostRows, poolingCostRows} from "../../../lib/analysis/pooling-cost.js";

test("conv MACs by hand at 28²: conv1 24·24·16·25, conv2 8·8·32·400 with pooling, 20·20·32·400 without", () => {
  const withPool = layerCostRows("max");
  const noPool = layerCostRows("none");
  expect(withPool.find((r) => r.layer === "conv1")).toEqual({
    layer: "conv1",
    output: "24×24×16",
    MACs: 24 * 24 * 16 * 25
  });
  expect(withPool.find((r) => r.layer === "conv2")!.MACs).toBe(8 * 8 * 32 * 5 * 5 * 16);
  expect(noPool.find((r) => r.layer === "conv2")!.MACs).toBe(20 * 20 * 32 * 5 * 5 * 16);
  expect(withPool.find((r) => r.layer === "flatten")!.output).toBe("512");
  expect(noPool.find((r) => r.layer === "flatten")!.output).toBe("12800");
});

test("the no-pooling line is the flatter one: the ratio falls from 5.7× at 28² to 4.2× at 224²", () => {
  const rows = poolingCostRows([28, 56, 112, 224]);
  const c = compareCost(rows);
  expect(c.ratios[0]).toBeCloseTo(6170240 / 1083008, 6); // 5.70, the sums of the hand-checked layers
  expect(c.ratios[0]).toBeCloseTo(5.7, 1);
  expect(c.ratios[3]).toBeCloseTo(4.2, 1);
  expect(c.steeper).toBe("max pooling");
  expect(c.growth["max pooling"]).toBeGreaterThan(c.growth["pooling 없음"]);
  expect(c.conv2).toEqual({"max pooling": [8, 106], "pooling 없음": [20, 216]});
});

test("refuses a single size", () => {
  expect(() => compareCost(poolingCostRows([28]))).toThrow(/two/);
});

test("describeCost says the pooled line is the steeper one, with the computed factors and the reason", () => {
  const text = describeCost(compareCost(poolingCostRows([28, 56, 112, 224])), 5);
  expect(text).toContain("더 가파른 선은 max pooling입니다");
  expect(text).toContain("28²의 5.7배에서 224²의 4.2배로 줄어듭니다");
  expect(text).toContain("f − 1 = 4 px");
  expect(text).toContain("8×8 (pooling 없으면 20×20)");
  // a made-up case where the no-pooling line is steeper: no reason given
  const flipped = describeCost(
    {
      sizes: [1, 2],
      ratios: [2, 3],
      growth: {"max pooling": 2, "pooling 없음": 3},
      steeper: "pooling 없음",
      conv2: {"max pooling": [1, 2], "pooling 없음": [1, 2]}
    },
    5
  );
  expect(flipped).toContain("더 가파른 선은 pooling 없음입니다");
  expect(flipped).toContain("늘어납니다");
  expect(flipped).not.toContain("까닭");
});
