/**
 * SA4, the future: the causal mask and what it does. The reader's sentence (syllable vectors, d = 4, one head) goes
 * through a causal `MultiHeadAttention` layer and through a layer with the same weights and no mask. The mask (1 where
 * query i may see key j ≤ i) and the masked attention 가중치 are drawn as heatmaps. Then the tokens after position t
 * are replaced by other syllables' vectors: with the mask the outputs at 1…t do not change (max difference computed),
 * without it they do.
 *
 * The root carries `data-claim="SA4"` and `data-t`, `data-masked-gap`, `data-unmasked-gap`, `data-changed-gap`,
 * `data-weights` (the masked weights).
 */
import {tf} from "../../lib/tf.js";
import {checkSelfAttentionSteps, syllableVectors, type Matrix} from "../../lib/analysis/attention-steps.js";
import {MultiHeadAttention} from "../../lib/models/layers/attention.js";
import {attentionHeatmap, describeSA4} from "../../lib/viz/attention.js";
import {el, maxAbs, maxAbsDiff, SA_SENTENCE, sentenceInput, sentenceVectors} from "./sa-common.js";

export const SA4_DIM = 4;
export const SA4_SEED = 7;
/** The syllables that replace the tokens after t. */
export const SA4_REPLACEMENTS = "가나다라마바사아";

export function causalExperiment({
  text = SA_SENTENCE,
  width = 720,
  invalidation
}: {text?: string; width?: number; invalidation?: Promise<unknown>} = {}): HTMLElement {
  const d = SA4_DIM;
  const masked = new MultiHeadAttention({numHeads: 1, causal: true, seed: SA4_SEED, name: "sa4_causal"});
  const open = new MultiHeadAttention({numHeads: 1, seed: SA4_SEED, name: "sa4_open"});
  tf.tidy(() => {
    masked.apply(tf.zeros([1, 1, d]));
    open.apply(tf.zeros([1, 1, d]));
  });
  open.setWeights(masked.getWeights()); // the same weights (copied into open's variables): only the mask differs
  invalidation?.then(() => {
    masked.dispose();
    open.dispose();
  });
  const f = (layer: MultiHeadAttention, x: Matrix): Matrix =>
    tf.tidy(() => (layer.apply(tf.tensor3d([x])) as tf.Tensor).arraySync() as Matrix[])[0];

  const root = el("div", "sa-mask");
  root.dataset.claim = "SA4";
  let sentence = text;
  const slider = el("input", "sa4-t");
  slider.type = "range";
  slider.min = "1";
  slider.step = "1";
  slider.setAttribute("aria-label", "t: 이 위치 뒤의 토큰을 바꿉니다");
  // the slider's value, shown beside it; the changed sentence on its own line below
  const tValue = el("output", "sa4-t-value");
  tValue.style.cssText = "min-width: 4.5em; font-variant-numeric: tabular-nums";
  const tLabel = el("p", "sa4-t-label sa-note");
  tLabel.style.overflowWrap = "anywhere";
  const sliderBox = el("label", "sa-controls");
  sliderBox.append("t ", slider, " ", tValue);
  const controls = el("div", "sa-row");
  controls.append(
    sentenceInput(text, "문장", (t) => {
      sentence = t;
      render();
    }),
    sliderBox
  );
  const maps = el("div", "sa-row sa4-maps");
  const result = el("p", "sa4-result claim-line");
  root.append(controls, tLabel, maps, result);
  slider.addEventListener("input", () => render());

  const render = () => {
    const {tokens, x} = sentenceVectors(sentence, d);
    if (tokens.length < 2) {
      // clear what the last sentence left: no heatmaps, no changed sentence, no t
      result.textContent = "음절이 둘 이상 있어야 합니다.";
      maps.replaceChildren();
      tLabel.textContent = tValue.textContent = "";
      slider.disabled = true;
      for (const k of ["t", "maskedGap", "unmaskedGap", "changedGap", "weights"]) delete root.dataset[k];
      return;
    }
    slider.max = String(tokens.length - 1);
    if (Number(slider.value) > tokens.length - 1 || !slider.dataset.set) {
      slider.value = String(Math.max(1, Math.floor(tokens.length / 2)));
      slider.dataset.set = "1";
    }
    slider.disabled = false;
    const t = Number(slider.value);
    tValue.textContent = `t = ${t}`;
    const replacement = syllableVectors(SA4_REPLACEMENTS, {dim: d, seed: 1});
    const changedTokens = tokens.map((tok, i) => (i < t ? tok : replacement.tokens[i % replacement.tokens.length]));
    const changed = x.map((row, i) => (i < t ? row : replacement.x[i % replacement.x.length]));
    tLabel.textContent = `바꾼 문장: ${changedTokens.join("")} (위치 ${t + 1}부터 바꿈)`;
    const [a, b, c, e] = [f(masked, x), f(masked, changed), f(open, x), f(open, changed)];
    const upTo = (m: Matrix) => m.slice(0, t);
    const after = (m: Matrix) => m.slice(t);
    const numbers = {
      t,
      length: tokens.length,
      maskedGap: maxAbsDiff(upTo(a), upTo(b)),
      unmaskedGap: maxAbsDiff(upTo(c), upTo(e)),
      changedGap: maxAbsDiff(after(a), after(b)),
      scale: maxAbs(a)
    };
    const steps = checkSelfAttentionSteps(masked, x);
    const mask = tokens.map((_, i) => tokens.map((__, j) => (j <= i ? 1 : 0)));
    const w = steps.layerWeights[0];
    const each = Math.min(width / 2 - 16, 360);
    const figure = (title: string, svg: string) => {
      const box = el("figure", "sa4-map");
      box.append(el("figcaption", "", title));
      box.insertAdjacentHTML("beforeend", svg);
      return box;
    };
    maps.replaceChildren(
      figure(
        "causal mask: 진한 칸 = 1 (볼 수 있음), 밝은 칸 = 0 (행: query, 열: key)",
        attentionHeatmap(mask, tokens, tokens, {width: each})
      ),
      figure("마스크를 쓴 attention 가중치", attentionHeatmap(w, tokens, tokens, {width: each}))
    );
    result.textContent = describeSA4(numbers);
    root.dataset.t = String(t);
    root.dataset.maskedGap = String(numbers.maskedGap);
    root.dataset.unmaskedGap = String(numbers.unmaskedGap);
    root.dataset.changedGap = String(numbers.changedGap);
    root.dataset.weights = JSON.stringify(w);
  };
  render();
  return root;
}
