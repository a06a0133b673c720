import { describe, expect, it } from "vitest";
import { tensor, zeros, randn, arange, tidy, keep, memory, Tensor, registerBackend, setBackend } from "../../../src/index.js";
import { createCpuBackend } from "../../../src/backend/cpu/cpu-backend.js";

// A backend that pretends its memory is invisible to the GC, so memory() must count it.
registerBackend("untracked-test", () => ({ ...createCpuBackend("untracked-test"), gcManaged: false }));

describe("Tensor basics", () => {
  it("exposes shape, dtype, ndim, numel and size", () => {
    const t = randn(2, 3, 4);
    expect(t.shape).toEqual([2, 3, 4]);
    expect(t.ndim).toBe(3);
    expect(t.dim()).toBe(3);
    expect(t.numel()).toBe(24);
    expect(t.size()).toEqual([2, 3, 4]);
    expect(t.size(-1)).toBe(4);
    expect(t.device).toBe("cpu");
    expect(() => t.size(3)).toThrow("size: dim 3 out of range for shape [2,3,4]");
  });
  it("freezes shape so it cannot be changed by accident", () => {
    const t = zeros(2, 2);
    expect(() => t.shape.push(1)).toThrow();
  });
  it("item() needs exactly one element", () => {
    expect(tensor([[5]]).item()).toBe(5);
    expect(() => tensor([1, 2]).item()).toThrow("item: a tensor with 2 elements cannot be converted to a number (shape [2])");
  });
  it("reads strided views in logical order with dataSync and data()", async () => {
    const t = arange(6, { dtype: "float32" }).reshape(2, 3).t();
    expect([...t.dataSync()]).toEqual([0, 3, 1, 4, 2, 5]);
    expect([...(await t.dataAsync())]).toEqual([0, 3, 1, 4, 2, 5]);
  });
  it("only floating tensors can require grad; requiresGrad_ returns the tensor", () => {
    const t = tensor([1, 2], { dtype: "float32" });
    expect(t.requiresGrad_()).toBe(t);
    expect(t.requiresGrad).toBe(true);
    expect(() => tensor([1], { dtype: "int32" }).requiresGrad_()).toThrow("requiresGrad: only floating point tensors can require gradients, got dtype int32");
    expect(() => t.mul(2).requiresGrad_(false)).toThrow("requiresGrad: cannot turn off gradients of a non-leaf tensor; use detach()");
  });
});

describe("memory", () => {
  it("dispose releases the tensor and later use names the problem", () => {
    const t = zeros(3);
    t.dispose();
    expect(t.isDisposed).toBe(true);
    expect(() => t.add(1)).toThrow("tensor: use of a disposed tensor of shape [3]");
    t.dispose();
  });
  it("supports `using`-style disposal through Symbol.dispose", () => {
    const t = zeros(2);
    t[Symbol.dispose]();
    expect(t.isDisposed).toBe(true);
  });
  it("tidy disposes intermediates but keeps results, kept tensors and parameters", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    let inner: Tensor | null = null;
    let kept: Tensor | null = null;
    let param: Tensor | null = null;
    const out = tidy(() => {
      inner = w.mul(2);
      kept = keep(w.add(1));
      param = zeros(2).requiresGrad_();
      return { y: inner.sum() };
    });
    expect(inner!.isDisposed).toBe(true);
    expect(out.y.isDisposed).toBe(false);
    expect(out.y.item()).toBe(6);
    expect(kept!.isDisposed).toBe(false);
    expect(param!.isDisposed).toBe(false);
  });
  it("tidy waits for an async function before disposing", async () => {
    let inner: Tensor | null = null;
    const p = tidy(async () => {
      inner = zeros(2).add(1);
      await new Promise((r) => setTimeout(r, 5));
      expect(inner.isDisposed).toBe(false);
      return inner.sum();
    });
    const s = await p;
    expect(inner!.isDisposed).toBe(true);
    expect(s.item()).toBe(2);
  });
  it("memory() counts tensors of backends the GC cannot see, and cpu bytes as jsBytes", () => {
    setBackend("untracked-test");
    try {
      const before = memory();
      const t = zeros(1000, { dtype: "float64" });
      const after = memory();
      expect(after.numTensors).toBe(before.numTensors + 1);
      expect(after.numBytes - before.numBytes).toBe(8000);
      const view = t.reshape(10, 100);
      expect(memory().numBuffers).toBe(before.numBuffers + 1);
      t.dispose();
      expect(memory().numBytes).toBe(after.numBytes);
      view.dispose();
      expect(memory().numBytes).toBe(before.numBytes);
      expect(memory().numTensors).toBe(before.numTensors);
    } finally {
      setBackend("cpu");
    }
    const cpuBefore = memory();
    zeros(1000);
    expect(memory().numTensors).toBe(cpuBefore.numTensors);
    expect(memory().jsBytes).toBeGreaterThan(0);
  });
});
