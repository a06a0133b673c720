import { describe, expect, it } from "vitest";
import { tensor, gather, indexSelect, scatterAdd, zeros } from "../../../src/index.js";
import { checkGrad, checkOp } from "./check-op.js";

const idx = (v: number[] | number[][]) => tensor(v, { dtype: "int32" });

describe("gather, scatterAdd, indexSelect", () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  it("gather picks along a dim and scatters gradients back", () => {
    checkOp((t) => gather(t, 1, idx([[2, 0], [1, 1]])), [x], [[3, 1], [5, 5]], { otherBackends: false });
    checkOp((t) => t.gather(0, idx([[1, 0, 1]])), [x], [[4, 2, 6]], { otherBackends: false });
  });
  it("scatterAdd accumulates repeated indices", () => {
    const out = scatterAdd(zeros(2, 3), 1, idx([[0, 0], [2, 1]]), tensor([[1, 2], [3, 4]]));
    expect(out.toArray()).toEqual([[3, 0, 0], [0, 4, 3]]);
    checkGrad((base, src) => scatterAdd(base, 1, idx([[0, 0], [2, 1]]), src), [[2, 3], [2, 2]]);
  });
  it("indexSelect picks whole slices (embedding lookup) with repeated indices", () => {
    checkOp((t) => indexSelect(t, 0, idx([1, 1, 0])), [x], [[4, 5, 6], [4, 5, 6], [1, 2, 3]], { otherBackends: false });
    checkOp((t) => t.indexSelect(1, idx([2, 0])), [x], [[3, 1], [6, 4]], { otherBackends: false });
  });
  it("maskedFill replaces masked entries", () => {
    expect(x.maskedFill(x.gt(3), 0).toArray()).toEqual([[1, 2, 3], [0, 0, 0]]);
  });
  it("maskedSelect and index(mask) pick masked elements with gradient", () => {
    expect(x.maskedSelect(x.gt(2.5)).toArray()).toEqual([3, 4, 5, 6]);
    expect(x.index(x.lt(2)).toArray()).toEqual([1]);
    expect(x.maskedSelect(tensor([true, false, true])).toArray()).toEqual([1, 3, 4, 6]);
    checkGrad((t) => t.maskedSelect(tensor([[true, false, true], [false, false, true]])), [[2, 3]]);
  });
  it("rejects bad indices naming the op", () => {
    expect(() => gather(x, 1, tensor([[0.5]]))).toThrow("gather: index must be an integer tensor (int64, as tensor([0, 2]) makes), got dtype float32 (shape [1,1]); convert it with .long()");
    expect(gather(x, 1, tensor([[0], [1]])).shape).toEqual([2, 1]);
    expect(() => gather(x, 1, idx([[3]]))).toThrow("gather: index 3 is out of bounds for dim 1 with size 3");
    expect(() => indexSelect(x, 0, idx([2]))).toThrow("indexSelect: index 2 is out of bounds for dim 0 with size 2 (input [2,3])");
    expect(() => x.maskedFill(tensor([1.5]), 0)).toThrow("maskedFill: mask must be a bool tensor, got dtype float32");
  });
});
