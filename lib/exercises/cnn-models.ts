/**
 * The exercises of chapter 3 「CNN Model 비교」 (section 연습), each with its question, its answer computed here,
 * a checker whose feedback explains (right or wrong, with the usual mistakes named) and the worked steps that
 * 풀이 보기 shows. The page renders them with src/components/shared/exercise.ts; tests/unit/exercises/ checks each
 * checker with a right and a wrong answer and each answer against an independent count (TF.js layers, the models).
 */
import type {NumberExerciseSpec} from "./check.js";
import {checkNumber, formatAnswer, type CheckResult} from "./check.js";

const n = formatAnswer;

/** Receptive field (one side) of L stacked k×k convolutions with stride 1: r = 1 + L(k − 1). */
export function rfStackExercise(layers = 4, k = 3): NumberExerciseSpec {
  const expected = 1 + layers * (k - 1);
  const steps = [`r₀ = 1 (입력의 한 칸)`];
  for (let l = 1; l <= layers; l++) steps.push(`층 ${l}: r${l} = r${l - 1} + (${k} − 1) = ${1 + l * (k - 1)}`);
  steps.push(`그래서 ${layers}층이면 ${expected}×${expected}입니다 (stride 1이면 층마다 k − 1 = ${k - 1}칸씩 넓어짐).`);
  return {
    id: "rf-stack",
    question: `${k}×${k} conv (stride 1, padding 있음)를 ${layers}층 쌓았습니다. 마지막 층의 한 칸이 보는 입력 영역(receptive field)의 한 변은?`,
    label: "한 변",
    unit: "칸",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        explain: `층마다 ${k - 1}칸씩: 1 + ${layers}·(${k} − 1).`,
        hints: [
          {
            value: layers * k,
            message: "층마다 k를 더하면 이웃한 창이 겹치는 칸을 두 번 셉니다. 층마다 k − 1씩 늘어납니다."
          },
          {value: layers * (k - 1), message: "출발점인 입력 한 칸(1)을 빠뜨렸습니다: r = 1 + L(k − 1)."},
          {value: k ** layers, message: "곱하면 stride가 k일 때의 값입니다. stride 1에서는 더합니다."}
        ]
      }),
    steps
  };
}

/** Parameters (with biases) saved by two 3×3 convolutions instead of one 5×5, C channels in and out. */
export function vggParamsExercise(c = 128): NumberExerciseSpec {
  const two = 2 * (3 * 3 * c * c + c);
  const one = 5 * 5 * c * c + c;
  const expected = one - two;
  return {
    id: "vgg-params",
    question: `입력·출력 채널이 C = ${c}일 때, 5×5 conv 한 층 대신 3×3 conv 두 층을 쓰면 파라미터(bias 포함)가 몇 개 줄어드나요?`,
    label: "줄어드는 파라미터",
    unit: "개",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        explain: `(25C² + C) − 2(9C² + C) = 7C² − C.`,
        hints: [
          {value: 7 * c * c, message: "bias를 빠뜨렸습니다: 두 층이면 bias도 두 벌(2C), 한 층이면 C입니다."},
          {value: two, message: "그것은 3×3 두 층의 파라미터 수입니다. 물은 것은 차이입니다."},
          {value: one, message: "그것은 5×5 한 층의 파라미터 수입니다. 물은 것은 차이입니다."},
          {value: 25 * c * c - 9 * c * c, message: "3×3 한 층만 뺐습니다. 같은 영역을 보려면 두 층입니다."}
        ]
      }),
    steps: [
      `5×5 한 층: 5·5·C·C + C = ${n(25 * c * c)} + ${n(c)} = ${n(one)}`,
      `3×3 두 층: 2·(3·3·C·C + C) = 2·(${n(9 * c * c)} + ${n(c)}) = ${n(two)}`,
      `차이: ${n(one)} − ${n(two)} = ${n(expected)} (= 7C² − C, 5×5의 ${((100 * expected) / one).toFixed(0)}%)`
    ]
  };
}

/** Convolution weights of a bottleneck block (1×1 reduce, 3×3, 1×1 expand; no biases, BatchNorm not counted). */
export function bottleneckExercise(channels = 256, width = 64): NumberExerciseSpec {
  const w1 = channels * width;
  const w2 = 3 * 3 * width * width;
  const w3 = width * channels;
  const expected = w1 + w2 + w3;
  const bn = 2 * (width + width + channels);
  const basic = 2 * 3 * 3 * channels * channels;
  return {
    id: "bottleneck",
    question:
      `ResNet-50의 bottleneck block: ${channels}채널 입력 → 1×1 conv ${width} → 3×3 conv ${width} → 1×1 conv ${channels} ` +
      `(conv에 bias 없음, identity shortcut). 세 conv의 가중치는 모두 몇 개인가요? (BatchNorm 제외)`,
    label: "가중치",
    unit: "개",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        explain: `1×1로 채널을 ${width}개로 줄인 뒤 3×3을 계산하므로 3×3의 몫이 작습니다.`,
        hints: [
          {value: expected + bn, message: "BatchNorm의 γ, β까지 셌습니다. 물은 것은 conv의 가중치입니다."},
          {
            value: basic,
            message: `그것은 ${channels}채널 3×3 conv 두 층(basic block)의 수입니다. bottleneck은 1×1로 줄였다 늘립니다.`
          },
          {value: w2, message: "3×3 conv만 셌습니다. 두 1×1 conv도 가중치가 있습니다."}
        ]
      }),
    steps: [
      `1×1, ${channels} → ${width}: 1·1·${channels}·${width} = ${n(w1)}`,
      `3×3, ${width} → ${width}: 3·3·${width}·${width} = ${n(w2)}`,
      `1×1, ${width} → ${channels}: 1·1·${width}·${channels} = ${n(w3)}`,
      `합: ${n(expected)} (같은 채널의 3×3 두 층이면 ${n(basic)}개, ${(basic / expected).toFixed(1)}배)`
    ]
  };
}

/** Output length of a valid, stride-1 conv1d of k taps at dilation d on T steps: T − (k − 1)d. */
export function dilatedLengthExercise(length = 120, k = 3, dilation = 4): NumberExerciseSpec {
  const span = 1 + (k - 1) * dilation;
  const expected = length - span + 1;
  return {
    id: "dilated-length",
    question:
      `길이 T = ${length}인 시계열에 커널 k = ${k}, dilation d = ${dilation}인 conv1d를 stride 1, padding 없이 ("valid") ` +
      `적용합니다. 출력의 길이는?`,
    label: "출력 길이",
    unit: "개",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        explain: `커널이 덮는 범위는 (k − 1)d + 1 = ${span}칸이고, 그 창이 놓일 자리가 T − ${span} + 1개입니다.`,
        hints: [
          {
            value: length - k + 1,
            message: "dilation을 빠뜨렸습니다: 칸 사이가 d씩 벌어져 커널이 (k − 1)d + 1칸을 덮습니다."
          },
          {value: length - k * dilation + 1, message: "커널이 덮는 범위는 k·d가 아니라 (k − 1)d + 1칸입니다."},
          {value: length, message: '그것은 padding "same"의 출력 길이입니다. valid는 가장자리에서 줄어듭니다.'}
        ]
      }),
    steps: [
      `커널이 덮는 범위: (k − 1)·d + 1 = (${k} − 1)·${dilation} + 1 = ${span}`,
      `출력 길이: T − ${span} + 1 = ${length} − ${span} + 1 = ${expected}`
    ]
  };
}

/** Gain of a kernel at a period p (in steps): |Σ_u w[u] e^{−2πiu/p}|. 0 means the cycle is removed. */
export function periodGain(kernel: number[], period: number): number {
  let re = 0;
  let im = 0;
  kernel.forEach((w, u) => {
    re += w * Math.cos((2 * Math.PI * u) / period);
    im -= w * Math.sin((2 * Math.PI * u) / period);
  });
  return Math.hypot(re, im);
}

/** The periods of a yearly cycle of monthly data and its harmonics: 12, 6, 4, 3, 2.4, 2 months. */
export const SEASONAL_PERIODS = [12, 6, 4, 3, 2.4, 2];

/**
 * A live cell's kernel that removes a 12-month cycle (with its harmonics) and keeps the level: Σw = 1 and no gain
 * at the periods 12, 6, 4, 3, 2.4 and 2 months.
 */
export function checkDeseasonKernel(value: unknown, tolerance = 0.01): CheckResult {
  if (!Array.isArray(value) || value.length === 0)
    return {ok: false, message: "셀의 마지막 값이 커널(숫자 배열)이어야 합니다. 예: [0.5, 0.5]"};
  if (value.length > 60 || !value.every((w) => typeof w === "number" && Number.isFinite(w)))
    return {ok: false, message: "커널은 유한한 숫자 60개 이하의 배열이어야 합니다."};
  const kernel = value as number[];
  const sum = kernel.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > tolerance)
    return {
      ok: false,
      message: `가중치의 합이 ${formatAnswer(sum)}입니다: 일정한 수준(추세)이 ${formatAnswer(sum)}배가 됩니다. 합이 1이어야 수준이 그대로 남습니다.`
    };
  const gains = SEASONAL_PERIODS.map((p) => ({p, gain: periodGain(kernel, p)}));
  const left = gains.filter((g) => g.gain > tolerance);
  if (left.length > 0)
    return {
      ok: false,
      message:
        `수준은 그대로지만 계절 성분이 남습니다: ` +
        left.map((g) => `주기 ${formatAnswer(g.p)}개월이 ${(100 * g.gain).toFixed(0)}%`).join(", ") +
        ` 남습니다. 한 해(12개월)를 고르게 덮어 보세요.`
    };
  return {
    ok: true,
    message: `가중치의 합 ${formatAnswer(sum)}, 주기 ${SEASONAL_PERIODS.join(", ")}개월의 성분이 모두 ${100 * tolerance}% 아래로 지워집니다.`
  };
}

/** The worked answer of the kernel exercise: the 12-month moving average, with its gains. */
export function deseasonSolution(): {kernel: number[]; steps: string[]} {
  const kernel = Array.from({length: 12}, () => 1 / 12);
  return {
    kernel,
    steps: [
      "const w = Array(12).fill(1 / 12); w;  // 12개월 이동 평균",
      `가중치의 합: ${formatAnswer(kernel.reduce((a, b) => a + b, 0))} (수준 유지)`,
      ...SEASONAL_PERIODS.map((p) => {
        const gain = periodGain(kernel, p);
        // a float sum of exactly cancelling terms leaves ~1e-17: that is zero, said so
        return `주기 ${formatAnswer(p)}개월의 남는 비율: ${gain < 1e-9 ? "0 (나머지는 부동소수점 오차)" : gain.toExponential(1)}`;
      }),
      "한 해의 모든 달에 같은 무게를 주면 어떤 12개월 주기의 오르내림도 합이 0이 됩니다."
    ]
  };
}

/** The number exercises of the page, in order. */
export const CNN_MODELS_EXERCISES = {
  rfStack: rfStackExercise(),
  vggParams: vggParamsExercise(),
  bottleneck: bottleneckExercise(),
  dilatedLength: dilatedLengthExercise()
};

export type {NumberExerciseSpec};
