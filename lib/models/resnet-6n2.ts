/**
 * The paper's small ResNets of depth 6n + 2 (He et al. 2016, section 4.2, "CIFAR-10 and Analysis": 20, 32, 44, 56,
 * 110 layers), sized for 28×28×1 digits, with or without shortcuts: chapter 3 「CNN Model 비교」 trains a plain and a
 * residual network of the same depth side by side (claim M4).
 *
 * The network: a 3×3 convolution, then three stages of n basic blocks (two 3×3 convolutions each) at 28², 14², 7²,
 * then global average pooling and a fully connected classifier: 1 + 6n + 1 weight layers.
 *
 * Differs from the paper: 8/16/32 filters by default (the paper: 16/32/64 on 32×32 CIFAR images), to train in a
 * browser tab; the shortcuts that change shape are 1×1 projections (the paper's option B; for CIFAR it used option
 * A, zero-padded identity), as `buildResNet` of ./resnet.ts, which builds it.
 */
import {RESNET_PRESETS, type ResNetConfig} from "./resnet.js";

/** The depths the paper trains (6n + 2). */
export const RESNET_6N2_DEPTHS = [20, 32, 44, 56, 110] as const;

/** A 6n + 2-layer ResNet config (residual) or its plain twin (`residual: false`), for 28×28×1 and 10 classes. */
export function resnet6n2Config(
  depth: number,
  opts: {residual?: boolean; filters?: [number, number, number]} = {}
): ResNetConfig {
  const n = (depth - 2) / 6;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`depth must be 6n + 2 (20, 32, 44, 56, …), got ${depth}`);
  const {residual = true, filters = [8, 16, 32]} = opts;
  return {
    ...RESNET_PRESETS.tiny,
    name: `${residual ? "resnet" : "plain"}${depth}`,
    blocks: [n, n, n],
    filters: [...filters],
    stem: {filters: filters[0], kernelSize: 3, strides: 1, maxPool: false},
    residual
  };
}
