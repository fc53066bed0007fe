// Claim P2's inputs and its computed explanation: the sentence follows the measured rows of either input.
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {poolingNoise} from "../../../lib/ops/pooling.js";
import {comparePoolingInputs, explainPoolingNoise, poolingInput} from "../../../lib/ops/pooling-inputs.js";

function run(kind: "stroke" | "area", sigma: number) {
  const clean = poolingInput(kind);
  const r = poolingNoise(clean, sigma, 7);
  const e = explainPoolingNoise(r.rows);
  tf.dispose([clean, r.noisy, r.pooled.max, r.pooled.avg]);
  return {rows: r.rows, e};
}

describe("poolingInput", () => {
  test("by hand: the L of 1-px lines has 24 + 15 ink pixels, the square 19 × 19", () => {
    const stroke = poolingInput("stroke");
    const area = poolingInput("area");
    expect(stroke.shape).toEqual([32, 32]);
    expect(tf.tidy(() => stroke.sum().dataSync()[0])).toBe(24 + 15);
    expect(tf.tidy(() => area.sum().dataSync()[0])).toBe(19 * 19);
    const s = stroke.arraySync();
    expect(s[4][9]).toBe(1);
    expect(s[3][9]).toBe(0);
    expect(s[20][27]).toBe(1);
    tf.dispose([stroke, area]);
  });
});

describe("explainPoolingNoise", () => {
  test("thin stroke: max pooling wins, and average loses about half the contrast (1 px in a 2-px window)", () => {
    const {e} = run("stroke", 0.3);
    expect(e.winner).toBe("max");
    expect(e.avg.contrastFactor).toBeGreaterThan(0.4);
    expect(e.avg.contrastFactor).toBeLessThan(0.7);
    expect(e.avg.noiseFactor).toBeCloseTo(0.5, 1); // the mean of 4 independent values: σ / 2
    expect(e.sentences.verdict).toContain("max pooling의 CNR이 더 높습니다");
    expect(e.sentences.avg).toMatch(/\d+% 잃음/);
  });

  test("wide area: average pooling wins and keeps the contrast", () => {
    const {e} = run("area", 0.3);
    expect(e.winner).toBe("avg");
    expect(e.avg.contrastFactor).toBeGreaterThan(0.9);
    expect(e.sentences.verdict).toContain("average pooling의 CNR이 더 높습니다");
    expect(e.sentences.avg).toContain("거의 그대로)");
  });

  test("the factors explain the CNRs exactly: CNR_pool = CNR_input · k / r", () => {
    for (const kind of ["stroke", "area"] as const) {
      const {rows, e} = run(kind, 0.6);
      const input = rows.find((r) => r.kind === "input")!;
      for (const p of [e.max, e.avg]) expect(p.cnr).toBeCloseTo((input.cnr * p.contrastFactor) / p.noiseFactor, 6);
      expect(e.winner).toBe(e.max.cnr > e.avg.cnr ? "max" : "avg");
      expect(e.sentences.avg).toContain(input.noise.toFixed(2));
    }
  });

  test("refuses rows without an input row", () => {
    expect(() => explainPoolingNoise([])).toThrow(/input/);
  });
});

test("comparePoolingInputs: the two inputs' verdicts at σ = 0.3, nothing leaked", () => {
  const rows = comparePoolingInputs(0.3);
  expect(rows.map((r) => [r.kind, r.winner])).toEqual([
    ["stroke", "max"],
    ["area", "avg"]
  ]);
  expect(rows[0].max).toBeGreaterThan(rows[0].avg);
});
