/**
 * Chapter 8, V3: what the small ViT has learned, drawn from the V3 store's model (untrained before any run, trained
 * after): the position-embedding similarity map (Dosovitskiy et al. 2021, Figure 7 centre) with its mean by distance,
 * and the class token's attention on test images, per block and as attention rollout (Abnar & Zuidema 2020). The
 * numbers are lib/analysis/vit-maps.ts; the pictures and sentences lib/viz/vit-maps.ts.
 */
import * as Plot from "@observablehq/plot";
import {tf} from "../../../lib/tf.js";
import {fashionClassName} from "../../../lib/data/fashion-mnist.js";
import {vitTokens, VIT_PRESETS} from "../../../lib/models/vit.js";
import {
  attentionRollout,
  classTokenToPatches,
  cosineSimilarityMatrix,
  foregroundShare,
  headMean,
  positionEmbeddingRows,
  positionStructure,
  vitForwardWithMaps,
  type Matrix
} from "../../../lib/analysis/vit-maps.js";
import {
  attentionOverlay,
  describeAttention,
  describePositions,
  positionSimilaritySvg
} from "../../../lib/viz/vit-maps.js";
import {mnistTensors} from "../../../lib/data/mnist.js";
import {imshow, errorNote} from "../../shared/imshow.js";
import {loadImageSet} from "../../shared/mnist.js";
import {el} from "../../shared/dom.js";
import {argMaxRows, ATTENTION_IMAGES, type VitSnapshot, type VitStore} from "./store.js";

const GRID = vitTokens(VIT_PRESETS.tiny).grid;

const stageText = (s: VitSnapshot) =>
  s.trained
    ? `학습한 모델 (${s.summary!.trainImages.toLocaleString("en-US")}장 × ${s.summary!.epochsDone} epoch, 테스트 정확도 ${(100 * s.summary!.after).toFixed(1)}%)`
    : "학습 전 모델 (무작위 초기값)";

function stageBadge(s: VitSnapshot): HTMLElement {
  const badge = el("p", "vit-stage", stageText(s));
  badge.style.cssText = `display: inline-block; margin: 0.2rem 0; padding: 0.1rem 0.5rem; border-radius: 4px; font-weight: 600; background: ${s.trained ? "#d3f9d8" : "#fff3bf"}`;
  return badge;
}

/** The position-embedding similarity map of the store's model, redrawn when the store changes. */
export function positionMapView(
  store: VitStore,
  {width = 900, invalidation}: {width?: number; invalidation?: Promise<unknown>} = {}
): HTMLElement {
  const root = el("div", "vit-position-map");
  const draw = (s: VitSnapshot) => {
    // rows 1…N: the patch positions (row 0 is the class token's)
    const rows = positionEmbeddingRows(s.model).slice(1);
    const similarity = cosineSimilarityMatrix(rows);
    const structure = positionStructure(similarity, GRID);
    root.dataset.trained = String(s.trained);
    root.dataset.neighbours = String(structure.neighbours);
    root.dataset.farther = String(structure.farther);
    root.dataset.correlation = String(structure.correlation);
    const figure = el("figure", "panel");
    const cell = width < 500 ? 9 : 14;
    figure.innerHTML = positionSimilaritySvg(similarity, GRID, {cell, gap: cell / 2});
    figure.append(
      el(
        "figcaption",
        "",
        `칸 (i, j): 위치 (i, j)의 position embedding과 모든 위치의 cosine similarity (파랑 −1, 흰색 0, 빨강 1)`
      )
    );
    figure.style.maxWidth = "300px";
    const chart = Plot.plot({
      width: Math.min(320, width),
      height: 190,
      marginLeft: 50,
      x: {label: "patch 격자 위의 거리 →", grid: true},
      y: {label: "↑ 평균 cosine similarity", grid: true},
      marks: [
        Plot.ruleY([0]),
        Plot.line(structure.byDistance, {x: "distance", y: "mean", stroke: "#1971c2"}),
        Plot.dot(structure.byDistance, {x: "distance", y: "mean", fill: "#1971c2", tip: true})
      ]
    });
    const row = el("div", "");
    row.style.cssText = "display: flex; gap: 1.5rem; flex-wrap: wrap; align-items: start";
    row.append(figure, chart);
    const line = el("p", "claim-line vit-position-line", describePositions(structure, s.trained));
    root.replaceChildren(stageBadge(s), row, line);
  };
  const off = store.subscribe(draw);
  invalidation?.then(off);
  return root;
}

interface ImageMaps {
  pixels: Float32Array;
  label: number;
  predicted: number;
  /** Per block: what the class token takes from each patch (mean over heads, renormalised over the patches). */
  blocks: number[][];
  rollout: number[];
}

/** The class token's attention for images start…start+count−1 of the store's test images. */
function computeMaps(s: VitSnapshot, start: number, count: number): ImageMaps[] {
  const images = s.images!;
  const n = Math.min(count, images.shape[0] - start);
  const batch = tf.tidy(() => images.slice(start, n)) as tf.Tensor4D;
  const {logits, maps} = vitForwardWithMaps(s.model, batch);
  try {
    const predicted = argMaxRows(logits);
    const perBlock = maps.map((m) => m.arraySync() as Matrix[][]); // [block][image][head][T][T]
    const pixels = batch.dataSync();
    return Array.from({length: n}, (_, i) => {
      const means = perBlock.map((b) => headMean(b[i]));
      return {
        pixels: Float32Array.from(pixels.subarray(i * 784, (i + 1) * 784)),
        label: s.labels![start + i],
        predicted: predicted[i],
        blocks: means.map((m) => classTokenToPatches(m)),
        rollout: classTokenToPatches(attentionRollout(means))
      };
    });
  } finally {
    tf.dispose([batch, logits, ...maps]);
  }
}

/** The class token's attention on a few test images, with a control to choose them; follows the store. */
export function attentionView(
  store: VitStore,
  {width = 900, count = 4, invalidation}: {width?: number; count?: number; invalidation?: Promise<unknown>} = {}
): HTMLElement {
  const root = el("div", "vit-attention-view");
  const controls = el("form", "vit-attention-controls");
  controls.style.cssText = "display: flex; gap: 0.6rem; align-items: center; flex-wrap: wrap";
  const id = `vit-attention-start-${Math.random().toString(36).slice(2, 8)}`;
  const label = el("label", "", "테스트 이미지 번호");
  label.htmlFor = id;
  const input = el("input", "");
  input.type = "range";
  input.id = id;
  input.min = "0";
  input.step = String(count);
  input.value = "0";
  const output = el("output", "");
  controls.append(label, input, output);
  controls.addEventListener("submit", (e) => e.preventDefault());
  const body = el("div", "vit-attention-body");
  root.append(controls, body);
  const size = Math.max(40, Math.min(64, Math.floor((width - 40) / 6) - 8));

  const draw = () => {
    const s = store.get();
    root.dataset.trained = String(s.trained);
    if (!s.images) {
      controls.hidden = true;
      root.dataset.drawn = "false";
      const button = el("button", "vit-attention-load", "학습 전 모델로 보기 (테스트 이미지 내려받기)");
      button.type = "button";
      const status = el("span", "vit-attention-status");
      button.addEventListener("click", () => void loadUntrained(button, status));
      body.replaceChildren(
        stageBadge(s),
        el(
          "p",
          "vit-attention-empty",
          "테스트 이미지는 아직 내려받지 않았습니다. 아래 버튼으로 학습 전 모델의 attention을 먼저 보거나, 위의 학습을 시작하세요 (학습이 시작되면 학습 전 모델의 attention을 그리고, 끝나면 학습한 모델로 다시 그립니다)."
        ),
        button,
        status
      );
      return;
    }
    controls.hidden = false;
    const total = s.images.shape[0];
    input.max = String(Math.max(0, total - count));
    const start = Math.min(Number(input.value), total - count);
    output.textContent = `${start + 1}–${start + count}번 (테스트 이미지 ${total}장 중)`;
    const rows = computeMaps(s, start, count);
    root.dataset.drawn = "true";
    root.dataset.start = String(start);
    const table = el("div", "vit-attention-grid");
    table.style.cssText = `display: grid; grid-template-columns: repeat(6, ${size + 4}px); gap: 4px 8px; align-items: start; font-size: 12px`;
    const headers = ["이미지", ...rows[0].blocks.map((_, b) => `block ${b + 1}`), "rollout"];
    for (const h of headers) table.append(el("div", "vit-attention-head", h));
    for (const r of rows) {
      const right = r.predicted === r.label;
      const caption = `정답 ${fashionClassName(r.label)} / 예측 ${fashionClassName(r.predicted)} ${right ? "✓" : "✗"}`;
      const grey = imshow(attentionOverlay(r.pixels, [28, 28], new Array(GRID[0] * GRID[1]).fill(0), GRID, 0), {
        width: size,
        label: caption
      });
      grey.title = caption;
      const cells = [
        grey,
        ...r.blocks.map((b, k) => overlay(r, b, size, `block ${k + 1}`)),
        overlay(r, r.rollout, size, "rollout")
      ];
      for (const c of cells) table.append(c);
      const cap = el("div", `vit-attention-caption ${right ? "right" : "wrong"}`, caption);
      cap.style.cssText = "grid-column: 1 / -1; margin-bottom: 0.4rem; color: #495057";
      table.append(cap);
    }
    const shares = rows.map((r) => foregroundShare(r.pixels, [28, 28], r.rollout, GRID));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const shown = {
      right: rows.filter((r) => r.predicted === r.label).length,
      total: rows.length,
      attention: mean(shares.map((x) => x.attention)),
      patches: mean(shares.map((x) => x.patches))
    };
    const line = el("p", "claim-line vit-attention-line", describeAttention(shown, s.trained));
    line.dataset.right = String(shown.right);
    line.dataset.attention = String(shown.attention);
    line.dataset.patches = String(shown.patches);
    body.replaceChildren(stageBadge(s), table, line);
  };
  /** The test images for the untrained model (the training panel's download is the same, cached). */
  const loadUntrained = async (button: HTMLButtonElement, status: HTMLElement) => {
    button.disabled = true;
    try {
      const set = await loadImageSet("fashion", "test", {
        onProgress: (p) => (status.textContent = p.phase === "download" ? "내려받는 중…" : "준비 중…")
      });
      const s = store.get();
      // a run may have started meanwhile (it brings its own images), or the page was left
      if (s.images || store.disposed) return;
      const data = mnistTensors(set, 0, Math.min(ATTENTION_IMAGES, set.count));
      const labels = tf.tidy(() => argMaxRows(data.ys));
      data.ys.dispose();
      store.set({...s, images: data.xs, labels});
    } catch (error) {
      button.disabled = false;
      status.replaceChildren(errorNote(error));
    }
  };
  input.addEventListener("input", draw);
  const off = store.subscribe(draw);
  invalidation?.then(off);
  return root;
}

function overlay(r: ImageMaps, heat: number[], size: number, name: string): HTMLElement {
  const fig = imshow(attentionOverlay(r.pixels, [28, 28], heat, GRID), {
    width: size,
    label: `${name}: class token의 attention`
  });
  fig.dataset.map = name;
  fig.dataset.heat = JSON.stringify(heat.map((v) => +v.toFixed(4)));
  return fig;
}
