/** Build options and torchvision's initialisations (lib/models/common.ts). */
import {describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {initializers} from "../../../lib/models/common.js";

describe("initializers", () => {
  test("zeros when asked; seeded schemes repeat; the seed advances per layer", () => {
    const zero = initializers({weights: "zeros"});
    const seeded = () => initializers({seed: 5});
    const draw = (init: ReturnType<typeof zero>) => tf.tidy(() => init.apply([3, 3, 4, 8]).arraySync());
    const a = seeded();
    const b = seeded();
    const first = draw(a("kaimingNormalFanOut"));
    expect(draw(b("kaimingNormalFanOut"))).toEqual(first);
    expect(draw(a("kaimingNormalFanOut"))).not.toEqual(first);
    expect((draw(zero("pytorchDefault")) as number[][][][]).flat(3).every((v) => v === 0)).toBe(true);
    // U(±1/√fan_in), fan_in = 3·3·4 = 36
    const u = (draw(seeded()("pytorchDefault")) as number[][][][]).flat(3);
    expect(Math.max(...u.map(Math.abs))).toBeLessThanOrEqual(1 / 6);
  });
});
