/**
 * The trained ConvNet Example looked at from inside (chapter 2 「CNN」): the feature maps of one test digit, and the
 * mistakes the network was surest about. The numbers come from lib/analysis (tested there); this file draws.
 */
import {tf} from "../../lib/tf.js";
import {layerActivations} from "../../lib/analysis/feature-maps.js";
import {confidentMistakes} from "../../lib/analysis/mistakes.js";
import {featureMapGrid} from "../../lib/viz/grids.js";
import type {MnistSet} from "../../lib/data/mnist.js";
import {imshowOf, panels} from "../shared/imshow.js";
import {digitGallery} from "./draw-digit.js";

/** The 층 whose outputs the feature-map view shows, in order. */
export const PROBE_LAYERS = ["conv1", "pool1", "conv2", "pool2"] as const;

/** Test digit `index` and its feature maps after each of `PROBE_LAYERS`. */
export function featureMapPanels(model: tf.LayersModel, testSet: MnistSet, index: number): HTMLElement {
  const pixels = testSet.images.subarray(index * 784, (index + 1) * 784);
  const acts = layerActivations(model, PROBE_LAYERS, pixels);
  try {
    return panels(
      imshowOf(
        () =>
          tf.tensor3d(
            Float32Array.from(pixels, (v) => v / 255),
            [28, 28, 1]
          ),
        {
          width: 96,
          caption: `입력: ${testSet.labels[index]}`
        }
      ),
      ...PROBE_LAYERS.map((name, i) =>
        featureMapGrid(acts[i] as tf.Tensor4D, {
          width: 250,
          columns: i < 2 ? 4 : 8,
          tileSize: i < 2 ? 44 : 26,
          caption: `${name} ${acts[i].shape.slice(1).join("×")}`
        })
      )
    );
  } finally {
    tf.dispose(acts);
  }
}

/** The `top` most confident mistakes on the test set as a captioned gallery ("정답 → 예측"). */
export function mistakesView(
  testSet: MnistSet,
  test: {predicted: ArrayLike<number>; confidence: ArrayLike<number>},
  top = 24
): HTMLElement {
  const {count, top: shown} = confidentMistakes(testSet.labels, test.predicted, test.confidence, top);
  const root = document.createElement("div");
  const p = document.createElement("p");
  p.dataset.testid = "mistakes";
  p.textContent =
    count === 0
      ? `테스트 숫자 ${testSet.count.toLocaleString()}개를 모두 맞혔습니다.`
      : `틀린 숫자 ${count.toLocaleString()}개 중, 네트워크가 가장 확신했던 ${shown.length}개 (정답 → 예측, 확률):`;
  root.append(
    p,
    digitGallery(
      testSet.images,
      shown.map((m) => ({index: m.index, caption: `${m.label} → ${m.predicted} (${Math.round(m.confidence * 100)}%)`}))
    )
  );
  return root;
}
