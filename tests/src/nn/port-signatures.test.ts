// Layer signatures that PyTorch code ports into unchanged: pooling layers take PyTorch's
// positional order (MaxPool2d keeps returnIndices in 5th place, so a ported ceil_mode lands
// where it should), and containers index like lists (`model[0].weight`, `model[-1]`).
import { describe, expect, it } from "vitest";
import { nn, ones } from "../../../src/index.js";

describe("PyTorch's positional layer arguments", () => {
  it("MaxPool2d(kernel, stride, padding, dilation, returnIndices, ceilMode)", () => {
    const x = ones(1, 1, 5, 5);
    expect(new nn.MaxPool2d(2, 2)(x).shape).toEqual([1, 1, 2, 2]);
    // torch: nn.MaxPool2d(2, 2, 0, 1, False, True)(torch.ones(1, 1, 5, 5)).shape → [1, 1, 3, 3]
    expect(new nn.MaxPool2d(2, 2, 0, 1, false, true)(x).shape).toEqual([1, 1, 3, 3]);
    expect(() => new nn.MaxPool2d(2, 2, 0, 1, true as false)).toThrow(/MaxPool2d: returnIndices is not supported/);
    // torch: nn.AvgPool2d(2, 1, 0, True)(torch.ones(1, 1, 5, 5)).shape → [1, 1, 4, 4]
    expect(new nn.AvgPool2d(2, 1, 0, true)(x).shape).toEqual([1, 1, 4, 4]);
  });

  it("Sequential and ModuleList index like lists", () => {
    const model = new nn.Sequential(new nn.Linear(3, 1), new nn.Flatten(0, 1));
    expect(model[0].weight.shape).toEqual([1, 3]);
    expect(model[-1]).toBeInstanceOf(nn.Flatten);
    const list = new nn.ModuleList([new nn.ReLU(), new nn.Tanh()]);
    expect(list[1]).toBeInstanceOf(nn.Tanh);
  });
});
