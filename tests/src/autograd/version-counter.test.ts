/**
 * Version counters, as PyTorch guards them: each situation below was run in PyTorch 1.13 and
 * the expected outcome (error text or gradient) is what PyTorch gave. An in-place change to a
 * tensor that a backward needs is an error, never a silently wrong gradient.
 */
import { describe, expect, it } from "vitest";
import { nn, noGrad, optim, tensor, zeros } from "../../../src/index.js";
import type { Tensor } from "../../../src/index.js";

const MODIFIED = "one of the variables needed for gradient computation has been modified by an inplace operation: ";
const u = (): Tensor => tensor([0.5, -1, 2], { requiresGrad: true });
const near = (t: Tensor | null, want: number[]): void => {
  const got = t!.toArray() as number[];
  want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 5));
};

describe("version counters", () => {
  it("count in-place changes, shared by views", () => {
    const v = tensor([1, 2], { dtype: "float32" });
    v.add_(1);
    v.mul_(2);
    expect(v.version).toBe(2);
    const x = zeros(2, 2);
    x[0].fill_(3);
    expect(x.version).toBe(1);
    expect(x[1].version).toBe(1);
  });

  it("a saved output changed inside noGrad is an error naming the op and versions (the issue's case)", () => {
    const x = u();
    const v = x.sigmoid();
    noGrad(() => v.mul_(2));
    expect(() => v.sum().backward()).toThrow(
      MODIFIED + "[torch.FloatTensor [3]], which is output 0 of SigmoidBackward0, is at version 1; expected version 0 instead.",
    );
  });

  it("a saved input changed in place is an error; the message names its current grad_fn", () => {
    const a = u().mul(1);
    const b = a.mul(a);
    a.add_(1);
    expect(() => b.sum().backward()).toThrow(MODIFIED + "[torch.FloatTensor [3]], which is output 0 of AddBackward0, is at version 1; expected version 0 instead.");
  });

  it("a change through a view counts for the base", () => {
    const b = u().mul(1).exp();
    b.view(-1)[0] = tensor(0);
    expect(() => b.sum().backward()).toThrow(MODIFIED + "[torch.FloatTensor [3]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead.");
  });

  it("detach() shares the counter; the detached tensor is named without a grad_fn", () => {
    const x = u();
    const v = x.sigmoid();
    v.detach().mul_(2);
    expect(() => v.sum().backward()).toThrow(MODIFIED + "[torch.FloatTensor [3]], which is output 0 of SigmoidBackward0, is at version 1; expected version 0 instead.");
    const a = x.mul(2);
    a.mul_(a.detach());
    expect(() => a.sum().backward()).toThrow(MODIFIED + "[torch.FloatTensor [3]] is at version 1; expected version 0 instead.");
  });

  it(".data is the documented escape hatch: not tracked (PyTorch gives the same wrong gradient)", () => {
    const x = u();
    const v = x.sigmoid();
    v.data.mul_(2);
    v.sum().backward();
    near(x.grad, [-0.30490386, 0.24856488, -1.3416196]);
  });

  it("a retained graph checks again on the second backward", () => {
    const b = u().mul(1).exp();
    b.sum().backward({ retainGraph: true });
    noGrad(() => b.add_(1));
    expect(() => b.sum().backward()).toThrow("which is output 0 of ExpBackward0, is at version 1; expected version 0 instead.");
  });

  it("an optimizer step between forward and backward is caught (the parameter was saved)", () => {
    const lin = new nn.Linear(2, 1);
    const opt = new optim.SGD(lin.parameters(), { lr: 0.1 });
    const y = lin.forward(tensor([[1, 2]], { dtype: "float32" })).sum();
    const l2 = lin.weight.mul(lin.weight).sum();
    opt.zeroGrad();
    y.backward({ retainGraph: true });
    opt.step();
    expect(() => l2.backward()).toThrow(/one of the variables needed for gradient computation has been modified by an inplace operation: \[torch\.FloatTensor \[1, 2\]\] is at version \d+; expected version \d+ instead/);
  });
});

describe("in-place ops on tensors in the graph", () => {
  it("a leaf that requires grad refuses them, and so does a view of it", () => {
    expect(() => u().add_(1)).toThrow("add_: a leaf Variable that requires grad is being used in an in-place operation");
    expect(() => u()[0].mul_(2)).toThrow("mul_: a view of a leaf Variable that requires grad is being used in an in-place operation");
  });

  it("are recorded on a non-leaf as PyTorch records them (m = u*2; m += 1)", () => {
    const x = u();
    const m = x.mul(2);
    m.add_(1);
    expect(m.gradFn!.name).toBe("AddBackward0");
    m.sum().backward();
    near(x.grad, [2, 2, 2]);
  });

  it("keep the old values for the other operand's gradient (a *= w)", () => {
    const x = u();
    const w = tensor([1, 2, 3], { requiresGrad: true });
    const a = x.mul(1);
    a.mul_(w);
    a.sum().backward();
    near(x.grad, [1, 2, 3]);
    near(w.grad, [0.5, -1, 2]);
  });

  it("writing into a view makes the base a CopySlices node (a[0] = Σw²)", () => {
    const a = zeros(3);
    const w = tensor([1, 2, 3], { requiresGrad: true });
    a[0] = w.mul(w).sum();
    expect(a.gradFn!.name).toBe("CopySlices");
    expect(a.toArray()).toEqual([14, 0, 0]);
    a.mul(tensor([2, 5, 7], { dtype: "float32" })).sum().backward();
    near(w.grad, [4, 8, 12]);
  });

  it("the old values of an overwritten region get no gradient", () => {
    const x = u();
    const h = x.mul(3);
    h[1] = tensor(0);
    h.sum().backward();
    near(x.grad, [3, 0, 3]);
  });

  it("an expanded view cannot be written in place", () => {
    expect(() => zeros(1).expand(3).add_(1)).toThrow("add_: unsupported operation: more than one element of the written-to tensor (shape [3]) refers to a single memory location");
  });
});

describe("grad_fn", () => {
  it("prints as PyTorch's <MulBackward0> and lists its next functions", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2).sum();
    expect(String(y.gradFn)).toBe("<SumBackward0>");
    const [[mulNode]] = y.gradFn!.nextFunctions;
    expect(String(mulNode && "inputs" in mulNode ? mulNode : null)).toBe("<MulBackward0>");
    const [[acc]] = (mulNode as NonNullable<typeof y.gradFn>).nextFunctions;
    expect(acc?.name).toBe("AccumulateGrad");
  });
});

describe("in-place ops whose source reads the target", () => {
  it("keep the old edge: y.copy_(y.add(1)) and y.copy_(y.mul(3)) reach x (PyTorch 1.13: [2,2,2] and [6,6,6])", () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(2);
    y.copy_(y.add(1));
    y.sum().backward();
    near(x.grad, [2, 2, 2]);
    const x2 = tensor([1, 2, 3], { requiresGrad: true });
    const y2 = x2.mul(2);
    y2.copy_(y2.mul(3));
    y2.sum().backward();
    near(x2.grad, [6, 6, 6]);
  });
  it("a twice-rewired tensor keeps every old edge", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(1);
    const a = y.mul(2);
    y.add_(1);
    const b = y.mul(3);
    y.mul_(5);
    a.add(b).add(y).sum().backward();
    near(x.grad, [10, 10]);
  });
});

describe("maskedFill_", () => {
  it("fills in place, and in the graph the filled entries get no gradient (PyTorch: [2, 0, 2])", () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(2);
    y.maskedFill_(tensor([false, true, false]), 0);
    expect(y.toArray()).toEqual([2, 0, 6]);
    y.sum().backward();
    near(x.grad, [2, 0, 2]);
    expect(() => y.maskedFill_(tensor([1, 0, 1]), 0)).toThrow("maskedFill_: mask must be a bool tensor, got dtype int64");
  });
});
