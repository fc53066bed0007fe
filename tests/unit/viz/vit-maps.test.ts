// lib/viz/vit-maps.ts: the overlay's pixels by hand, the similarity grid's cells, and the sentences' branches.
import {describe, expect, test} from "vitest";
import {
  attentionOverlay,
  describeAttention,
  describePositions,
  describeTraining,
  positionSimilaritySvg
} from "../../../lib/viz/vit-maps.js";
import {colorAt} from "../../../lib/viz/colormap.js";
import type {PositionStructure} from "../../../lib/analysis/vit-maps.js";

describe("attentionOverlay", () => {
  test("a 2×2 image, 1×2 patches: the hottest patch is magma(1) blended at α, a zero patch stays grey", () => {
    const img = attentionOverlay([0, 1, 0.5, 0.5], [2, 2], [0, 2], [1, 2], 0.5);
    expect([img.width, img.height]).toEqual([2, 2]);
    // pixel (0, 0): heat 0 -> grey 0
    expect([...img.data.slice(0, 4)]).toEqual([0, 0, 0, 255]);
    // pixel (0, 1): heat 2/2 = 1 -> 0.5·255 + 0.5·magma(1)
    const [r, g, b] = colorAt("magma", 1);
    expect(img.data[4]).toBe(Math.round(0.5 * 255 + 0.5 * r));
    expect(img.data[5]).toBe(Math.round(0.5 * 255 + 0.5 * g));
    expect(img.data[6]).toBe(Math.round(0.5 * 255 + 0.5 * b));
    expect(() => attentionOverlay([0], [2, 2], [0, 1], [1, 2])).toThrow(RangeError);
  });
});

describe("positionSimilaritySvg", () => {
  test("a 2×2 grid: 4 tiles of 4 cells, values on the cells", () => {
    const s = [
      [1, 0.5, 0, -1],
      [0.5, 1, 0, 0],
      [0, 0, 1, 0],
      [-1, 0, 0, 1]
    ];
    const svg = positionSimilaritySvg(s, [2, 2], {cell: 5, gap: 2});
    expect(svg.match(/class="pos-tile"/g)!.length).toBe(4);
    expect(svg.match(/data-value=/g)!.length).toBe(16);
    expect(svg).toContain('data-value="-1.0000"');
    expect(svg).toContain('width="22"'); // 2 tiles of 10 px + a 2 px gap
  });
});

const structure = (neighbours: number, farther: number, correlation: number): PositionStructure => ({
  byDistance: [
    {distance: 1, mean: neighbours, pairs: 8},
    {distance: Math.SQRT2, mean: farther, pairs: 4}
  ],
  neighbours,
  farther,
  correlation
});

describe("sentences", () => {
  test("training: numbers of the run, up or not", () => {
    const s = {
      trainImages: 5000,
      epochs: 2,
      epochsDone: 2,
      seconds: 20,
      testImages: 2000,
      before: 0.1,
      after: 0.755,
      stopped: false
    };
    const t = describeTraining(s);
    expect(t).toContain("5,000장으로 2 epoch을 20.0초");
    expect(t).toContain("초당 약 500장");
    expect(t).toContain("10.0%에서 75.5%로 올랐습니다");
    expect(describeTraining({...s, after: 0.05})).toContain("오르지 않았습니다");
    expect(describeTraining({...s, stopped: true, epochsDone: 1})).toContain("2 epoch 중 1 epoch을 마치고 정지");
  });
  test("positions: the verdict follows the numbers", () => {
    expect(describePositions(structure(0.5, 0.1, -0.6), true)).toContain("2차원 배치를 학습했습니다");
    expect(describePositions(structure(0.2, 0.1, -0.1), true)).toContain("관계는 약합니다");
    expect(describePositions(structure(0.0, 0.1, 0.1), false)).toContain("아직 위치의 배치를 배우지 않았습니다");
    expect(describePositions(structure(0.0, 0.1, 0.1), false)).toContain("학습 전 모델");
    expect(describePositions(structure(0.5, 0.1, -0.6), true)).toContain("거리 1.41");
  });
  test("attention: the share on the garment against a uniform map", () => {
    expect(describeAttention({right: 3, total: 4, attention: 0.8, patches: 0.5}, true)).toContain("옷에 더 모입니다");
    expect(describeAttention({right: 3, total: 4, attention: 0.3, patches: 0.5}, true)).toContain("배경을 더 봅니다");
    expect(describeAttention({right: 1, total: 4, attention: 0.5, patches: 0.5}, false)).toContain("거의 같습니다");
    expect(describeAttention({right: 1, total: 4, attention: 0.5, patches: 0.5}, false)).toContain("우연");
  });
});
