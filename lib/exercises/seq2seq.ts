/**
 * The exercises of chapter 5 「Seq2Seq」 (section 연습): each with its question, its answer computed here, a checker
 * whose feedback names the usual mistakes, and the worked steps 풀이 보기 shows. The page renders them with
 * src/components/seq2seq/exercises.ts (numbered 연습 1.–3.; a question's $…$ parts are typeset by KaTeX);
 * tests/unit/exercises/seq2seq.test.ts checks each checker right and wrong and each answer against an independent count (a hand count of the tokens, TF.js layers' `countParams()`).
 *
 *   sourceTokensExercise   how many tokens the encoder reads for one English date (one token per digit)
 *   encoderParamsExercise  the encoder LSTM's parameters for an embedding size and units
 *   outputLayerExercise    the decoder's output layer W s_t + b over the target vocabulary
 *   checkTeacherForcing    the live-cell exercise: the decoder's input and labels under teacher forcing
 */
import {sourceTokens} from "../data/dates.js";
import {withParticle} from "../korean.js";
import {checkNumber, formatAnswer, type CheckResult, type NumberExerciseSpec} from "./check.js";

const n = formatAnswer;

/** How many source tokens one English date is: words, one token per digit, each punctuation mark. */
export function sourceTokensExercise(text = "Sun, Nov 29, 2026"): NumberExerciseSpec {
  const tokens = sourceTokens(text);
  const expected = tokens.length;
  const words = text.split(/\s+/).filter(Boolean).length;
  const digits = tokens.filter((t) => /^\d$/.test(t)).length;
  const numbers = text.match(/\d+/g)?.length ?? 0;
  const punctuation = tokens.filter((t) => /^[,/-]$/.test(t)).length;
  return {
    id: "source-tokens",
    question: `입력 ${withParticle(`"${text}"`, "을/를")} encoder는 토큰 몇 개로 읽을까요? (낱말 하나, 숫자 한 자리, 문장부호 하나가 각각 토큰입니다.)`,
    label: "토큰",
    unit: "개",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        explain: `토큰은 ${tokens.map((t) => `「${t}」`).join(" ")}입니다. 숫자는 한 자리씩 읽어서, 처음 보는 연도도 아는 토큰으로 읽힙니다.`,
        hints: [
          {value: words, message: "띄어쓰기로 나눈 낱말 수입니다. 숫자는 한 자리가 토큰 하나이고, 쉼표도 토큰입니다."},
          {
            value: expected - digits + numbers,
            message: "숫자를 통째로 토큰 하나로 셌습니다. 이 과제의 vocabulary는 숫자를 한 자리씩 읽습니다."
          },
          {value: expected - punctuation, message: "문장부호를 빠뜨렸습니다: 쉼표 하나도 토큰 하나입니다."},
          {value: text.replace(/\s/g, "").length, message: "글자 수입니다. 낱말(sun, nov)은 통째로 토큰 하나입니다."}
        ]
      }),
    steps: [
      `낱말은 소문자로 바꿔 하나씩: ${tokens.filter((t) => /^[a-z]+$/.test(t)).join(", ") || "없음"}`,
      `숫자는 한 자리씩: ${digits}개`,
      `문장부호 하나씩: ${punctuation}개`,
      `모두 ${tokens.map((t) => `「${t}」`).join(" ")} = ${expected}개`
    ]
  };
}

/** Parameters of the encoder LSTM that reads embedding vectors of size e with u units: 4u(e + u + 1). */
export function encoderParamsExercise(e = 32, u = 128): NumberExerciseSpec {
  const expected = 4 * u * (e + u + 1);
  return {
    id: "encoder-params",
    question: `embedding 크기 $e = ${e}$의 벡터를 읽는 encoder LSTM (units $u = ${u}$)의 파라미터 수는? (embedding 층은 빼고, 입력은 30 토큰입니다.)`,
    label: "파라미터",
    unit: "개",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        explain: `4u(e + u + 1): LSTM의 게이트 4개가 각각 W_x (e×u), W_h (u×u), b (u)를 가집니다. 입력 길이는 들어가지 않습니다.`,
        hints: [
          {value: 4 * u * (e + u), message: "bias를 빠뜨렸습니다: 게이트마다 b가 u개 있습니다 (+1)."},
          {value: u * (e + u + 1), message: "게이트 하나(SimpleRNN)의 수입니다. LSTM은 게이트가 4개라 4배입니다."},
          {value: 3 * u * (e + u + 1), message: "GRU(게이트 3개)의 수입니다. LSTM은 4개입니다."},
          {value: 30 * 4 * u * (e + u + 1), message: "입력 길이를 곱했습니다: 모든 time step이 같은 가중치를 씁니다."},
          {
            value: 4 * u * (1 + u + 1),
            message: "입력 크기를 1로 셌습니다: encoder가 읽는 것은 토큰 번호가 아니라 e차원 embedding입니다."
          }
        ]
      }),
    steps: [
      `게이트 하나: W_x (${e}×${u}) + W_h (${u}×${u}) + b (${u}) = ${n(e * u)} + ${n(u * u)} + ${u} = ${n(u * (e + u + 1))}`,
      `LSTM은 게이트 4개: 4 × ${n(u * (e + u + 1))} = ${n(expected)}`,
      `입력 길이(30)는 들어가지 않습니다: encoder는 같은 가중치로 토큰을 하나씩 읽습니다.`
    ]
  };
}

/** The decoder's output layer p(y_t | …) = softmax(W s_t + b) over a target vocabulary of V tokens: uV + V. */
export function outputLayerExercise(vocab: number, u = 128): NumberExerciseSpec {
  const expected = u * vocab + vocab;
  return {
    id: "output-layer",
    question: `decoder의 출력 층 $\\mathrm{softmax}(W s_t + b)$는 units $u = ${u}$인 $s_t$를 출력 vocabulary의 토큰 ${vocab}개 (PAD, START, END, UNK 포함) 각각의 점수로 바꿉니다. $W$와 $b$의 파라미터 수는?`,
    label: "파라미터",
    unit: "개",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        explain: `W는 ${vocab}×${u}, b는 ${vocab}개: 토큰마다 점수 하나.`,
        hints: [
          {value: u * vocab, message: "b를 빠뜨렸습니다: 토큰마다 bias가 하나 있습니다."},
          {value: u + vocab, message: "W는 행렬입니다: 토큰마다 u개의 가중치가 있습니다 (곱하기)."},
          {value: u * u + u, message: "출력의 크기는 units가 아니라 vocabulary의 크기입니다."}
        ]
      }),
    steps: [`W: 토큰 ${vocab}개 × units ${u} = ${n(u * vocab)}`, `b: 토큰마다 하나, ${vocab}개`, `합: ${n(expected)}`]
  };
}

/** The live-cell exercise's expected value: the decoder's input and its labels under teacher forcing. */
export function teacherForcingPair(
  target: readonly string[],
  start: string,
  end: string
): {input: string[]; output: string[]} {
  return {input: [start, ...target], output: [...target, end]};
}

const same = (a: unknown, b: readonly string[]) =>
  Array.isArray(a) && a.length === b.length && a.every((v, i) => v === b[i]);

/** Judge the reader's `{input, output}`: the decoder reads START y_1 … y_n and must predict y_1 … y_n END. */
export function checkTeacherForcing(
  value: unknown,
  target: readonly string[],
  start: string,
  end: string
): CheckResult {
  const want = teacherForcingPair(target, start, end);
  if (!value || typeof value !== "object" || !("input" in value) || !("output" in value)) {
    return {ok: false, message: "셀의 마지막 값이 {input, output} 객체여야 합니다 (토큰 배열 두 개)."};
  }
  const {input, output} = value as {input: unknown; output: unknown};
  if (same(input, want.input) && same(output, want.output)) {
    return {
      ok: true,
      message: `step t에서 decoder는 정답의 t−1번째 토큰 (${want.input[1] ?? ""} …)을 읽고 t번째를 맞힙니다: 입력과 정답이 한 칸 어긋납니다.`
    };
  }
  if (same(input, target) && same(output, target)) {
    return {
      ok: false,
      message: "입력과 정답이 같으면 decoder는 읽은 토큰을 베끼기만 하면 됩니다. 한 칸 밀어야 합니다."
    };
  }
  if (same(input, want.output) && same(output, want.input)) {
    return {ok: false, message: "input과 output이 바뀌었습니다: decoder는 START로 시작해 END를 맞히며 끝납니다."};
  }
  if (!same(input, want.input)) {
    if (same(input, target))
      return {ok: false, message: `input이 ${start}로 시작해야 합니다: 첫 step에는 앞 토큰이 없습니다.`};
    if (same(input, [start, ...target, end]))
      return {
        ok: false,
        message: `input에 ${end}가 있습니다: 마지막 토큰 다음을 맞히는 것이 ${end}라, 입력에는 들어가지 않습니다.`
      };
    return {
      ok: false,
      message: `input이 다릅니다: ${want.input.length}개 토큰이어야 합니다 (지금 ${Array.isArray(input) ? input.length : "배열 아님"}).`
    };
  }
  if (same(output, target))
    return {ok: false, message: `output이 ${end}로 끝나야 합니다: 그래야 decoder가 멈출 때를 배웁니다.`};
  return {ok: false, message: `output이 다릅니다: y_1 … y_n 다음에 ${end}, ${want.output.length}개 토큰이어야 합니다.`};
}

export function teacherForcingSolution(target: readonly string[], start: string, end: string): string[] {
  const want = teacherForcingPair(target, start, end);
  return [
    `const input = [${JSON.stringify(start)}, ...y];   // 첫 step은 START, 그다음은 정답의 앞 토큰`,
    `const output = [...y, ${JSON.stringify(end)}];    // 같은 자리의 정답: 한 칸 앞, 끝에 END`,
    `input = ${want.input.join(" ")}`,
    `output = ${want.output.join(" ")}`
  ];
}
