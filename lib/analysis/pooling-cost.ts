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

/**
 * The chart's two lines in words (claim C3): which is steeper, by how much each grows, and how the ratio between
 * them moves. The reason is given only when the rows show the case it explains (the pooled line steeper).
 */
export function describeCost(c: CostComparison, kernelSize: number): string {
  const [first, last] = [c.sizes[0], c.sizes[c.sizes.length - 1]];
  const [r0, r1] = [c.ratios[0], c.ratios[c.ratios.length - 1]];
  const g = (v: PoolingVariant) => c.growth[v].toFixed(0);
  const trend = r1 < r0 ? "줄어듭니다" : r1 > r0 ? "늘어납니다" : "그대로입니다";
  let text =
    `로그 눈금에서 더 가파른 선은 ${c.steeper}입니다: ${first}²→${last}²에서 max pooling은 ×${g("max pooling")}, ` +
    `pooling 없음은 ×${g("pooling 없음")}. 그래서 pooling이 없을 때 연산이 몇 배인지는 ${first}²의 ${r0.toFixed(1)}배에서 ` +
    `${last}²의 ${r1.toFixed(1)}배로 ${trend}.`;
  if (c.steeper === "max pooling") {
    const [p0, p1] = c.conv2["max pooling"];
    const [n0, n1] = c.conv2["pooling 없음"];
    text +=
      ` 까닭: padding 없는 conv는 가장자리를 f − 1 = ${kernelSize - 1} px씩 잘라 내는데, pooling으로 작아진 map에서는 ` +
      `그 몫이 큽니다. conv2의 출력은 ${first}²에서 ${p0}×${p0} (pooling 없으면 ${n0}×${n0}), ${last}²에서 ` +
      `${p1}×${p1} (${n1}×${n1})입니다.`;
  }
  return text;
}
