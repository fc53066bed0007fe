/**
 * Fashion-MNIST for chapter 8 「Attention / Transformer for Vision」: MNIST is too easy to separate a ViT from a CNN,
 * Fashion-MNIST is a drop-in replacement of the same shape (60,000 training and 10,000 test images, 28×28 grey,
 * 10 classes) that is harder.
 *
 * **The data.** Xiao, Rasul, Vollgraf, "Fashion-MNIST: a Novel Image Dataset for Benchmarking Machine Learning
 * Algorithms", arXiv:1708.07747 (2017), https://github.com/zalandoresearch/fashion-mnist: Zalando's article
 * photos, 28×28 grey, 0 = background … 255 = brightest. Licence: MIT (Copyright © 2017 Zalando SE). The build reads
 * the original gzip IDX files that Debian's package `dataset-fashion-mnist` installs under
 * `/usr/share/datasets/fashion-mnist/` (see data/README.md).
 *
 * The IDX files have MNIST's layout, so everything of ./mnist-format.ts applies (`mnistFromIdx`, the site's compact
 * file `encodeMnist` / `decodeMnist`, `mnistTensors` of ./mnist.ts); the files are
 * `src/assets/fashion-{train,test}.bin`. This module adds the class names and where the build finds the files.
 * Pure TypeScript without TF.js or Node APIs (the data loaders and the pages both import it).
 */

/** Where Debian's `dataset-fashion-mnist` installs the original files. */
export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

/** The original gzip IDX files of each split (names as published by Zalando). */
export const FASHION_MNIST_FILES = {
  train: {images: "train-images-idx3-ubyte.gz", labels: "train-labels-idx1-ubyte.gz"},
  test: {images: "t10k-images-idx3-ubyte.gz", labels: "t10k-labels-idx1-ubyte.gz"}
} as const;

/** Images in each split; every class has exactly 6,000 training and 1,000 test images. */
export const FASHION_MNIST_COUNTS = {train: 60_000, test: 10_000} as const;

/** One class: its label, Zalando's English name and the Korean name the course shows. */
export interface FashionClass {
  label: number;
  en: string;
  ko: string;
}

/** The ten classes in label order (labels 0–9, as in Zalando's README). */
export const FASHION_MNIST_CLASSES: readonly FashionClass[] = [
  {label: 0, en: "T-shirt/top", ko: "티셔츠/탑"},
  {label: 1, en: "Trouser", ko: "바지"},
  {label: 2, en: "Pullover", ko: "풀오버"},
  {label: 3, en: "Dress", ko: "드레스"},
  {label: 4, en: "Coat", ko: "코트"},
  {label: 5, en: "Sandal", ko: "샌들"},
  {label: 6, en: "Shirt", ko: "셔츠"},
  {label: 7, en: "Sneaker", ko: "스니커즈"},
  {label: 8, en: "Bag", ko: "가방"},
  {label: 9, en: "Ankle boot", ko: "앵클 부츠"}
];

/** The class name of a label, Korean by default. */
export function fashionClassName(label: number, lang: "ko" | "en" = "ko"): string {
  const c = FASHION_MNIST_CLASSES[label];
  if (!Number.isInteger(label) || !c) throw new RangeError(`label ${label} is not a Fashion-MNIST class 0–9`);
  return c[lang];
}
