import { describe, expect, it } from "vitest";
import { tensor, noGrad, enableGrad, isGradEnabled, grad, ones, randn, functional as F } from "../../../src/index.js";
import { expectClose } from "../ops/check-op.js";

describe("backward", () => {
  it("backpropagates the chain rule through a small network (hand-checked)", () => {
    const x = tensor([[0.05, 0.1]]);
    const w = tensor([[0.15, 0.25], [0.2, 0.3]], { requiresGrad: true });
    const b = tensor([0.35], { requiresGrad: true });
    const h = x.matmul(w).add(b).sigmoid();
    const loss = h.sub(tensor([[0.01, 0.99]])).pow(2).mul(0.5).sum();
    loss.backward();
    // dL/dz_j = (h_j - t_j)·h_j·(1 - h_j); dL/dw_ij = x_i·dL/dz_j.
    const z = [0.05 * 0.15 + 0.1 * 0.2 + 0.35, 0.05 * 0.25 + 0.1 * 0.3 + 0.35];
    const hv = z.map((v) => 1 / (1 + Math.exp(-v)));
    const dz = [(hv[0] - 0.01) * hv[0] * (1 - hv[0]), (hv[1] - 0.99) * hv[1] * (1 - hv[1])];
    expectClose(w.grad!, [[0.05 * dz[0], 0.05 * dz[1]], [0.1 * dz[0], 0.1 * dz[1]]], 1e-6);
    expectClose(b.grad!, [dz[0] + dz[1]], 1e-6);
  });
  it("accumulates gradients across calls until they are zeroed", () => {
    const a = tensor([1, 2], { requiresGrad: true });
    a.mul(3).sum().backward();
    a.mul(3).sum().backward();
    expectClose(a.grad!, [6, 6]);
    a.grad = null;
    a.mul(a).sum().backward();
    expectClose(a.grad!, [2, 4]);
  });
  it("sums gradients when a tensor is used twice (diamond graph)", () => {
    const a = tensor([3], { requiresGrad: true });
    const b = a.mul(2);
    b.mul(b).add(b).sum().backward();
    expectClose(a.grad!, [2 * (2 * 6) + 2]);
  });
  it("takes a gradient argument for non-scalar outputs and checks its shape", () => {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const y = a.mul(2);
    expect(() => y.backward()).toThrow("backward: grad can be implicitly created only for scalar outputs, got shape [3]");
    y.backward(tensor([1, 0.5, 0]));
    expectClose(a.grad!, [2, 1, 0]);
    expect(() => a.mul(2).backward(tensor([1, 2]))).toThrow("backward: gradient shape [2] does not match output shape [3]");
  });
  it("frees the graph after backward unless retainGraph is set", () => {
    const a = tensor([1], { requiresGrad: true });
    const y = a.exp().sum();
    y.backward({ retainGraph: true });
    y.backward();
    expectClose(a.grad!, [2 * Math.E]);
    const z = a.exp().sum();
    z.backward(null, { retainGraph: true });
    z.backward();
    expect(() => z.backward()).toThrow(/backward: trying to backward through SumBackward0 a second time/);
  });
  it("does not give gradients to tensors that do not require them", () => {
    const a = tensor([1, 2]);
    const b = tensor([3, 4], { requiresGrad: true });
    a.mul(b).sum().backward();
    expect(a.grad).toBe(null);
    expectClose(b.grad!, [1, 2]);
    expect(() => a.sum().backward()).toThrow("backward: tensor of shape [] does not require grad and has no grad_fn");
  });
  it("leaves .grad of non-leaves empty unless retainGrad is called", () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const h = a.mul(2);
    const k = a.mul(3).retainGrad();
    h.add(k).sum().backward();
    expect(h.grad).toBe(null);
    expectClose(k.grad!, [1, 1]);
    expect(h.isLeaf).toBe(false);
    expect(a.isLeaf).toBe(true);
  });
  it("runs tensor hooks, which may replace the gradient", () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const seen: number[][] = [];
    const h = a.mul(2);
    h.registerHook((g) => {
      seen.push(g.toArray());
      return g.mul(10);
    });
    const handle = a.registerHook((g) => void seen.push(g.toArray()));
    h.sum().backward();
    expect(seen).toEqual([[1, 1], [20, 20]]);
    expectClose(a.grad!, [20, 20]);
    handle.remove();
    a.grad = null;
    a.sum().backward();
    expect(seen.length).toBe(2);
    expect(() => tensor([1]).registerHook(() => undefined)).toThrow("registerHook: cannot register a hook on a tensor that doesn't require gradient");
  });
  it("noGrad records nothing; enableGrad turns recording back on", () => {
    const a = tensor([1], { requiresGrad: true });
    const y = noGrad(() => a.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(isGradEnabled()).toBe(true);
    noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      expect(enableGrad(() => a.mul(2)).requiresGrad).toBe(true);
    });
    expect(() => noGrad(() => { throw new Error("boom"); })).toThrow("boom");
    expect(isGradEnabled()).toBe(true);
  });
  it("detach cuts the graph", () => {
    const a = tensor([2], { requiresGrad: true });
    a.mul(a.detach()).sum().backward();
    expectClose(a.grad!, [2]);
  });
  it("grad() returns gradients without touching .grad, and createGraph allows second derivatives", () => {
    const x = tensor([2], { requiresGrad: true, dtype: "float64" });
    const y = x.pow(3).sum();
    const [g] = grad(y, [x], { createGraph: true });
    expectClose(g!, [12]);
    expect(x.grad).toBe(null);
    g!.sum().backward();
    expectClose(x.grad!, [12]);
  });
  it("keeps gradients through deep graphs (no recursion limit)", () => {
    const a = tensor([1], { requiresGrad: true });
    let h = a;
    for (let i = 0; i < 20000; i++) h = h.add(0);
    h.sum().backward();
    expectClose(a.grad!, [1]);
  });
  it("trains a tiny model: gradients of a loss on a batch through F ops", () => {
    const w = randn([4, 3], { requiresGrad: true });
    const loss = F.crossEntropy(ones(5, 4).matmul(w), tensor([0, 1, 2, 0, 1], { dtype: "int32" }));
    loss.backward();
    expect(w.grad!.shape).toEqual([4, 3]);
    expect(w.grad!.abs().sum().item()).toBeGreaterThan(0);
  });
});

describe("gradients through views of one tensor", () => {
  it("sums the parts from every select and slice into one gradient, with whole-tensor uses, overlaps and hooks", () => {
    const L = 40;
    const x = randn([L, 3], { requiresGrad: true });
    const w = randn([L, 3]);
    // Each row on its own (an RNN's time steps), two overlapping slices, and x itself.
    let loss = x.mul(2).sum();
    for (let t = 0; t < L; t++) loss = loss.add(x.select(0, t).mul(w.select(0, t)).sum());
    loss = loss.add(x.narrow(0, 0, 2).sum()).add(x.narrow(0, 1, 2).mul(3).sum());
    let seen: number[] | null = null;
    const y = x.mul(1);
    y.registerHook((g) => void (seen = Array.from(g.dataSync())));
    loss = loss.add(y.select(0, 5).sum()).add(y.select(1, 2).sum());
    loss.backward();
    const want = Array.from(w.dataSync()).map((v) => v + 2);
    for (let j = 0; j < 3; j++) {
      want[j] += 1; // row 0: the first slice
      want[3 + j] += 1 + 3; // row 1: both slices
      want[6 + j] += 3; // row 2: the second slice
      want[15 + j] += 1; // y.select(0, 5)
    }
    for (let t = 0; t < L; t++) want[t * 3 + 2] += 1; // y.select(1, 2)
    const got = Array.from(x.grad!.dataSync());
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i]), `element ${i}`).toBeLessThan(1e-5);
    // The hook saw y's whole gradient once, summed from its two selects.
    expect(seen!.length).toBe(L * 3);
    expect(seen![15] + seen![17]).toBe(3);
  });

  it("keeps second derivatives through select and slices (createGraph records the embedding)", () => {
    const x = tensor([1, 2, 3, 4], { requiresGrad: true });
    const y = x.select(0, 1).pow(3).add(x.narrow(0, 2, 2).pow(2).sum());
    const [g] = grad(y, [x], { createGraph: true });
    expectClose(g!, [0, 12, 6, 8], 1e-6);
    g!.sum().backward();
    expectClose(x.grad!, [0, 12, 2, 2], 1e-6);
  });
});

describe("gradients summed over many uses", () => {
  it("adds each use's gradient into one sum, and leaves the sums it handed to hooks and .grad alone", () => {
    const w = randn([4, 5], { requiresGrad: true });
    const xs = Array.from({ length: 12 }, () => randn([4, 5]));
    const a = w.mul(1);
    a.retainGrad();
    let hooked: number[] | null = null;
    a.registerHook((g) => void (hooked = Array.from(g.dataSync())));
    let loss = xs[0].mul(0).sum();
    for (const x of xs) loss = loss.add(a.mul(x).sum()).add(w.mul(x).sum());
    loss.backward();
    const sum = xs.reduce((s, x) => s.add(x));
    const want = Array.from(sum.dataSync());
    const close = (got: ArrayLike<number>) => Array.from(got).forEach((v, i) => expect(Math.abs(v - want[i]), `element ${i}`).toBeLessThan(1e-4));
    close(a.grad!.dataSync());
    close(hooked!);
    // w: its own 12 uses plus a's gradient through mul(1).
    Array.from(w.grad!.dataSync()).forEach((v, i) => expect(Math.abs(v - 2 * want[i]), `w element ${i}`).toBeLessThan(1e-4));
    close(a.grad!.dataSync());
  });
});
