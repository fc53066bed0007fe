/**
 * Tables and buttons of chapter 3 「CNN Model 비교」: the comparison table computed from the models, the notes' own
 * table, and the explicit button that builds a paper-sized model with real (random) weights.
 */
import {withParticle} from "../../lib/korean.js";
import * as Plot from "@observablehq/plot";
import {tf} from "../../lib/tf.js";
import {formatCount} from "../../lib/analysis/summary.js";
import {countFlops} from "../../lib/analysis/flops.js";
import {FAMILIES, MODEL_INFO, MODELS, type FamilyName, type ModelName} from "../../lib/models/registry.js";
import type {ModelFigures} from "../../lib/models/compare.js";
import {errorNote} from "../shared/imshow.js";

/**
 * What the notes' table says of each family (docs/course-notes.ko.md, 「CNN Model 비교」), and its model. The wording is
 * the notes', with the course's terms (lib/glossary.ts): 레이어 → 층, 기울기소실 → vanishing gradient.
 */
export const NOTES: Record<FamilyName, {model: ModelName; concept: string; features: string[]; layers: number}> = {
  alexnet: {
    model: "alexnet",
    concept: "2012년 등장한 CNN의 성능을 입증한 모델. 깊고 큰 네트워크를 적용함.",
    features: ["8개 층", "ReLU 활성화 함수 사용", "Max Pooling 사용"],
    layers: 8
  },
  googlenet: {
    model: "googlenet",
    concept:
      "네트워크의 깊이를 늘리는 대신 너비를 넓혀 다양한 크기의 필터로 특징을 학습하는 Inception 모듈을 사용합니다.",
    features: ["22개 층", "auxiliary losses", "다양한 크기의 필터를 병렬로 사용", "global average pooling 사용"],
    layers: 22
  },
  vgg: {
    model: "vgg19",
    concept: "단순하고 깊은 구조를 통해 복잡한 특징을 학습합니다.",
    features: ["19개 층", "pre training", "3x3 크기의 작은 필터를 다층으로 쌓은 구성"],
    layers: 19
  },
  resnet: {
    model: "resnet152",
    concept: "residual learning을 도입하여 깊은 신경망에서도 학습효율을 유지할 수 있도록 한 모델",
    features: ["152개의 깊은 층", "초깊은 신경망", "vanishing gradient 해결, 정확도 높음"],
    layers: 152
  }
};

/** The notes' order. */
export const NOTE_FAMILIES: FamilyName[] = ["alexnet", "googlenet", "vgg", "resnet"];

const cell = (tag: "td" | "th", content: string | Node, className = "") => {
  const el = document.createElement(tag);
  if (className) el.className = className;
  el.append(content);
  return el;
};

const list = (items: string[]) => {
  const ul = document.createElement("ul");
  for (const item of items) {
    const li = document.createElement("li");
    li.textContent = item;
    ul.append(li);
  }
  return ul;
};

/** The notes' table as they write it: 특성 / 개념 / 특징, one column per family. */
export function notesTable(): HTMLTableElement {
  const table = document.createElement("table");
  table.className = "notes-table";
  const head = document.createElement("tr");
  head.append(cell("th", "특성"), ...NOTE_FAMILIES.map((f) => cell("th", FAMILIES[f].title)));
  const concept = document.createElement("tr");
  concept.append(cell("th", "개념"), ...NOTE_FAMILIES.map((f) => cell("td", NOTES[f].concept)));
  const features = document.createElement("tr");
  features.append(cell("th", "특징"), ...NOTE_FAMILIES.map((f) => cell("td", list(NOTES[f].features))));
  table.append(head, concept, features);
  return table;
}

const count = (n: number) => n.toLocaleString("en-US");

/**
 * The comparison table, every number measured from the model's dry-built layer graph: year, depth (weight layers)
 * against the notes' count, parameters and multiply-adds against torchvision's, the key idea and the notes' 특징.
 */
export function comparisonTable(
  rows: ModelFigures[],
  {ideaNotes = {}}: {ideaNotes?: Partial<Record<ModelName, string>>} = {}
): HTMLElement {
  const table = document.createElement("table");
  table.className = "comparison-table";
  table.dataset.claim = "M1";
  const head = document.createElement("tr");
  for (const h of ["모델", "연도", "깊이 (가중치 층)", "파라미터", "MACs @224²", "핵심 아이디어"]) {
    head.append(cell("th", h));
  }
  table.append(head);
  for (const r of rows) {
    const info = MODEL_INFO[r.name];
    const family = FAMILIES[info.family];
    const note = NOTES[info.family];
    const tr = document.createElement("tr");
    tr.dataset.model = r.name;
    const depthOk = r.depth === note.layers;
    const paramsOk = r.params === info.torchvision.params;
    tr.append(
      cell("td", info.title, "model-name"),
      cell("td", String(r.year)),
      cell("td", `${r.depth} ${depthOk ? "✓" : "✗"} (노트: ${note.layers})`, depthOk ? "ok" : "bad"),
      cell("td", `${count(r.params)}${paramsOk ? " ✓" : ""}`, "num"),
      cell("td", `${formatCount(r.macs)} (torchvision ${info.torchvision.gmacs} G)`, "num"),
      cell("td", ideaNotes[r.name] ? `${family.keyIdeaKo}. ${ideaNotes[r.name]}` : family.keyIdeaKo, "idea")
    );
    table.append(tr);
  }
  // narrow screens scroll the table, not the page
  const wrap = document.createElement("div");
  wrap.style.overflowX = "auto";
  wrap.append(table);
  return wrap;
}

/** Parameters against multiply-adds of every registry model at 224² (log–log). */
export function paramsMacsChart(rows: ModelFigures[], {width = 640}: {width?: number} = {}) {
  const data = rows.map((r) => ({...r, family: FAMILIES[MODEL_INFO[r.name].family].title}));
  return Plot.plot({
    width,
    height: 300,
    marginLeft: 60,
    marginRight: 80,
    x: {type: "log", label: "이미지 한 장(224²)의 MACs →", tickFormat: (v: number) => formatCount(v, 2)},
    y: {
      type: "log",
      label: "↑ 파라미터",
      tickFormat: (v: number) => formatCount(v, 2),
      grid: true,
      domain: [4e6, 2.5e8]
    },
    color: {legend: true},
    style: {fontSize: "12px"},
    marks: [
      Plot.dot(data, {
        x: "macs",
        y: "params",
        fill: "family",
        r: 6,
        tip: true,
        title: (d) => `${d.title}\n깊이 ${d.depth}`
      }),
      Plot.text(data, {x: "macs", y: "params", text: "title", dx: 8, textAnchor: "start", fontSize: 11})
    ]
  });
}

/**
 * A button that builds the paper-sized model with torchvision's random initialisation, reports the time, the
 * memory and whether its parameter count matches the dry graph's, and disposes it again. Its label warns of the size.
 */
export function buildButton(figures: ModelFigures): HTMLElement {
  const root = document.createElement("div");
  root.className = "build-button";
  const allWeights = countFlops(figures.graph).params; // with BatchNorm's moving statistics
  const mb = (allWeights * 4) / 2 ** 20;
  const button = document.createElement("button");
  button.textContent = `${withParticle(MODEL_INFO[figures.name].title, "을/를")} random weights로 실제로 만들기`;
  const warning = document.createElement("span");
  warning.className = "build-warning";
  warning.textContent = ` ⚠ 약 ${mb.toFixed(0)} MB의 메모리를 씁니다${mb > 200 ? " (느린 기기에서는 수십 초, 탭이 멈출 수 있음)" : ""}.`;
  const out = document.createElement("p");
  out.className = "build-result";
  root.append(button, warning, out);
  button.addEventListener("click", async () => {
    button.disabled = true;
    root.dataset.busy = "true";
    out.textContent = "만드는 중…";
    await new Promise((r) => setTimeout(r, 30));
    let model: tf.LayersModel | null = null;
    try {
      const before = tf.memory().numBytes;
      const t0 = performance.now();
      model = MODELS[figures.name]({weights: "random", seed: 1});
      const ms = performance.now() - t0;
      const bytes = tf.memory().numBytes - before;
      const trainable = model.trainableWeights.reduce(
        (n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1),
        0
      );
      out.textContent =
        `${(ms / 1000).toFixed(1)} s, ${(bytes / 2 ** 20).toFixed(0)} MB. 학습되는 파라미터 ${count(trainable)}개: ` +
        `dry graph의 ${count(figures.params)}개와 ${trainable === figures.params ? "같습니다 ✓" : "다릅니다 ✗"}. 메모리를 돌려주려고 바로 지웠습니다.`;
    } catch (error) {
      out.replaceChildren(errorNote(error));
    } finally {
      model?.dispose();
      button.disabled = false;
      delete root.dataset.busy;
    }
  });
  return root;
}
