/**
 * Chapter 8, V2 (the notes' approach 3, pixels as tokens): the attention matrix's size for growing images, pixels
 * against patches (lib/analysis/pixel-attention.ts), against a memory limit the browser states; and a measured
 * allocation of the real matrix up to a safe size (`measurePixelAttention`), checked against 4·N².
 */
import * as Inputs from "@observablehq/inputs";
import * as Plot from "@observablehq/plot";
import {tf} from "../../../lib/tf.js";
import {
  attentionMatrixSize,
  attentionSizeTable,
  formatBytes,
  measurableSides,
  measurePixelAttention,
  memoryLimits,
  type MemoryLimit
} from "../../../lib/analysis/pixel-attention.js";
import {describeV2, describeV2Measurement} from "../../../lib/viz/attention-cnn.js";
import {RUN_COLORS} from "../../../lib/viz/loss-curve.js";
import {experimentPanel, tagged, type ExperimentPanel} from "../../shared/experiment-panel.js";
import {el} from "../../shared/dom.js";
import {simpleTable} from "./v1.js";

/** Image sides of the table and chart (28: Fashion-MNIST; 224: ImageNet at ViT's size; the rest: growing photos). */
export const V2_SIDES = [28, 64, 128, 224, 384, 512, 1024];
/** Patch sides shown (1 = pixels as tokens; 16: ViT-B/16; 7 and 4: the chapter's 28×28 patches). */
export const V2_PATCHES = [1, 4, 7, 16];

/** What this browser says about its memory (Chrome's performance.memory, navigator.deviceMemory), read once. */
export function browserLimits(): MemoryLimit[] {
  const perf = performance as Performance & {memory?: {jsHeapSizeLimit?: number}};
  const nav = navigator as Navigator & {deviceMemory?: number};
  return memoryLimits({jsHeapSizeLimit: perf.memory?.jsHeapSizeLimit, deviceMemoryGiB: nav.deviceMemory});
}

const patchName = (p: number) => (p === 1 ? "픽셀 (1×1)" : `${p}×${p} patch`);

/**
 * V2's log–log chart: one line per patch size (bytes of one attention matrix against the image side), the memory limit
 * and the chosen side. Each patch size's points have their own shape and the legend shows the shapes with the names,
 * so the lines differ by more than colour (WCAG 1.4.1).
 */
export function v2Chart(
  rows: {width: number; patch: number; bytes: number}[],
  shown: number[],
  limit: MemoryLimit,
  side: number,
  {width = 900} = {}
) {
  const names = shown.map(patchName);
  const series = (r: {patch: number}) => patchName(r.patch);
  return Plot.plot({
    width: Math.max(300, Math.min(width, 820)),
    height: 280,
    marginLeft: 64,
    marginRight: 30,
    x: {
      type: "log",
      label: "이미지 한 변 (픽셀) →",
      ticks: width < 600 ? [28, 128, 512] : V2_SIDES,
      tickFormat: (d: number) => String(d)
    },
    y: {
      type: "log",
      label: "↑ attention 행렬 하나 (바이트, float32)",
      grid: true,
      tickFormat: (b: number) => formatBytes(b).replace(/\.0+ /, " "),
      ticks: [1, 2, 3, 4].map((k) => 1024 ** k)
    },
    color: {domain: names, range: RUN_COLORS},
    symbol: {legend: true, domain: names, range: ["circle", "square", "triangle", "diamond", "star", "cross", "wye"]},
    marks: [
      Plot.ruleY([limit.bytes], {stroke: "#c92a2a", strokeDasharray: "6 4"}),
      Plot.text([limit.bytes], {
        y: (d: number) => d,
        x: V2_SIDES[0],
        text: () => `한도 ${formatBytes(limit.bytes)}`,
        dy: -6,
        textAnchor: "start",
        fill: "#c92a2a"
      }),
      Plot.line(rows, {x: "width", y: "bytes", stroke: series}),
      Plot.dot(rows, {x: "width", y: "bytes", fill: series, symbol: series, r: 3.5}),
      Plot.ruleX([side], {stroke: "#868e96", strokeDasharray: "2 3"})
    ]
  });
}

/** The explorer: image side, patch size and memory limit in, the table, the log–log chart and the sentence out. */
export function v2Explorer({width = 900, tableSlot}: {width?: number; tableSlot?: HTMLElement} = {}): HTMLElement {
  const limits = browserLimits();
  const sideInput = Inputs.select(V2_SIDES, {label: "이미지 한 변 (픽셀)", value: 224});
  const patchInput = Inputs.select([4, 7, 8, 14, 16, 32], {label: "patch 한 변", value: 16});
  const limitInput = Inputs.select(limits, {
    label: "메모리 한도",
    format: (l: MemoryLimit) => `${l.label}: ${formatBytes(l.bytes)}`,
    // the longest option ("performance.memory.jsHeapSizeLimit: 4 GiB") is not cut at the default width
    width: 400
  });
  const root = el("div", "v2-explorer");
  root.dataset.claim = "V2";
  const controls = el("div", "v2-controls");
  controls.append(sideInput, patchInput, limitInput);
  const chart = el("div", "v2-chart");
  // the table goes to its own slide when a slot is given
  const table = tableSlot ?? el("div", "v2-table");
  const line = el("p", "claim-line v2-line");
  line.setAttribute("aria-live", "polite");
  root.append(controls, line, chart);
  if (!tableSlot) root.append(table);

  const draw = () => {
    const side = sideInput.value as number;
    const patch = patchInput.value as number;
    const limit = limitInput.value as MemoryLimit;
    const pixels = attentionMatrixSize(side, side, 1);
    const patches = attentionMatrixSize(side, side, patch);
    line.textContent = describeV2(pixels, patches, limit);
    Object.assign(root.dataset, {
      side: String(side),
      patch: String(patch),
      limit: String(limit.bytes),
      pixels: JSON.stringify(pixels),
      patches: JSON.stringify(patches)
    });
    const shown = [...new Set([...V2_PATCHES, patch])].sort((a, b) => a - b);
    const rows = attentionSizeTable(V2_SIDES, shown).filter((r) => r.tokens > 0);
    chart.replaceChildren(v2Chart(rows, shown, limit, side, {width}));
    table.replaceChildren(
      simpleTable(
        ["이미지", ...shown.map((p) => `${patchName(p)}: N`), ...shown.map((p) => `${patchName(p)}: 바이트`)],
        V2_SIDES.map((s) => {
          const sizes = shown.map((p) => attentionMatrixSize(s, s, p));
          return [`${s}×${s}`, ...sizes.map((z) => z.tokens), ...sizes.map((z) => formatBytes(z.bytes))];
        }),
        "v2-sizes"
      )
    );
  };
  for (const input of [sideInput, patchInput, limitInput]) input.addEventListener("input", draw);
  draw();
  return root;
}

/** The slot for the explorer's table (shown on its own slide), following the explorer's patch size. */
export function v2TableSlot(): HTMLElement {
  return el("div", "v2-table");
}

/** The measured allocation: QKᵀ and softmax for S×S pixels as tokens, S up to a safe size. */
export function v2Measurement({invalidation}: {invalidation?: Promise<unknown>} = {}): ExperimentPanel {
  const MiB = 2 ** 20;
  const maxInput = Inputs.select(
    [1, 4, 16, 64].map((m) => m * MiB),
    {
      label: "가장 큰 행렬",
      value: 16 * MiB,
      format: formatBytes
    }
  );
  const panel = experimentPanel({
    action: "행렬 할당해 보기",
    idle: "버튼을 누르면 픽셀 수를 늘려 가며 QKᵀ와 softmax를 실제로 만들고 tf.memory()로 잽니다.",
    settings: [maxInput],
    pausable: false,
    invalidation,
    async run(ctx) {
      const sides = measurableSides(maxInput.value as number);
      const rows = await measurePixelAttention(sides, {
        checkpoint: async () => {
          ctx.signal.throwIfAborted();
          await new Promise((resolve) => setTimeout(resolve, 0));
        }
      });
      ctx.progress(1);
      const table = simpleTable(
        ["이미지", "N (토큰)", "공식 4N²", "tf.memory(): score", "tf.memory(): softmax", "시간 (ms)"],
        rows.map((r) => [
          `${r.side}×${r.side}`,
          r.tokens,
          r.expectedBytes,
          r.scoreBytes,
          r.softmaxBytes,
          r.ms.toFixed(1)
        ]),
        "v2-measured"
      );
      const sentence = el("p", "experiment-result v2-measured-line");
      sentence.textContent = describeV2Measurement(rows, tf.getBackend());
      sentence.dataset.rows = JSON.stringify(rows);
      ctx.out.append(table, sentence);
      ctx.status(`끝났습니다: ${rows.length}개 크기를 쟀습니다.`);
    }
  });
  return tagged(panel, "v2-measure");
}
