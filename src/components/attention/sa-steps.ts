/**
 * SA1: self-attention step by step on the reader's short Korean sentence (syllable tokens, d = 4, one head): the
 * token vectors X, then Q = X W^Q, K = X W^K, V = X W^V, the scores Q Kᵀ / √d_k, their row softmax (attention 가중치),
 * the weighted sum A V, and the output projection, all computed by plain loops in float64 from the weights of a real
 * `MultiHeadAttention` layer (lib/analysis/attention-steps.ts `checkSelfAttentionSteps`) and compared with that layer's
 * own output (the max difference is printed).
 *
 * `selfAttentionLab` returns the parts to show on separate slides; they update together. The first (`root`) carries
 * `data-claim="SA1"` and, for the tests, the shown numbers in full precision (`data-q`, `data-k`, `data-v`,
 * `data-scores`, `data-weights`, `data-head-output`, `data-output`, `data-layer-output`, `data-max-diff`).
 */
import {tf} from "../../lib/tf.js";
import {checkSelfAttentionSteps} from "../../lib/analysis/attention-steps.js";
import {MultiHeadAttention} from "../../lib/models/layers/attention.js";
import {el, matrixTable, maxAbs, SA_MAX_TOKENS, SA_SENTENCE, sentenceInput, sentenceVectors} from "./sa-common.js";

/** Width and heads of the SA1 layer: small enough to print every number. */
export const SA1_DIM = 4;
export const SA1_SEED = 7;

export interface SelfAttentionLab {
  /** The sentence input, the tokens and X (data-claim SA1). */
  root: HTMLElement;
  /** Q, K, V. */
  qkv: HTMLElement;
  /** Scores and attention 가중치. */
  scores: HTMLElement;
  /** Weighted sum, output projection, the layer's own output and the max difference. */
  output: HTMLElement;
}

export function selfAttentionLab({
  text = SA_SENTENCE,
  invalidation
}: {text?: string; invalidation?: Promise<unknown>} = {}): SelfAttentionLab {
  const d = SA1_DIM;
  const layer = new MultiHeadAttention({numHeads: 1, seed: SA1_SEED, name: "sa1_attention"});
  tf.tidy(() => void layer.apply(tf.zeros([1, 1, d])));
  invalidation?.then(() => layer.dispose());

  const root = el("div", "sa-lab");
  root.dataset.claim = "SA1";
  const note = el("p", "sa-note");
  const xBox = el("div", "sa-row");
  const qkv = el("div", "sa-row sa-qkv");
  const scores = el("div", "sa-scores");
  const output = el("div", "sa-output");
  root.append(
    sentenceInput(text, `문장 (음절 ${SA_MAX_TOKENS}개까지)`, (t) => render(t)),
    note,
    xBox
  );

  const render = (sentence: string) => {
    const {tokens, x, cut} = sentenceVectors(sentence, d);
    if (!tokens.length) {
      note.textContent = "음절이 하나 이상 있어야 합니다.";
      return;
    }
    const r = checkSelfAttentionSteps(layer, x);
    const head = r.steps.heads[0];
    const cols = (p: string) => Array.from({length: d}, (_, j) => `${p}${j + 1}`);
    const labels = tokens.map((t, i) => `${i + 1} ${t}`);
    note.textContent =
      `토큰 ${tokens.length}개 (음절마다 하나${cut ? `; 뒤의 ${cut}개는 뺐습니다` : ""}), ` +
      `토큰 벡터는 d = ${d} (같은 음절은 같은 벡터). W^Q, W^K, W^V, W^O는 층의 가중치 (seed ${SA1_SEED}).`;
    xBox.replaceChildren(matrixTable(x, {title: "X: 토큰 벡터", rows: labels, columns: cols("x")}));
    qkv.replaceChildren(
      matrixTable(head.q, {title: "1. Q = X W^Q (query)", rows: labels, columns: cols("q")}),
      matrixTable(head.k, {title: "K = X W^K (key)", rows: labels, columns: cols("k")}),
      matrixTable(head.v, {title: "V = X W^V (value)", rows: labels, columns: cols("v")})
    );
    const rowSums = head.weights.map((row) => row.reduce((a, b) => a + b, 0));
    const sumLine = el(
      "p",
      "sa-sums",
      `각 행의 합: ${rowSums.map((s) => s.toFixed(6)).join(", ")} (softmax는 행마다 합이 1인 확률분포)`
    );
    const pair = el("div", "sa-row");
    pair.append(
      matrixTable(head.scores, {
        title: `2. score = Q Kᵀ / √${r.steps.dk} (행: query, 열: key)`,
        rows: labels,
        columns: tokens
      }),
      matrixTable(head.weights, {
        title: "3. attention 가중치 = softmax(행마다)",
        rows: labels,
        columns: tokens,
        shade: true
      })
    );
    scores.replaceChildren(pair, sumLine);
    const outRow = el("div", "sa-row");
    outRow.append(
      matrixTable(head.output, {title: "4. 가중합 A V", rows: labels, columns: cols("z")}),
      matrixTable(r.steps.output, {title: "손 계산: (A V) W^O + b", rows: labels, columns: cols("y")}),
      matrixTable(r.layerOutput, {title: "층의 출력 (TF.js)", rows: labels, columns: cols("y")})
    );
    const check = el(
      "p",
      "sa1-check claim-line",
      `손 계산 (float64)과 층의 출력 (float32)의 최대 차이: ${r.maxDiff.toExponential(1)} ` +
        `(출력의 최대 크기 ${maxAbs(r.layerOutput).toFixed(2)}), attention 가중치의 최대 차이: ${r.maxWeightDiff.toExponential(1)}.`
    );
    output.replaceChildren(outRow, check);
    const data = root.dataset;
    data.tokens = JSON.stringify(tokens);
    data.q = JSON.stringify(head.q);
    data.k = JSON.stringify(head.k);
    data.v = JSON.stringify(head.v);
    data.dk = String(r.steps.dk);
    data.scores = JSON.stringify(head.scores);
    data.weights = JSON.stringify(head.weights);
    data.headOutput = JSON.stringify(head.output);
    data.output = JSON.stringify(r.steps.output);
    data.layerOutput = JSON.stringify(r.layerOutput);
    data.maxDiff = String(r.maxDiff);
  };
  render(text);
  return {root, qkv, scores, output};
}
