/**
 * autograd.Function: custom forward/backward with a ctx (saveForBackward, savedTensors,
 * needsInputGrad, attributes), one or several outputs, non-tensor arguments, and the errors
 * for a backward that returns the wrong number or shapes of gradients (PyTorch 1.13 values).
 */
import { describe, expect, it } from "vitest";
import { tensor, autograd, gradcheck, type Tensor } from "../../../src/index.js";
import { expectClose } from "../ops/check-op.js";

const f64 = { dtype: "float64" as const, requiresGrad: true };

class MyExp extends autograd.Function {
  static forward(ctx: autograd.FunctionCtx, x: Tensor, scale: number): Tensor {
    const y = x.exp().mul(scale);
    ctx.saveForBackward(y);
    ctx.scale = scale;
    return y;
  }
  static backward(ctx: autograd.FunctionCtx, g: Tensor): (Tensor | null)[] {
    const [y] = ctx.savedTensors;
    expect(ctx.scale).toBe(2);
    return [g.mul(y), null];
  }
}

class SplitMul extends autograd.Function {
  static forward(ctx: autograd.FunctionCtx, a: Tensor, b: Tensor): Tensor[] {
    ctx.saveForBackward(a, b);
    return [a.mul(b), a.add(b)];
  }
  static backward(ctx: autograd.FunctionCtx, gp: Tensor, gs: Tensor): Tensor[] {
    const [a, b] = ctx.savedTensors;
    return [gp.mul(b).add(gs), gp.mul(a).add(gs)];
  }
}

describe("autograd.Function", () => {
  it("runs a custom forward and backward, with a named grad_fn (PyTorch values)", () => {
    const x = tensor([0, 1, -1], f64);
    const y = MyExp.apply(x, 2);
    expectClose(y, [2, 5.43656365691809, 0.7357588823428847]);
    expect(y.gradFn?.name).toBe("MyExpBackward");
    y.sum().backward();
    expectClose(x.grad!, [2, 5.43656365691809, 0.7357588823428847]);
  });
  it("handles several outputs, with zeros for an unused one", () => {
    const a = tensor([1, 2], f64), b = tensor([3, -4], f64);
    const [p, s] = SplitMul.apply(a, b);
    p.sum().mul(2).add(s.sum().mul(3)).backward();
    expectClose(a.grad!, [9, -5]);
    expectClose(b.grad!, [5, 7]);
    a.grad = null;
    b.grad = null;
    const [p2] = SplitMul.apply(a, b);
    p2.sum().backward();
    expectClose(a.grad!, [3, -4]);
    expectClose(b.grad!, [1, 2]);
  });
  it("fills needsInputGrad per argument and skips the graph when nothing requires grad", () => {
    let seen: boolean[] = [];
    class Probe extends autograd.Function {
      static forward(ctx: autograd.FunctionCtx, x: Tensor, y: Tensor): Tensor {
        seen = ctx.needsInputGrad;
        return x.add(y);
      }
      static backward(_ctx: autograd.FunctionCtx, g: Tensor): (Tensor | null)[] {
        return [g, null];
      }
    }
    const out = Probe.apply(tensor([1], f64), tensor([2], { dtype: "float64" }));
    expect(seen).toEqual([true, false]);
    expect(out.requiresGrad).toBe(true);
    expect(Probe.apply(tensor([1]), tensor([2])).requiresGrad).toBe(false);
  });
  it("an input returned unchanged is aliased, not turned into a non-leaf", () => {
    class Identity extends autograd.Function {
      static forward(_ctx: autograd.FunctionCtx, x: Tensor): Tensor { return x; }
      static backward(_ctx: autograd.FunctionCtx, g: Tensor): Tensor { return g.mul(3); }
    }
    const x = tensor([1, 2], f64);
    const y = Identity.apply(x);
    expect(y === x).toBe(false);
    expect(x.isLeaf).toBe(true);
    y.sum().backward();
    expectClose(x.grad!, [3, 3]);
  });
  it("passes gradcheck and supports double backward when backward is differentiable", () => {
    const x = tensor([0.3, -0.2], f64);
    expect(gradcheck((t) => MyExp.apply(t, 2), [x])).toBe(true);
    const [g] = autograd.grad(MyExp.apply(x, 2).sum(), x, { createGraph: true });
    const [h] = autograd.grad(g!.sum(), x);
    expectClose(h!, [2 * Math.exp(0.3), 2 * Math.exp(-0.2)]);
  });
  it("names the Function when backward returns the wrong number of gradients or shapes", () => {
    class TooFew extends autograd.Function {
      static forward(_ctx: autograd.FunctionCtx, x: Tensor, y: Tensor): Tensor { return x.mul(y); }
      static backward(_ctx: autograd.FunctionCtx, g: Tensor): Tensor { return g; }
    }
    class BadShape extends autograd.Function {
      static forward(_ctx: autograd.FunctionCtx, x: Tensor): Tensor { return x.sum(); }
      static backward(_ctx: autograd.FunctionCtx, g: Tensor): Tensor { return g.expand(3); }
    }
    class GradForNumber extends autograd.Function {
      static forward(_ctx: autograd.FunctionCtx, x: Tensor, k: number): Tensor { return x.mul(k); }
      static backward(_ctx: autograd.FunctionCtx, g: Tensor): Tensor[] { return [g, g]; }
    }
    const x = tensor([1, 2], f64);
    expect(() => TooFew.apply(x, x).sum().backward()).toThrow("TooFew.backward returned an incorrect number of gradients (expected 2, one per forward argument, got 1)");
    expect(() => BadShape.apply(x).backward()).toThrow("BadShape.backward returned an invalid gradient at position 0: got shape [3] but expected shape compatible with [2]");
    expect(() => GradForNumber.apply(x, 2).sum().backward()).toThrow("GradForNumber.backward returned a gradient at position 1, but forward argument 1 is not a Tensor; return null there");
  });
  it("sums a broadcast gradient down to the input's shape, as PyTorch does", () => {
    class Wide extends autograd.Function {
      static forward(_ctx: autograd.FunctionCtx, x: Tensor): Tensor { return x.mul(2); }
      static backward(_ctx: autograd.FunctionCtx, g: Tensor): Tensor { return g.expand(3, 2); }
    }
    const x = tensor([1, 2], f64);
    Wide.apply(x).sum().backward();
    expectClose(x.grad!, [3, 3]);
  });
  it("refuses to be constructed and explains missing methods", () => {
    class NoForward extends autograd.Function {}
    expect(() => new MyExp()).toThrow("autograd.Function: call the static apply(...args) instead of constructing it");
    expect(() => (NoForward as unknown as typeof MyExp).apply(tensor([1]), 1)).toThrow("NoForward: forward is not implemented; define static forward(ctx, ...args) in the subclass");
  });
  it("a saved tensor modified in place before backward is an error, as in PyTorch", () => {
    class Square extends autograd.Function {
      static forward(ctx: autograd.FunctionCtx, x: Tensor): Tensor { ctx.saveForBackward(x); return x.mul(x); }
      static backward(ctx: autograd.FunctionCtx, g: Tensor): Tensor { const [x] = ctx.savedTensors; return g.mul(x).mul(2); }
    }
    const leaf = tensor([1, 2], f64);
    const x = leaf.mul(1);
    const y = Square.apply(x);
    x.add_(1);
    expect(() => y.sum().backward()).toThrow("one of the variables needed for gradient computation has been modified by an inplace operation");
  });
  it("ctx.saveForBackward takes tensors only", () => {
    class SavesNumber extends autograd.Function {
      static forward(ctx: autograd.FunctionCtx, x: Tensor): Tensor { ctx.saveForBackward(3 as never); return x.mul(1); }
      static backward(_ctx: autograd.FunctionCtx, g: Tensor): Tensor { return g; }
    }
    expect(() => SavesNumber.apply(tensor([1], f64))).toThrow("SavesNumber: saveForBackward takes tensors (or null); argument 0 is number; keep other values as ctx attributes");
  });
});
