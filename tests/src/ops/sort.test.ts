/**
 * sort, argsort and topk: values, indices and gradients against PyTorch 1.13 numbers, NaN
 * ordering, keyword options and the errors for bad k / dims / options.
 */
import { describe, expect, it } from "vitest";
import { tensor, sort, topk, argsort, argmax } from "../../../src/index.js";
import { checkGrad, checkOp, expectClose } from "./check-op.js";

const f64 = { dtype: "float64" as const };
const leaf = () => tensor([[3, 1, 2, 5], [0.5, 4, -2, 1.5]], { dtype: "float64", requiresGrad: true });
const w = tensor([[1, 2, 3, 4], [5, 6, 7, 8]], f64);

describe("sort", () => {
  it("sorts descending along dim 1 and scatters the gradient back (PyTorch values)", () => {
    const s = leaf();
    const [v, i] = s.sort(1, true);
    expect(v.toArray()).toEqual([[5, 3, 2, 1], [4, 1.5, 0.5, -2]]);
    expect(i.toArray()).toEqual([[3, 0, 2, 1], [1, 3, 0, 2]]);
    expect(v.gradFn?.name).toBe("SortBackward0");
    v.mul(w).sum().backward();
    expectClose(s.grad!, [[2, 4, 3, 1], [7, 5, 8, 6]]);
  });
  it("sorts along dim 0 with options", () => {
    const s = leaf();
    const { values, indices } = sort(s, { dim: 0 });
    expect(values.toArray()).toEqual([[0.5, 1, -2, 1.5], [3, 4, 2, 5]]);
    expect(indices.toArray()).toEqual([[1, 0, 1, 1], [0, 1, 0, 0]]);
    values.mul(w).sum().backward();
    expectClose(s.grad!, [[5, 2, 7, 8], [1, 6, 3, 4]]);
  });
  it("puts NaN last ascending and first descending, as PyTorch", () => {
    const n = tensor([2, NaN, -1, 3]);
    expect(n.sort().indices.toArray()).toEqual([2, 0, 3, 1]);
    expect(n.sort({ descending: true }).indices.toArray()).toEqual([1, 3, 0, 2]);
    expect(Number.isNaN(n.sort().values.toArray()[3])).toBe(true);
  });
  it("is stable and gives indices of argmax's dtype; argsort gives the indices alone", () => {
    const t = tensor([1, 0, 1, 0]);
    expect(t.sort().indices.toArray()).toEqual([1, 3, 0, 2]);
    expect(t.sort({ stable: true }).indices.dtype).toBe(argmax(t).dtype);
    expect(argsort(tensor([[3, 1, 2]]), { descending: true }).toArray()).toEqual([[0, 2, 1]]);
    expect(tensor(7).sort().values.item()).toBe(7);
  });
  it("runs on every backend and passes gradcheck", () => {
    checkOp((t) => t.sort(1).values, [tensor([[3, 1, 2], [0, -1, 5]], f64)], [[1, 2, 3], [-1, 0, 5]]);
    checkGrad((t) => t.sort(0, true).values, [[3, 4]]);
  });
  it("checks that the returned indices were not modified in place before backward", () => {
    const s = leaf();
    const { values, indices } = s.sort(1);
    indices.fill_(0);
    expect(() => values.sum().backward()).toThrow("one of the variables needed for gradient computation has been modified by an inplace operation");
  });
  it("names bad options and arguments", () => {
    expect(() => sort(w, { descend: true } as never)).toThrow('sort: unknown option "descend"; accepted: dim, descending, stable');
    expect(() => sort(w, 2)).toThrow("sort: dim 2 out of range [-2, 1] for shape [2,4]");
    expect(() => sort(w, 1, "yes" as never)).toThrow('sort: descending must be true or false, got "yes"');
  });
});

describe("topk", () => {
  it("gives the k largest in order with their indices and gradient (PyTorch values)", () => {
    const s = leaf();
    const [v, i] = s.topk(2);
    expect(v.toArray()).toEqual([[5, 3], [4, 1.5]]);
    expect(i.toArray()).toEqual([[3, 0], [1, 3]]);
    v.mul(w.narrow(1, 0, 2)).sum().backward();
    expectClose(s.grad!, [[2, 0, 0, 1], [0, 5, 0, 6]]);
  });
  it("gives the k smallest with largest: false", () => {
    const s = leaf();
    const r = topk(s, 3, { dim: 1, largest: false });
    expect(r.values.toArray()).toEqual([[1, 2, 3], [-2, 0.5, 1.5]]);
    expect(r.indices.toArray()).toEqual([[1, 2, 0], [2, 0, 3]]);
    r.values.sum().backward();
    expectClose(s.grad!, [[1, 1, 1, 0], [1, 0, 1, 1]]);
    expect(topk(s, 1, 0, false).values.toArray()).toEqual([[0.5, 1, -2, 1.5]]);
  });
  it("refuses k out of range, naming the dim and its size", () => {
    expect(() => topk(w, 5)).toThrow("topk: k (5) out of range for dim -1 of size 4 (shape [2,4])");
    expect(() => w.topk(1, { dim: 1, k: 2 } as never)).toThrow('topk: unknown option "k"; accepted: dim, largest, sorted');
  });
});
