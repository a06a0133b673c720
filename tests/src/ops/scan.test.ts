/**
 * cumsum and cumprod: values and gradients against PyTorch 1.13 numbers, including zeros in
 * cumprod's input (where a divide-by-x gradient would be wrong), options and errors.
 */
import { describe, expect, it } from "vitest";
import { tensor, cumsum, cumprod, argmax, autograd } from "../../../src/index.js";
import { checkGrad, checkOp, expectClose } from "./check-op.js";

const f64 = { dtype: "float64" as const };
const leaf = () => tensor([[1, 2, 3, 4, 5], [-1, 0.5, 2, 0, 3]], { dtype: "float64", requiresGrad: true });
const w = tensor([[1, -1, 2, 0.5, 3], [2, 1, -1, 1, 0.5]], f64);

describe("cumsum", () => {
  it("sums along dim 1 and dim 0 with PyTorch's gradients", () => {
    const c = leaf();
    const y = c.cumsum(1);
    expectClose(y, [[1, 3, 6, 10, 15], [-1, -0.5, 1.5, 1.5, 4.5]]);
    expect(y.gradFn?.name).toBe("CumsumBackward0");
    y.mul(w).sum().backward();
    expectClose(c.grad!, [[5.5, 4.5, 5.5, 3.5, 3], [3.5, 1.5, 0.5, 1.5, 0.5]]);
    c.grad = null;
    const y0 = cumsum(c, { dim: 0 });
    expectClose(y0, [[1, 2, 3, 4, 5], [0, 2.5, 5, 4, 8]]);
    y0.mul(w).sum().backward();
    expectClose(c.grad!, [[3, 0, 1, 1.5, 3.5], [2, 1, -1, 1, 0.5]]);
  });
  it("accumulates integers in the index dtype (PyTorch: int64) and honours { dtype }", () => {
    const r = tensor([1, 2, 3], { dtype: "int32" }).cumsum(0);
    expect(r.toArray()).toEqual([1, 3, 6]);
    expect(r.dtype).toBe(argmax(tensor([1])).dtype);
    expect(tensor([true, true, false]).cumsum(0).toArray()).toEqual([1, 2, 2]);
    expect(cumsum(tensor([1, 2]), 0, { dtype: "float64" }).dtype).toBe("float64");
  });
  it("runs on every backend, passes gradcheck, and handles 0-d and lengths that are not powers of 2", () => {
    checkOp((t) => t.cumsum(-1), [tensor([[1, 2, 3], [4, 5, 6]], f64)], [[1, 3, 6], [4, 9, 15]]);
    checkGrad((t) => t.cumsum(1), [[2, 7]]);
    checkGrad((t) => cumsum(t, 1).cumsum(1), [[2, 3]]);
    expect(tensor(3).cumsum(0).item()).toBe(3);
  });
  it("requires a dim, as PyTorch does", () => {
    expect(() => (cumsum as (x: unknown) => unknown)(w)).toThrow("cumsum: dim must be an integer (PyTorch's cumsum has no default dim), got undefined");
    expect(() => w.cumsum(1, { axis: 1 } as never)).toThrow('cumsum: unknown option "axis"; accepted: dim, dtype');
    expect(() => w.cumsum(2)).toThrow("cumsum: dim 2 out of range [-2, 1] for shape [2,5]");
  });
});

describe("cumprod", () => {
  it("multiplies along dim 1 with PyTorch's gradient, a zero included", () => {
    const c = leaf();
    const y = c.cumprod(1);
    expectClose(y, [[1, 2, 6, 24, 120], [-1, -0.5, -1, 0, 0]]);
    expect(y.gradFn?.name).toBe("CumprodBackward0");
    y.mul(w).sum().backward();
    expectClose(c.grad!, [[383, 191, 128, 93, 72], [1.5, 1, 0.5, -2.5, 0]]);
  });
  it("gets the gradient right with several zeros (no division by x)", () => {
    const z = tensor([2, 0, 3, 0, 4], { dtype: "float64", requiresGrad: true });
    const y = cumprod(z, 0);
    expectClose(y, [2, 0, 0, 0, 0]);
    y.mul(tensor([1, 2, 3, 4, 5], f64)).sum().backward();
    expectClose(z.grad!, [1, 22, 0, 0, 0]);
  });
  it("passes gradcheck, twice differentiable", () => {
    checkOp((t) => t.cumprod(1), [tensor([[1, 2, 3], [-1, 0.5, 2]], f64)], [[1, 2, 6], [-1, -0.5, -1]]);
    checkGrad((t) => t.cumprod(0), [[5, 2]]);
    const x = tensor([0.5, -1, 2], { dtype: "float64", requiresGrad: true });
    // s = x0 + x0 x1 + x0 x1 x2: ds/dx = [1 + x1 + x1 x2, x0 + x0 x2, x0 x1].
    const [g] = autograd.grad(x.cumprod(0).sum(), x, { createGraph: true });
    expectClose(g!, [-2, 1.5, -0.5]);
    const [h] = autograd.grad(g!.sum(), x);
    expectClose(h!, [2, 3.5, -0.5]);
  });
});
