/**
 * The methods added for PyTorch parity: T / mT getters, tolist, and the method forms of
 * sort, topk, cumsum, cumprod, norm, amax and amin (PyTorch 1.13 values).
 */
import { describe, expect, it } from "vitest";
import { tensor, arange } from "../../../src/index.js";
import { expectClose } from "../ops/check-op.js";

describe("T and mT", () => {
  it("T is the transpose of a matrix and reverses all dims otherwise, as PyTorch", () => {
    const m = tensor([[1, 2], [3, 4]]);
    expect(m.T.tolist()).toEqual([[1, 3], [2, 4]]);
    const x = arange(24).reshape(2, 3, 4);
    expect(x.T.shape).toEqual([4, 3, 2]);
    expect(x.T.index(1, 2, 0).item()).toBe(x.index(0, 2, 1).item());
    const v = tensor([1, 2, 3]);
    expect(v.T).toBe(v);
  });
  it("mT swaps the last two dims and refuses fewer than 2", () => {
    const x = arange(24).reshape(2, 3, 4);
    expect(x.mT.shape).toEqual([2, 4, 3]);
    expect(x.mT.index(1, 3, 2).item()).toBe(23);
    expect(() => tensor([1, 2]).mT).toThrow("mT: only supported on matrices or batches of matrices, got a 1-D tensor (shape [2])");
  });
  it("T and mT carry gradients", () => {
    const w = tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float64", requiresGrad: true });
    w.T.mul(tensor([[1, 2], [3, 4], [5, 6]], { dtype: "float64" })).sum().backward();
    expectClose(w.grad!, [[1, 3, 5], [2, 4, 6]]);
  });
});

describe("tolist", () => {
  it("gives nested arrays, a number for 0-d and booleans for bool tensors", () => {
    expect(tensor([[1, 2], [3, 4]]).tolist()).toEqual([[1, 2], [3, 4]]);
    expect(tensor(2.5).tolist()).toBe(2.5);
    expect(tensor([true, false]).tolist()).toEqual([true, false]);
  });
});

describe("method forms", () => {
  const x = tensor([[3, 1, 2], [0.5, 4, -2]], { dtype: "float64" });
  it("sort, argsort and topk", () => {
    expect(x.sort({ dim: 1, descending: true }).values.tolist()).toEqual([[3, 2, 1], [4, 0.5, -2]]);
    expect(x.argsort(0).tolist()).toEqual([[1, 0, 1], [0, 1, 0]]);
    expect(x.topk(1, 0).indices.tolist()).toEqual([[0, 1, 0]]);
  });
  it("cumsum, cumprod, norm, amax, amin", () => {
    expectClose(x.cumsum(1), [[3, 4, 6], [0.5, 4.5, 2.5]]);
    expectClose(x.cumprod({ dim: 0 }), [[3, 1, 2], [1.5, 4, -4]]);
    expectClose(x.norm(1, 1, true), [[6], [6.5]]);
    expectClose(x.amax(0), [3, 4, 2]);
    expectClose(x.amin({ dim: [0, 1] }), -2);
  });
});
