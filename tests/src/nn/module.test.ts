// nn.Module mechanics: parameter discovery, modes, grads, state dicts, hooks, summary, calling.
import { describe, expect, it } from "vitest";
import { nn, tensor, zeros, randn } from "../../../src/index.js";
import type { Tensor } from "../../../src/index.js";

class Net extends nn.Module {
  fc1 = new nn.Linear(2, 4);
  act = new nn.ReLU();
  fc2 = new nn.Linear(4, 1);
  scale = nn.Parameter(tensor([2]));
  notAParam = tensor([1, 2, 3]);
  override forward(x: Tensor): Tensor {
    return this.fc2.forward(this.act.forward(this.fc1.forward(x))).mul(this.scale);
  }
}

describe("nn.Module", () => {
  it("finds parameters with dotted names, own ones first, then submodules in field order (as PyTorch)", () => {
    const net = new Net();
    expect([...net.namedParameters()].map(([k, p]) => `${k}:${p.shape}`)).toEqual([
      "scale:1", "fc1.weight:4,2", "fc1.bias:4", "fc2.weight:1,4", "fc2.bias:1",
    ]);
    expect([...net.parameters()].length).toBe(5);
    expect([...net.namedChildren()].map(([k]) => k)).toEqual(["fc1", "act", "fc2"]);
    expect([...net.children()].length).toBe(3);
    expect([...net.namedModules()].map(([k]) => k)).toEqual(["", "fc1", "act", "fc2"]);
    expect(net.numParameters()).toBe(8 + 4 + 4 + 1 + 1);
  });

  it("lists a shared parameter once", () => {
    const l = new nn.Linear(3, 3);
    const s = new nn.Sequential(l, new nn.ReLU(), l);
    expect([...s.parameters()].length).toBe(2);
  });

  it("is callable: model(x) runs forward", () => {
    const net = new Net();
    const x = tensor([[1, -1]]);
    expect(net(x).toArray()).toEqual(net.forward(x).toArray());
    expect(typeof net.forward).toBe("function");
    expect(net).toBeInstanceOf(nn.Module);
    expect(net).toBeInstanceOf(Net);
  });

  it("train() and eval() set training on every submodule", () => {
    const s = new nn.Sequential(new nn.Linear(2, 2), new nn.Dropout(0.5), new nn.Sequential(new nn.BatchNorm1d(2)));
    expect(s.training).toBe(true);
    expect(s.eval()).toBe(s);
    expect([...s.modules()].every((m) => !m.training)).toBe(true);
    s.train();
    expect([...s.modules()].every((m) => m.training)).toBe(true);
  });

  it("zeroGrad clears every parameter's gradient", () => {
    const net = new Net();
    net(tensor([[1, 2]])).sum().backward();
    expect([...net.parameters()].every((p) => p.grad !== null)).toBe(true);
    net.zeroGrad();
    expect([...net.parameters()].every((p) => p.grad === null)).toBe(true);
  });

  it("stateDict holds parameters and buffers under PyTorch's keys", () => {
    const s = new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.BatchNorm2d(2));
    expect(Object.keys(s.stateDict())).toEqual([
      "0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked",
    ]);
    expect(s.stateDict()["1.running_var"].toArray()).toEqual([1, 1]);
  });

  it("loadStateDict copies values in place and checks keys and shapes", () => {
    const a = new Net();
    const b = new Net();
    const w = b.fc1.weight;
    b.loadStateDict(a.stateDict());
    expect(b.fc1.weight).toBe(w);
    expect(b.fc1.weight.toArray()).toEqual(a.fc1.weight.toArray());
    const x = tensor([[0.5, -0.25]]);
    expect(b(x).toArray()).toEqual(a(x).toArray());
    const sd = a.stateDict();
    delete sd["fc2.bias"];
    expect(() => b.loadStateDict(sd)).toThrow("loadStateDict: keys differ for Net: missing [fc2.bias], unexpected []");
    expect(b.loadStateDict(sd, false)).toEqual({ missingKeys: ["fc2.bias"], unexpectedKeys: [] });
    const bad = { ...a.stateDict(), "fc1.weight": zeros([3, 2]) };
    expect(() => b.loadStateDict(bad)).toThrow("loadStateDict: size mismatch for fc1.weight: checkpoint [3,2], model [4,2]");
  });

  it("forward hooks see inputs and output and can be removed", () => {
    const l = new nn.Linear(2, 3);
    const seen: number[][] = [];
    const h = l.registerForwardHook((_m, inputs, out) => {
      seen.push([...(inputs[0] as Tensor).shape, ...(out as Tensor).shape]);
    });
    const s = new nn.Sequential(l, new nn.ReLU());
    s(tensor([[1, 2]]));
    l.forward(tensor([[1, 2], [3, 4]]));
    expect(seen).toEqual([[1, 2, 1, 3], [2, 2, 2, 3]]);
    h.remove();
    l(tensor([[1, 2]]));
    expect(seen.length).toBe(2);
    const r = l.registerForwardHook(() => zeros([1]));
    expect(l(tensor([[1, 2]])).toArray()).toEqual([0]);
    r.remove();
    const pre = l.registerForwardPreHook((_m, inputs) => [(inputs[0] as Tensor).mul(0)]);
    expect(l(tensor([[1, 2]])).toArray()).toEqual([l.bias!.toArray()]);
    pre.remove();
  });

  it("Sequential runs Linear + activation as one fused op, with the unfused values and gradients", () => {
    for (const [Act, name] of [[nn.ReLU, "relu"], [nn.Tanh, "tanh"], [nn.Sigmoid, "sigmoid"]] as const) {
      const s = new nn.Sequential(new nn.Linear(5, 6), new Act(), new nn.Linear(6, 2));
      const x = randn([7, 5]);
      const fused = s(x);
      // The fused node replaces the Linear's and the activation's.
      expect(fused.gradFn!.inputs[0].gradFn!.name).toBe(`Addmm${name[0].toUpperCase()}${name.slice(1)}Backward0`);
      const [l1, act, l2] = [...s.children()];
      const plain = l2.forward(act.forward(l1.forward(x)));
      expect(fused.sub(plain).abs().max().item()).toBeLessThan(1e-6);
      const w = randn([7, 2]);
      fused.mul(w).sum().backward();
      const g1 = l1.parameters().map((p) => p.grad!.clone());
      s.zeroGrad();
      plain.mul(w).sum().backward();
      l1.parameters().forEach((p, k) => expect(p.grad!.sub(g1[k]).abs().max().item()).toBeLessThan(1e-5));
    }
    // A hook on either layer must see that layer's own output, so nothing is fused then.
    const l = new nn.Linear(3, 4), r = new nn.ReLU();
    const outs: Tensor[] = [];
    r.registerForwardHook((_m, _i, out) => void outs.push(out as Tensor));
    new nn.Sequential(l, r)(randn([2, 3]));
    expect(outs.length).toBe(1);
    expect(outs[0].gradFn!.name).toBe("ReluBackward0");
  });

  it("prints a PyTorch-style summary and a Jupyter bundle", () => {
    const s = new nn.Sequential(new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(1176, 10));
    expect(s.toString()).toBe(
      [
        "Sequential(",
        "  (0): Conv2d(1, 6, kernelSize=(5, 5), stride=1, padding=2)",
        "  (1): ReLU()",
        "  (2): MaxPool2d(kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false)",
        "  (3): Flatten(startDim=1, endDim=-1)",
        "  (4): Linear(inFeatures=1176, outFeatures=10, bias=true)",
        ")",
      ].join("\n"),
    );
    const bundle = (s as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]();
    expect(bundle["text/plain"]).toContain("Parameters: 11,926");
    expect(String(new Net())).toContain("(fc1): Linear(inFeatures=2, outFeatures=4, bias=true)");
  });

  it("double() converts parameters and buffers, keeping them parameters", () => {
    const s = new nn.Sequential(new nn.Linear(2, 2), new nn.BatchNorm1d(2)).double();
    expect([...s.parameters()].every((p) => p.dtype === "float64" && p.requiresGrad)).toBe(true);
    expect(s.stateDict()["1.running_mean"].dtype).toBe("float64");
    expect(s.stateDict()["1.num_batches_tracked"].dtype).toBe("int32");
    expect(s(randn([3, 2], { dtype: "float64" })).dtype).toBe("float64");
  });

  it("requiresGrad_(false) freezes parameters", () => {
    const net = new Net().requiresGrad_(false);
    expect([...net.parameters()].length).toBe(5);
    expect(net.numParameters(true)).toBe(0);
  });

  it("registers buffers and modules explicitly too", () => {
    class M extends nn.Module {
      constructor() {
        super();
        this.registerBuffer("stat", zeros([2]));
        this.registerModule("inner", new nn.Linear(1, 1));
      }
    }
    const m = new M();
    expect(Object.keys(m.stateDict())).toEqual(["stat", "inner.weight", "inner.bias"]);
    expect(() => m.forward()).toThrow("M.forward: not implemented");
  });
});
