import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {countFlops} from "../../../lib/analysis/flops.js";
import {modelSummary, weightLayerCount} from "../../../lib/analysis/summary.js";
import {buildGoogLeNet, GOOGLENET_PRESETS} from "../../../lib/models/googlenet.js";

const trainable = (m: tf.LayersModel) => m.trainableWeights.reduce((n, w) => n + w.read().size, 0);

describe("GoogLeNet", () => {
  test("with auxiliary heads: torchvision's 13,004,888 parameters, three outputs, the heads visible as layers", () => {
    // torchvision googlenet(aux_logits=True): 6,624,904 + aux1 3,188,968 + aux2 3,191,016, where a head on C channels
    // has conv 1×1 C·128 + BN 2·128, fc1 2048·1024 + 1024, fc2 1024·1000 + 1000.
    const model = buildGoogLeNet({...GOOGLENET_PRESETS.googlenet, auxLogits: true}, {weights: "zeros"});
    try {
      expect(trainable(model)).toBe(13_004_888);
      expect(model.outputs.map((o) => o.shape)).toEqual([
        [null, 1000],
        [null, 1000],
        [null, 1000]
      ]);
      expect(model.outputNames).toEqual(["fc", "aux1.fc2", "aux2.fc2"]);
      const rows = Object.fromEntries(modelSummary(model).map((r) => [r.name, r]));
      expect(rows["aux1.pool"]).toMatchObject({className: "AveragePooling2D", outputShape: [4, 4, 512]});
      expect(rows["aux2.pool"]).toMatchObject({className: "AveragePooling2D", outputShape: [4, 4, 528]});
      expect(rows["aux1.pool"].inbound).toEqual(["inception4a.concat"]);
      expect(rows["aux2.pool"].inbound).toEqual(["inception4d.concat"]);
      expect(rows["aux1.fc1"].params).toBe(2048 * 1024 + 1024);
      // depth of the main output is still 22; an auxiliary output sits 3 stem + 3 modules · 2 + 3 head = 12 deep
      expect(weightLayerCount(model).depth).toBe(22);
      expect(weightLayerCount(model, {output: 1}).depth).toBe(12);
      expect(weightLayerCount(model, {output: 2}).depth).toBe(3 + 6 * 2 + 3);
      // counting only what output 0 needs gives the model without heads
      expect(countFlops(model, {output: 0}).trainableParams).toBe(6_624_904);
    } finally {
      model.dispose();
    }
  });

  test("the paper's 5×5 branch instead of torchvision's 3×3 adds 16 · Σ(#5×5 reduce · #5×5) = 380,928 parameters", () => {
    // Σ over the nine modules of #5×5reduce · #5×5 = 16·32 + 32·96 + 16·48 + 24·64 + 24·64 + 32·64 + 32·128
    //   + 32·128 + 48·128 = 23,808; each weight of such a kernel grows from 3·3 to 5·5 = 16 more.
    const model = buildGoogLeNet({...GOOGLENET_PRESETS.googlenet, branch3KernelSize: 5}, {weights: "zeros"});
    try {
      expect(trainable(model)).toBe(6_624_904 + 380_928);
    } finally {
      model.dispose();
    }
  });

  test("the paper5x5 preset: each Inception's third-branch conv has 25/9 the weights of torchvision's 3×3", () => {
    const tv = buildGoogLeNet(GOOGLENET_PRESETS.googlenet, {weights: "zeros"});
    const paper = buildGoogLeNet(GOOGLENET_PRESETS.paper5x5, {weights: "zeros"});
    try {
      // hand-worked from Table 1's (#5×5 reduce, #5×5) per module: a k×k conv from r to c channels has k·k·r·c weights
      const table: [string, number, number][] = [
        ["inception3a", 16, 32],
        ["inception3b", 32, 96],
        ["inception4a", 16, 48],
        ["inception4b", 24, 64],
        ["inception4c", 24, 64],
        ["inception4d", 32, 64],
        ["inception4e", 32, 128],
        ["inception5a", 32, 128],
        ["inception5b", 48, 128]
      ];
      let extra = 0;
      for (const [name, r, c] of table) {
        const w3 = tv.getLayer(`${name}.branch3.1.conv`).countParams();
        const w5 = paper.getLayer(`${name}.branch3.1.conv`).countParams();
        expect(w3).toBe(3 * 3 * r * c);
        expect(w5).toBe(5 * 5 * r * c);
        expect(w5 / w3).toBeCloseTo(25 / 9, 12);
        extra += w5 - w3;
      }
      expect(extra).toBe(380_928);
      expect(trainable(paper)).toBe(trainable(tv) + extra);
      expect(trainable(paper)).toBe(7_005_832);
      expect(paper.getLayer("inception3a.branch3.1.conv").getConfig()).toMatchObject({kernelSize: [5, 5]});
      // nothing else changes: same map sizes, same depth
      expect(weightLayerCount(paper).depth).toBe(22);
      expect(paper.outputs[0].shape).toEqual([null, 1000]);
    } finally {
      tv.dispose();
      paper.dispose();
    }
  });

  test("torchvision's map sizes at 224²: 112 → 56 → 28 → 14 → 7, and the Inception output widths", () => {
    const model = buildGoogLeNet(GOOGLENET_PRESETS.googlenet, {weights: "zeros"});
    try {
      const s = Object.fromEntries(modelSummary(model).map((r) => [r.name, r.outputShape]));
      expect(s["conv1.relu"]).toEqual([112, 112, 64]);
      expect(s.maxpool1).toEqual([56, 56, 64]); // ceil mode: floor would give 55
      expect(s.maxpool2).toEqual([28, 28, 192]);
      expect(s["inception3a.concat"]).toEqual([28, 28, 64 + 128 + 32 + 32]);
      expect(s["inception3b.concat"]).toEqual([28, 28, 480]);
      expect(s.maxpool3).toEqual([14, 14, 480]);
      expect(s["inception4e.concat"]).toEqual([14, 14, 832]);
      expect(s.maxpool4).toEqual([7, 7, 832]);
      expect(s["inception5b.concat"]).toEqual([7, 7, 1024]);
      expect(s.avgpool).toEqual([1024]);
      // BasicConv2d: conv without bias, BatchNorm with eps 0.001
      const conv = model.getLayer("inception3a.branch3.1.conv").getConfig();
      expect(conv).toMatchObject({kernelSize: [3, 3], useBias: false});
      expect(model.getLayer("inception3a.branch3.1.bn").getConfig()).toMatchObject({epsilon: 0.001});
    } finally {
      model.dispose();
    }
  });

  test("small inputs work down to torchvision's minimum of 15² (ceil-mode pools wider than the map)", () => {
    const model = buildGoogLeNet(
      {...GOOGLENET_PRESETS.googlenet, inputShape: [15, 15, 3], auxLogits: true},
      {weights: "zeros"}
    );
    try {
      const s = Object.fromEntries(modelSummary(model).map((r) => [r.name, r.outputShape]));
      expect([s["conv1.relu"], s.maxpool1, s.maxpool2, s.maxpool3, s.maxpool4]).toEqual([
        [8, 8, 64],
        [4, 4, 64],
        [2, 2, 192],
        [1, 1, 480],
        [1, 1, 832]
      ]);
      expect(trainable(model)).toBe(13_004_888); // the heads upsample 1×1 → 4×4, so their fc1 keeps 2048 inputs
    } finally {
      model.dispose();
    }
  });

  test("tiny: 29,154 parameters, 35,766 with the auxiliary heads", () => {
    // stem 176 + 288 + 3,504; modules 1,664 + 3,144 + 4,344 + 6,184 + 9,040; fc 810 (conv weights + BN γ, β)
    // heads (on 52 and 56 channels): conv 1×1 → 16 + BN 32, fc1 64·32 + 32, fc2 32·10 + 10
    const plain = buildGoogLeNet(GOOGLENET_PRESETS.tiny, {weights: "zeros"});
    const aux = buildGoogLeNet({...GOOGLENET_PRESETS.tiny, auxLogits: true}, {weights: "zeros"});
    try {
      expect(trainable(plain)).toBe(29_154);
      const head = (c: number) => c * 16 + 32 + 64 * 32 + 32 + 32 * 10 + 10;
      expect(trainable(aux)).toBe(29_154 + head(52) + head(56));
      expect(trainable(aux)).toBe(35_766);
    } finally {
      plain.dispose();
      aux.dispose();
    }
  });
});
