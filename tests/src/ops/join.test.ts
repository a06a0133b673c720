import { describe, expect, it } from "vitest";
import { tensor, cat, stack, split, randn } from "../../../src/index.js";
import { checkGrad, checkOp } from "./check-op.js";

describe("cat, stack, split", () => {
  const a = tensor([[1, 2], [3, 4]]);
  const b = tensor([[5, 6]]);
  it("cat joins along a dim and routes gradients back", () => {
    checkOp((p, q) => cat([p, q], 0), [a, b], [[1, 2], [3, 4], [5, 6]]);
    checkOp((p, q) => cat([p, q.t()], 1), [a, b], [[1, 2, 5], [3, 4, 6]]);
  });
  it("stack adds a new dim", () => {
    checkOp((p, q) => stack([p, q], 1), [tensor([1, 2]), tensor([3, 4])], [[1, 3], [2, 4]]);
    expect(stack([a, a, a]).shape).toEqual([3, 2, 2]);
    expect(stack([a, a], -1).shape).toEqual([2, 2, 2]);
  });
  it("split and chunk return views of the requested sizes", () => {
    const x = randn(5, 4);
    expect(split(x, 2).map((t) => t.shape[0])).toEqual([2, 2, 1]);
    expect(x.split([1, 3], 1).map((t) => t.shape)).toEqual([[5, 1], [5, 3]]);
    expect(x.chunk(2, 1).map((t) => t.shape)).toEqual([[5, 2], [5, 2]]);
    expect(x.split(2)[1].buf).toBe(x.buf);
    expect(x.unbind(1).length).toBe(4);
    checkGrad((t) => { const [p, q] = t.split([1, 2], 1); return p.mul(q.sum(1, true)); }, [[2, 3]]);
  });
  it("names the op and shapes on mismatch", () => {
    expect(() => cat([a, tensor([[1, 2, 3]])], 0)).toThrow("cat: sizes of tensors must match except in dimension 0: [2,2] [1,3]");
    expect(() => stack([a, b])).toThrow("stack: expects each tensor to be equal size: [2,2] [1,2]");
    expect(() => split(a, [1, 2])).toThrow("split: sizes [1,2] do not sum to 2 (dim 0 of shape [2,2])");
    expect(() => cat([])).toThrow("cat: expected a non-empty list of tensors");
  });
});
