// nn.init: PyTorch's gains, fans and bounds; statistics of the random initialisers.
import { describe, expect, it } from "vitest";
import { empty, manualSeed, nn, tensor } from "../../../src/index.js";

const stats = (v: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < v.length; i++) m += v[i];
  m /= v.length;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] - m) ** 2;
  return { mean: m, std: Math.sqrt(s / v.length), max: Math.max(...Array.from(v)), min: Math.min(...Array.from(v)) };
};

describe("nn.init", () => {
  it("calculateGain matches PyTorch's table", () => {
    expect(nn.init.calculateGain("linear")).toBe(1);
    expect(nn.init.calculateGain("sigmoid")).toBe(1);
    expect(nn.init.calculateGain("tanh")).toBeCloseTo(5 / 3, 12);
    expect(nn.init.calculateGain("relu")).toBeCloseTo(Math.SQRT2, 12);
    expect(nn.init.calculateGain("leaky_relu", 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 12);
    expect(nn.init.calculateGain("selu")).toBe(0.75);
  });

  it("fans count the receptive field", () => {
    expect(nn.init.calculateFanInAndFanOut(empty([16, 6, 5, 5]))).toEqual([150, 400]);
    expect(() => nn.init.calculateFanInAndFanOut(empty([3]))).toThrow(/fewer than 2 dimensions \(shape \[3\]\)/);
  });

  it("xavier and kaiming draw with the documented bounds and spreads", () => {
    manualSeed(0);
    const w = empty([200, 300]);
    const xu = stats(nn.init.xavierUniform(w).dataSync());
    const a = Math.sqrt(6 / 500);
    expect(xu.max).toBeLessThanOrEqual(a);
    expect(xu.min).toBeGreaterThanOrEqual(-a);
    expect(xu.std).toBeCloseTo(a / Math.sqrt(3), 3);
    expect(stats(nn.init.xavierNormal(w, 2).dataSync()).std).toBeCloseTo(2 * Math.sqrt(2 / 500), 3);
    const ku = stats(nn.init.kaimingUniform(w, { nonlinearity: "relu" }).dataSync());
    expect(ku.max).toBeLessThanOrEqual(Math.sqrt(6 / 300));
    expect(ku.std).toBeCloseTo(Math.sqrt(2 / 300), 3);
    expect(stats(nn.init.kaimingNormal(w, { mode: "fanOut", nonlinearity: "relu" }).dataSync()).std).toBeCloseTo(Math.sqrt(2 / 200), 3);
    const n = stats(nn.init.normal(w, 1, 0.5).dataSync());
    expect(n.mean).toBeCloseTo(1, 2);
    expect(n.std).toBeCloseTo(0.5, 2);
  });

  it("fills constants, zeros, ones and eye in place", () => {
    const t = empty([2, 3]);
    expect(nn.init.constant(t, 0.5).toArray()).toEqual([[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]);
    expect(nn.init.zeros(t)).toBe(t);
    expect(t.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(nn.init.ones(tensor([5, 5])).toArray()).toEqual([1, 1]);
    expect(nn.init.eye(t).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
  });

  it("is reproducible under manualSeed", () => {
    manualSeed(5);
    const a = new nn.Linear(4, 3).weight.toArray();
    manualSeed(5);
    expect(new nn.Linear(4, 3).weight.toArray()).toEqual(a);
  });
});
