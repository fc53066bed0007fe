import {describe, expect, test} from "vitest";
import {dryBuild} from "../../../lib/analysis/dry-build.js";
import {
  buildTransformer,
  dateTransformer,
  TRANSFORMER_MODEL_INFO,
  TRANSFORMER_MODELS,
  TRANSFORMER_PRESETS
} from "../../../lib/models/transformer.js";
import {SOURCE_VOCAB, TARGET_VOCAB} from "../../../lib/data/dates.js";
import {deepStackStats, type DeepStackStats} from "../../../lib/train/deep-stack.js";
import {
  accuracyAt,
  architectureSvg,
  describeT1,
  describeT2,
  summarizeT2,
  diagramBoxes,
  encoderLayerParams,
  gradientRatio,
  sequentialSteps,
  transformerArchitecture,
  wellBehaved,
  type T1Row
} from "../../../lib/viz/transformer.js";

const dims = {sourceLength: 12, targetLength: 14, sourceVocab: SOURCE_VOCAB.size, targetVocab: TARGET_VOCAB.size};

describe("transformerArchitecture", () => {
  test("nn.Transformer (dry build): 6 + 6 post-norm layers, final norms, PyTorch's 44,140,544 by parts", () => {
    const model = dryBuild(() => TRANSFORMER_MODELS.transformer({weights: "zeros"}));
    const a = transformerArchitecture(model);
    expect(a.dModel).toBe(512);
    expect([a.encoder.layers, a.decoder.layers]).toEqual([6, 6]);
    expect(a.encoder.sublayers).toEqual(["self-attention", "feed-forward"]);
    expect(a.decoder.sublayers).toEqual(["masked-self-attention", "cross-attention", "feed-forward"]);
    expect(a.encoder.normFirst).toBe(false);
    expect(a.encoder.paramsPerLayer).toBe(encoderLayerParams(512, 2048).total);
    expect(a.encoder.paramsPerLayer).toBe(TRANSFORMER_MODEL_INFO.transformer_encoder_layer.pytorch.params);
    // decoder layer: two attentions, three norms (hand count)
    expect(a.decoder.paramsPerLayer).toBe(2 * (4 * 512 * 512 + 4 * 512) + (2 * 512 * 2048 + 2048 + 512) + 3 * 2 * 512);
    expect(a.params.finalNorms).toBe(2 * 2 * 512);
    expect(a.tokens).toBeNull();
    expect(a.params.total).toBe(TRANSFORMER_MODEL_INFO.transformer.pytorch.params);
    expect(a.params.encoder + a.params.decoder + a.params.finalNorms).toBe(a.params.total);
  });

  test("the small preset: token embeddings, sinusoidal positions, generator; parts add up", () => {
    const model = dateTransformer(dims, {}, {seed: 1, weights: "zeros"});
    try {
      const a = transformerArchitecture(model);
      const p = TRANSFORMER_PRESETS.dates;
      expect(a.dModel).toBe(p.dModel);
      expect(a.tokens?.positions).toBe("sinusoidal");
      expect(a.tokens?.embeddingParams).toBe((dims.sourceVocab + dims.targetVocab) * p.dModel);
      expect(a.tokens?.generatorParams).toBe(dims.targetVocab * p.dModel + dims.targetVocab);
      expect(a.params.total).toBe(model.countParams());
      expect(a.params.encoder + a.params.decoder + a.params.embeddings + a.params.generator).toBe(a.params.total);
    } finally {
      model.dispose();
    }
  });

  test("the diagram follows the model: post-norm Add & Norm, pre-norm LayerNorm before and Add after", () => {
    const post = transformerArchitecture(dryBuild(() => TRANSFORMER_MODELS.transformer({weights: "zeros"})));
    const kinds = (a: typeof post, column: string) =>
      diagramBoxes(a)
        .filter((b) => b.column === column && b.repeated)
        .map((b) => b.kind);
    expect(kinds(post, "encoder")).toEqual(["self-attention", "add-norm", "feed-forward", "add-norm"]);
    expect(kinds(post, "decoder")).toEqual([
      "masked-self-attention",
      "add-norm",
      "cross-attention",
      "add-norm",
      "feed-forward",
      "add-norm"
    ]);
    const pre = transformerArchitecture(
      dryBuild(() => buildTransformer({...TRANSFORMER_PRESETS.transformer, normFirst: true}, {weights: "zeros"}))
    );
    expect(kinds(pre, "encoder")).toEqual(["norm", "self-attention", "add", "norm", "feed-forward", "add"]);
    const svg = architectureSvg(post, {width: 640});
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/class="arch-shortcut"/g)?.length).toBe(5); // 2 encoder + 3 decoder sub-layers
    expect(svg.match(/class="arch-memory"/g)?.length).toBe(1);
    expect(svg).toContain("× 6");
    expect(svg).not.toMatch(/\blayers?\b/i); // the course writes 층
    const encoderOnly = architectureSvg(post, {width: 380, only: "encoder"});
    expect(encoderOnly.match(/class="arch-shortcut"/g)?.length).toBe(2);
    expect(encoderOnly).not.toContain("arch-memory");
    expect(encoderOnly).not.toContain('data-column="decoder"');
    const narrow = architectureSvg(post, {width: 360});
    expect(narrow).toContain('width="360"');
  });
});

describe("counts", () => {
  test("sequential steps: RNN S + T, Transformer layers", () => {
    expect(sequentialSteps({kind: "rnn", sourceLength: 34, targetLength: 37})).toBe(71);
    expect(sequentialSteps({kind: "transformer", encoderLayers: 1, decoderLayers: 1})).toBe(2);
  });
});

describe("sentences", () => {
  const row = (name: string, spe: number, steps: number, curve: [number, number][], seq: number): T1Row => ({
    name,
    params: 1000,
    secondsPerEpoch: spe,
    sequentialSteps: steps,
    curve: curve.map(([seconds, accuracy]) => ({seconds, accuracy})),
    sequenceAccuracy: seq
  });
  test("T1: faster model, ratio, same-time accuracy, and the honest line when the Transformer is slower", () => {
    const tr = row(
      "Transformer",
      12,
      2,
      [
        [5, 0.5],
        [10, 0.8],
        [24, 0.95]
      ],
      0.6
    );
    const lstm = row(
      "LSTM",
      8,
      71,
      [
        [4, 0.4],
        [8, 0.7],
        [16, 0.9]
      ],
      0.5
    );
    expect(accuracyAt(tr.curve, 16)).toBe(0.8);
    expect(accuracyAt(tr.curve, 1)).toBe(0);
    const s = describeT1([tr, lstm], {backend: "wasm", epochs: 2, examples: 4000, cores: 2});
    expect(s).toContain("Transformer 12.0 s, LSTM 8.00 s로 LSTM이 1.50배 빨랐습니다");
    expect(s).toContain("LSTM 71개, Transformer 2개");
    expect(s).toContain(
      "같은 학습 시간 16.0 s (먼저 끝난 쪽의 학습 시간)에서 held-out 토큰 정확도는 Transformer 80.0%, LSTM 90.0%로 LSTM이 앞섰습니다"
    );
    expect(s).toContain(
      '같은 2 epoch이 끝난 뒤 (학습 시간 Transformer 24.0 s, LSTM 16.0 s) 토큰 정확도는 Transformer 95.0%, LSTM 90.0% (표의 "토큰 정확도 (학습 끝)"), greedy decoding의 시퀀스 정확도는 Transformer 60.0%, LSTM 50.0%'
    );
    expect(s).toContain("CPU 코어 2개");
    const faster = describeT1([row("Transformer", 4, 2, [[8, 0.9]], 0.7), lstm], {
      backend: "webgl",
      epochs: 2,
      examples: 4000
    });
    expect(faster).toContain("Transformer가 2.00배 빨랐습니다");
    expect(faster).not.toContain("이어지지 않았습니다");
  });
  test("T2: computed from deepStackStats of the four variants (12 layers)", () => {
    const variants = [
      {name: "Add & Norm", residual: true, norm: true},
      {name: "Add만", residual: true, norm: false},
      {name: "Norm만", residual: false, norm: true},
      {name: "둘 다 없음", residual: false, norm: false}
    ].map((v) => ({
      ...v,
      stats: deepStackStats({layers: 12, residual: v.residual, norm: v.norm, batch: 2, length: 6})
    }));
    const s = describeT2(variants);
    expect(s).toContain("12개 층");
    for (const v of variants) expect(s).toContain(v.name);
    // post-norm with Add & Norm: every layer's output is normalised
    expect(wellBehaved(variants[0].stats).scale).toBe(true);
    expect(s).toContain("함께 지킨 것은 Add & Norm");
    expect(gradientRatio(variants[0].stats)).toBeGreaterThan(0);
    // what tells the passing variants apart: the gradient ratio closest to 1
    const closest = [...variants].sort(
      (a, b) => Math.abs(Math.log10(gradientRatio(a.stats))) - Math.abs(Math.log10(gradientRatio(b.stats)))
    )[0];
    expect(s).toContain(`gradient 비가 1에 가장 가까운 것은 ${closest.name}`);
    const summary = summarizeT2(variants);
    expect(summary).toContain("12개 층, post-norm");
    const normOnly = wellBehaved(variants[2].stats);
    if (normOnly.scale && normOnly.gradient) {
      // the run does not show the shortcut is needed: both sentences say so
      expect(s).toContain("Norm만도 기준 안에 들었으므로");
      expect(summary).toContain("Norm만도 기준 안에 들었으므로");
    }
  });
  test("T2: when Add & Norm fails the criteria (24 pre-norm layers), the sentence and summary say so", () => {
    const variants = [
      {name: "Add & Norm", residual: true, norm: true},
      {name: "Norm만", residual: false, norm: true}
    ].map((v) => ({
      ...v,
      stats: deepStackStats({layers: 24, residual: v.residual, norm: v.norm, normFirst: true, batch: 2, length: 6})
    }));
    const w = wellBehaved(variants[0].stats);
    const s = describeT2(variants);
    expect(w.scale).toBe(false); // the residual stream grows: no LayerNorm after the last Add
    expect(s).toContain("Add & Norm은 표준편차가 기준을 벗어났습니다");
    expect(s).toContain("이 실행은 Add & Norm이 stack을 지킨다는 것을 보여 주지 않습니다");
    expect(summarizeT2(variants)).toContain("보여 주지 않습니다");
    expect(summarizeT2(variants)).not.toMatch(/지킨 것은 Add & Norm/);
  });
  test("T2: the verdict names no variant when none behaves", () => {
    const bad: DeepStackStats = {
      options: {
        layers: 2,
        residual: false,
        norm: false,
        normFirst: false,
        dModel: 4,
        heads: 1,
        dimFeedforward: 8,
        length: 2,
        batch: 1,
        seed: 1
      },
      input: {mean: 0, std: 1},
      layers: [
        {layer: 1, mean: 0, std: 0.1, weightGradNorm: 1, inputGradNorm: 1e-6},
        {layer: 2, mean: 0, std: 0.01, weightGradNorm: 1, inputGradNorm: 1}
      ],
      loss: 1
    };
    expect(describeT2([{name: "없음", residual: false, norm: false, stats: bad}])).toContain("설정은 없었습니다");
  });
});
