/**
 * Chapter 7 「Transformer」: lib/models/transformer.ts. Parameter counts equal PyTorch's, derived here from PyTorch's
 * module definitions; the analysis counts them too; the small date-task model has the right shapes, masks its
 * padding, saves and loads, learns the date task in a few seconds of Node training, decodes greedily, and shows
 * its attention maps.
 */
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {countFlops} from "../../../lib/analysis/flops.js";
import {modelGraph} from "../../../lib/analysis/graph.js";
import {
  dateTask,
  encodePairs,
  END,
  joinTarget,
  PAD,
  SOURCE_VOCAB,
  START,
  TARGET_VOCAB
} from "../../../lib/data/dates.js";
import {
  buildTransformer,
  dateTransformer,
  feedForwardPair,
  greedyDecodeTransformer,
  TRANSFORMER_MODEL_INFO,
  TRANSFORMER_MODEL_NAMES,
  TRANSFORMER_MODELS,
  TRANSFORMER_PRESETS,
  transformerAttentionMaps
} from "../../../lib/models/transformer.js";
import {batchMean, tokenCrossEntropy} from "../../../lib/train/losses.js";

/**
 * PyTorch's parameter counts from its module definitions (torch 2.x):
 * - torch/nn/modules/activation.py, `MultiheadAttention(embed_dim=E)`: `in_proj_weight` Parameter(3E, E),
 *   `in_proj_bias` Parameter(3E) (bias=True), `out_proj = NonDynamicallyQuantizableLinear(E, E, bias=True)`.
 * - torch/nn/modules/linear.py, `Linear(i, o)`: weight (o, i), bias (o). normalization.py, `LayerNorm(E)`: weight and
 *   bias (E) each (elementwise_affine=True).
 * - torch/nn/modules/transformer.py: `TransformerEncoderLayer` = self_attn, linear1 (E → F), linear2 (F → E), norm1,
 *   norm2 (dropouts have no parameters); `TransformerDecoderLayer` = self_attn, multihead_attn, linear1, linear2,
 *   norm1, norm2, norm3; `Transformer(d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6,
 *   dim_feedforward=2048)` = TransformerEncoder(6 layers, norm=LayerNorm(E)) + TransformerDecoder(6 layers,
 *   norm=LayerNorm(E)).
 */
const torch = {
  multiheadAttention: (e: number) => 3 * e * e + 3 * e + (e * e + e),
  linear: (i: number, o: number) => i * o + o,
  layerNorm: (e: number) => 2 * e,
  encoderLayer(e: number, f: number) {
    return this.multiheadAttention(e) + this.linear(e, f) + this.linear(f, e) + 2 * this.layerNorm(e);
  },
  decoderLayer(e: number, f: number) {
    return 2 * this.multiheadAttention(e) + this.linear(e, f) + this.linear(f, e) + 3 * this.layerNorm(e);
  },
  transformer(e = 512, layers = 6, f = 2048) {
    return layers * this.encoderLayer(e, f) + this.layerNorm(e) + layers * this.decoderLayer(e, f) + this.layerNorm(e);
  }
};

const trainable = (m: tf.LayersModel) => m.trainableWeights.reduce((n, w) => n + w.read().size, 0);

describe("PyTorch-sized models (weights: zeros)", () => {
  test("the reference counts follow from PyTorch's module definitions", () => {
    expect(torch.transformer()).toBe(44_140_544);
    expect(torch.encoderLayer(512, 2048)).toBe(3_152_384);
    expect(TRANSFORMER_MODEL_INFO.transformer.pytorch.params).toBe(torch.transformer());
    expect(TRANSFORMER_MODEL_INFO.transformer_encoder_layer.pytorch.params).toBe(torch.encoderLayer(512, 2048));
    expect(TRANSFORMER_MODEL_NAMES).toEqual(["transformer", "transformer_encoder_layer"]);
  });

  test("nn.Transformer(): 44,140,544 trainable parameters, counted by the analysis too", () => {
    const model = TRANSFORMER_MODELS.transformer({weights: "zeros"});
    try {
      expect(model.inputs.map((i) => i.shape)).toEqual([
        [null, 10, 512],
        [null, 20, 512]
      ]);
      expect(model.outputs[0].shape).toEqual([null, 20, 512]);
      expect(trainable(model)).toBe(torch.transformer());
      const totals = countFlops(modelGraph(model));
      expect(totals.trainableParams).toBe(torch.transformer());
      expect(totals.params).toBe(model.countParams());
      expect(totals.uncounted).toEqual([]);
      // multiply-adds by hand: encoder layer S·4E² (projections) + 2S²E (scores, sum) + 2SEF; decoder layer:
      // self T·4E² + 2T²E, cross 2TE² + 2SE² + 2TSE, feed-forward 2TEF
      const [E, F, S, T] = [512, 2048, 10, 20];
      const enc = 4 * S * E * E + 2 * S * S * E + 2 * S * E * F;
      const dec = 4 * T * E * E + 2 * T * T * E + (2 * T * E * E + 2 * S * E * E + 2 * T * S * E) + 2 * T * E * F;
      expect(totals.macs).toBe(6 * enc + 6 * dec);
      // other lengths: the same parameters
      const longer = TRANSFORMER_MODELS.transformer({weights: "zeros", sourceLength: 3, targetLength: 7});
      expect(trainable(longer)).toBe(torch.transformer());
      longer.dispose();
    } finally {
      model.dispose();
    }
  });

  test("nn.TransformerEncoderLayer(d_model=512, nhead=8): 3,152,384", () => {
    const model = TRANSFORMER_MODELS.transformer_encoder_layer({weights: "zeros"});
    try {
      expect(trainable(model)).toBe(torch.encoderLayer(512, 2048));
      expect(countFlops(model).trainableParams).toBe(torch.encoderLayer(512, 2048));
    } finally {
      model.dispose();
    }
  });
});

const task = dateTask({train: 3000, test: 200, seed: 3, maxDates: 1});
const dims = {
  sourceLength: task.sourceLength,
  targetLength: task.targetLength,
  sourceVocab: SOURCE_VOCAB.size,
  targetVocab: TARGET_VOCAB.size
};

describe("the small Transformer on the date task", () => {
  test("shapes; pre-set sizes; the analysis counts it; save and load give the same logits", async () => {
    const model = dateTransformer(dims, {}, {seed: 1});
    const pairs = encodePairs(task.test.slice(0, 4), {source: dims.sourceLength, target: dims.targetLength});
    try {
      const preset = TRANSFORMER_PRESETS.dates;
      const [E, F, Vs, Vt] = [preset.dModel, preset.dimFeedforward, dims.sourceVocab, dims.targetVocab];
      // embeddings + one encoder layer + one decoder layer + the output layer
      expect(model.countParams()).toBe(
        Vs * E + Vt * E + torch.encoderLayer(E, F) + torch.decoderLayer(E, F) + Vt * E + Vt
      );
      expect(countFlops(model).params).toBe(model.countParams());
      const logits = model.predict([pairs.source, pairs.decoderInput]) as tf.Tensor;
      expect(logits.shape).toEqual([4, dims.targetLength, Vt]);
      let saved: tf.io.ModelArtifacts | undefined;
      await model.save(
        tf.io.withSaveHandler(async (a) => {
          saved = a;
          return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: "JSON"}};
        })
      );
      const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
      const again = loaded.predict([pairs.source, pairs.decoderInput]) as tf.Tensor;
      expect(Array.from(again.dataSync())).toEqual(Array.from(logits.dataSync()));
      tf.dispose([logits, again]);
      loaded.dispose();
    } finally {
      tf.dispose([pairs.source, pairs.decoderInput, pairs.target]);
      model.dispose();
    }
  });

  test("source padding is masked: the PAD embedding cannot reach the output; the decoder is causal", () => {
    const model = dateTransformer(dims, {}, {seed: 2});
    const pairs = encodePairs(task.test.slice(0, 3), {source: dims.sourceLength, target: dims.targetLength});
    const logits = () => tf.tidy(() => model.predict([pairs.source, pairs.decoderInput]) as tf.Tensor);
    /** Logits after adding 5 to one row of the source embedding table, then the table restored. */
    const withRowChanged = (id: number) => {
      const layer = model.getLayer("source_embedding");
      const [table] = layer.getWeights();
      const changed = tf.tidy(() => tf.add(table, tf.mul(tf.oneHot([id], dims.sourceVocab).reshape([-1, 1]), 5)));
      const original = tf.clone(table);
      layer.setWeights([changed]);
      const out = logits();
      layer.setWeights([original]);
      tf.dispose([changed, original]);
      return out;
    };
    try {
      const base = logits();
      const padChanged = withRowChanged(PAD);
      const source = pairs.source.arraySync() as number[][];
      const realId = source[0][source[0].length - 1];
      const realChanged = withRowChanged(realId);
      const gap = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).arraySync() as number);
      expect(source.flat()).toContain(PAD);
      expect(gap(base, padChanged)).toBeLessThan(1e-6);
      expect(gap(base, realChanged)).toBeGreaterThan(1e-3);
      tf.dispose([base, padChanged, realChanged]);
      // causal: change decoder inputs from position 5 on; logits at positions 0..4 stay the same
      const [before, after] = tf.tidy(() => {
        const dec = pairs.decoderInput;
        const t = dims.targetLength;
        const later = tf.concat([tf.slice(dec, [0, 0], [-1, 5]), tf.fill([3, t - 5], 7, "int32")], 1);
        const a = model.predict([pairs.source, dec]) as tf.Tensor;
        const b = model.predict([pairs.source, later]) as tf.Tensor;
        const part = (x: tf.Tensor, from: number, size: number) => tf.slice(x, [0, from, 0], [-1, size, -1]);
        return [
          tf.max(tf.abs(tf.sub(part(a, 0, 5), part(b, 0, 5)))).arraySync() as number,
          tf.max(tf.abs(tf.sub(part(a, 5, t - 5), part(b, 5, t - 5)))).arraySync() as number
        ];
      });
      expect(before).toBe(0);
      expect(after).toBeGreaterThan(1e-4);
    } finally {
      tf.dispose([pairs.source, pairs.decoderInput, pairs.target]);
      model.dispose();
    }
  });

  test("a short Node training learns the task (held-out token accuracy), then greedy decoding translates", async () => {
    const model = dateTransformer(dims, {}, {seed: 1});
    const lengths = {source: dims.sourceLength, target: dims.targetLength};
    const tr = encodePairs(task.train, lengths);
    const te = encodePairs(task.test, lengths);
    const loss = tokenCrossEntropy({padToken: PAD, from: "logits"});
    const optimizer = tf.train.adam(0.005);
    const heldOut = () =>
      tf.tidy(
        () =>
          batchMean(
            loss.metrics.accuracy,
            te.target,
            model.predict([te.source, te.decoderInput]) as tf.Tensor
          ).arraySync() as number
      );
    try {
      const before = heldOut();
      const B = 64;
      for (let step = 0; step < 100; step++) {
        const i = (step * B) % (task.train.length - B);
        tf.tidy(() => {
          const batch = [tr.source, tr.decoderInput, tr.target].map((t) => tf.slice(t, [i, 0], [B, -1]));
          optimizer.minimize(
            () => batchMean(loss, batch[2], model.apply([batch[0], batch[1]], {training: true}) as tf.Tensor),
            false
          );
        });
      }
      const after = heldOut();
      // chance is 1/V ≈ 0.04; the untrained model is near it
      expect(before).toBeLessThan(0.2);
      expect(after).toBeGreaterThan(0.85);

      const n = 20;
      const src = tf.slice(te.source, [0, 0], [n, -1]);
      const {ids, ended} = await greedyDecodeTransformer(model, src, {start: START, end: END, pad: PAD});
      src.dispose();
      const texts = ids.map((row) => joinTarget(row.map((id) => TARGET_VOCAB.tokens[id])));
      const exact = texts.filter((t, k) => t === task.test[k].target).length;
      expect(ended.filter(Boolean).length).toBeGreaterThan(n / 2);
      expect(exact).toBeGreaterThan(n / 4);
    } finally {
      tf.dispose([tr.source, tr.decoderInput, tr.target, te.source, te.decoderInput, te.target]);
      optimizer.dispose();
      model.dispose();
    }
  });

  test("attention maps: every layer's weights, rows summing to 1, no weight on source padding", () => {
    const model = dateTransformer(dims, {encoderLayers: 2}, {seed: 4});
    const pairs = encodePairs(task.test.slice(0, 2), {source: dims.sourceLength, target: dims.targetLength});
    const maps = transformerAttentionMaps(model, [pairs.source, pairs.decoderInput]);
    try {
      const [S, T, H] = [dims.sourceLength, dims.targetLength, TRANSFORMER_PRESETS.dates.numHeads];
      expect(maps.encoder.map((m) => [m.name, m.self.shape])).toEqual([
        ["encoder.layers.0", [2, H, S, S]],
        ["encoder.layers.1", [2, H, S, S]]
      ]);
      expect(maps.decoder.map((m) => [m.name, m.self.shape, m.cross.shape])).toEqual([
        ["decoder.layers.0", [2, H, T, T], [2, H, T, S]]
      ]);
      const cross = maps.decoder[0].cross.arraySync() as number[][][][];
      const source = pairs.source.arraySync() as number[][];
      for (let b = 0; b < 2; b++) {
        for (const row of cross[b].flat()) {
          expect(row.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 5);
          row.forEach((w, s) => source[b][s] === PAD && expect(w).toBe(0));
        }
      }
      const self = maps.decoder[0].self.arraySync() as number[][][][];
      self[0][0].forEach((row, i) => row.forEach((w, j) => j > i && expect(w).toBe(0)));
    } finally {
      tf.dispose([pairs.source, pairs.decoderInput, pairs.target]);
      tf.dispose([...maps.encoder.map((m) => m.self), ...maps.decoder.flatMap((m) => [m.self, m.cross])]);
      model.dispose();
    }
  });

  test("SA3 pair: the same model with and without feed-forward sub-layers", () => {
    const {withFeedForward, withoutFeedForward} = feedForwardPair(dims, {}, {seed: 5});
    const E = TRANSFORMER_PRESETS.dates.dModel;
    const F = TRANSFORMER_PRESETS.dates.dimFeedforward;
    // each of the 2 layers loses its two linear layers and one LayerNorm
    expect(withFeedForward.countParams() - withoutFeedForward.countParams()).toBe(
      2 * (torch.linear(E, F) + torch.linear(F, E) + torch.layerNorm(E))
    );
    withFeedForward.dispose();
    withoutFeedForward.dispose();
  });

  test("a vector-input Transformer of any size builds; pre-norm too", () => {
    const model = buildTransformer(
      {
        ...TRANSFORMER_PRESETS.transformer,
        dModel: 16,
        numHeads: 4,
        dimFeedforward: 8,
        encoderLayers: 2,
        decoderLayers: 2,
        normFirst: true
      },
      {seed: 1}
    );
    const y = tf.tidy(() => (model.predict([tf.ones([1, 10, 16]), tf.ones([1, 20, 16])]) as tf.Tensor).shape);
    expect(y).toEqual([1, 20, 16]);
    expect(model.countParams()).toBe(torch.transformer(16, 2, 8));
    model.dispose();
  });
});
