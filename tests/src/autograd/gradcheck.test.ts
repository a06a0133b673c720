import { describe, expect, it } from "vitest";
import { gradcheck, randn, tensor, Tensor } from "../../../src/index.js";
import { record } from "../../../src/ops/op.js";
import { clone } from "../../../src/ops/movement.js";

describe("gradcheck", () => {
  it("returns true for correct gradients (contract form)", () => {
    const a = randn([3, 4], { requiresGrad: true, dtype: "float64" });
    const b = randn([4, 2], { requiresGrad: true, dtype: "float64" });
    expect(gradcheck((p, q) => p.matmul(q).tanh(), [a, b])).toBe(true);
  });
  it("detects a wrong backward function", () => {
    const badSquare = (x: Tensor): Tensor => {
      const y = clone(x.detach()).mul(x.detach());
      return record(y, "BadSquare", [x], (g) => [g.mul(x)]); // should be 2·x
    };
    const a = randn([3], { requiresGrad: true, dtype: "float64" });
    expect(() => gradcheck(badSquare, [a])).toThrow(/gradcheck: Jacobian mismatch for output 0 \(shape \[3\]\) with respect to input 0/);
    expect(gradcheck(badSquare, [a], { raiseException: false })).toBe(false);
  });
  it("requires float64 inputs and at least one input that requires grad", () => {
    expect(() => gradcheck((x) => x.exp(), [randn([2], { requiresGrad: true })])).toThrow("gradcheck: input 0 (shape [2]) is float32; use float64 inputs");
    expect(() => gradcheck((x) => x.exp(), [tensor([1], { dtype: "float64" })])).toThrow("gradcheck: no input requires grad");
  });
  it("checks several outputs and leaves inputs unchanged", () => {
    const a = randn([2, 3], { requiresGrad: true, dtype: "float64" });
    const before = a.toArray();
    expect(gradcheck((x) => [x.sum(0), x.exp()], [a])).toBe(true);
    expect(a.toArray()).toEqual(before);
    expect(a.grad).toBe(null);
  });
});
