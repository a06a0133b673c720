// Expected values computed with PyTorch's F.conv2d / F.conv1d / pooling on the same inputs.
import { describe, expect, it } from "vitest";
import { tensor, arange, randn, functional as F } from "../../../src/index.js";
import { checkGrad, checkOp, expectClose } from "./check-op.js";

const x = arange(16, { dtype: "float32" }).reshape(1, 1, 4, 4);
const w = tensor([[[[1, 0], [0, -1]]], [[[0.5, 0.5], [0.5, 0.5]]]]);
const b = tensor([0, 1]);

describe("conv2d", () => {
  it("matches PyTorch with bias", () => {
    checkOp((i, k, c) => F.conv2d(i, k, c), [x, w, b],
      [[[[-5, -5, -5], [-5, -5, -5], [-5, -5, -5]], [[6, 8, 10], [14, 16, 18], [22, 24, 26]]]]);
  });
  it("matches PyTorch with stride and padding", () => {
    expectClose(F.conv2d(x, w, b, { stride: 2, padding: 1 }),
      [[[[0, -2, 0], [-8, -5, 7], [0, 13, 15]], [[1, 2.5, 2.5], [7, 16, 10], [7, 14.5, 8.5]]]]);
  });
  it("matches PyTorch with dilation", () => {
    expectClose(F.conv2d(x, w.narrow(0, 0, 1), null, { dilation: 2 }), [[[[-10, -10], [-10, -10]]]]);
  });
  it("matches PyTorch with groups", () => {
    const x2 = arange(32, { dtype: "float32" }).reshape(1, 2, 4, 4).div(10);
    const wg = tensor([[[[1, 2]]], [[[-1, 1]]]]);
    expectClose(F.conv2d(x2, wg, null, { groups: 2 }).select(1, 0), [[[0.2, 0.5, 0.8], [1.4, 1.7, 2.0], [2.6, 2.9, 3.2], [3.8, 4.1, 4.4]]]);
    expectClose(F.conv2d(x2, wg, null, { groups: 2 }).select(1, 1).mean(), 0.1);
  });
  it("pads even kernels asymmetrically for padding 'same'", () => {
    expectClose(F.conv2d(x, tensor([[[[1, 1], [1, 1]]]]), null, { padding: "same" }),
      [[[[10, 14, 18, 10], [26, 30, 34, 18], [42, 46, 50, 26], [25, 27, 29, 15]]]]);
  });
  it("passes gradcheck for input, weight and bias across options", () => {
    checkGrad((i, k, c) => F.conv2d(i, k, c), [[2, 2, 5, 4], [3, 2, 3, 2], [3]], { layouts: ["contiguous", "permuted"] });
    checkGrad((i, k) => F.conv2d(i, k, null, { stride: 2, padding: 1, dilation: [1, 2] }), [[1, 2, 5, 6], [2, 2, 2, 2]], { layouts: ["contiguous"] });
    checkGrad((i, k) => F.conv2d(i, k, null, { groups: 2, padding: "same" }), [[1, 4, 4, 4], [4, 2, 3, 3]], { layouts: ["contiguous"] });
  });
  it("accepts an unbatched [c, h, w] input", () => {
    expect(F.conv2d(randn(3, 8, 8), randn(4, 3, 3, 3)).shape).toEqual([4, 6, 6]);
  });
  it("names the op and shapes on bad input", () => {
    expect(() => F.conv2d(randn(1, 3, 5, 5), randn(2, 4, 3, 3))).toThrow("conv2d: input channels 3 != weight.shape[1] (4) * groups (1): input=[1,3,5,5] weight=[2,4,3,3]");
    expect(() => F.conv2d(randn(1, 1, 2, 2), randn(1, 1, 3, 3))).toThrow("unfold: kernel [3,3] (dilation [1,1]) is larger than the padded input [1,1,2,2]");
    expect(() => F.conv2d(randn(5, 5), randn(1, 1, 3, 3))).toThrow("conv2d: expected input [n, c, h, w] and weight [o, c/groups, kh, kw], got input=[5,5] weight=[1,1,3,3]");
    expect(() => F.conv2d(randn(1, 1, 5, 5), randn(2, 1, 3, 3), randn(3))).toThrow("conv2d: bias shape [3] does not match out channels 2 (weight [2,1,3,3])");
  });
});

describe("conv1d", () => {
  it("matches PyTorch with padding and bias", () => {
    checkOp((i, k, c) => F.conv1d(i, k, c, { padding: 1 }), [tensor([[[1, 2, 3, 4, 5]]]), tensor([[[1, 0, -1]]]), tensor([0.5])],
      [[[-1.5, -1.5, -1.5, -1.5, 4.5]]]);
  });
  it("passes gradcheck with stride and dilation", () => {
    checkGrad((i, k) => F.conv1d(i, k, null, { stride: 2, dilation: 2 }), [[2, 3, 9], [2, 3, 2]], { layouts: ["contiguous", "strided"] });
  });
});

describe("pooling", () => {
  it("maxPool2d and avgPool2d with kernel 2 match PyTorch", () => {
    checkOp((i) => F.maxPool2d(i, 2), [x], [[[[5, 7], [13, 15]]]]);
    checkOp((i) => F.avgPool2d(i, 2), [x], [[[[2.5, 4.5], [10.5, 12.5]]]]);
  });
  it("maxPool2d with stride 1 and padding", () => {
    expectClose(F.maxPool2d(x, 3, { stride: 1, padding: 1 }), [[[[5, 6, 7, 7], [9, 10, 11, 11], [13, 14, 15, 15], [13, 14, 15, 15]]]]);
  });
  it("maxPool2d in ceil mode", () => {
    expectClose(F.maxPool2d(x, 3, { stride: 2, ceilMode: true }), [[[[10, 11], [14, 15]]]]);
  });
  it("avgPool2d counts padding in the divisor", () => {
    expectClose(F.avgPool2d(x, 3, { stride: 2, padding: 1 }), [[[[1.111111, 2.666667], [5.666667, 10]]]]);
  });
  it("adaptiveAvgPool2d uses PyTorch's window bounds; size 1 is global pooling", () => {
    expectClose(F.adaptiveAvgPool2d(arange(15, { dtype: "float32" }).reshape(1, 1, 3, 5), [2, 3]), [[[[3, 4.5, 6], [8, 9.5, 11]]]]);
    expectClose(F.adaptiveAvgPool2d(x, 1), [[[[7.5]]]]);
  });
  it("pooling passes gradcheck", () => {
    checkGrad((i) => F.maxPool2d(i, 2), [[2, 2, 4, 6]]);
    checkGrad((i) => F.maxPool2d(i, 3, { stride: 2, padding: 1 }), [[1, 2, 5, 5]]);
    checkGrad((i) => F.avgPool2d(i, 3, { stride: 2, padding: 1 }), [[1, 2, 5, 5]]);
    checkGrad((i) => F.adaptiveAvgPool2d(i, [2, 3]), [[2, 1, 5, 7]]);
    checkGrad((i) => F.maxPool1d(i, 2), [[2, 3, 6]]);
    checkGrad((i) => F.avgPool1d(i, 3, { stride: 1 }), [[2, 3, 6]]);
  });
  it("routes a max-pool gradient to the winning element only", () => {
    const t = tensor([[[[1, 2], [4, 3]]]], { requiresGrad: true });
    F.maxPool2d(t, 2).sum().backward();
    expect(t.grad!.toArray()).toEqual([[[[0, 0], [1, 0]]]]);
  });
  it("rejects bad pooling arguments naming the op", () => {
    expect(() => F.maxPool2d(x, 2, { padding: 2 })).toThrow("maxPool2d: pad should be at most half of kernel size, got padding [2,2] kernel [2,2]");
    expect(() => F.avgPool2d(randn(4, 4), 2)).toThrow("avgPool2d: expected a 3-D or 4-D input [n, c, h, w], got [4,4]");
  });
});
