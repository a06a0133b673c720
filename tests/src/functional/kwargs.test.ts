// Keyword arguments (issue 9 item 6) in nn.functional: PyTorch's keywords as a trailing options
// object work, unknown keys throw naming the accepted ones, unsupported values say so.
// GELU's tanh approximation values/gradients are from torch 1.13 (F.gelu(x, approximate="tanh")).
import { describe, expect, it } from "vitest";
import { functional as F, tensor, nn, softmax } from "../../../src/index.js";
import { expectClose } from "../nn/fixture-util.js";

const X = [-3, -1, -0.5, 0, 0.5, 1, 3];
const GELU_TANH = [-0.0036373920817729943, -0.15880800939172324, -0.15428599017485606, 0.0, 0.34571400982514394, 0.8411919906082768, 2.996362607918227];
const GELU_TANH_GRAD = [-0.011584166630969648, -0.08296408384578252, 0.13263009646535764, 0.5, 0.8673699035346424, 1.0829640838457826, 1.0115841666309695];
const GELU_EXACT = [-0.00404969409489031, -0.15865525393145702, -0.15426876936299344, 0.0, 0.34573123063700656, 0.841344746068543, 2.99595030590511];

describe("nn.functional keyword options", () => {
  it("gelu({ approximate: 'tanh' }) computes the tanh approximation (values and gradient as PyTorch)", () => {
    const x = tensor(X, { dtype: "float64", requiresGrad: true });
    const y = F.gelu(x, { approximate: "tanh" });
    expectClose(y.dataSync(), GELU_TANH, 1e-12);
    y.sum().backward();
    expectClose(x.grad!.dataSync(), GELU_TANH_GRAD, 1e-12);
    expectClose(F.gelu(x, "tanh").dataSync(), GELU_TANH, 1e-12);
    expectClose(F.gelu(x).dataSync(), GELU_EXACT, 1e-12);
    expectClose(new nn.GELU({ approximate: "tanh" })(x).dataSync(), GELU_TANH, 1e-12);
    expectClose(new nn.GELU("tanh")(x).dataSync(), GELU_TANH, 1e-12);
  });

  it("gelu refuses an unsupported approximation and unknown keys, naming what is accepted", () => {
    const x = tensor([1, 2], { dtype: "float32" });
    expect(() => F.gelu(x, { approximate: "foo" } as never)).toThrow('gelu: option approximate="foo" is not supported; accepted: "none", "tanh"');
    expect(() => F.gelu(x, { approx: "tanh" } as never)).toThrow('gelu: unknown option "approx"; accepted: approximate');
    expect(() => new nn.GELU({ approximate: "sigmoid" } as never)).toThrow('GELU: option approximate="sigmoid" is not supported; accepted: "none", "tanh"');
  });

  it("softmax / logSoftmax / softmin take { dim } and { dtype }, and require a dim", () => {
    const x = tensor([[1, 2, 3], [1, 1, 1]], { dtype: "float32" });
    expect(F.softmax(x, { dim: 1 }).toArray()).toEqual(F.softmax(x, 1).toArray());
    expect(softmax(x, { dim: 0 }).toArray()).toEqual(F.softmax(x, 0).toArray());
    expect(F.logSoftmax(x, { dim: -1 }).toArray()).toEqual(F.logSoftmax(x, -1).toArray());
    expect(F.softmax(x, 1, { dtype: "float64" }).dtype).toBe("float64");
    expect(F.softmin(x, { dim: 1 }).toArray()).toEqual(F.softmax(x.neg(), 1).toArray());
    expect(() => F.softmax(x, { dims: 1 } as never)).toThrow('softmax: unknown option "dims"; accepted: dim, dtype');
    expect(() => (F.softmax as (t: unknown) => unknown)(x)).toThrow("softmax: dim is required (PyTorch's implicit dim choice is deprecated); write F.softmax(x, { dim: 1 })");
    expect(() => F.softmax(x, 1, { dim: 0 })).toThrow("softmax: got dim twice");
    expect(new nn.Softmax({ dim: 1 })(x).toArray()).toEqual(F.softmax(x, 1).toArray());
  });

  it("dropout takes { p, training }; inplace=true is refused with what to write", () => {
    const x = tensor([1, 2, 3, 4], { dtype: "float32" });
    expect(F.dropout(x, { p: 0.5, training: false })).toBe(x);
    expect(F.dropout(x, { p: 1 }).toArray()).toEqual([0, 0, 0, 0]);
    expect(() => F.dropout(x, { p: 0.5, inplace: true })).toThrow(/dropout: option inplace=true is not supported.*write x = F.dropout/);
    expect(() => F.dropout(x, { prob: 0.5 } as never)).toThrow('dropout: unknown option "prob"; accepted: p, training, inplace, generator');
    expect(new nn.Dropout({ p: 0.2 }).p).toBe(0.2);
    expect(() => new nn.Dropout({ p: 0.2, inplace: true })).toThrow(/Dropout: option inplace=true is not supported/);
  });

  it("activations with scalars take them by name too", () => {
    const x = tensor([-2, -0.5, 0.5, 2], { dtype: "float64" });
    expect(F.leakyRelu(x, { negativeSlope: 0.2 }).toArray()).toEqual(F.leakyRelu(x, 0.2).toArray());
    expect(F.elu(x, { alpha: 0.5 }).toArray()).toEqual(F.elu(x, 0.5).toArray());
    expect(F.hardtanh(x, { minVal: -1, maxVal: 0.7 }).toArray()).toEqual(F.hardtanh(x, -1, 0.7).toArray());
    expect(F.softplus(x, { beta: 2 }).toArray()).toEqual(F.softplus(x, 2).toArray());
    expect(F.relu(x, { inplace: false }).toArray()).toEqual([0, 0, 0.5, 2]);
    expect(() => F.relu(x, { inplace: true })).toThrow(/relu: option inplace=true is not supported/);
    expect(() => F.leakyRelu(x, { slope: 0.2 } as never)).toThrow('leakyRelu: unknown option "slope"; accepted: negativeSlope, inplace');
    expect(new nn.LeakyReLU({ negativeSlope: 0.2 }).negativeSlope).toBe(0.2);
    expect(new nn.ELU(0.3).alpha).toBe(0.3);
  });

  it("losses check their keys (and PyTorch's deprecated sizeAverage/reduce say what to use)", () => {
    const x = tensor([[1, 2, 0.5], [0.1, 0.2, 3]], { dtype: "float64" });
    const y = tensor([1, 2]);
    const ls = F.crossEntropy(x, y, { reduction: "sum", labelSmoothing: 0.1 });
    expect(ls.item()).toBeGreaterThan(0);
    expect(() => F.crossEntropy(x, y, { label_smoothing: 0.1 } as never)).toThrow(/crossEntropy: unknown option "label_smoothing".*did you mean "labelSmoothing"/);
    expect(() => F.crossEntropy(x, y, { sizeAverage: false } as never)).toThrow('crossEntropy: option "sizeAverage" is not supported (deprecated in PyTorch; use reduction); accepted: weight, ignoreIndex, reduction, labelSmoothing');
    expect(() => F.mseLoss(x, x, { reduce: true } as never)).toThrow(/mseLoss: option "reduce" is not supported/);
    expect(() => F.mseLoss(x, x, { reduction: "avg" as never })).toThrow(/mseLoss: reduction must be "mean", "sum" or "none", got "avg"/);
    expect(() => new nn.CrossEntropyLoss({ reduction: "avg" as never })).toThrow('CrossEntropyLoss: option reduction="avg" is not supported; accepted: "mean", "sum", "none"');
    expect(() => new nn.MSELoss({ delta: 1 } as never)).toThrow('MSELoss: unknown option "delta"; accepted: reduction');
  });

  it("misc functions take PyTorch's keywords", () => {
    const a = tensor([[3, 4], [1, 0]], { dtype: "float64" });
    expect(F.normalize(a, { dim: 1 }).toArray()).toEqual([[0.6, 0.8], [1, 0]]);
    expect(F.cosineSimilarity(a, a, { dim: 1 }).toArray()).toEqual([1, 1]);
    expect(F.oneHot(tensor([0, 2]), { numClasses: 4 }).toArray()).toEqual([[1, 0, 0, 0], [0, 0, 1, 0]]);
    expect(F.layerNorm(a, [2], { eps: 0 }).toArray()).toEqual([[-1, 1], [1, -1]]);
    expect(() => F.normalize(a, { axis: 1 } as never)).toThrow('normalize: unknown option "axis"; accepted: p, dim, eps');
  });

  it("convolution, pooling and embedding check their keys; embedding's paddingIdx row gets no gradient", () => {
    const x = tensor(new Array(16).fill(1), { dtype: "float32" }).reshape([1, 1, 4, 4]);
    const w = tensor(new Array(9).fill(1), { dtype: "float32" }).reshape([1, 1, 3, 3]);
    expect(() => F.conv2d(x, w, null, { strides: 2 } as never)).toThrow('conv2d: unknown option "strides"; accepted: stride, padding, dilation, groups');
    expect(() => F.maxPool2d(x, 2, { returnIndices: true } as never)).toThrow(/maxPool2d: option "returnIndices" is not supported/);
    expect(() => F.avgPool2d(x, 2, { count_include_pad: false } as never)).toThrow(/avgPool2d: unknown option "count_include_pad".*did you mean "countIncludePad"/);
    expect(() => F.unfold(x, 2, { step: 1 } as never)).toThrow('unfold: unknown option "step"; accepted: stride, padding, dilation');
    const weight = tensor([[1, 2], [3, 4], [5, 6]], { dtype: "float64", requiresGrad: true });
    const e = F.embedding(tensor([0, 2, 0]), weight, { paddingIdx: 0 });
    expect(e.toArray()).toEqual([[1, 2], [5, 6], [1, 2]]);
    e.sum().backward();
    expect(weight.grad!.toArray()).toEqual([[0, 0], [0, 0], [1, 1]]);
    expect(() => F.embedding(tensor([0]), weight, { maxNorm: 1 } as never)).toThrow(/embedding: option "maxNorm" is not supported/);
  });

  it("F.linear checks its options", () => {
    const x = tensor([[1, -2]], { dtype: "float32" });
    const w = tensor([[1, 1], [2, 0]], { dtype: "float32" });
    expect(F.linear(x, w, null, { activation: "relu" }).toArray()).toEqual([[0, 2]]);
    expect(() => F.linear(x, w, null, { act: "relu" } as never)).toThrow('linear: unknown option "act"; accepted: activation');
  });
});
