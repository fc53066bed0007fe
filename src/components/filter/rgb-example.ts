/**
 * The worked RGB example of chapter 1 (claim F5): a [h, w, 3] input patch shown channel by channel, a filter bank
 * [f, f, 3, c_out] shown filter by filter and channel by channel, and the output [h', w', c_out], one matrix per
 * output channel. The top-left window of the input and the top-left output are highlighted.
 */
import {tf} from "../../lib/tf.js";
import {html} from "../shared/html.js";
import {matrixOf, panels} from "../shared/imshow.js";

const CHANNELS = [
  ["R", "red"],
  ["G", "green"],
  ["B", "blue"]
] as const;

export interface RgbExampleOptions {
  /** Input patch [h, w, 3]. */
  patch: tf.Tensor3D;
  /** Filter bank [f, f, 3, c_out]. */
  bank: tf.Tensor4D;
  /** tf.conv2d's output [h', w', c_out]. */
  output: tf.Tensor3D;
  /** Largest input value, for a shared colour scale (default: the patch's max). */
  max?: number;
}

export function rgbExample({patch, bank, output, max}: RgbExampleOptions): HTMLElement {
  const [h, w] = patch.shape;
  const [f, , , cOut] = bank.shape;
  const [oh, ow] = output.shape;
  const top = max ?? tf.tidy(() => patch.max().dataSync()[0]);
  // the f×f window of the first output position
  const window = Array.from({length: f}, (_, r) =>
    Array.from({length: f}, (_, c) => [r, c] as [number, number])
  ).flat();
  const cell = 30;
  const channelOf = (t: tf.Tensor3D, i: number) => () => t.slice([0, 0, i], [-1, -1, 1]).squeeze([2]) as tf.Tensor2D;
  const inputs = CHANNELS.map(([c, cmap], i) =>
    matrixOf(channelOf(patch, i), {caption: `x ${c}`, cell, min: 0, max: top, cmap, highlight: window})
  );
  const filter = (o: number) =>
    CHANNELS.map(([c], i) =>
      matrixOf(() => bank.slice([0, 0, i, o], [f, f, 1, 1]).reshape([f, f]) as tf.Tensor2D, {
        caption: `K${o + 1} ${c}`,
        cell,
        cmap: "diverging"
      })
    );
  const outputs = Array.from({length: cOut}, (_, o) =>
    matrixOf(channelOf(output, o), {caption: `출력 채널 ${o + 1}`, cell, cmap: "diverging", highlight: [[0, 0]]})
  );
  return html`<div class="rgb-example">
    <div class="rgb-row">
      <b>입력 x<br />${h}×${w}×3</b>${panels(...inputs)}
    </div>
    ${Array.from(
      {length: cOut},
      (_, o) =>
        html`<div class="rgb-row">
          <b>필터 ${o + 1}<br />${f}×${f}×3</b>${panels(...filter(o))}
        </div>`
    )}
    <div class="rgb-row">
      <b>출력<br />${oh}×${ow}×${cOut}</b>${panels(...outputs)}
    </div>
  </div>` as HTMLElement;
}
