/**
 * Chapter 4 「RNN」 (section Real data): four one-step forecasters over the same windows (../data/windows.ts),
 * of similar parameter count, so the comparison is about the architecture and not the size.
 *
 * - SimpleRNN, LSTM, GRU (../models/rnn.ts): [B, W, 1] -> recurrent layer, last state h_W [B, u] -> dense [B, 1].
 *   `units` is the LSTM's; the SimpleRNN and GRU get the units whose recurrent layer has the nearest parameter
 *   count (`forecasterUnits`).
 * - conv1d: the chapter 3 「CNN Model 비교」 1D convolution as a small net: two causal-in-time "valid" conv1d layers
 *   (kernel 3, ReLU) -> flatten -> dense [B, 1]. Its filters are chosen for the nearest
 *   parameter count to the LSTM forecaster.
 * Output is linear (a regression on the normalised series); train with `meanSquaredError()` (../train/losses.ts).
 */
import {tf} from "../tf.js";
import {recurrentLayer, rnnParamCount, unitsForParams, type CellKind} from "./rnn.js";

export type ForecasterKind = CellKind | "conv1d";

export const FORECASTER_KINDS: readonly ForecasterKind[] = ["simpleRNN", "lstm", "gru", "conv1d"];

export interface ForecasterOptions {
  /** W: input steps. */
  window: number;
  /** The LSTM's units; the other kinds are sized to match its parameter count. */
  units: number;
  seed?: number;
}

const KERNEL = 3;
/** No dilation: TF.js's conv gradient refuses dilation > 1 (see README "Notes"). */
const DILATIONS = [1, 1];

/** Parameters of the conv1d forecaster with f filters on windows of W: conv (3f + f) + conv (3f² + f) + dense. */
export function conv1dForecasterParams(window: number, filters: number): number {
  const length = DILATIONS.reduce((len, d) => len - (KERNEL - 1) * d, window);
  return KERNEL * filters + filters + (KERNEL * filters * filters + filters) + (length * filters + 1);
}

/** The units (filters for conv1d) each kind gets, for the LSTM's `units`. */
export function forecasterUnits(kind: ForecasterKind, window: number, units: number): number {
  const target = rnnParamCount("lstm", 1, units) + units + 1;
  if (kind === "lstm") return units;
  if (kind !== "conv1d") return unitsForParams(kind, 1, target - units - 1);
  let best = 1;
  for (let f = 1; f <= 4 * units + 8; f++) {
    if (Math.abs(conv1dForecasterParams(window, f) - target) < Math.abs(conv1dForecasterParams(window, best) - target))
      best = f;
  }
  return best;
}

export function forecaster(kind: ForecasterKind, opts: ForecasterOptions): tf.LayersModel {
  const {window, seed} = opts;
  const size = forecasterUnits(kind, window, opts.units);
  const init = (k: number) => (seed == null ? undefined : tf.initializers.glorotUniform({seed: seed + k}));
  const input = tf.input({shape: [window, 1], name: "window"}); // [B, W, 1]
  let x: tf.SymbolicTensor;
  if (kind === "conv1d") {
    x = input;
    DILATIONS.forEach((dilationRate, i) => {
      x = tf.layers
        .conv1d({
          filters: size,
          kernelSize: KERNEL,
          dilationRate,
          padding: "valid",
          activation: "relu",
          kernelInitializer: init(i),
          name: `conv${i + 1}`
        })
        .apply(x) as tf.SymbolicTensor; // [B, W − 2(i + 1), f]
    });
    x = tf.layers.flatten({name: "flatten"}).apply(x) as tf.SymbolicTensor;
  } else {
    x = recurrentLayer(kind, {units: size, seed, name: kind}).apply(input) as tf.SymbolicTensor; // [B, u]
  }
  const output = tf.layers
    .dense({units: 1, kernelInitializer: init(9), name: "forecast"})
    .apply(x) as tf.SymbolicTensor;
  return tf.model({inputs: input, outputs: output, name: `forecaster-${kind}`});
}
