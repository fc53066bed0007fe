/**
 * The test digits a classifier got wrong, most confident first (chapter 2 「CNN」, the ConvNet Example's results):
 * the mistakes the network was surest about are the ones worth looking at.
 */

export interface Mistake {
  /** Index in the test set. */
  index: number;
  label: number;
  predicted: number;
  /** Probability the model gave its (wrong) prediction. */
  confidence: number;
}

/** All mistakes (count) and the `top` most confident ones; ties keep test-set order. */
export function confidentMistakes(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  confidence: ArrayLike<number>,
  top = 24
): {count: number; top: Mistake[]} {
  if (labels.length !== predicted.length || labels.length !== confidence.length) {
    throw new RangeError(`labels, predictions and confidences differ in length`);
  }
  const wrong: number[] = [];
  for (let i = 0; i < labels.length; i++) if (predicted[i] !== labels[i]) wrong.push(i);
  const sorted = [...wrong].sort((a, b) => confidence[b] - confidence[a] || a - b);
  return {
    count: wrong.length,
    top: sorted
      .slice(0, top)
      .map((index) => ({index, label: labels[index], predicted: predicted[index], confidence: confidence[index]}))
  };
}
