/**
 * The Transformer: chapter 7 「Transformer」 (T1 parallel training, T2 Add & Norm) and chapter 6 「Attention」's
 * experiments (SA3 with and without the feed-forward module, the heads of a trained model).
 *
 * Paper: Vaswani, Shazeer, Parmar, Uszkoreit, Jones, Gomez, Kaiser, Polosukhin, "Attention Is All You Need",
 * NeurIPS 2017, https://arxiv.org/abs/1706.03762.
 * Reference implementation: PyTorch's `torch.nn.Transformer` (torch/nn/modules/transformer.py) with
 * `nn.MultiheadAttention` (torch/nn/modules/activation.py). The building blocks are in ./layers/attention.ts,
 * ./layers/transformer-layers.ts, ./layers/positional-encoding.ts and ./layers/token-embedding.ts.
 *
 * - `transformer`: `nn.Transformer()` with its defaults: d_model 512, 8 heads, 6 encoder + 6 decoder layers,
 *   d_ff 2048, dropout 0.1, ReLU, post-norm, a final LayerNorm on each stack; no embeddings: two inputs of
 *   d_model-wide vectors, src [B, S, 512] and tgt [B, T, 512] (S = 10, T = 20 as in PyTorch's docs example), output
 *   [B, T, 512]. The decoder's self-attention is causal (PyTorch: `tgt_mask=generate_square_subsequent_mask(T)`).
 * - `transformer_encoder_layer`: one `nn.TransformerEncoderLayer(d_model=512, nhead=8)` on [B, T, 512].
 * - `TRANSFORMER_PRESETS.dates`: a small one that trains in a tab on the date task (lib/data/dates.ts): token
 *   embeddings × √d plus the sinusoidal encoding, source padding masked, causal decoder, a linear output layer giving
 *   logits [B, T, V] (train with `tokenCrossEntropy({padToken: PAD, from: "logits"})`).
 * Differs from the paper: PyTorch's final LayerNorm on each stack (the paper has none; with post-norm it is a second
 * norm in a row); no label smoothing, no weight sharing between the embeddings and the output layer, no dropout in
 * the small preset. Differs from PyTorch: see ./layers/transformer-layers.ts (biases start at 0, [in, out] weights).
 */
import {tf} from "../tf.js";
import type {BuildOptions} from "./common.js";
import {MultiHeadAttention} from "./layers/attention.js";
import {positionEmbedding} from "./layers/position-embedding.js";
import {sinusoidalPositionalEncoding} from "./layers/positional-encoding.js";
import {PaddingMask, TokenEmbedding} from "./layers/token-embedding.js";
import {TransformerDecoderLayer, TransformerEncoderLayer, LAYER_NORM_EPS} from "./layers/transformer-layers.js";

export interface TransformerTokens {
  sourceVocab: number;
  targetVocab: number;
  /** Source positions holding this id are masked out of every attention. */
  padToken: number;
  /** How positions enter: the paper's sinusoids (default), learned vectors, or not at all (SA2's broken order). */
  positions?: "sinusoidal" | "learned" | "none";
}

export interface TransformerConfig {
  name: string;
  dModel: number;
  numHeads: number;
  encoderLayers: number;
  decoderLayers: number;
  /** d_ff; 0: no feed-forward sub-layers (SA3). */
  dimFeedforward: number;
  dropout: number;
  normFirst: boolean;
  /** PyTorch's `encoder.norm` / `decoder.norm`: a LayerNorm after each stack. */
  finalNorm: boolean;
  sourceLength: number;
  targetLength: number;
  /** Token ids in, logits out; null: d_model-wide vectors in and out (`nn.Transformer`). */
  tokens: TransformerTokens | null;
}

/** Named presets: the PyTorch default and the small one for the date task (lengths set by the task). */
export const TRANSFORMER_PRESETS = {
  transformer: {
    name: "transformer",
    dModel: 512,
    numHeads: 8,
    encoderLayers: 6,
    decoderLayers: 6,
    dimFeedforward: 2048,
    dropout: 0.1,
    normFirst: false,
    finalNorm: true,
    sourceLength: 10,
    targetLength: 20,
    tokens: null
  },
  dates: {
    name: "transformer_dates",
    dModel: 32,
    numHeads: 2,
    encoderLayers: 1,
    decoderLayers: 1,
    dimFeedforward: 64,
    dropout: 0,
    normFirst: false,
    finalNorm: false,
    sourceLength: 16,
    targetLength: 18,
    tokens: {sourceVocab: 80, targetVocab: 24, padToken: 0, positions: "sinusoidal"}
  }
} satisfies Record<string, TransformerConfig>;

/** Per-layer seeds: layer i's weights start from seed + 16·i (each layer advances by one per weight). */
function seeder(opts: BuildOptions) {
  let i = 0;
  return () => (opts.seed === undefined ? undefined : opts.seed + 16 * i++);
}

const sym = (x: tf.SymbolicTensor | tf.SymbolicTensor[] | tf.Tensor | tf.Tensor[]) => x as tf.SymbolicTensor;

/**
 * Build a Transformer. Vector inputs (`tokens: null`): inputs `src` [B, S, d] and `tgt` [B, T, d], output [B, T, d].
 * Token inputs: `source` int32 [B, S] (PAD where padded) and `decoderInput` int32 [B, T], output logits [B, T, V].
 * Layer names follow PyTorch's modules: `encoder.layers.0`, `encoder.norm`, `decoder.layers.0`, `decoder.norm`.
 */
export function buildTransformer(config: TransformerConfig, opts: BuildOptions = {}): tf.LayersModel {
  const c = config;
  const nextSeed = seeder(opts);
  const init = opts.weights === "zeros" ? "zeros" : "random";
  const layerArgs = {
    numHeads: c.numHeads,
    dimFeedforward: c.dimFeedforward,
    dropout: c.dropout,
    normFirst: c.normFirst,
    initWeights: init
  } as const;
  const finalNorm = (x: tf.SymbolicTensor, name: string) =>
    c.finalNorm ? sym(tf.layers.layerNormalization({epsilon: LAYER_NORM_EPS, name}).apply(x)) : x;

  let src: tf.SymbolicTensor, tgt: tf.SymbolicTensor;
  let x: tf.SymbolicTensor, y: tf.SymbolicTensor;
  let mask: tf.SymbolicTensor | null = null;
  if (c.tokens) {
    const t = c.tokens;
    src = tf.input({shape: [c.sourceLength], dtype: "int32", name: "source"});
    tgt = tf.input({shape: [c.targetLength], dtype: "int32", name: "decoderInput"});
    mask = sym(new PaddingMask({padToken: t.padToken, name: "source_mask"}).apply(src)); // [B, S]
    const embed = (ids: tf.SymbolicTensor, vocab: number, name: string) => {
      // [B, L] -> [B, L, d]
      const e = sym(
        new TokenEmbedding({inputDim: vocab, outputDim: c.dModel, initWeights: init, seed: nextSeed(), name}).apply(ids)
      );
      const positions = t.positions ?? "sinusoidal";
      if (positions === "none") return e;
      const pos =
        positions === "sinusoidal"
          ? sinusoidalPositionalEncoding({name: `${name}.positions`})
          : positionEmbedding({seed: nextSeed(), name: `${name}.positions`});
      return sym(pos.apply(e));
    };
    x = embed(src, t.sourceVocab, "source_embedding");
    y = embed(tgt, t.targetVocab, "target_embedding");
  } else {
    src = tf.input({shape: [c.sourceLength, c.dModel], name: "src"});
    tgt = tf.input({shape: [c.targetLength, c.dModel], name: "tgt"});
    x = src;
    y = tgt;
  }

  // encoder: [B, S, d] -> [B, S, d]
  for (let i = 0; i < c.encoderLayers; i++) {
    const layer = new TransformerEncoderLayer({...layerArgs, seed: nextSeed(), name: `encoder.layers.${i}`});
    x = sym(layer.apply(mask ? [x, mask] : x));
  }
  const memory = finalNorm(x, "encoder.norm");

  // decoder: [B, T, d] with memory [B, S, d] -> [B, T, d]
  for (let i = 0; i < c.decoderLayers; i++) {
    const layer = new TransformerDecoderLayer({
      ...layerArgs,
      causal: true,
      seed: nextSeed(),
      name: `decoder.layers.${i}`
    });
    y = sym(layer.apply(mask ? [y, memory, mask] : [y, memory]));
  }
  y = finalNorm(y, "decoder.norm");

  if (c.tokens) {
    // [B, T, d] -> [B, T, V] logits
    const seed = nextSeed();
    y = sym(
      tf.layers
        .dense({
          units: c.tokens.targetVocab,
          kernelInitializer: init === "zeros" ? "zeros" : tf.initializers.glorotUniform({seed}),
          name: "generator"
        })
        .apply(y)
    );
  }
  return tf.model({inputs: [src, tgt], outputs: y, name: opts.name ?? c.name});
}

/** One `nn.TransformerEncoderLayer(d_model, nhead)` (defaults 512, 8) as a model on [B, T, d]. */
export function buildEncoderLayerModel(
  config: {dModel?: number; numHeads?: number; dimFeedforward?: number; length?: number} = {},
  opts: BuildOptions = {}
): tf.LayersModel {
  const {dModel = 512, numHeads = 8, dimFeedforward = 2048, length = 10} = config;
  const x = tf.input({shape: [length, dModel], name: "src"});
  const layer = new TransformerEncoderLayer({
    numHeads,
    dimFeedforward,
    initWeights: opts.weights === "zeros" ? "zeros" : "random",
    seed: opts.seed,
    name: "encoder_layer"
  });
  return tf.model({inputs: x, outputs: sym(layer.apply(x)), name: opts.name ?? "transformer_encoder_layer"});
}

/** What a sequence registry builder takes: chapter 3's build options plus the sequence lengths. */
export interface SequenceModelOptions extends BuildOptions {
  sourceLength?: number;
  targetLength?: number;
}

export type TransformerModelName = "transformer" | "transformer_encoder_layer";

/** The PyTorch-sized models by name; `weights: "zeros"` counts without random initialisation. */
export const TRANSFORMER_MODELS: Record<TransformerModelName, (opts?: SequenceModelOptions) => tf.LayersModel> = {
  transformer: ({sourceLength, targetLength, ...build} = {}) =>
    buildTransformer(
      {
        ...TRANSFORMER_PRESETS.transformer,
        sourceLength: sourceLength ?? TRANSFORMER_PRESETS.transformer.sourceLength,
        targetLength: targetLength ?? TRANSFORMER_PRESETS.transformer.targetLength
      },
      build
    ),
  transformer_encoder_layer: ({sourceLength, targetLength: _t, ...build} = {}) =>
    buildEncoderLayerModel({length: sourceLength}, build)
};

export interface TransformerModelInfo {
  name: TransformerModelName;
  title: string;
  /** The PyTorch module it equals, and that module's `sum(p.numel() for p in m.parameters())`. */
  pytorch: {module: string; params: number};
}

export const TRANSFORMER_MODEL_INFO: Record<TransformerModelName, TransformerModelInfo> = {
  transformer: {
    name: "transformer",
    title: "Transformer (base)",
    pytorch: {module: "torch.nn.Transformer()", params: 44_140_544}
  },
  transformer_encoder_layer: {
    name: "transformer_encoder_layer",
    title: "Transformer encoder layer",
    pytorch: {module: "torch.nn.TransformerEncoderLayer(d_model=512, nhead=8)", params: 3_152_384}
  }
};

export const TRANSFORMER_MODEL_NAMES = Object.keys(TRANSFORMER_MODELS) as TransformerModelName[];

/**
 * The small Transformer for the date task: `TRANSFORMER_PRESETS.dates` with the task's lengths and vocabularies and
 * any overrides (e.g. `{dimFeedforward: 0}` for SA3, `{tokens: {…, positions: "none"}}` for SA2).
 */
export function dateTransformer(
  task: {sourceLength: number; targetLength: number; sourceVocab: number; targetVocab: number},
  overrides: Partial<Omit<TransformerConfig, "tokens">> & {positions?: TransformerTokens["positions"]} = {},
  opts: BuildOptions = {}
): tf.LayersModel {
  const {positions, ...rest} = overrides;
  const preset = TRANSFORMER_PRESETS.dates;
  return buildTransformer(
    {
      ...preset,
      ...rest,
      sourceLength: task.sourceLength,
      targetLength: task.targetLength,
      tokens: {
        sourceVocab: task.sourceVocab,
        targetVocab: task.targetVocab,
        padToken: preset.tokens.padToken,
        positions: positions ?? preset.tokens.positions
      }
    },
    opts
  );
}

/** The same small model with and without its feed-forward sub-layers (SA3), same seed for everything else. */
export function feedForwardPair(
  task: Parameters<typeof dateTransformer>[0],
  overrides: Parameters<typeof dateTransformer>[1] = {},
  opts: BuildOptions = {}
): {withFeedForward: tf.LayersModel; withoutFeedForward: tf.LayersModel} {
  const dff = overrides.dimFeedforward ?? TRANSFORMER_PRESETS.dates.dimFeedforward;
  return {
    withFeedForward: dateTransformer(task, {...overrides, dimFeedforward: dff}, {...opts, name: "with_ffn"}),
    withoutFeedForward: dateTransformer(task, {...overrides, dimFeedforward: 0}, {...opts, name: "without_ffn"})
  };
}

export interface GreedyDecodeOptions {
  start: number;
  end: number;
  pad?: number;
}

/**
 * Greedy decoding with a token Transformer: start from START, run the model, take the most likely token at the
 * next position, feed it back, until END or T tokens (one full forward pass per step: no key/value cache). Source
 * ids [N, S]; returns each example's ids (without START and END) and whether END came. Disposes what it makes.
 */
export async function greedyDecodeTransformer(
  model: tf.LayersModel,
  source: tf.Tensor,
  opts: GreedyDecodeOptions
): Promise<{ids: number[][]; ended: boolean[]}> {
  const [n] = source.shape;
  const t = model.inputs[1].shape[1]!;
  const decoderInput = new Int32Array(n * t).fill(opts.pad ?? 0);
  for (let i = 0; i < n; i++) decoderInput[i * t] = opts.start;
  const ids: number[][] = Array.from({length: n}, () => []);
  const ended = new Array<boolean>(n).fill(false);
  for (let step = 0; step < t; step++) {
    const next = tf.tidy(() => {
      const dec = tf.tensor2d(decoderInput, [n, t], "int32");
      const logits = model.predict([source, dec]) as tf.Tensor; // [N, T, V]
      // [N, 1, V] at this step -> [N]
      return tf.argMax(tf.squeeze(tf.slice(logits, [0, step, 0], [n, 1, -1]), [1]), -1);
    });
    const values = await next.data();
    next.dispose();
    for (let i = 0; i < n; i++) {
      if (ended[i]) continue;
      if (values[i] === opts.end) ended[i] = true;
      else {
        ids[i].push(values[i]);
        if (step + 1 < t) decoderInput[i * t + step + 1] = values[i];
      }
    }
    if (ended.every(Boolean)) break;
  }
  return {ids, ended};
}

/** Attention weights of every layer of a Transformer on one input pair: [B, h, T_q, T_k] per map. */
export interface TransformerAttentionMaps {
  encoder: {name: string; self: tf.Tensor}[];
  decoder: {name: string; self: tf.Tensor; cross: tf.Tensor}[];
}

/**
 * Every encoder and decoder layer's attention weights (inference mode) for inputs [source, decoderInput]: the layers'
 * inputs are computed by a probe model that shares the weights, then each layer runs eagerly with its maps. Also
 * covers a stand-alone `MultiHeadAttention` layer (as an encoder entry). The caller disposes the tensors.
 */
export function transformerAttentionMaps(model: tf.LayersModel, inputs: tf.Tensor[]): TransformerAttentionMaps {
  const layers = model.layers.filter(
    (l) =>
      l instanceof TransformerEncoderLayer || l instanceof TransformerDecoderLayer || l instanceof MultiHeadAttention
  );
  const layerInputs = layers.map((l) => (Array.isArray(l.input) ? l.input : [l.input]));
  // each symbolic tensor once (a model with a repeated output fails to predict)
  const unique = [...new Set(layerInputs.flat())];
  return tf.tidy(() => {
    const probe = tf.model({inputs: model.inputs, outputs: unique});
    const values = probe.predict(inputs) as tf.Tensor | tf.Tensor[];
    const list = Array.isArray(values) ? values : [values];
    const valueOf = new Map(unique.map((t, i) => [t, list[i]]));
    const result: TransformerAttentionMaps = {encoder: [], decoder: []};
    layers.forEach((layer, i) => {
      const args = layerInputs[i].map((t) => valueOf.get(t)!);
      if (layer instanceof MultiHeadAttention) {
        result.encoder.push({name: layer.name, self: layer.attention(args).weights});
      } else if (layer instanceof TransformerDecoderLayer) {
        const maps = layer.attentionMaps(args).maps;
        result.decoder.push({name: layer.name, self: maps.self, cross: maps.cross!});
      } else {
        result.encoder.push({name: layer.name, self: (layer as TransformerEncoderLayer).attentionMaps(args).maps.self});
      }
    });
    return result as unknown as tf.TensorContainer;
  }) as unknown as TransformerAttentionMaps;
}
