/**
 * SA5, memory: `attentionMemory` (lib/analysis/attention-memory.ts) measures, at each sequence length, the bytes that
 * `tf.memory()` reports for the score matrix and the peak of one `MultiHeadAttention` forward pass; the points and
 * the least-squares quadratic through them are drawn, and a sentence (`describeSA5`) says how they grew and at which
 * length a 4 GiB tab would run out, solved from the fit.
 */
import * as Inputs from "@observablehq/inputs";
import * as Plot from "@observablehq/plot";
import {attentionMemory} from "../../lib/analysis/attention-memory.js";
import {describeSA5} from "../../lib/viz/attention.js";
import {experimentPanel, type ExperimentPanel} from "../shared/experiment-panel.js";
import {el} from "./sa-common.js";

export const SA5_DEFAULTS = {dModel: 64, heads: 4, maxLength: 1024};

/** Six lengths from max/8 to max. */
export function memoryLengths(max: number): number[] {
  return [1, 2, 3, 4, 6, 8].map((k) => (k * max) / 8);
}

export function memoryExperiment({
  width = 900,
  invalidation
}: {width?: number; invalidation?: Promise<unknown>} = {}): ExperimentPanel {
  const c = SA5_DEFAULTS;
  const maxInput = Inputs.select([256, 512, 1024, 2048], {
    label: "가장 긴 길이",
    value: c.maxLength,
    format: (x: number) => `${x} 토큰`
  });
  return experimentPanel({
    claim: "SA5",
    action: "메모리 측정",
    idle: "버튼을 누르면 길이 여섯 개에서 self-attention 층 하나의 메모리를 tf.memory()로 잽니다.",
    settings: [maxInput],
    pausable: false,
    invalidation,
    async run(ctx) {
      const lengths = memoryLengths(maxInput.value as number);
      ctx.status(`길이 ${lengths.join(", ")}에서 재는 중…`);
      await new Promise((resolve) => setTimeout(resolve, 30));
      const m = await attentionMemory(lengths, {dModel: c.dModel, heads: c.heads});
      if (ctx.signal.aborted) return;
      const MiB = 2 ** 20;
      const points = m.rows.flatMap((r) => [
        {length: r.length, mib: r.layerBytes / MiB, what: "층 전체 (최대)"},
        {length: r.length, mib: r.scoreBytes / MiB, what: "score 행렬"}
      ]);
      const top = lengths[lengths.length - 1];
      const grid = Array.from({length: 41}, (_, i) => (top * i) / 40);
      const fitted = (fit: typeof m.layerFit, what: string) =>
        grid.map((L) => ({
          length: L,
          mib: (fit.coefficients[0] + fit.coefficients[1] * L + fit.coefficients[2] * L * L) / MiB,
          what
        }));
      const curves = [...fitted(m.layerFit, "층 전체 (최대)"), ...fitted(m.scoreFit, "score 행렬")];
      const chart = Plot.plot({
        width: Math.max(300, Math.min(width, 820)),
        height: 260,
        marginLeft: 56,
        x: {label: "시퀀스 길이 L (토큰) →", domain: [0, top]},
        y: {label: "↑ 메모리 (MiB)", grid: true},
        color: {domain: ["층 전체 (최대)", "score 행렬"], range: ["#e8590c", "#1971c2"]},
        // the two series' points differ in shape too, not by colour alone (WCAG 1.4.1)
        symbol: {legend: true, domain: ["층 전체 (최대)", "score 행렬"]},
        marks: [
          Plot.line(curves, {x: "length", y: "mib", stroke: "what", strokeDasharray: "4 3"}),
          Plot.dot(points, {x: "length", y: "mib", fill: "what", symbol: "what", r: 4, tip: true})
        ]
      });
      const sentence = el("p", "experiment-result");
      sentence.textContent = describeSA5(m, c);
      sentence.dataset.rows = JSON.stringify(m.rows);
      sentence.dataset.fit = JSON.stringify({layer: m.layerFit, score: m.scoreFit, limitLength: m.limitLength});
      ctx.out.append(chart, sentence);
      ctx.status("끝났습니다. 점: 측정, 점선: 2차식 맞춤.");
    }
  });
}
