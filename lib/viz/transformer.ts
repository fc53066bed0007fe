/**
 * Chapter 7 「Transformer」: the pure helpers of the page (src/transformer.md), tested in tests/unit/viz/transformer.test.ts.
 *
 * - `transformerArchitecture(model)`: what a built (or dry-built) Transformer is made of, read from its own layers
 *   (stacks, sub-layers, Add & Norm placement, parameters per part); `architectureSvg` draws it.
 * - `encoderLayerParams`, `sequentialSteps`: the counts the page and its exercises use.
 * - `describeT1`, `describeT2`: the result sentences, written from a run's own numbers.
 *
 * Paper: Vaswani et al., "Attention Is All You Need", NeurIPS 2017 (https://arxiv.org/abs/1706.03762), figure 1.
 */
import type {tf} from "../tf.js";
import {TransformerDecoderLayer, TransformerEncoderLayer} from "../models/layers/transformer-layers.js";
import {TokenEmbedding} from "../models/layers/token-embedding.js";
import {SinusoidalPositionalEncoding} from "../models/layers/positional-encoding.js";
import {PositionEmbedding} from "../models/layers/position-embedding.js";
import type {DeepStackStats} from "../train/deep-stack.js";
import {withParticle} from "../korean.js";

// ---- the architecture, read from a model ---------------------------------------------------------------------------

export type SublayerKind = "self-attention" | "masked-self-attention" | "cross-attention" | "feed-forward";

export interface StackSpec {
  /** Layers in the stack (N in the paper's figure). */
  layers: number;
  /** The first layer's name (PyTorch's module path, e.g. `encoder.layers.0`). */
  firstName: string;
  sublayers: SublayerKind[];
  numHeads: number;
  dimFeedforward: number;
  normFirst: boolean;
  residual: boolean;
  layerNorm: boolean;
  /** Trainable parameters of one layer (all layers of a stack are alike). */
  paramsPerLayer: number;
  /** PyTorch's `encoder.norm` / `decoder.norm` after the stack: its parameters, 0 when there is none. */
  finalNormParams: number;
}

export interface TransformerArchitecture {
  name: string;
  dModel: number;
  encoder: StackSpec;
  decoder: StackSpec;
  /** Token embeddings and the output layer (the small preset); null for `nn.Transformer` (vectors in and out). */
  tokens: {
    positions: "sinusoidal" | "learned" | "none";
    embeddingParams: number;
    positionParams: number;
    generatorParams: number;
  } | null;
  params: {total: number; encoder: number; decoder: number; finalNorms: number; embeddings: number; generator: number};
}

const shapeOf = (layer: tf.layers.Layer) => (layer.output as tf.SymbolicTensor).shape;

function stackSpec(
  layers: (TransformerEncoderLayer | TransformerDecoderLayer)[],
  finalNorm?: tf.layers.Layer
): StackSpec {
  const first = layers[0];
  const cross = first instanceof TransformerDecoderLayer;
  const sublayers: SublayerKind[] = cross
    ? [(first as TransformerDecoderLayer).causal ? "masked-self-attention" : "self-attention", "cross-attention"]
    : ["self-attention"];
  if (first.dimFeedforward > 0) sublayers.push("feed-forward");
  return {
    layers: layers.length,
    firstName: first.name,
    sublayers,
    numHeads: first.numHeads,
    dimFeedforward: first.dimFeedforward,
    normFirst: first.normFirst,
    residual: first.residual,
    layerNorm: first.layerNorm,
    paramsPerLayer: first.countParams(),
    finalNormParams: finalNorm ? finalNorm.countParams() : 0
  };
}

/** Read a Transformer of lib/models/transformer.ts (built or dry-built) from its layers. */
export function transformerArchitecture(model: tf.LayersModel): TransformerArchitecture {
  const enc = model.layers.filter((l): l is TransformerEncoderLayer => l instanceof TransformerEncoderLayer);
  const dec = model.layers.filter((l): l is TransformerDecoderLayer => l instanceof TransformerDecoderLayer);
  if (!enc.length || !dec.length) throw new Error("transformerArchitecture: needs encoder and decoder layers");
  const byName = (name: string) => model.layers.find((l) => l.name === name);
  const encoder = stackSpec(enc, byName("encoder.norm"));
  const decoder = stackSpec(dec, byName("decoder.norm"));
  const embeddings = model.layers.filter((l) => l instanceof TokenEmbedding);
  const positions = model.layers.filter(
    (l) => l instanceof SinusoidalPositionalEncoding || l instanceof PositionEmbedding
  );
  const generator = byName("generator");
  const sum = (ls: tf.layers.Layer[]) => ls.reduce((s, l) => s + l.countParams(), 0);
  const tokens = embeddings.length
    ? {
        positions: positions.length
          ? positions[0] instanceof PositionEmbedding
            ? ("learned" as const)
            : ("sinusoidal" as const)
          : ("none" as const),
        embeddingParams: sum(embeddings),
        positionParams: sum(positions),
        generatorParams: generator ? generator.countParams() : 0
      }
    : null;
  const params = {
    total: model.countParams(),
    encoder: encoder.layers * encoder.paramsPerLayer,
    decoder: decoder.layers * decoder.paramsPerLayer,
    finalNorms: encoder.finalNormParams + decoder.finalNormParams,
    embeddings: tokens ? tokens.embeddingParams + tokens.positionParams : 0,
    generator: tokens?.generatorParams ?? 0
  };
  return {name: model.name, dModel: shapeOf(enc[0]).at(-1)!, encoder, decoder, tokens, params};
}

// ---- counts -------------------------------------------------------------------------------------------------------

/**
 * Parameters of one encoder layer (`nn.TransformerEncoderLayer`): attention (W_Q, W_K, W_V and W_O with biases:
 * 4d² + 4d, whatever the number of heads), feed-forward (2·d·d_ff + d_ff + d), two LayerNorms (2 × 2d).
 */
export function encoderLayerParams(
  d: number,
  dff: number
): {attention: number; feedForward: number; norms: number; total: number} {
  const attention = 4 * d * d + 4 * d;
  const feedForward = 2 * d * dff + dff + d;
  const norms = 2 * 2 * d;
  return {attention, feedForward, norms, total: attention + feedForward + norms};
}

/**
 * Steps that must run one after another in the forward pass of one teacher-forced batch: an RNN encoder–decoder
 * reads the S source positions and then the T target positions one at a time (S + T); a Transformer runs each layer
 * once over all positions at the same time (encoder layers + decoder layers).
 */
export function sequentialSteps(
  model:
    | {kind: "rnn"; sourceLength: number; targetLength: number}
    | {kind: "transformer"; encoderLayers: number; decoderLayers: number}
): number {
  return model.kind === "rnn" ? model.sourceLength + model.targetLength : model.encoderLayers + model.decoderLayers;
}

// ---- the diagram --------------------------------------------------------------------------------------------------

export interface DiagramBox {
  /** What the box is (styles and tests read it). */
  kind: SublayerKind | "add-norm" | "add" | "norm" | "embedding" | "input" | "final-norm" | "generator" | "output";
  label: string;
  column: "encoder" | "decoder";
  /** Inside the repeated layer (the "× N" frame). */
  repeated: boolean;
}

/** The boxes of one sub-layer with its Add & Norm, in the order the data passes them. */
function sublayerBoxes(kind: SublayerKind, s: StackSpec, column: DiagramBox["column"]): DiagramBox[] {
  const labels: Record<SublayerKind, string> = {
    "self-attention": `Multi-head attention (head ${s.numHeads}개)`,
    "masked-self-attention": `Masked multi-head attention (head ${s.numHeads}개)`,
    "cross-attention": `Multi-head attention (encoder 출력에)`,
    "feed-forward": `Feed-forward (d_ff = ${s.dimFeedforward})`
  };
  const box = (k: DiagramBox["kind"], label: string): DiagramBox => ({kind: k, label, column, repeated: true});
  const main = box(kind, labels[kind]);
  if (s.normFirst) {
    return [
      ...(s.layerNorm ? [box("norm", "LayerNorm")] : []),
      main,
      ...(s.residual ? [box("add", "Add (+ 입력)")] : [])
    ];
  }
  if (s.residual && s.layerNorm) return [main, box("add-norm", "Add & Norm")];
  if (s.residual) return [main, box("add", "Add (+ 입력)")];
  if (s.layerNorm) return [main, box("norm", "Norm (LayerNorm)")];
  return [main];
}

/** Every box of the diagram, column by column, top (input) to bottom (output). */
export function diagramBoxes(a: TransformerArchitecture): DiagramBox[] {
  const boxes: DiagramBox[] = [];
  const put = (column: DiagramBox["column"], kind: DiagramBox["kind"], label: string) =>
    boxes.push({kind, label, column, repeated: false});
  const positions = a.tokens?.positions;
  const embedLabel =
    positions === "none"
      ? "embedding (위치 정보 없음)"
      : `embedding + ${positions === "learned" ? "학습한 위치 벡터" : "positional encoding"}`;
  put("encoder", "input", a.tokens ? "source 토큰" : `src [B, S, ${a.dModel}]`);
  if (a.tokens) put("encoder", "embedding", embedLabel);
  for (const k of a.encoder.sublayers) boxes.push(...sublayerBoxes(k, a.encoder, "encoder"));
  if (a.encoder.finalNormParams) put("encoder", "final-norm", "LayerNorm (stack 끝)");
  put("decoder", "input", a.tokens ? "decoder 입력 (<start> + 정답)" : `tgt [B, T, ${a.dModel}]`);
  if (a.tokens) put("decoder", "embedding", embedLabel);
  for (const k of a.decoder.sublayers) boxes.push(...sublayerBoxes(k, a.decoder, "decoder"));
  if (a.decoder.finalNormParams) put("decoder", "final-norm", "LayerNorm (stack 끝)");
  if (a.tokens) put("decoder", "generator", "Linear → 토큰마다 logits");
  put("decoder", "output", a.tokens ? "softmax → 다음 토큰" : `출력 [B, T, ${a.dModel}]`);
  return boxes;
}

const FILL: Record<DiagramBox["kind"], string> = {
  "self-attention": "#ffe8cc",
  "masked-self-attention": "#ffe8cc",
  "cross-attention": "#ffd8a8",
  "feed-forward": "#d0ebff",
  "add-norm": "#fff3bf",
  add: "#fff3bf",
  norm: "#fff3bf",
  embedding: "#ebfbee",
  input: "#f1f3f5",
  "final-norm": "#fff3bf",
  generator: "#e5dbff",
  output: "#f1f3f5"
};

/** Height of the band under the last repeated box that holds the "× N" label. */
const FRAME_LABEL_H = 36;

const escapeXml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})[c]!);

/**
 * The architecture as SVG markup: encoder on the left, decoder on the right, data flowing down; the repeated layer
 * framed with "× N"; the shortcut of every Add drawn as a line around its sub-layer; the encoder's output feeding the
 * decoder's cross-attention. Narrow widths stack the two columns.
 */
export function architectureSvg(a: TransformerArchitecture, opts: {width?: number; only?: "encoder"} = {}): string {
  const width = Math.max(300, opts.width ?? 640);
  const stacked = width < 560 || opts.only === "encoder";
  // side by side: 44 px between the columns, so the two "× N" frames (14 px outside their boxes) stay apart
  const colW = stacked ? width - 60 : Math.min(262, (width - 110) / 2);
  const boxH = 28;
  const gap = 12;
  const boxes = diagramBoxes(a).filter((b) => !opts.only || b.column === opts.only);
  const parts: string[] = [];
  const positions = new Map<DiagramBox, {x: number; y: number}>();
  let height = 0;
  const columns: DiagramBox["column"][] = opts.only ? [opts.only] : ["encoder", "decoder"];
  columns.forEach((column, ci) => {
    const list = boxes.filter((b) => b.column === column);
    const x = stacked ? 40 : 30 + ci * (colW + 44);
    let y = stacked && ci === 1 ? height + 40 : 30;
    const stack = column === "encoder" ? a.encoder : a.decoder;
    parts.push(`<text x="${x}" y="${y - 12}" font-weight="600" font-size="13">${column}</text>`);
    let frameTop = -1;
    let frameBottom = -1;
    for (const [i, b] of list.entries()) {
      if (b.repeated && frameTop < 0) {
        y += 6;
        frameTop = y - 8;
      }
      if (!b.repeated && frameTop >= 0 && frameBottom < 0) {
        frameBottom = y - gap + FRAME_LABEL_H;
        y += FRAME_LABEL_H + 2;
      }
      positions.set(b, {x, y});
      const fill = FILL[b.kind];
      parts.push(
        `<g class="arch-box" data-kind="${b.kind}" data-column="${column}"><rect x="${x}" y="${y}" width="${colW}" height="${boxH}" rx="5" fill="${fill}" stroke="#868e96"/>` +
          `<text x="${x + colW / 2}" y="${y + boxH / 2 + 4}" text-anchor="middle" font-size="12">${escapeXml(b.label)}</text></g>`
      );
      if (i < list.length - 1) {
        // down to the next box, across the frame's bottom band when the repeated layer ends here
        const leavesFrame = b.repeated && !list[i + 1].repeated;
        const y2 = y + boxH + gap + (leavesFrame ? FRAME_LABEL_H + 2 : 0);
        parts.push(
          `<line x1="${x + colW / 2}" y1="${y + boxH}" x2="${x + colW / 2}" y2="${y2}" stroke="#495057" marker-end="url(#arch-arrow)"/>`
        );
      }
      y += boxH + gap;
    }
    if (frameTop >= 0) {
      if (frameBottom < 0) {
        frameBottom = y - gap + FRAME_LABEL_H;
        y += FRAME_LABEL_H - 8;
      }
      // the label in the frame's bottom band, left of the centre line the arrows run down (two short lines)
      parts.unshift(
        `<rect class="arch-frame" x="${x - 14}" y="${frameTop}" width="${colW + 28}" height="${frameBottom - frameTop}" rx="8" fill="none" stroke="#adb5bd" stroke-dasharray="5 3"/>` +
          `<text class="arch-repeat" x="${x}" y="${frameBottom - 20}" font-size="12"><tspan font-weight="600">× ${stack.layers}</tspan>` +
          `<tspan x="${x}" dy="14" font-size="11">층마다 ${stack.paramsPerLayer.toLocaleString("en-US")}개</tspan></text>`
      );
    }
    height = Math.max(height, y);
  });
  // shortcuts: from above each sub-layer (or its pre-norm) around to its Add
  for (const column of columns) {
    const list = boxes.filter((b) => b.column === column);
    list.forEach((b, i) => {
      if (b.kind !== "add" && b.kind !== "add-norm") return;
      // the sub-layer, and in pre-norm its LayerNorm before it: the shortcut starts above them
      let j = i - 1;
      if (a[column].normFirst && list[j - 1]?.kind === "norm") j--;
      const from = positions.get(list[j])!;
      const to = positions.get(b)!;
      const xr = from.x + colW + 6;
      parts.push(
        `<path class="arch-shortcut" d="M${from.x + colW / 2} ${from.y - gap / 2} H${xr} V${to.y + boxH / 2} H${from.x + colW}" fill="none" stroke="#e8590c" stroke-width="1.5" marker-end="url(#arch-arrow-o)"/>`
      );
    });
  }
  // the encoder's output into every decoder layer's cross-attention
  const lastEnc = [...positions.entries()].filter(([b]) => b.column === "encoder").at(-1)?.[1];
  const cross = [...positions.entries()].find(([b]) => b.kind === "cross-attention")?.[1];
  if (lastEnc && cross) {
    const d = stacked
      ? `M${lastEnc.x} ${lastEnc.y + boxH / 2} H${lastEnc.x - 24} V${cross.y + boxH / 2} H${cross.x}`
      : `M${lastEnc.x + colW / 2} ${lastEnc.y + boxH} V${lastEnc.y + boxH + 14} H${cross.x - 12} V${cross.y + boxH / 2} H${cross.x}`;
    parts.push(
      `<path class="arch-memory" d="${d}" fill="none" stroke="#1c7ed6" stroke-width="1.5" marker-end="url(#arch-arrow-b)"/>`
    );
  }
  const defs = (id: string, color: string) =>
    `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="${color}"/></marker>`;
  const h = height + 20;
  return (
    `<svg class="transformer-arch" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${h}" width="${width}" height="${h}" style="max-width: 100%; height: auto" role="img" aria-label="${escapeXml(a.name)}: encoder ${a.encoder.layers}개 층, decoder ${a.decoder.layers}개 층" font-family="sans-serif">` +
    `<defs>${defs("arch-arrow", "#495057")}${defs("arch-arrow-o", "#e8590c")}${defs("arch-arrow-b", "#1c7ed6")}</defs>` +
    parts.join("") +
    `</svg>`
  );
}

// ---- result sentences ---------------------------------------------------------------------------------------------

export interface T1Row {
  name: string;
  params: number;
  /** Training seconds per epoch (the run's own step times). */
  secondsPerEpoch: number;
  sequentialSteps: number;
  /** Held-out token accuracy (teacher forcing) against training seconds. */
  curve: {seconds: number; accuracy: number}[];
  /** Greedy decoding on the held-out examples: share exactly right. */
  sequenceAccuracy: number;
}

/** The accuracy a curve had reached by `seconds` (its last point at or before; 0 before the first). */
export function accuracyAt(curve: T1Row["curve"], seconds: number): number {
  let acc = 0;
  for (const p of curve) if (p.seconds <= seconds + 1e-9) acc = p.accuracy;
  return acc;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const secs = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));

/**
 * T1's sentence: time per epoch and which was faster, the sequential steps, accuracy at the same training time, and
 * greedy sequence accuracy, with the run's conditions. Rows: [Transformer, LSTM].
 */
export function describeT1(
  rows: [T1Row, T1Row],
  run: {backend: string; epochs: number; examples: number; cores?: number}
): string {
  const [tr, rnn] = rows;
  const fasterTr = tr.secondsPerEpoch < rnn.secondsPerEpoch;
  const ratio = fasterTr ? rnn.secondsPerEpoch / tr.secondsPerEpoch : tr.secondsPerEpoch / rnn.secondsPerEpoch;
  const both = Math.min(tr.curve.at(-1)?.seconds ?? 0, rnn.curve.at(-1)?.seconds ?? 0);
  const [aTr, aRnn] = [accuracyAt(tr.curve, both), accuracyAt(rnn.curve, both)];
  const lead =
    Math.abs(aTr - aRnn) < 0.005
      ? "거의 같았습니다"
      : `${withParticle(aTr > aRnn ? tr.name : rnn.name, "이/가")} 앞섰습니다`;
  const parts = [
    `${run.backend} backend, 학습 예제 ${run.examples.toLocaleString("en-US")}개로 ${run.epochs} epoch: ` +
      `epoch당 학습 시간은 ${tr.name} ${secs(tr.secondsPerEpoch)} s, ${rnn.name} ${secs(rnn.secondsPerEpoch)} s로 ` +
      `${withParticle(fasterTr ? tr.name : rnn.name, "이/가")} ${ratio.toFixed(2)}배 빨랐습니다.`,
    `batch 하나의 순전파에서 차례로 기다려야 하는 단계는 ${rnn.name} ${rnn.sequentialSteps}개, ${tr.name} ${tr.sequentialSteps}개입니다.`,
    `같은 학습 시간 ${secs(both)} s (먼저 끝난 쪽의 학습 시간)에서 held-out 토큰 정확도는 ${tr.name} ${pct(aTr)}, ${rnn.name} ${pct(aRnn)}로 ${lead}.`,
    `같은 ${run.epochs} epoch이 끝난 뒤 (학습 시간 ${tr.name} ${secs(tr.secondsPerEpoch * run.epochs)} s, ${rnn.name} ${secs(rnn.secondsPerEpoch * run.epochs)} s) ` +
      `토큰 정확도는 ${tr.name} ${pct(tr.curve.at(-1)?.accuracy ?? 0)}, ${rnn.name} ${pct(rnn.curve.at(-1)?.accuracy ?? 0)} (표의 "토큰 정확도 (학습 끝)"), ` +
      `greedy decoding의 시퀀스 정확도는 ${tr.name} ${pct(tr.sequenceAccuracy)}, ${rnn.name} ${pct(rnn.sequenceAccuracy)}입니다.`
  ];
  if (!fasterTr) {
    parts.push(
      `이 기기에서는 순차 단계가 적다는 장점이 epoch당 시간으로 이어지지 않았습니다${run.cores ? ` (CPU 코어 ${run.cores}개로 보고됨)` : ""}: ` +
        `한꺼번에 계산할 수 있는 일이 많아도, 그것을 동시에 처리할 계산 장치가 적으면 이득이 작습니다.`
    );
  }
  return parts.join(" ");
}

export interface T2Variant {
  name: string;
  residual: boolean;
  norm: boolean;
  stats: DeepStackStats;
}

const g3 = (x: number) =>
  Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(1) : x.toPrecision(3);

/** ‖∂L/∂x‖ at the first layer's input over that at the last layer's input: ≪ 1 vanishing, ≫ 1 exploding. */
export function gradientRatio(stats: DeepStackStats): number {
  const first = stats.layers[0].inputGradNorm;
  const last = stats.layers.at(-1)!.inputGradNorm;
  return first / last;
}

/** Whether a variant keeps the signal's scale (std within 0.5…2 at every layer) and the gradient (ratio 0.1…10). */
export function wellBehaved(stats: DeepStackStats): {scale: boolean; gradient: boolean} {
  const r = gradientRatio(stats);
  return {
    scale: stats.layers.every((l) => l.std >= 0.5 && l.std <= 2),
    gradient: Number.isFinite(r) && r >= 0.1 && r <= 10
  };
}

/** T2's sentence from the variants' statistics (the same input, seed and depth for all). */
export function describeT2(variants: T2Variant[]): string {
  const o = variants[0].stats.options;
  const head = `${o.layers}개 층 (d = ${o.dModel}, head ${o.heads}개, ${o.normFirst ? "pre-norm" : "post-norm"}), 입력 표준편차 ${g3(variants[0].stats.input.std)}: `;
  const stds = variants.map((v) => `${v.name} ${g3(v.stats.layers.at(-1)!.std)}`).join(", ");
  const ratios = variants.map((v) => `${v.name} ${g3(gradientRatio(v.stats))}`).join(", ");
  const good = variants.filter((v) => {
    const w = wellBehaved(v.stats);
    return w.scale && w.gradient;
  });
  const verdict = good.length
    ? `신호의 크기(표준편차 0.5–2)와 gradient(비 0.1–10)를 모든 층에서 함께 지킨 것은 ${good.map((v) => v.name).join(", ")}입니다.`
    : "신호의 크기(표준편차 0.5–2)와 gradient(비 0.1–10)를 모든 층에서 함께 지킨 설정은 없었습니다.";
  return (
    head +
    `마지막 층 출력의 표준편차는 ${stds}. 첫 층 입력의 gradient norm ÷ 마지막 층 입력의 gradient norm은 ${ratios}. ` +
    [verdict, ...t2Distinctions(variants)].join(" ")
  );
}

/** How far a gradient ratio is from 1, in decades (|log₁₀ r|); Infinity when it is not a positive number. */
const decadesFromOne = (r: number) => (Number.isFinite(r) && r > 0 ? Math.abs(Math.log10(r)) : Infinity);

/**
 * What tells the variants apart beyond the pass/fail verdict: the variant whose gradient ratio is closest to 1, and
 * what the run does not show (Add & Norm failing the criteria; the shortcut not needed when "Norm만" passes too).
 */
function t2Distinctions(variants: T2Variant[]): string[] {
  const out: string[] = [];
  const passes = (v: T2Variant) => {
    const w = wellBehaved(v.stats);
    return w.scale && w.gradient;
  };
  const ranked = [...variants].sort(
    (a, b) => decadesFromOne(gradientRatio(a.stats)) - decadesFromOne(gradientRatio(b.stats))
  );
  const closest = ranked[0];
  if (closest && Number.isFinite(decadesFromOne(gradientRatio(closest.stats)))) {
    out.push(`gradient 비가 1에 가장 가까운 것은 ${closest.name} (${g3(gradientRatio(closest.stats))})입니다.`);
  }
  const full = variants.find((v) => v.residual && v.norm);
  const normOnly = variants.find((v) => !v.residual && v.norm);
  if (full && !passes(full)) {
    const w = wellBehaved(full.stats);
    const why = [w.scale ? "" : "표준편차", w.gradient ? "" : "gradient 비"].filter(Boolean).join("와 ");
    out.push(
      `이 설정에서 Add & Norm은 ${withParticle(why, "이/가")} 기준을 벗어났습니다: 이 실행은 Add & Norm이 stack을 지킨다는 것을 보여 주지 않습니다.`
    );
  } else if (full && normOnly && passes(normOnly)) {
    out.push(
      `Norm만도 기준 안에 들었으므로, 이 깊이에서 shortcut(Add)이 꼭 필요한지는 이 기준으로 가를 수 없습니다 ` +
        `(둘의 gradient 비: Add & Norm ${g3(gradientRatio(full.stats))}, Norm만 ${g3(gradientRatio(normOnly.stats))}).`
    );
  }
  return out;
}

/** T2 in one line for the chapter summary, from the same variants as `describeT2`. */
export function summarizeT2(variants: T2Variant[]): string {
  const o = variants[0].stats.options;
  const good = variants.filter((v) => {
    const w = wellBehaved(v.stats);
    return w.scale && w.gradient;
  });
  const where = `이 실행 (${o.layers}개 층, ${o.normFirst ? "pre-norm" : "post-norm"}, 초기화 직후)에서 신호의 크기와 gradient를 모든 층에서 함께 지킨 것은 `;
  return (
    (good.length ? `${where}${good.map((v) => v.name).join(", ")}입니다.` : `${where}없었습니다.`) +
    (t2Distinctions(variants).length ? " " + t2Distinctions(variants).join(" ") : "")
  );
}
