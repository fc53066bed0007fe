/**
 * MNIST and Fashion-MNIST in the page: `loadMnist("train")` (or `loadFashionMnist("train")`, chapter 8) downloads the training file only when it is called (when the reader
 * starts training), reports progress, decodes it, and keeps the result for the rest of the page's life, so a
 * second call is free. The files are built by the data loaders `src/assets/mnist-{train,test}.bin.ts`; the
 * format, the data and its licence are documented in `lib/data/mnist-format.ts` (imported directly: no TF.js needed
 * to load the data; `lib/data/mnist.ts` adds the tensors).
 */
import {FileAttachment} from "observablehq:stdlib";
import {
  decodeMnist,
  MNIST_HEADER_BYTES,
  readMnistHeader,
  type MnistKind,
  type MnistSet
} from "../../lib/data/mnist-format.js";

export type {MnistKind, MnistSet};

export interface MnistProgress {
  kind: MnistKind;
  /** "download" while bytes arrive, then "decode" (once, with loaded = total), then "done". */
  phase: "download" | "decode" | "done";
  /** Bytes downloaded so far. */
  loaded: number;
  /** Size of the file in bytes, once known (from Content-Length or the file's own header). */
  total?: number;
}

export interface LoadMnistOptions {
  /** Aborting rejects this call with an `AbortError`; the download stops once no caller waits for it. */
  signal?: AbortSignal;
  onProgress?: (progress: MnistProgress) => void;
}

/** A download or decode that failed, with a message for the reader; `cause` holds the original error. */
export class MnistLoadError extends Error {
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, options);
    this.name = "MnistLoadError";
  }
}

/** The two image sets in the site's compact format: MNIST (chapters 2–3) and Fashion-MNIST (chapter 8). */
export type ImageSetName = "mnist" | "fashion";

/** Each set's display name, as the progress line and the error messages show it. */
export const IMAGE_SET_TITLES: Record<ImageSetName, string> = {mnist: "MNIST", fashion: "Fashion-MNIST"};

const NAMES: Record<MnistKind, string> = {train: "학습 데이터", test: "테스트 데이터"};

/** Framework registers only FileAttachment calls whose argument is a string literal: one call per file. */
function fileUrl(set: ImageSetName, kind: MnistKind): Promise<string> {
  if (set === "fashion")
    return kind === "train"
      ? FileAttachment("../../assets/fashion-train.bin").url()
      : FileAttachment("../../assets/fashion-test.bin").url();
  return kind === "train"
    ? FileAttachment("../../assets/mnist-train.bin").url()
    : FileAttachment("../../assets/mnist-test.bin").url();
}

interface Pending {
  promise: Promise<MnistSet>;
  controller: AbortController;
  listeners: Set<(progress: MnistProgress) => void>;
  waiting: number;
}

const loaded = new Map<string, MnistSet>();
const pending = new Map<string, Pending>();

/**
 * Download and decode MNIST's training (60,000 images, 4-bit pixels, 5.73 MB) or test set (10,000 images,
 * exact, 1.63 MB). Resolves to `{images, labels, count}` with `images` n × 784 bytes (0 … 255, row by row).
 * Rejects with an `MnistLoadError` whose message says what went wrong, or with an `AbortError` for `signal`.
 */
export function loadMnist(kind: MnistKind, options: LoadMnistOptions = {}): Promise<MnistSet> {
  return loadImageSet("mnist", kind, options);
}

/**
 * Download and decode Fashion-MNIST's training (60,000 images, 4-bit pixels, 11.8 MB: clothes have more grey than
 * digits and compress less) or test set (10,000 images, exact), as `loadMnist` does for MNIST.
 */
export function loadFashionMnist(kind: MnistKind, options: LoadMnistOptions = {}): Promise<MnistSet> {
  return loadImageSet("fashion", kind, options);
}

/** `loadMnist` for either image set; each set and split downloads once per page. */
export async function loadImageSet(
  set: ImageSetName,
  kind: MnistKind,
  {signal, onProgress}: LoadMnistOptions = {}
): Promise<MnistSet> {
  const title = IMAGE_SET_TITLES[set];
  if (!title) throw new MnistLoadError(`"${String(set)}" is not mnist or fashion`);
  if (kind !== "train" && kind !== "test") throw new MnistLoadError(`${title}: "${String(kind)}" is not train or test`);
  const key = `${set}:${kind}`;
  const done = loaded.get(key);
  if (done) return done;
  signal?.throwIfAborted();
  let job = pending.get(key);
  if (!job) {
    const controller = new AbortController();
    const listeners = new Set<(progress: MnistProgress) => void>();
    const report = (p: MnistProgress) =>
      listeners.forEach((f) => {
        try {
          f(p);
        } catch (e) {
          console.error(e); // a broken progress display must not stop the download
        }
      });
    const promise = fetchAndDecode(set, kind, controller.signal, report);
    job = {promise, controller, listeners, waiting: 0};
    pending.set(key, job);
    const current = job;
    promise.then(
      (images) => {
        loaded.set(key, images);
        if (pending.get(key) === current) pending.delete(key);
      },
      () => {
        // a failed load is not cached: the next call tries again
        if (pending.get(key) === current) pending.delete(key);
      }
    );
  }
  const shared = job;
  shared.waiting++;
  if (onProgress) shared.listeners.add(onProgress);
  let onAbort: (() => void) | undefined;
  try {
    if (!signal) return await shared.promise;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason ?? new DOMException("aborted", "AbortError"));
      signal.addEventListener("abort", onAbort, {once: true});
    });
    return await Promise.race([shared.promise, aborted]);
  } finally {
    if (onAbort) signal?.removeEventListener("abort", onAbort);
    if (onProgress) shared.listeners.delete(onProgress);
    // the last waiting caller gave up: stop the download
    if (--shared.waiting === 0 && !loaded.has(key) && signal?.aborted) {
      shared.controller.abort();
      if (pending.get(key) === shared) pending.delete(key);
    }
  }
}

async function fetchAndDecode(
  set: ImageSetName,
  kind: MnistKind,
  signal: AbortSignal,
  progress: (p: MnistProgress) => void
): Promise<MnistSet> {
  const name = `${IMAGE_SET_TITLES[set]} ${NAMES[kind]}`;
  let url = "";
  let bytes: Uint8Array;
  try {
    url = await fileUrl(set, kind);
    const response = await fetch(url, {signal});
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
    bytes = await readBody(kind, response, progress);
  } catch (e) {
    if (signal.aborted) throw e;
    throw new MnistLoadError(`${name}를 내려받지 못했습니다 (${url || kind}): ${message(e)}`, {cause: e});
  }
  progress({kind, phase: "decode", loaded: bytes.length, total: bytes.length});
  try {
    const images = await decodeMnist(bytes);
    progress({kind, phase: "done", loaded: bytes.length, total: bytes.length});
    return images;
  } catch (e) {
    throw new MnistLoadError(`${name}를 읽지 못했습니다 (${url}): ${message(e)}`, {cause: e});
  }
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Read the body chunk by chunk, reporting progress; the total comes from Content-Length or the file's header. */
async function readBody(
  kind: MnistKind,
  response: Response,
  progress: (p: MnistProgress) => void
): Promise<Uint8Array> {
  const length = Number(response.headers.get("content-length"));
  let total: number | undefined = Number.isFinite(length) && length > 0 ? length : undefined;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let received = 0;
  let headerRead = total !== undefined;
  const reader = response.body.getReader();
  for (;;) {
    const {done, value} = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    if (!headerRead && received >= MNIST_HEADER_BYTES) {
      headerRead = true;
      try {
        total = readMnistHeader(concat(chunks, received)).fileBytes;
      } catch {
        // not an MNIST file: decodeMnist says why once it is all here
      }
    }
    progress({kind, phase: "download", loaded: received, total});
  }
  return concat(chunks, received);
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(length);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
