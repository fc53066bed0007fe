/**
 * What the MNIST training file the site serves says about itself, read from the file's own header (its first bytes,
 * asked for with a Range request; a server that ignores Range sends the file and the read stops after the header),
 * so the page never types its size: chapter 2 says how much the reader will download before pressing ▶.
 */
import {FileAttachment} from "observablehq:stdlib";
import {MNIST_HEADER_BYTES, readMnistHeader, type MnistHeader} from "../../lib/data/mnist-format.js";

/** The header of the built `mnist-train.bin` (bits per pixel, whole-file bytes…), or null when it cannot be read. */
export async function mnistTrainHeader(): Promise<MnistHeader | null> {
  const abort = new AbortController();
  try {
    const url = await FileAttachment("../../assets/mnist-train.bin").url();
    const response = await fetch(url, {headers: {Range: `bytes=0-${MNIST_HEADER_BYTES - 1}`}, signal: abort.signal});
    if (!response.ok || !response.body) return null;
    const reader = response.body.getReader();
    const head = new Uint8Array(MNIST_HEADER_BYTES);
    let got = 0;
    while (got < MNIST_HEADER_BYTES) {
      const {done, value} = await reader.read();
      if (done) break;
      const take = value.subarray(0, MNIST_HEADER_BYTES - got);
      head.set(take, got);
      got += take.length;
    }
    await reader.cancel();
    return got === MNIST_HEADER_BYTES ? readMnistHeader(head) : null;
  } catch {
    return null;
  } finally {
    abort.abort(); // stop a server that ignored the Range header
  }
}

/** Bytes as megabytes with one decimal (2^20 bytes, as the download status line counts them). */
export const megabytes = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
