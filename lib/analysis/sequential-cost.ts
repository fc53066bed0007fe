/**
 * Chapter 4 「RNN」, claim R3 (slow and sequential, measured): time per sequence against its length T for a
 * recurrent forward pass and for one self-attention layer of the same width D, on the active backend.
 *
 * The RNN's T steps must run one after another (h_t needs h_{t−1}): T dependent steps of O(D²) work, O(T·D²) in all.
 * Self-attention (Vaswani et al., "Attention Is All You Need", NeurIPS 2017, one head, no output projection)
 * computes every position at once: 1 step of O(T·D² + T²·D) work. On a parallel device the step count decides
 * for short sequences; the T² term can make attention slower in absolute time for long ones. The numbers are
 * measured, never assumed: the page reports what this device did.
 */
import {tf} from "../tf.js";
import {simpleRnnStep, type RnnWeights} from "../models/rnn.js";
import {mulberry32} from "../random.js";

/** softmax(Q Kᵀ / √D) V with Q = xW_q, K = xW_k, V = xW_v. x [B, T, D] -> [B, T, D]. */
export function selfAttention(x: tf.Tensor3D, w: {q: tf.Tensor2D; k: tf.Tensor2D; v: tf.Tensor2D}): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, t, d] = x.shape;
    const flat = tf.reshape(x, [b * t, d]) as tf.Tensor2D; // [B·T, D]
    const project = (m: tf.Tensor2D) => tf.reshape(tf.matMul(flat, m), [b, t, m.shape[1]]) as tf.Tensor3D;
    const q = project(w.q); // [B, T, D]
    const k = project(w.k);
    const v = project(w.v);
    const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(w.q.shape[1])); // [B, T, T]
    return tf.matMul(tf.softmax(scores), v) as tf.Tensor3D; // [B, T, D]
  });
}

export interface SequenceTiming {
  length: number;
  /** Median ms for one sequence through a SimpleRNN of width D (T dependent steps). */
  rnnMs: number;
  /** Median ms for one sequence through one self-attention layer of width D. */
  attentionMs: number;
  /** Steps that must run one after another: T for the RNN. */
  rnnSteps: number;
  /** 1 for attention. */
  attentionSteps: number;
}

export interface TimeSequenceOptions {
  /** D: input and hidden width of both. */
  width: number;
  /**
   * Timed samples per length (after a warm-up); the median is reported. A sample runs the sequence as many times as
   * fill about 5 ms and divides. Default 3.
   */
  repeats?: number;
  signal?: AbortSignal;
  /** Seed of the random weights and inputs. Default 1. */
  seed?: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function randomMatrix(rows: number, cols: number, rand: () => number, scale: number): tf.Tensor2D {
  return tf.tensor2d(
    Float32Array.from({length: rows * cols}, () => (rand() * 2 - 1) * scale),
    [rows, cols]
  );
}

/**
 * Wall time per call of `f`, `times` calls in a row, until the last result is read back (so an asynchronous backend
 * has really finished).
 */
async function timeOnce(f: () => tf.Tensor, times = 1): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < times; i++) {
    const out = f();
    if (i === times - 1) await out.data();
    out.dispose();
  }
  return (performance.now() - t0) / times;
}

/** Calls per timed sample so that one sample lasts about `targetMs` (browsers round timers to 0.1 ms or more). */
const callsFor = (ms: number, targetMs = 5) => Math.max(1, Math.min(1000, Math.ceil(targetMs / Math.max(ms, 0.01))));

/**
 * Measure both on one sequence [1, T, D] per length. Stops early (returning what it has) when `signal` aborts.
 * Every tensor it makes is disposed.
 */
export async function timeSequenceOps(lengths: number[], opts: TimeSequenceOptions): Promise<SequenceTiming[]> {
  const {width: d, repeats = 3, signal, seed = 1} = opts;
  const rand = mulberry32(seed);
  const scale = 1 / Math.sqrt(d);
  const rnn: RnnWeights = {
    kernel: randomMatrix(d, d, rand, scale),
    recurrentKernel: randomMatrix(d, d, rand, scale),
    bias: tf.zeros([d])
  };
  const att = {
    q: randomMatrix(d, d, rand, scale),
    k: randomMatrix(d, d, rand, scale),
    v: randomMatrix(d, d, rand, scale)
  };
  const results: SequenceTiming[] = [];
  try {
    for (const length of lengths) {
      if (signal?.aborted) break;
      const x = tf.tensor3d(
        Float32Array.from({length: length * d}, () => rand() * 2 - 1),
        [1, length, d]
      );
      // the recurrence: T dependent steps, only h_T kept
      const runRnn = () =>
        tf.tidy(() => {
          let h = tf.zeros([1, d]) as tf.Tensor2D;
          const steps = tf.unstack(x, 1) as tf.Tensor2D[];
          for (const xt of steps) h = simpleRnnStep(xt, h, rnn);
          return h;
        });
      const runAttention = () => selfAttention(x, att);
      const rnnTimes: number[] = [];
      const attTimes: number[] = [];
      try {
        await timeOnce(runRnn); // warm-up (kernel compilation, memory)
        await timeOnce(runAttention);
        const rnnCalls = callsFor(await timeOnce(runRnn));
        const attCalls = callsFor(await timeOnce(runAttention));
        for (let r = 0; r < repeats && !signal?.aborted; r++) {
          rnnTimes.push(await timeOnce(runRnn, rnnCalls));
          attTimes.push(await timeOnce(runAttention, attCalls));
        }
      } finally {
        x.dispose();
      }
      if (rnnTimes.length === 0) break;
      results.push({
        length,
        rnnMs: median(rnnTimes),
        attentionMs: median(attTimes),
        rnnSteps: length,
        attentionSteps: 1
      });
    }
  } finally {
    tf.dispose([rnn.kernel, rnn.recurrentKernel, rnn.bias, att.q, att.k, att.v]);
  }
  return results;
}
