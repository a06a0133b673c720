/**
 * The misuse suite of issue 9: each way a PyTorch user's habit meets JavaScript gives the
 * documented behaviour or an error that says what to write — never `undefined`, `NaN` or a
 * string coming out silently. Indexing and operators (items 2, 3), dtypes and devices (4),
 * keyword options (6) and dtype honesty across backends (9).
 */
import { describe, expect, it } from "vitest";
import {
  cuda, device, double, float32, int32, int64, long, nn, tensor, zeros, randn, arange, Device,
} from "../../src/index.js";
import type { Tensor } from "../../src/index.js";

const F = nn.functional;
const t = (): Tensor => tensor([[1, 2, 3], [4, 5, 6]], { dtype: float32 });

describe("indexing (item 2)", () => {
  it("t[i] is the view along dim 0, negative from the end, nested like weight[0][0]", () => {
    const x = t();
    expect(x[0].toArray()).toEqual([1, 2, 3]);
    expect(x[-1].toArray()).toEqual([4, 5, 6]);
    expect(x[1][2].item()).toBe(6);
    expect(x[-1][-3].item()).toBe(4);
    expect(x.length).toBe(2);
    expect([...x].map((r) => r.toArray())).toEqual([[1, 2, 3], [4, 5, 6]]);
    const [first, second] = x;
    expect([first.shape, second.shape]).toEqual([[3], [3]]);
    const rows: number[][] = [];
    for (const row of x) rows.push(row.toArray());
    expect(rows).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it("t[i] = v writes into the tensor", () => {
    const x = t();
    x[0] = tensor(0);
    (x as unknown as number[])[1] = 7;
    expect(x.toArray()).toEqual([[0, 0, 0], [7, 7, 7]]);
  });

  it("bad indices throw instead of giving undefined", () => {
    const x = t();
    expect(() => x[2]).toThrow("Tensor[2]: index 2 is out of bounds for dimension 0 with size 2");
    expect(() => x[-3]).toThrow("Tensor[-3]: index -3 is out of bounds for dimension 0 with size 2");
    expect(() => (x as unknown as Record<string, unknown>)["1.5"]).toThrow("Tensor[1.5]: indices must be integers");
    expect(() => tensor(3).length).toThrow("Tensor: len() of a 0-d tensor");
    expect(() => [...tensor(3)]).toThrow("len() of a 0-d tensor");
    expect(() => (x as unknown as Record<string, unknown>)[5] = "a").toThrow("Tensor[5]: index 5 is out of bounds");
    expect(() => ((x as unknown as Record<number, unknown>)[0] = "a")).toThrow("Tensor[0] = …: expected a Tensor or a number, got string");
  });

  it("PyTorch's snake_case names throw naming the camelCase one (reading and writing)", () => {
    const x = t();
    expect(() => (x as unknown as Record<string, unknown>).requires_grad).toThrow('Tensor has no property "requires_grad"; gradnote uses camelCase: write .requiresGrad');
    expect(() => ((x as unknown as Record<string, unknown>).requires_grad = true)).toThrow("write .requiresGrad");
    expect(() => (x as unknown as Record<string, () => void>).zero_grad).not.toThrow();
    expect(x.requiresGrad).toBe(false);
  });
});

describe("JavaScript operators (item 3)", () => {
  it("arithmetic and comparisons throw naming the method", () => {
    const a = t();
    const b = t();
    const any = (v: Tensor): number => v as unknown as number;
    expect(() => 1e-6 * any(a)).toThrow(/JavaScript's arithmetic or comparison .* does not work on tensors: write a\.add\(b\), a\.sub\(b\), a\.mul\(b\)/);
    expect(() => any(a) + 1).toThrow(/JavaScript's \+ or == does not work on tensors/);
    expect(() => any(a) > any(b)).toThrow(/a\.gt\(b\)/);
    expect(() => Math.exp(any(a))).toThrow(/t\.item\(\)/);
    expect(() => Number(a)).toThrow(TypeError);
    expect(() => isNaN(any(a))).toThrow(TypeError);
    expect(() => "loss: " + a).toThrow(/`\$\{t\}` or String\(t\)/);
  });

  it("text conversions give the repr", () => {
    const a = tensor([1.5, 2]);
    expect(`${a}`).toBe("tensor([1.5000, 2.0000])");
    expect(String(a)).toBe(`${a}`);
    expect(`${tensor([1, 2], { requiresGrad: true }).mul(2)}`).toBe("tensor([2., 4.], grad_fn=<MulBackward0>)");
  });
});

describe("dtypes and devices (item 4)", () => {
  it("infers PyTorch's dtypes and honours every spelling", () => {
    expect(tensor([1, 2, 3]).dtype).toBe("int64");
    expect(tensor([1, 2.5]).dtype).toBe("float32");
    expect(tensor([true]).dtype).toBe("bool");
    expect(tensor([1], { dtype: long }).dtype).toBe(int64);
    expect(tensor([1], { dtype: "int64" }).dtype).toBe("int64");
    expect(tensor([1], { dtype: "torch.long" as "int64" }).dtype).toBe("int64");
    expect(tensor([1], { dtype: double }).dtype).toBe("float64");
    const x = tensor([1.7, -2.7]);
    expect([x.long().dtype, x.int().dtype, x.double().dtype, x.float().dtype, x.bool().dtype]).toEqual(["int64", "int32", "float64", "float32", "bool"]);
    expect(x.long().toArray()).toEqual([1, -2]);
    expect(x.to(int32).toArray()).toEqual([1, -2]);
    expect(x.to("int64").dtype).toBe("int64");
    expect(x.to({ dtype: long, device: "cpu" }).dtype).toBe("int64");
    expect(x.type()).toBe("torch.FloatTensor");
    expect(x.long().type()).toBe("torch.LongTensor");
    expect(() => x.half()).toThrow('half: dtype "half" is not supported by gradnote; use float32 instead');
  });

  it("a value the dtype cannot hold throws, never wraps", () => {
    expect(() => tensor([2 ** 31], { dtype: int32 })).toThrow("cannot be converted to int32 without overflow; use int64");
    expect(() => tensor([1e20], { dtype: "float64" }).long()).toThrow("to(int64): value 100000000000000000000 cannot be converted to int64 without overflow");
    expect(() => tensor([Infinity]).int()).toThrow("cannot be converted to int32 without overflow");
    expect(() => tensor([2 ** 40]).to(int32)).toThrow("cannot be converted to int32 without overflow");
  });

  it("class indices from integer lists work with crossEntropy, nllLoss, Embedding and oneHot", () => {
    const logits = tensor([[2.0, 0.5, -1], [0.1, 0.2, 3.5]]);
    const y = tensor([0, 2]);
    expect(y.dtype).toBe("int64");
    // PyTorch 1.13: F.cross_entropy(logits, y) = 0.1664...
    expect(F.crossEntropy(logits, y).item()).toBeCloseTo(F.crossEntropy(logits, y.int()).item(), 6);
    expect(F.nllLoss(F.logSoftmax(logits, 1), y).item()).toBeCloseTo(F.crossEntropy(logits, y).item(), 6);
    expect(new nn.Embedding(5, 3).forward(tensor([[0, 4], [1, 1]])).shape).toEqual([2, 2, 3]);
    expect(F.oneHot(tensor([0, 2])).toArray()).toEqual([[1, 0, 0], [0, 0, 1]]);
    expect(F.oneHot(tensor([0, 2])).dtype).toBe("int64");
    expect(() => F.crossEntropy(logits, tensor([0.5, 2]))).toThrow("convert with target.long()");
    expect(logits.argmax(1).dtype).toBe("int64");
    expect(arange(3).dtype).toBe("int64");
  });

  it("JavaScript's 1.0 === 1 trap: ops that need floats compute, in-place ops and requiresGrad explain", () => {
    const x = tensor([1.0, 2.0]); // int64, as tensor([1, 2]) in PyTorch
    expect(x.mean().item()).toBe(1.5);
    expect(x.div(2).toArray()).toEqual([0.5, 1]);
    expect(x.sigmoid().dtype).toBe("float32");
    expect(new nn.Linear(2, 1).forward(tensor([[1.0, 2.0]])).dtype).toBe("float32");
    expect(() => x.mul_(0.5)).toThrow("tensor([1.0, 2.0]) is int64 in JavaScript (1.0 === 1): create it with { dtype: float32 } or convert with .float()");
    expect(() => x.requiresGrad_()).toThrow("requiresGrad: only floating point tensors can require gradients, got dtype int64");
    expect(tensor([1.0, 2.0], { requiresGrad: true }).dtype).toBe("float32");
    expect(nn.Parameter(tensor([1.0, 2.0])).dtype).toBe("float32");
  });

  it("device names read like PyTorch's", () => {
    expect(device("cpu").type).toBe("cpu");
    expect(device("cuda").type).toBe("webgpu");
    expect(device("cuda:0").type).toBe("webgpu");
    expect(() => device("cuda:1")).toThrow('device: "cuda:1": gradnote has one GPU device (webgpu); use "cuda" or "cuda:0"');
    expect(() => device("tpu")).toThrow('device: unknown device "tpu"; available:');
    expect(typeof cuda.isAvailable()).toBe("boolean");
    expect(device("cpu")).toBeInstanceOf(Device);
    const d = device("cpu");
    expect(zeros(2, { device: d }).device).toBe("cpu");
    expect(randn(2).to(d).device).toBe("cpu");
  });
});

describe("PyTorch's snake_case names on modules and optimizers", () => {
  it("throw naming the camelCase member; a user's own snake_case fields still work", async () => {
    const { optim } = await import("../../src/index.js");
    const l = new nn.Linear(2, 3);
    expect(() => (l as unknown as Record<string, unknown>).in_features).toThrow('Linear has no property "in_features"; gradnote uses camelCase: write .inFeatures');
    expect(() => (l as unknown as Record<string, unknown>).state_dict).toThrow("write .stateDict");
    const opt = new optim.SGD(l.parameters(), { lr: 0.1 });
    expect(() => (opt as unknown as Record<string, unknown>).zero_grad).toThrow('SGD has no property "zero_grad"; gradnote uses camelCase: write .zeroGrad');
    class Net extends nn.Module {
      fc_one = new nn.Linear(2, 1);
      hidden_size = 4;
      override forward(x: Tensor): Tensor {
        return this.fc_one.forward(x);
      }
    }
    const n = new Net();
    expect(n.forward(tensor([[1, 2]], { dtype: float32 })).shape).toEqual([1, 1]);
    expect([n.parameters().length, n.hidden_size]).toEqual([2, 4]);
  });
});

describe("keyword options (item 6)", () => {
  it("work wherever PyTorch takes a keyword, and an unknown one throws naming the accepted", async () => {
    const { optim } = await import("../../src/index.js");
    const x = tensor([[1, 2.5], [-1, 0.5]]);
    expect(F.softmax(x, { dim: 1 }).sum(1).toArray()).toEqual([1, 1].map((v) => expect.closeTo(v, 6)));
    expect(x.sum({ dim: 1, keepdim: true }).shape).toEqual([2, 1]);
    // PyTorch 1.13: F.gelu(tensor([1.0]), approximate="tanh") = 0.8411920 (exact GELU: 0.8413447)
    expect(F.gelu(tensor([1.0], { dtype: float32 }), { approximate: "tanh" }).item()).toBeCloseTo(0.841192, 6);
    expect(F.gelu(tensor([1.0], { dtype: float32 })).item()).toBeCloseTo(0.8413447, 6);
    expect(() => F.gelu(x, { approximate: "fast" as "tanh" })).toThrow(/gelu: .*approximate.*"none", "tanh"/);
    expect(() => x.sum({ dim: 1, keepDim: true } as unknown as { dim: number })).toThrow('sum: unknown option "keepDim"');
    expect(new nn.Linear({ inFeatures: 2, outFeatures: 3, bias: false }).bias).toBeNull();
    expect(() => new nn.Linear({ inFeatures: 2, outFeatures: 3, bais: false } as unknown as { inFeatures: number; outFeatures: number })).toThrow(/unknown option "bais"/);
    expect(() => new optim.SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1, weight_decay: 1e-4 } as unknown as { lr: number })).toThrow(/weight_decay/);
  });
});
