/**
 * Exercises of chapter 1 「Filter」 (src/filter.md, 연습): the settings each one asks about, the checker that
 * judges the reader's answer, and the worked answer (풀이), all computed by the chapter's own code
 * (lib/ops/conv.ts) so the page never types an answer by hand.
 */
import {withParticle} from "../korean.js";
import {convOutputSize, naiveConv2d, samePadding, windowOverlap} from "../ops/conv.js";
import type {Kernel2D} from "../ops/kernels.js";
import {ALEXNET_PRESETS} from "../models/alexnet.js";
import {checkNumber, type CheckResult} from "./check.js";

export type {CheckResult};

/** A typed number against the computed one; a known wrong answer gets the explanation of its mistake. */
const judge = (value: number, expected: number, explain: string, hints: {value: number; message: string}[]) =>
  checkNumber(value, expected, {explain, hints});

// ---------------------------------------------------------------------------------------------------------
// 1. Output size with padding and stride

/** n = 7, f = 3, s = 2: the case where padding 1 does not keep the size (3 without it, 4 with it). */
export const OUTPUT_SIZE_EXERCISE = {n: 7, f: 3, p: 1, s: 2} as const;

export function checkOutputSize(value: number, q: {n: number; f: number; p: number; s: number} = OUTPUT_SIZE_EXERCISE) {
  const {n, f, p, s} = q;
  const expected = convOutputSize(n, f, p, s);
  const unpadded = convOutputSize(n, f, 0, s);
  return judge(value, expected, `⌊(${n} + 2·${p} − ${f})/${s}⌋ + 1 = ${expected}.`, [
    {
      value: unpadded,
      message: `padding ${withParticle(`p = ${p}`, "을/를")} 빼고 계산한 값입니다 (p = 0이면 ${unpadded}).`
    },
    {
      value: unpadded + 2 * p,
      message: `padding이 출력을 2p = ${2 * p}만큼 키운다고 보셨나요? 그것은 s = 1일 때만 맞습니다. s = ${s}이면 창이 ${s}칸씩 움직이므로 출력은 대략 2p/s만큼만 커집니다.`
    },
    {value: n + 2 * p - f + 1, message: `stride를 빼먹었습니다: (n + 2p − f)를 s = ${s}로 나누어야 합니다.`},
    {value: (n + 2 * p - f) / s, message: "나눈 몫에 1을 더해야 합니다 (첫 위치도 하나의 출력)."}
  ]);
}

export function outputSizeSolution(q: {n: number; f: number; p: number; s: number} = OUTPUT_SIZE_EXERCISE): string {
  const {n, f, p, s} = q;
  const out = convOutputSize(n, f, p, s);
  const unpadded = convOutputSize(n, f, 0, s);
  return (
    `n_out = ⌊(n + 2p − f)/s⌋ + 1 = ⌊(${n} + ${2 * p} − ${f})/${s}⌋ + 1 = ⌊${n + 2 * p - f}/${s}⌋ + 1 = ${out}. ` +
    `padding이 없으면 ⌊${n - f}/${s}⌋ + 1 = ${unpadded}이므로, 입력이 ${2 * p}칸 커져도 출력은 ${out - unpadded}만 커집니다` +
    (out === unpadded + 2 * p ? "." : ` (${withParticle(`2p = ${2 * p}`, "이/가")} 아닙니다: stride ${s}).`)
  );
}

// ---------------------------------------------------------------------------------------------------------
// 2. The padding that keeps the size ("same")

/** f = 5 at stride 1; the size n only serves to show the resulting shapes. */
export const SAME_PADDING_EXERCISE = {f: 5, s: 1, n: 28} as const;

export function checkSamePadding(value: number, q: {f: number; n: number} = SAME_PADDING_EXERCISE): CheckResult {
  const {f, n} = q;
  const expected = samePadding(f);
  const shape = (p: number) => (Number.isInteger(p) && p >= 0 && f <= n + 2 * p ? convOutputSize(n, f, p, 1) : null);
  const seen = shape(value);
  const result = judge(
    value,
    expected,
    `p = (f − 1)/2 = (${f} − 1)/2 = ${expected}: ${n}×${n} 입력이 ${n}×${n} 그대로 나옵니다.`,
    [
      {
        value: f - 1,
        message: `${withParticle(`f − 1 = ${f - 1}`, "은/는")} 양쪽을 합친 padding입니다. p는 한쪽에 두르는 칸 수입니다.`
      },
      {value: 0, message: `padding이 없으면 출력이 f − 1 = ${f - 1}칸 줄어듭니다.`}
    ]
  );
  if (result.ok || seen === null) return result;
  return {
    ok: false,
    message: `${result.message} (p = ${value}이면 ${n}×${n} 입력이 ${withParticle(`${seen}×${seen}`, "이/가")} 됩니다.)`
  };
}

export function samePaddingSolution(q: {f: number; n: number} = SAME_PADDING_EXERCISE): string {
  const {f, n} = q;
  const p = samePadding(f);
  return (
    `s = 1이면 n_out = n + 2p − f + 1입니다. n_out = n이 되려면 2p = f − 1, 곧 p = (${f} − 1)/2 = ${p}. ` +
    `확인: ${n}×${n} 입력에 p = ${p}이면 ${n} + ${2 * p} − ${f} + 1 = ${convOutputSize(n, f, p, 1)}.`
  );
}

// ---------------------------------------------------------------------------------------------------------
// 3. How far neighbouring windows overlap (the notes' "겹치지 않고" corrected)

/** AlexNet's overlapping max pooling (chapter 3): a 3×3 window moved with stride 2. */
export const OVERLAP_EXERCISE = {
  f: ALEXNET_PRESETS.alexnet.poolSize,
  s: ALEXNET_PRESETS.alexnet.poolStrides
} as const;

export function checkOverlap(value: number, q: {f: number; s: number} = OVERLAP_EXERCISE): CheckResult {
  const {f, s} = q;
  const {overlap} = windowOverlap(f, s);
  return judge(
    value,
    overlap,
    `첫 창은 열 0…${f - 1}, 다음 창은 ${withParticle(`열 ${s}…${s + f - 1}`, "을/를")} 읽으므로 ${overlap}열을 함께 씁니다.`,
    [
      {
        value: 0,
        message: `창은 s = ${s}칸 움직이는데 폭은 f = ${f}칸입니다. s < f이면 겹칩니다 (노트의 "겹치지 않고"는 s ≥ f일 때만 맞습니다).`
      },
      {value: s, message: "s는 창이 움직이는 칸 수입니다. 겹치는 것은 창의 폭 중 움직이고 남은 부분입니다."},
      {value: f, message: "f는 창 전체의 폭입니다. 다음 창은 s칸 옆에서 시작합니다."}
    ]
  );
}

export function overlapSolution(q: {f: number; s: number} = OVERLAP_EXERCISE): string {
  const {f, s} = q;
  const {overlap, gap} = windowOverlap(f, s);
  return (
    `첫 창: 열 0…${f - 1}, 다음 창: 열 ${s}…${s + f - 1}. 함께 읽는 열은 max(f − s, 0) = ${overlap}개` +
    (gap > 0 ? `, 두 창 사이에서 아무 창도 읽지 않는 열이 ${gap}개입니다.` : "입니다.")
  );
}

// ---------------------------------------------------------------------------------------------------------
// 4. Parameters of a filter bank

/** 16 filters of 3×3 over an RGB input, one bias each. */
export const FILTER_BANK_EXERCISE = {f: 3, cIn: 3, cOut: 16} as const;

/** Weights f·f·c_in·c_out plus one bias per filter. */
export function filterBankParams({f, cIn, cOut}: {f: number; cIn: number; cOut: number}): number {
  return f * f * cIn * cOut + cOut;
}

export function checkFilterBankParams(
  value: number,
  q: {f: number; cIn: number; cOut: number} = FILTER_BANK_EXERCISE
): CheckResult {
  const {f, cIn, cOut} = q;
  const expected = filterBankParams(q);
  return judge(
    value,
    expected,
    `필터 하나는 ${f}×${f}×${cIn} = ${f * f * cIn}개 가중치 + bias 1개, 그것이 ${cOut}개입니다.`,
    [
      {value: f * f * cIn * cOut, message: `가중치는 맞습니다. 필터마다 bias가 하나씩 있습니다 (${cOut}개).`},
      {
        value: f * f * cOut + cOut,
        message: `필터는 입력의 모든 채널에 걸쳐 있습니다: 필터 하나의 크기는 ${withParticle(`${f}×${f}`, "이/가")} 아니라 ${f}×${f}×${cIn}입니다.`
      },
      {value: f * f * cOut, message: `채널(${cIn})과 bias(${cOut})를 모두 빼먹었습니다.`},
      {value: f * f * cIn + 1, message: `필터 하나의 파라미터입니다. 필터가 ${cOut}개 있습니다.`}
    ]
  );
}

export function filterBankSolution(q: {f: number; cIn: number; cOut: number} = FILTER_BANK_EXERCISE): string {
  const {f, cIn, cOut} = q;
  return `가중치 f·f·c_in·c_out = ${f}·${f}·${cIn}·${cOut} = ${f * f * cIn * cOut}, bias c_out = ${cOut}, 합계 ${filterBankParams(q)}. 입력 이미지의 크기와는 상관이 없습니다.`;
}

// ---------------------------------------------------------------------------------------------------------
// 5. A kernel for 45° edges (a live cell judged by a measurement)

/**
 * The four test edges, named by the direction of their gradient (y down, as the chapter's direction legend:
 * → 0°, ↓ 90°). A 45° edge is the line ╱ (dark above-left, bright below-right, or the reverse).
 */
export const EDGE_ANGLES = [0, 45, 90, 135] as const;
export type EdgeAngle = (typeof EDGE_ANGLES)[number];
export const EDGE_NAMES: Record<EdgeAngle, string> = {
  0: "세로 edge │ (0°)",
  45: "대각선 edge ╱ (45°)",
  90: "가로 edge ─ (90°)",
  135: "대각선 edge ╲ (135°)"
};

const EDGE_SIZE = 16;

/** A step edge through the centre of a size×size image: 1 where (x − c)cos φ + (y − c)sin φ > 0, else 0. */
export function stepEdge(angleDeg: number, size = EDGE_SIZE): number[][] {
  const c = (size - 1) / 2;
  const [cos, sin] = [Math.cos((angleDeg * Math.PI) / 180), Math.sin((angleDeg * Math.PI) / 180)];
  return Array.from({length: size}, (_, y) =>
    Array.from({length: size}, (_, x) => ((x - c) * cos + (y - c) * sin > 1e-9 ? 1 : 0))
  );
}

export interface EdgeMeasurement {
  /** Largest |response| of the kernel on each test edge (valid convolution, the naive reference loop). */
  responses: Record<EdgeAngle, number>;
  /** The response on a flat region: the sum of the kernel's weights. */
  flat: number;
}

/** Apply a kernel to the four test edges and to a flat region; no tensors (the chapter's naive loop). */
export function measureEdges(k: Kernel2D): EdgeMeasurement {
  const kernel = k.map((row) => row.map((v) => [[v]]));
  const responses = {} as Record<EdgeAngle, number>;
  for (const angle of EDGE_ANGLES) {
    const image = stepEdge(angle).map((row) => row.map((v) => [v]));
    const out = naiveConv2d(image, kernel);
    responses[angle] = Math.max(...out.flat(2).map(Math.abs));
  }
  return {responses, flat: k.flat().reduce((a, b) => a + b, 0)};
}

/** Accept the live cell's last value: a 3×3 array of finite numbers, or a tensor with arraySync(). */
export function asKernel3x3(value: unknown): Kernel2D | string {
  const v =
    value && typeof value === "object" && "arraySync" in value && typeof value.arraySync === "function"
      ? (value.arraySync() as unknown)
      : value;
  const ok =
    Array.isArray(v) &&
    v.length === 3 &&
    v.every(
      (row) => Array.isArray(row) && row.length === 3 && row.every((x) => typeof x === "number" && Number.isFinite(x))
    );
  if (ok) return v as Kernel2D;
  return `셀의 마지막 값이 3×3 숫자 배열이어야 합니다 (지금: ${describe(v)}). 예: [[a, b, c], [d, e, f], [g, h, i]]`;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `길이 ${v.length}인 배열`;
  if (v === undefined) return "값 없음";
  return typeof v === "object" ? "객체" : String(v);
}

const round = (v: number) => Number(v.toFixed(2));

/** The measured responses as one readable line. */
export function describeMeasurement(m: EdgeMeasurement): string {
  return EDGE_ANGLES.map((a) => `${EDGE_NAMES[a]} ${round(m.responses[a])}`).join(", ");
}

/**
 * Right when the kernel responds most to the 45° edge, clearly more than to vertical and horizontal edges
 * (≥ 1.25×), hardly to the other diagonal (≤ ¼), and not at all to a flat region (weights summing to 0).
 */
export function checkDiagonalKernel(value: unknown): CheckResult {
  const k = asKernel3x3(value);
  if (typeof k === "string") return {ok: false, message: k};
  const m = measureEdges(k);
  const r = m.responses;
  const scale = k.flat().reduce((a, b) => a + Math.abs(b), 0);
  const measured = `측정 (최대 |응답|): ${describeMeasurement(m)}.`;
  if (scale === 0) return {ok: false, message: "모든 가중치가 0이면 어떤 edge에도 반응하지 않습니다."};
  if (Math.abs(m.flat) > 1e-6 * scale) {
    return {
      ok: false,
      message: `가중치의 합이 ${round(m.flat)}이라 밝기가 평평한 곳에서도 ${round(m.flat)}만큼 반응합니다. edge 검출 커널은 합이 0이어야 합니다. ${measured}`
    };
  }
  const strongest = EDGE_ANGLES.reduce((best, a) => (r[a] > r[best] ? a : best));
  if (r[strongest] > r[45]) {
    return {ok: false, message: `이 커널은 ${EDGE_NAMES[strongest]}에 가장 크게 반응합니다. ${measured}`};
  }
  const axis = Math.max(r[0], r[90]);
  if (r[45] < 1.25 * axis) {
    return {
      ok: false,
      message: `45° edge에 가장 크게 반응하지만 세로·가로 edge와의 차이가 작습니다 (${round(r[45] / axis)}배, 1.25배 이상이 목표). ${measured}`
    };
  }
  if (r[135] > 0.25 * r[45]) {
    return {
      ok: false,
      message: `반대 대각선 ╲에도 ${round(r[135] / r[45])}배로 반응합니다 (¼ 이하가 목표): 방향을 구별하지 못합니다. ${measured}`
    };
  }
  return {
    ok: true,
    message: `맞습니다. 45° edge에 세로·가로 edge의 ${round(r[45] / axis)}배로 반응하고, 반대 대각선 ╲에는 ${round(r[135] / r[45])}배, 평평한 곳에는 0입니다. ${measured}`
  };
}

/** The worked answer: Sobel x rotated by 45° (its ring of eight weights moved one step). */
export const DIAGONAL_SOBEL: Kernel2D = [
  [-2, -1, 0],
  [-1, 0, 1],
  [0, 1, 2]
];

export function diagonalKernelSolution(): string {
  const m = measureEdges(DIAGONAL_SOBEL);
  return (
    `Sobel 커널을 45° 돌린 [[-2, -1, 0], [-1, 0, 1], [0, 1, 2]]: 테두리의 여덟 값을 한 칸씩 돌려, ` +
    `왼쪽 위(−)와 오른쪽 아래(+)의 차이를 잽니다. 가중치의 합은 ${m.flat}. 측정 (최대 |응답|): ${describeMeasurement(m)}.`
  );
}
