/**
 * V6 on a real photo: the photo cut into P×P-pixel patches and M×M-patch windows (two sliders), the cyclic shift
 * step by step (◀ / ▶ / 재생, arrow keys on the picture), the nine regions in colours AND letters A…I, and the
 * attention mask of a chosen window as a matrix (0 / −100). Every number comes from lib/analysis/swin.ts through
 * lib/viz/swin.ts; the picture and the mask are two elements (`stage`, `mask`) that share one state, so the page can
 * put them on two slides.
 */
import {shiftedWindowMask, shiftRegions, SWIN_MASK_VALUE} from "../../lib/analysis/swin.js";
import {
  MASK_TEXT,
  frameRegions,
  maskCounts,
  REGION_COLORS,
  REGION_LABELS,
  shiftFrames,
  windowCount,
  windowRegions,
  type ShiftFrame
} from "../../lib/viz/swin.js";
import {el} from "../shared/dom.js";
import {swinStyles} from "./styles.js";

/** The largest picture side in pixels the grid aims for; the grid has at least two windows per side. */
const TARGET_SIDE = 448;

export interface ShiftSettings {
  patch: number;
  window: number;
}

/** Patches per side: a multiple of M with about TARGET_SIDE pixels, and at least two windows per side. */
export function gridSide({patch, window}: ShiftSettings): number {
  return window * Math.max(2, Math.floor(TARGET_SIDE / (patch * window)));
}

/** A labelled range input (keyboard: arrows, Home, End); `values` are the allowed values. */
export function rangeInput(label: string, values: number[], value: number, onChange: (v: number) => void) {
  const form = el("form", "swin-range");
  const id = `swin-${label.replace(/\W+/g, "-")}-${Math.random().toString(36).slice(2, 7)}`;
  const lab = el("label", "", label);
  lab.htmlFor = id;
  const input = el("input", "");
  input.type = "range";
  input.id = id;
  input.min = "0";
  input.max = String(values.length - 1);
  input.step = "1";
  input.value = String(Math.max(0, values.indexOf(value)));
  const out = el("output", "", String(value));
  const read = () => values[Number(input.value)];
  input.setAttribute("aria-valuetext", String(value));
  input.addEventListener("input", () => {
    out.textContent = String(read());
    input.setAttribute("aria-valuetext", String(read()));
    onChange(read());
  });
  form.addEventListener("submit", (e) => e.preventDefault());
  form.append(lab, input, out);
  return {form, input, set: (v: number) => ((input.value = String(values.indexOf(v))), (out.textContent = String(v)))};
}

export interface ShiftView {
  /** The picture, its sliders, the stepper and the caption. */
  stage: HTMLElement;
  /** The mask of the chosen window as a matrix, with its legend. */
  mask: HTMLElement;
}

/** The photo's centre square, scaled to `side` pixels. */
function cropped(image: CanvasImageSource & {width: number; height: number}, side: number): HTMLCanvasElement {
  const c = document.createElement("canvas");
  c.width = c.height = side;
  const s = Math.min(image.width, image.height);
  c.getContext("2d")!.drawImage(image, (image.width - s) / 2, (image.height - s) / 2, s, s, 0, 0, side, side);
  return c;
}

export function shiftView({
  image,
  width = 640
}: {
  image: CanvasImageSource & {width: number; height: number};
  width?: number;
}): ShiftView {
  const settings: ShiftSettings = {patch: 32, window: 4};
  let step = 0;
  let chosen = -1; // window whose mask is shown; −1: the last one
  let timer: ReturnType<typeof setInterval> | null = null;

  const stage = el("div", "swin-shift");
  stage.append(swinStyles());
  const controls = el("div", "swin-controls");
  const patchInput = rangeInput("patch 크기 (픽셀)", [16, 32, 48, 64], settings.patch, (v) => {
    settings.patch = v;
    chosen = -1;
    draw();
  });
  const windowInput = rangeInput("window 크기 M (patch)", [2, 3, 4, 5, 6, 7], settings.window, (v) => {
    settings.window = v;
    chosen = -1;
    draw();
  });
  controls.append(patchInput.form, windowInput.form);

  const canvas = el("canvas", "swin-photo");
  canvas.setAttribute("role", "img");
  const picture = el("div", "swin-picture");
  picture.tabIndex = 0;
  picture.setAttribute("aria-label", "cyclic shift 단계 그림: 왼쪽·오른쪽 화살표로 단계를 넘깁니다");
  picture.append(canvas);

  const stepper = el("div", "swin-stepper");
  const prev = el("button", "swin-prev", "◀ 이전");
  const next = el("button", "swin-next", "다음 ▶");
  const play = el("button", "swin-play", "▶ 재생");
  for (const b of [prev, next, play]) b.type = "button";
  const stepLabel = el("span", "swin-step-label");
  stepLabel.setAttribute("aria-live", "polite");
  stepper.append(prev, next, play, stepLabel);
  const caption = el("p", "swin-caption");
  stage.append(controls, picture, stepper, caption);

  const mask = el("div", "swin-mask");
  const maskHead = el("p", "swin-mask-head");
  const maskChooser = el("div", "swin-mask-chooser");
  const maskBody = el("div", "swin-mask-body");
  const legend = el("div", "swin-legend");
  legend.innerHTML =
    `<span><i style="background:#e9ecef"></i>0: attention 허용 (같은 region)</span>` +
    `<span><i style="background:#333"></i>${MASK_TEXT}: 막음 (다른 region, softmax 뒤 ≈ 0)</span>`;
  mask.append(maskHead, maskChooser, maskBody, legend);
  let windowSlider: ReturnType<typeof rangeInput> | null = null;

  const frames = () => {
    const n = gridSide(settings);
    const m = settings.window;
    const s = Math.floor(m / 2);
    return {n, m, s, list: shiftFrames(n, n, m, s)};
  };

  const show = (k: number) => {
    const count = frames().list.length;
    step = Math.max(0, Math.min(count - 1, k));
    draw();
  };
  prev.addEventListener("click", () => show(step - 1));
  next.addEventListener("click", () => show(step + 1));
  const stopPlay = () => {
    if (timer) clearInterval(timer);
    timer = null;
    play.textContent = "▶ 재생";
    play.setAttribute("aria-pressed", "false");
    delete stage.dataset.animated;
  };
  play.addEventListener("click", () => {
    if (timer) return stopPlay();
    if (step === frames().list.length - 1) show(0);
    play.textContent = "❚❚ 멈춤";
    play.setAttribute("aria-pressed", "true");
    stage.dataset.animated = "true";
    timer = setInterval(() => {
      if (step >= frames().list.length - 1) stopPlay();
      else show(step + 1);
    }, 1200);
  });
  picture.addEventListener("keydown", (e) => {
    const last = frames().list.length - 1;
    if (e.key === "ArrowRight") show(step + 1);
    else if (e.key === "ArrowLeft") show(step - 1);
    else if (e.key === "Home") show(0);
    else if (e.key === "End") show(last);
    else return;
    e.preventDefault();
    e.stopPropagation(); // not the presentation's slide keys
  });
  canvas.addEventListener("click", (e) => {
    const {n, m} = frames();
    const box = canvas.getBoundingClientRect();
    const r = Math.floor(((e.clientY - box.top) / box.height) * n);
    const c = Math.floor(((e.clientX - box.left) / box.width) * n);
    chosen = Math.floor(r / m) * (n / m) + Math.floor(c / m);
    draw();
  });

  const source = new Map<number, HTMLCanvasElement>();
  const photo = (side: number) => {
    if (!source.has(side)) source.set(side, cropped(image, side));
    return source.get(side)!;
  };

  function draw() {
    const {n, m, s, list} = frames();
    const p = settings.patch;
    const side = n * p;
    const frame = list[step];
    const nW = windowCount(n, n, m);
    if (chosen < 0 || chosen >= nW) chosen = nW - 1;
    canvas.width = canvas.height = side;
    const cssSide = Math.min(width, 440);
    canvas.style.width = `${cssSide}px`;
    const ctx = canvas.getContext("2d")!;
    drawFrame(ctx, photo(side), {n, m, s, p, frame, chosen, cssSide});
    const regions = frame.regions ? frameRegions(n, n, m, s, frame) : null;
    const letters = regions ? [...new Set(regions.flat())].sort((a, b) => a - b).map((r) => REGION_LABELS[r]) : [];
    canvas.setAttribute(
      "aria-label",
      `${n}×${n} patch, ${m}×${m} window, 단계 ${step + 1}: ${frame.title}${letters.length ? ` (region ${letters.join(", ")})` : ""}`
    );
    Object.assign(stage.dataset, {
      grid: String(n),
      window: String(m),
      patch: String(p),
      shift: String(s),
      step: String(step),
      windows: String(nW),
      roll: frame.roll.join(",")
    });
    stepLabel.textContent = `단계 ${step + 1}/${list.length}: ${frame.title}`;
    caption.textContent = frame.caption;
    prev.disabled = step === 0;
    next.disabled = step === list.length - 1;
    drawMask(n, m, s, nW);
  }

  function drawMask(n: number, m: number, s: number, nW: number) {
    const values = shiftedWindowMask(n, n, m, s)[chosen];
    const regions = shiftRegions(n, n, m, s);
    const perRow = n / m;
    const [wr, wc] = [Math.floor(chosen / perRow), chosen % perRow];
    const tokenRegions: number[] = [];
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) tokenRegions.push(regions[wr * m + i][wc * m + j]);
    const inWindow = windowRegions(n, n, m, s, chosen).map((r) => REGION_LABELS[r]);
    const {open, blocked} = maskCounts(values);
    if (!windowSlider || Number(windowSlider.input.max) !== nW - 1) {
      windowSlider = rangeInput(
        "mask를 볼 window",
        Array.from({length: nW}, (_, i) => i),
        chosen,
        (v) => {
          chosen = v;
          draw();
        }
      );
      maskChooser.replaceChildren(windowSlider.form);
    }
    windowSlider.set(chosen);
    maskHead.textContent =
      `cyclic shift 뒤 ${wr + 1}행 ${wc + 1}열의 window (${chosen}번)의 mask: ${m * m}×${m * m}. ` +
      `region ${inWindow.join(", ")}${inWindow.length > 1 ? `가 섞여 있어 ${blocked.toLocaleString("en-US")}칸이 ${MASK_TEXT}, ${open.toLocaleString("en-US")}칸이 0입니다.` : `만 있어 모든 칸이 0입니다 (mask가 아무것도 막지 않음).`}`;
    Object.assign(mask.dataset, {
      windowIndex: String(chosen),
      blocked: String(blocked),
      open: String(open),
      regions: inWindow.join("")
    });
    maskBody.replaceChildren(maskMatrix(values, tokenRegions, Math.min(width, 360)));
  }

  draw();
  return {stage, mask};
}

interface FrameDraw {
  n: number;
  m: number;
  s: number;
  p: number;
  frame: ShiftFrame;
  chosen: number;
  cssSide: number;
}

/** The photo's patches where the frame puts them, the patch and window lines, regions in colour and letters. */
function drawFrame(ctx: CanvasRenderingContext2D, photo: HTMLCanvasElement, d: FrameDraw) {
  const {n, m, s, p, frame, chosen, cssSide} = d;
  const side = n * p;
  const px = side / cssSide; // canvas pixels per CSS pixel
  ctx.clearRect(0, 0, side, side);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const src = frame.source[r][c];
      const [sr, sc] = [Math.floor(src / n), src % n];
      ctx.drawImage(photo, sc * p, sr * p, p, p, c * p, r * p, p, p);
    }
  }
  const regions = frame.regions ? frameRegions(n, n, m, s, frame) : null;
  if (regions) {
    ctx.globalAlpha = 0.38;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        ctx.fillStyle = REGION_COLORS[regions[r][c]];
        ctx.fillRect(c * p, r * p, p, p);
      }
    }
    ctx.globalAlpha = 1;
  }
  // patch lines
  ctx.strokeStyle = "rgba(255,255,255,0.55)";
  ctx.lineWidth = Math.max(1, px);
  ctx.beginPath();
  for (let k = 1; k < n; k++) {
    ctx.moveTo(k * p, 0);
    ctx.lineTo(k * p, side);
    ctx.moveTo(0, k * p);
    ctx.lineTo(side, k * p);
  }
  ctx.stroke();
  // window lines (at origin + k·M patches)
  ctx.strokeStyle = "#ffffff";
  ctx.lineWidth = 3 * px;
  ctx.beginPath();
  for (let k = frame.windowOrigin; k <= n; k += m) {
    if (k <= 0 || k >= n) continue;
    ctx.moveTo(k * p, 0);
    ctx.lineTo(k * p, side);
    ctx.moveTo(0, k * p);
    ctx.lineTo(side, k * p);
  }
  ctx.stroke();
  ctx.strokeStyle = "#111";
  ctx.lineWidth = px;
  ctx.stroke();
  // the window whose mask is shown, on the rolled frames
  if (frame.roll[1] !== 0) {
    const perRow = n / m;
    const [wr, wc] = [Math.floor(chosen / perRow), chosen % perRow];
    ctx.setLineDash([6 * px, 4 * px]);
    ctx.strokeStyle = "#d00";
    ctx.lineWidth = 3 * px;
    ctx.strokeRect(wc * m * p + 2 * px, wr * m * p + 2 * px, m * p - 4 * px, m * p - 4 * px);
    ctx.setLineDash([]);
  }
  if (regions) drawLetters(ctx, regions, {n, m, p, origin: frame.windowOrigin, px});
}

/** One letter per (window piece, region): at the centre of that piece's patches, dark on a light halo. */
function drawLetters(
  ctx: CanvasRenderingContext2D,
  regions: number[][],
  o: {n: number; m: number; p: number; origin: number; px: number}
) {
  const groups = new Map<string, {r: number; c: number; k: number; region: number}>();
  for (let r = 0; r < o.n; r++) {
    for (let c = 0; c < o.n; c++) {
      const key = `${Math.floor((r - o.origin) / o.m)},${Math.floor((c - o.origin) / o.m)},${regions[r][c]}`;
      const g = groups.get(key) ?? {r: 0, c: 0, k: 0, region: regions[r][c]};
      g.r += r + 0.5;
      g.c += c + 0.5;
      g.k++;
      groups.set(key, g);
    }
  }
  const font = 13 * o.px;
  ctx.font = `bold ${font}px system-ui, sans-serif`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  for (const g of groups.values()) {
    const x = (g.c / g.k) * o.p;
    const y = (g.r / g.k) * o.p;
    ctx.lineWidth = 3 * o.px;
    ctx.strokeStyle = "#fff";
    ctx.strokeText(REGION_LABELS[g.region], x, y);
    ctx.fillStyle = "#000";
    ctx.fillText(REGION_LABELS[g.region], x, y);
  }
}

/** The M²×M² mask as an SVG matrix: dark −100, light 0, each token's region letter on both axes. */
function maskMatrix(values: number[][], tokenRegions: number[], width: number): SVGSVGElement {
  const n = values.length;
  const axis = 14;
  const cell = Math.max(2, Math.floor((width - axis) / n));
  const size = axis + cell * n;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", String(size));
  svg.setAttribute("height", String(size));
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `mask ${n}×${n}: 행은 query patch, 열은 key patch`);
  svg.classList.add("swin-mask-matrix");
  const rect = (x: number, y: number, w: number, h: number, fill: string) => {
    const r = document.createElementNS(ns, "rect");
    r.setAttribute("x", String(x));
    r.setAttribute("y", String(y));
    r.setAttribute("width", String(w));
    r.setAttribute("height", String(h));
    r.setAttribute("fill", fill);
    return r;
  };
  for (let i = 0; i < n; i++) {
    const color = REGION_COLORS[tokenRegions[i]];
    svg.append(rect(axis + i * cell, 0, cell, axis - 2, color), rect(0, axis + i * cell, axis - 2, cell, color));
    for (let j = 0; j < n; j++) {
      const blocked = values[i][j] === SWIN_MASK_VALUE;
      const r = rect(axis + j * cell, axis + i * cell, cell, cell, blocked ? "#333" : "#e9ecef");
      r.setAttribute("data-v", String(values[i][j]));
      svg.append(r);
    }
  }
  // region letters on the axis at the first token of each run
  tokenRegions.forEach((region, i) => {
    if (i > 0 && tokenRegions[i - 1] === region && i % Math.sqrt(n) !== 0) return;
    if (cell * 2 < 10) return;
    for (const [x, y] of [
      [axis + i * cell + cell / 2, axis / 2],
      [axis / 2, axis + i * cell + cell / 2]
    ]) {
      const t = document.createElementNS(ns, "text");
      t.setAttribute("x", String(x));
      t.setAttribute("y", String(y));
      t.setAttribute("text-anchor", "middle");
      t.setAttribute("dominant-baseline", "central");
      t.setAttribute("font-size", "9");
      t.setAttribute("fill", region === 6 ? "#000" : "#fff");
      t.textContent = REGION_LABELS[region];
      svg.append(t);
    }
  });
  return svg;
}
