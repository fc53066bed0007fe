/**
 * Pure helpers of chapter 5 「Seq2Seq」 (numbers in, layouts and Korean sentences out): what the page's diagrams and
 * result sentences are made of. The page's components (src/components/seq2seq/) call them with a run's own numbers;
 * tests/unit/viz/seq2seq.test.ts checks them on made-up runs, including the outcomes that contradict the notes (no
 * drop with the length, a decoder whose time does not grow).
 *
 *   lengthSpread         the spread of source lengths (a histogram and its quantiles)
 *   tokenRun             where a run of tokens (a year's digits) starts in a token list: the reordering, measured
 *   diagramColumns       which tokens the Seq2Seq diagram draws (all, or the first ones, a gap and the last ones)
 *   describeTranslation  S1: held-out sequence and token accuracy, with the run's conditions
 *   describeBottleneck   S2: sequence and token accuracy on short against long inputs, honest when there is no drop
 *   describeProjection   S1: what the 2-D projection of the context vectors keeps (explained variance)
 *   describeDecodeTimes  greedy decoding time against output length (sequential: one decoder step per token)
 *   taskFacts, describeTask  the task's properties (order, lengths, weekday) measured on generated examples
 */
import {KOREAN_WEEKDAYS, namesWeekday, sourceTokens, targetTokens, type DateExample} from "../data/dates.js";
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
const pct1 = (x: number) => `${(100 * x).toFixed(1)}%`;
const fmt = (n: number) => n.toLocaleString("en-US");

export interface LengthSpread {
  /** Examples per length, every length from min to max (0 where none). */
  counts: {length: number; count: number}[];
  min: number;
  max: number;
  median: number;
  /** 10th and 90th percentile (nearest rank). */
  p10: number;
  p90: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

/** The spread of the lengths: a full histogram and a few quantiles. */
export function lengthSpread(lengths: number[]): LengthSpread {
  if (!lengths.length) return {counts: [], min: 0, max: 0, median: 0, p10: 0, p90: 0};
  const sorted = [...lengths].sort((a, b) => a - b);
  const [min, max] = [sorted[0], sorted.at(-1)!];
  const counts = Array.from({length: max - min + 1}, (_, i) => ({length: min + i, count: 0}));
  for (const l of sorted) counts[l - min].count++;
  return {
    counts,
    min,
    max,
    median: percentile(sorted, 0.5),
    p10: percentile(sorted, 0.1),
    p90: percentile(sorted, 0.9)
  };
}

/** Index where `run` starts in `tokens`, or −1. */
export function tokenRun(tokens: readonly string[], run: readonly string[]): number {
  if (!run.length) return -1;
  outer: for (let i = 0; i + run.length <= tokens.length; i++) {
    for (let j = 0; j < run.length; j++) if (tokens[i + j] !== run[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * Where the year of a date stands in a source and a target token list: its four digits (or, in a two-digit-year
 * source, its last two). Positions are 1-based; 0 when not found.
 */
export function yearPositions(
  sourceTokens: readonly string[],
  targetTokens: readonly string[],
  year: number
): {source: number; target: number; digits: number} {
  const four = String(year).split("");
  let source = tokenRun(sourceTokens, four);
  let digits = 4;
  if (source < 0) {
    source = tokenRun(sourceTokens, four.slice(2));
    digits = 2;
  }
  return {source: source + 1, target: tokenRun(targetTokens, four) + 1, digits};
}

/** The token indices the diagram draws: all when they fit, else the first ones, a gap (null) and the last `tail`. */
export function diagramColumns(n: number, max = 10, tail = 2): (number | null)[] {
  if (n <= max) return Array.from({length: n}, (_, i) => i);
  const head = Math.max(1, max - tail - 1);
  return [...Array.from({length: head}, (_, i) => i), null, ...Array.from({length: tail}, (_, i) => n - tail + i)];
}

/** Bucket starts every `width` tokens from the shortest length up to the longest (S2's x axis). */
export function lengthBuckets(lengths: number[], width = 8): number[] {
  if (!lengths.length) return [];
  let lo = Infinity;
  let hi = -Infinity;
  for (const n of lengths) [lo, hi] = [Math.min(lo, n), Math.max(hi, n)];
  const starts: number[] = [];
  for (let b = lo; b <= hi; b += width) starts.push(b);
  return starts;
}

/** The conditions a result holds under, written the same way in every sentence of the chapter. */
export interface RunConditions {
  units: number;
  embedding: number;
  /** Epochs trained (a fraction when the time budget ended the training inside an epoch). */
  epochs: number;
  /** Training examples. */
  trainExamples: number;
  /** Held-out examples evaluated. */
  testExamples: number;
  /** Most dates in one example. */
  maxDates?: number;
  /** Training time, seconds. */
  seconds?: number;
}

export function describeConditions(c: RunConditions): string {
  const parts = [
    `units ${c.units}`,
    `embedding ${c.embedding}`,
    `학습 예제 ${fmt(c.trainExamples)}개`,
    `${Number.isInteger(c.epochs) ? c.epochs : c.epochs.toFixed(1)} epoch`,
    ...(c.seconds !== undefined ? [`${c.seconds.toFixed(0)}초`] : [])
  ];
  return parts.join(", ");
}

/** S1: how much of the held-out set the greedy decoder translates exactly, and the token accuracy beside it. */
export function describeTranslation(
  r: {sequenceAccuracy: number; tokenAccuracy: number; correct: number; total: number},
  c: RunConditions
): string {
  const head =
    `처음 보는 입력 ${fmt(r.total)}개 중 ${fmt(r.correct)}개 (시퀀스 정확도 ${pct1(r.sequenceAccuracy)})를 ` +
    `토큰 하나 틀림없이 번역했습니다. 토큰 정확도는 ${pct1(r.tokenAccuracy)}입니다 (${describeConditions(c)}).`;
  const gap = r.tokenAccuracy - r.sequenceAccuracy;
  const note =
    r.sequenceAccuracy < 0.05
      ? " 아직 거의 모든 번역에 틀린 토큰이 있습니다: 학습 시간과 최대 epoch을 늘려 보세요."
      : gap > 0.2
        ? ` 토큰은 대부분 맞는데 시퀀스는 그만큼 맞지 않습니다: 한 예에 토큰이 수십 개라, 토큰 하나만 틀려도 그 예는 틀립니다.`
        : "";
  return head + note;
}

export interface LengthBucket {
  /** Bucket start (source tokens). */
  length: number;
  /** Bucket end, inclusive (the next bucket's start − 1, or the longest input). */
  end?: number;
  examples: number;
  sequenceAccuracy: number;
  /** Greedy token accuracy of the bucket's examples (NaN when it has none). */
  tokenAccuracy: number;
}

const range = (b: LengthBucket) => (b.end === undefined ? `${b.length}개 이상` : `${b.length}–${b.end}개`);

/** Why a longer input loses more: the same sentence wherever a run shows it. */
const lossWhy = (units: number) =>
  `크기가 고정된 context vector (units ${units})는 긴 입력일수록 더 많은 것을 잃어, 틀리는 토큰이 늘어납니다`;

/**
 * S2: sequence and token accuracy of the shortest and the longest inputs (the first and last buckets with at least
 * `minExamples` examples), and whether they drop: a drop of at least `dropAtLeast` (absolute) is called one.
 * Sequence accuracy first; when it is near 0 at every length (best bucket below `nothingBelow`, a short training), the
 * token accuracy tells the length's effect, unless it too stays below `learnedAtLeast` everywhere (nothing learned).
 */
export function describeBottleneck(
  buckets: LengthBucket[],
  c: RunConditions,
  opts: {minExamples?: number; dropAtLeast?: number; nothingBelow?: number; learnedAtLeast?: number} = {}
): string {
  const {minExamples = 5, dropAtLeast = 0.1, nothingBelow = 0.05, learnedAtLeast = 0.2} = opts;
  const used = buckets.filter((b) => b.examples >= minExamples).sort((a, b) => a.length - b.length);
  if (used.length < 2) {
    return `길이 구간마다 예제가 ${minExamples}개 이상인 구간이 둘 이상 있어야 비교할 수 있습니다: 평가 예제를 늘려 보세요.`;
  }
  const [short, long] = [used[0], used.at(-1)!];
  const bestSequence = Math.max(...used.map((b) => b.sequenceAccuracy));
  const bestToken = Math.max(...used.map((b) => b.tokenAccuracy));
  const both = (b: LengthBucket) =>
    `시퀀스 정확도 ${pct(b.sequenceAccuracy)}, 토큰 정확도 ${pct(b.tokenAccuracy)} (${fmt(b.examples)}개)`;
  const head =
    `입력 토큰 ${range(short)}에서 ${both(short)}, ${range(long)}에서 ${both(long)}입니다 ` +
    `(held-out greedy decoding; ${describeConditions(c)}).`;
  const drop = short.sequenceAccuracy - long.sequenceAccuracy;
  const tokenDrop = short.tokenAccuracy - long.tokenAccuracy;
  const tokenToo = tokenDrop >= dropAtLeast ? `, 토큰 정확도가 ${pct(tokenDrop)}p` : "";
  if (drop >= dropAtLeast) {
    const ratio =
      long.sequenceAccuracy > 0 ? ` (${(short.sequenceAccuracy / long.sequenceAccuracy).toFixed(1)}배)` : "";
    return (
      `${head} 긴 입력에서 시퀀스 정확도가 ${pct(drop)}p${ratio}${tokenToo} 떨어집니다: ${lossWhy(c.units)}. ` +
      `입력 전체를 context vector 하나에 담은 대가입니다.`
    );
  }
  if (bestSequence < nothingBelow) {
    const zero = `시퀀스 정확도는 모든 길이에서 거의 0 (가장 높은 구간 ${pct(bestSequence)})입니다`;
    if (bestToken < learnedAtLeast) {
      return (
        `${head} ${zero}. 토큰 정확도도 모든 구간에서 ${pct(learnedAtLeast)} 미만 (가장 높은 구간 ${pct(bestToken)})이라, ` +
        `모델이 아직 거의 배우지 못했습니다: 길이의 영향을 말할 수 없습니다. 위 S1의 학습 시간과 최대 epoch을 늘려 보세요.`
      );
    }
    if (tokenDrop >= dropAtLeast) {
      return (
        `${head} ${zero}: 예제마다 토큰이 수십 개라, 하나만 틀려도 그 예는 틀립니다. 그러나 토큰 정확도는 ` +
        `${pct(short.tokenAccuracy)}에서 ${pct(long.tokenAccuracy)}로 ${pct(tokenDrop)}p 떨어집니다: ${lossWhy(c.units)}. ` +
        `병목현상이 토큰 정확도에 먼저 보이는 것입니다 (학습 초기에는 긴 출력의 뒷부분을 아직 덜 배운 몫도 섞여 있습니다: ` +
        `6장의 A1이 attention 모델과 나란히 재어 둘을 가릅니다). 더 오래 학습하면 짧은 입력부터 시퀀스 정확도가 오를 것이라 ` +
        `예상할 수 있습니다: 위 S1의 학습 시간과 최대 epoch을 늘려 다시 재 보세요.`
      );
    }
    if (tokenDrop <= -dropAtLeast) {
      return (
        `${head} ${zero}. 토큰 정확도는 오히려 긴 입력에서 ${pct(-tokenDrop)}p 높습니다: 이 조건에서는 병목현상이 ` +
        `보이지 않습니다. 모델을 더 학습해 보세요.`
      );
    }
    return (
      `${head} ${zero}. 토큰 정확도도 길이에 따라 뚜렷이 (${pct(dropAtLeast)}p 이상) 달라지지 않아, 길이의 영향을 말할 수 ` +
      `없습니다: 모델을 더 학습해 보세요.`
    );
  }
  if (drop <= -dropAtLeast) {
    return `${head} 이번 실행에서는 오히려 긴 입력이 더 잘 맞았습니다: 병목현상이 이 조건에서는 보이지 않습니다.`;
  }
  if (tokenDrop >= dropAtLeast) {
    return (
      `${head} 시퀀스 정확도에는 뚜렷한 하락 (${pct(dropAtLeast)}p 이상)이 없지만, 토큰 정확도는 긴 입력에서 ` +
      `${pct(tokenDrop)}p 떨어집니다: ${lossWhy(c.units)}.`
    );
  }
  return `${head} 이번 실행에서는 길이에 따른 뚜렷한 하락 (${pct(dropAtLeast)}p 이상)이 없습니다: 이 조건에서는 병목현상이 보이지 않습니다.`;
}

/** S1: the projection's axes and how much of the context vectors' variance they keep. */
export function describeProjection(explained: [number, number], n: number, units: number, colorBy: string): string {
  const kept = explained[0] + explained[1];
  return (
    `held-out 입력 ${fmt(n)}개의 context vector (${units}차원)를 주성분 두 개에 투영했습니다: 첫째 축이 분산의 ` +
    `${pct(explained[0])}, 둘째 축이 ${pct(explained[1])}, 합쳐 ${pct(kept)}를 설명합니다. 색은 ${colorBy}입니다.` +
    (kept < 0.5
      ? ` 나머지 ${pct(1 - kept)}는 이 그림에 보이지 않습니다: 두 축만으로는 벡터의 절반도 담지 못합니다.`
      : "")
  );
}

export interface DecodeTime {
  /** Output tokens decoded. */
  length: number;
  /** Milliseconds for the whole batch. */
  ms: number;
}

/** Least-squares slope and intercept of ms against length. */
export function timeFit(rows: DecodeTime[]): {slope: number; intercept: number} {
  const n = rows.length;
  const mx = rows.reduce((s, r) => s + r.length, 0) / n;
  const my = rows.reduce((s, r) => s + r.ms, 0) / n;
  const sxx = rows.reduce((s, r) => s + (r.length - mx) ** 2, 0);
  const sxy = rows.reduce((s, r) => s + (r.length - mx) * (r.ms - my), 0);
  const slope = sxx > 0 ? sxy / sxx : 0;
  return {slope, intercept: my - slope * mx};
}

/** Greedy decoding: how the time grows with the output length (one decoder step per token, in order). */
export function describeDecodeTimes(rows: DecodeTime[], c: {backend: string; batch: number}): string {
  if (rows.length < 2) return "";
  const sorted = [...rows].sort((a, b) => a.length - b.length);
  const [first, last] = [sorted[0], sorted.at(-1)!];
  const {slope} = timeFit(sorted);
  const head =
    `${c.backend} backend에서 입력 ${fmt(c.batch)}개를 한 번에 (batch) 번역할 때, 출력 ${first.length} 토큰에 ` +
    `${first.ms.toFixed(1)} ms, ${last.length} 토큰에 ${last.ms.toFixed(1)} ms가 걸렸습니다 ` +
    `(길이 ${(last.length / first.length).toFixed(1)}배에 시간 ${(last.ms / Math.max(first.ms, 1e-9)).toFixed(1)}배).`;
  // growth: the fitted line rises over the lengths by at least half the shortest time, and the ends agree
  const grows = slope * (last.length - first.length) >= 0.5 * first.ms && last.ms > first.ms * 1.5;
  return grows
    ? `${head} 토큰 하나에 약 ${slope.toFixed(2)} ms씩 늘어납니다: decoder는 앞 토큰이 나와야 다음 step을 계산할 수 있어서, 출력 길이만큼 차례로 돌아야 합니다.`
    : `${head} 이번 측정에서는 시간이 길이에 따라 뚜렷이 늘지 않았습니다 (고정 비용이 크거나, 다른 일이 CPU를 나눠 써서 측정이 흔들린 경우: 다시 재 보세요). 차례로 돌아야 하는 decoder step 수는 그래도 출력 길이와 같습니다.`;
}

/** "월 (첫 날짜)" style labels for the projection's colour choices. */
export const PROJECTION_COLORS = {
  month: "첫 날짜의 월",
  dates: "입력의 날짜 수",
  length: "입력 토큰 수"
} as const;
export type ProjectionColor = keyof typeof PROJECTION_COLORS;

/** A result line for the reader's own input, against the reference parser. */
export function describeOwnInput(r: {
  output: string;
  reference: string | null;
  unknown: string[];
  truncated: boolean;
}): string {
  const unknown = r.unknown.length
    ? ` 모델이 모르는 낱말: ${r.unknown.map((u) => `"${u}"`).join(", ")} (UNK 토큰으로 읽힘).`
    : "";
  const cut = r.truncated ? " 입력이 학습한 최대 길이보다 길어 앞부분이 잘렸습니다." : "";
  if (r.reference === null) {
    return `참조 파서가 이 입력의 정답을 정하지 못해 (위 줄의 이유), 맞는지 판정할 수 없습니다.${unknown}${cut}`;
  }
  return r.output === r.reference
    ? `맞음: 참조 파서의 정답과 같습니다.${unknown}${cut}`
    : `틀림: 정답은 "${r.reference}"입니다.${unknown}${cut}`;
}

export interface TaskFacts {
  examples: number;
  sourceLengths: LengthSpread;
  /** Mean tokens per source and per target (without END). */
  meanSource: number;
  meanTarget: number;
  /** Examples whose source and target have a different number of tokens. */
  lengthDiffers: number;
  /** First dates whose year is not at the start of the source but is the target's first token. */
  yearMoved: number;
  /** Mean 1-based position of the first date's year in the source. */
  meanYearPosition: number;
  /** Dates whose format names the weekday, and how many of their targets carry a Korean weekday. */
  named: {dates: number; withWeekday: number};
  /** Dates whose format does not name it, and how many of their targets (wrongly) carry one. */
  unnamed: {dates: number; withWeekday: number};
}

/** The task's properties (order, length, weekday), measured on generated examples. */
export function taskFacts(examples: DateExample[]): TaskFacts {
  const src = examples.map((e) => sourceTokens(e.source));
  const tgt = examples.map((e) => targetTokens(e.target));
  const years = examples.map((e, i) => yearPositions(src[i], tgt[i], e.dates[0].year));
  const named = {dates: 0, withWeekday: 0};
  const unnamed = {dates: 0, withWeekday: 0};
  examples.forEach((e) => {
    const parts = e.target.split(", ");
    e.formats.forEach((f, j) => {
      const has = KOREAN_WEEKDAYS.some((w) => parts[j]?.endsWith(w));
      const bin = namesWeekday(f) ? named : unnamed;
      bin.dates++;
      if (has) bin.withWeekday++;
    });
  });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  return {
    examples: examples.length,
    sourceLengths: lengthSpread(src.map((s) => s.length)),
    meanSource: mean(src.map((s) => s.length)),
    meanTarget: mean(tgt.map((t) => t.length)),
    lengthDiffers: src.filter((s, i) => s.length !== tgt[i].length).length,
    yearMoved: years.filter((y) => y.source > 1 && y.target === 1).length,
    meanYearPosition: mean(years.map((y) => y.source)),
    named,
    unnamed
  };
}

/** The notes' "어순과 시퀀스 크기가 달라도", checked on the examples: three sentences from `taskFacts`. */
export function describeTask(f: TaskFacts): {order: string; length: string; weekday: string} {
  return {
    order:
      `예제 ${fmt(f.examples)}개 중 ${fmt(f.yearMoved)}개에서 첫 날짜의 연도가 입력의 뒤쪽 ` +
      `(평균 ${f.meanYearPosition.toFixed(1)}번째 토큰)에서 출력의 맨 앞으로 옮겨집니다: 어순이 다릅니다.`,
    length:
      `입력은 ${f.sourceLengths.min}–${f.sourceLengths.max} 토큰 (중앙값 ${f.sourceLengths.median}, 평균 ` +
      `${f.meanSource.toFixed(1)}), 출력은 평균 ${f.meanTarget.toFixed(1)} 토큰이고, ${fmt(f.lengthDiffers)}개 ` +
      `(${pct(f.lengthDiffers / Math.max(1, f.examples))})에서 두 길이가 다릅니다.`,
    weekday:
      `요일을 적은 날짜 ${fmt(f.named.dates)}개 중 ${fmt(f.named.withWeekday)}개의 정답에 요일이 있고, ` +
      `적지 않은 날짜 ${fmt(f.unnamed.dates)}개 중 ${fmt(f.unnamed.withWeekday)}개에 있습니다: ` +
      `요일은 입력이 말할 때만 나옵니다 (모델이 달력을 계산할 필요는 없습니다).`
  };
}
