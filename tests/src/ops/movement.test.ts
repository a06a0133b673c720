import { describe, expect, it } from "vitest";
import { tensor, arange, randn } from "../../../src/index.js";
import { checkGrad, checkOp, expectClose } from "./check-op.js";

const x = tensor([[1, 2, 3], [4, 5, 6]]);

describe("views and layout", () => {
  it("reshape and view share storage when contiguous", () => {
    const v = x.view([3, 2]);
    expectClose(v, [[1, 2], [3, 4], [5, 6]]);
    expect(v.buf).toBe(x.buf);
    expect(x.reshape(-1).shape).toEqual([6]);
    expect(x.reshape(3, -1).shape).toEqual([3, 2]);
    checkOp((t) => t.reshape([3, 2]), [x], [[1, 2], [3, 4], [5, 6]]);
  });
  it("reshape copies a non-contiguous tensor, view refuses it", () => {
    const tt = x.t();
    expect(tt.isContiguous()).toBe(false);
    expectClose(tt.reshape([6]), [1, 4, 2, 5, 3, 6]);
    expect(() => tt.view([6])).toThrow("view: size is not compatible with input tensor's size and stride (shape [3,2]); use reshape() instead");
    expect(() => x.reshape([4, 2])).toThrow("reshape: shape [4,2] is invalid for input of shape [2,3]");
  });
  it("transpose, t and permute are views with swapped strides", () => {
    const tt = x.t();
    expect(tt.buf).toBe(x.buf);
    expect(tt.strides).toEqual([1, 3]);
    checkOp((t) => t.t(), [x], [[1, 4], [2, 5], [3, 6]]);
    const y = arange(24).reshape(2, 3, 4);
    expect(y.permute(2, 0, 1).shape).toEqual([4, 2, 3]);
    expect(y.permute([2, 0, 1]).index(1, 1, 2).item()).toBe(21);
    checkGrad((t) => t.permute(2, 0, 1), [[2, 3, 4]]);
    checkGrad((t) => t.transpose(0, 2).mul(2), [[2, 3, 4]]);
    expect(() => x.permute(0)).toThrow("permute: number of dims 1 does not match tensor shape [2,3]");
    expect(() => randn(2, 2, 2).t()).toThrow("t: expects a tensor with <= 2 dimensions, got shape [2,2,2]; use transpose()");
  });
  it("expand broadcasts without copying and sums gradients back", () => {
    const c = tensor([[1], [2]]);
    const e = c.expand(2, 3);
    expect(e.strides).toEqual([1, 0]);
    expect(e.buf).toBe(c.buf);
    expectClose(e, [[1, 1, 1], [2, 2, 2]]);
    checkOp((t) => t.expand([2, 2, 3]), [c], [[[1, 1, 1], [2, 2, 2]], [[1, 1, 1], [2, 2, 2]]]);
    expect(() => x.expand(4, 3)).toThrow("expand: cannot expand shape [2,3] to [4,3]");
  });
  it("squeeze, unsqueeze and flatten", () => {
    expect(x.unsqueeze(0).shape).toEqual([1, 2, 3]);
    expect(x.unsqueeze(-1).shape).toEqual([2, 3, 1]);
    expect(x.unsqueeze(1).squeeze().shape).toEqual([2, 3]);
    expect(randn(2, 1, 3, 1).squeeze(1).shape).toEqual([2, 3, 1]);
    expect(randn(2, 3, 4).flatten(1).shape).toEqual([2, 12]);
    checkGrad((t) => t.unsqueeze(1).flatten(), [[2, 3]]);
  });
  it("slice, narrow, select and index read sub-tensors as views", () => {
    const y = arange(12).reshape(3, 4);
    expect(y.slice(1, 1, 3).toArray()).toEqual([[1, 2], [5, 6], [9, 10]]);
    expect(y.slice(0, 0, null, 2).toArray()).toEqual([[0, 1, 2, 3], [8, 9, 10, 11]]);
    expect(y.narrow(1, 2, 2).toArray()).toEqual([[2, 3], [6, 7], [10, 11]]);
    expect(y.select(0, -1).toArray()).toEqual([8, 9, 10, 11]);
    expect(y.index(1).toArray()).toEqual([4, 5, 6, 7]);
    expect(y.index(":", 2).toArray()).toEqual([2, 6, 10]);
    expect(y.index("1:", "::2").toArray()).toEqual([[4, 6], [8, 10]]);
    expect(y.index("...", -1).toArray()).toEqual([3, 7, 11]);
    expect(y.index(":", "None", 0).shape).toEqual([3, 1]);
    // null is PyTorch's None (a new dim): torch y[None, :, None].shape → [1, 3, 1, 4]
    expect(y.index(null, ":", null).shape).toEqual([1, 3, 1, 4]);
    expect(y.index(tensor([2, 0], { dtype: "int32" })).toArray()).toEqual([[8, 9, 10, 11], [0, 1, 2, 3]]);
    expect(y.slice(1, 1, 3).buf).toBe(y.buf);
    checkGrad((t) => t.slice(1, 1, 4, 2), [[3, 5]]);
    checkGrad((t) => t.select(0, 1), [[3, 5]]);
    checkGrad((t) => t.index("1:", 0), [[3, 5]]);
    expect(() => y.narrow(1, 3, 2)).toThrow("narrow: start 3 + length 2 exceeds dimension 1 of shape [3,4]");
    expect(() => y.select(0, 3)).toThrow("select: index 3 is out of range for dim 0 of shape [3,4]");
    expect(() => y.index(0, 0, 0)).toThrow("index: too many indices (3) for tensor of shape [3,4]");
  });
  it("contiguous copies strided data in row-major order", () => {
    const c = x.t().contiguous();
    expect(c.isContiguous()).toBe(true);
    expect(Array.from(c.dataSync())).toEqual([1, 4, 2, 5, 3, 6]);
    expect(x.contiguous()).toBe(x);
  });
  it("repeat tiles the tensor", () => {
    checkOp((t) => t.repeat(2, 1), [tensor([[1, 2]])], [[1, 2], [1, 2]]);
    expectClose(tensor([1, 2]).repeat(2, 2), [[1, 2, 1, 2], [1, 2, 1, 2]]);
  });
  it("clone keeps the graph, detach leaves it", () => {
    const a = tensor([1, 2], { requiresGrad: true });
    expect(a.clone().requiresGrad).toBe(true);
    const d = a.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.buf).toBe(a.buf);
  });
  it("casts between dtypes with to() and shortcuts", () => {
    expect(tensor([1.7, -1.2]).int().toArray()).toEqual([1, -1]);
    expect(tensor([1, 0]).bool().toArray()).toEqual([true, false]);
    expect(tensor([1]).to("float64").dtype).toBe("float64");
    expect(tensor([1]).to("cpu").device).toBe("cpu");
    const a = tensor([1, 2], { dtype: "float64", requiresGrad: true });
    a.to("float32").mul(3).sum().backward();
    expect(a.grad!.dtype).toBe("float64");
    expectClose(a.grad!, [3, 3]);
  });
});
