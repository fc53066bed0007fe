/**
 * DeiT's hard-label distillation (Touvron et al., "Training data-efficient image transformers & distillation through
 * attention", ICML 2021, section 4, https://arxiv.org/abs/2012.12877) for chapter 8's V5: a CNN teacher is trained
 * first; the ViT student has a class token and a distillation token, each with its own head. The class head learns
 * the true labels, the distillation head learns the teacher's decision y_t = argmax_c Z_t:
 *
 *   L = ½ · CE(softmax(Z_cls), y) + ½ · CE(softmax(Z_dist), y_t)
 *
 * At test time the two heads are combined: timm averages their logits (`averageHeads` of ../models/vit.ts), which
 * this file follows; the paper adds their softmax outputs (the same decision whenever the two heads agree).
 *
 * So that the course's loop (./loop.ts: one prediction tensor, one target tensor) trains it unchanged, the student's
 * two heads are concatenated into one output [N, 2C] (`concatHeads`), and the targets are [labels | teacher's one-hot
 * decisions] [N, 2C] (`distillationTargets`).
 */
import {tf} from "../tf.js";
import {averageHeads} from "../models/vit.js";
import {smoothLabels, type Loss} from "./losses.js";
import type {Dataset} from "./loop.js";

/**
 * A distilled model's two outputs [head, head_dist] as one [N, 2C] output (head first). The new model shares the
 * layers: dispose it (not the original) when done.
 */
export function concatHeads(model: tf.LayersModel): tf.LayersModel {
  if (model.outputs.length !== 2) throw new RangeError(`a distilled model has two heads, got ${model.outputs.length}`);
  const joined = tf.layers.concatenate({axis: -1, name: "heads"}).apply(model.outputs) as tf.SymbolicTensor;
  return tf.model({inputs: model.inputs, outputs: joined, name: `${model.name}_heads`});
}

/** Split [N, 2C] into the class head's and the distillation head's parts [N, C] each. */
export function splitHeads(pred: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const c = pred.shape[pred.shape.length - 1] / 2;
  if (!Number.isInteger(c)) throw new RangeError(`[N, 2C] expected, got [${pred.shape}]`);
  return tf.split(pred, 2, -1) as [tf.Tensor, tf.Tensor];
}

/** The teacher's decisions as one-hot rows [N, C] (logits or probabilities in, batched; the caller disposes). */
export function teacherDecisions(teacher: tf.LayersModel, xs: tf.Tensor, batchSize = 256): tf.Tensor2D {
  const parts: tf.Tensor[] = [];
  const n = xs.shape[0];
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    parts.push(
      tf.tidy(() => {
        const out = teacher.apply(xs.slice(start, size), {training: false}) as tf.Tensor;
        const classes = out.shape[out.shape.length - 1];
        return tf.oneHot(tf.argMax(out, -1), classes).toFloat();
      })
    );
  }
  const all = tf.concat(parts, 0) as tf.Tensor2D;
  tf.dispose(parts);
  return all;
}

/** Targets [N, 2C] = [one-hot labels | one-hot teacher decisions] (the caller disposes). */
export function distillationTargets(labels: tf.Tensor, teacher: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => tf.concat([tf.cast(labels, "float32"), tf.cast(teacher, "float32")], -1) as tf.Tensor2D);
}

/** A dataset whose targets are `distillationTargets` (the caller disposes `ys`; `xs` is the given one). */
export function distillationDataset(data: Dataset, teacher: tf.LayersModel): Dataset {
  const decisions = teacherDecisions(teacher, data.xs);
  const ys = distillationTargets(data.ys, decisions);
  decisions.dispose();
  return {xs: data.xs, ys};
}

/** Agreement of the argmax of predictions [N, C] with one-hot targets [N, C], summed. */
function hits(pred: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(pred, -1), tf.argMax(target, -1)), "float32")) as tf.Scalar;
}

/**
 * The hard-distillation loss on concatenated logits [N, 2C] and targets [N, 2C] (see the module comment), per
 * example; `labelSmoothing` ε smooths both heads' one-hot targets (DeiT uses ε = 0.1). Metrics: `accuracy` of the
 * averaged heads against the labels, `agreement` of the averaged heads with the teacher, `classAccuracy` and
 * `distAccuracy` of each head alone against the labels.
 */
export function hardDistillationLoss(opts: {labelSmoothing?: number} = {}): Loss {
  const eps = opts.labelSmoothing ?? 0;
  const count = (yTrue: tf.Tensor) => tf.scalar(yTrue.shape[0]);
  const ce = (logits: tf.Tensor, y: tf.Tensor) => {
    const target = eps > 0 ? smoothLabels(y, eps) : y;
    return tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits))));
  };
  const metric = (pick: (cls: tf.Tensor, dist: tf.Tensor) => tf.Tensor, against: 0 | 1) => ({
    sum: (yTrue: tf.Tensor, yPred: tf.Tensor) =>
      tf.tidy(() => {
        const [cls, dist] = splitHeads(yPred);
        return hits(pick(cls, dist), splitHeads(yTrue)[against]);
      }),
    count
  });
  return {
    name: "hardDistillation",
    sum: (yTrue, yPred) =>
      tf.tidy(() => {
        const [cls, dist] = splitHeads(yPred);
        const [y, yTeacher] = splitHeads(tf.cast(yTrue, "float32"));
        // ½ CE(class head, labels) + ½ CE(distillation head, teacher), summed over the batch
        return tf.mul(0.5, tf.add(ce(cls, y), ce(dist, yTeacher))) as tf.Scalar;
      }),
    count,
    metrics: {
      accuracy: metric((cls, dist) => averageHeads([cls, dist]), 0),
      agreement: metric((cls, dist) => averageHeads([cls, dist]), 1),
      classAccuracy: metric((cls) => cls, 0),
      distAccuracy: metric((_, dist) => dist, 0)
    }
  };
}

/**
 * Predicted classes of a model on images, in batches: a one-output model's argmax; a distilled model (two outputs,
 * or `concatHeads`' [N, 2C] with `heads: 2`) by its averaged heads.
 */
export async function predictClasses(
  model: tf.LayersModel,
  xs: tf.Tensor,
  opts: {heads?: 1 | 2; batchSize?: number} = {}
): Promise<Int32Array> {
  const {heads = 1, batchSize = 256} = opts;
  const n = xs.shape[0];
  const out = new Int32Array(n);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const classes = tf.tidy(() => {
      const pred = model.apply(xs.slice(start, size), {training: false}) as tf.Tensor | tf.Tensor[];
      const logits = Array.isArray(pred) ? averageHeads(pred) : heads === 2 ? averageHeads(splitHeads(pred)) : pred;
      return tf.argMax(logits, -1);
    });
    out.set(await classes.data(), start);
    classes.dispose();
  }
  return out;
}

/** The share of positions where two class lists agree (accuracy against labels, agreement with a teacher). */
export function agreement(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`${a.length} against ${b.length} classes`);
  if (a.length === 0) return NaN;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}
