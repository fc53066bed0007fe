/**
 * Draw a digit with mouse, pen or touch; the trained ConvNet's probabilities follow every stroke
 * (chapter 2, ConvNet Example). The preprocessing that makes a drawing look like MNIST
 * (`lib/data/digit.ts`: crop, scale into 20×20, centre by mass in 28×28) is shown step by step.
 *
 * By keyboard alone (issue 17): the pad takes the focus; the arrow keys move a pen cursor one MNIST pixel (10 px) at a
 * time (Shift: three), Space or Enter puts the pen down or lifts it (a lowered pen inks as it moves), Delete clears.
 * The "지우기" and "테스트 숫자" buttons clear the pad or copy a random test digit onto it. The prediction is also
 * said in words (a polite live region), not only drawn as bars.
 */
import * as Plot from "@observablehq/plot";
import {tf} from "../../lib/tf.js";
import {preprocessDigit, type DigitSteps} from "../../lib/data/digit.js";
import type {MnistSet} from "../../lib/data/mnist-format.js";

const SIZE = 280;
/** One MNIST pixel of the 28×28 grid on the 280 px pad: one arrow-key step. */
const STEP = SIZE / 28;

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

let padCount = 0;

/**
 * The drawing pad. `classify` receives the 28×28 input and returns 10 probabilities; `samples` (the MNIST test set)
 * feeds the "테스트 숫자" button.
 */
export function drawDigit(
  classify: (input: Float32Array) => Float32Array,
  {samples}: {samples?: MnistSet} = {}
): HTMLElement {
  const root = document.createElement("div");
  root.className = "draw-digit";
  const pad = document.createElement("canvas");
  pad.width = pad.height = SIZE;
  pad.className = "draw-pad";
  pad.tabIndex = 0;
  // keys go to the pad (arrows draw), not to the screen reader's reading cursor
  pad.setAttribute("role", "application");
  pad.setAttribute("aria-label", "숫자를 그리는 칸");
  const helpId = `draw-help-${++padCount}`;
  pad.setAttribute("aria-describedby", helpId);
  pad.style.touchAction = "none";
  const ctx = pad.getContext("2d", {willReadFrequently: true})!;
  const cursor = document.createElement("div");
  cursor.className = "draw-cursor";
  cursor.hidden = true;
  const frame = document.createElement("div");
  frame.className = "draw-frame";
  frame.append(pad, cursor);
  const button = (text: string, className: string) =>
    Object.assign(document.createElement("button"), {type: "button", textContent: text, className});
  const clear = button("지우기", "draw-clear");
  const sample = button("테스트 숫자", "draw-sample");
  sample.title = "MNIST 테스트 숫자 하나를 칸에 옮겨 그립니다";
  const buttons = document.createElement("div");
  buttons.className = "draw-buttons";
  buttons.append(clear, ...(samples ? [sample] : []));
  const help = document.createElement("p");
  help.id = helpId;
  help.className = "draw-help";
  help.textContent = "키보드: 화살표로 펜 이동(Shift: 3칸), Space·Enter로 펜 내리기/올리기, Delete로 지우기";
  const status = document.createElement("p");
  status.className = "draw-status";
  status.setAttribute("aria-live", "polite");
  const steps = document.createElement("div");
  steps.className = "draw-steps";
  const chart = document.createElement("div");
  chart.className = "draw-probs";
  const left = document.createElement("div");
  left.className = "draw-left";
  left.append(frame, buttons, help, status);
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
      status.textContent = "";
      delete root.dataset.prediction;
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
    status.textContent = `예측: ${best.digit} (${(best.p * 100).toFixed(1)}%)`;
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

  // --- keyboard: a pen cursor on the 28×28 grid --------------------------------------------------------
  let pen: [number, number] = [SIZE / 2, SIZE / 2];
  let penDown = false;
  const showCursor = () => {
    cursor.hidden = document.activeElement !== pad;
    cursor.classList.toggle("down", penDown);
    cursor.style.left = `${(pen[0] / SIZE) * 100}%`;
    cursor.style.top = `${(pen[1] / SIZE) * 100}%`;
  };
  const dot = () => {
    ctx.fillStyle = "black";
    ctx.beginPath();
    ctx.arc(pen[0], pen[1], 9, 0, 2 * Math.PI);
    ctx.fill();
  };
  const moves: Record<string, [number, number]> = {
    ArrowLeft: [-1, 0],
    ArrowRight: [1, 0],
    ArrowUp: [0, -1],
    ArrowDown: [0, 1]
  };
  pad.addEventListener("keydown", (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key in moves) {
      const [dx, dy] = moves[e.key];
      const k = (e.shiftKey ? 3 : 1) * STEP;
      const next: [number, number] = [
        Math.min(SIZE - STEP / 2, Math.max(STEP / 2, pen[0] + dx * k)),
        Math.min(SIZE - STEP / 2, Math.max(STEP / 2, pen[1] + dy * k))
      ];
      if (penDown) {
        ctx.strokeStyle = "black";
        ctx.lineWidth = 18;
        ctx.lineCap = "round";
        ctx.beginPath();
        ctx.moveTo(pen[0], pen[1]);
        ctx.lineTo(next[0], next[1]);
        ctx.stroke();
        schedule();
      }
      pen = next;
    } else if (e.key === " " || e.key === "Enter") {
      penDown = !penDown;
      if (penDown) {
        dot();
        schedule();
      }
    } else if (e.key === "Delete" || e.key === "Backspace") {
      penDown = false;
      reset();
    } else return;
    // the arrows neither scroll the page nor turn a slide while the pad has the focus
    e.preventDefault();
    showCursor();
  });
  pad.addEventListener("focus", showCursor);
  pad.addEventListener("blur", () => {
    penDown = false;
    showCursor();
  });

  sample.addEventListener("click", () => {
    if (!samples) return;
    const index = Math.floor(Math.random() * samples.count);
    // the 28×28 test image, 10× larger, as ink on white (the pad's own format)
    const small = document.createElement("canvas");
    small.width = small.height = 28;
    const sctx = small.getContext("2d")!;
    const img = sctx.createImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      const v = 255 - samples.images[index * 784 + i];
      img.data.set([v, v, v, 255], i * 4);
    }
    sctx.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(small, 0, 0, SIZE, SIZE);
    root.dataset.sample = `${index}:${samples.labels[index]}`;
    update();
  });
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
