/**
 * The PyTorch-shaped reductions: keyword options beside positional arguments, unknown options
 * named, max/min(dim) returning (values, indices) with the gradient at the index (reference
 * numbers from PyTorch 1.13), and var/std's ambiguous positional boolean refused.
 */
import { describe, expect, it } from "vitest";
import { tensor, sum, mean, max, min, amax, std, argmax, softmax, ValuesIndices } from "../../../src/index.js";
import { checkGrad, expectClose } from "./check-op.js";

const f64 = { dtype: "float64" as const };
const x = tensor([[1, 5, 3], [4, 2, 6]], f64);

describe("keyword options on reductions", () => {
  it("sum, mean and prod take { dim, keepdim, dtype } as well as positional arguments", () => {
    expectClose(x.sum({ dim: 1, keepdim: true }), [[9], [12]]);
    expectClose(x.sum(1, { keepdim: true }), [[9], [12]]);
    expectClose(sum(x, { dim: [0, 1] }), 21);
    expectClose(x.mean({ dim: 0 }), [2.5, 3.5, 4.5]);
    expectClose(mean(x, 1, true), [[3], [4]]);
    expectClose(x.prod({ dim: 1 }), [15, 48]);
    expect(tensor([1, 2, 3]).sum({ dtype: "float64" }).dtype).toBe("float64");
    expectClose(tensor([1, 2, 4]).mean({ dtype: "float32" }), 7 / 3);
  });
  it("std and var take dim, keepdim, correction and unbiased as options (PyTorch values)", () => {
    expectClose(x.std({ dim: 1, correction: 0 }), [1.632993161855452, 1.632993161855452]);
    expectClose(std(x, 1, { unbiased: false, keepdim: true }), [[1.632993161855452], [1.632993161855452]]);
    expectClose(x.var(), 3.5);
    expectClose(x.var(0, { keepdim: true }), [[4.5, 4.5, 4.5]]);
    // PyTorch's positional overload var(dim, unbiased, keepdim).
    expectClose(x.std(1, false, true), [[1.632993161855452], [1.632993161855452]]);
  });
  it("refuses a lone positional boolean after dim in std/var, which PyTorch reads as unbiased", () => {
    expect(() => x.std(1, false as never)).toThrow("std: a positional true/false after dim is ambiguous (PyTorch reads std(dim, unbiased, keepdim)); write std(dim, { keepdim: false }) or std(dim, { unbiased: false })");
    expect(() => x.var({ correction: 0, unbiased: true })).toThrow("var: give either correction or unbiased, not both");
  });
  it("softmax and logSoftmax methods take { dim }", () => {
    expectClose(x.softmax({ dim: 1 }), softmax(x, 1).toArray());
    expectClose(x.logSoftmax(1, { dtype: "float32" }), softmax(x, 1).log().toArray());
    expect(() => x.softmax(undefined as never)).toThrow("softmax: dim is required");
    expect(() => x.softmax({ dims: 1 } as never)).toThrow('softmax: unknown option "dims"; accepted: dim, dtype');
  });
  it("names an unknown option and the accepted ones", () => {
    expect(() => x.sum({ keepDim: true } as never)).toThrow('sum: unknown option "keepDim"; accepted: dim, keepdim, dtype');
    expect(() => x.mean({ axis: 1 } as never)).toThrow('mean: unknown option "axis"; accepted: dim, keepdim, dtype');
    expect(() => x.std({ ddof: 0 } as never)).toThrow('std: unknown option "ddof"; accepted: dim, keepdim, correction, unbiased');
    expect(() => x.max({ dim: 1, keepDims: true } as never)).toThrow('max: unknown option "keepDims"; accepted: dim, keepdim');
  });
  it("refuses a value given twice and mistyped dims or keepdim", () => {
    expect(() => x.sum(1, { dim: 0 })).toThrow("sum: dim given twice (as an argument and as an option)");
    expect(() => x.sum("1" as never)).toThrow('sum: dim must be an integer or a list of integers, got "1"');
    expect(() => x.sum(1, 1 as never)).toThrow("sum: keepdim must be true or false, got 1");
    expect(() => x.sum(1, true, false as never)).toThrow("sum: too many positional arguments");
  });
});

describe("max and min along a dim return (values, indices)", () => {
  const ties = () => tensor([[1, 3, 3], [2, -1, 2]], { dtype: "float64", requiresGrad: true });
  it("destructures, names its parts and sends the gradient to the returned index only", () => {
    const t = ties();
    const r = t.max(1);
    expect(r).toBeInstanceOf(ValuesIndices);
    const [v, i] = r;
    expect(v.toArray()).toEqual([3, 2]);
    expect(i.toArray()).toEqual([1, 0]);
    expect(r.values).toBe(v);
    expect(r.indices).toBe(i);
    expect(r[0]).toBe(v);
    expect(r[1]).toBe(i);
    expect(r.length).toBe(2);
    expect(String(v.gradFn?.name)).toBe("MaxBackward0");
    v.mul(tensor([1, 10], f64)).sum().backward();
    expectClose(t.grad!, [[0, 1, 0], [10, 0, 0]]);
  });
  it("min with keepdim, as a free function with options", () => {
    const t = ties();
    const { values, indices } = min(t, { dim: 0, keepdim: true });
    expect(values.toArray()).toEqual([[1, -1, 2]]);
    expect(indices.toArray()).toEqual([[0, 1, 1]]);
    values.sum().backward();
    expectClose(t.grad!, [[1, 0, 0], [0, 1, 1]]);
  });
  it("indices have the dtype argmax gives", () => {
    expect(x.max(1).indices.dtype).toBe(argmax(x, 1).dtype);
  });
  it("max() over everything is a 0-d tensor and splits ties evenly, like PyTorch", () => {
    const t = ties();
    const m = t.max();
    expect(m.shape).toEqual([]);
    m.backward();
    expectClose(t.grad!, [[0, 0.5, 0.5], [0, 0, 0]]);
  });
  it("max() and min() of a tensor holding NaN send the gradient to the NaN elements (PyTorch 1.13)", () => {
    const t = tensor([[1, NaN], [NaN, 0]], { dtype: "float64", requiresGrad: true });
    const m = t.max();
    expect(m.item()).toBeNaN();
    expect(m.gradFn?.name).toBe("MaxBackward1");
    m.backward();
    expectClose(t.grad!, [[0, 0.5], [0.5, 0]]);
    const u = tensor([[1, NaN], [3, 0]], { dtype: "float64", requiresGrad: true });
    u.min().backward();
    expectClose(u.grad!, [[0, 1], [0, 0]]);
  });
  it("amax shares the gradient among ties over one or all dims", () => {
    const t = tensor([[1, 3, 3], [3, -1, 2]], { dtype: "float64", requiresGrad: true });
    t.amax(1).sum().backward();
    expectClose(t.grad!, [[0, 0.5, 0.5], [1, 0, 0]]);
    t.grad = null;
    amax(t).backward();
    expectClose(t.grad!, [[0, 1 / 3, 1 / 3], [1 / 3, 0, 0]]);
  });
  it("max(other) is the elementwise maximum", () => {
    expect(max(tensor([1, 5]), tensor([3, 2])).toArray()).toEqual([3, 5]);
    expect(tensor([1, 5]).min(tensor([3, 2])).toArray()).toEqual([1, 2]);
  });
  it("0-d input gives a 0-d value and index 0", () => {
    const r = tensor(4.5).max(0);
    expect(r.values.shape).toEqual([]);
    expect(r.indices.item()).toBe(0);
  });
  it("passes gradcheck through values along each dim", () => {
    checkGrad((t) => t.max(1).values, [[3, 4]]);
    checkGrad((t) => t.min(0, true).values, [[3, 4]]);
  });
  it("explains the misuses", () => {
    expect(() => x.max([0, 1] as never)).toThrow("max: dim must be a single integer, got [0, 1]; use amax(x, dims) over several dims");
    expect(() => x.max({ keepdim: true } as never)).toThrow("max: keepdim needs a dim");
    expect(() => x.max(2)).toThrow("max: dim 2 out of range [-2, 1] for shape [2,3]");
    expect(() => tensor([[]]).max(1)).toThrow("max: cannot reduce over a zero-size dimension 1 (shape [1,0])");
  });
  it("the deprecated maxWithIndices still returns both", () => {
    const [v, i] = x.maxWithIndices(1);
    expect(v.toArray()).toEqual([5, 6]);
    expect(i.toArray()).toEqual([1, 2]);
  });
});
