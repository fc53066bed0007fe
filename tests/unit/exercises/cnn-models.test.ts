import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {receptiveFieldOfLayers} from "../../../lib/analysis/receptive-field.js";
import {countLayerListFlops} from "../../../lib/analysis/flops.js";
import {dryGraph} from "../../../lib/analysis/dry-build.js";
import {MODELS} from "../../../lib/models/registry.js";
import {
  bottleneckExercise,
  checkDeseasonKernel,
  deseasonSolution,
  dilatedLengthExercise,
  periodGain,
  rfStackExercise,
  vggParamsExercise
} from "../../../lib/exercises/cnn-models.js";

describe("rf-stack", () => {
  const ex = rfStackExercise(4, 3);
  test("the answer is the receptive field of four real 3×3 conv layers", () => {
    const layers = Array.from({length: 4}, () => tf.layers.conv2d({filters: 2, kernelSize: 3, padding: "same"}));
    expect(ex.expected).toBe(receptiveFieldOfLayers(layers, [32, 32, 2]).at(-1)!.size);
    expect(ex.expected).toBe(9);
  });
  test("right and wrong answers", () => {
    expect(ex.check(9).ok).toBe(true);
    const wrong = ex.check(12);
    expect(wrong.ok).toBe(false);
    expect(wrong.message).toContain("k − 1");
    expect(ex.check(8).message).toContain("입력 한 칸");
    expect(ex.check(10).message).toContain("큽니다");
  });
});

describe("vgg-params", () => {
  const ex = vggParamsExercise(128);
  test("the answer is the difference of real layers' counts (bias included)", () => {
    const conv = (k: number) => tf.layers.conv2d({filters: 128, kernelSize: k, padding: "same"});
    const shape = [14, 14, 128];
    const two = countLayerListFlops([conv(3), conv(3)], shape).params;
    const one = countLayerListFlops([conv(5)], shape).params;
    expect(ex.expected).toBe(one - two);
    expect(ex.expected).toBe(7 * 128 * 128 - 128);
  });
  test("right and wrong answers; forgetting the bias is named", () => {
    expect(ex.check(114_560).ok).toBe(true);
    const noBias = ex.check(7 * 128 * 128);
    expect(noBias.ok).toBe(false);
    expect(noBias.message).toContain("bias");
  });
});

describe("bottleneck", () => {
  const ex = bottleneckExercise(256, 64);
  test("the answer equals ResNet-50 layer1.1's three conv kernels in the dry graph", () => {
    const graph = dryGraph(() => MODELS.resnet50());
    const convs = graph.calls.filter((c) => c.name.startsWith("layer1.1.") && c.className === "Conv2D");
    expect(convs.length).toBe(3);
    expect(convs.reduce((s, c) => s + (c.params?.trainable ?? 0), 0)).toBe(ex.expected);
    expect(ex.expected).toBe(69_632);
  });
  test("right and wrong answers; counting BatchNorm is named", () => {
    expect(ex.check(69_632).ok).toBe(true);
    const withBn = ex.check(69_632 + 2 * (64 + 64 + 256));
    expect(withBn.ok).toBe(false);
    expect(withBn.message).toContain("BatchNorm");
  });
});

describe("dilated-length", () => {
  const ex = dilatedLengthExercise(120, 3, 4);
  test("the answer is tf.conv1d's output length", () => {
    const y = tf.tidy(() =>
      tf.conv1d(tf.zeros([1, 120, 1]) as tf.Tensor3D, tf.zeros([3, 1, 1]) as tf.Tensor3D, 1, "valid", "NWC", 4)
    );
    expect(ex.expected).toBe(y.shape[1]);
    y.dispose();
    expect(ex.expected).toBe(112);
  });
  test("right and wrong answers; forgetting the dilation is named", () => {
    expect(ex.check(112).ok).toBe(true);
    const noDilation = ex.check(118);
    expect(noDilation.ok).toBe(false);
    expect(noDilation.message).toContain("dilation");
  });
});

describe("deseason kernel (live cell)", () => {
  test("periodGain: a 2-tap average removes period 2 exactly, keeps period ∞", () => {
    expect(periodGain([0.5, 0.5], 2)).toBeCloseTo(0, 12);
    expect(periodGain([0.5, 0.5], 1e9)).toBeCloseTo(1, 9);
    // hand-worked: [1, 0, 0] has gain 1 at every period
    expect(periodGain([1, 0, 0], 7)).toBeCloseTo(1, 12);
  });
  test("the 12-month average and the centred 2×12 average pass; the starter and near misses fail", () => {
    expect(checkDeseasonKernel(deseasonSolution().kernel).ok).toBe(true);
    const centred = [1 / 24, ...Array(11).fill(1 / 12), 1 / 24];
    expect(checkDeseasonKernel(centred).ok).toBe(true);
    const starter = checkDeseasonKernel([1, 1, 1]);
    expect(starter.ok).toBe(false);
    expect(starter.message).toContain("합이 3");
    const short = checkDeseasonKernel(Array(11).fill(1 / 11));
    expect(short.ok).toBe(false);
    expect(short.message).toContain("주기 12개월");
    expect(checkDeseasonKernel("12").ok).toBe(false);
    expect(checkDeseasonKernel([1, NaN]).ok).toBe(false);
  });
});
