/**
 * What pooling does to the ConvNet Example's cost (chapter 2 「CNN」, claims C3 and P1), computed from the 층
 * configs without building weights (`countLayerListFlops`, `layerCost`). The page's sentences about the two lines
 * of its cost chart are computed here from the rows, so they say what the rows show.
 */
import {convNetLayers, type ConvNetConfig} from "../models/convnet.js";
import {countLayerListFlops, layerCost} from "./flops.js";
import {layerListGraph} from "./graph.js";

export type PoolingVariant = "max pooling" | "pooling 없음";

const POOLING: Record<PoolingVariant, ConvNetConfig["pooling"]> = {"max pooling": "max", "pooling 없음": "none"};

export interface CostRow {
  size: number;
  variant: PoolingVariant;
  macs: number;
}

/** Multiply-adds of the ConvNet Example at each input size H = W, with max pooling and without. */
export function poolingCostRows(sizes: readonly number[]): CostRow[] {
  return sizes.flatMap((size) =>
    (Object.keys(POOLING) as PoolingVariant[]).map((variant) => ({
      size,
      variant,
      macs: countLayerListFlops(convNetLayers({inputShape: [size, size, 1], pooling: POOLING[variant]}), [
        size,
        size,
        1
      ]).macs
    }))
  );
}

export interface LayerCostRow {
  layer: string;
  /** Output shape without the batch axis, e.g. "24×24×16". */
  output: string;
  MACs: number;
}

/** One row per 층 of the ConvNet Example at `size`² (output shape and multiply-adds). */
export function layerCostRows(pooling: ConvNetConfig["pooling"], size = 28): LayerCostRow[] {
  return layerListGraph(convNetLayers({inputShape: [size, size, 1], pooling}), [size, size, 1]).calls.map((c) => ({
    layer: c.name,
    output: c.outputShape.join("×"),
    MACs: layerCost(c).macs
  }));
}

export interface CostComparison {
  sizes: number[];
  /** MACs without pooling / with max pooling, per size (in `sizes` order). */
  ratios: number[];
  /** MACs at the largest size / at the smallest, per variant: the slope of each line on the log–log chart. */
  growth: Record<PoolingVariant, number>;
  /** The variant whose line is steeper (grows by the larger factor). */
  steeper: PoolingVariant;
  /** Output side of conv2 per variant at the smallest and the largest size. */
  conv2: Record<PoolingVariant, [number, number]>;
}

/** Compare the two lines of `poolingCostRows`. */
export function compareCost(rows: readonly CostRow[]): CostComparison {
  const sizes = [...new Set(rows.map((r) => r.size))].sort((a, b) => a - b);
  if (sizes.length < 2) throw new RangeError("need at least two input sizes");
  const at = (size: number, variant: PoolingVariant) => {
    const r = rows.find((x) => x.size === size && x.variant === variant);
    if (!r) throw new RangeError(`no row for ${variant} at ${size}`);
    return r.macs;
  };
  const [first, last] = [sizes[0], sizes[sizes.length - 1]];
  const growth = {
    "max pooling": at(last, "max pooling") / at(first, "max pooling"),
    "pooling 없음": at(last, "pooling 없음") / at(first, "pooling 없음")
  };
  const side = (variant: PoolingVariant, size: number) =>
    Number(
      layerCostRows(POOLING[variant], size)
        .find((r) => r.layer === "conv2")!
        .output.split("×")[0]
    );
  return {
    sizes,
    ratios: sizes.map((s) => at(s, "pooling 없음") / at(s, "max pooling")),
    growth,
    steeper: growth["pooling 없음"] > growth["max pooling"] ? "pooling 없음" : "max pooling",
    conv2: {
      "max pooling": [side("max pooling", first), side("max pooling", last)],
      "pooling 없음": [side("pooling 없음", first), side("pooling 없음", last)]
    }
  };
}
