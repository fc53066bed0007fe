/** Architecture layouts from the models' own layer graphs (lib/viz/arch.ts), for every family. */
import {describe, expect, test} from "vitest";
import {dryGraph} from "../../../lib/analysis/dry-build.js";
import {countFlops} from "../../../lib/analysis/flops.js";
import {weightLayerCount} from "../../../lib/analysis/summary.js";
import {buildResNet} from "../../../lib/models/resnet.js";
import {resnet6n2Config} from "../../../lib/models/resnet-6n2.js";
import {MODELS, TINY_MODELS, type ModelName} from "../../../lib/models/registry.js";
import {archBlocks, archStages, blockPrefix, moduleLayout, stageLayout, type Box} from "../../../lib/viz/arch.js";

const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe("archStages", () => {
  test.each<[ModelName, string[]]>([
    ["alexnet", ["conv1", "conv2", "conv3", "head"]],
    ["vgg19", ["conv1", "conv2", "conv3", "conv4", "conv5", "head"]],
    ["googlenet", ["stem1", "stem2", "inception3", "inception4", "inception5", "head"]],
    ["resnet18", ["stem", "layer1", "layer2", "layer3", "layer4", "head"]],
    ["resnet152", ["stem", "layer1", "layer2", "layer3", "layer4", "head"]]
  ])("%s: stages, and their parameters and layers add up to the model's", (name, expected) => {
    const graph = dryGraph(() => MODELS[name]());
    const stages = archStages(graph);
    expect(stages.map((s) => s.name)).toEqual(expected);
    expect(stages.reduce((n, s) => n + s.params, 0)).toBe(countFlops(graph, {output: 0}).trainableParams);
    expect(stages.reduce((n, s) => n + s.macs, 0)).toBe(countFlops(graph, {output: 0}).macs);
    expect(stages.reduce((n, s) => n + s.weightLayers, 0)).toBe(weightLayerCount(graph).depth);
    expect(stages.at(-1)!.outputShape).toEqual([1000]);
  });

  test("labels say what a stage repeats", () => {
    const vgg = archStages(dryGraph(() => MODELS.vgg16()));
    expect(vgg[2].label).toBe("conv 3×3 ×3 → max pool 2×2/2");
    expect(vgg[2].outputShape).toEqual([28, 28, 256]);
    const resnet = archStages(dryGraph(() => MODELS.resnet152()));
    expect(resnet.map((s) => s.label)).toEqual([
      "conv 7×7/2 → max pool 3×3/2",
      "residual (bottleneck) ×3",
      "residual (bottleneck) ×8",
      "residual (bottleneck) ×36",
      "residual (bottleneck) ×3",
      "GAP → fc"
    ]);
    const google = archStages(dryGraph(() => MODELS.googlenet()));
    expect(google[3].label).toBe("Inception ×5 → max pool 2×2/2");
  });

  test("a plain network's blocks are called plain; the tiny presets have stages too", () => {
    const plain = archBlocks(dryGraph(() => buildResNet(resnet6n2Config(20, {residual: false}))));
    expect(plain.filter((b) => b.kind === "residual").map((b) => b.label)).toEqual(Array(9).fill("plain (basic)"));
    for (const build of Object.values(TINY_MODELS)) {
      const stages = archStages(dryGraph(() => build()));
      expect(stages.at(-1)!.name).toBe("head");
      expect(stages.at(-1)!.outputShape).toEqual([10]);
    }
  });

  test("auxiliary classifiers are blocks off the main path", () => {
    const blocks = archBlocks(dryGraph(() => MODELS.googlenet({name: "g"})));
    expect(blocks.some((b) => b.kind === "aux")).toBe(false);
    expect(blockPrefix("aux1.fc2")).toBe("aux1");
    expect(blockPrefix("inception4e.branch3.1.conv")).toBe("inception4e");
    expect(blockPrefix("layer3.12.downsample.0")).toBe("layer3.12");
    expect(blockPrefix("features.0")).toBeNull();
  });
});

describe("stageLayout", () => {
  const stages = archStages(dryGraph(() => MODELS.resnet50()));
  test.each([1100, 700, 300])("at width %i the boxes fit, do not overlap, and are joined in order", (width) => {
    const layout = stageLayout(stages, {width, minBoxWidth: 128});
    expect(layout.boxes).toHaveLength(6);
    expect(layout.arrows).toHaveLength(5);
    for (const [i, a] of layout.boxes.entries()) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.x + a.width).toBeLessThanOrEqual(width);
      expect(a.y + a.height).toBeLessThanOrEqual(layout.height);
      for (const b of layout.boxes.slice(i + 1)) expect(overlap(a, b)).toBe(false);
    }
    // one row when six boxes of 128 px fit
    expect(new Set(layout.boxes.map((b) => b.y)).size).toBe(
      width >= 6 * 128 + 5 * 22 ? 1 : Math.ceil(6 / Math.floor((width + 22) / 150))
    );
    // the feature-map bar follows √(H·W): 56 → 7 is 8× smaller
    expect(layout.boxes[1].mapHeight / layout.boxes[4].mapHeight).toBeCloseTo(8, 5);
  });
});

describe("moduleLayout", () => {
  const google = dryGraph(() => MODELS.googlenet());
  test("an Inception module: input, four branches, concat with the channel sum", () => {
    const m = moduleLayout(google, "inception3a", {width: 640});
    expect(m.kind).toBe("inception");
    expect(m.nodes.map((n) => n.label)).toEqual([
      "input",
      "conv 1×1, 64",
      "conv 1×1, 96",
      "conv 3×3, 128",
      "conv 1×1, 16",
      "conv 3×3, 32",
      "max pool 3×3",
      "conv 1×1, 32",
      "concat"
    ]);
    expect(m.nodes.map((n) => n.column)).toEqual([-1, 0, 1, 1, 2, 2, 3, 3, -1]);
    expect(m.nodes.map((n) => n.row)).toEqual([0, 1, 1, 2, 1, 2, 1, 2, 3]);
    expect(m.nodes[1].extra).toBe("BN, ReLU");
    expect(m.nodes.at(-1)!.outputShape).toEqual([28, 28, 256]);
    expect(m.channelSum).toBe("64 + 128 + 32 + 32 = 256");
    expect(m.edges).toHaveLength(11);
    // parameters of the nodes add up to the module's
    const block = archBlocks(google).find((b) => b.name === "inception3a")!;
    expect(m.nodes.reduce((n, x) => n + x.params, 0)).toBe(block.params);
    for (const [i, a] of m.nodes.entries()) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.x + a.width).toBeLessThanOrEqual(640);
      for (const b of m.nodes.slice(i + 1)) expect(overlap(a, b)).toBe(false);
    }
    // edges start at the bottom of their source and end at the top of their target
    for (const e of m.edges) {
      const [from, to] = [m.nodes[e.from], m.nodes[e.to]];
      expect(e.points[0][1]).toBe(from.y + from.height);
      expect(e.points.at(-1)![1]).toBe(to.y);
    }
  });

  test("a basic residual block: two convolutions and an identity shortcut in its own lane", () => {
    const m = moduleLayout(
      dryGraph(() => MODELS.resnet18()),
      "layer1.0"
    );
    expect(m.kind).toBe("residual");
    expect(m.nodes.map((n) => `${n.label} [${n.extra}]`)).toEqual([
      "input []",
      "conv 3×3, 64 [BN, ReLU]",
      "conv 3×3, 64 [BN]",
      "add [ReLU]"
    ]);
    const shortcut = m.edges.filter((e) => e.shortcut);
    expect(shortcut.map((e) => [e.from, e.to])).toEqual([[0, 3]]);
    // the lane is right of the main path
    expect(shortcut[0].points[1][0]).toBeGreaterThan(m.nodes[1].x + m.nodes[1].width);
    expect(m.channelSum).toBe("F(x) 56×56×64 + shortcut 56×56×64 → 56×56×64");
  });

  test("a downsampling block: the shortcut is a 1×1/2 projection; bottlenecks have three convolutions", () => {
    const r18 = moduleLayout(
      dryGraph(() => MODELS.resnet18()),
      "layer2.0"
    );
    const projection = r18.nodes.filter((n) => n.shortcut);
    expect(projection.map((n) => n.label)).toEqual(["conv 1×1/2, 128"]);
    expect(r18.edges.some((e) => e.shortcut)).toBe(false);
    expect(r18.nodes.find((n) => n.kind === "conv" && !n.shortcut)!.label).toBe("conv 3×3/2, 128");
    const r50 = moduleLayout(
      dryGraph(() => MODELS.resnet50()),
      "layer2.0"
    );
    expect(r50.nodes.filter((n) => n.kind === "conv" && !n.shortcut).map((n) => n.label)).toEqual([
      "conv 1×1, 128",
      "conv 3×3/2, 128",
      "conv 1×1, 512"
    ]);
    expect(r50.channelSum).toBe("F(x) 28×28×512 + shortcut 28×28×512 → 28×28×512");
  });

  test("an unknown block is an error that names it", () => {
    expect(() => moduleLayout(google, "inception9z")).toThrow(/inception9z/);
  });
});
