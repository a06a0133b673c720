// Expected strings are PyTorch 1.13's repr() of the same tensors (dtype names are ours).
import { describe, expect, it } from "vitest";
import { tensor, arange, zeros, jupyterDisplay } from "../../../src/index.js";
import { inspect } from "node:util";

describe("tensor display", () => {
  it("prints like PyTorch with requires_grad", () => {
    const t = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    expect(t.toString()).toBe("tensor([[1., 2.],\n        [3., 4.]], requires_grad=True)");
    expect(t[jupyterDisplay]()["text/plain"]).toBe(t.toString());
    expect(jupyterDisplay).toBe(Symbol.for("Jupyter.display"));
    expect(inspect(t)).toBe(t.toString());
    expect(`${t}`).toBe(t.toString());
  });
  it("uses four decimals, scientific notation for wide ranges, and right-aligns", () => {
    expect(String(tensor([[0.05, 0.1]]))).toBe("tensor([[0.0500, 0.1000]])");
    expect(String(tensor([1e-5, 1, 1000]))).toBe("tensor([1.0000e-05, 1.0000e+00, 1.0000e+03])");
    expect(String(tensor(3.5))).toBe("tensor(3.5000)");
    expect(String(tensor([-1.5, 2.25], { dtype: "float64" }))).toBe("tensor([-1.5000,  2.2500], dtype=float64)");
    expect(String(tensor([NaN, 1, Infinity]))).toBe("tensor([nan, 1., inf])");
  });
  it("separates higher-dimensional blocks with blank lines", () => {
    expect(String(arange(8, { dtype: "float32" }).reshape(2, 2, 2))).toBe(
      "tensor([[[0., 1.],\n         [2., 3.]],\n\n        [[4., 5.],\n         [6., 7.]]])",
    );
  });
  it("wraps long rows at 80 columns", () => {
    expect(String(arange(30, { dtype: "float32" }).mul(1.5))).toBe(
      "tensor([ 0.0000,  1.5000,  3.0000,  4.5000,  6.0000,  7.5000,  9.0000, 10.5000,\n" +
        "        12.0000, 13.5000, 15.0000, 16.5000, 18.0000, 19.5000, 21.0000, 22.5000,\n" +
        "        24.0000, 25.5000, 27.0000, 28.5000, 30.0000, 31.5000, 33.0000, 34.5000,\n" +
        "        36.0000, 37.5000, 39.0000, 40.5000, 42.0000, 43.5000])",
    );
  });
  it("summarises more than 1000 elements with edge items", () => {
    expect(String(arange(2000, { dtype: "float32" }))).toBe(
      "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])",
    );
    const big = String(arange(5000, { dtype: "float32" }).reshape(50, 100));
    expect(big.split("\n").slice(0, 3).join("\n")).toBe(
      "tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 9.7000e+01, 9.8000e+01,\n         9.9000e+01],\n        [1.0000e+02, 1.0100e+02, 1.0200e+02,  ..., 1.9700e+02, 1.9800e+02,",
    );
    expect(big).toContain("        ...,\n        [4.7000e+03");
  });
  it("prints bools, ints, empties and grad_fn", () => {
    expect(String(tensor([true, false]))).toBe("tensor([ True, False])");
    expect(String(tensor([1, 2], { dtype: "int32" }))).toBe("tensor([1, 2], dtype=int32)");
    expect(String(zeros(0, 3))).toBe("tensor([], size=(0, 3))");
    expect(String(tensor([1, 2], { requiresGrad: true }).mul(2))).toBe("tensor([2., 4.], grad_fn=<MulBackward0>)");
  });
});
