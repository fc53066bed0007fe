/**
 * Chapter 5 「Seq2Seq」, claim S1: the PCA of the context vectors, on hand examples and against a naive covariance
 * eigen-decomposition (cyclic Jacobi rotations) of small random data.
 */
import {describe, expect, test} from "vitest";
import {pca2} from "../../../lib/analysis/pca.js";
import {mulberry32} from "../../../lib/random.js";

/** Eigenvalues and eigenvectors (columns) of a symmetric matrix, by cyclic Jacobi rotations; sorted descending. */
function jacobiEigen(a: number[][]): {values: number[]; vectors: number[][]} {
  const d = a.length;
  const m = a.map((r) => [...r]);
  const v: number[][] = Array.from({length: d}, (_, i) => Array.from({length: d}, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += m[p][q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        if (Math.abs(m[p][q]) < 1e-300) continue;
        const theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let k = 0; k < d; k++) {
          const mkp = m[k][p],
            mkq = m[k][q];
          m[k][p] = c * mkp - s * mkq;
          m[k][q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < d; k++) {
          const mpk = m[p][k],
            mqk = m[q][k];
          m[p][k] = c * mpk - s * mqk;
          m[q][k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k][p],
            vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({length: d}, (_, i) => i).sort((i, j) => m[j][j] - m[i][i]);
  return {values: order.map((i) => m[i][i]), vectors: order.map((i) => v.map((row) => row[i]))};
}

function covariance(rows: number[][]): number[][] {
  const n = rows.length,
    d = rows[0].length;
  const mean = Array.from({length: d}, (_, j) => rows.reduce((s, r) => s + r[j], 0) / n);
  return Array.from({length: d}, (_, i) =>
    Array.from({length: d}, (_, j) => rows.reduce((s, r) => s + (r[i] - mean[i]) * (r[j] - mean[j]), 0) / n)
  );
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

describe("pca2", () => {
  test("hand example: a cross of four points", () => {
    const {points, explained, components} = pca2([
      [3, 1],
      [-1, 1],
      [1, 2],
      [1, 0]
    ]); // centre (1, 1); variances 2 along x, 0.5 along y
    expect(explained[0]).toBeCloseTo(0.8, 10);
    expect(explained[1]).toBeCloseTo(0.2, 10);
    expect(components[0][0]).toBeCloseTo(1, 10);
    expect(components[0][1]).toBeCloseTo(0, 10);
    expect(Math.abs(components[1][1])).toBeCloseTo(1, 10);
    const expected = [
      [2, 0],
      [-2, 0],
      [0, 1],
      [0, -1]
    ];
    points.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(expected[i][0], 10);
      expect(p[1]).toBeCloseTo(expected[i][1], 10); // second loading positive: y up
    });
  });

  test("points on a line: all variance on the first component, along the line", () => {
    const ts = [-2, -1, 0, 0.5, 3, 4];
    const {points, explained, components} = pca2(ts.map((t) => [1 + 3 * t, 2 + 4 * t, -5]));
    expect(explained[0]).toBeCloseTo(1, 10);
    expect(explained[1]).toBeCloseTo(0, 10);
    expect(components[0].map((x) => +x.toFixed(10))).toEqual([0.6, 0.8, 0]);
    const mean = ts.reduce((a, b) => a + b, 0) / ts.length;
    points.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(5 * (ts[i] - mean), 9);
      expect(p[1]).toBeCloseTo(0, 9);
    });
  });

  test("a Gaussian cloud stretched along 30°: the first component points along it", () => {
    const rand = mulberry32(5);
    const [c, s] = [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6)];
    const rows = Array.from({length: 2000}, () => {
      const a = 3 * gaussian(rand),
        b = 0.5 * gaussian(rand);
      return [10 + a * c - b * s, -4 + a * s + b * c];
    });
    const {explained, components} = pca2(rows);
    expect(components[0][0] * c + components[0][1] * s).toBeGreaterThan(0.999);
    expect(components[0][0]).toBeGreaterThan(0); // the sign rule: largest loading positive
    expect(explained[0]).toBeCloseTo(9 / 9.25, 1);
    expect(explained[0] + explained[1]).toBeCloseTo(1, 10);
  });

  test("small random data: same as a naive covariance eigen-decomposition", () => {
    for (const [n, d, seed] of [
      [30, 5, 1],
      [12, 8, 2],
      [50, 3, 3],
      [6, 10, 4]
    ]) {
      const rand = mulberry32(seed);
      // unequal scales per column so the top eigenvalues are well apart
      const rows = Array.from({length: n}, () => Array.from({length: d}, (_, j) => gaussian(rand) * (1 + j)));
      const {values, vectors} = jacobiEigen(covariance(rows));
      const total = values.reduce((a, b) => a + b, 0);
      const {points, explained, components} = pca2(rows);
      expect(explained[0]).toBeCloseTo(values[0] / total, 8);
      expect(explained[1]).toBeCloseTo(values[1] / total, 8);
      for (let k = 0; k < 2; k++) {
        // the reference's sign is arbitrary: flip it by the same rule (largest-magnitude loading positive)
        const ref = vectors[k];
        const big = ref.reduce((b, x, j) => (Math.abs(x) > Math.abs(ref[b]) ? j : b), 0);
        const flipped = ref.map((x) => (ref[big] < 0 ? -x : x));
        flipped.forEach((x, j) => expect(components[k][j]).toBeCloseTo(x, 6));
        const mean = Array.from({length: d}, (_, j) => rows.reduce((s, r) => s + r[j], 0) / n);
        rows.forEach((r, i) => {
          const projection = r.reduce((s, x, j) => s + (x - mean[j]) * flipped[j], 0);
          expect(points[i][k]).toBeCloseTo(projection, 6);
        });
      }
    }
  });

  test("deterministic, and degenerate inputs give zeros instead of NaN", () => {
    const rand = mulberry32(9);
    const rows = Array.from({length: 40}, () => Array.from({length: 16}, () => rand()));
    expect(pca2(rows)).toEqual(pca2(rows.map((r) => [...r])));
    const same = pca2([
      [1, 2],
      [1, 2],
      [1, 2]
    ]);
    expect(same.explained).toEqual([0, 0]);
    expect(same.points.flat().every((x) => x === 0)).toBe(true);
    const oneD = pca2([[1], [3], [5]]);
    expect(oneD.explained).toEqual([1, 0]);
    expect(oneD.points.map((p) => p[0])).toEqual([-2, 0, 2]);
    expect(pca2([]).points).toEqual([]);
    expect(() => pca2([[1, 2], [3]])).toThrow(/lengths/);
  });
});
