/**
 * Chapter 8, V3: the small ViT (`TINY_VIT_MODELS.vit`: 16 patches of 7×7, D = 64, 4 blocks) trained in the page on
 * Fashion-MNIST with the chapter's recipe (lib/train/vit-recipe.ts), live curves, test accuracy on a held-out test
 * subset before and after, and the sentence from the run (lib/viz/vit-maps.ts). The model goes to the V3 store when
 * the run starts (the maps show it untrained, on test images) and again when it ends (trained).
 */
import * as Inputs from "@observablehq/inputs";
import {tf} from "../../../lib/tf.js";
import {TINY_VIT_MODELS} from "../../../lib/models/vit.js";
import {evaluate, train} from "../../../lib/train/loop.js";
import {categoricalCrossEntropy} from "../../../lib/train/losses.js";
import {VIT_RECIPE, vitOptimizer} from "../../../lib/train/vit-recipe.js";
import {emptyHistory, lossCurve, pushTrainEvent} from "../../../lib/viz/loss-curve.js";
import {describeTraining, type TrainingSummary} from "../../../lib/viz/vit-maps.js";
import {experimentPanel, tagged, type ExperimentPanel} from "../../shared/experiment-panel.js";
import {loadDigits} from "../../shared/digits.js";
import {el, nextFrame} from "../../shared/dom.js";
import {argMaxRows, ATTENTION_IMAGES, type VitSnapshot, type VitStore} from "./store.js";

/** The seed of the model (the untrained one shown before any run is the same model before its first step). */
export const VIT_SEED = 1;

/** The untrained model the page shows before any run. */
export function untrainedSnapshot(): VitSnapshot {
  return {model: TINY_VIT_MODELS.vit({seed: VIT_SEED}), trained: false};
}

export function vitTrainingPanel({
  store,
  width = 900,
  invalidation
}: {
  store: VitStore;
  width?: number;
  invalidation?: Promise<unknown>;
}): ExperimentPanel {
  const fmt = (n: number) => n.toLocaleString("en-US");
  const imagesInput = Inputs.select([1000, 5000, 10000, 20000, 60000], {
    label: "학습 이미지",
    value: 5000,
    format: fmt
  });
  const epochsInput = Inputs.select([1, 2, 3, 5, 10], {label: "epoch", value: 1});
  const panel = experimentPanel({
    claim: "V3",
    action: "ViT 학습",
    idle: "버튼을 누르면 Fashion-MNIST를 내려받아 (처음 한 번) 작은 ViT를 이 브라우저에서 학습합니다. 기본 설정은 수십 초 걸립니다.",
    settings: [imagesInput, epochsInput],
    // the sentence reports the training time: a pause would count in it
    pausable: false,
    invalidation,
    async run(ctx) {
      const trainImages = imagesInput.value as number;
      const epochs = epochsInput.value as number;
      const data = await loadDigits({
        train: trainImages,
        test: VIT_RECIPE.validationSize,
        set: "fashion",
        signal: ctx.signal,
        onProgress: (text) => ctx.status(text)
      });
      ctx.defer(() => tf.dispose([data.train.xs, data.train.ys, data.test.xs, data.test.ys]));
      const model = TINY_VIT_MODELS.vit({seed: VIT_SEED});
      const optimizer = vitOptimizer();
      ctx.defer(() => optimizer.dispose());
      const shown = Math.min(ATTENTION_IMAGES, data.test.xs.shape[0]);
      const images = tf.tidy(() => data.test.xs.slice(0, shown)) as tf.Tensor4D;
      const labels = tf.tidy(() => argMaxRows(data.test.ys.slice(0, shown)));
      // the store owns the model and the images from here (the next run or leaving the page disposes them)
      store.set({model, trained: false, images, labels});
      const loss = categoricalCrossEntropy({from: "logits"});
      const testImages = data.test.xs.shape[0];
      ctx.status(`학습 전 정확도를 테스트 이미지 ${fmt(testImages)}장으로 재는 중…`);
      await nextFrame();
      const before = (await evaluate(model, data.test, {loss})).accuracy;

      const history = emptyHistory();
      const curves = el("div", "panel-curves");
      const result = el("p", "claim-line vit-train-result");
      ctx.out.append(curves, result);
      const draw = () =>
        curves.replaceChildren(lossCurve(history, {width: Math.max(300, Math.min(width, 960)), epochs, height: 200}));
      draw();
      const batches = Math.ceil(trainImages / VIT_RECIPE.batchSize);
      let seconds = 0;
      let epochsDone = 0;
      let lastDraw = 0;
      let lastValidation = NaN;
      let last = performance.now();
      for await (const e of train({
        model,
        optimizer,
        train: data.train,
        validation: data.test,
        loss,
        epochs,
        batchSize: VIT_RECIPE.batchSize,
        seed: VIT_SEED,
        signal: ctx.signal,
        controller: ctx.controller
      })) {
        const now = performance.now();
        if (e.type === "batch") {
          seconds += (now - last) / 1000;
          ctx.progress((e.epoch * batches + e.batch + 1) / (epochs * batches));
          ctx.status(
            `epoch ${e.epoch + 1}/${epochs}, batch ${e.batch + 1}/${batches}, 초당 ${fmt(Math.round(e.examplesPerSec))}장`
          );
        } else if (e.type === "epoch") {
          epochsDone = e.epoch + 1;
          lastValidation = e.valAccuracy ?? NaN;
          ctx.status(`epoch ${epochsDone}: 테스트 정확도 ${(100 * (e.valAccuracy ?? NaN)).toFixed(1)}%`);
        }
        pushTrainEvent(history, e);
        if (now - lastDraw > 300) {
          draw();
          lastDraw = performance.now();
        }
        last = performance.now();
      }
      draw();
      const stopped = ctx.signal.aborted;
      // the page cell was invalidated: the store has disposed the model
      if (store.disposed) return;
      // a finished run's last validation is the final model on the same test images; a stopped one is measured now
      const after =
        stopped || Number.isNaN(lastValidation) ? (await evaluate(model, data.test, {loss})).accuracy : lastValidation;
      const summary: TrainingSummary = {
        trainImages: data.train.xs.shape[0],
        epochs,
        epochsDone,
        seconds,
        testImages,
        before,
        after,
        stopped
      };
      result.textContent = describeTraining(summary);
      Object.assign(result.dataset, {
        before: String(before),
        after: String(after),
        seconds: String(seconds),
        trainImages: String(summary.trainImages),
        testImages: String(testImages),
        epochsDone: String(epochsDone)
      });
      store.set({model, trained: true, images, labels, summary});
      ctx.status(
        stopped
          ? "정지했습니다. 아래 그림은 정지한 시점의 모델입니다."
          : "끝났습니다. 아래 그림이 학습한 모델로 바뀌었습니다."
      );
    }
  });
  return tagged(panel, "vit-train");
}
