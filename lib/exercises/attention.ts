/**
 * The exercises of chapter 6 「Attention」, first half (section 연습): each with its question, its answer computed
 * here, a checker whose feedback explains (the usual mistakes named) and the worked steps 풀이 보기 shows. The page
 * renders them with src/components/attention/exercises.ts; tests/unit/exercises/attention.test.ts checks each checker
 * right and wrong and each answer against numbers worked out by hand.
 *
 * The arithmetic is the notes' attention process in plain numbers (Luong et al. 2015, "dot" score):
 *   score_s = h_t · h̄_s,   a_s = exp(score_s) / Σ_s' exp(score_s'),   output = Σ_s a_s h̄_s
 */
import {checkNumber, formatAnswer, type CheckResult, type NumberExerciseSpec} from "./check.js";

export type {NumberExerciseSpec};

const r4 = (x: number) => x.toFixed(4);
const vec = (v: readonly number[]) => `[${v.join(", ")}]`;

/** Softmax of a score vector (the max subtracted first, as every library does, so large scores do not overflow). */
export function softmax(scores: readonly number[]): number[] {
  if (!scores.length) throw new RangeError("softmax of an empty vector");
  const max = Math.max(...scores);
  const e = scores.map((s) => Math.exp(s - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

/** Dot-product scores of one query against each key: score_s = q · k_s. */
export function dotScores(query: readonly number[], keys: readonly (readonly number[])[]): number[] {
  return keys.map((k) => {
    if (k.length !== query.length) throw new RangeError(`key of size ${k.length}, query of size ${query.length}`);
    return k.reduce((sum, kj, j) => sum + kj * query[j], 0);
  });
}

/** Σ_s a_s v_s: the attention output of weights over value vectors. */
export function weightedSum(weights: readonly number[], values: readonly (readonly number[])[]): number[] {
  if (weights.length !== values.length) throw new RangeError(`${weights.length} weights for ${values.length} values`);
  const out = new Array<number>(values[0]?.length ?? 0).fill(0);
  values.forEach((v, s) => v.forEach((x, j) => (out[j] += weights[s] * x)));
  return out;
}

/** The whole process for one query: scores, weights and the attention output (keys = values, as in the notes). */
export function attend(query: readonly number[], states: readonly (readonly number[])[]) {
  const scores = dotScores(query, states);
  const weights = softmax(scores);
  return {scores, weights, output: weightedSum(weights, states)};
}

/** Exercise 1: the attention 가중치 of the first position, from a score vector. */
export function softmaxWeightExercise(scores: readonly number[] = [2, 0.5, -1]): NumberExerciseSpec {
  const weights = softmax(scores);
  const expected = weights[0];
  const exps = scores.map(Math.exp);
  const sumExp = exps.reduce((a, b) => a + b, 0);
  const sum = scores.reduce((a, b) => a + b, 0);
  return {
    id: "softmax-weight",
    question:
      `한 decoder time step의 attention score가 ${vec(scores)}입니다 (입력 위치 ${scores.length}개). ` +
      `첫째 위치의 attention 가중치 a_1은? (소수 셋째 자리까지)`,
    label: "a_1 =",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        tolerance: 5e-3,
        explain: `a = softmax(score) = [${weights.map(r4).join(", ")}]: 합이 1이고, score가 가장 큰 위치가 가장 큰 가중치를 받습니다.`,
        hints: [
          {
            value: scores[0] / sum,
            message: "score를 그 합으로 나눴습니다: softmax는 exp를 먼저 취합니다 (음수 score도 양의 가중치가 됩니다)."
          },
          {
            value: 1,
            message: "가장 큰 score에 1을 주는 것은 argmax입니다. softmax는 다른 위치에도 가중치를 조금씩 남깁니다."
          },
          {value: exps[0], message: "exp(score_1)에서 멈췄습니다: 모든 위치의 exp의 합으로 나눠야 합이 1이 됩니다."}
        ]
      }),
    steps: [
      `exp(score) = [${exps.map(r4).join(", ")}]`,
      `합 = ${r4(sumExp)}`,
      `a_1 = ${r4(exps[0])} / ${r4(sumExp)} = ${r4(expected)} (나머지: ${weights.slice(1).map(r4).join(", ")}; 모두 더하면 1)`
    ]
  };
}

/** Exercise 2: one component of the attention output, from the encoder states and the weights. */
export function attentionOutputExercise(
  states: readonly (readonly number[])[] = [
    [1, 0],
    [0, 2],
    [3, 1]
  ],
  weights: readonly number[] = [0.5, 0.3, 0.2]
): NumberExerciseSpec {
  const output = weightedSum(weights, states);
  const expected = output[1];
  const mean = states.reduce((s, h) => s + h[1], 0) / states.length;
  const argmax = weights.indexOf(Math.max(...weights));
  return {
    id: "attention-output",
    question:
      `encoder 은닉 상태가 h̄_1 = ${vec(states[0])}, h̄_2 = ${vec(states[1])}, h̄_3 = ${vec(states[2])}이고, ` +
      `attention 가중치가 ${vec(weights)}입니다. attention output의 둘째 성분은?`,
    label: "둘째 성분 =",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        tolerance: 1e-6,
        explain: `attention output = Σ a_s h̄_s = ${vec(output.map((x) => Number(r4(x))))}: 가중치가 큰 상태가 더 많이 섞입니다.`,
        hints: [
          {value: mean, message: "가중치 없이 평균을 냈습니다: 상태마다 자기 가중치 a_s를 곱해서 더합니다."},
          {
            value: states[argmax][1],
            message: "가중치가 가장 큰 상태 하나만 골랐습니다: attention output은 모든 상태의 가중합입니다."
          },
          {
            value: weights.reduce((s, a) => s + a, 0) * states.reduce((s, h) => s + h[1], 0),
            message: "가중치의 합(1)과 상태의 합을 곱했습니다: 위치마다 짝을 맞춰 곱한 뒤 더합니다."
          }
        ]
      }),
    steps: [
      `둘째 성분만: ${weights.map((a, s) => `${a}·${states[s][1]}`).join(" + ")}`,
      `= ${weights.map((a, s) => r4(a * states[s][1])).join(" + ")} = ${r4(expected)}`,
      `첫째 성분도 같은 방법으로 ${r4(output[0])}입니다.`
    ]
  };
}

/** Exercise 3: how many attention scores one translation computes: one per (output step, source position). */
export function scoreCountExercise(sourceTokens = 24, outputTokens = 14): NumberExerciseSpec {
  const expected = sourceTokens * outputTokens;
  return {
    id: "score-count",
    question:
      `입력이 토큰 ${sourceTokens}개이고 번역이 토큰 ${outputTokens}개일 때 (끝 토큰 포함), ` +
      `decoder가 번역 하나를 만드는 동안 계산하는 attention score는 모두 몇 개입니까?`,
    label: "score",
    unit: "개",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        explain: `출력 time step마다 입력 위치 ${sourceTokens}개의 score를 새로 계산합니다: T × S 행렬, 아래 heatmap의 칸 수입니다.`,
        hints: [
          {value: sourceTokens, message: "한 time step의 score 수입니다. decoder는 출력 토큰마다 다시 계산합니다."},
          {value: outputTokens, message: "출력 time step 수입니다. time step마다 입력 위치 수만큼 score가 있습니다."},
          {
            value: sourceTokens + outputTokens,
            message: "더하지 않고 곱합니다: 출력 time step과 입력 위치의 모든 쌍입니다."
          },
          {
            value: sourceTokens * sourceTokens,
            message: "S × S는 입력끼리의 score, 곧 다음 절의 self-attention입니다. 여기서는 출력 × 입력입니다."
          }
        ]
      }),
    steps: [
      `time step 하나: score_s = h_t · h̄_s를 입력 위치 s = 1…${sourceTokens}마다 → ${sourceTokens}개`,
      `출력 time step t = 1…${outputTokens}마다 되풀이 → ${outputTokens} × ${sourceTokens} = ${formatAnswer(expected)}개`
    ]
  };
}

/** Exercise 4 (live cell): the reader completes the process for a query and three encoder states. */
export const ATTEND_CELL = {
  query: [1, 0.5],
  states: [
    [0.2, 1],
    [1, 0],
    [-0.5, 0.5]
  ]
};

export function checkAttentionOutput(
  value: unknown,
  query: readonly number[] = ATTEND_CELL.query,
  states: readonly (readonly number[])[] = ATTEND_CELL.states
): CheckResult {
  const {scores, weights, output} = attend(query, states);
  const isVector = (v: unknown): v is number[] =>
    Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isFinite(x));
  if (!isVector(value)) return {ok: false, message: "셀의 마지막 값이 숫자 배열(attention output)이어야 합니다."};
  const close = (a: readonly number[]) =>
    a.length === value.length && a.every((x, i) => Math.abs(x - value[i]) <= 1e-6);
  if (close(output)) {
    return {
      ok: true,
      message: `attention output = [${output.map(r4).join(", ")}] (가중치 [${weights.map(r4).join(", ")}]).`
    };
  }
  if (close(weights))
    return {ok: false, message: "attention 가중치를 돌려줬습니다: 한 단계 더, 상태들의 가중합을 구하세요."};
  if (close(scores)) return {ok: false, message: "attention score를 돌려줬습니다: softmax와 가중합이 남았습니다."};
  if (close(weightedSum([1 / 3, 1 / 3, 1 / 3], states))) {
    return {ok: false, message: "상태들의 평균입니다: 가중치가 모두 1/3이면 query를 전혀 보지 않은 셈입니다."};
  }
  if (close(weightedSum(scores, states))) {
    return {ok: false, message: "score를 그대로 가중치로 썼습니다: softmax를 거쳐야 합이 1인 가중치가 됩니다."};
  }
  if (value.length !== output.length) {
    return {
      ok: false,
      message: `attention output은 상태와 같은 크기(${output.length})의 벡터입니다 (지금 ${value.length}).`
    };
  }
  return {
    ok: false,
    message: `답 [${output.map(r4).join(", ")}]과 다릅니다. score → softmax → 가중합을 다시 따라가 보세요.`
  };
}

export function attentionOutputSolution(
  query: readonly number[] = ATTEND_CELL.query,
  states: readonly (readonly number[])[] = ATTEND_CELL.states
): string[] {
  const {scores, weights, output} = attend(query, states);
  return [
    `score = states.map((h) => h[0] * q[0] + h[1] * q[1]) → [${scores.map(r4).join(", ")}]`,
    `const e = score.map(Math.exp); const sum = e.reduce((a, b) => a + b); a = e.map((x) => x / sum) → [${weights.map(r4).join(", ")}]`,
    `output = [0, 1].map((j) => states.reduce((s, h, i) => s + a[i] * h[j], 0)) → [${output.map(r4).join(", ")}]`
  ];
}

export const ATTENTION_EXERCISES = {
  softmaxWeight: softmaxWeightExercise(),
  attentionOutput: attentionOutputExercise(),
  scoreCount: scoreCountExercise()
};
