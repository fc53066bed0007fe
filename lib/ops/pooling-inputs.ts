/**
 * The two clean inputs of chapter 2's pooling-under-noise experiment (claim P2), and the sentences that explain
 * its measured result. Whether max or average pooling keeps the higher contrast-to-noise ratio depends on the
 * input: the explanation is computed from the measured rows of `poolingNoise` (./pooling.ts), so it follows the
 * reader's choice of input and noise σ and is never a sentence written for one case.
 *
 * CNR = contrast / noise, with contrast = mean(feature) − mean(background). A pooling multiplies the contrast by
 * some factor k and the background noise by some factor r, so its CNR is the input's times k / r.
 */
import {tf} from "../tf.js";
import {poolingNoise, type PoolingNoise} from "./pooling.js";

export type PoolingInputKind = "stroke" | "area";

export interface PoolingInputInfo {
  kind: PoolingInputKind;
  /** What the radio button shows. */
  label: string;
  /** Side of the square input, in pixels. */
  size: number;
}

export const POOLING_INPUTS: readonly PoolingInputInfo[] = [
  {kind: "stroke", label: "가는 획 (1 px)", size: 32},
  {kind: "area", label: "넓은 면", size: 32}
];

/**
 * The clean input [n, n] with ink 1 on 0: `stroke` is an "L" of 1-px lines (a vertical line at column 9 from row 4
 * to 27, a horizontal one at row 20 from column 13 to 27); `area` is a filled square, rows and columns 7…25.
 */
export function poolingInput(kind: PoolingInputKind, n = 32): tf.Tensor2D {
  const values = new Float32Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const ink =
        kind === "stroke"
          ? (c === 9 && r > 3 && r < 28) || (r === 20 && c > 12 && c < 28)
          : r > 6 && r < 26 && c > 6 && c < 26;
      values[r * n + c] = ink ? 1 : 0;
    }
  }
  return tf.tensor2d(values, [n, n]);
}

/** How one pooling changed the input's contrast and noise. */
export interface PoolingChange {
  kind: "max" | "avg";
  cnr: number;
  contrast: number;
  /** contrast after / contrast before (k). */
  contrastFactor: number;
  /** background std after / before (r). */
  noiseFactor: number;
  background: number;
}

export interface PoolingExplanation {
  input: PoolingNoise;
  max: PoolingChange;
  avg: PoolingChange;
  /** The pooling with the higher CNR. */
  winner: "max" | "avg";
  /** One sentence per pooling and a verdict, in Korean, all numbers from the rows. */
  sentences: {avg: string; max: string; verdict: string};
}

const NAMES = {max: "max pooling", avg: "average pooling"} as const;

const f2 = (v: number) => v.toFixed(2);

/** Explain a `poolingNoise` result: the factors behind each CNR, in numbers and words. */
export function explainPoolingNoise(rows: readonly PoolingNoise[]): PoolingExplanation {
  const row = (kind: PoolingNoise["kind"]) => {
    const r = rows.find((x) => x.kind === kind);
    if (!r) throw new RangeError(`no "${kind}" row`);
    return r;
  };
  const input = row("input");
  const inputContrast = input.feature - input.background;
  const change = (kind: "max" | "avg"): PoolingChange => {
    const r = row(kind);
    const contrast = r.feature - r.background;
    return {
      kind,
      cnr: r.cnr,
      contrast,
      contrastFactor: contrast / inputContrast,
      noiseFactor: r.noise / input.noise,
      background: r.background
    };
  };
  const max = change("max");
  const avg = change("avg");
  const winner = max.cnr > avg.cnr ? "max" : "avg";
  const keeps = (k: number) => (k >= 0.9 ? "거의 그대로" : `${Math.round((1 - k) * 100)}% 잃음`);
  const sentences = {
    avg:
      `average pooling: 배경 노이즈의 표준편차 ${f2(input.noise)} → ${f2(input.noise * avg.noiseFactor)} ` +
      `(×${f2(avg.noiseFactor)}), 특징과 배경의 차이(contrast) ${f2(inputContrast)} → ${f2(avg.contrast)} ` +
      `(×${f2(avg.contrastFactor)}, ${keeps(avg.contrastFactor)}). 그래서 CNR은 입력의 ${f2(avg.contrastFactor)} / ` +
      `${f2(avg.noiseFactor)} = ${f2(avg.contrastFactor / avg.noiseFactor)}배입니다.`,
    max:
      `max pooling: 창에서 가장 큰 값을 고르므로 배경에서도 가장 큰 노이즈를 골라 배경 평균 ` +
      `${f2(input.background)} → ${f2(max.background)}, 노이즈 ×${f2(max.noiseFactor)}, contrast ` +
      `×${f2(max.contrastFactor)}. 그래서 CNR은 입력의 ${f2(max.contrastFactor / max.noiseFactor)}배입니다.`,
    verdict:
      `average pooling은 ${avg.cnr > input.cnr ? "노이즈를 contrast보다 더 줄여 CNR을 높였고" : "노이즈를 줄인 것보다 contrast를 더 잃어 CNR을 낮췄고"}, ` +
      `max pooling은 CNR을 ${max.cnr > input.cnr ? "높였습니다" : "낮췄습니다"}. 그래서 이 입력에서는 ${NAMES[winner]}의 CNR이 더 높습니다.`
  };
  return {input, max, avg, winner, sentences};
}

export {NAMES as POOLING_NAMES};

/** Both inputs through `poolingNoise` at one σ: which pooling keeps the higher CNR for each (tensors disposed). */
export function comparePoolingInputs(
  sigma: number,
  seed = 7
): {kind: PoolingInputKind; label: string; winner: "max" | "avg"; max: number; avg: number}[] {
  return POOLING_INPUTS.map(({kind, label, size}) => {
    const clean = poolingInput(kind, size);
    const r = poolingNoise(clean, sigma, seed);
    tf.dispose([clean, r.noisy, r.pooled.max, r.pooled.avg]);
    const e = explainPoolingNoise(r.rows);
    return {kind, label, winner: e.winner, max: e.max.cnr, avg: e.avg.cnr};
  });
}
