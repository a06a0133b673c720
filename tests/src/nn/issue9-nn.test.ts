// nn.utils.clipGradNorm_/clipGradValue_ (values from fixtures/issue9.json, real PyTorch),
// ModuleList / ModuleDict / Sequential list operations and reprs, and buffers (registerBuffer).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { nn, tensor, zeros } from "../../../src/index.js";
import { expectClose, fill } from "./fixture-util.js";

const REF = JSON.parse(readFileSync(new URL("./fixtures/issue9.json", import.meta.url), "utf8"));

describe("nn.utils.clipGradNorm_ / clipGradValue_ (PyTorch reference)", () => {
  for (const c of REF.clip.norm as { maxNorm: number; normType: number | "inf"; total: number; a: number[]; b: number[] }[]) {
    it(`clips to maxNorm ${c.maxNorm} in the ${c.normType}-norm and returns the total norm`, () => {
      const a = fill([3, 2], 1, 1, true);
      const b = fill([4], 2, 1, true);
      a.grad = fill([3, 2], 3, 2);
      b.grad = fill([4], 4, 2);
      const gradA = a.grad;
      const total = nn.utils.clipGradNorm_([a, b], c.maxNorm, c.normType === "inf" ? Infinity : c.normType);
      expect(total.ndim).toBe(0);
      expect(total.item()).toBeCloseTo(c.total, 12);
      expectClose(a.grad!.dataSync(), c.a);
      expectClose(b.grad!.dataSync(), c.b);
      expect(a.grad).toBe(gradA); // in place, as PyTorch
    });
  }

  it("takes normType by keyword, a single tensor, and errorIfNonfinite", () => {
    const a = fill([3, 2], 1, 1, true);
    a.grad = fill([3, 2], 3, 2);
    const l1 = Array.from(a.grad.dataSync()).reduce((s, v) => s + Math.abs(v), 0);
    expect(nn.utils.clipGradNorm_(a, 0.5, { normType: 1 }).item()).toBeCloseTo(l1, 12);
    expect(a.grad.abs().sum().item()).toBeCloseTo(0.5, 5);
    a.grad = tensor([1, NaN, 2, 0, 0, 0], { dtype: "float64" }).reshape([3, 2]);
    expect(() => nn.utils.clipGradNorm_([a], 1, { errorIfNonfinite: true })).toThrow(/clipGradNorm_: the total norm of order 2 .* is non-finite \(NaN\)/);
    expect(() => nn.utils.clipGradNorm_([a], 1, { norm_type: 2 } as never)).toThrow(/unknown option "norm_type".*did you mean "normType"/);
    expect(nn.utils.clipGradNorm_([fill([2], 1, 1, true)], 1).item()).toBe(0); // no gradients yet
  });

  it("clipGradValue_ clamps every element in place", () => {
    const a = fill([3, 2], 1, 1, true);
    a.grad = fill([3, 2], 3, 2);
    expect(nn.utils.clipGradValue_([a], 0.4)).toBeUndefined();
    expectClose(a.grad!.dataSync(), REF.clip.value);
  });
});

describe("ModuleList, ModuleDict and Sequential as containers", () => {
  it("ModuleList registers its modules: parameters, stateDict keys, length, iteration, negative at()", () => {
    const l = new nn.ModuleList([new nn.Linear(2, 3), new nn.ReLU()]);
    expect(l.length).toBe(2);
    expect(l.toString()).toBe(REF.repr.moduleList.replace("in_features=2, out_features=3, bias=True", "inFeatures=2, outFeatures=3, bias=true"));
    l.append(new nn.Linear(3, 1)).extend([new nn.Tanh()]);
    expect(l.length).toBe(4);
    expect(Object.keys(l.stateDict())).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
    expect(l.at(-1)).toBeInstanceOf(nn.Tanh);
    l.insert(1, new nn.Sigmoid());
    expect([...l].map((m) => m.constructor.name)).toEqual(["Linear", "Sigmoid", "ReLU", "Linear", "Tanh"]);
    expect(l.pop(0)).toBeInstanceOf(nn.Linear);
    expect([...l].map((m) => m.constructor.name)).toEqual(["Sigmoid", "ReLU", "Linear", "Tanh"]);
    expect(Object.keys(l.stateDict())).toEqual(["2.weight", "2.bias"]);
    expect(l.parameters().length).toBe(2);
    expect(() => l.append(tensor([1]) as never)).toThrow(/ModuleList.append: "4" is not a Module \(got Tensor\)/);
    expect(() => l.at(9)).toThrow("ModuleList: index 9 is out of range for 4 modules");
    expect(() => new nn.ModuleList(new nn.Linear(1, 1) as never)).toThrow(/expected an array \(iterable\) of modules, got Linear/);
  });

  it("ModuleList prints runs of identical layers folded, as PyTorch 2 does", () => {
    const l = new nn.ModuleList([new nn.Linear(2, 2), new nn.Linear(2, 2), new nn.ReLU(), new nn.Linear(2, 2)]);
    // torch 2.x: repr(nn.ModuleList([Linear(2,2), Linear(2,2), ReLU(), Linear(2,2)])), camelCased.
    expect(l.toString()).toBe([
      "ModuleList(",
      "  (0-1): 2 x Linear(inFeatures=2, outFeatures=2, bias=true)",
      "  (2): ReLU()",
      "  (3): Linear(inFeatures=2, outFeatures=2, bias=true)",
      ")",
    ].join("\n"));
    expect(new nn.ModuleList().toString()).toBe("ModuleList()");
  });

  it("a model with a ModuleList trains all its layers", () => {
    class Net extends nn.Module {
      layers = new nn.ModuleList([new nn.Linear(2, 4), new nn.Linear(4, 1)]);
      override forward(x: nn.Module) {
        let h = x;
        for (const layer of this.layers) h = layer(h);
        return h;
      }
    }
    const net = new Net();
    expect([...net.namedParameters()].map(([k]) => k)).toEqual(["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"]);
    expect([...net(zeros([3, 2])).shape]).toEqual([3, 1]);
  });

  it("ModuleDict keeps insertion order, prints like PyTorch and refuses clashing or missing keys", () => {
    const d = new nn.ModuleDict({ fc: new nn.Linear(2, 3), act: new nn.ReLU() });
    expect(d.toString()).toBe(REF.repr.moduleDict.replace("in_features=2, out_features=3, bias=True", "inFeatures=2, outFeatures=3, bias=true"));
    expect(d.keys()).toEqual(["fc", "act"]);
    expect([...d]).toEqual(["fc", "act"]);
    expect(d.get("fc")).toBeInstanceOf(nn.Linear);
    expect((d as unknown as { fc: nn.Module }).fc).toBe(d.get("fc"));
    d.set("out", new nn.Linear(3, 1));
    expect(d.length).toBe(3);
    expect(Object.keys(d.stateDict())).toEqual(["fc.weight", "fc.bias", "out.weight", "out.bias"]);
    expect(d.has("act")).toBe(true);
    expect(d.pop("act")).toBeInstanceOf(nn.ReLU);
    expect(d.has("act")).toBe(false);
    expect(d.items().map(([k]) => k)).toEqual(["fc", "out"]);
    expect(() => d.get("act")).toThrow('ModuleDict: no module under key "act"; keys: "fc", "out"');
    expect(() => d.set("forward", new nn.ReLU())).toThrow('ModuleDict: attribute "forward" already exists; choose another name');
    expect(() => d.set("a.b", new nn.ReLU())).toThrow(/can't be empty or contain "."/);
  });

  it("slice(start, end) is PyTorch's model[:-1] / list[1:], sharing the layers", () => {
    const s = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1));
    const head = s.slice(0, -1);
    expect(head).toBeInstanceOf(nn.Sequential);
    expect([...head.namedChildren()].map(([k]) => k)).toEqual(["0", "1"]);
    expect(head.at(0)).toBe(s.at(0));
    expect([...s.slice(1).namedChildren()].map(([k]) => k)).toEqual(["1", "2"]);
    expect([...head(zeros([4, 2])).shape]).toEqual([4, 3]);
    const l = new nn.ModuleList([new nn.ReLU(), new nn.Tanh(), new nn.Sigmoid()]);
    expect([...l.slice(1)].map((m) => m.constructor.name)).toEqual(["Tanh", "Sigmoid"]);
  });

  it("Sequential has length, extend, insert, pop and accepts named layers", () => {
    const s = new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU());
    expect(s.length).toBe(2);
    s.extend([new nn.Linear(2, 1)]).insert(-1, new nn.Tanh());
    expect([...s].map((m) => m.constructor.name)).toEqual(["Linear", "ReLU", "Tanh", "Linear"]);
    expect(s.pop()).toBeInstanceOf(nn.Linear);
    expect(s.length).toBe(3);
    const named = new nn.Sequential(new Map<string, nn.Module>([["conv1", new nn.Conv2d(1, 2, 3)], ["relu1", new nn.ReLU()]]));
    expect([...named.namedChildren()].map(([k]) => k)).toEqual(["conv1", "relu1"]);
    expect(Object.keys(named.stateDict())).toEqual(["conv1.weight", "conv1.bias"]);
  });
});

describe("buffers (registerBuffer)", () => {
  class Masked extends nn.Module {
    fc = new nn.Linear(2, 2);
    constructor() {
      super();
      this.registerBuffer("mask", tensor([1, 0], { dtype: "float32" }));
      this.registerBuffer("scratch", zeros([2]), false);
    }
  }

  it("persistent buffers appear in stateDict, non-persistent ones only in buffers()", () => {
    const m = new Masked();
    expect([...m.namedBuffers()].map(([k]) => k)).toEqual(["mask", "scratch"]);
    expect(m.buffers().length).toBe(2);
    expect(Object.keys(m.stateDict())).toEqual(["mask", "fc.weight", "fc.bias"]);
    expect(m.parameters().length).toBe(2);
  });

  it("buffers are converted and moved with the module, and loaded from a state dict", () => {
    const m = new Masked().double();
    const b = m as unknown as { mask: { dtype: string }; scratch: { dtype: string } };
    expect(b.mask.dtype).toBe("float64");
    expect(b.scratch.dtype).toBe("float64");
    const sd = m.stateDict();
    sd.mask = tensor([0.5, 0.25], { dtype: "float64" });
    m.loadStateDict(sd);
    expect((m as unknown as { mask: { toArray(): number[] } }).mask.toArray()).toEqual([0.5, 0.25]);
  });

  it("BatchNorm's running statistics are buffers", () => {
    const bn = new nn.BatchNorm1d(3);
    expect([...bn.namedBuffers()].map(([k]) => k)).toEqual(["running_mean", "running_var", "num_batches_tracked"]);
    expect(bn.parameters().length).toBe(2);
  });

  it("registerBuffer refuses bad names, non-tensors and existing attributes", () => {
    const m = new nn.Linear(2, 2);
    expect(() => m.registerBuffer("a.b", zeros([1]))).toThrow(/buffer name can't be empty or contain "."/);
    expect(() => m.registerBuffer("weight", zeros([1]))).toThrow('Linear.registerBuffer: attribute "weight" already exists');
    expect(() => m.registerBuffer("x", 3 as never)).toThrow(/cannot assign number to buffer "x"/);
  });
});

describe("indexing containers like PyTorch (model[-1], seq[0], list[i] = m)", () => {
  it("Sequential and ModuleList answer integer indices, negative from the end, and assignment", () => {
    const s = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1));
    const idx = s as unknown as Record<number, nn.Module>;
    expect(idx[0]).toBeInstanceOf(nn.Linear);
    expect(idx[-1]).toBe(s.at(2));
    expect(idx[-2]).toBeInstanceOf(nn.ReLU);
    expect(s.length).toBe(3);
    expect(() => idx[3]).toThrow(/Sequential\[3\]: index 3 is out of bounds for dimension 0 with size 3/);
    idx[-2] = new nn.Tanh();
    expect(s.at(1)).toBeInstanceOf(nn.Tanh);
    expect(() => (idx[1] = tensor([1]) as never)).toThrow("Sequential[1] = …: expected a Module, got Tensor");
    expect(() => (idx[-1] = tensor([1]) as never)).toThrow(/Sequential: "2" is not a Module \(got Tensor\)/);
    s.append(new nn.Sigmoid());
    expect(idx[-1]).toBeInstanceOf(nn.Sigmoid);
    const named = new nn.Sequential({ conv: new nn.Conv2d(1, 2, 3), act: new nn.ReLU() });
    expect((named as unknown as Record<number, nn.Module>)[-1]).toBeInstanceOf(nn.ReLU);
    expect((named as unknown as Record<number, nn.Module>)[0]).toBeInstanceOf(nn.Conv2d);
    const l = new nn.ModuleList([new nn.Linear(1, 1), new nn.ReLU()]);
    const li = l as unknown as Record<number, nn.Module>;
    expect(li[-1]).toBeInstanceOf(nn.ReLU);
    li[0] = new nn.Tanh();
    expect(l.at(0)).toBeInstanceOf(nn.Tanh);
    expect(l.length).toBe(2);
  });
});

describe("Module.apply (PyTorch's model.apply(initWeights))", () => {
  it("visits every submodule once, children first, then the module; returns the module", () => {
    const shared = new nn.Linear(2, 2);
    const model = new nn.Sequential(shared, new nn.Sequential(new nn.ReLU(), shared), new nn.Linear(2, 1));
    const seen: string[] = [];
    expect(model.apply((m) => seen.push(m.constructor.name))).toBe(model);
    expect(seen).toEqual(["Linear", "ReLU", "Linear", "Sequential", "Linear", "Sequential"]);
    model.apply((m) => {
      if (m instanceof nn.Linear) nn.init.zeros_(m.weight);
    });
    expect(model.parameters().filter((p) => p.ndim === 2).every((p) => p.abs().sum().item() === 0)).toBe(true);
    expect(() => model.apply(3 as never)).toThrow("Sequential.apply: expected a function of a module, got number");
  });
});
