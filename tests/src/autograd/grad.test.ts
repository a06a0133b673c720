/**
 * autograd.grad (PyTorch's torch.autograd.grad): one tensor or arrays for outputs and inputs,
 * gradOutputs, createGraph for second derivatives, allowUnused / materializeGrads, `.grad`
 * left untouched everywhere, and the errors PyTorch raises, with what to write.
 */
import { describe, expect, it } from "vitest";
import { tensor, autograd } from "../../../src/index.js";
import { expectClose } from "../ops/check-op.js";

const f64 = { dtype: "float64" as const, requiresGrad: true };

describe("autograd.grad", () => {
  it("returns one gradient per input and supports second derivatives (PyTorch values)", () => {
    const x = tensor([0.5, -1, 2], f64), w = tensor([1.5, 2, -0.5], f64);
    const y = x.mul(x).mul(w).sum();
    const [gx, gw] = autograd.grad(y, [x, w], { createGraph: true });
    expectClose(gx!, [1.5, -4, -2]);
    expectClose(gw!, [0.25, 1, 4]);
    expect(gx!.requiresGrad).toBe(true);
    const [g2] = autograd.grad(gx!.sum(), x);
    expectClose(g2!, [3, 4, -1]);
  });
  it("takes one tensor for inputs and still returns an array", () => {
    const x = tensor([1, 2], f64);
    const grads = autograd.grad(x.pow(2).sum(), x);
    expect(grads).toHaveLength(1);
    expectClose(grads[0]!, [2, 4]);
  });
  it("sums over several outputs and takes gradOutputs for non-scalar ones", () => {
    const a = tensor([1, 2], f64);
    const [g] = autograd.grad([a.pow(2).sum(), a.prod()], a);
    expectClose(g!, [4, 5]);
    const [h] = autograd.grad(a.mul(tensor([3, 4], { dtype: "float64" })), [a], { gradOutputs: tensor([1, -2], { dtype: "float64" }) });
    expectClose(h!, [3, -8]);
  });
  it("leaves .grad of the inputs and of every other leaf untouched", () => {
    const x = tensor([1, 2], f64), w = tensor([3, 4], f64);
    const before = tensor([9, 9], { dtype: "float64" });
    x.grad = before;
    autograd.grad(x.mul(w).sum(), x);
    expect(x.grad).toBe(before);
    expect(w.grad).toBeNull();
  });
  it("differentiates with respect to a non-leaf tensor", () => {
    const x = tensor([1, 2], f64);
    const h = x.mul(3);
    const [g] = autograd.grad(h.pow(2).sum(), h);
    expectClose(g!, [6, 12]);
  });
  it("gives null or zeros for unused inputs only when asked", () => {
    const x = tensor([1, 2], f64), z = tensor([5], f64);
    expect(() => autograd.grad(x.sum(), [x, z])).toThrow("autograd.grad: inputs[1] (shape [1]) was not used in the graph of the outputs; pass { allowUnused: true } to get null for it");
    expect(autograd.grad(x.sum(), [x, z], { allowUnused: true })[1]).toBeNull();
    expectClose(autograd.grad(x.sum(), [x, z], { materializeGrads: true })[1]!, [0]);
  });
  it("raises PyTorch's errors with what to write", () => {
    const x = tensor([1, 2], f64);
    const c = tensor([1, 2], { dtype: "float64" });
    expect(() => autograd.grad(x.sum(), c)).toThrow("autograd.grad: inputs[0] (shape [2]) does not require grad; create it with { requiresGrad: true } or call requiresGrad_()");
    expect(() => autograd.grad(c.sum(), x)).toThrow("autograd.grad: outputs[0] (shape []) does not require grad and has no grad_fn");
    expect(() => autograd.grad(x.mul(2), x)).toThrow("autograd.grad: grad can be implicitly created only for scalar outputs; outputs[0] has shape [2], pass gradOutputs");
    expect(() => autograd.grad(x.sum(), x, { create_graph: true } as never)).toThrow('autograd.grad: unknown option "create_graph"; accepted: gradOutputs, retainGraph, createGraph, allowUnused, materializeGrads (did you mean "createGraph"?)');
    const y = x.exp().sum();
    autograd.grad(y, x);
    expect(() => autograd.grad(y, x)).toThrow("a second time");
  });
});

describe("autograd.backward", () => {
  it("accumulates into .grad from several tensors at once", () => {
    const x = tensor([1, 2], f64);
    autograd.backward([x.pow(2).sum(), x.mul(3)], [null, tensor([1, 1], { dtype: "float64" })]);
    expectClose(x.grad!, [5, 7]);
  });
});
