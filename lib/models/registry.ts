/**
 * Every model of chapter 3 「CNN Model 비교」 by name, with what a comparison table needs: the paper, its year and
 * key idea, and the reference figures of torchvision's weights (parameters, multiply-adds, ImageNet accuracy).
 *
 * - `MODELS.vgg16({inputShape, numClasses, weights, seed})` builds the paper-sized network (default 224×224×3,
 *   1000 classes). Pass `weights: "zeros"` to count parameters or FLOPs: it then builds in about a second even for
 *   VGG-19 (575 MB of zeros); random initialisation of the big ones takes far longer.
 * - Other input sizes work down to torchvision's minimum (`min_size`: AlexNet 63², VGG 32², GoogLeNet 15², ResNet
 *   1²). GoogLeNet and ResNet end in global average pooling, so their parameters do not change. AlexNet and VGG
 *   pool adaptively to 6×6 / 7×7 before the classifier, as torchvision, so theirs do not change either; the
 *   pooling is exact or differs only in border weights (`adaptivePoolPlan` in ./layers/torch.ts).
 * - `FAMILIES.vgg.tiny()` builds the family's `tiny` preset (28×28×1 digits, 10 classes, a few ten thousand
 *   parameters) that trains in a browser tab; `TINY_MODELS` is the same by family name.
 */
import {tf} from "../tf.js";
import {ALEXNET_PRESETS, buildAlexNet, type AlexNetConfig} from "./alexnet.js";
import type {ModelOptions} from "./common.js";
import {buildGoogLeNet, GOOGLENET_PRESETS, type GoogLeNetConfig} from "./googlenet.js";
import {buildResNet, RESNET_PRESETS, type ResNetConfig} from "./resnet.js";
import {buildVgg, VGG_PRESETS, type VggConfig} from "./vgg.js";

export type ModelName =
  | "alexnet"
  | "vgg11"
  | "vgg13"
  | "vgg16"
  | "vgg19"
  | "googlenet"
  | "resnet18"
  | "resnet34"
  | "resnet50"
  | "resnet101"
  | "resnet152";

export type FamilyName = "alexnet" | "vgg" | "googlenet" | "resnet";

/** Builds one model; options override the preset's input shape and class count (see `ModelOptions`). */
export type ModelBuilder = (opts?: ModelOptions) => tf.LayersModel;

/** A preset with the caller's input shape and class count, and the build options apart. */
function withShape<C extends {inputShape: ModelOptions["inputShape"]; numClasses: number}>(
  preset: C,
  opts: ModelOptions
) {
  const {inputShape = preset.inputShape, numClasses = preset.numClasses, ...build} = opts;
  return [{...preset, inputShape, numClasses}, build] as const;
}

const alexnet =
  (preset: AlexNetConfig): ModelBuilder =>
  (opts = {}) =>
    buildAlexNet(...withShape(preset, opts));
const vgg =
  (preset: VggConfig): ModelBuilder =>
  (opts = {}) =>
    buildVgg(...withShape(preset, opts));
const googlenet =
  (preset: GoogLeNetConfig): ModelBuilder =>
  (opts = {}) =>
    buildGoogLeNet(...withShape(preset, opts));
const resnet =
  (preset: ResNetConfig): ModelBuilder =>
  (opts = {}) =>
    buildResNet(...withShape(preset, opts));

/** The paper-sized networks, as torchvision's functions of the same names (GoogLeNet without auxiliary heads). */
export const MODELS: Record<ModelName, ModelBuilder> = {
  alexnet: alexnet(ALEXNET_PRESETS.alexnet),
  vgg11: vgg(VGG_PRESETS.vgg11),
  vgg13: vgg(VGG_PRESETS.vgg13),
  vgg16: vgg(VGG_PRESETS.vgg16),
  vgg19: vgg(VGG_PRESETS.vgg19),
  googlenet: googlenet(GOOGLENET_PRESETS.googlenet),
  resnet18: resnet(RESNET_PRESETS.resnet18),
  resnet34: resnet(RESNET_PRESETS.resnet34),
  resnet50: resnet(RESNET_PRESETS.resnet50),
  resnet101: resnet(RESNET_PRESETS.resnet101),
  resnet152: resnet(RESNET_PRESETS.resnet152)
};

/** Each family's `tiny` preset: 28×28×1 in, 10 classes out, trainable in a browser tab. */
export const TINY_MODELS: Record<FamilyName, ModelBuilder> = {
  alexnet: alexnet(ALEXNET_PRESETS.tiny),
  vgg: vgg(VGG_PRESETS.tiny),
  googlenet: googlenet(GOOGLENET_PRESETS.tiny),
  resnet: resnet(RESNET_PRESETS.tiny)
};

/**
 * Figures published with torchvision's ImageNet weights (`IMAGENET1K_V1` meta in torchvision's model files and
 * the docs' table): `params` = `sum(p.numel() for p in model.parameters())`; `gmacs` = the "GFLOPS" column
 * (`_ops`), which counts one multiply-add of the convolutions and linear layers as one operation; top-1 accuracy
 * on ImageNet-1K validation, one 224² crop.
 */
export interface ReferenceFigures {
  params: number;
  gmacs: number;
  top1: number;
}

export interface ModelInfo {
  name: ModelName;
  family: FamilyName;
  /** Display name, e.g. "VGG-16". */
  title: string;
  /** Weight layers (convolutions and fully connected) on the longest path, as the papers count depth. */
  depth: number;
  torchvision: ReferenceFigures;
}

export interface FamilyInfo {
  family: FamilyName;
  title: string;
  year: number;
  paper: {title: string; authors: string; venue: string; url: string};
  /** The idea the chapter teaches, in one line. */
  keyIdea: string;
  keyIdeaKo: string;
  models: ModelName[];
  tiny: ModelBuilder;
}

export const MODEL_INFO: Record<ModelName, ModelInfo> = {
  alexnet: {
    name: "alexnet",
    family: "alexnet",
    title: "AlexNet",
    depth: 8,
    torchvision: {params: 61_100_840, gmacs: 0.714, top1: 56.522}
  },
  vgg11: {
    name: "vgg11",
    family: "vgg",
    title: "VGG-11",
    depth: 11,
    torchvision: {params: 132_863_336, gmacs: 7.609, top1: 69.02}
  },
  vgg13: {
    name: "vgg13",
    family: "vgg",
    title: "VGG-13",
    depth: 13,
    torchvision: {params: 133_047_848, gmacs: 11.308, top1: 69.928}
  },
  vgg16: {
    name: "vgg16",
    family: "vgg",
    title: "VGG-16",
    depth: 16,
    torchvision: {params: 138_357_544, gmacs: 15.47, top1: 71.592}
  },
  vgg19: {
    name: "vgg19",
    family: "vgg",
    title: "VGG-19",
    depth: 19,
    torchvision: {params: 143_667_240, gmacs: 19.632, top1: 72.376}
  },
  googlenet: {
    name: "googlenet",
    family: "googlenet",
    title: "GoogLeNet",
    depth: 22,
    torchvision: {params: 6_624_904, gmacs: 1.498, top1: 69.778}
  },
  resnet18: {
    name: "resnet18",
    family: "resnet",
    title: "ResNet-18",
    depth: 18,
    torchvision: {params: 11_689_512, gmacs: 1.814, top1: 69.758}
  },
  resnet34: {
    name: "resnet34",
    family: "resnet",
    title: "ResNet-34",
    depth: 34,
    torchvision: {params: 21_797_672, gmacs: 3.664, top1: 73.314}
  },
  resnet50: {
    name: "resnet50",
    family: "resnet",
    title: "ResNet-50",
    depth: 50,
    torchvision: {params: 25_557_032, gmacs: 4.089, top1: 76.13}
  },
  resnet101: {
    name: "resnet101",
    family: "resnet",
    title: "ResNet-101",
    depth: 101,
    torchvision: {params: 44_549_160, gmacs: 7.801, top1: 77.374}
  },
  resnet152: {
    name: "resnet152",
    family: "resnet",
    title: "ResNet-152",
    depth: 152,
    torchvision: {params: 60_192_808, gmacs: 11.514, top1: 78.312}
  }
};

/** The four families in publication order. */
export const FAMILIES: Record<FamilyName, FamilyInfo> = {
  alexnet: {
    family: "alexnet",
    title: "AlexNet",
    year: 2012,
    paper: {
      title: "ImageNet Classification with Deep Convolutional Neural Networks",
      authors: "Krizhevsky, Sutskever, Hinton",
      venue: "NeurIPS 2012",
      url: "https://papers.nips.cc/paper/2012/hash/c399862d3b9d6b76c8436e924a68c45b-Abstract.html"
    },
    keyIdea: "A deep CNN trained on GPUs with ReLU, dropout and data augmentation wins ImageNet by a wide margin.",
    keyIdeaKo: "ReLU, dropout, data augmentation과 GPU 학습으로 깊은 CNN이 ImageNet에서 큰 차이로 우승",
    models: ["alexnet"],
    tiny: TINY_MODELS.alexnet
  },
  vgg: {
    family: "vgg",
    title: "VGGNet",
    year: 2014,
    paper: {
      title: "Very Deep Convolutional Networks for Large-Scale Image Recognition",
      authors: "Simonyan, Zisserman",
      venue: "ICLR 2015",
      url: "https://arxiv.org/abs/1409.1556"
    },
    keyIdea: "Only 3×3 convolutions, stacked deep: two 3×3 see what one 5×5 sees, with fewer parameters.",
    keyIdeaKo: "3×3 convolution만 깊게 쌓기: 3×3 두 층은 5×5 한 층과 같은 영역을 더 적은 파라미터로 본다",
    models: ["vgg11", "vgg13", "vgg16", "vgg19"],
    tiny: TINY_MODELS.vgg
  },
  googlenet: {
    family: "googlenet",
    title: "GoogLeNet",
    year: 2014,
    paper: {
      title: "Going Deeper with Convolutions",
      authors: "Szegedy, Liu, Jia, Sermanet, Reed, Anguelov, Erhan, Vanhoucke, Rabinovich",
      venue: "CVPR 2015",
      url: "https://arxiv.org/abs/1409.4842"
    },
    keyIdea:
      "Inception modules run 1×1, 3×3, 5×5 and pooling side by side, with 1×1 reductions, auxiliary classifiers " +
      "and global average pooling: 22 layers with 12× fewer parameters than AlexNet.",
    keyIdeaKo:
      "Inception module: 1×1, 3×3, 5×5, pooling을 나란히 두고 1×1로 채널을 줄임. 보조 분류기와 global average " +
      "pooling으로 22층, AlexNet보다 12배 적은 파라미터",
    models: ["googlenet"],
    tiny: TINY_MODELS.googlenet
  },
  resnet: {
    family: "resnet",
    title: "ResNet",
    year: 2015,
    paper: {
      title: "Deep Residual Learning for Image Recognition",
      authors: "He, Zhang, Ren, Sun",
      venue: "CVPR 2016",
      url: "https://arxiv.org/abs/1512.03385"
    },
    keyIdea: "Residual blocks learn F(x) and add x back, so 152-layer networks still train.",
    keyIdeaKo: "Residual block은 F(x)를 배우고 x를 더한다: 152층도 학습된다",
    models: ["resnet18", "resnet34", "resnet50", "resnet101", "resnet152"],
    tiny: TINY_MODELS.resnet
  }
};

/** All registry names, in publication order. */
export const MODEL_NAMES = Object.keys(MODELS) as ModelName[];
