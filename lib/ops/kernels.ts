/**
 * Named 3×3 kernels of chapter 1 「Filter」 (src/filter.md).
 *
 * All kernels are written for cross-correlation, which is what `tf.conv2d` (and OpenCV's `filter2D`)
 * compute: `out[i][j] = Σ k[u][v] · in[i+u][j+v]`. Row index u runs down (y), column index v right (x).
 * With that convention an `_X` kernel is positive where intensity increases to the right, and a `_Y`
 * kernel is positive where intensity increases downwards.
 *
 * Values:
 * - vertical / horizontal edge detectors: the 3×3 "Prewitt-like" kernels of Andrew Ng's CNN course, whose
 *   figure the notes reproduce (bright-to-dark left→right gives a positive vertical response).
 * - Sobel: I. Sobel, G. Feldman, "A 3x3 Isotropic Gradient Operator for Image Processing" (1968); OpenCV
 *   `Sobel(ksize=3)`.
 * - Scharr: H. Scharr, "Optimale Operatoren in der digitalen Bildverarbeitung" (2000); OpenCV `Scharr()`.
 */

/** A 2-D kernel as rows of numbers: `k[row][col]`. */
export type Kernel2D = number[][];

/** Responds to vertical edges: bright on the left, dark on the right gives a positive output. */
export const VERTICAL: Kernel2D = [
  [1, 0, -1],
  [1, 0, -1],
  [1, 0, -1]
];

/** Responds to horizontal edges: bright above, dark below gives a positive output. */
export const HORIZONTAL: Kernel2D = [
  [1, 1, 1],
  [0, 0, 0],
  [-1, -1, -1]
];

/** Sobel derivative in x: central difference [-1 0 1] smoothed across rows by [1 2 1]. */
export const SOBEL_X: Kernel2D = [
  [-1, 0, 1],
  [-2, 0, 2],
  [-1, 0, 1]
];

/** Sobel derivative in y (the transpose of SOBEL_X). */
export const SOBEL_Y: Kernel2D = transpose(SOBEL_X);

/** Scharr derivative in x: central difference smoothed by [3 10 3], tuned for rotation invariance. */
export const SCHARR_X: Kernel2D = [
  [-3, 0, 3],
  [-10, 0, 10],
  [-3, 0, 3]
];

/** Scharr derivative in y (the transpose of SCHARR_X). */
export const SCHARR_Y: Kernel2D = transpose(SCHARR_X);

/** Every named kernel, for pickers and tests. */
export const KERNELS = {
  vertical: VERTICAL,
  horizontal: HORIZONTAL,
  sobelX: SOBEL_X,
  sobelY: SOBEL_Y,
  scharrX: SCHARR_X,
  scharrY: SCHARR_Y
} as const satisfies Record<string, Kernel2D>;

export type KernelName = keyof typeof KERNELS;

/** Rows become columns. */
export function transpose(k: Kernel2D): Kernel2D {
  return k[0].map((_, j) => k.map((row) => row[j]));
}

/** Throws a readable error unless `k` is a non-empty rectangular grid of finite numbers. */
export function checkKernel(k: Kernel2D, what = "kernel"): void {
  if (!Array.isArray(k) || k.length === 0 || !Array.isArray(k[0]) || k[0].length === 0) {
    throw new TypeError(`${what} must be a non-empty 2-D array of numbers`);
  }
  const w = k[0].length;
  k.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== w) {
      throw new TypeError(`${what}: row ${i} has ${Array.isArray(row) ? row.length : "no"} entries, expected ${w}`);
    }
    row.forEach((v, j) => {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new TypeError(`${what}[${i}][${j}] is ${String(v)}, not a finite number`);
      }
    });
  });
}
