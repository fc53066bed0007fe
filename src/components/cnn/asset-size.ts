/**
 * The size of the MNIST training file the site serves, read from the server (a HEAD request's Content-Length), so
 * the page never types it: chapter 2 says how much the reader will download before pressing ▶.
 */
import {FileAttachment} from "observablehq:stdlib";

/** Bytes of the built `mnist-train.bin`, or null when the server does not say. */
export async function mnistTrainBytes(): Promise<number | null> {
  try {
    const url = await FileAttachment("../../assets/mnist-train.bin").url();
    const response = await fetch(url, {method: "HEAD"});
    const length = Number(response.headers.get("content-length"));
    return response.ok && Number.isFinite(length) && length > 0 ? length : null;
  } catch {
    return null;
  }
}

/** Bytes as megabytes with one decimal (2^20 bytes, as the download status line counts them). */
export const megabytes = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
