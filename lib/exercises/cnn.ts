/**
 * The exercises of chapter 2 「CNN」 that check themselves: each answer is computed by the course's own code (the
 * ConvNet Example's config, the 층 graph, the MAC counter, softmax), and each checker knows the usual wrong answers.
 * The page shows them with src/components/shared/exercise.ts; tests/unit/exercises/cnn.test.ts checks each with a
 * right and a wrong answer.
 */
import {withParticle} from "../korean.js";
import {tf} from "../tf.js";
import {CONVNET_PRESETS} from "../models/convnet.js";
import {layerCostRows} from "../analysis/pooling-cost.js";
import {softmaxCrossEntropy} from "../ops/softmax.js";
import {checkNumber, formatAnswer, type CheckResult} from "./check.js";

const EXAMPLE = CONVNET_PRESETS.example;

/** Exercise "conv-params": parameters of the ConvNet Example's conv2 (f, c_in, c_out from its config). */
export const CONV_PARAMS = (() => {
  const f = EXAMPLE.kernelSize;
  const cin = EXAMPLE.filters[0];
  const cout = EXAMPLE.filters[1];
  return {f, cin, cout, answer: (f * f * cin + 1) * cout};
})();

export function checkConvParams(value: number): CheckResult {
  const {f, cin, cout, answer} = CONV_PARAMS;
  return checkNumber(value, answer, {
    explain: `(${f}·${f}·${cin} + 1)·${cout}: 필터 하나에 가중치 ${f * f * cin}개와 bias 1개, 필터가 ${cout}개.`,
    hints: [
      {value: f * f * cin * cout, message: "bias를 빠뜨렸습니다: 필터마다 bias가 하나씩 있습니다 (+1)."},
      {
        value: (f * f + 1) * cout,
        message: `입력 채널 수 ${withParticle(`c_in = ${cin}`, "을/를")} 빠뜨렸습니다: 필터는 입력의 모든 채널을 봅니다.`
      },
      {value: f * f * cin + 1, message: `필터 하나의 파라미터입니다. 필터가 ${cout}개 있습니다.`}
    ]
  });
}

/** Exercise "pool-shape": the side of the feature map after conv1 and pool1 on the 28×28 input. */
export const POOL_SHAPE = (() => {
  const rows = layerCostRows(EXAMPLE.pooling, EXAMPLE.inputShape[0]);
  const side = (name: string) => Number(rows.find((r) => r.layer === name)!.output.split("×")[0]);
  return {n: EXAMPLE.inputShape[0], f: EXAMPLE.kernelSize, conv: side("conv1"), answer: side("pool1")};
})();

export function checkPoolShape(value: number): CheckResult {
  const {n, f, conv, answer} = POOL_SHAPE;
  return checkNumber(value, answer, {
    explain: `conv1 (${f}×${f}, padding 없음): ${n} − ${f} + 1 = ${conv}, pooling (2×2, stride 2): ${conv} / 2 = ${answer}.`,
    hints: [
      {
        value: n / 2,
        message: `pooling만 계산했습니다: padding 없는 ${f}×${f} conv가 먼저 크기를 ${n} → ${conv}로 줄입니다.`
      },
      {value: conv, message: "conv1의 출력입니다. 그 뒤의 pooling이 크기를 반으로 줄입니다."},
      {value: (n - f) / 2, message: `n − f에 1을 더해야 합니다: 출력 크기는 n − f + 1 = ${conv}.`}
    ]
  });
}

/** Exercise "conv-macs": multiply-adds of conv2, from the MAC counter (lib/analysis). */
export const CONV_MACS = (() => {
  const rows = layerCostRows(EXAMPLE.pooling, EXAMPLE.inputShape[0]);
  const conv2 = rows.find((r) => r.layer === "conv2")!;
  const [h, w, cout] = conv2.output.split("×").map(Number);
  const f = EXAMPLE.kernelSize;
  const cin = EXAMPLE.filters[0];
  const inSide = Number(rows.find((r) => r.layer === "pool1")!.output.split("×")[0]);
  return {h, w, cout, f, cin, inSide, answer: conv2.MACs};
})();

export function checkConvMacs(value: number): CheckResult {
  const {h, w, cout, f, cin, inSide, answer} = CONV_MACS;
  return checkNumber(value, answer, {
    explain: `출력 ${h}·${w}·${cout}개의 값마다 ${f}·${f}·${cin}번 곱해 더합니다: ${formatAnswer(h * w * cout)} · ${f * f * cin}.`,
    hints: [
      {value: 2 * answer, message: "FLOPs를 셌습니다 (곱셈과 덧셈을 따로). MAC은 곱셈-덧셈 한 쌍을 하나로 셉니다."},
      {
        value: h * w * cout * f * f,
        message: `입력 채널 ${cin}개를 빠뜨렸습니다: 한 출력 값은 ${f}·${f}·${cin}개의 입력을 봅니다.`
      },
      {
        value: inSide * inSide * cout * f * f * cin,
        message: `입력 크기 ${inSide}×${inSide}로 셌습니다. padding이 없어 출력은 ${h}×${w}입니다.`
      }
    ]
  });
}

/** Exercise "softmax-loss": the cross-entropy of a logit vector for its true class. */
export const SOFTMAX_LOSS = (() => {
  const logits = [2, 0, 0];
  const label = 0;
  return {logits, label, ...softmaxCrossEntropy(logits, label)};
})();

export function checkSoftmaxLoss(value: number): CheckResult {
  const {loss, pTrue} = SOFTMAX_LOSS;
  return checkNumber(value, loss, {
    tolerance: 0.005,
    explain: `p = e²/(e² + 1 + 1) = ${pTrue.toFixed(4)}, −ln p = ${loss.toFixed(4)}.`,
    hints: [
      {value: pTrue, message: "확률 p입니다. loss는 −log p입니다."},
      {value: -loss, message: "부호가 반대입니다: log p는 음수이고, loss는 −log p (양수)입니다."},
      {value: -Math.log10(pTrue), message: "상용로그(log₁₀)를 썼습니다. cross-entropy는 자연로그(ln)를 씁니다."}
    ]
  });
}

/** Exercise "small-cnn": the live cell's model must take 28×28×1, output 10 probabilities, use a conv 층, and stay small. */
export const SMALL_CNN_LIMIT = 10_000;

interface ModelLike {
  countParams(): number;
  inputs: {shape: (number | null)[]}[];
  outputs: {shape: (number | null)[]}[];
  layers: {getClassName(): string; getConfig(): Record<string, unknown>}[];
}

const isModel = (v: unknown): v is ModelLike =>
  typeof v === "object" && v !== null && "countParams" in v && "inputs" in v && "outputs" in v && "layers" in v;

export function checkSmallCnn(value: unknown): CheckResult {
  if (!isModel(value)) {
    return {ok: false, message: "셀의 마지막 값이 모델이 아닙니다. 마지막 줄에 model을 두세요."};
  }
  const input = value.inputs[0]?.shape.slice(1) ?? [];
  const output = value.outputs[0]?.shape.slice(1) ?? [];
  const params = value.countParams();
  if (JSON.stringify(input) !== JSON.stringify([28, 28, 1])) {
    return {ok: false, message: `입력 모양이 [${input.join(", ")}]입니다. MNIST 숫자는 [28, 28, 1]입니다.`};
  }
  if (JSON.stringify(output) !== JSON.stringify([10])) {
    return {ok: false, message: `출력 모양이 [${output.join(", ")}]입니다. 숫자 10개의 확률, [10]이어야 합니다.`};
  }
  if (!value.layers.some((l) => l.getClassName() === "Conv2D")) {
    return {ok: false, message: "conv 층이 없습니다: tf.layers.conv2d를 하나 이상 쓰세요."};
  }
  const last = value.layers[value.layers.length - 1];
  if (last.getConfig().activation !== "softmax") {
    return {ok: false, message: "마지막 층의 활성화 함수가 softmax가 아닙니다: 출력이 확률이 되게 하세요."};
  }
  if (params >= SMALL_CNN_LIMIT) {
    return {
      ok: false,
      message: `파라미터가 ${formatAnswer(params)}개로 ${formatAnswer(SMALL_CNN_LIMIT)}개 이상입니다. FC 층의 입력을 pooling으로 줄이거나 필터 수를 줄여 보세요.`
    };
  }
  return {
    ok: true,
    message: `파라미터 ${formatAnswer(params)}개 (< ${formatAnswer(SMALL_CNN_LIMIT)}), 입력 [28, 28, 1] → 출력 [10].`
  };
}

/** The worked answer of "small-cnn": a model that passes, built by this code (the caller disposes it). */
export function smallCnnSolution(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({inputShape: [28, 28, 1], kernelSize: 5, filters: 8, activation: "relu"}), // [24, 24, 8]
      tf.layers.maxPooling2d({poolSize: 2, strides: 2}), // [12, 12, 8]
      tf.layers.conv2d({kernelSize: 3, filters: 8, activation: "relu"}), // [10, 10, 8]
      tf.layers.maxPooling2d({poolSize: 2, strides: 2}), // [5, 5, 8]
      tf.layers.flatten(), // [200]
      tf.layers.dense({units: 10, activation: "softmax"}) // [10]
    ]
  });
}

/** The source of `smallCnnSolution`, as the solution shows it. */
export const SMALL_CNN_SOLUTION_CODE = `const model = tf.sequential({
  layers: [
    tf.layers.conv2d({inputShape: [28, 28, 1], kernelSize: 5, filters: 8, activation: "relu"}),
    tf.layers.maxPooling2d({poolSize: 2, strides: 2}),
    tf.layers.conv2d({kernelSize: 3, filters: 8, activation: "relu"}),
    tf.layers.maxPooling2d({poolSize: 2, strides: 2}),
    tf.layers.flatten(),
    tf.layers.dense({units: 10, activation: "softmax"})
  ]
});
model;`;
