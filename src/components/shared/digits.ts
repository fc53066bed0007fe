/**
 * The images that chapter 3's (MNIST) and chapter 8's (Fashion-MNIST, `set: "fashion"`) experiments train on: the
 * first `train` training images and the first `test` test images, as tensors (xs [n, 28, 28, 1] in 0…1, one-hot
 * ys [n, 10]). The files download only when an experiment starts (`loadImageSet` of ./mnist.ts, cached for the
 * page's life); progress goes to `onProgress`.
 */
import {mnistTensors} from "../../lib/data/mnist.js";
import type {Dataset} from "../../lib/train/loop.js";
import {IMAGE_SET_TITLES, loadImageSet, type ImageSetName, type MnistProgress} from "./mnist.js";

export interface Digits {
  train: Dataset;
  test: Dataset;
  /** What the data is, for the status line. */
  source: string;
}

export interface LoadDigitsOptions {
  train: number;
  test: number;
  /** Which images: MNIST digits (default) or Fashion-MNIST clothes. */
  set?: ImageSetName;
  signal?: AbortSignal;
  onProgress?: (text: string) => void;
}

const NAMES = {train: "학습", test: "테스트"} as const;

function progressText(title: string, p: MnistProgress): string {
  if (p.phase === "decode") return `${title} ${NAMES[p.kind]} 데이터를 푸는 중…`;
  if (p.phase === "done") return `${title} ${NAMES[p.kind]} 데이터 준비 완료`;
  const mb = (b: number) => (b / 2 ** 20).toFixed(1);
  return `${title} ${NAMES[p.kind]} 데이터 내려받는 중… ${mb(p.loaded)}${p.total ? ` / ${mb(p.total)}` : ""} MB`;
}

/** Training and test digits as tensors; the caller disposes all four. */
export async function loadDigits({train, test, set = "mnist", signal, onProgress}: LoadDigitsOptions): Promise<Digits> {
  const title = IMAGE_SET_TITLES[set];
  const report = onProgress ? (p: MnistProgress) => onProgress(progressText(title, p)) : undefined;
  const [trainSet, testSet] = await Promise.all([
    loadImageSet(set, "train", {signal, onProgress: report}),
    loadImageSet(set, "test", {signal, onProgress: report})
  ]);
  signal?.throwIfAborted();
  const trainData = mnistTensors(trainSet, 0, Math.min(train, trainSet.count));
  const testData = mnistTensors(testSet, 0, Math.min(test, testSet.count));
  return {
    train: trainData,
    test: testData,
    source: `${title} 학습 ${trainData.xs.shape[0].toLocaleString("en-US")}장, 테스트 ${testData.xs.shape[0].toLocaleString("en-US")}장`
  };
}
