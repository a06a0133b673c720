import { describe, expect, it } from "vitest";
import {
  tensor, zeros, ones, full, eye, arange, linspace, rand, randn, randint, randperm, zerosLike, onesLike,
  fullLike, randLike, randnLike, fromArray, manualSeed, Generator,
} from "../../../src/index.js";

describe("tensor()", () => {
  it("makes float32 from plain numbers and keeps the nesting as the shape", () => {
    const t = tensor([[0.05, 0.1]], { requiresGrad: true });
    expect(t.shape).toEqual([1, 2]);
    expect(t.dtype).toBe("float32");
    expect(t.requiresGrad).toBe(true);
    expect(t.grad).toBe(null);
    // PyTorch's inference: whole numbers give int64 (JavaScript's 1.0 is 1, so this holds for [1.0, 2.0] too),
    // any fraction float32, and requiresGrad (floats only) implies float32.
    expect(tensor([1, 2]).dtype).toBe("int64");
    expect(tensor([1.0, 2.5]).dtype).toBe("float32");
    expect(tensor([1, 2], { requiresGrad: true }).dtype).toBe("float32");
    expect(tensor([2 ** 53 - 1]).item()).toBe(2 ** 53 - 1);
    expect(tensor([2 ** 53]).dtype).toBe("float32");
    expect(() => tensor([2 ** 53], { dtype: "int64" })).toThrow("tensor: value 9007199254740992 cannot be converted to int64 without overflow; use float64");
    expect(() => tensor([3e9], { dtype: "int32" })).toThrow("tensor: value 3000000000 cannot be converted to int32 without overflow; use int64");
    expect(tensor([1.9, -1.9]).long().toArray()).toEqual([1, -1]);
    expect(() => tensor([NaN]).long()).toThrow("to(int64): value NaN cannot be converted to int64 without overflow");
    expect(tensor(7).shape).toEqual([]);
    expect(tensor(7).item()).toBe(7);
  });
  it("honours dtype and infers bool, float64 and int32 from the data", () => {
    expect(tensor([1, 2], { dtype: "int32" }).toArray()).toEqual([1, 2]);
    expect(tensor([1.7], { dtype: "int32" }).item()).toBe(1);
    expect(tensor([true, false]).dtype).toBe("bool");
    expect(tensor(new Float64Array([1, 2])).dtype).toBe("float64");
    expect(tensor(new Int32Array([1, 2])).dtype).toBe("int32");
    expect(tensor(new Float32Array([1, 2])).dtype).toBe("float32");
  });
  it("round-trips nested arrays through toArray", () => {
    const data = [[[1, 2], [3, 4]], [[5, 6], [7, 8]]];
    expect(tensor(data).toArray()).toEqual(data);
    expect(tensor([true, false]).toArray()).toEqual([true, false]);
  });
  it("copies another tensor", () => {
    const a = tensor([1, 2]);
    const b = tensor(a, { dtype: "float64" });
    expect(b.dtype).toBe("float64");
    expect(b.buf).not.toBe(a.buf);
  });
  it("rejects ragged arrays, bad dtypes and integer tensors that require grad", () => {
    expect(() => tensor([[1, 2], [3]])).toThrow("tensor: expected sequence of length 2 at dim 1 (got 1); nested arrays must be rectangular");
    expect(() => tensor([1], { dtype: "int16" as "int32" })).toThrow('tensor: dtype "int16" is not supported by gradnote; use int32 instead');
    expect(() => tensor([1], { dtype: "int8x" as "int32" })).toThrow('tensor: unknown dtype "int8x"; expected one of bool, int32, int64, float32, float64 (or long, int, float, double)');
    expect(tensor([1], { dtype: "long" as "int64" }).dtype).toBe("int64");
    expect(() => tensor([1], { dtype: "int32", requiresGrad: true })).toThrow("tensor: only floating point tensors can require gradients, got dtype int32");
    expect(() => tensor(["a" as unknown as number])).toThrow("tensor: expected a number at depth 1, got string");
  });
});

describe("creation functions", () => {
  it("zeros, ones and full take a shape array or spread dims", () => {
    expect(zeros([2, 3]).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(zeros(2, 3).shape).toEqual([2, 3]);
    expect(ones(2, { dtype: "int32" }).toArray()).toEqual([1, 1]);
    expect(full([2], 7).toArray()).toEqual([7, 7]);
    expect(ones([2, 2], { requiresGrad: true }).requiresGrad).toBe(true);
    expect(() => zeros([2, -1])).toThrow("zeros: shape must be non-negative integers, got [2,-1]");
  });
  it("eye, arange and linspace", () => {
    expect(eye(2).toArray()).toEqual([[1, 0], [0, 1]]);
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(arange(4).dtype).toBe("int64");
    expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(arange(1, 2, 0.25).dtype).toBe("float32");
    expect(arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(arange(3, { dtype: "float64" }).dtype).toBe("float64");
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(() => arange(0, 1, 0)).toThrow("arange: step must be non-zero, got 0");
  });
  it("fromArray shapes flat data", () => {
    expect(fromArray(new Float32Array([1, 2, 3, 4]), [2, 2]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(() => fromArray([1, 2, 3], [2, 2])).toThrow("fromArray: 3 values do not fill shape [2,2] (4 elements)");
  });
  it("*Like copy shape, dtype and backend", () => {
    const x = randn([2, 3], { dtype: "float64" });
    expect(zerosLike(x).dtype).toBe("float64");
    expect(onesLike(x).shape).toEqual([2, 3]);
    expect(fullLike(x, 2).sum().item()).toBe(12);
    expect(randLike(x).shape).toEqual([2, 3]);
    expect(randnLike(x).dtype).toBe("float64");
  });
});

describe("random creation", () => {
  it("randn([3,4], {requiresGrad, dtype}) works as in the contract", () => {
    const r = randn([3, 4], { requiresGrad: true, dtype: "float64" });
    expect(r.shape).toEqual([3, 4]);
    expect(r.dtype).toBe("float64");
    expect(r.requiresGrad).toBe(true);
  });
  it("manualSeed makes results identical run to run", () => {
    manualSeed(42);
    const a = rand(5).toArray();
    const b = randn(5).toArray();
    manualSeed(42);
    expect(rand(5).toArray()).toEqual(a);
    expect(randn(5).toArray()).toEqual(b);
    manualSeed(43);
    expect(rand(5).toArray()).not.toEqual(a);
  });
  it("rand is uniform in [0, 1) and randn is standard normal", () => {
    manualSeed(0);
    const u = rand(20000);
    expect(u.min().item()).toBeGreaterThanOrEqual(0);
    expect(u.max().item()).toBeLessThan(1);
    expect(u.mean().item()).toBeCloseTo(0.5, 1);
    const n = randn(20000);
    expect(n.mean().item()).toBeCloseTo(0, 1);
    expect(n.std().item()).toBeCloseTo(1, 1);
  });
  it("randint and randperm give int64 values in range", () => {
    const r = randint(0, 10, [1000]);
    expect(r.dtype).toBe("int64");
    expect(r.min().item()).toBe(0);
    expect(r.max().item()).toBe(9);
    expect(randint(3, [4]).max().item()).toBeLessThan(3);
    const p = randperm(10);
    expect([...p.dataSync()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => randint(5, 5, [2])).toThrow("randint: high (5) must be greater than low (5)");
  });
  it("a Generator gives its own reproducible stream", () => {
    const g1 = new Generator(7), g2 = new Generator(7);
    expect(rand(3, { generator: g1 }).toArray()).toEqual(rand(3, { generator: g2 }).toArray());
    expect(new Generator(1).permutation(5)).not.toEqual(new Generator(2).permutation(5));
  });
});
