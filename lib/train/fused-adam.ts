/**
 * Adam (Kingma & Ba 2015) as TF.js computes it, in one pass per weight on the `wasm` backend (issue 15).
 *
 * `tf.train.adam` updates each weight with about ten kernels (two moments, two bias corrections, a square root, a
 * division…): for chapter 8's tiny ViT, 56 weights, about 560 kernel calls and 13 ms of a ~110 ms training step on
 * this machine. On `wasm`, where a tensor's values live in the backend's heap, this optimizer updates the weight and
 * its two moments in one loop per weight, with TF.js's exact formula:
 *
 *   m ← β₁·m + (1−β₁)·g,  v ← β₂·v + (1−β₂)·g²,  w ← w − lr · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε).
 *
 * The moments are updated in place, where no other tensor shares their buffer (a `tf.clone` shares it on the course's
 * wasm kernels); each weight gets a new buffer (see the comment in `applyGradients`). Every other backend, and moments
 * whose buffer is shared, take `tf.train.adam`'s own path.
 * The moments are the parent class's, so `getWeights`/`setWeights`/`dispose` work as for `tf.train.adam`.
 * Tested against `tf.train.adam` on stock `cpu` in `tests/unit/train/fused-adam.test.ts`.
 */
import {tf} from "../tf.js";

interface HeapBackend {
  typedArrayFromHeap?(t: tf.TensorInfo): Float32Array;
  refCount?(dataId: object): number;
  makeOutput?(shape: number[], dtype: "float32"): tf.TensorInfo;
}

/** The fields of `tf.AdamOptimizer` this class shares (private in TF.js's typings). */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: {originalName: string; variable: tf.Variable}[];
  accumulatedSecondMoment: {originalName: string; variable: tf.Variable}[];
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  incrementIterations(): void;
}

/** Adam's constants and bias-correction state for one step. */
export interface AdamStepOptions {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** β₁ᵗ and β₂ᵗ for this step t (TF.js's `accBeta1`, `accBeta2`). */
  accBeta1: number;
  accBeta2: number;
}

/**
 * One Adam step on flat arrays: the moments `m`, `v` in place, the new weights into `out` (which may be `w` itself).
 * The kernel; also the tests' subject.
 */
export function adamStepArrays(
  w: Float32Array,
  m: Float32Array,
  v: Float32Array,
  g: Float32Array,
  o: AdamStepOptions,
  out: Float32Array = w
): void {
  const {learningRate: lr, beta1: b1, beta2: b2, epsilon: eps} = o;
  const c1 = 1 - o.accBeta1;
  const c2 = 1 - o.accBeta2;
  const d1 = 1 - b1;
  const d2 = 1 - b2;
  for (let i = 0; i < w.length; i++) {
    const gi = g[i];
    const mi = m[i] * b1 + gi * d1;
    const vi = v[i] * b2 + gi * gi * d2;
    m[i] = mi;
    v[i] = vi;
    out[i] = w[i] - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
  }
}

export class FusedAdamOptimizer extends tf.AdamOptimizer {
  /** How many weight updates took the one-pass path (for tests and the bench). */
  fusedUpdates = 0;

  applyGradients(variableGradients: Parameters<tf.AdamOptimizer["applyGradients"]>[0]): void {
    const backend = tf.backend() as unknown as HeapBackend;
    const list = Array.isArray(variableGradients)
      ? variableGradients.map((v) => ({name: v.name, tensor: v.tensor}))
      : Object.keys(variableGradients).map((name) => ({name, tensor: variableGradients[name]}));
    const variables = list.map(({name}) => tf.engine().registeredVariables[name]);
    const self = this as unknown as AdamState;
    const shared = (store: AdamState["accumulatedFirstMoment"], i: number) =>
      store[i] != null && backend.refCount!(store[i].variable.dataId) !== 1;
    const onePass =
      backend.typedArrayFromHeap != null &&
      backend.makeOutput != null &&
      backend.refCount != null &&
      list.every(
        ({tensor}, i) =>
          tensor != null &&
          tensor.dtype === "float32" &&
          variables[i]?.dtype === "float32" &&
          !shared(self.accumulatedFirstMoment, i) &&
          !shared(self.accumulatedSecondMoment, i)
      );
    if (!onePass) return super.applyGradients(variableGradients);
    const heap = (t: tf.TensorInfo) => backend.typedArrayFromHeap!(t);
    const moment = (i: number, which: "m" | "v") => {
      const store = which === "m" ? self.accumulatedFirstMoment : self.accumulatedSecondMoment;
      store[i] ??= {
        originalName: `${list[i].name}/${which}`,
        variable: tf.tidy(() => tf.zerosLike(variables[i]).variable(false))
      };
      return store[i].variable;
    };
    const options: AdamStepOptions = {
      learningRate: self.learningRate,
      beta1: self.beta1,
      beta2: self.beta2,
      epsilon: self.epsilon,
      accBeta1: self.accBeta1.dataSync()[0],
      accBeta2: self.accBeta2.dataSync()[0]
    };
    tf.tidy(() => {
      list.forEach(({tensor}, i) => {
        const value = variables[i];
        const [m, v] = [moment(i, "m"), moment(i, "v")];
        // The moments are updated in place (only this optimizer holds them). The weights get a new buffer: wasm's
        // XNNPACK caches a product's packed weights by buffer, so a weight changed in place would be multiplied
        // with its stale copy. Views of the heap are taken after the allocation, which may move it.
        const next = backend.makeOutput!(value.shape, "float32");
        adamStepArrays(heap(value), heap(m), heap(v), heap(tensor as tf.Tensor), options, heap(next));
        value.assign(tf.engine().makeTensorFromTensorInfo(next));
        this.fusedUpdates++;
      });
      self.accBeta1.assign(tf.mul(self.accBeta1, self.beta1));
      self.accBeta2.assign(tf.mul(self.accBeta2, self.beta2));
    });
    self.incrementIterations();
  }
}

/** Adam with TF.js's defaults (β₁ 0.9, β₂ 0.999, the backend's ε), fused on wasm. */
export function fusedAdam(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon?: number): FusedAdamOptimizer {
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon);
}
