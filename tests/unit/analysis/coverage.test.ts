/**
 * Every layer class of every course model has a registered analysis (lib/analysis/registry.ts): a new layer in a
 * model can no longer count as zero unnoticed. The paper-sized models are dry-built (no weights allocated).
 */
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {dryGraph} from "../../../lib/analysis/dry-build.js";
import {countFlops} from "../../../lib/analysis/flops.js";
import type {LayerGraph} from "../../../lib/analysis/graph.js";
import {receptiveFields} from "../../../lib/analysis/receptive-field.js";
import {layerAnalysis} from "../../../lib/analysis/registry.js";
import {modelSummary, weightLayerCount} from "../../../lib/analysis/summary.js";
import {CONVNET_PRESETS, convNet} from "../../../lib/models/convnet.js";
import {positionEmbedding} from "../../../lib/models/layers/position-embedding.js";
import {mlp} from "../../../lib/models/mlp.js";
import {MODEL_NAMES, MODELS, TINY_MODELS, type FamilyName} from "../../../lib/models/registry.js";
import {RESNET_6N2_DEPTHS, resnet6n2Config} from "../../../lib/models/resnet-6n2.js";
import {buildResNet} from "../../../lib/models/resnet.js";
import {MultiHeadAttention} from "../../../lib/models/layers/attention.js";
import {sinusoidalPositionalEncoding} from "../../../lib/models/layers/positional-encoding.js";
import {PositionwiseFeedForward} from "../../../lib/models/layers/transformer-layers.js";
import {dateTransformer, TRANSFORMER_MODEL_NAMES, TRANSFORMER_MODELS} from "../../../lib/models/transformer.js";
import {ATTENTION_KINDS, seq2seq} from "../../../lib/models/seq2seq.js";
import {TINY_VIT_MODELS, VIT_MODEL_NAMES, VIT_MODELS} from "../../../lib/models/vit.js";
import {LocalSelfAttention, NonLocalBlock} from "../../../lib/models/layers/vision-attention.js";

/** Chapter 8's attention inside a CNN (V1): local self-attention instead of a 3×3 convolution, a non-local block. */
function visionAttentionCnn(): tf.LayersModel {
  const x = tf.input({shape: [12, 12, 1]});
  let y = tf.layers.conv2d({filters: 8, kernelSize: 3, padding: "same"}).apply(x) as tf.SymbolicTensor;
  y = new LocalSelfAttention({filters: 8, kernelSize: 3, numHeads: 2}).apply(y) as tf.SymbolicTensor;
  y = new NonLocalBlock().apply(y) as tf.SymbolicTensor;
  y = tf.layers.globalAveragePooling2d({}).apply(y) as tf.SymbolicTensor;
  return tf.model({inputs: x, outputs: tf.layers.dense({units: 3}).apply(y) as tf.SymbolicTensor});
}

/** A small sequence model with every layer the sequence chapters use. */
function sequenceModel(): tf.LayersModel {
  const T = 6;
  const tokens = tf.input({shape: [T], name: "tokens"});
  let x = tf.layers.embedding({inputDim: 20, outputDim: 8}).apply(tokens) as tf.SymbolicTensor; // [B, T, 8]
  x = positionEmbedding().apply(x) as tf.SymbolicTensor;
  x = tf.layers.layerNormalization().apply(x) as tf.SymbolicTensor;
  x = tf.layers.simpleRNN({units: 8, returnSequences: true}).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .bidirectional({layer: tf.layers.gru({units: 4, returnSequences: true}) as tf.RNN})
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({rate: 0.1}).apply(x) as tf.SymbolicTensor;
  x = tf.layers.permute({dims: [2, 1]}).apply(x) as tf.SymbolicTensor; // [B, 8, T]
  x = tf.layers.reshape({targetShape: [T, 8]}).apply(x) as tf.SymbolicTensor;
  x = tf.layers.timeDistributed({layer: tf.layers.dense({units: 5})}).apply(x) as tf.SymbolicTensor;
  x = tf.layers.lstm({units: 6}).apply(x) as tf.SymbolicTensor; // [B, 6]
  x = tf.layers.repeatVector({n: 3}).apply(x) as tf.SymbolicTensor; // [B, 3, 6]
  x = tf.layers.gru({units: 4}).apply(x) as tf.SymbolicTensor;
  return tf.model({
    inputs: tokens,
    outputs: tf.layers.dense({units: 2, activation: "softmax"}).apply(x) as tf.SymbolicTensor
  });
}

/** The attention blocks used on their own (chapter 6): sinusoidal positions, multi-head attention, feed-forward. */
function attentionBlocks(): tf.LayersModel {
  const x = tf.input({shape: [6, 8]});
  let y = sinusoidalPositionalEncoding().apply(x) as tf.SymbolicTensor;
  y = new MultiHeadAttention({numHeads: 2, causal: true}).apply(y) as tf.SymbolicTensor;
  y = new PositionwiseFeedForward({dimFeedforward: 16}).apply(y) as tf.SymbolicTensor;
  return tf.model({inputs: x, outputs: y});
}

const MODELS_OF_THE_COURSE: [string, () => tf.LayersModel][] = [
  ...MODEL_NAMES.map((name): [string, () => tf.LayersModel] => [name, () => MODELS[name]()]),
  ...(Object.keys(TINY_MODELS) as FamilyName[]).map((f): [string, () => tf.LayersModel] => [
    `tiny ${f}`,
    () => TINY_MODELS[f]({seed: 1})
  ]),
  ...(Object.keys(CONVNET_PRESETS) as (keyof typeof CONVNET_PRESETS)[]).map((p): [string, () => tf.LayersModel] => [
    `convnet ${p}`,
    () => convNet(CONVNET_PRESETS[p], 1)
  ]),
  ["mlp", () => mlp({}, 1)],
  ...RESNET_6N2_DEPTHS.flatMap((d) =>
    [true, false].map((residual): [string, () => tf.LayersModel] => [
      `resnet-${d} residual=${residual}`,
      () => buildResNet(resnet6n2Config(d, {residual}), {seed: 1})
    ])
  ),
  ["sequence layers", sequenceModel],
  ["attention blocks", attentionBlocks],
  ...TRANSFORMER_MODEL_NAMES.map((name): [string, () => tf.LayersModel] => [name, () => TRANSFORMER_MODELS[name]()]),
  [
    "transformer dates (learned positions)",
    () =>
      dateTransformer(
        {sourceLength: 6, targetLength: 5, sourceVocab: 9, targetVocab: 7},
        {positions: "learned"},
        {seed: 1}
      )
  ],
  ...ATTENTION_KINDS.flatMap((attention) =>
    (["lstm", "gru"] as const).map((cell): [string, () => tf.LayersModel] => [
      `seq2seq attention=${attention} cell=${cell}`,
      () =>
        seq2seq({
          sourceVocab: 20,
          targetVocab: 12,
          embedding: 4,
          units: 6,
          attention,
          cell,
          lengths: {source: 9, target: 7}
        }).model
    ])
  ),
  ...VIT_MODEL_NAMES.map((name): [string, () => tf.LayersModel] => [name, () => VIT_MODELS[name]()]),
  ["tiny vit", () => TINY_VIT_MODELS.vit({seed: 1})],
  ["tiny deit (distilled)", () => TINY_VIT_MODELS.deit({seed: 1})],
  ["cnn with local self-attention and a non-local block", visionAttentionCnn],
  ...(["lstm", "gru"] as const).map((cell): [string, () => tf.LayersModel] => [
    `seq2seq contextEveryStep cell=${cell}`,
    () =>
      seq2seq({
        sourceVocab: 20,
        targetVocab: 12,
        embedding: 4,
        units: 6,
        cell,
        contextEveryStep: true,
        lengths: {source: 9, target: 7}
      }).model
  ])
];

/** Class names of a graph's calls, with the layers inside wrappers (TimeDistributed, Bidirectional). */
function classNames(graph: LayerGraph): Set<string> {
  const names = new Set<string>();
  const visit = (className: string, config: tf.serialization.ConfigDict) => {
    names.add(className);
    const inner = config.layer as {className: string; config: tf.serialization.ConfigDict} | undefined;
    if (inner) visit(inner.className, inner.config);
  };
  for (const call of graph.calls) visit(call.className, call.config);
  return names;
}

describe("every layer class of the course's models has a registered analysis", () => {
  const seen = new Set<string>();
  test.each(MODELS_OF_THE_COURSE)("%s", (_, build) => {
    const graph = dryGraph(build);
    const names = classNames(graph);
    names.forEach((n) => seen.add(n));
    const missing = [...names].filter((n) => !layerAnalysis(n));
    expect(missing, `layer classes with no registered analysis: ${missing.join(", ")}`).toEqual([]);
    // and every counter runs on it
    const totals = countFlops(graph);
    expect(totals.uncounted).toEqual([]);
    expect(totals.params).toBeGreaterThan(0);
    expect(modelSummary(graph)).toHaveLength(graph.calls.length);
    expect(receptiveFields(graph).at(-1)?.global).toBe(true);
    expect(weightLayerCount(graph).depth).toBeGreaterThan(0);
  });

  test("the list covers the sequence layers", () => {
    for (const name of [
      "SimpleRNN",
      "LSTM",
      "GRU",
      "Embedding",
      "LayerNormalization",
      "Bidirectional",
      "PositionEmbedding",
      "MultiHeadAttention",
      "TransformerEncoderLayer",
      "TransformerDecoderLayer",
      "TokenEmbedding",
      "PaddingMask",
      "PositionwiseFeedForward",
      "SinusoidalPositionalEncoding",
      "SourceAttention",
      "ContextConcat",
      "VitEncoderBlock",
      "ClassTokens",
      "SelectToken",
      "NonLocalBlock",
      "LocalSelfAttention"
    ]) {
      expect(seen).toContain(name);
    }
  });
});
