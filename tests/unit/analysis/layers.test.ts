/**
 * The registered analysis of the layers the sequence chapters add (lib/analysis/layers.ts): each count against a
 * number worked by hand, and the parameters against TF.js's own `countParams()` of the real, built layer.
 */
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {countFlops, countLayerListFlops} from "../../../lib/analysis/flops.js";
import {modelGraph} from "../../../lib/analysis/graph.js";
import {receptiveFields} from "../../../lib/analysis/receptive-field.js";
import {isWeightLayer, layerAnalysis, registeredLayerClasses} from "../../../lib/analysis/registry.js";
import {weightLayerCount} from "../../../lib/analysis/summary.js";

const T = 7;
const F = 5;
const U = 4;

interface Case {
  name: string;
  make: () => tf.layers.Layer;
  input: number[];
  /** Worked by hand (see each line). */
  params: number;
  /** When it differs from params (BatchNorm's moving statistics are not trainable). */
  trainable?: number;
  macs: number;
  flops: number;
}

const CASES: Case[] = [
  // u(F + u) + u = 4·9 + 4; T·u·(F + u) = 7·4·9; 2·252 + T·3u (sum, bias, tanh) = 504 + 84
  {name: "SimpleRNN", make: () => tf.layers.simpleRNN({units: U}), input: [T, F], params: 40, macs: 252, flops: 588},
  // 4u(F + u) + 4u = 144 + 16; T·4u·(F + u) = 7·16·9; 2·1008 + T·17u = 2016 + 476
  {name: "LSTM", make: () => tf.layers.lstm({units: U}), input: [T, F], params: 160, macs: 1008, flops: 2492},
  // 3u(F + u) + 3u = 108 + 12; T·3u·(F + u) = 7·12·9; 2·756 + T·14u = 1512 + 392
  {name: "GRU", make: () => tf.layers.gru({units: U}), input: [T, F], params: 120, macs: 756, flops: 1904},
  // the same with returnSequences: the cost is per step either way
  {
    name: "LSTM (returnSequences)",
    make: () => tf.layers.lstm({units: U, returnSequences: true}),
    input: [T, F],
    params: 160,
    macs: 1008,
    flops: 2492
  },
  // 50 × 8 weights, a lookup
  {
    name: "Embedding",
    make: () => tf.layers.embedding({inputDim: 50, outputDim: 8}),
    input: [T],
    params: 400,
    macs: 0,
    flops: 0
  },
  // γ, β: 2·6; 7 per element on 7 × 6
  {
    name: "LayerNormalization",
    make: () => tf.layers.layerNormalization(),
    input: [T, 6],
    params: 12,
    macs: 0,
    flops: 294
  },
  // Dense(3) at each of 7 steps: 5·3 + 3 weights once; 7·15 MACs; 2·105 + 7·3 (bias)
  {
    name: "TimeDistributed(Dense)",
    make: () => tf.layers.timeDistributed({layer: tf.layers.dense({units: 3})}),
    input: [T, F],
    params: 18,
    macs: 105,
    flops: 231
  },
  // two LSTMs; concat is free
  {
    name: "Bidirectional(LSTM) concat",
    make: () => tf.layers.bidirectional({layer: tf.layers.lstm({units: U, returnSequences: true}) as tf.RNN}),
    input: [T, F],
    params: 320,
    macs: 2016,
    flops: 4984
  },
  // sum: one add per output element, 7·4
  {
    name: "Bidirectional(GRU) sum",
    make: () =>
      tf.layers.bidirectional({layer: tf.layers.gru({units: U, returnSequences: true}) as tf.RNN, mergeMode: "sum"}),
    input: [T, F],
    params: 240,
    macs: 1512,
    flops: 3808 + 28
  },
  {name: "Dropout", make: () => tf.layers.dropout({rate: 0.5}), input: [T, F], params: 0, macs: 0, flops: 0},
  {name: "Reshape", make: () => tf.layers.reshape({targetShape: [F, T]}), input: [T, F], params: 0, macs: 0, flops: 0},
  {name: "Permute", make: () => tf.layers.permute({dims: [2, 1]}), input: [T, F], params: 0, macs: 0, flops: 0},
  {name: "RepeatVector", make: () => tf.layers.repeatVector({n: 3}), input: [F], params: 0, macs: 0, flops: 0}
];

/** The image layers of chapters 2–3, on small shapes. */
const IMAGE_CASES: Case[] = [
  // out [4, 4, 3]: 3·3·2·3 + 3; 16·3·18; 2·864 + 48 (bias) + 48 (ReLU)
  {
    name: "Conv2D",
    make: () => tf.layers.conv2d({filters: 3, kernelSize: 3, activation: "relu"}),
    input: [6, 6, 2],
    params: 57,
    macs: 864,
    flops: 1824
  },
  // out [4, 3]: 2·2·3 + 3; 12·(2·2); 2·48 + 12
  {
    name: "Conv1D",
    make: () => tf.layers.conv1d({filters: 3, kernelSize: 2}),
    input: [5, 2],
    params: 15,
    macs: 48,
    flops: 108
  },
  // out [2, 2, 2, 2]: 8·1·2 + 2; 16·8; 2·128 + 16
  {
    name: "Conv3D",
    make: () => tf.layers.conv3d({filters: 2, kernelSize: 2}),
    input: [3, 3, 3, 1],
    params: 18,
    macs: 128,
    flops: 272
  },
  // out [6, 6, 2]: 2·2·2·2 + 2; each of 18 inputs through a 2·2·2 kernel: 144; 2·144 + 72
  {
    name: "Conv2DTranspose",
    make: () => tf.layers.conv2dTranspose({filters: 2, kernelSize: 2, strides: 2}),
    input: [3, 3, 2],
    params: 18,
    macs: 144,
    flops: 360
  },
  // out [4, 4, 4]: 9·2·2 + 4; 16·2·2·9; 2·576 + 64
  {
    name: "DepthwiseConv2D",
    make: () => tf.layers.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2}),
    input: [6, 6, 2],
    params: 40,
    macs: 576,
    flops: 1216
  },
  // out [4, 4, 3]: 9·2 + 2·3 + 3; 16·2·(9 + 3); 2·384 + 48
  {
    name: "SeparableConv2D",
    make: () => tf.layers.separableConv2d({filters: 3, kernelSize: 3}),
    input: [6, 6, 2],
    params: 27,
    macs: 384,
    flops: 816
  },
  // 6·4 + 4; 24; 2·24 + 4 (bias) + 3·4 (softmax)
  {
    name: "Dense",
    make: () => tf.layers.dense({units: 4, activation: "softmax"}),
    input: [6],
    params: 28,
    macs: 24,
    flops: 64
  },
  // γ, β trainable (2·2), moving mean and variance not (2·2); 2 per element of 72
  {
    name: "BatchNormalization",
    make: () => tf.layers.batchNormalization(),
    input: [6, 6, 2],
    params: 8,
    trainable: 4,
    macs: 0,
    flops: 144
  },
  // out 3·3·2 = 18 elements: max 3 comparisons each, average 4 operations
  {
    name: "MaxPooling2D",
    make: () => tf.layers.maxPooling2d({poolSize: 2}),
    input: [6, 6, 2],
    params: 0,
    macs: 0,
    flops: 54
  },
  {
    name: "AveragePooling2D",
    make: () => tf.layers.averagePooling2d({poolSize: 2}),
    input: [6, 6, 2],
    params: 0,
    macs: 0,
    flops: 72
  },
  // out 3·2 = 6 elements: 1 comparison, 2 operations
  {
    name: "MaxPooling1D",
    make: () => tf.layers.maxPooling1d({poolSize: 2}),
    input: [6, 2],
    params: 0,
    macs: 0,
    flops: 6
  },
  {
    name: "AveragePooling1D",
    make: () => tf.layers.averagePooling1d({poolSize: 2}),
    input: [6, 2],
    params: 0,
    macs: 0,
    flops: 12
  },
  // 72 inputs: 72 for the mean (71 adds and a divide per channel, 2 channels: 70 + 2), 72 − 2 for the max
  {
    name: "GlobalAveragePooling2D",
    make: () => tf.layers.globalAveragePooling2d({}),
    input: [6, 6, 2],
    params: 0,
    macs: 0,
    flops: 72
  },
  {
    name: "GlobalMaxPooling2D",
    make: () => tf.layers.globalMaxPooling2d({}),
    input: [6, 6, 2],
    params: 0,
    macs: 0,
    flops: 70
  },
  {
    name: "GlobalAveragePooling1D",
    make: () => tf.layers.globalAveragePooling1d(),
    input: [6, 2],
    params: 0,
    macs: 0,
    flops: 12
  },
  {
    name: "GlobalMaxPooling1D",
    make: () => tf.layers.globalMaxPooling1d(),
    input: [6, 2],
    params: 0,
    macs: 0,
    flops: 10
  },
  // 1 per element of 72 (softmax 3); PReLU has one slope per element
  {
    name: "Activation",
    make: () => tf.layers.activation({activation: "tanh"}),
    input: [6, 6, 2],
    params: 0,
    macs: 0,
    flops: 72
  },
  {name: "ReLU", make: () => tf.layers.reLU(), input: [6, 6, 2], params: 0, macs: 0, flops: 72},
  {name: "LeakyReLU", make: () => tf.layers.leakyReLU(), input: [6, 6, 2], params: 0, macs: 0, flops: 72},
  {name: "ELU", make: () => tf.layers.elu(), input: [6, 6, 2], params: 0, macs: 0, flops: 72},
  {name: "ThresholdedReLU", make: () => tf.layers.thresholdedReLU(), input: [6, 6, 2], params: 0, macs: 0, flops: 72},
  {name: "PReLU", make: () => tf.layers.prelu(), input: [6, 6, 2], params: 72, macs: 0, flops: 72},
  {name: "Softmax", make: () => tf.layers.softmax(), input: [6, 6, 2], params: 0, macs: 0, flops: 216},
  {name: "Flatten", make: () => tf.layers.flatten(), input: [6, 6, 2], params: 0, macs: 0, flops: 0},
  {
    name: "ZeroPadding2D",
    make: () => tf.layers.zeroPadding2d({padding: 1}),
    input: [6, 6, 2],
    params: 0,
    macs: 0,
    flops: 0
  },
  {name: "Cropping2D", make: () => tf.layers.cropping2D({cropping: 1}), input: [6, 6, 2], params: 0, macs: 0, flops: 0},
  {
    name: "UpSampling2D",
    make: () => tf.layers.upSampling2d({size: [2, 2]}),
    input: [6, 6, 2],
    params: 0,
    macs: 0,
    flops: 0
  },
  {
    name: "SpatialDropout1D",
    make: () => tf.layers.spatialDropout1d({rate: 0.2}),
    input: [6, 2],
    params: 0,
    macs: 0,
    flops: 0
  },
  {
    name: "GaussianNoise",
    make: () => tf.layers.gaussianNoise({stddev: 0.1}),
    input: [6, 2],
    params: 0,
    macs: 0,
    flops: 0
  },
  {
    name: "GaussianDropout",
    make: () => tf.layers.gaussianDropout({rate: 0.1}),
    input: [6, 2],
    params: 0,
    macs: 0,
    flops: 0
  },
  {name: "AlphaDropout", make: () => tf.layers.alphaDropout({rate: 0.1}), input: [6, 2], params: 0, macs: 0, flops: 0},
  {name: "Masking", make: () => tf.layers.masking(), input: [6, 2], params: 0, macs: 0, flops: 0}
];

/** Two [3, 2] inputs merged: (inputs − 1) per output element, Average one more, Concatenate free. */
const MERGES: [string, (args: object) => tf.layers.Layer, number][] = [
  ["Add", tf.layers.add, 6],
  ["Multiply", tf.layers.multiply, 6],
  ["Maximum", tf.layers.maximum, 6],
  ["Minimum", tf.layers.minimum, 6],
  ["Average", tf.layers.average, 12],
  ["Concatenate", tf.layers.concatenate, 0]
];

describe("registered analysis of the image layers", () => {
  test.each(IMAGE_CASES)("$name: by hand, unbuilt and built, and TF.js's countParams", (c) => checkCase(c));

  test.each(MERGES)("%s of two inputs", (_, make, flops) => {
    const [a, b] = [tf.input({shape: [3, 2]}), tf.input({shape: [3, 2]})];
    const model = tf.model({inputs: [a, b], outputs: make({}).apply([a, b]) as tf.SymbolicTensor});
    try {
      expect(countFlops(model)).toEqual({params: 0, trainableParams: 0, macs: 0, flops, uncounted: []});
    } finally {
      model.dispose();
    }
  });

  test("every registered class has a hand-worked case in this file", () => {
    const covered = new Set([
      ...[...CASES, ...IMAGE_CASES].map((c) => c.make().getClassName()),
      ...MERGES.map(([name]) => name),
      "InputLayer" // in every model above: no weights, no arithmetic
    ]);
    expect(registeredLayerClasses().filter((name) => !covered.has(name))).toEqual([]);
  });
});

function checkCase(c: Case) {
  const trainable = c.trainable ?? c.params;
  // unbuilt: parameters from the config
  expect(countLayerListFlops([c.make()], c.input)).toEqual({
    params: c.params,
    trainableParams: trainable,
    macs: c.macs,
    flops: c.flops,
    uncounted: []
  });
  // built: TF.js's own weights
  const layer = c.make();
  const model = tf.sequential({layers: [tf.layers.inputLayer({inputShape: c.input}), layer]});
  try {
    expect(layer.countParams()).toBe(c.params);
    expect(countFlops(model)).toEqual({
      params: c.params,
      trainableParams: trainable,
      macs: c.macs,
      flops: c.flops,
      uncounted: []
    });
  } finally {
    model.dispose();
  }
}

describe("registered analysis of the sequence layers", () => {
  test.each(CASES)("$name: by hand, unbuilt and built, and TF.js's countParams", (c) => checkCase(c));

  test("recurrent layers count in the papers' depth and see the whole sequence; wrappers ask their inner layer", () => {
    const input = tf.input({shape: [T, F]});
    const a = tf.layers.timeDistributed({layer: tf.layers.dense({units: 3}), name: "td"}).apply(input);
    const b = tf.layers.lstm({units: U, returnSequences: true, name: "lstm"}).apply(a) as tf.SymbolicTensor;
    const c = tf.layers.layerNormalization({name: "ln"}).apply(b) as tf.SymbolicTensor;
    const d = tf.layers.timeDistributed({layer: tf.layers.dropout({rate: 0.1}), name: "td_drop"}).apply(c);
    const model = tf.model({inputs: input, outputs: d as tf.SymbolicTensor});
    try {
      expect(weightLayerCount(model)).toEqual({depth: 2, total: 2, path: ["td", "lstm"]});
      const rows = receptiveFields(model);
      expect(rows.map((r) => [r.name, r.global])).toEqual([
        [model.layers[0].name, false],
        ["td", false],
        ["lstm", true],
        ["ln", true],
        ["td_drop", true]
      ]);
      const calls = modelGraph(model).calls;
      expect(calls.map((call) => isWeightLayer(call))).toEqual([false, true, true, false, false]);
    } finally {
      model.dispose();
    }
  });

  test("the table lists what it knows", () => {
    const known = registeredLayerClasses();
    for (const name of ["Conv2D", "Dense", "SimpleRNN", "LSTM", "GRU", "Embedding", "LayerNormalization"]) {
      expect(known).toContain(name);
    }
    expect(layerAnalysis("NoSuchLayer")).toBeUndefined();
  });
});
