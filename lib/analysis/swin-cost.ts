/**
 * Chapter 8, V6: global self-attention (MSA) against window attention (W-MSA) on the active backend, measured, beside
 * the paper's formulas Ω(MSA) = 4hwC² + 2(hw)²C and Ω(W-MSA) = 4hwC² + 2M²hwC (./swin.ts).
 *
 * For each map side s (s×s patches of C channels, one image), with the same random weights for both:
 * - global: `multiHeadAttention` (../models/layers/attention.ts) over the s² patches as one sequence;
 * - window: window partition and `windowAttention` (../models/layers/swin-layers.ts) over M×M windows, no bias.
 * Time: the median of `repeats` forward passes after one warm-up, each read back (`dataSync`) so that an asynchronous
 * backend finishes. Memory: `tf.profile`'s peakBytes of one forward pass above what was allocated before it.
 */
import {tf} from "../tf.js";
import {multiHeadAttention} from "../models/layers/attention.js";
import {windowAttention, windowPartition} from "../models/layers/swin-layers.js";
import {msaCost, wmsaCost} from "./swin.js";

export interface AttentionCostRow {
  /** The map is side × side patches. */
  side: number;
  tokens: number;
  /** The paper's multiply-adds. */
  globalMacs: number;
  windowMacs: number;
  /** Median milliseconds of one forward pass. */
  globalMs: number;
  windowMs: number;
  /** Peak bytes of one forward pass above the start. */
  globalBytes: number;
  windowBytes: number;
}

export interface AttentionCostOptions {
  /** Map sides in patches, each a multiple of `windowSize`. */
  sides: number[];
  channels: number;
  numHeads: number;
  windowSize: number;
  /** Timed passes per side and kind. Default 3. */
  repeats?: number;
  seed?: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Measure both attentions at every side (see the module comment). Disposes everything it creates. */
export async function measureAttentionCost(opts: AttentionCostOptions): Promise<AttentionCostRow[]> {
  const {channels: c, numHeads: h, windowSize: m, repeats = 3, seed = 1} = opts;
  const rows: AttentionCostRow[] = [];
  const w = {
    qkv: tf.randomNormal([c, 3 * c], 0, 1 / Math.sqrt(c), "float32", seed),
    qkvBias: tf.zeros([3 * c]),
    proj: tf.randomNormal([c, c], 0, 1 / Math.sqrt(c), "float32", seed + 1),
    projBias: tf.zeros([c])
  };
  try {
    for (const side of opts.sides) {
      if (side % m !== 0) throw new RangeError(`a ${side}×${side} map does not split into ${m}×${m} windows`);
      const x = tf.randomNormal([1, side, side, c], 0, 1, "float32", seed + side);
      try {
        const runs = {
          global: () =>
            multiHeadAttention(
              tf.reshape(x, [1, side * side, c]),
              null,
              {inProj: w.qkv, inBias: w.qkvBias, outProj: w.proj, outBias: w.projBias},
              {numHeads: h}
            ).output,
          window: () => windowAttention(windowPartition(x, m), w, {numHeads: h, windowSize: m}).output
        };
        const measured = {global: {ms: 0, bytes: 0}, window: {ms: 0, bytes: 0}};
        for (const kind of ["global", "window"] as const) {
          const once = () => tf.tidy(() => void runs[kind]().dataSync());
          once(); // warm-up
          const times: number[] = [];
          for (let i = 0; i < repeats; i++) {
            const t0 = performance.now();
            once();
            times.push(performance.now() - t0);
          }
          const start = tf.memory().numBytes;
          const info = await tf.profile(once);
          measured[kind] = {ms: median(times), bytes: Math.max(0, info.peakBytes - start)};
        }
        rows.push({
          side,
          tokens: side * side,
          globalMacs: msaCost(side, side, c),
          windowMacs: wmsaCost(side, side, c, m),
          globalMs: measured.global.ms,
          windowMs: measured.window.ms,
          globalBytes: measured.global.bytes,
          windowBytes: measured.window.bytes
        });
      } finally {
        x.dispose();
      }
    }
  } finally {
    tf.dispose(Object.values(w));
  }
  return rows;
}
