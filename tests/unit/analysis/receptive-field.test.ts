import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {
  receptiveFieldOfLayers,
  receptiveFields,
  receptiveFieldStep,
  type ReceptiveFieldRow
} from "../../../lib/analysis/receptive-field.js";
import {ALEXNET_PRESETS, buildAlexNet} from "../../../lib/models/alexnet.js";
import {MODELS} from "../../../lib/models/registry.js";
import {buildVgg, VGG_PRESETS} from "../../../lib/models/vgg.js";

const conv = (k: number, s = 1, padding: "same" | "valid" = "same", dilationRate = 1) =>
  tf.layers.conv2d({filters: 1, kernelSize: k, strides: s, padding, dilationRate});
const last = (rows: ReceptiveFieldRow[]) => rows[rows.length - 1];
const pick = (r: ReceptiveFieldRow) => ({size: r.size, jump: r.jump, start: r.start});

describe("receptive field", () => {
  test("stacked 3×3 convolutions: two see 5×5, three see 7×7 (VGG's argument); n see 2n + 1", () => {
    for (let n = 1; n <= 6; n++) {
      const rows = receptiveFieldOfLayers(
        Array.from({length: n}, () => conv(3)),
        [32, 32, 1]
      );
      expect(last(rows).size).toBe(2 * n + 1);
      expect(last(rows).jump).toBe(1);
    }
    expect(last(receptiveFieldOfLayers([conv(3), conv(3)], [32, 32, 1])).size).toBe(5);
    expect(last(receptiveFieldOfLayers([conv(5)], [32, 32, 1])).size).toBe(5);
    expect(last(receptiveFieldOfLayers([conv(3), conv(3), conv(3)], [32, 32, 1])).size).toBe(7);
  });

  test("a 7×7/2 convolution then a 3×3/2 max pool (the ResNet stem): size 7 + 2·2 = 11, jump 4", () => {
    const rows = receptiveFieldOfLayers([conv(7, 2), tf.layers.maxPooling2d({poolSize: 3, strides: 2})], [224, 224, 3]);
    expect(rows.map(pick)).toEqual([
      {size: 1, jump: 1, start: 0},
      // "same" on 224 with stride 2: total padding (112 − 1)·2 + 7 − 224 = 5, so 2 before: centre of unit 0 at 3 − 2 = 1
      {size: 7, jump: 2, start: 1},
      // valid 3×3/2: the first window covers units 0…2, centred on unit 1 → 1 + 1·2 = 3
      {size: 11, jump: 4, start: 3}
    ]);
  });

  test("padding moves the start: a valid 3×3 is centred on pixel 1, a same 3×3 on pixel 0", () => {
    expect(pick(last(receptiveFieldOfLayers([conv(3, 1, "valid")], [8, 8, 1])))).toEqual({size: 3, jump: 1, start: 1});
    expect(pick(last(receptiveFieldOfLayers([conv(3, 1, "same")], [8, 8, 1])))).toEqual({size: 3, jump: 1, start: 0});
    const padded = receptiveFieldOfLayers([tf.layers.zeroPadding2d({padding: 2}), conv(3, 1, "valid")], [8, 8, 1]);
    expect(pick(last(padded))).toEqual({size: 3, jump: 1, start: -1});
    expect(receptiveFieldStep({size: 1, jump: 1, start: 0}, {kernelSize: 3, padBefore: 1})).toEqual({
      size: 3,
      jump: 1,
      start: 0
    });
  });

  test("1-D convolutions: k = 3 grows by 2 per layer; dilations 1, 2, 4, 8 grow it to 16 (WaveNet-style)", () => {
    const conv1d = (d: number) => tf.layers.conv1d({filters: 2, kernelSize: d === 0 ? 3 : 2, dilationRate: d || 1});
    const plain = receptiveFieldOfLayers([conv1d(0), conv1d(0), conv1d(0), conv1d(0)], [100, 1]);
    expect(plain.map((r) => r.size)).toEqual([1, 3, 5, 7, 9]);
    const dilated = receptiveFieldOfLayers([conv1d(1), conv1d(2), conv1d(4), conv1d(8)], [100, 1]);
    expect(dilated.map((r) => r.size)).toEqual([1, 2, 4, 8, 16]);
    expect(last(dilated).outputSize).toBe(100 - 15);
  });

  test("flatten, global pooling and dense layers see everything", () => {
    const rows = receptiveFieldOfLayers(
      [conv(3), tf.layers.globalAveragePooling2d({}), tf.layers.dense({units: 2})],
      [8, 8, 1]
    );
    expect(rows.map((r) => [r.size, r.global])).toEqual([
      [1, false],
      [3, false],
      [Infinity, true],
      [Infinity, true]
    ]);
  });

  test("branches: a merge takes the inbound that sees most, and mainPath follows it", () => {
    // Inception-like: 1×1 | 1×1 → 3×3 | 3×3/1 pool → 1×1, concatenated; then a residual block on top
    const input = tf.input({shape: [16, 16, 4], name: "in"});
    const b1 = conv(1).apply(input) as tf.SymbolicTensor;
    const b2a = tf.layers.conv2d({filters: 1, kernelSize: 1, name: "b2a"}).apply(input) as tf.SymbolicTensor;
    const b2 = tf.layers
      .conv2d({filters: 1, kernelSize: 3, padding: "same", name: "b2"})
      .apply(b2a) as tf.SymbolicTensor;
    const pool = tf.layers.maxPooling2d({poolSize: 3, strides: 1, padding: "same"}).apply(input) as tf.SymbolicTensor;
    const b3 = conv(1).apply(pool) as tf.SymbolicTensor;
    const cat = tf.layers.concatenate({name: "cat"}).apply([b1, b2, b3]) as tf.SymbolicTensor;
    const r1 = tf.layers
      .conv2d({filters: 3, kernelSize: 3, padding: "same", name: "r1"})
      .apply(cat) as tf.SymbolicTensor;
    const r2 = tf.layers
      .conv2d({filters: 3, kernelSize: 3, padding: "same", name: "r2"})
      .apply(r1) as tf.SymbolicTensor;
    const sum = tf.layers.add({name: "sum"}).apply([cat, r2]) as tf.SymbolicTensor;
    const model = tf.model({inputs: input, outputs: sum});
    try {
      const byName = Object.fromEntries(receptiveFields(model).map((r) => [r.name, r.size]));
      expect(byName.cat).toBe(3); // max(1, 3, 3)
      expect(byName.sum).toBe(7); // max(shortcut 3, 3 + 2 + 2)
      expect(receptiveFields(model, {mainPath: true}).map((r) => r.name)).toEqual([
        "in",
        "b2a",
        "b2",
        "cat",
        "r1",
        "r2",
        "sum"
      ]);
    } finally {
      model.dispose();
    }
  });

  test("AlexNet 195 and VGG-16 212 at their last pool, as published; ResNet-50's main path", () => {
    // Hand check (size r, jump j): AlexNet conv 11/4 (11, 4) → pool 3/2 (19, 8) → conv 5 (51, 8) → pool (67, 16)
    //   → 3 × conv 3 (163, 16) → pool (195, 32). VGG-16: per stage, n convs add 2n·j and the pool adds j:
    //   (5, 1) → 6; +8 → 14, 16; +24 → 40, 44; +48 → 92, 100; +96 → 196, 212 (j = 32).
    // Both figures are in Araujo, Norris & Sim, "Computing Receptive Fields of Convolutional Neural Networks",
    // Distill 2019 (https://distill.pub/2019/computing-receptive-fields/).
    // the paper-sized feature extractors; small classifiers, which do not change a receptive field, save memory
    const alexnet = buildAlexNet({...ALEXNET_PRESETS.alexnet, hidden: [8, 8]}, {weights: "zeros"});
    const vgg16 = buildVgg({...VGG_PRESETS.vgg16, hidden: [8, 8]}, {weights: "zeros"});
    const resnet50 = MODELS.resnet50({weights: "zeros", numClasses: 10});
    try {
      const at = (model: tf.LayersModel, name: string) => receptiveFields(model).find((r) => r.name === name)!;
      expect(pick(at(alexnet, "features.12"))).toMatchObject({size: 195, jump: 32});
      expect(pick(at(vgg16, "features.30"))).toMatchObject({size: 212, jump: 32});
      const path = receptiveFields(resnet50, {mainPath: true});
      expect(path[0].name).toBe("input");
      expect(path.some((r) => r.name.includes("downsample"))).toBe(false);
      const lastConv = path.filter((r) => r.className === "Conv2D").pop()!;
      expect(lastConv.name).toBe("layer4.2.conv3");
      expect(lastConv.jump).toBe(32);
      expect(last(path).global).toBe(true);
    } finally {
      alexnet.dispose();
      vgg16.dispose();
      resnet50.dispose();
    }
  });
});
