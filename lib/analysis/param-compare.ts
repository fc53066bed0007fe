/**
 * Parameters of a conv 층 against an FC 층 on the same input (chapter 2 「CNN」, claim C1, parameter sharing): real
 * TF.js layers are built and counted with `countParams()`, at each input size. The weights are zero-initialised,
 * so even the FC 층 at 224² is built quickly, and every model is disposed.
 */
import {tf} from "../tf.js";

export interface ParamRow {
  /** Input side H = W (the input is size × size × channels). */
  size: number;
  /** "conv f×f" or "FC". */
  layer: string;
  params: number;
}

/** The chapter's comparison: input sizes, input channels, conv filters and FC outputs. */
export const PARAM_COMPARE = {sizes: [28, 64, 224], channels: 3, kernelSize: 3, filters: 32, units: 32} as const;

/** Parameters of a `PARAM_COMPARE.kernelSize`² conv 층 with `filters` filters and of an FC 층 with `units` outputs, per input size. */
export function convVsDenseParams(
  sizes: readonly number[],
  {
    channels = PARAM_COMPARE.channels,
    filters = PARAM_COMPARE.filters,
    units = PARAM_COMPARE.units
  }: {channels?: number; filters?: number; units?: number} = {}
): ParamRow[] {
  const count = (size: number, layers: tf.layers.Layer[]) => {
    const m = tf.sequential({layers: [tf.layers.inputLayer({inputShape: [size, size, channels]}), ...layers]});
    const n = m.countParams();
    m.dispose();
    return n;
  };
  return sizes.flatMap((size) => [
    {
      size,
      layer: `conv ${PARAM_COMPARE.kernelSize}×${PARAM_COMPARE.kernelSize}`,
      params: count(size, [
        tf.layers.conv2d({kernelSize: PARAM_COMPARE.kernelSize, filters, kernelInitializer: "zeros"})
      ])
    },
    {
      size,
      layer: "FC",
      params: count(size, [tf.layers.flatten(), tf.layers.dense({units, kernelInitializer: "zeros"})])
    }
  ]);
}

/** Parameters of one conv 층 from its config, with TF.js: (f·f·c_in + 1)·c_out when the formula is right. */
export function convLayerParams(f: number, cin: number, cout: number, size = 32): number {
  const m = tf.sequential({layers: [tf.layers.conv2d({inputShape: [size, size, cin], kernelSize: f, filters: cout})]});
  const n = m.countParams();
  m.dispose();
  return n;
}
