/**
 * Confusion matrices, from chapter 2 (CNN on MNIST) on: which digits a classifier mistakes for which.
 * Rows are the true class, columns the predicted class; the diagonal holds the correct answers.
 *
 * Colours answer two questions at once, so one matrix shows both: the diagonal is blue by the class's
 * accuracy (recall), and the errors off the diagonal are red by their share of the row, scaled to the largest
 * error (square root, so the few rare mistakes stay visible next to the common ones).
 */
import * as Plot from "@observablehq/plot";

/** Counts [true][predicted] of `classes` classes. Labels must be integers in [0, classes). */
export function confusionCounts(
  trueLabels: ArrayLike<number>,
  predLabels: ArrayLike<number>,
  classes: number
): number[][] {
  if (trueLabels.length !== predLabels.length) {
    throw new RangeError(`${trueLabels.length} true labels but ${predLabels.length} predictions`);
  }
  const counts = Array.from({length: classes}, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < trueLabels.length; i++) {
    const t = trueLabels[i];
    const p = predLabels[i];
    if (!(Number.isInteger(t) && Number.isInteger(p) && t >= 0 && p >= 0 && t < classes && p < classes)) {
      throw new RangeError(`label pair ${i} (${t}, ${p}) is not in 0…${classes - 1}`);
    }
    counts[t][p]++;
  }
  return counts;
}

/**
 * A square matrix: rows (nested arrays or typed arrays), one flat array of k² values (row-major), or a 2-D
 * `tf.Tensor` such as `tf.math.confusionMatrix(labels, predictions, k)` (read with `dataSync`, not disposed).
 */
export type ConfusionInput =
  readonly ArrayLike<number>[] | ArrayLike<number> | {readonly shape: readonly number[]; dataSync(): ArrayLike<number>};

/** Rows of a confusion matrix given as nested, flat (k² values, row-major) or tensor numbers. */
export function confusionRows(matrix: ConfusionInput): number[][] {
  if ("dataSync" in matrix && typeof matrix.dataSync === "function") {
    const [rows, cols] = matrix.shape;
    if (matrix.shape.length !== 2 || rows !== cols) {
      throw new RangeError(`a confusion matrix must be square, got [${matrix.shape.join(", ")}]`);
    }
    return confusionRows(matrix.dataSync());
  }
  const values = matrix as ArrayLike<number> | readonly ArrayLike<number>[];
  if (values.length > 0 && typeof values[0] !== "number") {
    const rows = Array.from(values as readonly ArrayLike<number>[], (r) => Array.from(r));
    if (rows.some((r) => r.length !== rows.length)) throw new RangeError("a confusion matrix must be square");
    return rows;
  }
  const flat = values as ArrayLike<number>;
  const k = Math.round(Math.sqrt(flat.length));
  if (k * k !== flat.length) throw new RangeError(`a flat confusion matrix needs k² values, got ${flat.length}`);
  return Array.from({length: k}, (_, r) => Array.from({length: k}, (_, c) => flat[r * k + c]));
}

/** One cell: its counts, its share of the row (the true class), and the colours it is drawn with. */
export interface ConfusionCell {
  /** Row index: the true class. */
  actual: number;
  /** Column index: the predicted class. */
  predicted: number;
  count: number;
  /** count / row total (0 for an empty row). */
  fraction: number;
  fill: string;
  /** Text colour that reads on `fill`. */
  textFill: string;
}

const WHITE: Rgb = [255, 255, 255];
const EMPTY = "#f8f9fa";
const DIAGONAL: [Rgb, Rgb] = [
  [231, 245, 255],
  [24, 100, 171]
]; // Open Color blue 0 → blue 9
const ERROR: [Rgb, Rgb] = [
  [255, 245, 245],
  [201, 42, 42]
]; // Open Color red 0 → red 9

type Rgb = readonly [number, number, number];

function mix([a, b]: [Rgb, Rgb], t: number): Rgb {
  const f = Math.min(1, Math.max(0, t));
  const at = (i: number) => Math.round(a[i] + (b[i] - a[i]) * f);
  return [at(0), at(1), at(2)];
}

function css([r, g, b]: Rgb): string {
  return `rgb(${r},${g},${b})`;
}

function luminance([r, g, b]: Rgb): number {
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

/**
 * The cells of a confusion matrix with their colours (pure, for tests and for other renderers).
 * Diagonal: blue by row fraction. Off the diagonal: red by √(fraction / largest off-diagonal fraction);
 * zero cells are near-white.
 */
export function confusionCells(matrix: ConfusionInput): ConfusionCell[] {
  const rows = confusionRows(matrix);
  const totals = rows.map((r) => r.reduce((a, b) => a + b, 0));
  const fraction = (r: number, c: number) => (totals[r] > 0 ? rows[r][c] / totals[r] : 0);
  let worst = 0;
  rows.forEach((row, r) => row.forEach((_, c) => r !== c && (worst = Math.max(worst, fraction(r, c)))));
  const cells: ConfusionCell[] = [];
  rows.forEach((row, r) =>
    row.forEach((count, c) => {
      const f = fraction(r, c);
      const rgb = count === 0 ? null : r === c ? mix(DIAGONAL, f) : mix(ERROR, Math.sqrt(f / worst));
      cells.push({
        actual: r,
        predicted: c,
        count,
        fraction: f,
        fill: rgb ? css(rgb) : EMPTY,
        textFill: luminance(rgb ?? WHITE) < 0.5 ? "white" : "#212529"
      });
    })
  );
  return cells;
}

export interface ConfusionMatrixOptions {
  width?: number;
  /** Class names, in class order. Default "0", "1", … */
  labels?: readonly string[];
  /** Write each cell's share of its row (percent) instead of its count. Default false. */
  normalize?: boolean;
  /** A column at the right with each class's accuracy (recall). Default true. */
  showAccuracy?: boolean;
  /** Caption; null for none. Default: the overall accuracy and the number of examples. */
  caption?: string | null;
  /** Document to build the DOM in (jsdom in Node tests). Default `globalThis.document`. */
  document?: Document;
}

/** Cell text: counts, or percent of the row; empty for zero cells (so the errors stand out). */
function cellText(d: ConfusionCell, normalize: boolean): string {
  if (d.count === 0) return "";
  if (!normalize) return String(d.count);
  const p = d.fraction * 100;
  return p >= 99.95 ? "100" : p >= 10 ? p.toFixed(0) : p.toFixed(1);
}

/**
 * A confusion matrix as a heatmap with the numbers in its cells: true class down the left, predicted class
 * along the bottom, per-class accuracy at the right. Square cells, at most 56 px.
 */
export function confusionMatrix(matrix: ConfusionInput, options: ConfusionMatrixOptions = {}) {
  const {width = 640, normalize = false, showAccuracy = true, document = globalThis.document} = options;
  const cells = confusionCells(matrix);
  const k = Math.round(Math.sqrt(cells.length));
  const labels = options.labels ?? Array.from({length: k}, (_, i) => String(i));
  if (labels.length !== k) throw new RangeError(`${labels.length} labels for ${k} classes`);
  const longest = Math.max(...labels.map((l) => l.length));
  const marginLeft = 44 + Math.min(longest, 16) * 7;
  const marginRight = showAccuracy ? 64 : 12;
  const cell = Math.max(12, Math.min(56, Math.floor((width - marginLeft - marginRight) / k)));
  // long class names under narrow columns are turned, so they do not run into each other
  const rotate = longest * 7 > cell;
  const marginBottom = rotate ? 40 + Math.min(longest, 16) * 5 : 44;
  const marginTop = 24;
  const fontSize = Math.min(13, Math.max(9, Math.round(cell * 0.3)));
  const totals = Array.from({length: k}, (_, r) => cells.slice(r * k, r * k + k).reduce((a, d) => a + d.count, 0));
  const correct = Array.from({length: k}, (_, r) => cells[r * k + r].count);
  const all = totals.reduce((a, b) => a + b, 0);
  const accuracy = all ? correct.reduce((a, b) => a + b, 0) / all : 0;
  const caption =
    options.caption !== undefined
      ? options.caption
      : `전체 정확도 (accuracy) ${(accuracy * 100).toFixed(1)}% · 예제 ${all.toLocaleString("en-US")}개` +
        (normalize ? " · 칸의 숫자는 그 행(실제 클래스)에서 차지하는 %" : "");
  const recall = labels.map((label, r) => ({
    label,
    text: totals[r] ? `${((correct[r] / totals[r]) * 100).toFixed(1)}%` : "–"
  }));
  return Plot.plot({
    document,
    width: marginLeft + marginRight + k * cell,
    height: marginTop + marginBottom + k * cell,
    marginLeft,
    marginRight,
    marginTop,
    marginBottom,
    padding: 0,
    style: {fontSize: "12px"},
    x: {domain: labels, label: "예측 (predicted) →", labelAnchor: "center", tickRotate: rotate ? -45 : 0, tickSize: 0},
    y: {domain: labels, label: "실제 (true)", labelAnchor: "center", labelArrow: "none", tickSize: 0},
    caption: caption ?? undefined,
    marks: [
      Plot.cell(cells, {
        x: (d: ConfusionCell) => labels[d.predicted],
        y: (d: ConfusionCell) => labels[d.actual],
        fill: {value: (d: ConfusionCell) => d.fill, scale: null},
        stroke: "white",
        strokeWidth: 1,
        title: (d: ConfusionCell) =>
          `실제 ${labels[d.actual]} → 예측 ${labels[d.predicted]}\n${d.count}개 (${(d.fraction * 100).toFixed(1)}%)`
      }),
      // numbers, bold on the diagonal; cells under 20 px keep only their colour (and the hover title)
      ...[true, false].map((diagonal) =>
        cell >= 20
          ? Plot.text(
              cells.filter((d) => (d.actual === d.predicted) === diagonal),
              {
                x: (d: ConfusionCell) => labels[d.predicted],
                y: (d: ConfusionCell) => labels[d.actual],
                text: (d: ConfusionCell) => cellText(d, normalize),
                fill: {value: (d: ConfusionCell) => d.textFill, scale: null},
                fontSize,
                fontWeight: diagonal ? "bold" : "normal"
              }
            )
          : null
      ),
      showAccuracy
        ? Plot.text(recall, {y: "label", text: "text", frameAnchor: "right", textAnchor: "start", dx: 6})
        : null,
      showAccuracy
        ? Plot.text(["정확도"], {frameAnchor: "top-right", textAnchor: "start", dx: 6, dy: -14, fontWeight: "bold"})
        : null
    ]
  });
}
