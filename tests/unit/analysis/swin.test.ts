/**
 * The Swin bookkeeping of lib/analysis/swin.ts against hand-worked small cases: the window of every patch, torch.roll's
 * direction, the nine regions and the −100 mask, the relative position index (a hand-built table for M = 2 and the
 * reference's tensor recipe for M = 7), the paper's cost formulas, the reach of a patch after k blocks, and the stage
 * shapes of Swin-T and of the small preset.
 */
import {describe, expect, test} from "vitest";
import {
  blockGroups,
  effectiveWindow,
  msaCost,
  reachCounts,
  reachSets,
  relativePositionIndex,
  rollGrid,
  shiftedWindowMask,
  shiftRegions,
  shiftRegionsOriginal,
  shiftedWindowIds,
  SWIN_MASK_VALUE,
  swinStageShapes,
  windowIds,
  windowTokens,
  wmsaCost
} from "../../../lib/analysis/swin.js";
import {SWIN_PRESETS} from "../../../lib/models/swin.js";

describe("windows and the cyclic shift", () => {
  test("a 4×4 grid in 2×2 windows: ids row by row, tokens in window_partition's order", () => {
    expect(windowIds(4, 4, 2)).toEqual([
      [0, 0, 1, 1],
      [0, 0, 1, 1],
      [2, 2, 3, 3],
      [2, 2, 3, 3]
    ]);
    expect(windowTokens(4, 4, 2)).toEqual([
      [0, 1, 4, 5],
      [2, 3, 6, 7],
      [8, 9, 12, 13],
      [10, 11, 14, 15]
    ]);
    expect(windowTokens(4, 6, 2)[2]).toEqual([4, 5, 10, 11]);
    expect(() => windowIds(4, 5, 2)).toThrow(RangeError);
  });

  test("rollGrid is torch.roll: shifts −1 moves [1, 2, 3] to [2, 3, 1]", () => {
    expect(rollGrid([[1, 2, 3]], 0, -1)).toEqual([[2, 3, 1]]);
    expect(rollGrid([[1, 2, 3]], 0, 1)).toEqual([[3, 1, 2]]);
    expect(
      rollGrid(
        [
          [1, 2],
          [3, 4],
          [5, 6]
        ],
        -1,
        0
      )
    ).toEqual([
      [3, 4],
      [5, 6],
      [1, 2]
    ]);
    const grid = windowIds(6, 6, 3);
    expect(rollGrid(rollGrid(grid, -1, -1), 1, 1)).toEqual(grid);
  });

  test("timm's rule: a map no larger than the window is one window without shift", () => {
    expect(effectiveWindow(56, 56, 7, 3)).toEqual({window: 7, shift: 3});
    expect(effectiveWindow(7, 7, 7, 3)).toEqual({window: 7, shift: 0});
    expect(effectiveWindow(4, 6, 7, 3)).toEqual({window: 4, shift: 0});
    expect(() => effectiveWindow(14, 14, 7, 7)).toThrow(RangeError);
  });
});

describe("the nine regions and the mask", () => {
  // H = W = 4, M = 2, s = 1: rows (and columns) split into [0, 2), [2, 3), [3, 4) -> parts 0, 1, 2
  const regions = [
    [0, 0, 1, 2],
    [0, 0, 1, 2],
    [3, 3, 4, 5],
    [6, 6, 7, 8]
  ];

  test("regions of the shifted grid (the reference's img_mask), hand-worked", () => {
    expect(shiftRegions(4, 4, 2, 1)).toEqual(regions);
    expect(
      shiftRegions(4, 4, 2, 0)
        .flat()
        .every((r) => r === 0)
    ).toBe(true);
    // 8×8, M = 4, s = 2: parts of length 4, 2, 2; nine regions, sizes 16, 8, 8, 8, 4, 4, 8, 4, 4
    const big = shiftRegions(8, 8, 4, 2).flat();
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((r) => big.filter((v) => v === r).length)).toEqual([
      16, 8, 8, 8, 4, 4, 8, 4, 4
    ]);
  });

  test("in the original image the wrapped regions sit along the top and the left edge", () => {
    // shifted (r, c) holds original (r + 1, c + 1) mod 4: so original (0, 0) carries region 8, original row 0 the
    // bottom row's regions 6, 6, 7, 8 rolled right by one
    expect(shiftRegionsOriginal(4, 4, 2, 1)).toEqual([
      [8, 6, 6, 7],
      [2, 0, 0, 1],
      [2, 0, 0, 1],
      [5, 3, 3, 4]
    ]);
  });

  test("shifted windows in the original image: the last window gathers the four corners", () => {
    expect(shiftedWindowIds(4, 4, 2, 1)).toEqual([
      [3, 2, 2, 3],
      [1, 0, 0, 1],
      [1, 0, 0, 1],
      [3, 2, 2, 3]
    ]);
    expect(shiftedWindowIds(4, 4, 2, 0)).toEqual(windowIds(4, 4, 2));
  });

  test("mask: 0 within a region, −100 across regions, per window of the shifted grid", () => {
    const x = SWIN_MASK_VALUE;
    expect(x).toBe(-100);
    const mask = shiftedWindowMask(4, 4, 2, 1);
    expect(mask.length).toBe(4);
    // window 0: rows 0–1, columns 0–1, all region 0
    expect(mask[0]).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0]
    ]);
    // window 1: regions 1, 2, 1, 2
    expect(mask[1]).toEqual([
      [0, x, 0, x],
      [x, 0, x, 0],
      [0, x, 0, x],
      [x, 0, x, 0]
    ]);
    // window 2: regions 3, 3, 6, 6
    expect(mask[2]).toEqual([
      [0, 0, x, x],
      [0, 0, x, x],
      [x, x, 0, 0],
      [x, x, 0, 0]
    ]);
    // window 3: regions 4, 5, 7, 8, all different
    expect(mask[3]).toEqual([
      [0, x, x, x],
      [x, 0, x, x],
      [x, x, 0, x],
      [x, x, x, 0]
    ]);
  });

  test("Swin-T's first stage: 64 windows, only the last row and column of windows need a mask", () => {
    const mask = shiftedWindowMask(56, 56, 7, 3);
    const masked = mask.map((w) => w.some((row) => row.some((v) => v !== 0)));
    expect(masked.length).toBe(64);
    expect(masked.filter(Boolean).length).toBe(15); // 8 + 8 − 1
    masked.forEach((m, i) => expect([i, m]).toEqual([i, i % 8 === 7 || i >= 56]));
  });
});

describe("relative position index", () => {
  test("M = 2, against a table built by hand: (Δrow + 1)·3 + (Δcol + 1)", () => {
    // tokens 0 = (0,0), 1 = (0,1), 2 = (1,0), 3 = (1,1); row i is the query, column j the key
    expect(relativePositionIndex(2)).toEqual([
      [4, 3, 1, 0],
      [5, 4, 2, 1],
      [7, 6, 4, 3],
      [8, 7, 5, 4]
    ]);
  });

  test("M = 7, against the reference's tensor recipe (get_relative_position_index)", () => {
    const m = 7;
    // coords = stack(meshgrid(arange(M), arange(M))) -> flatten -> [2, M²]
    const coords = [0, 1].map((axis) =>
      Array.from({length: m * m}, (_, t) => (axis === 0 ? Math.floor(t / m) : t % m))
    );
    // relative[i][j] = coords[:, i] − coords[:, j]; += M − 1; row part *= 2M − 1; sum
    const ref = coords[0].map((_, i) =>
      coords[0].map((_, j) => {
        const dr = coords[0][i] - coords[0][j] + m - 1;
        const dc = coords[1][i] - coords[1][j] + m - 1;
        return dr * (2 * m - 1) + dc;
      })
    );
    const index = relativePositionIndex(m);
    expect(index).toEqual(ref);
    // every one of the (2M − 1)² = 169 table rows is used; the diagonal (offset 0) is row 84
    expect(new Set(index.flat()).size).toBe(169);
    expect(Math.min(...index.flat())).toBe(0);
    expect(Math.max(...index.flat())).toBe(168);
    index.forEach((row, i) => expect(row[i]).toBe(84));
  });
});

describe("the paper's cost formulas", () => {
  test("by hand: h = w = 2, C = 1, M = 1", () => {
    // 4·4·1 + 2·16·1 = 48; 4·4·1 + 2·1·4·1 = 24
    expect(msaCost(2, 2, 1)).toBe(48);
    expect(wmsaCost(2, 2, 1, 1)).toBe(24);
  });

  test("Swin-T's first stage (56×56 patches, C = 96, M = 7)", () => {
    // 4·3136·96² = 115,605,504; 2·3136²·96 = 1,888,223,232; 2·49·3136·96 = 29,503,488
    expect(msaCost(56, 56, 96)).toBe(2_003_828_736);
    expect(wmsaCost(56, 56, 96, 7)).toBe(145_108_992);
    // quadratic against linear in hw: twice the side, 4× the window cost and far more for global attention
    expect(wmsaCost(112, 112, 96, 7) / wmsaCost(56, 56, 96, 7)).toBe(4);
    expect(msaCost(112, 112, 96) / msaCost(56, 56, 96)).toBeGreaterThan(15);
  });
});

describe("who can exchange information after k blocks", () => {
  const at = (set: number[], w: number) =>
    set.flatMap((v, p) => (v ? [[Math.floor(p / w), p % w] as [number, number]] : []));

  test("4×4, M = 2, from (0, 0): windows alone stay in one window; shifted windows reach 3×3 then everything", () => {
    const plain = reachSets(4, 4, 2, [0, 0], 3, {mode: "window"});
    const shifted = reachSets(4, 4, 2, [0, 0], 3, {mode: "shifted"});
    const global = reachSets(4, 4, 2, [0, 0], 1, {mode: "global"});
    expect(reachCounts(plain)).toEqual([1, 4, 4, 4]);
    expect(reachCounts(shifted)).toEqual([1, 4, 9, 16]);
    expect(reachCounts(global)).toEqual([1, 16]);
    // after block 2 (shifted by 1): the centre window (1..2, 1..2) joins (1, 1); (0, 1) meets (0, 2) and (1, 0)
    // meets (2, 0) in the wrapped windows; (0, 0) sits alone in its region
    expect(at(shifted[2], 4)).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
      [2, 0],
      [2, 1],
      [2, 2]
    ]);
  });

  test("the mask matters: without it the wrapped window would join opposite edges", () => {
    const groups = blockGroups(4, 4, 2, 1);
    const group = (r: number, c: number) => groups[r * 4 + c];
    // (0, 0) shares its shifted window with (0, 3), (3, 0), (3, 3) but no region
    expect([group(0, 3), group(3, 0), group(3, 3)].includes(group(0, 0))).toBe(false);
    expect(groups.filter((g) => g === group(0, 0)).length).toBe(1);
    expect(group(0, 1)).toBe(group(0, 2));
    expect(group(1, 1)).toBe(group(2, 2));
    // the unshifted blocks group by window
    expect(blockGroups(4, 4, 2, 0)).toEqual(windowIds(4, 4, 2).flat());
  });

  test("8×8, M = 4, from a corner: shifted windows cover the map in 3 blocks; plain windows never leave theirs", () => {
    expect(reachCounts(reachSets(8, 8, 4, [0, 0], 3, {mode: "shifted"}))).toEqual([1, 16, 36, 64]);
    expect(reachCounts(reachSets(8, 8, 4, [0, 0], 3, {mode: "window"}))).toEqual([1, 16, 16, 16]);
    expect(() => reachSets(8, 8, 4, [8, 0], 1, {mode: "window"})).toThrow(RangeError);
  });
});

describe("stage shapes", () => {
  test("Swin-T at 224²: 56² × 96, 28² × 192, 14² × 384, 7² × 768 (the paper's Figure 3)", () => {
    const stages = swinStageShapes(SWIN_PRESETS.swin_tiny_patch4_window7_224);
    expect(stages.map((s) => [s.height, s.width, s.channels, s.stride, s.blocks, s.heads])).toEqual([
      [56, 56, 96, 4, 2, 3],
      [28, 28, 192, 8, 2, 6],
      [14, 14, 384, 16, 6, 12],
      [7, 7, 768, 32, 2, 24]
    ]);
    expect(stages.map((s) => [s.window, s.shift, s.windows])).toEqual([
      [7, 3, 64],
      [7, 3, 16],
      [7, 3, 4],
      [7, 0, 1]
    ]);
  });

  test("the small preset: 14×14 × 32 in four 7×7 windows, then 7×7 × 64 in one", () => {
    const stages = swinStageShapes(SWIN_PRESETS.tiny);
    expect(stages.map((s) => [s.height, s.channels, s.stride, s.window, s.shift, s.windows])).toEqual([
      [14, 32, 2, 7, 3, 4],
      [7, 64, 4, 7, 0, 1]
    ]);
    expect(() => swinStageShapes({...SWIN_PRESETS.tiny, inputShape: [28, 28, 1], patchSize: 3})).toThrow(RangeError);
  });
});
