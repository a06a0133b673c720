import { describe, expect, it } from "vitest";
import { tensor, matmul, randn, functional as F } from "../../../src/index.js";
import { checkGrad, checkOp, expectClose } from "./check-op.js";

describe("matmul", () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  const b = tensor([[1, 0], [0, 1], [2, -1]]);
  it("multiplies 2-D matrices and passes gradcheck", () => {
    checkOp(matmul, [a, b], [[7, -1], [16, -1]]);
  });
  it("follows PyTorch's 1-D rules", () => {
    checkOp(matmul, [tensor([1, 2, 3]), tensor([4, 5, 6])], 32);
    checkOp(matmul, [tensor([1, 2]), a], [9, 12, 15]);
    checkOp(matmul, [a, tensor([1, 0, 1])], [4, 10]);
  });
  it("batches and broadcasts N-D operands", () => {
    const x = randn(2, 3, 4);
    const w = randn(4, 5);
    expect(matmul(x, w).shape).toEqual([2, 3, 5]);
    expect(matmul(randn(2, 1, 3, 4), randn(3, 4, 2)).shape).toEqual([2, 3, 3, 2]);
    expectClose(matmul(x, w).select(0, 1), matmul(x.select(0, 1), w).toArray());
    checkGrad(matmul, [[2, 3, 4], [4, 2]]);
    checkGrad(matmul, [[3, 4], [2, 4, 2]]);
    checkGrad(matmul, [[2, 1, 2, 3], [3, 3, 2]]);
    checkGrad(matmul, [[3], [2, 3, 2]]);
  });
  it("handles transposed operands", () => {
    const w = randn(5, 4, { dtype: "float64" });
    const x = randn(3, 4, { dtype: "float64" });
    expectClose(matmul(x, w.t()), matmul(x, w.t().contiguous()).toArray(), 1e-10);
    expectClose(matmul(w.t().t(), x.t()), matmul(w, x.t().contiguous()).toArray(), 1e-10);
  });
  it("computes F.linear as x·Wᵀ + b", () => {
    checkOp((x, w, bias) => F.linear(x, w, bias), [tensor([[1, 2]]), tensor([[1, 1], [0, 2], [3, -1]]), tensor([0.5, 0, 1])], [[3.5, 4, 2]]);
  });
  it("names the op and both shapes on mismatch", () => {
    expect(() => matmul(randn(2, 3), randn(4, 5))).toThrow("matmul: inner dimensions differ: a=[2,3] b=[4,5]");
    expect(() => matmul(randn(2, 2, 3), randn(3, 3, 1))).toThrow("matmul: shapes cannot be broadcast: a=[2] b=[3]");
    expect(() => matmul(tensor(1), randn(2))).toThrow("matmul: both arguments need at least 1 dimension, got a=[] b=[2]");
    expect(() => F.linear(randn(2, 3), randn(4, 5))).toThrow("linear: input features differ from weight: input=[2,3] weight=[4,5]");
  });
  it("multiplies int32 matrices exactly", () => {
    const i = tensor([[1, 2], [3, 4]], { dtype: "int32" });
    const r = i.matmul(i);
    expect(r.dtype).toBe("int32");
    expect(r.toArray()).toEqual([[7, 10], [15, 22]]);
  });
});
