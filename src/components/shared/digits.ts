/**
 * The digits that chapter 3's experiments train on: the first `train` MNIST training images and the first `test`
 * test images, as tensors (xs [n, 28, 28, 1] in 0…1, one-hot ys [n, 10]). The files download only when an
 * experiment starts (`loadMnist` of ./mnist.ts, cached for the page's life); progress goes to `onProgress`.
 */
import {mnistTensors} from "../../lib/data/mnist.js";
import type {Dataset} from "../../lib/train/loop.js";
import {loadMnist, type MnistProgress} from "./mnist.js";

export interface Digits {
  train: Dataset;
  test: Dataset;
  /** What the data is, for the status line. */
  source: string;
}

export interface LoadDigitsOptions {
  train: number;
  test: number;
  signal?: AbortSignal;
  onProgress?: (text: string) => void;
}

const NAMES = {train: "학습", test: "테스트"} as const;

function progressText(p: MnistProgress): string {
  if (p.phase === "decode") return `MNIST ${NAMES[p.kind]} 데이터를 푸는 중…`;
  if (p.phase === "done") return `MNIST ${NAMES[p.kind]} 데이터 준비 완료`;
  const mb = (b: number) => (b / 2 ** 20).toFixed(1);
  return `MNIST ${NAMES[p.kind]} 데이터 내려받는 중… ${mb(p.loaded)}${p.total ? ` / ${mb(p.total)}` : ""} MB`;
}

/** Training and test digits as tensors; the caller disposes all four. */
export async function loadDigits({train, test, signal, onProgress}: LoadDigitsOptions): Promise<Digits> {
  const report = onProgress ? (p: MnistProgress) => onProgress(progressText(p)) : undefined;
  const [trainSet, testSet] = await Promise.all([
    loadMnist("train", {signal, onProgress: report}),
    loadMnist("test", {signal, onProgress: report})
  ]);
  signal?.throwIfAborted();
  const trainData = mnistTensors(trainSet, 0, Math.min(train, trainSet.count));
  const testData = mnistTensors(testSet, 0, Math.min(test, testSet.count));
  return {
    train: trainData,
    test: testData,
    source: `MNIST 학습 ${trainData.xs.shape[0].toLocaleString("en-US")}장, 테스트 ${testData.xs.shape[0].toLocaleString("en-US")}장`
  };
}
