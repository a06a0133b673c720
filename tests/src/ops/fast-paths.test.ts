// The per-op fast paths (issue 14: tiny tensors) must agree with the general paths they skip:
// same values, dtypes, gradients, grad_fn and errors. Each case builds the same operands twice,
// once in the layout a fast path takes and once in a layout that goes the general way.
import { describe, expect, it } from "vitest";
import { Tensor, tensor, randn, zeros, noGrad, matmul, stack, setBackend, getBackend } from "../../../src/index.js";

/** `t`'s values in a layout that is not row-major dense (the coalescing path of the map kernels). */
function otherLayout(t: Tensor): Tensor {
  if (t.ndim === 0) return t;
  const u = t.ndim >= 2 ? t.transpose(0, 1).contiguous().transpose(0, 1) : stack([t, t], 1).select(1, 0);
  expect(u.isContiguous()).toBe(false);
  expect(u.toArray()).toEqual(t.toArray());
  return u;
}

describe.each(["cpu", "cpu-ref"])("per-op fast paths on %s", (backend) => {
  const withBackend = (fn: () => void) => () => {
    const prev = getBackend();
    setBackend(backend);
    try {
      fn();
    } finally {
      setBackend(prev);
    }
  };

  it("same-shape binary ops give what the general path gives, values and gradients", withBackend(() => {
    for (const op of ["add", "sub", "mul", "div", "maximum"] as const) {
      for (const shape of [[16], [3, 5], [2, 3, 4], []]) {
        const a = randn(shape, { dtype: "float64" }).requiresGrad_();
        const b = randn(shape, { dtype: "float64" }).add(3).detach().requiresGrad_();
        const fast = a[op](b);
        fast.sum().backward();
        const [ga, gb] = [a.grad!.toArray(), b.grad!.toArray()];
        a.grad = null;
        b.grad = null;
        const slow = otherLayout(a)[op](otherLayout(b));
        slow.sum().backward();
        expect(fast.toArray()).toEqual(slow.toArray());
        expect(fast.dtype).toBe(slow.dtype);
        expect(fast.shape).toEqual(shape);
        expect(fast.gradFn?.name).toBe(slow.gradFn?.name);
        expect(a.grad!.toArray()).toEqual(ga);
        expect(b.grad!.toArray()).toEqual(gb);
      }
    }
  }));

  it("a broadcast scalar operand gives what it gives beside a strided operand", withBackend(() => {
    for (const shape of [[16], [3, 5], [2, 3, 4]]) {
      const a = randn(shape, { dtype: "float64" }).requiresGrad_();
      const s = tensor(1.5, { dtype: "float64" }).requiresGrad_();
      const fast = a.mul(s).add(2);
      fast.sum().backward();
      const [ga, gs] = [a.grad!.toArray(), s.grad!.item()];
      a.grad = null;
      s.grad = null;
      const slow = otherLayout(a).mul(s).add(2);
      slow.sum().backward();
      expect(fast.toArray()).toEqual(slow.toArray());
      expect(a.grad!.toArray()).toEqual(ga);
      expect(s.grad!.item()).toBe(gs);
    }
  }));

  it("a same-shape in-place accumulation (out aliasing an input) matches the strided walk", withBackend(() => {
    const x = randn([4, 6]);
    const y = randn([4, 6]);
    const expected = x.add(y).toArray();
    x.add_(y);
    expect(x.toArray()).toEqual(expected);
  }));

  it("dtype promotion and integer results are unchanged on the same-shape path", withBackend(() => {
    const i = tensor([1, 2, 3]);
    const f = tensor([0.5, 0.5, 0.5]);
    expect(i.add(i).dtype).toBe("int64");
    expect(i.add(f).dtype).toBe("float32");
    expect(i.add(f).toArray()).toEqual([1.5, 2.5, 3.5]);
    const bools = tensor([true, false, true]);
    expect(bools.add(bools).dtype).toBe("int64");
    expect(bools.add(bools).toArray()).toEqual([2, 0, 2]);
  }));

  it("records nothing without a grad-requiring input or under noGrad", withBackend(() => {
    const a = randn([3]);
    const b = randn([3]).requiresGrad_();
    expect(a.add(a).gradFn).toBeNull();
    expect(a.relu().requiresGrad).toBe(false);
    expect(a.add(b).gradFn?.name).toBe("AddBackward0");
    expect(b.relu().gradFn?.name).toBe("ReluBackward0");
    noGrad(() => {
      expect(a.add(b).gradFn).toBeNull();
      expect(b.mul(b).requiresGrad).toBe(false);
      expect(b.select(0, 1).gradFn).toBeNull();
      expect(b.t().gradFn).toBeNull();
      expect(matmul(b.unsqueeze(0), b.unsqueeze(1)).gradFn).toBeNull();
    });
    expect(b.select(0, 1).gradFn?.name).toBe("SelectBackward0");
    expect(b.unsqueeze(0).permute([1, 0]).gradFn?.name).toBe("PermuteBackward0");
  }));

  it("shapes and strides stay frozen, shared arrays included", withBackend(() => {
    const a = randn([2, 3]);
    for (const t of [a.add(a), a.relu(), a.select(0, 1), a.permute([1, 0]), a.sum(), matmul(a, a.t()), tensor(2)]) {
      expect(Object.isFrozen(t.shape)).toBe(true);
      expect(Object.isFrozen(t.strides)).toBe(true);
    }
    const y = a.add(a);
    expect(() => (y.shape as number[]).push(4)).toThrow();
    expect(a.shape).toEqual([2, 3]);
    expect(a.sum().shape).toEqual([]);
    expect(a.sum().strides).toEqual([]);
    // Shapes are shared between tensors, never with the caller's own array.
    for (const dims of [[4], [2, 3], [2, 3, 4]]) {
      const mine = dims.slice();
      const t = zeros(mine);
      mine[0] = 7;
      expect(t.shape).toEqual(dims);
      expect(zeros(dims).strides).toEqual(t.strides);
      expect(() => ((t.shape as number[])[0] = 9)).toThrow();
      expect(zeros(dims).shape).toEqual(dims);
    }
    expect(() => zeros([2, -1])).toThrow();
  }));

  it("keeps every error of the general path", withBackend(() => {
    const a = randn([2, 3]);
    expect(() => a.add(randn([3, 2]))).toThrow("add: shapes cannot be broadcast: a=[2,3] b=[3,2]");
    const gone = randn([2, 3]);
    gone.dispose();
    expect(() => a.add(gone)).toThrow("use of a disposed tensor");
    expect(() => a[2]).toThrow("Tensor[2]: index 2 is out of bounds for dimension 0 with size 2");
    expect(() => a[-3]).toThrow("Tensor[-3]: index -3 is out of bounds for dimension 0 with size 2");
    expect(a[-1].toArray()).toEqual(a.select(0, 1).toArray());
    expect(() => a.select(0, 2)).toThrow("select: index 2 is out of range for dim 0 of shape [2,3]");
    const c = randn([2, 3, 4]);
    // An out-of-range dim is reported before a repeated one, as before.
    expect(() => c.permute([0, 0, 5])).toThrow("permute: dim 5 out of range [-3, 2] for shape [2,3,4]");
    expect(() => c.permute([0, 0, 1])).toThrow("permute: repeated dim in [0,0,1]");
    expect(() => matmul(a, a)).toThrow("matmul: inner dimensions differ: a=[2,3] b=[2,3]");
  }));

  it("a 2-D matmul (no batch dims) gives what a batched one gives, gradients included", withBackend(() => {
    const a = randn([4, 3], { dtype: "float64" }).requiresGrad_();
    const b = randn([3, 5], { dtype: "float64" }).requiresGrad_();
    const y = matmul(a, b);
    y.sum().backward();
    const [ga, gb] = [a.grad!.toArray(), b.grad!.toArray()];
    a.grad = null;
    b.grad = null;
    const yb = matmul(a.unsqueeze(0), b.unsqueeze(0)).squeeze(0);
    yb.sum().backward();
    expect(y.toArray()).toEqual(yb.toArray());
    expect(y.gradFn?.name).toBe("MmBackward0");
    expect(a.grad!.toArray()).toEqual(ga);
    expect(b.grad!.toArray()).toEqual(gb);
  }));
});
