/**
 * autograd.functional.jacobian / hessian against PyTorch 1.13's numbers: one input or several,
 * one output or several, matrix-valued functions, strict mode and the scalar check.
 */
import { describe, expect, it } from "vitest";
import { tensor, stack, autograd, type Tensor } from "../../../src/index.js";
import { expectClose } from "../ops/check-op.js";

const { jacobian, hessian } = autograd.functional;
const f64 = { dtype: "float64" as const };
const xx = tensor([0.3, -1.2], f64);

describe("jacobian", () => {
  it("of a vector function of one tensor", () => {
    const f = (x: Tensor) => stack([x.select(0, 0).mul(x.select(0, 1)), x.select(0, 0).sin(), x.select(0, 1).pow(3)]);
    expectClose(jacobian(f, xx) as Tensor, [[-1.2, 0.3], [0.955336489125606, 0], [0, 4.32]]);
  });
  it("of a function of two tensors gives one block per input", () => {
    const g = (x: Tensor, y: Tensor) => x.mul(y).exp();
    const [jx, jy] = jacobian(g, [tensor([0.1, 0.2], f64), tensor([1, -1], f64)]) as Tensor[];
    expectClose(jx, [[1.1051709180756477, 0], [0, -0.8187307530779818]]);
    expectClose(jy, [[0.11051709180756478, 0], [0, 0.1637461506155964]]);
  });
  it("of a matrix function has shape output + input", () => {
    const J = jacobian((m: Tensor) => m.matmul(m), tensor([[1, 2], [3, 4]], f64)) as Tensor;
    expect(J.shape).toEqual([2, 2, 2, 2]);
    expectClose(J, [[[[2, 3], [2, 0]], [[2, 5], [0, 2]]], [[[3, 0], [5, 3]], [[0, 3], [2, 8]]]]);
  });
  it("gives zeros for an unused input, or throws in strict mode", () => {
    const f = (x: Tensor, _y: Tensor) => x.mul(2);
    const [, jy] = jacobian(f, [xx, xx]) as Tensor[];
    expectClose(jy, [[0, 0], [0, 0]]);
    expect(() => jacobian(f, [xx, xx], { strict: true })).toThrow("jacobian: output 0 of the function is independent of input 1; this is not allowed in strict mode");
    expect(() => jacobian(f as never, xx, { strategy: "forward-mode" } as never)).toThrow('jacobian: unknown option "strategy"; accepted: createGraph, strict, vectorize');
  });
  it("does not touch the inputs' requiresGrad or .grad", () => {
    const x = tensor([1, 2], f64);
    jacobian((t: Tensor) => t.mul(t), x);
    expect(x.requiresGrad).toBe(false);
    expect(x.grad).toBeNull();
  });
});

describe("hessian", () => {
  it("of a scalar function of one tensor", () => {
    const h = (x: Tensor) => x.pow(3).sum().add(x.select(0, 0).mul(x.select(0, 1)));
    expectClose(hessian(h, xx) as Tensor, [[1.8, 1], [1, -7.2]]);
  });
  it("of a function of two tensors gives blocks [i][j]", () => {
    const h2 = (x: Tensor, y: Tensor) => x.pow(2).mul(y).sum();
    const H = hessian(h2, [tensor([0.1, 0.2], f64), tensor([1, -1], f64)]) as Tensor[][];
    expectClose(H[0][0], [[2, 0], [0, -2]]);
    expectClose(H[0][1], [[0.2, 0], [0, 0.4]]);
    expectClose(H[1][0], [[0.2, 0], [0, 0.4]]);
    expectClose(H[1][1], [[0, 0], [0, 0]]);
  });
  it("requires a single-element output", () => {
    expect(() => hessian((x: Tensor) => x.mul(2), xx)).toThrow("hessian: the function must return a single-element Tensor, got shape [2]");
  });
});
