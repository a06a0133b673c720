// Layers against PyTorch: outputs, input gradients and parameter gradients in float64, from
// fixtures/modules.json (generated once by tests/src/nn/gen_reference.py with python3-torch 1.13).
import { describe, expect, it } from "vitest";
import { nn, tensor, manualSeed, noGrad } from "../../../src/index.js";
import { CASES, checkCase, expectClose, fill } from "./fixture-util.js";

describe("layers match PyTorch (forward and backward, float64)", () => {
  const cases: Array<[string, () => nn.Module, { train?: boolean; forwards?: number }?]> = [
    ["linear", () => new nn.Linear(3, 4)],
    ["linear_nobias_3d", () => new nn.Linear(3, 2, { bias: false })],
    ["conv2d_stride_pad", () => new nn.Conv2d(2, 3, 3, { padding: 1, stride: 2 })],
    ["conv2d_dilation_groups", () => new nn.Conv2d(4, 4, 3, { dilation: 2, groups: 2, bias: false })],
    ["conv2d_same", () => new nn.Conv2d(1, 2, [3, 5], { padding: "same" })],
    ["conv1d", () => new nn.Conv1d(2, 3, 3, { padding: 1 })],
    ["maxpool2d", () => new nn.MaxPool2d(2)],
    ["maxpool2d_stride_pad", () => new nn.MaxPool2d(3, { stride: 2, padding: 1 })],
    ["avgpool2d", () => new nn.AvgPool2d(2, { stride: 1 })],
    ["avgpool2d_pad", () => new nn.AvgPool2d(3, { stride: 2, padding: 1 })],
    ["adaptiveavgpool2d", () => new nn.AdaptiveAvgPool2d([2, 3])],
    ["globalavgpool", () => new nn.AdaptiveAvgPool2d(1)],
    ["flatten", () => new nn.Flatten()],
    ["relu", () => new nn.ReLU()],
    ["tanh", () => new nn.Tanh()],
    ["sigmoid", () => new nn.Sigmoid()],
    ["leakyrelu", () => new nn.LeakyReLU(0.2)],
    ["elu", () => new nn.ELU(0.5)],
    ["gelu", () => new nn.GELU()],
    ["gelu_tanh", () => new nn.GELU({ approximate: "tanh" })],
    ["softplus", () => new nn.Softplus(2, 1)],
    ["softmax", () => new nn.Softmax(1)],
    ["logsoftmax", () => new nn.LogSoftmax(1)],
    ["batchnorm1d_train", () => new nn.BatchNorm1d(3)],
    ["batchnorm1d_3d", () => new nn.BatchNorm1d(2, { momentum: 0.3 })],
    ["batchnorm2d_train", () => new nn.BatchNorm2d(2), { forwards: 2 }],
    ["layernorm", () => new nn.LayerNorm([3, 4])],
    ["layernorm_last", () => new nn.LayerNorm(4)],
  ];
  for (const [name, make, opts] of cases) {
    it(`${name}`, () => checkCase(name, make(), opts));
  }

  it("batchnorm2d_eval uses the running statistics", () => {
    const bn = new nn.BatchNorm2d(2);
    bn.double();
    bn.running_mean!.copy_(tensor([0.1, -0.2], { dtype: "float64" }));
    bn.running_var!.copy_(tensor([1.5, 0.5], { dtype: "float64" }));
    checkCase("batchnorm2d_eval", bn, { train: false });
  });

  it("embedding looks up rows and scatters gradients back", () => {
    const c = CASES.embedding;
    const emb = new nn.Embedding(5, 3).double();
    noGrad(() => emb.weight.copy_(fill([5, 3], 1)));
    const y = emb.forward(tensor([[0, 2, 4], [4, 1, 0]], { dtype: "int32" }));
    expect(y.shape).toEqual(c.yShape);
    expectClose(y.dataSync(), c.y);
    y.mul(fill(c.yShape, 20)).sum().backward();
    expectClose(emb.weight.grad!.dataSync(), c.grad!);
  });
});

describe("layer behaviour", () => {
  it("Linear uses PyTorch's default init bounds ±1/√inFeatures", () => {
    manualSeed(1);
    const l = new nn.Linear(400, 30);
    const w = l.weight.dataSync();
    const b = l.bias!.dataSync();
    const bound = 1 / Math.sqrt(400);
    expect(Math.max(...w)).toBeLessThanOrEqual(bound);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-bound);
    expect(Math.max(...w)).toBeGreaterThan(0.9 * bound);
    expect(Math.max(...b)).toBeLessThanOrEqual(bound);
  });

  it("Conv2d keeps the spatial size with padding 2 for a 5x5 kernel", () => {
    const conv = new nn.Conv2d(3, 10, 5, { padding: 2 });
    expect(conv.weight.shape).toEqual([10, 3, 5, 5]);
    expect(conv.forward(fill([2, 3, 8, 8], 1).float()).shape).toEqual([2, 10, 8, 8]);
  });

  it("Dropout zeroes and rescales in training and is the identity in eval", () => {
    manualSeed(0);
    const d = new nn.Dropout(0.5);
    const x = tensor(new Array(2000).fill(1));
    const y = d.forward(x).dataSync();
    const zeros = y.filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(850);
    expect(zeros).toBeLessThan(1150);
    expect(y.every((v) => v === 0 || v === 2)).toBe(true);
    d.eval();
    expect(d.forward(x).dataSync().every((v) => v === 1)).toBe(true);
  });

  it("BatchNorm tracks running statistics with PyTorch's momentum and unbiased variance", () => {
    const bn = new nn.BatchNorm1d(1);
    bn.forward(tensor([[1], [2], [3], [6]]));
    // mean 3, unbiased var 14/3: running = 0.9·init + 0.1·batch.
    expectClose(bn.running_mean!.dataSync(), [0.3], 1e-6);
    expectClose(bn.running_var!.dataSync(), [0.9 + 0.1 * (14 / 3)], 1e-6);
    expect(bn.num_batches_tracked!.item()).toBe(1);
    expect(bn.runningMean).toBe(bn.running_mean);
  });

  it("Step is the Heaviside function", () => {
    expect(new nn.Step().forward(tensor([-1, 0, 2])).toArray()).toEqual([0, 1, 1]);
  });

  it("Sequential chains layers and indexes them", () => {
    const s = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1));
    expect(s.forward(tensor([[1, 2]])).shape).toEqual([1, 1]);
    expect(s.at(1)).toBeInstanceOf(nn.ReLU);
    expect(s.at(-1)).toBeInstanceOf(nn.Linear);
    expect([...s].length).toBe(3);
    s.append(new nn.Sigmoid());
    expect(s.size).toBe(4);
  });

  it("errors name the layer and the shapes", () => {
    expect(() => new nn.Linear(3, 2).forward(tensor([[1, 2]]))).toThrow("Linear: expected input with last dimension 3 (inFeatures), got shape [1,2]");
    expect(() => new nn.Conv2d(3, 4, 3).forward(fill([1, 2, 5, 5], 1).float())).toThrow(
      "Conv2d: expected input [N, 3, H, W] or [3, H, W], got [1,2,5,5]",
    );
    expect(() => new nn.BatchNorm2d(3).forward(fill([2, 2, 3, 3], 1).float())).toThrow("BatchNorm2d: expected input [N, 3, H, W], got [2,2,3,3]");
    expect(() => new nn.LayerNorm(4).forward(tensor([[1, 2, 3]]))).toThrow("LayerNorm: expected input ending in [4], got [1,3]");
    expect(() => new nn.Embedding(5, 2).forward(tensor([5], { dtype: "int32" }))).toThrow(/Embedding: index 5 is out of range for 5 embeddings/);
    expect(() => new nn.Embedding(5, 2).forward(tensor([1.5]))).toThrow("Embedding: input must be an integer tensor (int64, as tensor([0, 2]) makes), got dtype float32 (shape [1]); convert it with .long()");
    expect(new nn.Embedding(5, 2).forward(tensor([1, 4])).shape).toEqual([2, 2]);
    expect(() => new nn.Linear(0, 2)).toThrow("Linear: inFeatures must be a positive integer, got 0");
    expect(() => new nn.Conv2d(3, 4, 3, { groups: 2 })).toThrow(/must both be divisible by groups/);
    expect(() => new nn.Dropout(1.5)).toThrow(/between 0 and 1/);
  });

  it("Embedding's paddingIdx row starts at zero and gets no gradient", () => {
    const emb = new nn.Embedding(4, 2, { paddingIdx: 0 });
    expect(Array.from(emb.weight.dataSync().slice(0, 2))).toEqual([0, 0]);
    emb.forward(tensor([0, 1, 0], { dtype: "int32" })).sum().backward();
    expect(Array.from(emb.weight.grad!.dataSync())).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
  });
});
