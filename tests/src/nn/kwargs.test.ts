// Layer constructors in PyTorch's calling styles (issue 9 item 6): positional, positional plus
// an options object, or every argument by name; unknown and unsupported keys throw by name.
import { describe, expect, it } from "vitest";
import { nn, optim, zeros, tensor } from "../../../src/index.js";

describe("layer constructors take PyTorch's keywords", () => {
  it("Linear({ inFeatures, outFeatures, bias })", () => {
    const l = new nn.Linear({ inFeatures: 2, outFeatures: 3, bias: false });
    expect([...l.weight.shape]).toEqual([3, 2]);
    expect(l.bias).toBeNull();
    expect(new nn.Linear(2, 3, false).bias).toBeNull();
    expect(new nn.Linear(2, 3, { bias: false }).toString()).toBe("Linear(inFeatures=2, outFeatures=3, bias=false)");
    expect(() => new nn.Linear({ inFeatures: 2 } as never)).toThrow('Linear: missing required argument "outFeatures"; write new nn.Linear(inFeatures, outFeatures) or new nn.Linear({ inFeatures, outFeatures })');
    expect(() => new nn.Linear(2, 3, { in_features: 2 } as never)).toThrow(/Linear: unknown option "in_features"; accepted: inFeatures, outFeatures, bias \(did you mean "inFeatures"\?\)/);
    expect(() => new nn.Linear(2, 3, { dtype: "float64" } as never)).toThrow('Linear: option "dtype" is not supported (convert the model with model.double() or model.to(dtype)); accepted: inFeatures, outFeatures, bias');
    expect(() => new nn.Linear(2, 3, { outFeatures: 4 } as never)).toThrow(/Linear: got multiple values for argument "outFeatures"/);
  });

  it("Conv2d({ inChannels, outChannels, kernelSize, stride, padding }) and positional PyTorch order", () => {
    const c = new nn.Conv2d({ inChannels: 1, outChannels: 4, kernelSize: 3, stride: 1, padding: 1 });
    expect([...c(zeros([2, 1, 5, 5])).shape]).toEqual([2, 4, 5, 5]);
    const p = new nn.Conv2d(1, 4, 3, 2, 1);
    expect([...p(zeros([2, 1, 6, 6])).shape]).toEqual([2, 4, 3, 3]);
    expect(() => new nn.Conv2d(1, 4, 3, { paddingMode: "reflect" } as never)).toThrow('Conv2d: option paddingMode="reflect" is not supported; accepted: "zeros"');
    expect(() => new nn.Conv2d(1, 4, 3, { kernel_size: 3 } as never)).toThrow(/unknown option "kernel_size".*did you mean "kernelSize"/);
    expect([...new nn.Conv1d({ inChannels: 2, outChannels: 3, kernelSize: 2 }).weight.shape]).toEqual([3, 2, 2]);
  });

  it("pooling layers honour dilation and ceilMode instead of dropping them", () => {
    const x = zeros([1, 1, 5, 5]);
    expect([...new nn.MaxPool2d(2, { ceilMode: true })(x).shape]).toEqual([1, 1, 3, 3]);
    expect([...new nn.MaxPool2d({ kernelSize: 2, stride: 1, dilation: 2 })(x).shape]).toEqual([1, 1, 3, 3]);
    expect(new nn.MaxPool2d(2).toString()).toBe("MaxPool2d(kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false)");
    expect(() => new nn.MaxPool2d(2, { returnIndices: true } as never)).toThrow(/MaxPool2d: option "returnIndices" is not supported/);
    expect([...new nn.AvgPool2d({ kernelSize: 2, ceilMode: true })(x).shape]).toEqual([1, 1, 3, 3]);
  });

  it("LSTM({ inputSize, hiddenSize, numLayers, batchFirst }) and the positional numLayers", () => {
    const lstm = new nn.LSTM({ inputSize: 3, hiddenSize: 5, numLayers: 2, batchFirst: true });
    const [out, [h, c]] = lstm(zeros([4, 7, 3]));
    expect([...out.shape]).toEqual([4, 7, 5]);
    expect([...h.shape]).toEqual([2, 4, 5]);
    expect([...c.shape]).toEqual([2, 4, 5]);
    expect(new nn.LSTM(3, 5, 2).numLayers).toBe(2);
    expect(new nn.GRU({ inputSize: 3, hiddenSize: 2 }).hiddenSize).toBe(2);
    expect(() => new nn.LSTM(3, 5, { projSize: 2 } as never)).toThrow(/LSTM: option "projSize" is not supported/);
    expect(() => new nn.RNN(3, 5, { nonlinearity: "gelu" } as never)).toThrow('RNN: option nonlinearity="gelu" is not supported; accepted: "tanh", "relu"');
    expect(() => new nn.RNNCell(3, 5, { nonlinearity: "sigmoid" } as never)).toThrow(/RNNCell: option nonlinearity="sigmoid" is not supported/);
    expect(new nn.LSTMCell({ inputSize: 2, hiddenSize: 3 }).hiddenSize).toBe(3);
  });

  it("Embedding, BatchNorm, LayerNorm, Flatten, Softmax, Upsample take their keywords", () => {
    const e = new nn.Embedding({ numEmbeddings: 10, embeddingDim: 3, paddingIdx: 0 });
    expect(e.toString()).toBe("Embedding(10, 3, paddingIdx=0)");
    expect(() => new nn.Embedding(10, 3, { maxNorm: 1 } as never)).toThrow(/Embedding: option "maxNorm" is not supported/);
    expect(new nn.BatchNorm1d({ numFeatures: 4, momentum: 0.2 }).momentum).toBe(0.2);
    expect(() => new nn.BatchNorm2d(4, { eps: 1e-3, affline: false } as never)).toThrow(/BatchNorm2d: unknown option "affline"/);
    expect(new nn.LayerNorm({ normalizedShape: [3], eps: 1e-6 }).eps).toBe(1e-6);
    expect(new nn.Flatten({ startDim: 0 }).startDim).toBe(0);
    expect(new nn.LogSoftmax({ dim: 1 }).dim).toBe(1);
    expect([...new nn.Unflatten({ dim: 1, unflattenedSize: [2, 3] })(zeros([4, 6])).shape]).toEqual([4, 2, 3]);
    expect(new nn.Unflatten(1, [2, 3]).unflattenedSize).toEqual([2, 3]);
    expect([...new nn.AdaptiveAvgPool2d({ outputSize: 1 })(zeros([1, 2, 4, 4])).shape]).toEqual([1, 2, 1, 1]);
    expect(() => new (nn.Softmax as unknown as new () => unknown)()).toThrow(/Softmax: missing required argument "dim"/);
  });
});

describe("optimizers take PyTorch's keywords", () => {
  const p = () => [tensor([1, 2], { dtype: "float32", requiresGrad: true })];
  it("accept the learning rate positionally and refuse unknown or unsupported keys", () => {
    expect(new optim.SGD(p(), 0.1).paramGroups[0].lr).toBe(0.1);
    expect(new optim.Adam(p(), { lr: 0.01, betas: [0.8, 0.9] }).paramGroups[0].betas).toEqual([0.8, 0.9]);
    expect(() => new optim.SGD(p(), { lr: 0.1, weight_decay: 1e-4 } as never)).toThrow(/SGD: unknown option "weight_decay".*did you mean "weightDecay"/);
    expect(() => new optim.Adam(p(), { lr: 0.1, foreach: true } as never)).toThrow('Adam: option "foreach" is not supported (gradnote picks the implementation itself); accepted: lr, betas, eps, weightDecay, amsgrad, maximize');
    expect(() => new optim.RMSprop(p(), { lr: 0.1, beta: 0.9 } as never)).toThrow(/RMSprop: unknown option "beta"/);
  });

  it("say what to write when given a model or a single tensor", () => {
    const model = new nn.Linear(2, 1);
    expect(() => new optim.SGD(model as never, { lr: 0.1 })).toThrow("SGD: expected the model's parameters, got a module; write new optim.SGD(model.parameters(), …)");
    expect(() => new optim.SGD(p()[0] as never, { lr: 0.1 })).toThrow(/SGD: params should be an iterable of Tensors, got one Tensor of shape \[2\]; write new optim.SGD\(\[t\], …\)/);
  });
});

describe("Module and optimizer methods take PyTorch's keywords", () => {
  it("model.to({ dtype }), model.to(\"double\"), model.to(tensor); integer buffers keep their dtype", () => {
    const bn = new nn.BatchNorm1d(2);
    bn.to({ dtype: "float64" });
    expect(bn.weight!.dtype).toBe("float64");
    expect(bn.runningMean!.dtype).toBe("float64");
    expect((bn as unknown as { num_batches_tracked: { dtype: string } }).num_batches_tracked.dtype).not.toMatch(/float/);
    const l = new nn.Linear(2, 2).to("double");
    expect(l.weight.dtype).toBe("float64");
    l.to(zeros([1], { dtype: "float32" }));
    expect(l.weight.dtype).toBe("float32");
    l.to({ device: "cpu" });
    expect(l.weight.device).toBe("cpu");
    expect(() => l.to({ dtype: "int64" })).toThrow("Linear.to: nn.Module.to only accepts floating point dtypes, but got dtype int64; integer buffers keep their dtype");
    expect(() => l.to({ dtyp: "float64" } as never)).toThrow(/Module.to: unknown option "dtyp"; accepted: dtype, device/);
  });

  it("zeroGrad({ setToNone: false }) zeroes instead of clearing; loadStateDict(sd, { strict: false })", () => {
    const l = new nn.Linear(2, 1);
    l.weight.grad = tensor([[1, 2]], { dtype: "float32" });
    l.zeroGrad({ setToNone: false });
    expect(l.weight.grad!.toArray()).toEqual([[0, 0]]);
    const opt = new optim.SGD(l.parameters(), 0.1);
    l.weight.grad = tensor([[1, 2]], { dtype: "float32" });
    opt.zeroGrad({ setToNone: false });
    expect(l.weight.grad!.toArray()).toEqual([[0, 0]]);
    expect(() => opt.zeroGrad({ set_to_none: true } as never)).toThrow(/SGD.zeroGrad: unknown option "set_to_none".*did you mean "setToNone"/);
    const r = l.loadStateDict({ weight: zeros([1, 2]) }, { strict: false });
    expect(r.missingKeys).toEqual(["bias"]);
    expect(() => l.loadStateDict({ weight: zeros([1, 2]) }, { strict: true })).toThrow(/missing \[bias\]/);
    expect(() => l.loadStateDict(zeros([2]) as never)).toThrow("loadStateDict: expected named tensors (what stateDict() or load(path) returns), got a Tensor");
  });

  it("parameter groups: a misspelt option throws, a group name is kept (as PyTorch); losses take the class weight positionally", () => {
    const a = new nn.Linear(2, 2);
    const b = new nn.Linear(2, 1);
    expect(() => new optim.SGD([{ params: a.parameters(), weight_decay: 0.1 }], { lr: 0.1 })).toThrow('SGD: parameter group option "weight_decay" is not an option; did you mean "weightDecay"? (options: lr, momentum, dampening, weightDecay, nesterov, maximize)');
    const opt = new optim.SGD([{ params: a.parameters(), name: "encoder" }, { params: b.parameters(), lr: 0.01 }], { lr: 0.1 });
    expect(opt.paramGroups.map((g) => [g.name, g.lr])).toEqual([["encoder", 0.1], [undefined, 0.01]]);
    const w = tensor([1, 2, 3], { dtype: "float32" });
    expect(new nn.CrossEntropyLoss(w).weight).toBe(w);
    expect(new nn.NLLLoss(w).weight).toBe(w);
  });

  it("parameters(recurse) / namedParameters(prefix, recurse) / buffers(recurse) as PyTorch", () => {
    class Net extends nn.Module {
      scale = nn.Parameter(tensor([2], { dtype: "float32" }));
      fc = new nn.Linear(2, 1);
      bn = new nn.BatchNorm1d(1);
    }
    const net = new Net();
    expect(net.parameters(false).length).toBe(1);
    expect(net.parameters({ recurse: false })[0]).toBe(net.scale);
    expect(net.parameters().length).toBe(5);
    expect([...net.namedParameters("model")].map(([k]) => k)).toEqual(["model.scale", "model.fc.weight", "model.fc.bias", "model.bn.weight", "model.bn.bias"]);
    expect([...net.namedParameters({ recurse: false })].map(([k]) => k)).toEqual(["scale"]);
    expect(net.buffers(false)).toEqual([]);
    expect(net.buffers().length).toBe(3);
    expect(() => net.parameters({ recursive: false } as never)).toThrow(/parameters: unknown option "recursive"; accepted: recurse/);
  });
});
