/**
 * Chapter 8, V3: ViT step by step on a real photo (the notes' fourth approach). The photo is cut into P×P patches,
 * the patches are flattened into tokens, projected by the patch embedding (a convolution with kernel = stride = P,
 * shown equal to flatten + matmul on the photo), the class token is put in front and the position embedding added.
 * Every shape comes from a real `buildVit` model's layers for the slider's P (ViT-Ti's width D = 192, one block: the
 * shapes do not depend on the number of blocks), applied to the photo.
 *
 *   patchSlider     the patch-size slider (a form whose value is P)
 *   photoTensor     the photo, centre-cropped and resized to 224×224×3 (0…1), as a canvas and a tensor
 *   patchGrid       the photo with the patch grid
 *   tokenStrip      the first patches and the last, flattened into tokens
 *   vitStepModel    the model for P (the caller disposes it)
 *   vitStepsTable   the steps with their shapes and parameters, computed on the photo
 */
import {tf} from "../../../lib/tf.js";
import {buildVit, VIT_PRESETS, type VitConfig} from "../../../lib/models/vit.js";
import {extractPatches, patchEmbedByMatmul, patchLayout} from "../../../lib/ops/patches.js";
import {el} from "../../shared/dom.js";

/** ViT's input size (timm's 224×224 models). */
export const PHOTO_SIZE = 224;

export type PatchSlider = HTMLFormElement & {value: number};

/** A slider over the allowed patch sizes (not evenly spaced), labelled "patch 크기 P"; its value is P. */
export function patchSlider(sizes: number[], value: number): PatchSlider {
  const form = el("form", "patch-slider") as PatchSlider;
  const id = `patch-slider-${Math.random().toString(36).slice(2, 8)}`;
  const label = el("label", "", "patch 크기 P");
  label.htmlFor = id;
  const input = el("input", "");
  input.type = "range";
  input.id = id;
  input.min = "0";
  input.max = String(sizes.length - 1);
  input.step = "1";
  input.value = String(Math.max(0, sizes.indexOf(value)));
  const output = el("output", "patch-slider-value");
  form.style.cssText = "display: flex; gap: 0.6rem; align-items: center; flex-wrap: wrap; margin: 0.5rem 0";
  const update = () => {
    form.value = sizes[Number(input.value)];
    output.textContent = `${form.value} × ${form.value} 픽셀`;
  };
  input.addEventListener("input", update);
  update();
  form.addEventListener("submit", (e) => e.preventDefault());
  form.append(label, input, output);
  return form;
}

/** The photo centre-cropped to a square and resized to 224×224: the canvas and a [224, 224, 3] tensor in 0…1. */
export function photoTensor(image: HTMLImageElement): {canvas: HTMLCanvasElement; tensor: tf.Tensor3D} {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = PHOTO_SIZE;
  const side = Math.min(image.naturalWidth, image.naturalHeight);
  const sx = (image.naturalWidth - side) / 2;
  const sy = (image.naturalHeight - side) / 2;
  const ctx = canvas.getContext("2d", {willReadFrequently: true})!;
  ctx.drawImage(image, sx, sy, side, side, 0, 0, PHOTO_SIZE, PHOTO_SIZE);
  const tensor = tf.tidy(() => tf.div(tf.browser.fromPixels(canvas, 3).toFloat(), 255)) as tf.Tensor3D;
  return {canvas, tensor};
}

/** The photo with the P×P grid drawn over it and the first patch and the last outlined. */
export function patchGrid(photo: HTMLCanvasElement, p: number, {width = 336} = {}): HTMLElement {
  const size = Math.min(width, 336);
  const scale = size / PHOTO_SIZE;
  const {rows, cols, patches} = patchLayout(PHOTO_SIZE, PHOTO_SIZE, 3, p);
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", `사진과 ${p}×${p} patch 격자`);
  const ctx = canvas.getContext("2d")!;
  ctx.drawImage(photo, 0, 0, size, size);
  ctx.strokeStyle = "rgba(255, 255, 255, 0.85)";
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let k = 1; k < cols; k++) {
    const x = Math.round(k * p * scale) + 0.5;
    ctx.moveTo(x, 0);
    ctx.lineTo(x, size);
  }
  for (let k = 1; k < rows; k++) {
    const y = Math.round(k * p * scale) + 0.5;
    ctx.moveTo(0, y);
    ctx.lineTo(size, y);
  }
  ctx.stroke();
  ctx.lineWidth = 3;
  ctx.strokeStyle = "#e8590c";
  ctx.strokeRect(1.5, 1.5, p * scale - 3, p * scale - 3);
  ctx.strokeStyle = "#1971c2";
  ctx.strokeRect(size - p * scale + 1.5, size - p * scale + 1.5, p * scale - 3, p * scale - 3);
  const figure = el("figure", "panel patch-grid");
  figure.dataset.patch = String(p);
  figure.dataset.rows = String(rows);
  figure.dataset.cols = String(cols);
  figure.dataset.patches = String(patches);
  figure.style.width = `${size + 2}px`;
  figure.append(
    canvas,
    el(
      "figcaption",
      "",
      `${PHOTO_SIZE}×${PHOTO_SIZE} 사진, ${rows} × ${cols} = ${patches}개 patch (주황: 1번, 파랑: ${patches}번)`
    )
  );
  return figure;
}

/** Patch n of the photo as a small canvas (nearest-neighbour scaling, `px` on a side). */
function patchCanvas(photo: HTMLCanvasElement, p: number, n: number, cols: number, px: number): HTMLCanvasElement {
  const c = document.createElement("canvas");
  c.width = c.height = px;
  const ctx = c.getContext("2d")!;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(photo, (n % cols) * p, Math.floor(n / cols) * p, p, p, 0, 0, px, px);
  c.style.cssText = `width: ${px}px; height: ${px}px; border: 1px solid #adb5bd`;
  return c;
}

/** The token sequence: the first `count` patches in row-major order, "…", the last one; with the matrix shape. */
export function tokenStrip(photo: HTMLCanvasElement, p: number, {count = 6, px = 44} = {}): HTMLElement {
  const {cols, patches, patchDim} = patchLayout(PHOTO_SIZE, PHOTO_SIZE, 3, p);
  const root = el("div", "token-strip");
  root.dataset.patches = String(patches);
  root.dataset.patchDim = String(patchDim);
  const strip = el("div", "");
  strip.style.cssText = "display: flex; gap: 6px; align-items: end; flex-wrap: wrap; margin: 0.4rem 0";
  const item = (n: number) => {
    const box = el("div", "token");
    box.style.cssText = "display: flex; flex-direction: column; align-items: center; font-size: 12px";
    box.append(patchCanvas(photo, p, n, cols, px), el("span", "", `x${toSup(n + 1)}`));
    return box;
  };
  const shown = Math.min(count, patches - 1);
  for (let n = 0; n < shown; n++) strip.append(item(n));
  if (patches > shown + 1) strip.append(el("span", "", "…"));
  strip.append(item(patches - 1));
  const shape = el("p", "token-shape");
  shape.innerHTML =
    `patch 하나 = ${p}×${p}×3 = <b>${patchDim.toLocaleString("en-US")}</b>개 값을 한 줄로 펼친 토큰. ` +
    `토큰 ${patches.toLocaleString("en-US")}개를 쌓으면 행렬 <code>[N, P²·C] = [${patches.toLocaleString("en-US")}, ${patchDim.toLocaleString("en-US")}]</code>.`;
  root.append(strip, shape);
  return root;
}

const SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹";
const toSup = (n: number) => [...String(n)].map((d) => SUP[Number(d)]).join("");

/** ViT-Ti's configuration with patch size P and one block, at 224×224×3. */
export function stepConfig(p: number): VitConfig {
  return {...VIT_PRESETS.vit_tiny_patch16_224, patchSize: p, depth: 1};
}

/** The model the steps are read from (seeded; the caller disposes it). */
export function vitStepModel(p: number): tf.LayersModel {
  return buildVit(stepConfig(p), {seed: 8});
}

export interface StepRow {
  step: string;
  formula: string;
  /** The shape of the tensor computed on the photo (batch axis dropped). */
  shape: number[];
  /** The same from the model's layer (symbolic), when the step is a layer. */
  layerShape?: number[];
  params?: number;
}

/** The steps computed on the photo with the model's own layers; and flatten + matmul against the convolution. */
export function computeSteps(
  model: tf.LayersModel,
  photo: tf.Tensor3D,
  p: number
): {rows: StepRow[]; maxDiff: number; n: number; d: number} {
  const layer = (name: string) => model.getLayer(name);
  const layerShape = (name: string) => (layer(name).outputShape as number[]).slice(1);
  const out = tf.tidy(() => {
    const x = photo.expandDims(0) as tf.Tensor4D; // [1, 224, 224, 3]
    const conv = layer("patch_embed.proj").apply(x) as tf.Tensor; // [1, H/P, W/P, D]
    const tokens = layer("patch_embed.flatten").apply(conv) as tf.Tensor; // [1, N, D]
    const xp = extractPatches(photo, p); // [N, P²·C]
    const [kernel, bias] = layer("patch_embed.proj").getWeights() as [tf.Tensor4D, tf.Tensor1D];
    const byHand = patchEmbedByMatmul(xp, kernel, bias); // [N, D]
    const diff = tf.max(tf.abs(tf.sub(tokens.squeeze([0]), byHand)));
    const withClass = layer("tokens").apply(tokens) as tf.Tensor; // [1, N + 1, D]
    const z0 = layer("pos_embed").apply(withClass) as tf.Tensor; // [1, N + 1, D]
    return {
      shapes: [
        xp.shape,
        conv.shape.slice(1),
        tokens.shape.slice(1),
        byHand.shape,
        withClass.shape.slice(1),
        z0.shape.slice(1)
      ],
      diff: diff.dataSync()[0]
    };
  });
  const [xpShape, convShape, tokenShape, handShape, classShape, z0Shape] = out.shapes;
  const [n, d] = tokenShape;
  const rows: StepRow[] = [
    {step: "입력 이미지", formula: "x", shape: [...photo.shape]},
    {step: "patch로 자르고 펼치기", formula: "x_p", shape: xpShape},
    {
      step: "patch embedding (conv P×P, stride P)",
      formula: "conv(x)",
      shape: convShape,
      layerShape: layerShape("patch_embed.proj"),
      params: layer("patch_embed.proj").countParams()
    },
    {step: "격자를 한 줄로", formula: "reshape", shape: tokenShape, layerShape: layerShape("patch_embed.flatten")},
    {step: "같은 것을 flatten + matmul로", formula: "x_p E + b", shape: handShape},
    {
      step: "class token을 맨 앞에",
      formula: "[x_class; x_p E]",
      shape: classShape,
      layerShape: layerShape("tokens"),
      params: layer("tokens").countParams()
    },
    {
      step: "position embedding 더하기",
      formula: "+ E_pos",
      shape: z0Shape,
      layerShape: layerShape("pos_embed"),
      params: layer("pos_embed").countParams()
    }
  ];
  return {rows, maxDiff: out.diff, n, d};
}

/** The steps as a table (shapes computed on the photo, the layer's own shape and parameter count). */
export function vitStepsTable(model: tf.LayersModel, photo: tf.Tensor3D, p: number): HTMLElement {
  const {rows, maxDiff, n, d} = computeSteps(model, photo, p);
  const root = el("div", "vit-steps");
  Object.assign(root.dataset, {patch: String(p), n: String(n), seq: String(rows[6].shape[0]), d: String(d)});
  root.dataset.maxDiff = String(maxDiff);
  const table = el("table", "vit-steps-table");
  const head = table.createTHead().insertRow();
  for (const h of ["단계", "식", "모양 (사진에서 계산)", "파라미터"]) head.append(el("th", "", h));
  const body = table.createTBody();
  const shape = (s: number[]) => `[${s.map((v) => v.toLocaleString("en-US")).join(", ")}]`;
  for (const r of rows) {
    const tr = body.insertRow();
    tr.dataset.shape = JSON.stringify(r.shape);
    if (r.layerShape) tr.dataset.layerShape = JSON.stringify(r.layerShape);
    tr.insertCell().textContent = r.step;
    const f = tr.insertCell();
    f.append(el("code", "", r.formula));
    const s = tr.insertCell();
    s.textContent = shape(r.shape);
    s.className = "num";
    const pc = tr.insertCell();
    pc.textContent = r.params === undefined ? "" : r.params.toLocaleString("en-US");
    pc.className = "num";
  }
  const scroll = el("div", "table-scroll");
  scroll.style.cssText = "overflow-x: auto; max-width: 100%";
  scroll.append(table);
  const line = el("p", "vit-steps-line");
  line.textContent =
    `P = ${p}: N = (${PHOTO_SIZE}/${p})·(${PHOTO_SIZE}/${p}) = ${n.toLocaleString("en-US")}개 토큰, class token을 붙인 시퀀스 ` +
    `${(n + 1).toLocaleString("en-US")}개, 폭 D = ${d}. convolution과 flatten + matmul의 결과는 ` +
    (maxDiff === 0
      ? "정확히 같습니다 (차이 0)."
      : `최대 ${maxDiff.toExponential(1)}만큼 다릅니다 (float32의 반올림 오차: 같은 계산입니다).`);
  root.append(scroll, line);
  return root;
}
