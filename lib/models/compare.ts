/**
 * The comparison table of chapter 3 「CNN Model 비교」, measured from the models themselves: for a registry model,
 * its depth (weight layers on the longest path), parameters and multiply-adds at its input size, from the layer
 * graph of a dry build (no weights are allocated, see lib/analysis/dry-build.ts), beside torchvision's figures.
 */
import {dryGraph} from "../analysis/dry-build.js";
import {countFlops} from "../analysis/flops.js";
import type {LayerGraph} from "../analysis/graph.js";
import {weightLayerCount} from "../analysis/summary.js";
import {FAMILIES, MODEL_INFO, MODELS, type ModelName} from "./registry.js";
import type {ModelOptions} from "./common.js";

export interface ModelFigures {
  name: ModelName;
  title: string;
  year: number;
  /** Weight layers on the longest input → main output path (the papers' depth). */
  depth: number;
  /** Trainable parameters the main output needs (torchvision's count). */
  params: number;
  /** Multiply-adds of one image at the input size, conv and fully connected layers. */
  macs: number;
  inputShape: number[];
  graph: LayerGraph;
}

/** Measure a registry model from a dry build (default 224×224×3, 1000 classes). */
export function measureModel(name: ModelName, opts: Omit<ModelOptions, "weights" | "seed"> = {}): ModelFigures {
  const info = MODEL_INFO[name];
  const graph = dryGraph(() => MODELS[name](opts));
  const totals = countFlops(graph, {output: 0});
  return {
    name,
    title: info.title,
    year: FAMILIES[info.family].year,
    depth: weightLayerCount(graph).depth,
    params: totals.trainableParams,
    macs: totals.macs,
    inputShape: graph.calls[0].outputShape,
    graph
  };
}
