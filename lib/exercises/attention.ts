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

// Second half: self-attention (claims SA1–SA5). One head's score matrix is Q Kᵀ / √d_k, [T, T]; h heads keep h of
// them, float32 (4 bytes each); the causal mask leaves query i the keys j ≤ i.

/** Exercise 5: how many numbers the score matrices of one self-attention layer hold, T tokens and h heads. */
export function scoreEntriesExercise(tokens = 12, heads = 4): NumberExerciseSpec {
  const expected = heads * tokens * tokens;
  return {
    id: "score-entries",
    question:
      `토큰 ${tokens}개인 문장 하나에 head ${heads}개의 self-attention 층을 적용합니다. ` +
      `이 층이 계산하는 attention score (모든 head의 Q Kᵀ / √d_k 행렬)는 모두 몇 개입니까?`,
    label: "score",
    unit: "개",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        explain: `head마다 T × T = ${tokens} × ${tokens} 행렬이고 head가 ${heads}개입니다: 모든 query와 모든 key의 쌍마다 score 하나.`,
        hints: [
          {value: tokens * tokens, message: "head 하나의 score 수입니다. head마다 자기 Q, K로 따로 계산합니다."},
          {value: heads * tokens, message: "query마다 하나씩 센 셈입니다: query 하나가 key T개 모두와 score를 냅니다."},
          {
            value: (heads * tokens * (tokens + 1)) / 2,
            message:
              "causal mask가 있을 때 남는 score 수입니다. 마스크가 없는 self-attention은 T × T 전부를 계산합니다."
          },
          {value: tokens, message: "토큰 수입니다. score는 토큰의 쌍마다 있습니다."}
        ]
      }),
    steps: [
      `head 하나: Q [${tokens} × d_k] · Kᵀ [d_k × ${tokens}] → [${tokens} × ${tokens}] = ${formatAnswer(tokens * tokens)}개`,
      `head ${heads}개 → ${heads} × ${formatAnswer(tokens * tokens)} = ${formatAnswer(expected)}개`
    ]
  };
}

/** Exercise 6: bytes of the float32 score matrices of one layer for a long input (SA5's quadratic memory). */
export function scoreBytesExercise(tokens = 1024, heads = 8): NumberExerciseSpec {
  const entries = heads * tokens * tokens;
  const expected = 4 * entries;
  return {
    id: "score-bytes",
    question:
      `토큰 ${formatAnswer(tokens)}개, head ${heads}개의 self-attention 층이 float32 (값 하나에 4 byte)로 ` +
      `score 행렬을 만듭니다. 이 행렬들은 모두 몇 byte입니까? (문장 하나, softmax 결과는 빼고)`,
    label: "메모리",
    unit: "byte",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        explain:
          `${heads} × ${formatAnswer(tokens)}² × 4 byte = ${(expected / 2 ** 20).toFixed(0)} MiB. ` +
          `토큰이 두 배면 네 배가 됩니다: 길이의 제곱에 비례합니다.`,
        hints: [
          {value: entries, message: "score의 개수입니다. float32 하나가 4 byte입니다."},
          {value: 4 * tokens * tokens, message: "head 하나의 크기입니다. head마다 score 행렬이 하나씩 있습니다."},
          {value: 8 * entries, message: "float64 (8 byte)로 셌습니다. TF.js는 float32 (4 byte)입니다."},
          {value: 4 * heads * tokens, message: "T²이 아니라 T로 셌습니다: score 행렬은 T × T입니다."}
        ]
      }),
    steps: [
      `score 수: ${heads} × ${formatAnswer(tokens)} × ${formatAnswer(tokens)} = ${formatAnswer(entries)}개`,
      `× 4 byte = ${formatAnswer(expected)} byte = ${(expected / 2 ** 20).toFixed(0)} MiB`
    ]
  };
}

/** Exercise 7: how many attention 가중치 of one head stay non-zero under the causal mask, T tokens. */
export function causalVisibleExercise(tokens = 6): NumberExerciseSpec {
  const expected = (tokens * (tokens + 1)) / 2;
  return {
    id: "causal-visible",
    question:
      `토큰 ${tokens}개에 causal mask를 쓴 self-attention의 head 하나에서, attention 가중치 행렬 ` +
      `(${tokens} × ${tokens}) 중 0이 아닌 칸은 몇 개입니까?`,
    label: "0이 아닌 칸",
    unit: "개",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        explain: `위치 i의 query는 key 1…i를 봅니다 (자기 자신 포함): 1 + 2 + … + ${tokens} = ${expected}. 나머지 ${tokens * tokens - expected}칸은 마스크 때문에 score가 −∞, 가중치가 0입니다.`,
        hints: [
          {value: tokens * tokens, message: "마스크가 없을 때의 칸 수입니다. 뒤쪽 key의 가중치는 0이 됩니다."},
          {
            value: (tokens * (tokens - 1)) / 2,
            message: "대각선을 뺐습니다: 위치 i의 query는 자기 자신 (key i)을 볼 수 있습니다."
          },
          {value: tokens, message: "대각선만 셌습니다: query i는 앞의 key들도 모두 봅니다."}
        ]
      }),
    steps: [
      `행 i (query i)에서 0이 아닌 칸: key 1…i → i개`,
      `${Array.from({length: tokens}, (_, i) => i + 1).join(" + ")} = ${expected}`
    ]
  };
}

export const ATTENTION_EXERCISES = {
  softmaxWeight: softmaxWeightExercise(),
  attentionOutput: attentionOutputExercise(),
  scoreCount: scoreCountExercise(),
  scoreEntries: scoreEntriesExercise(),
  scoreBytes: scoreBytesExercise(),
  causalVisible: causalVisibleExercise()
};
