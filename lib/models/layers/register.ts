/**
 * One call for a course layer class (`class … extends tf.layers.Layer` in lib/models/layers/): register it with
 * TF.js's serialization, so a saved model that uses it loads again (`tf.loadLayersModel` finds the class by its
 * static `className`), and register its analysis (parameters, MACs, FLOPs, receptive field) in the table of
 * lib/analysis/registry.ts, so the counters and diagrams know it.
 */
import {tf} from "../../tf.js";
import {registerLayerAnalysis, type LayerAnalysis} from "../../analysis/registry.js";

/** A layer class with the static `className` that serialization needs. */
export type CourseLayerClass = tf.serialization.SerializableConstructor<tf.layers.Layer> & {className: string};

export function registerCourseLayer(cls: CourseLayerClass, analysis: LayerAnalysis): void {
  tf.serialization.registerClass(cls);
  registerLayerAnalysis(cls.className, analysis);
}
