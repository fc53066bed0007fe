/**
 * Claim C5 (a CNN learns from the spatial arrangement of pixels; an MLP ignores it) on the kit's experiment panel:
 * one fixed pixel permutation applied to every image, an MLP and a CNN trained on original and on permuted MNIST.
 * The experiment and its sentence are lib/train/permutation.ts; this file loads the data and draws.
 */
import {tf} from "../../lib/tf.js";
import {inversePermutation, permutePixels, pixelPermutation} from "../../lib/ops/permute.js";
import {
  PERMUTATION_SETTINGS,
  runPermutationExperiment,
  summarisePermutation,
  type PermutationSettings
} from "../../lib/train/permutation.js";
import {loadDigits} from "../shared/digits.js";
import {experimentPanel} from "../shared/experiment-panel.js";
import {imshowOf, panels} from "../shared/imshow.js";
import {permutationChart} from "./charts.js";

const CHOICES: {key: keyof typeof PERMUTATION_SETTINGS; label: string}[] = [
  {key: "standard", label: "기본"},
  {key: "quick", label: "빠르게"}
];

const describeBudget = (s: PermutationSettings) =>
  `학습 ${s.examples.toLocaleString()}장 · 테스트 ${s.testCount.toLocaleString()}장`;

/** One test digit: original, permuted, and permuted back with the inverse permutation. */
export function permutationPreview(xs: tf.Tensor4D, perm: Int32Array, label: number): HTMLElement {
  const one = () => xs.slice([0, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D;
  return panels(
    imshowOf(() => one().squeeze([0]), {width: 112, caption: `원본 (${label})`}),
    imshowOf(() => permutePixels(one(), perm).squeeze([0]), {
      width: 112,
      caption: "픽셀 섞음 (모든 이미지에 같은 순서)"
    }),
    imshowOf(() => permutePixels(permutePixels(one(), perm), inversePermutation(perm)).squeeze([0]), {
      width: 112,
      caption: "역순열로 되돌림"
    })
  );
}

export function permutationPanel({invalidation}: {invalidation?: Promise<unknown>} = {}): HTMLElement {
  const select = document.createElement("select");
  select.setAttribute("aria-label", "픽셀 섞기 실험 예산");
  for (const {key, label} of CHOICES) {
    const o = document.createElement("option");
    o.value = key;
    o.textContent = `${label}: ${describeBudget(PERMUTATION_SETTINGS[key])}`;
    select.append(o);
  }
  return experimentPanel({
    claim: "C5",
    action: "실험 시작",
    idle: "버튼을 누르면 MLP와 CNN을 원본과 픽셀을 섞은 MNIST에서 학습합니다 (모델 4개).",
    settings: [select],
    invalidation,
    async run(ctx) {
      const settings = PERMUTATION_SETTINGS[select.value as keyof typeof PERMUTATION_SETTINGS];
      const {train, test} = await loadDigits({
        train: settings.examples,
        test: settings.testCount,
        signal: ctx.signal,
        onProgress: ctx.status
      });
      ctx.defer(() => tf.dispose([train.xs, train.ys, test.xs, test.ys]));
      const [, h, w] = test.xs.shape;
      const perm = pixelPermutation(h * w, settings.permutationSeed);
      const label = tf.tidy(() => (test.ys.slice([0, 0], [1, -1]).argMax(1).dataSync() as Int32Array)[0]);
      ctx.out.append(permutationPreview(test.xs as tf.Tensor4D, perm, label));
      const results = await runPermutationExperiment({train, test}, settings, {
        signal: ctx.signal,
        controller: ctx.controller,
        onProgress: (p) => {
          ctx.progress(p.fraction);
          if (p.event.event.type === "batch") {
            const e = p.event.event;
            ctx.status(`${p.data} · ${p.event.name} 학습 중: batch ${e.batch + 1}/${e.batches}`);
          }
        }
      });
      const summary = summarisePermutation(results, settings);
      const note = document.createElement("p");
      note.className = "result-note";
      note.dataset.testid = "permutation-summary";
      note.textContent = summary.sentence;
      ctx.out.append(permutationChart(results, {width: Math.min(ctx.out.clientWidth || 640, 760)}), note);
      ctx.status("끝났습니다.");
    }
  });
}
