/**
 * A2: the attention heatmap of a whole translation for the reader's own input (output tokens × source tokens, PAD
 * columns left out), the model's translation beside the right answer (`referenceTarget`, the task's reference
 * parser), and a sentence computed from the weights: where the first output tokens look (lib/viz/attention.ts).
 */
import {encodeSource, referenceTarget, sourceTokens} from "../../lib/data/dates.js";
import {translate} from "../../lib/models/seq2seq.js";
import {attentionHeatmap, describeLooks, unknownNote} from "../../lib/viz/attention.js";
import {UNTRAINED_MAX_LENGTH, type AttentionModelStore, type HeldModel} from "./model-store.js";
import {el} from "../shared/dom.js";

export interface HeatmapViewOptions {
  store: AttentionModelStore;
  text?: string;
  width?: number;
  invalidation?: Promise<unknown>;
}

export function heatmapView({
  store,
  text = "Sunday, November 29, 2026 and 3/4/21",
  width = 720,
  invalidation
}: HeatmapViewOptions): HTMLElement {
  const root = el("div", "attention-heatmap-view");
  const input = el("input", "heatmap-input");
  input.type = "text";
  input.value = text;
  input.size = 44;
  input.setAttribute("aria-label", "영어 날짜 (여러 개는 and로)");
  const button = el("button", "heatmap-go", "번역");
  button.type = "button";
  const label = el("label", "heatmap-label");
  label.append("입력: ", input);
  const controls = el("div", "heatmap-controls");
  controls.append(label, button);
  const result = el("p", "heatmap-translation");
  const chart = el("div", "heatmap-chart");
  chart.style.overflowX = "auto";
  // a long unbroken input quoted back must wrap, not widen the page
  result.style.overflowWrap = "anywhere";
  const sentence = el("p", "looks-result claim-line");
  sentence.style.overflowWrap = "anywhere";
  sentence.setAttribute("aria-live", "polite");
  root.append(controls, result, chart, sentence);

  let held: HeldModel | null = null;
  const render = () => {
    if (!held) return;
    const words = sourceTokens(input.value);
    if (!words.length) {
      result.textContent = "입력이 비어 있습니다: 영어 날짜를 적어 주세요.";
      chart.replaceChildren();
      sentence.textContent = "";
      root.dataset.rows = root.dataset.columns = "0";
      return;
    }
    // the trained model reads inputs left-padded to its training length; a longer input is read whole
    const length = Math.max(held.sourceLength ?? 1, words.length, 1);
    const enc = encodeSource([input.value], length);
    let translation;
    try {
      [translation] = translate(held.s, enc.source, {maxLength: held.trained ? undefined : UNTRAINED_MAX_LENGTH});
    } finally {
      enc.source.dispose();
    }
    const n = enc.lengths[0];
    const shownSource = words.slice(0, n);
    // [output step][source position] → the real source positions only (the input is left-padded)
    const weights = (translation.attention ?? []).map((r) => r.slice(length - n));
    const outputs = weights.map((_, i) => translation.tokens[i] ?? "<end>");
    const reference = referenceTarget(input.value);
    const verdict =
      reference === null
        ? "이 입력은 과제가 아는 날짜 형식이 아닙니다 (정답을 정할 수 없습니다)."
        : translation.text === reference
          ? "정답과 같습니다."
          : `정답은 “${reference}”입니다.`;
    const extra = [
      translation.ended ? "" : `끝 토큰 없이 ${translation.tokens.length}개에서 멈췄습니다.`,
      unknownNote(enc.unknown[0]),
      held.sourceLength && words.length > held.sourceLength
        ? `입력 (토큰 ${words.length}개)이 학습한 가장 긴 입력 (${held.sourceLength}개)보다 깁니다.`
        : ""
    ].filter(Boolean);
    // the same model as the five steps above (the store's); an untrained one translates each input differently
    const whose = held.trained
      ? "학습한 모델의 번역"
      : `학습 전 모델 (${held.note}, 위 다섯 단계와 같은 모델입니다. 가중치가 무작위라 입력이 다르면 엉뚱한 출력도 다릅니다)의 번역`;
    result.textContent = `${whose}: “${translation.text}”. ${verdict} ${extra.join(" ")}`;
    root.dataset.rows = String(weights.length);
    root.dataset.columns = String(shownSource.length);
    root.dataset.trained = String(held.trained);
    chart.innerHTML = attentionHeatmap(weights, shownSource, outputs, {width: Math.min(width, 960)});
    sentence.textContent = describeLooks(weights, shownSource, outputs, {trained: held.trained});
  };
  button.addEventListener("click", render);
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      render();
    }
  });
  const unsubscribe = store.subscribe((h) => {
    held = h;
    render();
  });
  invalidation?.then(() => unsubscribe());
  return root;
}
