/**
 * What the page says about the MNIST training file before the reader presses ▶, read from code and from the build,
 * never typed: the bits per pixel the data loader encodes with (`MNIST_TRAIN_BITS`), and the size of the built file
 * (Framework's file registry knows every built file's size; nothing is downloaded to learn it).
 */
import {FileAttachment} from "observablehq:stdlib";
import {MNIST_TRAIN_BITS} from "../../lib/data/mnist-format.js";

export interface MnistTrainFile {
  bits: number;
  fileBytes: number;
}

/** The built `mnist-train.bin`: bits per pixel and bytes, or null when the build did not record its size. */
export function mnistTrainFile(): MnistTrainFile | null {
  const size = (FileAttachment("../../assets/mnist-train.bin") as unknown as {size?: number}).size;
  return typeof size === "number" && Number.isFinite(size) && size > 0
    ? {bits: MNIST_TRAIN_BITS, fileBytes: size}
    : null;
}

/** Bytes as megabytes with one decimal (2^20 bytes, as the download status line counts them). */
export const megabytes = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
