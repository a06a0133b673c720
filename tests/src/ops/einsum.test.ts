/**
 * einsum: the common equations (matrix product, batched, diagonal, trace, transpose, dot,
 * outer, "..." broadcasting, implicit output, three operands) against PyTorch 1.13 numbers,
 * gradients through the composition, and errors that name the equation.
 */
import { describe, expect, it } from "vitest";
import { tensor, einsum, arange } from "../../../src/index.js";
import { checkGrad, expectClose } from "./check-op.js";

const f64 = { dtype: "float64" as const };
const A = () => tensor([[1, 2, 3], [4, 5, 6]], { ...f64, requiresGrad: true });
const B = () => tensor([[1, 0], [2, -1], [0.5, 3]], { ...f64, requiresGrad: true });

describe("einsum", () => {
  it("ij,jk->ik is a matrix product with its gradients", () => {
    const a = A(), b = B();
    const r = einsum("ij,jk->ik", a, b);
    expectClose(r, [[6.5, 7], [17, 13]]);
    r.mul(tensor([[1, 2], [3, 4]], f64)).sum().backward();
    expectClose(a.grad!, [[1, 0, 6.5], [3, 2, 13.5]]);
    expectClose(b.grad!, [[13, 18], [17, 24], [21, 30]]);
  });
  it("ii->i takes the diagonal, ii the trace", () => {
    const s = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]], { ...f64, requiresGrad: true });
    const d = einsum("ii->i", s);
    expectClose(d, [1, 5, 9]);
    d.mul(tensor([1, 2, 3], f64)).sum().backward();
    expectClose(s.grad!, [[1, 0, 0], [0, 2, 0], [0, 0, 3]]);
    expectClose(einsum("ii", s), 15);
  });
  it("transpose, dot, outer, row sums and implicit output", () => {
    const u = tensor([1, 2, 3], f64), v = tensor([4, -5, 6], f64);
    expectClose(einsum("ij->ji", A()), [[1, 4], [2, 5], [3, 6]]);
    expectClose(einsum("ba", A()), [[1, 4], [2, 5], [3, 6]]);
    expectClose(einsum("i,i->", u, v), 12);
    expectClose(einsum("i,j->ij", u, v.narrow(0, 0, 2)), [[4, -5], [8, -10], [12, -15]]);
    expectClose(einsum("ij->i", A()), [6, 15]);
    expectClose(einsum("ij,jk", [A(), B()]), [[6.5, 7], [17, 13]]);
  });
  it("batched products and ... broadcasting", () => {
    const X = arange(24, f64).reshape(2, 3, 4).div(10);
    const Y = arange(8, f64).reshape(4, 2).div(4);
    expectClose(einsum("...ij,...jk->...ik", X, Y), [[[0.7, 0.85], [1.9, 2.45], [3.1, 4.05]], [[4.3, 5.65], [5.5, 7.25], [6.7, 8.85]]]);
    expectClose(einsum("bij,bjk->bik", X, X.transpose(1, 2)), [[[0.14, 0.38, 0.62], [0.38, 1.26, 2.14], [0.62, 2.14, 3.66]], [[7.34, 9.5, 11.66], [9.5, 12.3, 15.1], [11.66, 15.1, 18.54]]]);
  });
  it("contracts three operands left to right", () => {
    expectClose(einsum("ij,jk,k->i", A(), B(), tensor([1, -1], f64)), [-0.5, 4]);
  });
  it("passes gradcheck for products, diagonals and broadcasting", () => {
    checkGrad((a, b) => einsum("ij,jk->ik", a, b), [[2, 3], [3, 4]]);
    checkGrad((a, b) => einsum("bij,bjk->bik", a, b), [[2, 2, 3], [2, 3, 2]]);
    checkGrad((a) => einsum("ii->i", a), [[3, 3]]);
    checkGrad((a, b) => einsum("...ij,...jk->...ik", a, b), [[2, 2, 3], [3, 2]]);
    checkGrad((a, b) => einsum("i,j->ij", a, b), [[3], [2]]);
  });
  it("names the equation in every error", () => {
    const a = A();
    expect(() => einsum("ij,jk->ik", a)).toThrow('einsum("ij,jk->ik"): the equation has 2 operand(s) but 1 tensor(s) were given');
    expect(() => einsum("ijk->i", a)).toThrow('einsum("ijk->i"): operand 0 has 2 dims (shape [2,3]) but subscripts "ijk" name 3');
    expect(() => einsum("ij,jk->ik", a, a)).toThrow('einsum("ij,jk->ik"): subscript j has size 2 in operand 1 (shape [2,3]) but 3 elsewhere');
    expect(() => einsum("ij->iz", a)).toThrow('einsum("ij->iz"): output subscript z does not appear in any operand');
    expect(() => einsum("i1->i", a)).toThrow('einsum("i1->i"): invalid subscript "1" in "i1"');
    expect(() => einsum("ii->i", a)).toThrow('einsum("ii->i"): subscript i is repeated in operand 0 for dims of different sizes 2 and 3');
  });
});

describe("einsum on integer tensors", () => {
  it("keeps the integer dtype for a diagonal, as PyTorch", () => {
    const d = einsum("ii->i", tensor([[1, 2], [3, 4]]));
    expect(d.toArray()).toEqual([1, 4]);
    expect(d.dtype).toBe(tensor([1]).dtype);
  });
});

describe("einsum, more forms (PyTorch 1.13 values)", () => {
  // The same inputs as the reference script: A = arange(6)/3 − 0.5 as 2×3, B = arange(12)/5 − 1
  // as 4×3, C = arange(27)/7 as 3×3×3, X = arange(24)/9 as 2×3×4.
  const A = arange(6, f64).reshape(2, 3).div(3).sub(0.5);
  const B = arange(12, f64).reshape(4, 3).div(5).sub(1);
  const C = arange(27, f64).reshape(3, 3, 3).div(7);
  const X = arange(24, f64).reshape(2, 3, 4).div(9);
  it("elementwise, row-wise dot, A·Bᵀ, a partial diagonal and a summed \"...\"", () => {
    expectClose(einsum("i,i->i", tensor([1, -2, 3], f64), tensor([1, -2, 3], f64)), [1, 4, 9]);
    expectClose(einsum("bi,bi->b", A, A), [0.305555555556, 2.305555555556], 1e-9);
    expectClose(einsum("ij,kj->ik", A, B), [[0.533333333333, 0.233333333333, -0.066666666667, -0.366666666667], [-1.866666666667, -0.366666666667, 1.133333333333, 2.633333333333]], 1e-9);
    expectClose(einsum("iij->ij", C), [[0.0, 0.142857142857, 0.285714285714], [1.714285714286, 1.857142857143, 2.0], [3.428571428571, 3.571428571429, 3.714285714286]], 1e-9);
    expectClose(einsum("...i->...", X), [[0.666666666667, 2.444444444444, 4.222222222222], [6.0, 7.777777777778, 9.555555555556]], 1e-9);
  });
});
