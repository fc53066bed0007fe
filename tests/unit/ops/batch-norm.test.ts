import {describe, expect, test} from "vitest";
import {batchNormExample} from "../../../lib/ops/batch-norm.js";

describe("batchNormExample", () => {
  test("a hand-worked batch: x = [1, 2, 3, 6] has μ = 3, σ² = 3.5; the layer matches (x − μ)/√(σ² + ε)", () => {
    const r = batchNormExample([1, 2, 3, 6], {epsilon: 0.5});
    expect(r.mean).toBe(3);
    expect(r.variance).toBe(3.5); // (4 + 1 + 0 + 9) / 4
    // √(3.5 + 0.5) = 2: x̂ = [−1, −0.5, 0, 1.5]
    expect(r.formula).toEqual([-1, -0.5, 0, 1.5]);
    r.layer.forEach((v, i) => expect(v).toBeCloseTo(r.formula[i], 5));
    expect(r.outMean).toBeCloseTo(0, 6);
    expect(r.outVariance).toBeCloseTo(3.5 / 4, 5); // σ²/(σ² + ε)
  });

  test("γ and β scale and shift the normalised values; any input scale gives mean β", () => {
    const x = [120, 80, 95, 140, 60, 100];
    const r = batchNormExample(x, {gamma: 2, beta: 1});
    r.layer.forEach((v, i) => expect(v).toBeCloseTo(r.formula[i], 4));
    expect(r.outMean).toBeCloseTo(1, 4);
    expect(r.outVariance).toBeCloseTo((4 * r.variance) / (r.variance + 1e-3), 3);
  });
});
