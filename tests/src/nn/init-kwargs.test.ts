// nn.init with PyTorch's spellings (issue 9 item 6): the in-place names with a trailing
// underscore, keyword options, and PyTorch's "fan_in"/"fan_out" (which used to fall to fanOut silently).
import { describe, expect, it } from "vitest";
import { manualSeed, nn, zeros } from "../../../src/index.js";

function drawn(f: () => { dataSync(): ArrayLike<number> }): number[] {
  manualSeed(7);
  return Array.from(f().dataSync());
}

describe("nn.init keyword forms", () => {
  it("kaiming with PyTorch's mode names draws what the camelCase names draw", () => {
    const w = zeros([20, 10]);
    const ref = drawn(() => nn.init.kaimingNormal(w, { mode: "fanOut", nonlinearity: "relu" }));
    expect(drawn(() => nn.init.kaimingNormal_(w, { mode: "fan_out", nonlinearity: "relu" }))).toEqual(ref);
    const inRef = drawn(() => nn.init.kaimingUniform(w, { a: Math.sqrt(5) }));
    expect(drawn(() => nn.init.kaimingUniform_(w, { mode: "fan_in", a: Math.sqrt(5) }))).toEqual(inRef);
    expect(drawn(() => nn.init.kaimingUniform_(w, Math.sqrt(5)))).toEqual(inRef);
    expect(() => nn.init.kaimingNormal_(w, { mode: "fan_avg" } as never)).toThrow('kaimingNormal_: option mode="fan_avg" is not supported; accepted: "fanIn", "fanOut", "fan_in", "fan_out"');
    expect(() => nn.init.kaimingNormal_(w, { gain: 2 } as never)).toThrow('kaimingNormal_: unknown option "gain"; accepted: a, mode, nonlinearity');
  });

  it("normal_, uniform_, constant_, xavier*_ take options; zeros_/ones_ exist", () => {
    const w = zeros([4, 3]);
    expect(drawn(() => nn.init.normal_(w, { mean: 0, std: 0.02 }))).toEqual(drawn(() => nn.init.normal(w, 0, 0.02)));
    expect(drawn(() => nn.init.uniform_(w, { a: -1, b: 2 }))).toEqual(drawn(() => nn.init.uniform(w, -1, 2)));
    expect(drawn(() => nn.init.xavierUniform_(w, { gain: 2 }))).toEqual(drawn(() => nn.init.xavierUniform(w, 2)));
    expect(Array.from(nn.init.constant_(w, { val: 0.5 }).dataSync())).toEqual(new Array(12).fill(0.5));
    expect(Array.from(nn.init.zeros_(w).dataSync())).toEqual(new Array(12).fill(0));
    expect(Array.from(nn.init.ones_(w).dataSync())).toEqual(new Array(12).fill(1));
    expect(() => nn.init.normal_(w, { mu: 0 } as never)).toThrow('normal_: unknown option "mu"; accepted: mean, std');
  });
});
