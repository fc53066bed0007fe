/**
 * V6, training: the small Swin (lib/models/swin.ts `TINY_SWIN_MODELS.swin`) and chapter 8's small ViT
 * (`TINY_VIT_MODELS.vit`) on the same Fashion-MNIST images, the same batches and the same recipe
 * (lib/train/vit-recipe.ts), side by side with live curves (`runsPanel`); at the end a table (parameters, test
 * 정확도, ms per step) and the sentence lib/viz/swin.ts `describeV6` writes from the run.
 */
import {TINY_SWIN_MODELS} from "../../lib/models/swin.js";
import {TINY_VIT_MODELS} from "../../lib/models/vit.js";
import {VIT_RECIPE, vitOptimizer} from "../../lib/train/vit-recipe.js";
import {categoricalCrossEntropy} from "../../lib/train/losses.js";
import {evaluate, type Dataset} from "../../lib/train/loop.js";
import {tf} from "../../lib/tf.js";
import {describeV6, type V6Conditions, type V6Row} from "../../lib/viz/swin.js";
import {runsPanel, tagged, type ExperimentPanel} from "../shared/experiment-panel.js";
import {loadDigits} from "../shared/digits.js";
import {backend} from "../shared/ready.js";
import {el} from "../shared/dom.js";
import {scrollBox} from "./styles.js";

function selectInput(label: string, options: number[], value: number): {form: HTMLFormElement; read: () => number} {
  const form = el("form", "swin-range");
  const select = el("select", "");
  select.id = `v6-${label.replace(/\W+/g, "-")}`;
  const lab = el("label", "", label);
  lab.htmlFor = select.id;
  for (const v of options) select.append(new Option(v.toLocaleString("en-US"), String(v), v === value, v === value));
  form.append(lab, select);
  return {form, read: () => Number(select.value)};
}

export function v6Experiment({invalidation}: {invalidation?: Promise<unknown>} = {}): ExperimentPanel {
  const examples = selectInput("학습 예제 수", [128, 2000, 5000, 10000, 60000], 2000);
  const epochs = selectInput("epoch", [1, 2, 3, 5], 1);
  const tests = selectInput("테스트 예제 수", [500, VIT_RECIPE.validationSize, 10000], VIT_RECIPE.validationSize);
  const loss = categoricalCrossEntropy({from: "logits"});
  let conditions: V6Conditions | null = null;
  let testSet: Dataset | null = null;
  // each run's training seconds after its first step: the mean per step leaves out the warm-up (kernels, first allocations)
  let firstStep: number[] = [];
  const panel = runsPanel({
    claim: "V6",
    action: "학습",
    idle: "버튼을 누르면 Fashion-MNIST를 내려받아 Swin과 ViT를 같은 batch로 번갈아 학습합니다.",
    settings: [examples.form, epochs.form, tests.form],
    invalidation,
    async setup(ctx) {
      const data = await loadDigits({
        train: examples.read(),
        test: tests.read(),
        set: "fashion",
        signal: ctx.signal,
        onProgress: (t) => ctx.status(t)
      });
      ctx.defer(() => {
        tf.dispose([data.train.xs, data.train.ys, data.test.xs, data.test.ys]);
        testSet = null;
      });
      testSet = data.test;
      firstStep = [NaN, NaN];
      conditions = {
        examples: data.train.xs.shape[0],
        testExamples: data.test.xs.shape[0],
        epochs: epochs.read(),
        batchSize: VIT_RECIPE.batchSize,
        backend: backend.name
      };
      return {
        runs: [
          {name: "Swin", model: TINY_SWIN_MODELS.swin({seed: 1}), optimizer: vitOptimizer()},
          {name: "ViT", model: TINY_VIT_MODELS.vit({seed: 1}), optimizer: vitOptimizer()}
        ],
        train: data.train,
        validation: data.test,
        options: {epochs: epochs.read(), batchSize: VIT_RECIPE.batchSize, seed: 1, loss}
      };
    },
    onEvent(e) {
      if (e.event.type === "batch" && !Number.isFinite(firstStep[e.run])) firstStep[e.run] = e.seconds;
    },
    async finish({runs, histories, seconds, stopped}, ctx) {
      if (!conditions || !testSet) return;
      const rows: V6Row[] = [];
      for (const [i, r] of runs.entries()) {
        const steps = histories[i].batch.loss.length;
        let accuracy = histories[i].epoch.valAccuracy.at(-1) ?? NaN;
        // stopped inside an epoch: the test set after the last step taken
        if (stopped || !Number.isFinite(accuracy)) accuracy = (await evaluate(r.model, testSet, {loss})).accuracy;
        rows.push({
          name: r.name,
          params: r.model.countParams(),
          accuracy,
          ...(steps > 1 && Number.isFinite(firstStep[i])
            ? {msPerStep: (1000 * (seconds[i] - firstStep[i])) / (steps - 1), warmupIncluded: false}
            : {msPerStep: (1000 * seconds[i]) / Math.max(1, steps), warmupIncluded: true}),
          steps
        });
      }
      const table = el("table", "swin-table v6-table");
      table.innerHTML =
        `<thead><tr><th>모델</th><th>파라미터</th><th>테스트 정확도</th><th>ms / step (첫 step 제외)</th><th>step</th></tr></thead><tbody>` +
        rows
          .map(
            (r) =>
              `<tr><td>${r.name}</td><td>${r.params.toLocaleString("en-US")}</td><td>${(100 * r.accuracy).toFixed(1)}%</td>` +
              `<td>${r.msPerStep.toFixed(0)}</td><td>${r.steps}</td></tr>`
          )
          .join("") +
        `</tbody>`;
      const result = el("p", "experiment-result claim-line", describeV6([rows[0], rows[1]], conditions));
      result.dataset.rows = JSON.stringify(rows);
      result.dataset.conditions = JSON.stringify(conditions);
      ctx.out.append(scrollBox(table), result);
    }
  });
  return tagged(panel, "v6");
}
