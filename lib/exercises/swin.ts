/**
 * The exercises of chapter 8's second page 「Swin Transformer」 (src/swin.md, section 연습): the questions the Swin
 * reference repository's issue tracker keeps asking, each with its answer computed by lib/analysis/swin.ts, a
 * checker whose feedback names the usual mistakes, and the worked steps 풀이 보기 shows.
 * tests/unit/exercises/swin.test.ts checks each checker right and wrong and each answer against a hand count.
 */
import {withParticle} from "../korean.js";
import {checkNumber, formatAnswer, type NumberExerciseSpec} from "./check.js";
import {msaCost, relativePositionIndex, shiftedWindowMask, SWIN_MASK_VALUE, wmsaCost} from "../analysis/swin.js";

const MASK_TEXT = `\u2212${Math.abs(SWIN_MASK_VALUE)}`;

export type {NumberExerciseSpec};

const n = formatAnswer;

/** The row of the relative position bias table for patches i = (ri, ci) and j = (rj, cj) of an M×M window. */
export function relativeIndexExercise(
  m = 7,
  i: [number, number] = [1, 5],
  j: [number, number] = [4, 2]
): NumberExerciseSpec {
  const [ri, ci] = i;
  const [rj, cj] = j;
  const dr = ri - rj;
  const dc = ci - cj;
  const expected = relativePositionIndex(m)[ri * m + ci][rj * m + cj];
  const side = 2 * m - 1;
  return {
    id: "relative-index",
    question:
      `M = ${m}인 window에서 query patch i = (행 ${ri}, 열 ${ci})와 key patch j = (행 ${rj}, 열 ${cj}) (0부터 셈)의 ` +
      `relative position bias는 (2M − 1)² = ${side * side}칸 표의 몇 번째 칸(0부터 셈)을 읽을까요? ` +
      `(Swin의 식: (Δ행 + M − 1)·(2M − 1) + (Δ열 + M − 1), Δ = i − j)`,
    label: "표의 칸",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        explain: `Δ행 = ${dr}, Δ열 = ${dc}: (${dr} + ${m - 1})·${side} + (${dc} + ${m - 1}) = ${expected}. 같은 (Δ행, Δ열)의 쌍은 모두 이 칸을 같이 씁니다.`,
        hints: [
          {
            value: (-dr + m - 1) * side + (-dc + m - 1),
            message: "j − i로 계산했습니다: Swin은 query i에서 key j를 뺀 Δ = i − j를 씁니다."
          },
          {
            value: dr * side + dc,
            message: "M − 1을 더하지 않았습니다: Δ는 −(M − 1)…M − 1이라 음수가 되지 않게 옮깁니다."
          },
          {value: (dr + m - 1) * m + (dc + m - 1), message: "한 행의 칸 수는 M이 아니라 2M − 1입니다."},
          {value: (dc + m - 1) * side + (dr + m - 1), message: "행과 열을 바꿨습니다: 행의 차이에 2M − 1을 곱합니다."}
        ]
      }),
    steps: [
      `Δ행 = ${ri} − ${rj} = ${dr}, Δ열 = ${ci} − ${cj} = ${dc} (각각 −${m - 1}…${m - 1})`,
      `M − 1 = ${withParticle(String(m - 1), "을/를")} 더해 0…${2 * m - 2}로: ${dr + m - 1}, ${dc + m - 1}`,
      `한 행에 2M − 1 = ${side}칸: ${dr + m - 1} · ${side} + ${dc + m - 1} = ${expected}`
    ]
  };
}

/** Windows of a stage: an image of `size`² pixels, patches of P, windows of M×M patches. */
export function windowCountExercise(size = 224, patch = 4, m = 7): NumberExerciseSpec {
  const h = size / patch;
  const perSide = h / m;
  const expected = perSide * perSide;
  return {
    id: "window-count",
    question:
      `${size}×${size} 이미지를 ${patch}×${patch} 픽셀 patch로 나누고 (Swin-T의 stage 1), ${m}×${m} patch의 window로 ` +
      `나누면 window는 몇 개일까요? shifted window 블록에서 cyclic shift를 쓰면 몇 개일까요? (같은 답)`,
    label: "window",
    unit: "개",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        explain: `${h}×${h} patch, 한 변에 ${h} / ${m} = ${perSide}개: ${perSide}² = ${expected}. cyclic shift 덕분에 shifted window 블록도 같은 수, 같은 크기입니다.`,
        hints: [
          {value: perSide, message: "한 변의 window 수만 셌습니다: 가로와 세로를 곱하세요."},
          {value: (h * h) / m, message: "patch 수를 M으로 나눴습니다: window 하나는 M² patch입니다."},
          {
            value: (perSide + 1) ** 2,
            message: "cyclic shift 없이 경계만 옮긴 경우입니다: cyclic shift 뒤에는 원래 수로 돌아옵니다."
          },
          {value: ((size / m) * size) / m, message: "픽셀을 M으로 나눴습니다: 먼저 patch (P×P 픽셀)로 나누세요."}
        ]
      }),
    steps: [
      `patch: ${size} / ${patch} = ${h}, 곧 ${h}×${h} patch`,
      `한 변의 window: ${h} / ${m} = ${perSide}`,
      `window: ${perSide} × ${perSide} = ${expected} (cyclic shift 뒤에도 ${expected}개)`
    ]
  };
}

/** Ω(W-MSA) of one layer at h×w patches, C channels and M×M windows, and how many times Ω(MSA) is larger. */
export function wmsaExercise(h = 56, c = 96, m = 7): NumberExerciseSpec {
  const expected = wmsaCost(h, h, c, m);
  const hw = h * h;
  return {
    id: "wmsa-cost",
    question:
      `h = w = ${h}, C = ${c}, M = ${m}일 때 (Swin-T의 stage 1) 논문의 식 Ω(W-MSA) = 4hwC² + 2M²hwC의 값은? ` +
      `(같은 층의 global attention Ω(MSA)와 비교해 보세요)`,
    label: "Ω(W-MSA)",
    unit: "multiply-add",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        explain: `4·${n(hw)}·${n(c * c)} = ${n(4 * hw * c * c)} (Q, K, V, 출력 투영) + 2·${m * m}·${n(hw)}·${c} = ${n(2 * m * m * hw * c)} (window 안의 QKᵀ와 가중합). global attention은 ${n(msaCost(h, h, c))}로 ${(msaCost(h, h, c) / expected).toFixed(1)}배입니다.`,
        hints: [
          {
            value: msaCost(h, h, c),
            message: "Ω(MSA), global attention의 값입니다: 둘째 항에 (hw)² 대신 M²·hw를 씁니다."
          },
          {value: 2 * m * m * hw * c, message: "첫째 항 4hwC² (Q, K, V와 출력 투영)를 빠뜨렸습니다."},
          {value: 4 * hw * c * c, message: "둘째 항 2M²hwC (window 안의 QKᵀ와 가중합)를 빠뜨렸습니다."},
          {value: 4 * hw * c * c + 2 * m * hw * c, message: "M² 대신 M을 썼습니다: window 하나에 M² patch가 있습니다."}
        ]
      }),
    steps: [
      `hw = ${h}·${h} = ${n(hw)}`,
      `4hwC² = 4 · ${n(hw)} · ${n(c * c)} = ${n(4 * hw * c * c)}`,
      `2M²hwC = 2 · ${m * m} · ${n(hw)} · ${c} = ${n(2 * m * m * hw * c)}`,
      `합: ${n(expected)} (Ω(MSA) = ${n(msaCost(h, h, c))})`
    ]
  };
}

/** Blocked pairs (−100) in the mask of the last window (bottom right) of an h×h grid, M×M windows, shift s. */
export function maskExercise(h = 12, m = 6, s = 3): NumberExerciseSpec {
  const mask = shiftedWindowMask(h, h, m, s);
  const last = mask.at(-1)!;
  const expected = last.flat().filter((v) => v === SWIN_MASK_VALUE).length;
  const n2 = m * m;
  // the last window holds four regions of (M − s)², (M − s)s, s(M − s), s² patches
  const sizes = [(m - s) ** 2, (m - s) * s, s * (m - s), s * s];
  const same = sizes.reduce((a, k) => a + k * k, 0);
  return {
    id: "mask-count",
    question:
      `${h}×${h} patch, M = ${m}, shift s = ${s}일 때 cyclic shift 뒤 오른쪽 아래 window의 mask (${n2}×${n2})에서 ` +
      `${MASK_TEXT}인 칸은 몇 개일까요? (그 window에는 크기 (M − s)², (M − s)s, s(M − s), s²인 region 넷이 있습니다)`,
    label: `${MASK_TEXT}인 칸`,
    unit: "개",
    expected,
    check: (v) =>
      checkNumber(v, expected, {
        explain: `모든 쌍 ${n2}² = ${n2 * n2}에서 같은 region 안의 쌍 ${sizes.map((k) => `${k}²`).join(" + ")} = ${withParticle(String(same), "을/를")} 빼면 ${expected}.`,
        hints: [
          {value: same, message: "같은 region 안의 쌍 (0인 칸)을 셌습니다: −100은 region이 다른 쌍입니다."},
          {value: expected / 2, message: "(i, j)와 (j, i)를 한 번만 셌습니다: mask는 대칭이고 두 칸 모두 −100입니다."},
          {value: 0, message: "마지막 window에는 이미지의 반대쪽에서 넘어온 region이 섞여 있습니다: mask가 필요합니다."}
        ]
      }),
    steps: [
      `region 크기: ${sizes.join(", ")} (합 ${n2})`,
      `같은 region 안의 쌍 (0): ${sizes.map((k) => `${k}²`).join(" + ")} = ${same}`,
      `다른 region의 쌍 (${MASK_TEXT}): ${n2}² − ${same} = ${expected}`
    ]
  };
}

export const SWIN_EXERCISES = {
  relativeIndex: relativeIndexExercise(),
  windowCount: windowCountExercise(),
  wmsa: wmsaExercise(),
  mask: maskExercise()
};
