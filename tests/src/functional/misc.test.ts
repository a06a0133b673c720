import { describe, expect, it } from "vitest";
import { tensor, ones, zeros, randn, manualSeed, functional as F } from "../../../src/index.js";
import { checkGrad, expectClose } from "../ops/check-op.js";

const x = tensor([[-2, -0.5, 0], [0.5, 1, 3]]);

describe("dropout", () => {
  it("zeroes about p of the elements and scales the rest by 1/(1-p)", () => {
    manualSeed(0);
    const d = F.dropout(ones(100, 100), 0.3);
    const kept = d.ne(0).sum().item();
    expect(kept).toBeGreaterThan(6700);
    expect(kept).toBeLessThan(7300);
    expect(d.max().item()).toBeCloseTo(1 / 0.7, 5);
  });
  it("is the identity when not training and deterministic under a seed", () => {
    const t = randn(4, 4);
    expect(F.dropout(t, 0.5, false)).toBe(t);
    manualSeed(3);
    const a = F.dropout(t, 0.5).toArray();
    manualSeed(3);
    expect(F.dropout(t, 0.5).toArray()).toEqual(a);
    expect(F.dropout(t, 1).abs().sum().item()).toBe(0);
  });
  it("passes the gradient through the kept elements only", () => {
    const t = ones(50, { requiresGrad: true });
    const d = F.dropout(t, 0.5);
    d.sum().backward();
    expect(t.grad!.toArray()).toEqual(d.detach().toArray());
  });
  it("rejects probabilities outside [0, 1]", () => {
    expect(() => F.dropout(x, 1.5)).toThrow("dropout: probability has to be between 0 and 1, but got 1.5");
  });
});

describe("oneHot and embedding", () => {
  it("oneHot encodes int32 labels", () => {
    expect(F.oneHot(tensor([0, 2, 1], { dtype: "int32" })).toArray()).toEqual([[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
    expect(F.oneHot(tensor([1], { dtype: "int32" }), 4).toArray()).toEqual([[0, 1, 0, 0]]);
    expect(() => F.oneHot(tensor([1.5]))).toThrow("oneHot: labels must be an integer tensor (int64, as tensor([0, 2]) makes), got dtype float32 (shape [1]); convert it with .long()");
    expect(() => F.oneHot(tensor([4], { dtype: "int32" }), 3)).toThrow("oneHot: class value 4 is too large for numClasses 3");
  });
  it("embedding looks up rows and accumulates gradients of repeated indices", () => {
    const w = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true });
    const e = F.embedding(tensor([[0, 2], [2, 2]], { dtype: "int32" }), w);
    expect(e.shape).toEqual([2, 2, 2]);
    expectClose(e.select(0, 1), [[5, 6], [5, 6]]);
    e.sum().backward();
    expectClose(w.grad!, [[1, 1], [0, 0], [3, 3]]);
  });
});

describe("normalisation", () => {
  it("layerNorm matches PyTorch and passes gradcheck", () => {
    expectClose(F.layerNorm(x, [3]), [[-1.3728034, 0.3922296, 0.980574], [-0.9258162, -0.4629081, 1.388724]], 1e-4);
    checkGrad((t, w, b) => F.layerNorm(t, [4], w, b), [[3, 4], [4], [4]]);
  });
  it("batchNorm normalises per channel and updates running stats with unbiased variance", () => {
    const rm = zeros(3), rv = ones(3);
    expectClose(F.batchNorm(x, rm, rv), [[-0.9999968, -0.9999911, -0.9999978], [0.9999968, 0.9999911, 0.9999978]]);
    expectClose(rm, [-0.075, 0.025, 0.15]);
    expectClose(rv, [0.9 + 0.1 * 3.125, 0.9 + 0.1 * 1.125, 0.9 + 0.1 * 4.5]);
    expectClose(F.batchNorm(x, rm, rv, { training: false }).select(0, 0), [(-2 + 0.075) / Math.sqrt(1.2125 + 1e-5), (-0.5 - 0.025) / Math.sqrt(1.0125 + 1e-5), -0.15 / Math.sqrt(1.35 + 1e-5)]);
    checkGrad((t, w, b) => F.batchNorm(t, null, null, { weight: w, bias: b }), [[4, 3, 2], [3], [3]]);
  });
  it("cosineSimilarity and normalize", () => {
    expectClose(F.cosineSimilarity(tensor([[1, 2, 3]]), tensor([[2, 0, 1]])), [0.5976143]);
    expectClose(F.normalize(tensor([[3, 4]])), [[0.6, 0.8]]);
  });
});
