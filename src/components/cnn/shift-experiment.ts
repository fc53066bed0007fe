/**
 * Claim C2 (position invariance): a CNN and an MLP of about the same size train on the same MNIST images,
 * then classify the test images shifted sideways by −4…+4 pixels. Runs when the reader presses the button.
 */
import {tf} from "../../lib/tf.js";
import {convNet, CONVNET_PRESETS} from "../../lib/models/convnet.js";
import {mlp} from "../../lib/models/mlp.js";
import {shiftImages} from "../../lib/ops/shift.js";
import {train, evaluate} from "../../lib/train/loop.js";
import {loadDigits} from "../shared/digits.js";

export interface ShiftRow {
  model: "CNN" | "MLP";
  shift: number;
  accuracy: number;
}

export const SHIFTS = [-4, -3, -2, -1, 0, 1, 2, 3, 4];

/** Train both models on `examples` training images and measure accuracy per shift on `testCount` test images. */
export async function runShiftExperiment(
  {examples = 12_000, testCount = 2_000, signal}: {examples?: number; testCount?: number; signal?: AbortSignal},
  onStatus: (s: string) => void
): Promise<{rows: ShiftRow[]; params: Record<"CNN" | "MLP", number>}> {
  const {train: data, test} = await loadDigits({train: examples, test: testCount, signal, onProgress: onStatus});
  const rows: ShiftRow[] = [];
  const params = {CNN: 0, MLP: 0};
  try {
    for (const name of ["CNN", "MLP"] as const) {
      const model = name === "CNN" ? convNet(CONVNET_PRESETS.example, 1) : mlp({}, 1);
      const optimizer = tf.train.adam(0.002);
      params[name] = model.countParams();
      try {
        let batches = 0;
        for await (const e of train({model, optimizer, train: data, epochs: 1, batchSize: 32, seed: 2, signal})) {
          if (e.type === "batch" && ++batches % 20 === 0) {
            onStatus(`${name} 학습 중… ${Math.round((100 * (e.batch + 1)) / e.batches)}%`);
          }
        }
        signal?.throwIfAborted();
        onStatus(`${name}: 이동한 테스트 이미지 평가 중…`);
        for (const shift of SHIFTS) {
          const xs = shiftImages(test.xs as tf.Tensor4D, shift, 0);
          const {accuracy} = await evaluate(model, {xs, ys: test.ys});
          xs.dispose();
          rows.push({model: name, shift, accuracy});
        }
      } finally {
        optimizer.dispose();
        model.dispose();
      }
    }
  } finally {
    tf.dispose([data.xs, data.ys, test.xs, test.ys]);
  }
  return {rows, params};
}
