import { describe, expect, it } from "vitest";
import { tensor, add, sub, mul, div, pow, where, clamp, maximum, minimum, grad, Tensor } from "../../../src/index.js";
import { reluGrad } from "../../../src/ops/elementwise.js";
import { checkGrad, checkOp, expectClose } from "./check-op.js";

const x = tensor([[-2, -0.5, 0], [0.5, 1, 3]]);

describe("elementwise unary ops", () => {
  const cases: [string, (t: Tensor) => Tensor, number[][], ((t: Tensor) => Tensor)?][] = [
    ["neg", (t) => t.neg(), [[2, 0.5, -0], [-0.5, -1, -3]]],
    ["exp", (t) => t.exp(), [[0.135335, 0.606531, 1], [1.648721, 2.718282, 20.085537]]],
    ["abs", (t) => t.abs(), [[2, 0.5, 0], [0.5, 1, 3]]],
    ["tanh", (t) => t.tanh(), [[-0.964028, -0.462117, 0], [0.462117, 0.761594, 0.995055]]],
    ["sigmoid", (t) => t.sigmoid(), [[0.119203, 0.377541, 0.5], [0.622459, 0.731059, 0.952574]]],
    ["relu", (t) => t.relu(), [[0, 0, 0], [0.5, 1, 3]]],
    ["square", (t) => t.square(), [[4, 0.25, 0], [0.25, 1, 9]]],
    ["sin", (t) => t.sin(), [[-0.909297, -0.479426, 0], [0.479426, 0.841471, 0.14112]]],
    ["cos", (t) => t.cos(), [[-0.416147, 0.877583, 1], [0.877583, 0.540302, -0.989992]]],
    ["erf", (t) => t.erf(), [[-0.995322, -0.5205, 0], [0.5205, 0.842701, 0.999978]]],
    ["pow 2", (t) => t.pow(2), [[4, 0.25, 0], [0.25, 1, 9]]],
    ["pow 3", (t) => t.pow(3), [[-8, -0.125, 0], [0.125, 1, 27]]],
  ];
  for (const [name, fn, want] of cases) {
    it(`${name} matches hand-checked values and passes gradcheck`, () => {
      checkOp(fn, [x], want, { grad: !["relu", "abs"].includes(name) });
    });
  }

  const positive: [string, (t: Tensor) => Tensor, number[]][] = [
    ["log", (t) => t.log(), [0, 0.693147, 2.302585]],
    ["sqrt", (t) => t.sqrt(), [1, 1.414214, 3.162278]],
    ["rsqrt", (t) => t.rsqrt(), [1, 0.707107, 0.316228]],
    ["reciprocal", (t) => t.reciprocal(), [1, 0.5, 0.1]],
    ["log1p", (t) => t.log1p(), [0.693147, 1.098612, 2.397895]],
    ["pow 0.5", (t) => t.pow(0.5), [1, 1.414214, 3.162278]],
  ];
  for (const [name, fn, want] of positive) {
    it(`${name} of positive inputs matches values and passes gradcheck`, () => {
      checkOp(fn, [tensor([1, 2, 10])], want, { transform: (t) => t.abs().add(0.5) });
    });
  }

  it("relu and abs pass gradcheck away from the kink", () => {
    checkGrad((t) => t.relu(), [[3, 4]], { transform: (t) => t.add(t.sign().mul(0.1)) });
    checkGrad((t) => t.abs(), [[3, 4]], { transform: (t) => t.add(t.sign().mul(0.1)) });
  });

  it("relu's one-pass backward is PyTorch's threshold_backward on every backend, NaN and the kink included", () => {
    // where(x <= 0, 0, g): x = 0 passes no gradient, x = NaN passes it, and a NaN gradient
    // becomes 0 where x ≤ 0 (PyTorch 2.13: relu(x).backward(nan) at x = [-1, 0, 2, nan] gives [0, 0, nan, nan]).
    const g = tensor([1, 2, 3, NaN, NaN, -4]);
    const x = tensor([1, 0, NaN, -1, 2, 5]);
    checkOp((a, b) => reluGrad(a, b), [g, x], [1, 0, 3, 0, NaN, -4]);
    // Twice differentiable through the upstream gradient: d/dx Σ d/dx relu(x)² = 2·[x > 0].
    const t = tensor([-1.5, 0.5, 2, -0.25], { dtype: "float64", requiresGrad: true });
    const [first] = grad(t.relu().square().sum(), [t], { createGraph: true });
    expectClose(first!, [0, 1, 4, 0]);
    first!.sum().backward();
    expectClose(t.grad!, [0, 2, 2, 0]);
  });

  it("rounds half to even like PyTorch", () => {
    expectClose(tensor([0.5, 1.5, 2.5, -0.5, -1.5, 2.4]).round(), [0, 2, 2, -0, -2, 2]);
  });

  it("floor, ceil and sign have zero gradient", () => {
    const t = tensor([1.5, -2.5], { dtype: "float64", requiresGrad: true });
    t.floor().add(t.ceil()).add(t.sign()).sum().backward();
    expectClose(t.grad!, [0, 0]);
  });

  it("keeps int32 for neg/abs/relu but makes exp float32", () => {
    const i = tensor([-1, 2], { dtype: "int32" });
    expect(i.neg().dtype).toBe("int32");
    expect(i.relu().toArray()).toEqual([0, 2]);
    expect(i.exp().dtype).toBe("float32");
  });
});

describe("elementwise binary ops", () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  const b = tensor([[2], [4]]);
  it("add broadcasts [2,3] with [2,1] and passes gradcheck", () => {
    checkOp(add, [a, b], [[3, 4, 5], [8, 9, 10]]);
  });
  it("sub, mul, div broadcast a row vector", () => {
    const r = tensor([1, 2, 4]);
    checkOp(sub, [a, r], [[0, 0, -1], [3, 3, 2]]);
    checkOp(mul, [a, r], [[1, 4, 12], [4, 10, 24]]);
    checkOp(div, [a, r], [[1, 1, 0.75], [4, 2.5, 1.5]]);
  });
  it("pow with a tensor exponent passes gradcheck for positive bases", () => {
    checkOp(pow, [tensor([1, 2, 3]), tensor([2, 0.5, -1])], [1, 1.414214, 0.333333], { transform: (t) => t.abs().add(0.5) });
  });
  it("maximum and minimum pick elementwise and split ties", () => {
    checkOp(maximum, [tensor([1, 5, 3]), tensor([2, 4, 3])], [2, 5, 3], { grad: false });
    checkOp(minimum, [tensor([1, 5, 3]), tensor([2, 4, 3])], [1, 4, 3], { grad: false });
    checkGrad(maximum, [[3, 4], [4]]);
    const p = tensor([3], { requiresGrad: true }), q = tensor([3], { requiresGrad: true });
    maximum(p, q).sum().backward();
    expect(p.grad!.item()).toBe(0.5);
  });
  it("accepts plain numbers on either side", () => {
    expectClose(tensor([1, 2]).add(1), [2, 3]);
    expectClose(tensor([1, 2]).mul(0.5), [0.5, 1]);
    expectClose(sub(10, tensor([1, 2])), [9, 8]);
  });
  it("promotes dtypes like PyTorch", () => {
    const i = tensor([1, 2], { dtype: "int32" });
    expect(i.add(1).dtype).toBe("int32");
    expect(i.add(1.5).dtype).toBe("float32");
    expect(i.div(2).dtype).toBe("float32");
    expect(i.div(2).toArray()).toEqual([0.5, 1]);
    expect(tensor([1], { dtype: "float64" }).add(tensor([1])).dtype).toBe("float64");
  });
  it("gradients of broadcast inputs sum over the broadcast dims", () => {
    checkGrad((p, q) => p.mul(q), [[3, 1], [1, 4]]);
    checkGrad((p, q) => p.div(q), [[2, 3, 4], [3, 1]], { transform: (t) => t.abs().add(1) });
  });
  it("names the op and both shapes when shapes cannot broadcast", () => {
    expect(() => add(tensor([[1, 2, 3]]), tensor([1, 2]))).toThrow("add: shapes cannot be broadcast: a=[1,3] b=[2]");
  });
});

describe("comparisons, where and clamp", () => {
  it("comparisons return bool tensors", () => {
    const c = tensor([1, 2, 3]).gt(2);
    expect(c.dtype).toBe("bool");
    expect(c.toArray()).toEqual([false, false, true]);
    expect(tensor([1, 2, 3]).le(tensor([3, 2, 1])).toArray()).toEqual([true, true, false]);
    expect(tensor([1, 2]).eq(2).toArray()).toEqual([false, true]);
    expect(tensor([1, 2]).ne(2).toArray()).toEqual([true, false]);
  });
  it("where picks from a or b and sends gradients to the chosen side", () => {
    const cond = tensor([true, false, true]);
    checkOp((p, q) => where(cond, p, q), [tensor([1, 2, 3]), tensor([10, 20, 30])], [1, 20, 3], { otherBackends: false });
    expectClose(where(tensor([true, false]), 1, 0), [1, 0]);
  });
  it("clamp limits values and passes gradient only inside the range", () => {
    checkOp((t) => clamp(t, -1, 1), [tensor([-2, 0.5, 3])], [-1, 0.5, 1], { grad: false });
    expectClose(clamp(tensor([-2, 5]), 0), [0, 5]);
    expectClose(tensor([-2, 5]).clamp(null, 1), [-2, 1]);
    const t = tensor([-2, 0.5, 3], { requiresGrad: true });
    t.clamp(-1, 1).sum().backward();
    expectClose(t.grad!, [0, 1, 0]);
    expect(() => clamp(t)).toThrow("clamp: at least one of min or max must be given");
  });
});
