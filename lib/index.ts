/**
 * The course library in one namespace: what a live cell sees as `lib` (and as bare names).
 * Each module says which chapter teaches it.
 */
export * from "./ops/kernels.js";
export * from "./ops/conv.js";
export * from "./ops/gradient.js";
export * from "./ops/image.js";
export * from "./ops/edges.js";
export * from "./ops/orientation.js";
export * from "./viz/colormap.js";
export * from "./random.js";
export {setupBackend, backendInfo} from "./tf.js";
export * from "./backend/kernels.js";
export * from "./backend/choose.js";
export * from "./train/loop.js";
export * from "./models/convnet.js";
export * from "./models/alexnet.js";
export * from "./models/vgg.js";
export * from "./models/googlenet.js";
export * from "./models/resnet.js";
export * from "./models/registry.js";
export * from "./models/resnet-6n2.js";
export * from "./models/compare.js";
export {
  adaptivePoolPlan,
  torchOutputSize,
  type BuildOptions,
  type ModelOptions,
  type ImageShape
} from "./models/common.js";
export * from "./analysis/graph.js";
export * from "./analysis/flops.js";
export * from "./analysis/summary.js";
export * from "./analysis/receptive-field.js";
export * from "./analysis/dry-build.js";
export * from "./viz/loss-curve.js";
export * from "./viz/confusion.js";
export * from "./viz/grids.js";
export * from "./viz/arch.js";
export * from "./train/grad-norms.js";
export * from "./train/side-by-side.js";
export * from "./models/mlp.js";
export * from "./ops/shift.js";
export * from "./ops/pooling.js";
export * from "./data/mnist.js";
export * from "./data/digit.js";
export * from "./exercises/check.js";
export * from "./glossary.js";
export * from "./ops/permute.js";
export * from "./ops/softmax.js";
