// Expected values computed with PyTorch 1.13's torch.nn.functional on the same inputs.
import { describe, expect, it } from "vitest";
import { tensor, functional as F, Tensor } from "../../../src/index.js";
import { checkGrad, checkOp, expectClose } from "../ops/check-op.js";

const x = tensor([[-2, -0.5, 0], [0.5, 1, 3]]);

describe("activation functions", () => {
  const cases: [string, (t: Tensor) => Tensor, number[][]][] = [
    ["gelu", (t) => F.gelu(t), [[-0.0455001, -0.1542688, 0], [0.3457312, 0.8413447, 2.9959502]]],
    ["gelu tanh", (t) => F.gelu(t, "tanh"), [[-0.0454023, -0.154286, 0], [0.345714, 0.841192, 2.9963627]]],
    ["elu", (t) => F.elu(t), [[-0.8646647, -0.3934693, 0], [0.5, 1, 3]]],
    ["selu", (t) => F.selu(t), [[-1.5201665, -0.6917582, 0], [0.5253505, 1.050701, 3.152103]]],
    ["softplus", (t) => F.softplus(t), [[0.126928, 0.474077, 0.6931472], [0.974077, 1.3132616, 3.0485873]]],
    ["softplus beta 2", (t) => F.softplus(t, 2), [[0.009075, 0.1566308, 0.3465736], [0.6566308, 1.063464, 3.0012379]]],
    ["leakyRelu", (t) => F.leakyRelu(t, 0.1), [[-0.2, -0.05, 0], [0.5, 1, 3]]],
    ["silu", (t) => F.silu(t), [[-0.2384058, -0.1887703, 0], [0.3112297, 0.7310586, 2.8577225]]],
    ["logSoftmax", (t) => F.logSoftmax(t, 1), [[-2.5549569, -1.0549569, -0.5549569], [-2.6967342, -2.1967342, -0.1967341]]],
    ["softmax", (t) => F.softmax(t, 0), [[0.0758582, 0.1824255, 0.0474259], [0.9241418, 0.8175745, 0.9525741]]],
    ["sigmoid", (t) => F.sigmoid(t), [[0.1192029, 0.3775407, 0.5], [0.6224593, 0.7310586, 0.9525741]]],
    ["tanh", (t) => F.tanh(t), [[-0.9640276, -0.4621172, 0], [0.4621172, 0.7615942, 0.9950548]]],
    ["hardtanh", (t) => F.hardtanh(t), [[-1, -0.5, 0], [0.5, 1, 1]]],
    ["relu6", (t) => F.relu6(t.mul(3)), [[0, 0, 0], [1.5, 3, 6]]],
    ["softsign", (t) => F.softsign(t), [[-0.6666667, -0.3333333, 0], [0.3333333, 0.5, 0.75]]],
  ];
  for (const [name, fn, want] of cases) {
    it(`${name} matches PyTorch`, () => expectClose(fn(x), want, 2e-5));
  }
  it("smooth activations pass gradcheck on random inputs", () => {
    for (const [, fn] of cases.filter(([n]) => !["hardtanh", "relu6", "leakyRelu"].includes(n))) checkGrad(fn, [[3, 4]]);
    checkGrad((t) => F.leakyRelu(t, 0.2), [[3, 4]], { transform: (t) => t.add(t.sign().mul(0.1)) });
  });
  it("step is the Heaviside function with no gradient", () => {
    expectClose(F.step(tensor([-1, 0, 2])), [0, 1, 1]);
    expectClose(F.step(tensor([-1, 0, 2]), 0), [0, 0, 1]);
    expect(F.step(tensor([1], { requiresGrad: true })).requiresGrad).toBe(false);
  });
  it("softmax rows sum to one and survive huge logits", () => {
    const s = F.softmax(tensor([[1000, 1001, 1002], [-1000, 0, 1000]]), 1);
    expectClose(s.sum(1), [1, 1]);
    expectClose(s.select(0, 0), [0.0900306, 0.2447285, 0.6652409]);
    expect(Number.isFinite(F.logSoftmax(tensor([[1000, -1000]]), 1).sum().item())).toBe(true);
    checkOp((t) => F.softmax(t, -1), [tensor([[1, 2, 3]])], [[0.0900306, 0.2447285, 0.6652409]]);
  });
  it("names the op on bad arguments", () => {
    expect(() => F.softmax(x, 2)).toThrow("softmax: dim 2 out of range [-2, 1] for shape [2,3]");
    // Integer input computes in float32 (JavaScript's 1.0 is the integer 1, so ported "float" literals arrive as int64).
    expect(F.softmax(tensor([1, 1], { dtype: "int32" }), 0).toArray()).toEqual([0.5, 0.5]);
  });
});
