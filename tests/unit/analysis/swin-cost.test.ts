/**
 * Global attention against window attention, measured (lib/analysis/swin-cost.ts): the formulas in the rows, the
 * memory of the global scores growing with the square of the patches, and nothing left allocated.
 */
import {expect, test} from "vitest";
import {measureAttentionCost} from "../../../lib/analysis/swin-cost.js";

test("7×7 (one window) and 28×28 patches, C = 32, 2 heads, M = 7", async () => {
  const rows = await measureAttentionCost({sides: [7, 28], channels: 32, numHeads: 2, windowSize: 7, repeats: 1});
  expect(rows.map((r) => [r.side, r.tokens])).toEqual([
    [7, 49],
    [28, 784]
  ]);
  // one window over the whole map: the same formula; at 28×28, 4·784·32² + 2·784²·32 against 4·784·32² + 2·49·784·32
  expect(rows[0].globalMacs).toBe(rows[0].windowMacs);
  expect(rows[1].globalMacs).toBe(4 * 784 * 1024 + 2 * 784 * 784 * 32);
  expect(rows[1].windowMacs).toBe(4 * 784 * 1024 + 2 * 49 * 784 * 32);
  for (const r of rows) {
    expect(r.globalMs).toBeGreaterThan(0);
    expect(r.windowMs).toBeGreaterThan(0);
  }
  // the global scores alone are 2 heads × 784² floats (4.9 MB), the windows' 16 × 2 × 49² (0.3 MB)
  expect(rows[1].globalBytes).toBeGreaterThan(2 * 784 * 784 * 4);
  expect(rows[1].globalBytes).toBeGreaterThan(2 * rows[1].windowBytes); // measured 12.3 MB against 3.4 MB
  await expect(measureAttentionCost({sides: [10], channels: 8, numHeads: 2, windowSize: 7})).rejects.toThrow(
    RangeError
  );
});
