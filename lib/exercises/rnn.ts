/**
 * The exercises of chapter 4 「RNN」 (section 연습): each with its question, its answer computed here, a checker
 * whose feedback explains (the usual mistakes named) and the worked steps 풀이 보기 shows. The page renders them with
 * src/components/rnn/exercises.ts; tests/unit/exercises/rnn.test.ts checks each checker right and wrong and each
 * answer against an independent count (TF.js layers' `countParams()`, `tf.layers.simpleRNN`).
 */
import {checkNumber, formatAnswer, type CheckResult} from "./check.js";
import type {NumberExerciseSpec} from "./check.js";

export type {NumberExerciseSpec};

const n = formatAnswer;
const r4 = (x: number) => x.toFixed(4);

/** Parameters of one LSTM layer, d inputs and u units: four gates, each W_x [d, u], W_h [u, u] and b [u]. */
export function lstmParamsExercise(d = 8, u = 32): NumberExerciseSpec {
  const expected = 4 * u * (d + u + 1);
  return {
    id: "lstm-params",
    question: `입력 크기 d = ${d}, units u = ${u}인 LSTM 층 하나의 파라미터 수는? (시퀀스 길이는 100입니다.)`,
    label: "파라미터",
    unit: "개",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        explain: `게이트 4개 × u(d + u + 1). 시퀀스 길이는 답에 들어가지 않습니다: 모든 time step이 같은 가중치를 씁니다.`,
        hints: [
          {value: 4 * u * (d + u), message: "bias를 빠뜨렸습니다: 게이트마다 b가 u개 있습니다 (+1)."},
          {value: u * (d + u + 1), message: "SimpleRNN 하나의 수입니다. LSTM은 게이트가 4개(i, f, c̃, o)라 4배입니다."},
          {value: 3 * u * (d + u + 1), message: "GRU(게이트 3개)의 수입니다. LSTM은 4개입니다."},
          {
            value: 4 * u * (d + u + 2),
            message: "bias를 두 벌(b_ih, b_hh) 세는 것은 PyTorch의 LSTM입니다. TF.js·Keras는 한 벌입니다."
          },
          {
            value: 100 * 4 * u * (d + u + 1),
            message: "시퀀스 길이를 곱했습니다: 가중치는 모든 time step이 함께 씁니다."
          },
          {value: 4 * (d * u + u), message: "W_hh (u × u)를 빠뜨렸습니다: 은닉 상태에서 오는 가중치입니다."}
        ]
      }),
    steps: [
      `게이트 하나: W_x (${d}×${u}) + W_h (${u}×${u}) + b (${u}) = ${n(d * u)} + ${n(u * u)} + ${u} = ${n(u * (d + u + 1))}`,
      `LSTM은 게이트 4개(input, forget, cell 후보, output): 4 × ${n(u * (d + u + 1))} = ${n(expected)}`,
      `시퀀스 길이(100)는 들어가지 않습니다: 같은 가중치를 time step마다 다시 씁니다.`
    ]
  };
}

export interface ScalarRnn {
  wx: number;
  wh: number;
  b: number;
}

/** Hidden states h_1…h_T of a one-unit SimpleRNN from h_0 (plain arithmetic, the reference of the exercises). */
export function scalarRnn(xs: number[], w: ScalarRnn, h0 = 0): number[] {
  const hs: number[] = [];
  let h = h0;
  for (const x of xs) {
    h = Math.tanh(w.wx * x + w.wh * h + w.b);
    hs.push(h);
  }
  return hs;
}

/** The hidden state after two steps of a one-unit SimpleRNN, by hand. */
export function hiddenStepExercise(
  xs: [number, number] = [1, -0.5],
  w: ScalarRnn = {wx: 0.8, wh: 1.5, b: 0.1}
): NumberExerciseSpec {
  const [x1, x2] = xs;
  const pre1 = w.wx * x1 + w.b;
  const h1 = Math.tanh(pre1);
  const pre2 = w.wx * x2 + w.wh * h1 + w.b;
  const expected = Math.tanh(pre2);
  const tolerance = 5e-3;
  return {
    id: "hidden-step",
    question:
      `은닉 상태가 하나인 RNN: h_t = tanh(${w.wx}·x_t + ${w.wh}·h_{t−1} + ${w.b}), h_0 = 0. ` +
      `입력이 x_1 = ${x1}, x_2 = ${x2}일 때 h_2는? (소수 셋째 자리까지)`,
    label: "h_2 =",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        tolerance,
        explain: `h_1 = tanh(${r4(pre1)}) = ${r4(h1)}, 그리고 h_2 = tanh(${r4(pre2)}).`,
        hints: [
          {value: pre2, message: "둘째 time step에서 tanh를 빠뜨렸습니다: 그 값은 pre-activation입니다."},
          {
            value: Math.tanh(w.wx * x2 + w.b),
            message: "h_1을 쓰지 않았습니다: 둘째 time step은 W_hh·h_1을 더합니다. 그것이 순환입니다."
          },
          {
            value: Math.tanh(w.wx * x2 + w.wh * pre1 + w.b),
            message: "h_1에 tanh를 빠뜨렸습니다: 다음 time step으로 넘어가는 것은 tanh를 지난 h_1입니다."
          },
          {value: h1, message: "그것은 h_1입니다. 한 time step 더 가야 합니다."}
        ]
      }),
    steps: [
      `h_1 = tanh(${w.wx}·${x1} + ${w.wh}·0 + ${w.b}) = tanh(${r4(pre1)}) = ${r4(h1)}`,
      `h_2 = tanh(${w.wx}·${x2} + ${w.wh}·${r4(h1)} + ${w.b}) = tanh(${r4(pre2)}) = ${r4(expected)}`,
      `둘째 time step에서 x_2 항(${r4(w.wx * x2)})은 음수지만, h_1을 거쳐 온 항(${r4(w.wh * h1)})이 더 커서 h_2의 부호를 정합니다.`
    ]
  };
}

/** The live-cell exercise: the reader's loop must return every h_t of the given one-unit RNN. */
export const RECURRENCE_CELL = {
  xs: [0.5, -1, 2, 0, 1],
  w: {wx: 0.7, wh: 0.9, b: -0.2} as ScalarRnn
};

export function checkHiddenSequence(
  value: unknown,
  xs = RECURRENCE_CELL.xs,
  w: ScalarRnn = RECURRENCE_CELL.w
): CheckResult {
  const expected = scalarRnn(xs, w);
  if (!Array.isArray(value) || !value.every((v) => typeof v === "number")) {
    return {ok: false, message: "셀의 마지막 값이 숫자 배열(h_1 … h_T)이어야 합니다."};
  }
  if (value.length !== expected.length) {
    return {
      ok: false,
      message: `h_1 … h_${expected.length}, 곧 ${expected.length}개 값이어야 합니다 (지금 ${value.length}개).`
    };
  }
  const close = (a: number[]) => a.every((v, i) => Math.abs(v - (value as number[])[i]) <= 1e-6);
  if (close(expected)) {
    return {ok: true, message: `h = [${expected.map(r4).join(", ")}]: 모든 time step에서 같은 wx, wh, b를 썼습니다.`};
  }
  const noCarry = xs.map((x) => Math.tanh(w.wx * x + w.b));
  if (close(noCarry)) {
    return {
      ok: false,
      message:
        "h가 time step 사이에 전달되지 않았습니다: 매번 h_{t−1} = 0으로 계산한 값입니다. 반복문 밖의 h를 갱신하세요."
    };
  }
  let h = 0;
  const noTanh = xs.map((x) => (h = w.wx * x + w.wh * h + w.b));
  if (close(noTanh)) return {ok: false, message: "tanh를 빠뜨렸습니다: 선형 점화식이 되어 값이 커집니다."};
  const first = expected.findIndex((v, i) => Math.abs(v - (value as number[])[i]) > 1e-6);
  return {ok: false, message: `h_${first + 1}부터 다릅니다 (답 ${r4(expected[first])}). 공식을 다시 따라가 보세요.`};
}

export function hiddenSequenceSolution(xs = RECURRENCE_CELL.xs, w: ScalarRnn = RECURRENCE_CELL.w): string[] {
  const hs = scalarRnn(xs, w);
  return [
    "let h = 0; const hs = [];",
    `for (const x of xs) { h = Math.tanh(${w.wx} * x + ${w.wh} * h + (${w.b})); hs.push(h); }`,
    `hs = [${hs.map(r4).join(", ")}]`
  ];
}

export const RNN_EXERCISES = {
  lstmParams: lstmParamsExercise(),
  hiddenStep: hiddenStepExercise()
};
