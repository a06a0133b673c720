// Port of PyTorch's "A Gentle Introduction to torch.autograd" (beginner/blitz/autograd_tutorial)
// and the "Autograd mechanics" notes (notes/autograd), line for line in camelCase.
// CHECKED against torch 1.13's printed output: Q's gradients (9a², -2b), requiresGrad through the
// DAG, freezing parameters (only the new head trains), grad_fn names printed as `<SubBackward0>`,
// `.grad` accumulating over two backward calls and the "second time" error, noGrad, detach,
// the in-place error with PyTorch's message, retainGrad, hooks, autograd.grad, x.data.
// resnet18 is replaced by a small Sequential (no pretrained weights here); the rest is as written.
import { describe, expect, it, vi } from "vitest";
import * as torch from "../../src/index.js";
import { nn, optim } from "../../src/index.js";

describe("A Gentle Introduction to torch.autograd", () => {
  it("Differentiation in Autograd: Q = 3a³ - b², dQ/da = 9a², dQ/db = -2b", () => {
    const a = torch.tensor([2.0, 3.0], { requiresGrad: true });
    const b = torch.tensor([6.0, 4.0], { requiresGrad: true });
    const Q = a.pow(3).mul(3).sub(b.pow(2));

    const externalGrad = torch.tensor([1.0, 1.0]);
    Q.backward({ gradient: externalGrad });

    // Check if collected gradients are correct
    expect(`${a.pow(2).mul(9).eq(a.grad!)}`).toBe("tensor([True, True])");
    expect(`${b.mul(-2).eq(b.grad!)}`).toBe("tensor([True, True])");
    // torch: tensor([36., 81.]) tensor([-12.,  -8.])
    expect(`${a.grad}`).toBe("tensor([36., 81.])");
    expect(`${b.grad}`).toBe("tensor([-12.,  -8.])");
    // print(Q.grad_fn, Q.grad_fn.next_functions) in torch:
    // <SubBackward0> ((<MulBackward0>, 0), (<PowBackward0>, 0))
    expect(`${Q.gradFn}`).toBe("<SubBackward0>");
    expect(Q.gradFn!.nextFunctions.map(([f, i]) => `(${f}, ${i})`).join(", ")).toBe("(<MulBackward0>, 0), (<PowBackward0>, 0)");
    // A keyword misspelt is named, not ignored.
    expect(() => Q.backward({ gradients: externalGrad } as never)).toThrow(/backward: unknown option "gradients"/);
  });

  it("Exclusion from the DAG: requiresGrad flows from any input", () => {
    const x = torch.rand(5, 5);
    const y = torch.rand(5, 5);
    const z = torch.rand([5, 5], { requiresGrad: true });

    const a = x.add(y);
    const b = x.add(z);
    // torch prints False, then True
    expect(`Does \`a\` require gradients?: ${a.requiresGrad}`).toBe("Does `a` require gradients?: false");
    expect(`Does \`b\` require gradients?: ${b.requiresGrad}`).toBe("Does `b` require gradients?: true");
  });

  it("Exclusion from the DAG: freezing a model and replacing its head (finetuning)", () => {
    // The tutorial loads resnet18(weights=...); a small stand-in with an `fc` head.
    class TinyNet extends nn.Module {
      features = new nn.Sequential(new nn.Flatten(), new nn.Linear(16, 512), new nn.ReLU());
      fc = new nn.Linear(512, 1000);
      override forward(x: torch.Tensor): torch.Tensor {
        return this.fc(this.features(x));
      }
    }
    const model = new TinyNet();

    // Freeze all the parameters in the network
    for (const param of model.parameters()) {
      param.requiresGrad = false;
    }
    model.fc = new nn.Linear(512, 10);

    // Optimize only the classifier
    const optimizer = new optim.SGD(model.parameters(), { lr: 1e-2, momentum: 0.9 });

    const frozen = model.features[1].weight.clone();
    const head = model.fc.weight.clone();
    const loss = model(torch.rand(4, 4, 4)).pow(2).sum();
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    expect(model.parameters().filter((p) => p.requiresGrad)).toHaveLength(2);
    expect(model.features[1].weight.grad).toBeNull();
    expect(model.features[1].weight.equal(frozen)).toBe(true);
    expect(model.fc.weight.equal(head)).toBe(false);
  });
});

describe("Autograd mechanics", () => {
  it("grad_fn names the backward node of each op, printed as PyTorch prints it", () => {
    const x = torch.ones(2, 2, { requiresGrad: true });
    const y = x.add(2);
    expect(`${y.gradFn}`).toBe("<AddBackward0>"); // print(y.grad_fn)
    const z = y.mul(y).mul(3);
    const out = z.mean();
    // torch: tensor([[27., 27.], [27., 27.]], grad_fn=<MulBackward0>) tensor(27., grad_fn=<MeanBackward0>)
    expect(`${z}`).toBe("tensor([[27., 27.],\n        [27., 27.]], grad_fn=<MulBackward0>)");
    expect(`${out}`).toBe("tensor(27., grad_fn=<MeanBackward0>)");
    out.backward();
    expect(`${x.grad}`).toBe("tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])");
    expect(x.gradFn).toBeNull();
    expect(x.isLeaf).toBe(true);
  });

  it(".grad accumulates over backward calls; a freed graph says to pass retainGraph", () => {
    const x = torch.tensor([1.0, 2.0], { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward({ retainGraph: true });
    y.backward();
    expect(`${x.grad}`).toBe("tensor([4., 8.])"); // torch: tensor([4., 8.])
    expect(() => y.backward()).toThrow(/a second time.*retainGraph: true/);
  });

  it("noGrad and detach exclude computations from the graph", () => {
    const x = torch.ones(2, 2, { requiresGrad: true });
    expect(x.requiresGrad).toBe(true);
    expect(x.pow(2).requiresGrad).toBe(true);

    torch.noGrad(() => {
      expect(x.pow(2).requiresGrad).toBe(false);
    });

    expect(x.requiresGrad).toBe(true);
    const y = x.detach();
    expect(y.requiresGrad).toBe(false);
    expect(`${x.eq(y).all()}`).toBe("tensor(True)");
  });

  it("In-place correctness checks raise PyTorch's message", () => {
    const x = torch.tensor([0.5, -1.0, 2.0], { requiresGrad: true });
    const y = x.sigmoid();
    y.mul_(2);
    expect(() => y.sum().backward()).toThrow(
      "one of the variables needed for gradient computation has been modified by an inplace operation: " +
        "[torch.FloatTensor [3]], which is output 0 of SigmoidBackward0, is at version 1; expected version 0 instead.",
    );
    // The same through noGrad: the counter still moves.
    const v = x.sigmoid();
    torch.noGrad(() => v.mul_(2));
    expect(() => v.sum().backward()).toThrow(/modified by an inplace operation/);
    // A leaf that requires grad refuses in-place ops; a non-leaf records them (AddBackward0).
    expect(() => x.mul_(2)).toThrow(/a leaf Variable that requires grad is being used in an in-place operation/);
    const m = x.mul(2);
    m.add_(1);
    expect(m.gradFn!.name).toBe("AddBackward0");
    m.sum().backward();
    expect(`${x.grad}`).toBe("tensor([2., 2., 2.])");
  });

  it("retainGrad keeps a non-leaf's .grad; reading it otherwise warns", () => {
    const a = torch.tensor([1.0, 2.0, 3.0], { requiresGrad: true });
    const b = a.mul(2);
    b.retainGrad();
    const c = b.pow(2).sum();
    c.backward();
    expect(`${b.grad}`).toBe("tensor([ 4.,  8., 12.])");
    expect(`${a.grad}`).toBe("tensor([ 8., 16., 24.])");

    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const d = a.mul(3);
    d.sum().backward();
    expect(d.grad).toBeNull();
    expect(warn.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(/retainGrad/);
    warn.mockRestore();
  });

  it("Tensor hooks change the gradient; remove() unregisters", () => {
    const v = torch.tensor([0.0, 0.0, 0.0], { requiresGrad: true });
    const h = v.registerHook((grad) => grad.mul(2)); // double the gradient
    v.backward(torch.tensor([1.0, 2.0, 3.0]));
    expect(`${v.grad}`).toBe("tensor([2., 4., 6.])");
    h.remove(); // removes the hook
    v.grad = null;
    v.backward(torch.tensor([1.0, 2.0, 3.0]));
    expect(`${v.grad}`).toBe("tensor([1., 2., 3.])");
  });

  it("autograd.grad with createGraph gives higher derivatives", () => {
    const x = torch.tensor([1.0, 2.0, 3.0], { requiresGrad: true });
    const y = x.pow(3).sum();
    const [g] = torch.autograd.grad(y, x, { createGraph: true });
    expect(`${g}`).toBe("tensor([ 3., 12., 27.], grad_fn=<MulBackward0>)");
    const [g2] = torch.autograd.grad(g.sum(), x);
    expect(`${g2}`).toBe("tensor([ 6., 12., 18.])");
    expect(x.grad).toBeNull(); // autograd.grad leaves .grad alone
  });

  it("x.data is a detached alias: changes are seen, not tracked", () => {
    const x = torch.tensor([1.0, 2.0], { requiresGrad: true });
    const y = x.sigmoid();
    y.data.mul_(0);
    // torch: tensor([0., 0.], grad_fn=<SigmoidBackward0>) at version 0
    expect(`${y}`).toBe("tensor([0., 0.], grad_fn=<SigmoidBackward0>)");
    expect(y.data.requiresGrad).toBe(false);
  });
});

describe("grad_fn names as PyTorch prints them", () => {
  it("pow's three forms and square", () => {
    const b = torch.ones([2], { requiresGrad: true });
    // torch 1.13: b**2 → PowBackward0, b**b and 2**b → PowBackward1, b.square() → PowBackward0
    expect(`${b.pow(2).gradFn}`).toBe("<PowBackward0>");
    expect(`${b.pow(b).gradFn}`).toBe("<PowBackward1>");
    expect(`${torch.pow(2, b).gradFn}`).toBe("<PowBackward1>");
    expect(`${b.square().gradFn}`).toBe("<PowBackward0>");
    expect(`${b.mean().gradFn}`).toBe("<MeanBackward0>");
  });
});

// Port of "Automatic Differentiation with torch.autograd" (beginner/basics/autogradqs_tutorial).
// CHECKED against torch 1.13: grad_fn of z and loss print <AddBackward0> and
// <BinaryCrossEntropyWithLogitsBackward0>; w.grad and b.grad equal the closed form
// x ⊗ (σ(z) − y)/3 and (σ(z) − y)/3; requiresGrad under noGrad and detach; the Jacobian-product
// gradients of (inp + 1)² accumulate over calls and restart after inp.grad.zero_().
describe("Automatic Differentiation with torch.autograd", () => {
  it("computes gradients, prints grad_fn, disables tracking and accumulates", () => {
    torch.manualSeed(0);
    const x = torch.ones(5); // input tensor
    const y = torch.zeros(3); // expected output
    const w = torch.randn([5, 3], { requiresGrad: true });
    const b = torch.randn(3, { requiresGrad: true });
    let z = torch.matmul(x, w).add(b);
    const loss = nn.functional.binaryCrossEntropyWithLogits(z, y);

    expect(`Gradient function for z = ${z.gradFn}`).toBe("Gradient function for z = <AddBackward0>");
    expect(`Gradient function for loss = ${loss.gradFn}`).toBe("Gradient function for loss = <BinaryCrossEntropyWithLogitsBackward0>");

    loss.backward();
    const dz = z.detach().sigmoid().sub(y).div(3);
    expect(b.grad!.allclose(dz, { atol: 1e-6 })).toBe(true);
    expect(w.grad!.allclose(x.unsqueeze(1).mul(dz.unsqueeze(0)), { atol: 1e-6 })).toBe(true);

    z = torch.matmul(x, w).add(b);
    expect(z.requiresGrad).toBe(true);

    torch.noGrad(() => {
      z = torch.matmul(x, w).add(b);
    });
    expect(z.requiresGrad).toBe(false);

    z = torch.matmul(x, w).add(b);
    const zDet = z.detach();
    expect(zDet.requiresGrad).toBe(false);
  });

  it("Tensor Gradients and Jacobian Products", () => {
    const inp = torch.eye(4, 5, { requiresGrad: true });
    const out = inp.add(1).pow(2).t();
    out.backward(torch.onesLike(out), { retainGraph: true });
    const first = [[4, 2, 2, 2, 2], [2, 4, 2, 2, 2], [2, 2, 4, 2, 2], [2, 2, 2, 4, 2]];
    expect(inp.grad!.tolist()).toEqual(first); // First call
    out.backward(torch.onesLike(out), { retainGraph: true });
    expect(inp.grad!.tolist()).toEqual(first.map((r) => r.map((v) => 2 * v))); // Second call
    inp.grad!.zero_();
    out.backward(torch.onesLike(out), { retainGraph: true });
    expect(inp.grad!.tolist()).toEqual(first); // Call after zeroing gradients
  });

  it("composite ops print PyTorch's grad_fn names", () => {
    const F = nn.functional;
    const x = torch.randn([4, 3], { requiresGrad: true });
    const t = x.detach().sigmoid();
    const y = torch.tensor([0, 2, 1, 1]);
    // torch 1.13 names, op by op
    const names: [torch.Tensor, string][] = [
      [F.mseLoss(x, t), "MseLossBackward0"],
      [F.mseLoss(x, t, { reduction: "none" }), "MseLossBackward0"],
      [F.smoothL1Loss(x, t), "SmoothL1LossBackward0"],
      [F.huberLoss(x, t), "HuberLossBackward0"],
      [F.binaryCrossEntropy(x.sigmoid(), t), "BinaryCrossEntropyBackward0"],
      [F.nllLoss(x, y), "NllLossBackward0"],
      [F.crossEntropy(x, y), "NllLossBackward0"],
      [F.crossEntropy(x, y, { reduction: "sum" }), "NllLossBackward0"],
      [F.multiMarginLoss(x, y), "MultiMarginLossBackward0"],
      [F.l1Loss(x, t), "MeanBackward0"],
      [F.logSoftmax(x, { dim: 1 }), "LogSoftmaxBackward0"],
      [F.softmax(x, { dim: 1 }), "SoftmaxBackward0"],
      [x.var(1), "VarBackward0"],
      [x.std(), "StdBackward0"],
      [x.sum(1), "SumBackward1"],
      [x.mean(1), "MeanBackward1"],
      [x.logsumexp(1), "LogsumexpBackward0"],
    ];
    for (const [v, name] of names) expect(`${v.gradFn}`).toBe(`<${name}>`);
  });
});

// An in-place op whose source was computed from the same tensor: nodes keep their edge to the
// grad_fn the input had when they were recorded (torch 1.13: x.grad = tensor([2., 2., 2.])).
describe("in-place op reading its own target", () => {
  it("y.copy_(y.add(1)) sends the gradient to x as PyTorch does", () => {
    const x = torch.tensor([1.0, 2.0, 3.0], { requiresGrad: true });
    const y = x.mul(2);
    y.copy_(y.add(1));
    y.sum().backward();
    expect(x.grad?.tolist()).toEqual([2, 2, 2]);
  });
});
