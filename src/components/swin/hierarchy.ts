/**
 * V6, hierarchy: the feature map of every stage of Swin-T (from its config, lib/models/swin.ts `swinStages`) beside
 * ResNet-50's (chapter 3's model, lib/models/resnet.ts, read from a dry build's layer shapes), each drawn as a square
 * whose side follows the map's size; and Swin-T's parameter count from a dry build beside timm's.
 */
import {dryBuild} from "../../lib/analysis/dry-build.js";
import {MODELS} from "../../lib/models/registry.js";
import {SWIN_MODEL_INFO, SWIN_MODELS, SWIN_PRESETS, swinStages} from "../../lib/models/swin.js";
import {resnetStages, type StageShape} from "../../lib/viz/swin.js";
import {el} from "../shared/dom.js";
import {swinStyles} from "./styles.js";

/** Swin-T's and ResNet-50's stages at 224×224 (computed, nothing allocated) and Swin-T's parameter counts. */
export function hierarchyNumbers(): {swin: StageShape[]; resnet: StageShape[]; params: number; timm: number} {
  const config = SWIN_PRESETS.swin_tiny_patch4_window7_224;
  const swin = swinStages(config).map((s) => ({
    name: `stage ${s.stage}`,
    height: s.height,
    width: s.width,
    channels: s.channels,
    stride: s.stride
  }));
  const resnet = resnetStages(dryBuild(() => MODELS.resnet50({weights: "zeros"})).layers, 224);
  const params = dryBuild(() => SWIN_MODELS.swin_tiny_patch4_window7_224({weights: "zeros"})).countParams();
  return {swin, resnet, params, timm: SWIN_MODEL_INFO.swin_tiny_patch4_window7_224.timm.params};
}

const square = (side: number, fill: string) =>
  `<svg width="${side + 2}" height="${side + 2}" aria-hidden="true"><rect x="1" y="1" width="${side}" height="${side}" fill="${fill}" fill-opacity="0.35" stroke="${fill}"/></svg>`;

export function hierarchyView(): HTMLElement {
  const {swin, resnet, params, timm} = hierarchyNumbers();
  const root = el("div", "hierarchy");
  root.append(swinStyles());
  const table = el("table", "swin-table hierarchy-table");
  const cell = (s: StageShape, color: string) =>
    `<td data-shape="${s.height}x${s.width}x${s.channels}" data-stride="${s.stride}">${square(s.height * 1.3, color)}<br>${s.height}×${s.width}×${s.channels}<br><small>${s.stride}× 줄임</small></td>`;
  table.innerHTML =
    `<thead><tr><th></th>${swin.map((s) => `<th>stage ${s.name.slice(-1)}</th>`).join("")}</tr></thead>` +
    `<tbody><tr data-model="swin_tiny"><td>Swin-T</td>${swin.map((s) => cell(s, "#0072b2")).join("")}</tr>` +
    `<tr data-model="resnet50"><td>ResNet-50<br><small>(${resnet.map((s) => s.name).join(", ")})</small></td>${resnet.map((s) => cell(s, "#d55e00")).join("")}</tr></tbody>`;
  const wrap = el("div", "swin-wide");
  wrap.append(table);
  const same = swin.every((s, i) => s.stride === resnet[i]?.stride && s.height === resnet[i]?.height);
  const line = el(
    "p",
    "hierarchy-line claim-line",
    `두 모델 모두 224×224 입력을 ${swin.map((s) => `${s.stride}×`).join(", ")}로 줄여 ${swin.map((s) => `${s.height}×${s.width}`).join(" → ")}의 feature map을 만듭니다${same ? " (stage마다 크기가 같음)" : ""}. ` +
      `채널은 Swin-T가 ${swin.map((s) => s.channels).join(" → ")}, ResNet-50이 ${resnet.map((s) => s.channels).join(" → ")}입니다. ` +
      `Swin-T의 파라미터는 이 강의의 TF.js 모델에서 ${params.toLocaleString("en-US")}개, timm의 swin_tiny_patch4_window7_224에서 ${timm.toLocaleString("en-US")}개${params === timm ? "로 정확히 같습니다" : "입니다"}. ` +
      `timm의 수는 그 모듈 정의에서 센 학습 파라미터 수이며, torchvision의 swin_t 가중치 설명에도 같은 수가 있습니다.`
  );
  line.dataset.params = String(params);
  line.dataset.timm = String(timm);
  root.append(wrap, line);
  return root;
}
