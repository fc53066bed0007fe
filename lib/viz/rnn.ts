/**
 * The result sentences of chapter 4 「RNN」, written from a run's own numbers (pure: numbers in, Korean text out).
 * The page's components call them when an experiment ends; tests/unit/viz/rnn.test.ts checks them on made-up runs,
 * including the outcomes that contradict the notes (an RNN that does not fail, attention that is slower).
 *
 *   describeForecast   R1 / real data: which forecaster has the smallest test error, and against the naive forecast
 *   describeGradients  R2: how much ‖∂h_T/∂h_t‖ shrinks over the distance, per model
 *   describeRecall     R2: up to which lag each model recalls the first symbol
 *   describeTiming     R3: how time per sequence grows with the length, and where attention is the slower one
 */
import {withParticle} from "../korean.js";

const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
const exp1 = (x: number) => x.toExponential(1);

export interface ForecastRow {
  /** Display name, e.g. "LSTM". */
  name: string;
  /** Mean absolute error on the test windows, in the series' units. */
  testMae: number;
  params: number;
}

export interface ForecastConditions {
  /** MAE of the naive forecast (the last value of the window), on the same test windows. */
  naiveMae: number;
  epochs: number;
  window: number;
  /** Unit of the series, e.g. "(흑점 수)". */
  unit?: string;
}

/** Which model forecasts best in this run, and whether any beats the naive "same as last time" forecast. */
export function describeForecast(rows: ForecastRow[], c: ForecastConditions): string {
  if (!rows.length) return "";
  const sorted = [...rows].sort((a, b) => a.testMae - b.testMae);
  const best = sorted[0];
  const worst = sorted.at(-1)!;
  const beat = sorted.filter((r) => r.testMae < c.naiveMae);
  const unit = c.unit ? ` ${c.unit}` : "";
  const head =
    `이번 실행 (창 ${c.window}, ${c.epochs} epoch)에서 test MAE가 가장 작은 모델은 ${best.name} (${f2(best.testMae)}${unit}, ` +
    `파라미터 ${best.params.toLocaleString("en-US")}개)이고, 가장 큰 모델은 ${worst.name} (${f2(worst.testMae)})입니다.`;
  const naive =
    beat.length === rows.length
      ? ` 네 모델 모두 창의 마지막 값을 그대로 내는 기준 예측 (MAE ${f2(c.naiveMae)})보다 낫습니다.`
      : beat.length === 0
        ? ` 어느 모델도 창의 마지막 값을 그대로 내는 기준 예측 (MAE ${f2(c.naiveMae)})보다 낫지 않습니다: 이 학습량으로는 배운 것이 없다는 뜻입니다.`
        : ` 창의 마지막 값을 그대로 내는 기준 예측 (MAE ${f2(c.naiveMae)})보다 나은 모델은 ${beat.map((r) => r.name).join(", ")}뿐입니다.`;
  const gap = (worst.testMae - best.testMae) / best.testMae;
  const close =
    gap < 0.1
      ? ` 가장 좋은 모델과 가장 나쁜 모델의 차이가 ${pct(gap)}뿐이라, 이 실행으로 순위를 말하기는 어렵습니다.`
      : "";
  return head + naive + close;
}

export interface GradientCurve {
  /** e.g. "SimpleRNN (학습 전)". */
  name: string;
  points: {distance: number; norm: number}[];
}

/** Norm at distance 1 and at the largest distance, and the factor between them, for each curve. */
export function describeGradients(curves: GradientCurve[]): string {
  const parts = curves
    .filter((c) => c.points.length > 1)
    .map((c) => {
      const byDistance = [...c.points].sort((a, b) => a.distance - b.distance);
      const near = byDistance.find((p) => p.distance >= 1) ?? byDistance[0];
      const far = byDistance.at(-1)!;
      const factor = near.norm / Math.max(far.norm, Number.MIN_VALUE);
      const how =
        factor > 10
          ? `${exp1(factor)}배 작아집니다`
          : factor < 0.1
            ? `오히려 ${exp1(1 / factor)}배 커집니다`
            : `크게 바뀌지 않습니다 (${f2(1 / factor)}배)`;
      return `${c.name}: 거리 ${near.distance}에서 ${exp1(near.norm)}, 거리 ${far.distance}에서 ${exp1(far.norm)}로 ${how}`;
    });
  return parts.length ? `‖∂h_T/∂h_t‖ — ${parts.join("; ")}.` : "";
}

export interface RecallRow {
  name: string;
  lag: number;
  accuracy: number;
}

/** Up to which lag each model recalls the first symbol (accuracy ≥ threshold), and where it fails. */
export function describeRecall(
  rows: RecallRow[],
  c: {chance: number; threshold?: number; epochs: number; examples: number}
): string {
  const threshold = c.threshold ?? 0.9;
  const names = [...new Set(rows.map((r) => r.name))];
  const reach = new Map<string, number>();
  const parts = names.map((name) => {
    const own = rows.filter((r) => r.name === name).sort((a, b) => a.lag - b.lag);
    const firstFail = own.find((r) => r.accuracy < threshold);
    const passed = own.filter((r) => r.accuracy >= threshold && (!firstFail || r.lag < firstFail.lag));
    reach.set(name, passed.length ? passed.at(-1)!.lag : 0);
    if (!firstFail)
      return `${withParticle(name, "은/는")} 잰 모든 lag (최대 ${own.at(-1)!.lag})에서 ${pct(threshold)} 이상`;
    const start = passed.length ? `lag ${passed.at(-1)!.lag}까지 ${pct(threshold)} 이상, ` : "";
    const nearChance = firstFail.accuracy < c.chance * 1.5 ? ", 찍기와 비슷" : "";
    return `${withParticle(name, "은/는")} ${start}lag ${firstFail.lag}에서 ${pct(firstFail.accuracy)}${nearChance}`;
  });
  const cond = `(예제 ${c.examples.toLocaleString("en-US")}개, ${c.epochs} epoch, 찍기 ${pct(c.chance)})`;
  let verdict = "";
  if (names.length === 2) {
    const [a, b] = names;
    const [ra, rb] = [reach.get(a)!, reach.get(b)!];
    verdict =
      ra === rb
        ? ` 이번 실행에서는 두 모델이 같은 lag까지 기억했습니다: 이 학습량에서는 차이가 드러나지 않았습니다.`
        : ` 이번 실행에서는 ${withParticle(ra > rb ? a : b, "이/가")} 더 긴 lag까지 기억했습니다.`;
  }
  return `${parts.join("; ")} ${cond}.${verdict}`;
}

export interface TimingRow {
  length: number;
  rnnMs: number;
  attentionMs: number;
}

/** How each time grows with the length, and at which lengths attention is the slower one. */
export function describeTiming(rows: TimingRow[], backend: string): string {
  if (rows.length < 2) return "";
  const sorted = [...rows].sort((a, b) => a.length - b.length);
  const [first, last] = [sorted[0], sorted.at(-1)!];
  const growth = (a: number, b: number) => (a > 0 ? `${f2(b / a)}배` : "—");
  const slower = sorted.filter((r) => r.attentionMs > r.rnnMs).map((r) => r.length);
  const faster = sorted.filter((r) => r.attentionMs <= r.rnnMs).map((r) => r.length);
  const head =
    `${backend} backend에서 길이가 ${first.length}에서 ${last.length}로 ${growth(first.length, last.length)} 되는 동안, ` +
    `RNN의 시간은 ${f3(first.rnnMs)} → ${f3(last.rnnMs)} ms (${growth(first.rnnMs, last.rnnMs)}), ` +
    `self-attention은 ${f3(first.attentionMs)} → ${f3(last.attentionMs)} ms (${growth(first.attentionMs, last.attentionMs)})입니다.`;
  const where =
    slower.length === 0
      ? ` 잰 모든 길이에서 attention이 더 빨랐습니다.`
      : faster.length === 0
        ? ` 잰 모든 길이에서 attention이 더 느렸습니다: 이 기기에서는 T² 크기의 점수 행렬을 만드는 일이 T번의 순서 대기보다 비쌉니다.`
        : ` attention이 더 빠른 길이는 ${faster.join(", ")}, 더 느린 길이는 ${slower.join(", ")}입니다` +
          (Math.min(...slower) > Math.max(...faster)
            ? `: 길이가 길어지면 T²으로 커지는 점수 행렬이 순서 대기의 이점을 넘어섭니다.`
            : ".");
  return head + where;
}
