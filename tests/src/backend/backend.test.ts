import { afterEach, describe, expect, it } from "vitest";
import { tensor, zeros, getBackend, setBackend, backends, registerBackend } from "../../../src/index.js";
import { createCpuBackend } from "../../../src/backend/cpu/cpu-backend.js";
import { expectClose } from "../ops/check-op.js";

// A second backend with its own buffers: the cpu kernels under another name.
registerBackend("mirror", () => createCpuBackend("mirror"));

describe("backend registry", () => {
  afterEach(() => setBackend("cpu"));
  it("starts on the cpu reference backend", () => {
    expect(getBackend()).toBe("cpu");
    expect(backends()).toContain("cpu");
    expect(zeros(1).device).toBe("cpu");
  });
  it("setBackend changes where new tensors live", () => {
    setBackend("mirror");
    expect(getBackend()).toBe("mirror");
    const t = tensor([1, 2]).add(1);
    expect(t.device).toBe("mirror");
    expect(t.toArray()).toEqual([2, 3]);
  });
  it("rejects unknown backends naming the choices", () => {
    expect(() => setBackend("tpu")).toThrow(/^setBackend: unknown backend "tpu"; available: cpu, .*mirror/);
  });
  it("to(name) moves data, and gradients flow back to the source backend", () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const m = a.to("mirror");
    expect(m.device).toBe("mirror");
    expect(m.buf).not.toBe(a.buf);
    m.mul(m).sum().backward();
    expect(a.grad!.device).toBe("cpu");
    expectClose(a.grad!, [2, 4]);
  });
  it("refuses to mix tensors from different backends", () => {
    const m = tensor([1]).to("mirror");
    expect(() => tensor([1]).add(m)).toThrow("add: tensors are on different backends: cpu and mirror");
    expect(() => tensor([[1]]).matmul(tensor([[1]]).to("mirror"))).toThrow("matmul: tensors are on different backends: cpu and mirror");
  });
});

describe("gatherStrided", () => {
  it("copies any view row-major, by whole rows where the last dim is contiguous", async () => {
    const { gatherStrided } = await import("../../../src/backend/cpu/buffer.js");
    const src = Float32Array.from({ length: 4000 }, (_, i) => i * 0.5 - 7);
    const naive = (shape: number[], strides: number[], offset: number): number[] => {
      const out: number[] = [];
      const walk = (d: number, off: number): void => {
        if (d === shape.length) return void out.push(src[off]);
        for (let i = 0; i < shape[d]; i++) walk(d + 1, off + i * strides[d]);
      };
      walk(0, offset);
      return out;
    };
    // [B, H] columns of a [B, 2H] block (narrow), a 3-D slab, short rows, a transpose, a broadcast.
    const views: [number[], number[], number][] = [[[5, 20], [40, 1], 20], [[3, 4, 17], [200, 40, 1], 3], [[6, 7], [10, 1], 1], [[9, 30], [1, 9], 0], [[4, 18], [0, 1], 11]];
    for (const [shape, strides, offset] of views) {
      expect(Array.from(gatherStrided(src, { shape, strides, offset })), JSON.stringify({ shape, strides })).toEqual(naive(shape, strides, offset));
    }
  });
});
