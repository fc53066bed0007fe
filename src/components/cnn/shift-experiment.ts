/**
 * Claim C2 (position invariance) on the kit's experiment panel: a CNN and an MLP of about the same size train on the
 * same MNIST images, then classify the test images shifted sideways. The training and the result sentence are
 * lib/train/shift-experiment.ts; this file loads the data and draws.
 */
import {runShiftExperiment, SHIFT_SETTINGS, summariseShift} from "../../lib/train/shift-experiment.js";
import {loadDigits} from "../shared/digits.js";
import {experimentPanel} from "../shared/experiment-panel.js";
import {shiftChart} from "./charts.js";

/** The training-set size choice; the page reads its value (`Generators.input`) for its prose. */
export function shiftExamplesSelect(): HTMLSelectElement {
  const select = document.createElement("select");
  select.setAttribute("aria-label", "위치 실험 학습 데이터 수");
  SHIFT_SETTINGS.examples.forEach((n, i) => {
    const o = document.createElement("option");
    o.value = String(n);
    o.textContent = `${n.toLocaleString()}장${i > 0 ? " (빠르게)" : ""}`;
    select.append(o);
  });
  return select;
}

export function shiftPanel({
  select,
  invalidation
}: {
  select: HTMLSelectElement;
  invalidation?: Promise<unknown>;
}): HTMLElement {
  return experimentPanel({
    claim: "C2",
    action: "실험 시작",
    idle: "버튼을 누르면 두 모델을 학습하고 이동한 숫자로 평가합니다.",
    settings: [select],
    invalidation,
    async run(ctx) {
      const {train, test} = await loadDigits({
        train: Number(select.value),
        test: SHIFT_SETTINGS.testCount,
        signal: ctx.signal,
        onProgress: ctx.status
      });
      ctx.defer(() => {
        for (const t of [train.xs, train.ys, test.xs, test.ys]) t.dispose();
      });
      const {rows, params} = await runShiftExperiment({train, test}, SHIFT_SETTINGS, {
        signal: ctx.signal,
        controller: ctx.controller,
        onProgress: (p) => {
          ctx.progress(p.fraction);
          ctx.status(`${p.model} ${p.phase === "train" ? "학습 중" : "이동한 테스트 이미지 평가 중"}…`);
        }
      });
      const summary = summariseShift(rows, params);
      const note = document.createElement("p");
      note.className = "result-note";
      note.dataset.testid = "shift-summary";
      note.textContent =
        `${summary.sentence} (학습 ${train.xs.shape[0].toLocaleString()}장, ${SHIFT_SETTINGS.epochs} epoch, ` +
        `테스트 ${test.xs.shape[0].toLocaleString()}장)`;
      ctx.out.append(shiftChart(rows, {width: Math.min(ctx.out.clientWidth || 640, 760)}), note);
      ctx.status("끝났습니다.");
    }
  });
}
