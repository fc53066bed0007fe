/**
 * The Swin Transformer's bookkeeping as plain numbers (chapter 8 「Attention / Transformer for Vision」, V6): which
 * window a patch belongs to, where the cyclic shift moves it, the nine regions of the shifted image and the attention
 * mask that keeps them apart, the relative position index, the paper's cost formulas, which patches can exchange
 * information after k blocks, and the feature-map shape of every stage. No TF.js: the model's layers
 * (lib/models/layers/swin-layers.ts) and the page's drawings use the same functions.
 *
 * Liu, Lin, Cao, Hu, Wei, Zhang, Lin, Guo, "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows",
 * ICCV 2021, https://arxiv.org/abs/2103.14030. Reference implementations: the authors' repository
 * (microsoft/Swin-Transformer, models/swin_transformer.py) and timm's copy (timm/models/swin_transformer.py):
 * `get_relative_position_index`, the `img_mask` / `attn_mask` of `SwinTransformerBlock`, `window_partition`.
 *
 * Conventions: an H×W grid of patches, row-major (patch p = r·W + c); a window of M×M patches; the shift s moves the
 * grid up and left by s (torch.roll(x, shifts=(−s, −s))), so the patch at (r, c) of the shifted grid is the patch
 * ((r + s) mod H, (c + s) mod W) of the original.
 */

/** What the reference adds to the score of a pair in different regions (`masked_fill(attn_mask != 0, -100.0)`). */
export const SWIN_MASK_VALUE = -100;

const range = (n: number) => Array.from({length: n}, (_, i) => i);
const mod = (a: number, n: number) => ((a % n) + n) % n;

function checkGrid(h: number, w: number, m: number): void {
  if (!(Number.isInteger(h) && Number.isInteger(w) && Number.isInteger(m)) || h < 1 || w < 1 || m < 1) {
    throw new RangeError(`a grid of ${h}×${w} patches and windows of ${m}×${m} must be positive integers`);
  }
  if (h % m !== 0 || w % m !== 0) throw new RangeError(`a ${h}×${w} grid does not split into ${m}×${m} windows`);
}

/**
 * timm's rule (`SwinTransformerBlock.__init__`): when the feature map is no larger than a window, the window shrinks
 * to the map and there is no shift (Swin-T's last stage at 224²: 7×7 patches, one window, never shifted).
 */
export function effectiveWindow(
  h: number,
  w: number,
  windowSize: number,
  shift: number
): {window: number; shift: number} {
  if (Math.min(h, w) <= windowSize) return {window: Math.min(h, w), shift: 0};
  if (shift < 0 || shift >= windowSize) throw new RangeError(`the shift must lie in 0…${windowSize - 1}, got ${shift}`);
  return {window: windowSize, shift};
}

/**
 * torch.roll on a grid: out[r][c] = grid[(r − dy) mod H][(c − dx) mod W]. The cyclic shift of Swin is
 * `rollGrid(grid, −s, −s)`, its inverse `rollGrid(grid, s, s)`.
 */
export function rollGrid<T>(grid: readonly (readonly T[])[], dy: number, dx: number): T[][] {
  const h = grid.length;
  const w = grid[0]?.length ?? 0;
  return range(h).map((r) => range(w).map((c) => grid[mod(r - dy, h)][mod(c - dx, w)]));
}

/** The window of every patch: windows numbered row by row, (r, c) in window ⌊r/M⌋·(W/M) + ⌊c/M⌋. */
export function windowIds(h: number, w: number, m: number): number[][] {
  checkGrid(h, w, m);
  return range(h).map((r) => range(w).map((c) => Math.floor(r / m) * (w / m) + Math.floor(c / m)));
}

/**
 * The window of every patch of the ORIGINAL image in a shifted block: the windows of the shifted grid, drawn back
 * where their patches came from (s = 0: `windowIds`). The last row and column of windows hold patches from opposite
 * edges of the image, which is why they need the mask.
 */
export function shiftedWindowIds(h: number, w: number, m: number, shift: number): number[][] {
  return rollGrid(windowIds(h, w, m), shift, shift);
}

/**
 * The patches of every window, in the order `window_partition` lays them out: windows row by row, and inside a
 * window its M² patches row by row. Each entry is a patch index r·W + c of the grid.
 */
export function windowTokens(h: number, w: number, m: number): number[][] {
  checkGrid(h, w, m);
  const out: number[][] = [];
  for (let wr = 0; wr < h / m; wr++) {
    for (let wc = 0; wc < w / m; wc++) {
      const tokens: number[] = [];
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) tokens.push((wr * m + i) * w + wc * m + j);
      out.push(tokens);
    }
  }
  return out;
}

/**
 * The region of every patch of the SHIFTED grid, 0…8, as the reference's `img_mask`: rows split into [0, H − M),
 * [H − M, H − s), [H − s, H) and columns the same way; region = 3·(row part) + (column part). Patches that the
 * shift wrapped around from the top or the left edge land in the last parts. With s = 0 every patch is region 0
 * (no mask is needed).
 */
export function shiftRegions(h: number, w: number, m: number, shift: number): number[][] {
  checkGrid(h, w, m);
  if (shift === 0) return range(h).map(() => range(w).map(() => 0));
  if (shift < 0 || shift >= m) throw new RangeError(`the shift must lie in 0…${m - 1}, got ${shift}`);
  const part = (i: number, n: number) => (i < n - m ? 0 : i < n - shift ? 1 : 2);
  return range(h).map((r) => range(w).map((c) => 3 * part(r, h) + part(c, w)));
}

/** The same regions drawn where the patches sit in the ORIGINAL (unshifted) image: `shiftRegions` rolled back. */
export function shiftRegionsOriginal(h: number, w: number, m: number, shift: number): number[][] {
  return rollGrid(shiftRegions(h, w, m, shift), shift, shift);
}

/**
 * The attention mask of shifted-window attention, [nW][M²][M²]: entry [n][i][j] is 0 when tokens i and j of window
 * n (in `windowTokens` order, on the shifted grid) come from the same region and −100 when not. Added to the scores
 * before the softmax, −100 makes a weight e⁻¹⁰⁰ ≈ 4·10⁻⁴⁴ times what it was: below anything float32 can add to the
 * other weights (a float32 denormal at most), so the pair exchanges nothing. −∞ would give NaN for a row with no
 * allowed key; every token allows itself, but −100 is what the reference uses.
 */
export function shiftedWindowMask(h: number, w: number, m: number, shift: number): number[][][] {
  const regions = shiftRegions(h, w, m, shift).flat();
  return windowTokens(h, w, m).map((tokens) =>
    tokens.map((i) => tokens.map((j) => (regions[i] === regions[j] ? 0 : SWIN_MASK_VALUE)))
  );
}

/**
 * The relative position index [M²][M²] (`get_relative_position_index`): for tokens i = (r_i, c_i) and j = (r_j, c_j)
 * of a window, (r_i − r_j + M − 1)·(2M − 1) + (c_i − c_j + M − 1), a row of the bias table of (2M − 1)² rows.
 * Pairs with the same offset share a row, so the table has one learned bias per offset and head.
 */
export function relativePositionIndex(m: number): number[][] {
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`a window of ${m}×${m} patches`);
  const n = m * m;
  return range(n).map((i) =>
    range(n).map((j) => {
      const [ri, ci, rj, cj] = [Math.floor(i / m), i % m, Math.floor(j / m), j % m];
      return (ri - rj + m - 1) * (2 * m - 1) + (ci - cj + m - 1);
    })
  );
}

/**
 * The paper's equation (1), multiply-adds of one multi-head self-attention over h×w patches of C channels:
 * Ω(MSA) = 4hwC² (the Q, K, V and output projections) + 2(hw)²C (QKᵀ and the weighted sum over all patches).
 */
export function msaCost(h: number, w: number, c: number): number {
  return 4 * h * w * c * c + 2 * (h * w) ** 2 * c;
}

/** The paper's equation (2), window attention with M×M windows: Ω(W-MSA) = 4hwC² + 2M²hwC (linear in hw). */
export function wmsaCost(h: number, w: number, c: number, m: number): number {
  return 4 * h * w * c * c + 2 * m * m * h * w * c;
}

export type ReachMode = "window" | "shifted" | "global";

export interface ReachOptions {
  /** "window": every block W-MSA; "shifted": W-MSA and SW-MSA alternating (block 1 unshifted); "global": MSA. */
  mode: ReachMode;
  /** The shift of the shifted blocks. Default ⌊M/2⌋, the paper's. */
  shift?: number;
}

/**
 * The patches of one block that exchange information (attend to each other): for W-MSA the window, for SW-MSA the
 * window of the shifted grid restricted to one region (the mask), for MSA everything. Returns a group id per patch
 * of the original grid (row-major); patches with the same id see each other.
 */
export function blockGroups(h: number, w: number, m: number, shift: number): number[] {
  const ids = windowIds(h, w, m);
  if (shift === 0) return ids.flat();
  const regions = shiftRegions(h, w, m, shift);
  // the shifted grid's (window, region) pair, read back where each patch sits in the original grid
  const pair = ids.map((row, r) => row.map((id, c) => id * 9 + regions[r][c]));
  return rollGrid(pair, shift, shift).flat();
}

/**
 * Which patches a patch can have exchanged information with after 0, 1, …, `blocks` blocks: reach[k] is a 0/1 list
 * over the H·W patches (row-major). Information moves one block at a time: after block k, a patch has heard from
 * every patch in its group (`blockGroups`) that had heard from the start patch after block k − 1. Block 1 (k = 1) is
 * unshifted; with mode "shifted" the even-numbered blocks (2, 4, …) are shifted.
 */
export function reachSets(
  h: number,
  w: number,
  m: number,
  start: [number, number],
  blocks: number,
  options: ReachOptions
): number[][] {
  const [r0, c0] = start;
  if (r0 < 0 || r0 >= h || c0 < 0 || c0 >= w) throw new RangeError(`patch (${r0}, ${c0}) is outside ${h}×${w}`);
  const shift = options.shift ?? Math.floor(m / 2);
  let reach = range(h * w).map((p) => (p === r0 * w + c0 ? 1 : 0));
  const out = [reach];
  const plain = options.mode === "global" ? range(h * w).map(() => 0) : blockGroups(h, w, m, 0);
  const shifted = options.mode === "shifted" ? blockGroups(h, w, m, shift) : plain;
  for (let k = 1; k <= blocks; k++) {
    const groups = k % 2 === 0 ? shifted : plain;
    const heard = new Set(groups.filter((_, p) => reach[p] === 1));
    reach = groups.map((g) => (heard.has(g) ? 1 : 0));
    out.push(reach);
  }
  return out;
}

/** How many patches each reach set holds (reach[k] summed). */
export function reachCounts(reach: number[][]): number[] {
  return reach.map((r) => r.reduce((a, b) => a + b, 0));
}

/** What the stage shapes need of a Swin config (lib/models/swin.ts's `SwinConfig`). */
export interface SwinShapeConfig {
  inputShape: readonly [number, number, number];
  patchSize: number;
  embedDim: number;
  depths: readonly number[];
  numHeads: readonly number[];
  windowSize: number;
}

export interface SwinStageShape {
  /** 1, 2, 3, 4 (the paper's "Stage 1" …). */
  stage: number;
  /** The feature map in patches: H/(P·2^(i−1)) × W/(P·2^(i−1)). */
  height: number;
  width: number;
  /** C·2^(i−1). */
  channels: number;
  /** Pixels of the input per patch along a side: P·2^(i−1) (the paper's "4×", "8×", "16×", "32×"). */
  stride: number;
  blocks: number;
  heads: number;
  /** The window and the shift of the shifted blocks after `effectiveWindow`. */
  window: number;
  shift: number;
  /** Windows per image: (height/window)·(width/window). */
  windows: number;
}

/** Feature-map size, channels, blocks and windows of every stage, from a config (the paper's Figure 3 / Table 7). */
export function swinStageShapes(c: SwinShapeConfig): SwinStageShape[] {
  const [h, w] = c.inputShape;
  if (h % c.patchSize !== 0 || w % c.patchSize !== 0) {
    throw new RangeError(`a ${h}×${w} image does not split into ${c.patchSize}×${c.patchSize} patches`);
  }
  if (c.depths.length !== c.numHeads.length) throw new RangeError("one head count per stage");
  return c.depths.map((blocks, i) => {
    const f = 2 ** i;
    const gh = h / c.patchSize / f;
    const gw = w / c.patchSize / f;
    if (!Number.isInteger(gh) || !Number.isInteger(gw)) {
      throw new RangeError(`stage ${i + 1}: ${h / c.patchSize}×${w / c.patchSize} patches cannot be halved ${i} times`);
    }
    const {window, shift} = effectiveWindow(gh, gw, c.windowSize, Math.floor(c.windowSize / 2));
    if (gh % window !== 0 || gw % window !== 0) {
      throw new RangeError(`stage ${i + 1}: a ${gh}×${gw} map does not split into ${window}×${window} windows`);
    }
    return {
      stage: i + 1,
      height: gh,
      width: gw,
      channels: c.embedDim * f,
      stride: c.patchSize * f,
      blocks,
      heads: c.numHeads[i],
      window,
      shift,
      windows: (gh / window) * (gw / window)
    };
  });
}
