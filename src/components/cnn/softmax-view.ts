/**
 * Softmax and cross-entropy of one logit vector (chapter 2 「CNN」, the ConvNet Example's last 층 and its loss):
 * the probabilities as bars, and the formula with this vector's numbers. Computed by lib/ops/softmax.ts.
 */
import * as Plot from "@observablehq/plot";
import {softmaxCrossEntropy} from "../../lib/ops/softmax.js";
import {tex} from "../shared/tex.js";

/** Parse "1.2, -0.5, 3" (commas or spaces; − as minus) into numbers; throws a RangeError that names the bad part. */
export function parseLogits(text: string): number[] {
  const parts = text
    .replace(/−/g, "-")
    .split(/[\s,]+/)
    .filter((s) => s !== "");
  const values = parts.map(Number);
  const bad = parts.find((_, i) => !Number.isFinite(values[i]));
  if (bad !== undefined) throw new RangeError(`"${bad}"는 숫자가 아닙니다`);
  if (values.length < 2) throw new RangeError("logit이 두 개 이상 필요합니다");
  return values;
}

const n3 = (v: number) => v.toFixed(3);

/** The view: probabilities (true class highlighted), p_y and −log p_y with this vector's numbers. */
export function softmaxView(logits: number[], label: number, {width = 640} = {}): HTMLElement {
  const r = softmaxCrossEntropy(logits, label);
  const rows = r.probs.map((p, i) => ({cls: String(i), p, z: logits[i]}));
  const root = document.createElement("div");
  root.className = "softmax-view";
  root.dataset.loss = String(r.loss);
  const chart = Plot.plot({
    width: Math.min(width, 560),
    height: 220,
    marginLeft: 40,
    marginTop: 24,
    x: {label: "클래스 →", domain: rows.map((d) => d.cls)},
    y: {label: "↑ softmax 확률", domain: [0, 1], grid: true},
    marks: [
      Plot.barY(rows, {x: "cls", y: "p", fill: (d) => (d.cls === String(label) ? "#1971c2" : "#adb5bd")}),
      Plot.text(rows, {x: "cls", y: "p", text: (d) => `${(d.p * 100).toFixed(1)}%`, dy: -8, fontSize: 10}),
      Plot.ruleY([0])
    ]
  });
  const formula = tex.block`p_{${label}} = \frac{e^{z_{${label}}}}{\sum_j e^{z_j}} = ${n3(r.pTrue)}, \qquad
    \text{loss} = -\log p_{${label}} = ${n3(r.loss)}`;
  const note = document.createElement("p");
  note.className = "result-note";
  note.dataset.testid = "softmax-result";
  note.textContent =
    `정답 ${label}의 확률 ${(r.pTrue * 100).toFixed(1)}% → cross-entropy ${n3(r.loss)}. ` +
    `가장 큰 확률은 클래스 ${r.predicted}입니다 (${r.predicted === label ? "맞힘" : "틀림"}). ` +
    `확률의 합은 ${n3(r.probs.reduce((s, p) => s + p, 0))}입니다.`;
  root.append(chart, formula, note);
  return root;
}
