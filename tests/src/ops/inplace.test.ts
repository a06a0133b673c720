import { describe, expect, it } from "vitest";
import { tensor, zeros, noGrad, manualSeed, arange } from "../../../src/index.js";
import { expectClose } from "./check-op.js";

describe("in-place updates", () => {
  it("add_, sub_, mul_, div_ update the tensor and return it", () => {
    const t = tensor([1, 2, 3], { dtype: "float32" });
    expect(t.add_(1)).toBe(t);
    expectClose(t, [2, 3, 4]);
    t.sub_(tensor([1, 1, 1]), 2);
    expectClose(t, [0, 1, 2]);
    t.mul_(tensor([2])).div_(4);
    expectClose(t, [0, 0.5, 1]);
    t.addcmul_(tensor([1, 1, 1]), tensor([2, 2, 2]), 0.5).addcdiv_(tensor([1, 1, 1]), tensor([2, 4, 8]));
    expectClose(t, [1.5, 1.75, 2.125]);
  });
  it("write through views into the base storage", () => {
    const base = zeros(3, 4);
    base.narrow(1, 1, 2).fill_(5);
    base.select(0, 2).copy_(tensor([1, 2, 3, 4]));
    expect(base.toArray()).toEqual([[0, 5, 5, 0], [0, 5, 5, 0], [1, 2, 3, 4]]);
    base.t().zero_();
    expect(base.sum().item()).toBe(0);
  });
  it("refuse tensors that require grad unless inside noGrad", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    expect(() => w.add_(1)).toThrow("add_: a leaf Variable that requires grad is being used in an in-place operation (shape [2]). Parameter updates belong inside noGrad");
    noGrad(() => w.sub_(tensor([0.5, 0.5]), 2));
    expectClose(w, [0, 1]);
    expect(w.requiresGrad).toBe(true);
  });
  it("check shapes and dtypes", () => {
    expect(() => zeros(2).add_(tensor([1, 2, 3]))).toThrow("add_: shapes cannot be broadcast: a=[2] b=[3]");
    expect(() => zeros(2).add_(zeros(3, 2))).toThrow("add_: output with shape [2] doesn't match the broadcast shape [3,2]");
    expect(() => arange(3).add_(0.5)).toThrow("add_: result type float32 can't be cast to the desired output type int64");
    // The JavaScript trap: 1.0 === 1, so this is an int64 tensor, and the error says how to make floats.
    expect(() => tensor([1.0, 2.0]).div_(2)).toThrow("tensor([1.0, 2.0]) is int64 in JavaScript (1.0 === 1)");
  });
  it("uniform_ and normal_ fill reproducibly under a seed", () => {
    manualSeed(5);
    const a = zeros(1000).uniform_(-1, 1);
    manualSeed(5);
    expect(zeros(1000).uniform_(-1, 1).toArray()).toEqual(a.toArray());
    expect(a.min().item()).toBeGreaterThanOrEqual(-1);
    expect(a.max().item()).toBeLessThan(1);
    const n = zeros(5000).normal_(2, 0.5);
    expect(n.mean().item()).toBeCloseTo(2, 1);
    expect(n.std().item()).toBeCloseTo(0.5, 1);
  });
  it("clamp_ limits in place", () => {
    expectClose(tensor([-3, 0, 3]).clamp_(-1, 1), [-1, 0, 1]);
  });
});
