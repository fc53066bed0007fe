/**
 * PyTorch's layers on top of Keras layers, with torchvision's exact padding arithmetic: the building blocks of the
 * chapter 3 「CNN Model 비교」 model files (alexnet, vgg, googlenet, resnet), and of any later model ported from a
 * PyTorch reference.
 *
 * Why padding needs care: PyTorch pads `p` zeros on every side; Keras knows only "valid" (no padding) and
 * "same" (output ⌈n/s⌉, the odd extra zero at the bottom/right). For stride 1 and p = (k − 1)/2 both agree; for
 * AlexNet's 11×11/4 with p = 2, ResNet's 7×7/2 stem and its stride-2 3×3 convolutions they do not, so these helpers
 * insert a `ZeroPadding2D` layer in front of a "valid" convolution, as keras-applications does. Shapes, parameter
 * counts and every output value then equal torchvision's (given the same weights; Keras flattens [H, W, C] where
 * PyTorch flattens [C, H, W], so the first fully connected layer's rows come in another order).
 */
import {tf} from "../../tf.js";
import {spatialShape, type Initializer} from "../common.js";

/**
 * PyTorch's output size along one axis: ⌊(n + 2p − k)/s⌋ + 1, or ⌈…⌉ + 1 in `ceil_mode` (pooling), where a window
 * must still start inside the input or the left padding (and may be wider than the input: GoogLeNet at 15²).
 */
export function torchOutputSize(n: number, k: number, s: number, p: number, ceilMode = false): number {
  const span = n + 2 * p - k;
  let out = (ceilMode ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceilMode && (out - 1) * s >= n + p) out -= 1;
  if (out < 1) throw new RangeError(`a ${k}-wide window with stride ${s} does not fit ${n} + 2·${p}`);
  return out;
}

/** How a Keras layer reproduces one PyTorch window along one axis: its padding mode and explicit pads. */
interface AxisPadding {
  mode: "same" | "valid" | "explicit";
  before: number;
  after: number;
}

function axisPadding(n: number, k: number, s: number, p: number, ceilMode: boolean): AxisPadding {
  const out = torchOutputSize(n, k, s, p, ceilMode);
  const sameOut = Math.ceil(n / s);
  const sameTotal = Math.max((sameOut - 1) * s + k - n, 0);
  // PyTorch's p zeros after the input, or more where ceil mode lets the last window hang over
  const after = Math.max((out - 1) * s + k - n - p, p);
  if (sameOut === out && Math.floor(sameTotal / 2) === p) return {mode: "same", before: p, after: sameTotal - p};
  if (p === 0 && Math.floor((n - k) / s) + 1 === out) return {mode: "valid", before: 0, after: 0};
  return {mode: "explicit", before: p, after};
}

/**
 * The Keras padding that gives PyTorch's windows for a k×k window, stride s, padding p (and ceil mode) on x:
 * `"same"` or `"valid"` when one of them lines up exactly, else a ZeroPadding2D layer (applied here) and `"valid"`.
 */
function torchPadding(
  x: tf.SymbolicTensor,
  k: number,
  s: number,
  p: number,
  ceilMode: boolean,
  name: string
): [tf.SymbolicTensor, "same" | "valid"] {
  const [h, w] = spatialShape(x);
  const ph = axisPadding(h, k, s, p, ceilMode);
  const pw = axisPadding(w, k, s, p, ceilMode);
  if (ph.mode === "same" && pw.mode === "same") return [x, "same"];
  if (ph.mode === "valid" && pw.mode === "valid") return [x, "valid"];
  const padding: [[number, number], [number, number]] = [
    [ph.before, ph.after],
    [pw.before, pw.after]
  ];
  // [B, H, W, C] -> [B, H + before + after, W + before + after, C]
  const padded = tf.layers.zeroPadding2d({padding, name: `${name}.pad`}).apply(x) as tf.SymbolicTensor;
  return [padded, "valid"];
}

export interface TorchConvArgs {
  filters: number;
  kernelSize: number;
  strides?: number;
  /** PyTorch's symmetric zero padding p. Default 0. */
  padding?: number;
  useBias?: boolean;
  activation?: "relu" | "linear";
  kernelInitializer: Initializer;
  name: string;
}

/** `nn.Conv2d(C, filters, kernelSize, strides, padding)`: [B, H, W, C] -> [B, H', W', filters]. */
export function torchConv2d(x: tf.SymbolicTensor, args: TorchConvArgs): tf.SymbolicTensor {
  const {filters, kernelSize, strides = 1, padding: p = 0, useBias = true, activation = "linear", name} = args;
  const [input, padding] = torchPadding(x, kernelSize, strides, p, false, name);
  return tf.layers
    .conv2d({
      filters,
      kernelSize,
      strides,
      padding,
      useBias,
      activation,
      kernelInitializer: args.kernelInitializer,
      biasInitializer: "zeros",
      name
    })
    .apply(input) as tf.SymbolicTensor;
}

export interface TorchPoolArgs {
  poolSize: number;
  strides?: number;
  /** PyTorch's padding. Max pooling pads with −∞; zeros are the same here because the input follows a ReLU (≥ 0). */
  padding?: number;
  ceilMode?: boolean;
  name: string;
}

/** `nn.MaxPool2d(poolSize, strides, padding, ceil_mode)` on a non-negative input (after a ReLU). */
export function torchMaxPool2d(x: tf.SymbolicTensor, args: TorchPoolArgs): tf.SymbolicTensor {
  const {poolSize, strides = poolSize, padding: p = 0, ceilMode = false, name} = args;
  const [input, padding] = torchPadding(x, poolSize, strides, p, ceilMode, name);
  return tf.layers.maxPooling2d({poolSize, strides, padding, name}).apply(input) as tf.SymbolicTensor;
}

/** Keras BatchNormalization with PyTorch's `eps` and `momentum` (PyTorch 0.1 = Keras 0.9). */
export function batchNorm(x: tf.SymbolicTensor, name: string, epsilon = 1e-5): tf.SymbolicTensor {
  return tf.layers.batchNormalization({axis: -1, epsilon, momentum: 0.9, name}).apply(x) as tf.SymbolicTensor;
}

export function relu(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  return tf.layers.activation({activation: "relu", name}).apply(x) as tf.SymbolicTensor;
}

/**
 * How `nn.AdaptiveAvgPool2d` turns n cells into m along one axis, as at most two Keras layers: nearest-neighbour
 * upsampling by `upsample` (1: none), then average pooling with `poolSize` and `strides` (1 and 1: none).
 * PyTorch's output cell i averages the input cells [⌊i·n/m⌋, ⌈(i+1)·n/m⌉).
 * - n = m: nothing to do (AlexNet and VGG at 224²).
 * - n a multiple of m: windows of n/m, stride n/m. m a multiple of n: upsampling by m/n (VGG at 32²: 1 → 7).
 * - otherwise: upsampling by ⌈m/n⌉ when n < m, then m equal windows with stride s = ⌊N/m⌋ and size N − (m−1)·s
 *   covering the N cells. Sometimes these are PyTorch's windows (8 → 7: size 2, stride 1; 2 → 7), sometimes only the
 *   shape and the parameter count agree and the border cells weigh differently (14 → 4: PyTorch's windows are
 *   0–3, 3–6, 7–10, 10–13; here 0–4, 3–7, 6–10, 9–13, which is GoogLeNet's paper's own 5×5/3 pooling).
 * `exact` compares the two averaging matrices.
 */
export function adaptivePoolPlan(
  n: number,
  m: number
): {upsample: number; poolSize: number; strides: number; exact: boolean} {
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 1 || m < 1) {
    throw new RangeError(`sizes must be positive integers, got ${n} → ${m}`);
  }
  const upsample = n >= m ? 1 : Math.ceil(m / n);
  const cells = n * upsample;
  const strides = Math.floor(cells / m);
  const poolSize = cells - (m - 1) * strides;
  // weight of input cell j in output cell i, ours and PyTorch's
  let exact = true;
  for (let i = 0; i < m && exact; i++) {
    const ours = new Array<number>(n).fill(0);
    for (let t = i * strides; t < i * strides + poolSize; t++) ours[Math.floor(t / upsample)] += 1 / poolSize;
    const start = Math.floor((i * n) / m);
    const end = Math.ceil(((i + 1) * n) / m);
    for (let j = 0; j < n; j++) {
      const torch = j >= start && j < end ? 1 / (end - start) : 0;
      if (Math.abs(ours[j] - torch) > 1e-9) exact = false;
    }
  }
  return {upsample, poolSize, strides, exact};
}

/**
 * `nn.AdaptiveAvgPool2d(target)`: [B, H, W, C] -> [B, target_H, target_W, C] with an UpSampling2D
 * (`<name>.upsample`) and/or an AveragePooling2D (`<name>`) where needed; nothing when the size already fits.
 * Exact where `adaptivePoolPlan` says so, otherwise the same shape with slightly different border weights.
 */
export function adaptiveAvgPool2d(x: tf.SymbolicTensor, target: [number, number], name: string): tf.SymbolicTensor {
  const [h, w] = spatialShape(x);
  const ph = adaptivePoolPlan(h, target[0]);
  const pw = adaptivePoolPlan(w, target[1]);
  if (ph.upsample > 1 || pw.upsample > 1) {
    // [B, H, W, C] -> [B, H·u_h, W·u_w, C]
    x = tf.layers
      .upSampling2d({size: [ph.upsample, pw.upsample], name: `${name}.upsample`})
      .apply(x) as tf.SymbolicTensor;
  }
  if (ph.poolSize > 1 || pw.poolSize > 1 || ph.strides > 1 || pw.strides > 1) {
    // [B, N_h, N_w, C] -> [B, target_H, target_W, C]
    x = tf.layers
      .averagePooling2d({poolSize: [ph.poolSize, pw.poolSize], strides: [ph.strides, pw.strides], name})
      .apply(x) as tf.SymbolicTensor;
  }
  return x;
}
