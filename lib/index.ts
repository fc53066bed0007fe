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
export * from "./train/convnet-recipe.js";
export * from "./train/losses.js";
export * from "./models/convnet.js";
export * from "./models/alexnet.js";
export * from "./models/vgg.js";
export * from "./models/googlenet.js";
export * from "./models/resnet.js";
export * from "./models/registry.js";
export * from "./models/resnet-6n2.js";
export * from "./models/compare.js";
export {type BuildOptions, type ModelOptions, type ImageShape} from "./models/common.js";
export {adaptivePoolPlan, torchOutputSize} from "./models/layers/torch.js";
export * from "./models/layers/position-embedding.js";
export {
  sourceAttention,
  SourceAttention,
  type AttentionArgs,
  type AttentionScore
} from "./models/layers/source-attention.js";
export {registerCourseLayer} from "./models/layers/register.js";
export * from "./analysis/graph.js";
export * from "./analysis/flops.js";
export * from "./analysis/summary.js";
export * from "./analysis/receptive-field.js";
export * from "./analysis/dry-build.js";
export * from "./analysis/registry.js";
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
export * from "./korean.js";
export * from "./models/rnn.js";
// seq2seq's `evaluate` (greedy decoding on date examples) is `evaluateTranslation` here: `evaluate` is the loop's
export {
  ATTENTION_KINDS,
  SEQ2SEQ_DEFAULTS,
  attentionSteps,
  contextVectors,
  decodeTimes,
  evaluate as evaluateTranslation,
  seq2seq,
  translate,
  translationLoss,
  type AttentionKind,
  type AttentionSteps,
  type Decoded,
  type Encoded,
  type EncoderCell,
  type Evaluation,
  type Seq2Seq,
  type Seq2SeqOptions,
  type Translation
} from "./models/seq2seq.js";
export * from "./train/rnn-gradients.js";
export * from "./data/recall.js";
export * from "./data/windows.js";
export * from "./models/forecaster.js";
export * from "./analysis/sequential-cost.js";
export * from "./data/dates.js";
export * from "./analysis/pca.js";
export * from "./models/layers/attention.js";
export * from "./models/layers/positional-encoding.js";
export * from "./models/layers/token-embedding.js";
export * from "./models/layers/transformer-layers.js";
export {CourseLayer, type CourseLayerArgs} from "./models/layers/course-layer.js";
export * from "./models/transformer.js";
export * from "./analysis/attention-steps.js";
export * from "./analysis/attention-memory.js";
export * from "./train/deep-stack.js";
export * from "./data/fashion-mnist.js";
export * from "./models/vit.js";
export * from "./models/layers/vit-layers.js";
export * from "./models/layers/vision-attention.js";
export * from "./analysis/swin.js";
export * from "./models/swin.js";
export * from "./models/layers/swin-layers.js";
export * from "./analysis/swin-cost.js";
export * from "./ops/patches.js";
export {
  cosineSimilarityMatrix,
  positionStructure,
  headMean,
  attentionRollout,
  classTokenToPatches,
  foregroundShare,
  vitForwardWithMaps,
  positionEmbeddingRows,
  type DistanceBin,
  type PositionStructure,
  type ForegroundShare
} from "./analysis/vit-maps.js";
export * from "./train/augment.js";
export * from "./train/distill.js";
