import { describe, expect, it } from "vitest";
import { tensor, sum, mean } from "../../../src/index.js";
import { checkGrad, checkOp, expectClose } from "./check-op.js";

const x = tensor([[1, 5, 3], [4, 2, 6]], { dtype: "float32" });

describe("reductions", () => {
  it("sum over all, one dim, several dims, with keepdim", () => {
    checkOp((t) => t.sum(), [x], 21);
    checkOp((t) => t.sum(1), [x], [9, 12]);
    checkOp((t) => t.sum(0, true), [x], [[5, 7, 9]]);
    checkOp((t) => t.sum(-1, true), [x], [[9], [12]]);
    checkOp((t) => t.sum([0, 1]), [x], 21);
  });
  it("mean over dims", () => {
    checkOp((t) => t.mean(), [x], 3.5);
    checkOp((t) => t.mean(0), [x], [2.5, 3.5, 4.5]);
    checkOp((t) => mean(t, 1, true), [x], [[3], [4]]);
  });
  it("max and min return values and pass gradcheck", () => {
    checkOp((t) => t.max(), [x], 6);
    checkOp((t) => t.max(1).values, [x], [5, 6]);
    checkOp((t) => t.min(0).values, [x], [1, 2, 3]);
    checkOp((t) => t.min(1, true).values, [x], [[1], [2]]);
    checkOp((t) => t.amax(1), [x], [5, 6]);
    checkOp((t) => t.amin([0, 1]), [x], 1);
  });
  it("max splits the gradient evenly between ties", () => {
    const t = tensor([1, 3, 3], { requiresGrad: true });
    t.max().backward();
    expectClose(t.grad!, [0, 0.5, 0.5]);
  });
  it("argmax and argmin give integer indices, first on ties", () => {
    expect(x.argmax().item()).toBe(5);
    expect(x.argmax(1).toArray()).toEqual([1, 2]);
    expect(x.argmax(1).dtype).toMatch(/^int/);
    expect(x.argmin(0, true).toArray()).toEqual([[0, 1, 0]]);
    expect(tensor([2, 7, 7]).argmax().item()).toBe(1);
    const [v, i] = x.maxWithIndices(1);
    expect(v.toArray()).toEqual([5, 6]);
    expect(i.toArray()).toEqual([1, 2]);
  });
  it("var and std use Bessel's correction by default", () => {
    checkOp((t) => t.var(), [x], 3.5);
    checkOp((t) => t.var(1), [x], [4, 4]);
    checkOp((t) => t.var(1, false, { correction: 0 }), [x], [2.666667, 2.666667]);
    checkOp((t) => t.std(0), [x], [2.12132, 2.12132, 2.12132]);
  });
  it("prod and logsumexp", () => {
    checkOp((t) => t.prod(1), [x], [15, 48]);
    checkOp((t) => t.logsumexp(1), [x], [5.142931, 6.142931]);
    expectClose(tensor([1000, 1000]).logsumexp(), 1000.693147);
  });
  it("all and any return bools", () => {
    expect(tensor([1, 0]).all().item()).toBe(0);
    expect(tensor([1, 0]).any().item()).toBe(1);
    expect(tensor([[1, 1], [0, 1]]).all(1).toArray()).toEqual([true, false]);
  });
  it("sums bool and int tensors to int64, as PyTorch", () => {
    expect(tensor([true, true, false]).sum().item()).toBe(2);
    expect(tensor([true]).sum().dtype).toBe("int64");
    expect(tensor([1, 2], { dtype: "int32" }).sum().dtype).toBe("int64");
  });
  it("passes gradcheck on 3-D inputs over middle and multiple dims", () => {
    checkGrad((t) => t.sum(1), [[2, 3, 4]]);
    checkGrad((t) => t.mean([0, 2], true), [[2, 3, 4]]);
    checkGrad((t) => t.std([0, 2]), [[2, 3, 4]]);
    checkGrad((t) => t.max(2).values, [[2, 3, 4]]);
    checkGrad((t) => t.amax([0, 2]), [[2, 3, 4]]);
  });
  it("names the op and shape for a bad dim", () => {
    expect(() => sum(x, 2)).toThrow("sum: dim 2 out of range [-2, 1] for shape [2,3]");
    // Integer input computes in float32 (PyTorch refuses; in JavaScript 1.0 === 1, so ported float literals arrive as int64).
    expect(tensor([1, 2], { dtype: "int32" }).mean().item()).toBe(1.5);
    expect(() => tensor([]).max()).toThrow("max: cannot reduce over a zero-size dimension (shape [0])");
  });
});
