/**
 * The exercises of chapter 7 「Transformer」 (section 연습): each with its question, its answer computed here, a checker
 * whose feedback names the usual mistakes, and the worked steps 풀이 보기 shows. The page renders them with
 * src/components/transformer/exercises.ts; tests/unit/exercises/transformer.test.ts checks each checker right and
 * wrong and each answer against an independent count (a real `TransformerEncoderLayer`'s `countParams()`, the
 * library's positional encoding, LayerNorm).
 */
import {checkNumber, formatAnswer, type CheckResult, type NumberExerciseSpec} from "./check.js";
import {encoderLayerParams, sequentialSteps} from "../viz/transformer.js";

export type {NumberExerciseSpec};

const n = formatAnswer;
const r4 = (x: number) => x.toFixed(4);

/** Parameters of one encoder layer (attention, feed-forward, two LayerNorms) for d_model, heads and d_ff. */
export function encoderParamsExercise(d = 256, heads = 4, dff = 1024): NumberExerciseSpec {
  const p = encoderLayerParams(d, dff);
  const expected = p.total;
  return {
    id: "encoder-params",
    question:
      `d_model = ${d}, head ${heads}개, d_ff = ${dff}인 encoder 층 하나 (post-norm, PyTorch의 nn.TransformerEncoderLayer) ` +
      `의 파라미터 수는? (attention의 W_Q, W_K, W_V, W_O와 bias, feed-forward 두 층, LayerNorm 두 개)`,
    label: "파라미터",
    unit: "개",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        explain: `attention ${n(p.attention)} + feed-forward ${n(p.feedForward)} + LayerNorm ${n(p.norms)}. head 수는 답에 들어가지 않습니다.`,
        hints: [
          {value: expected - p.norms, message: "LayerNorm 두 개의 γ와 β (2 × 2d)를 빠뜨렸습니다."},
          {
            value: expected - 4 * d - d - dff,
            message: "bias를 모두 빠뜨렸습니다 (attention 4d, feed-forward d_ff + d)."
          },
          {
            value: heads * 4 * d * d + 4 * d + p.feedForward + p.norms,
            message:
              "head마다 d × d 행렬을 세었습니다: head 하나는 d/h 열만 씁니다. head를 나눠도 W_Q 전체는 d × d입니다."
          },
          {value: p.attention + p.norms, message: "feed-forward (2·d·d_ff + d_ff + d)를 빠뜨렸습니다."},
          {value: 3 * d * d + 3 * d + p.feedForward + p.norms, message: "출력 투영 W_O (d × d + d)를 빠뜨렸습니다."},
          {value: expected - p.norms / 2, message: "LayerNorm을 하나만 세었습니다: 하위 층마다 하나, 모두 둘입니다."}
        ]
      }),
    steps: [
      `attention: W_Q, W_K, W_V, W_O 각 ${d} × ${d}와 bias ${d}: 4·${n(d * d)} + 4·${d} = ${n(p.attention)} (head 수와 무관)`,
      `feed-forward: ${d} × ${dff} + ${dff} + ${dff} × ${d} + ${d} = ${n(p.feedForward)}`,
      `LayerNorm 두 개: 2 × (γ ${d} + β ${d}) = ${n(p.norms)}`,
      `합: ${n(p.attention)} + ${n(p.feedForward)} + ${n(p.norms)} = ${n(expected)}`
    ]
  };
}

/** PE(pos, k) by the paper's formula (k even: sin, odd: cos, both with the exponent 2i/d of k = 2i or 2i + 1). */
export function positionalValue(pos: number, k: number, d: number): number {
  const i2 = k - (k % 2);
  const angle = pos / Math.pow(10000, i2 / d);
  return k % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
}

/** One value of the sinusoidal encoding by hand. */
export function positionalExercise(pos = 7, k = 5, d = 16): NumberExerciseSpec {
  const expected = positionalValue(pos, k, d);
  const i2 = k - (k % 2);
  const angle = pos / Math.pow(10000, i2 / d);
  const tolerance = 5e-3;
  const other = k % 2 === 0 ? Math.cos(angle) : Math.sin(angle);
  return {
    id: "pe-value",
    question: `d_model = ${d}일 때 positional encoding PE(pos = ${pos}, 차원 k = ${k} (0부터 셈))의 값은? (소수 셋째 자리까지)`,
    label: `PE(${pos}, ${k}) =`,
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        tolerance,
        explain: `${k}은 ${k % 2 ? "홀수라 cos" : "짝수라 sin"}, 2i = ${i2}: 각도 ${pos} / 10000^(${i2}/${d}) = ${r4(angle)}.`,
        hints: [
          {value: other, message: `${k % 2 ? "sin" : "cos"}을 썼습니다: 짝수 차원은 sin, 홀수 차원은 cos입니다.`},
          {
            value: (k % 2 ? Math.cos : Math.sin)(pos / Math.pow(10000, k / d)),
            message: `지수에 k/d = ${k}/${d}를 썼습니다: sin과 cos 한 쌍(2i, 2i + 1)은 같은 지수 2i/d = ${i2}/${d}를 씁니다.`
          },
          {
            value: (k % 2 ? Math.cos : Math.sin)((angle * Math.PI) / 180),
            message: "각도를 도(degree)로 계산했습니다: 라디안입니다."
          },
          {value: angle, message: "각도 자체입니다: sin 또는 cos을 씌우세요."}
        ]
      }),
    steps: [
      `차원 ${k} = 2i${k % 2 ? " + 1" : ""}, 곧 2i = ${i2}: ${k % 2 ? "cos" : "sin"}을 씁니다.`,
      `각도 = pos / 10000^(2i/d) = ${pos} / 10000^(${i2}/${d}) = ${pos} / ${r4(Math.pow(10000, i2 / d))} = ${r4(angle)}`,
      `${k % 2 ? "cos" : "sin"}(${r4(angle)}) = ${r4(expected)}`
    ]
  };
}

/** Sequential steps of one teacher-forced batch: LSTM encoder–decoder against a Transformer. */
export function sequentialExercise(sourceLength = 20, targetLength = 24, layers = 6): NumberExerciseSpec {
  const rnn = sequentialSteps({kind: "rnn", sourceLength, targetLength});
  const tr = sequentialSteps({kind: "transformer", encoderLayers: layers, decoderLayers: layers});
  const expected = rnn - tr;
  return {
    id: "sequential-steps",
    question:
      `source ${sourceLength}토큰, decoder 입력 ${targetLength}토큰인 batch 하나를 teacher forcing으로 순전파합니다. ` +
      `LSTM encoder–decoder와 encoder · decoder가 ${layers}층씩인 Transformer에서, 차례로 기다려야 하는 단계 수의 차이는? (LSTM − Transformer)`,
    label: "단계 수의 차이",
    unit: "개",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        explain: `LSTM은 위치마다 한 단계 (${sourceLength} + ${targetLength} = ${rnn}), Transformer는 층마다 한 단계 (${layers} + ${layers} = ${tr}).`,
        hints: [
          {
            value: sourceLength - tr,
            message: "LSTM decoder의 단계를 빠뜨렸습니다: teacher forcing에서도 decoder RNN은 한 칸씩 갑니다."
          },
          {
            value: rnn - layers,
            message: "Transformer의 decoder 층을 빠뜨렸습니다: encoder 다음에 decoder 층들도 차례로 계산합니다."
          },
          {
            value: rnn - 1,
            message: "Transformer를 한 단계로 세었습니다: 위치는 한꺼번에, 그러나 층은 차례로 계산합니다."
          },
          {
            value: sourceLength * targetLength - tr,
            message: "S × T는 attention score의 수입니다: 한 번에 계산하는 행렬 하나입니다."
          }
        ]
      }),
    steps: [
      `LSTM: h_t에 h_{t−1}이 필요합니다. encoder ${sourceLength}칸, 그다음 decoder ${targetLength}칸: ${rnn}단계`,
      `Transformer: 한 층이 모든 위치를 한 번의 행렬 곱으로 계산합니다. 층은 차례로: ${layers} + ${layers} = ${tr}단계`,
      `차이: ${rnn} − ${tr} = ${expected} (추론의 greedy decoding은 Transformer도 토큰마다 한 번씩 돌립니다)`
    ]
  };
}

// ---- the live cell: Add & Norm by hand --------------------------------------------------------------------------

/** The vector x and a sub-layer's output f(x) of the live cell; γ = 1, β = 0, ε = 1e-5. */
export const ADD_NORM_CELL = {
  x: [1, -2, 0.5, 3],
  fx: [0.2, 0.4, -1.2, 0.6],
  eps: 1e-5
};

/** LayerNorm over a vector: (v − mean) / √(var + ε), biased variance (PyTorch, TF.js). */
export function layerNormVector(v: number[], eps = ADD_NORM_CELL.eps): number[] {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
  return v.map((x) => (x - mean) / Math.sqrt(variance + eps));
}

/** The post-norm Add & Norm of the cell: LayerNorm(x + f(x)). */
export function addNorm(x = ADD_NORM_CELL.x, fx = ADD_NORM_CELL.fx, eps = ADD_NORM_CELL.eps): number[] {
  return layerNormVector(
    x.map((xi, i) => xi + fx[i]),
    eps
  );
}

export function checkAddNorm(value: unknown, x = ADD_NORM_CELL.x, fx = ADD_NORM_CELL.fx): CheckResult {
  const expected = addNorm(x, fx);
  if (!Array.isArray(value) || !value.every((v) => typeof v === "number")) {
    return {ok: false, message: "셀의 마지막 값이 숫자 배열이어야 합니다 (LayerNorm(x + f(x)))."};
  }
  if (value.length !== expected.length) {
    return {ok: false, message: `x와 같은 ${expected.length}개 값이어야 합니다 (지금 ${value.length}개).`};
  }
  const close = (a: number[]) => a.every((v, i) => Math.abs(v - (value as number[])[i]) <= 1e-4);
  if (close(expected)) {
    return {
      ok: true,
      message: `[${expected.map(r4).join(", ")}]: 더한 뒤 정규화해서, 평균 0, 표준편차 1이 되었습니다.`
    };
  }
  if (close(layerNormVector(fx))) {
    return {ok: false, message: "f(x)만 정규화했습니다: Add, 곧 입력 x를 먼저 더해야 합니다 (shortcut)."};
  }
  const sum = x.map((xi, i) => xi + fx[i]);
  if (close(sum)) return {ok: false, message: "더하기만 했습니다: 그 결과를 LayerNorm으로 정규화해야 합니다."};
  const mean = sum.reduce((a, b) => a + b, 0) / sum.length;
  const unbiased = Math.sqrt(sum.reduce((a, b) => a + (b - mean) ** 2, 0) / (sum.length - 1) + ADD_NORM_CELL.eps);
  if (close(sum.map((s) => (s - mean) / unbiased))) {
    return {ok: false, message: "분산을 n − 1로 나누었습니다: LayerNorm은 n으로 나눕니다 (biased)."};
  }
  const variance = sum.reduce((a, b) => a + (b - mean) ** 2, 0) / sum.length;
  if (close(sum.map((s) => (s - mean) / (variance + ADD_NORM_CELL.eps)))) {
    return {ok: false, message: "분산으로 나누었습니다: 표준편차(분산의 제곱근)로 나눕니다."};
  }
  const first = expected.findIndex((v, i) => Math.abs(v - (value as number[])[i]) > 1e-4);
  return {ok: false, message: `${first}번째 값부터 다릅니다 (답 ${r4(expected[first])}). 공식을 다시 따라가 보세요.`};
}

export function addNormSolution(x = ADD_NORM_CELL.x, fx = ADD_NORM_CELL.fx): string[] {
  const sum = x.map((xi, i) => xi + fx[i]);
  const mean = sum.reduce((a, b) => a + b, 0) / sum.length;
  const variance = sum.reduce((a, b) => a + (b - mean) ** 2, 0) / sum.length;
  return [
    `Add: x + f(x) = [${sum.map((v) => +v.toFixed(4)).join(", ")}]`,
    `평균 ${r4(mean)}, 분산 (n으로 나눔) ${r4(variance)}`,
    `Norm: (v − 평균) / √(분산 + ε) = [${addNorm(x, fx).map(r4).join(", ")}]`
  ];
}

export const TRANSFORMER_EXERCISES = {
  encoderParams: encoderParamsExercise(),
  positional: positionalExercise(),
  sequential: sequentialExercise()
};
