/**
 * Draw a digit with mouse, pen or touch; the trained ConvNet's probabilities follow every stroke
 * (chapter 2, ConvNet Example). The preprocessing that makes a drawing look like MNIST
 * (`lib/data/digit.ts`: crop, scale into 20×20, centre by mass in 28×28) is shown step by step.
 */
import * as Plot from "@observablehq/plot";
import {tf} from "../../lib/tf.js";
import {preprocessDigit, type DigitSteps} from "../../lib/data/digit.js";

const SIZE = 280;

/** A grey image (0…1 ink, white background) as a pixelated canvas `scale` times larger. */
function inkCanvas(values: Float32Array, w: number, h: number, scale: number, label: string): HTMLCanvasElement {
  const c = document.createElement("canvas");
  c.width = Math.max(1, w);
  c.height = Math.max(1, h);
  c.style.width = `${Math.max(1, w) * scale}px`;
  c.style.height = `${Math.max(1, h) * scale}px`;
  c.style.imageRendering = "pixelated";
  c.setAttribute("aria-label", label);
  const ctx = c.getContext("2d")!;
  const img = ctx.createImageData(c.width, c.height);
  for (let i = 0; i < values.length; i++) {
    const v = Math.round(255 * (1 - Math.min(1, Math.max(0, values[i]))));
    img.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
  return c;
}

function figure(child: Element, caption: string): HTMLElement {
  const f = document.createElement("figure");
  const cap = document.createElement("figcaption");
  cap.textContent = caption;
  f.append(child, cap);
  return f;
}

/** The drawing pad. `classify` receives the 28×28 input and returns 10 probabilities. */
export function drawDigit(classify: (input: Float32Array) => Float32Array): HTMLElement {
  const root = document.createElement("div");
  root.className = "draw-digit";
  const pad = document.createElement("canvas");
  pad.width = pad.height = SIZE;
  pad.className = "draw-pad";
  pad.setAttribute("aria-label", "숫자를 그리는 칸");
  pad.style.touchAction = "none";
  const ctx = pad.getContext("2d", {willReadFrequently: true})!;
  const clear = document.createElement("button");
  clear.type = "button";
  clear.textContent = "지우기";
  clear.className = "draw-clear";
  const steps = document.createElement("div");
  steps.className = "draw-steps";
  const chart = document.createElement("div");
  chart.className = "draw-probs";
  const left = document.createElement("div");
  left.className = "draw-left";
  left.append(pad, clear);
  root.append(left, steps, chart);

  const reset = () => {
    ctx.fillStyle = "white";
    ctx.fillRect(0, 0, SIZE, SIZE);
    update();
  };
  const ink = (): Float32Array => {
    const {data} = ctx.getImageData(0, 0, SIZE, SIZE);
    const out = new Float32Array(SIZE * SIZE);
    for (let i = 0; i < out.length; i++) out[i] = 1 - data[i * 4] / 255;
    return out;
  };
  const show = (s: DigitSteps, probs: Float32Array | null) => {
    if (!s.box) {
      steps.replaceChildren(
        Object.assign(document.createElement("p"), {textContent: "왼쪽 칸에 0–9 숫자를 그려 보세요."})
      );
      chart.replaceChildren();
      return;
    }
    const [x0, y0, x1, y1] = s.box;
    steps.replaceChildren(
      figure(
        inkCanvas(s.scaled, s.size[0], s.size[1], 3, "20×20으로 줄인 숫자"),
        `① 잘라서 ${s.size[0]}×${s.size[1]}로 (원래 ${x1 - x0}×${y1 - y0})`
      ),
      figure(
        inkCanvas(s.input, 28, 28, 3, "네트워크 입력 28×28"),
        `② 무게중심을 가운데로: 28×28 입력 (+${s.offset[0]}, +${s.offset[1]})`
      )
    );
    if (!probs) return;
    const rows = Array.from(probs, (p, digit) => ({digit: String(digit), p}));
    const best = rows.reduce((a, b) => (b.p > a.p ? b : a));
    chart.replaceChildren(
      Plot.plot({
        width: 300,
        height: 250,
        marginLeft: 30,
        marginRight: 44,
        x: {domain: [0, 100], label: "확률 (%) →", percent: true},
        y: {label: null, domain: rows.map((r) => r.digit)},
        marks: [
          Plot.barX(rows, {y: "digit", x: "p", fill: (d) => (d === best ? "#1971c2" : "#adb5bd")}),
          Plot.text(rows, {y: "digit", x: "p", text: (d) => `${(d.p * 100).toFixed(1)}%`, dx: 4, textAnchor: "start"}),
          Plot.ruleX([0])
        ],
        caption: `예측: ${best.digit} (${(best.p * 100).toFixed(1)}%)`
      })
    );
    root.dataset.prediction = best.digit;
  };
  function update() {
    const s = preprocessDigit(ink(), SIZE, SIZE);
    show(s, s.box ? classify(s.input) : null);
  }

  let drawing = false;
  let last: [number, number] | null = null;
  let pending = false;
  const point = (e: PointerEvent): [number, number] => {
    const r = pad.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * SIZE, ((e.clientY - r.top) / r.height) * SIZE];
  };
  const schedule = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      update();
    });
  };
  pad.addEventListener("pointerdown", (e) => {
    drawing = true;
    pad.setPointerCapture?.(e.pointerId);
    last = point(e);
    ctx.fillStyle = "black";
    ctx.beginPath();
    ctx.arc(last[0], last[1], 9, 0, 2 * Math.PI);
    ctx.fill();
    schedule();
  });
  pad.addEventListener("pointermove", (e) => {
    if (!drawing || !last) return;
    const p = point(e);
    ctx.strokeStyle = "black";
    ctx.lineWidth = 18;
    ctx.lineCap = "round";
    ctx.beginPath();
    ctx.moveTo(last[0], last[1]);
    ctx.lineTo(p[0], p[1]);
    ctx.stroke();
    last = p;
    schedule();
  });
  const end = () => {
    drawing = false;
    last = null;
  };
  pad.addEventListener("pointerup", end);
  pad.addEventListener("pointercancel", end);
  clear.addEventListener("click", reset);
  reset();
  return root;
}

/** `classify` for `drawDigit` from a trained model: one predict, tensors disposed. */
export function classifier(model: tf.LayersModel): (input: Float32Array) => Float32Array {
  return (input) =>
    tf.tidy(() => (model.predict(tf.tensor4d(input, [1, 28, 28, 1])) as tf.Tensor).dataSync() as Float32Array);
}

/** Small MNIST images with a caption each, e.g. the misclassified test digits ("7 → 2"). */
export function digitGallery(
  images: Uint8Array,
  items: {index: number; caption: string}[],
  {scale = 2}: {scale?: number} = {}
): HTMLElement {
  const root = document.createElement("div");
  root.className = "digit-gallery";
  for (const {index, caption} of items) {
    const values = Float32Array.from(images.subarray(index * 784, (index + 1) * 784), (v) => v / 255);
    root.append(figure(inkCanvas(values, 28, 28, scale, `test ${index}: ${caption}`), caption));
  }
  return root;
}
