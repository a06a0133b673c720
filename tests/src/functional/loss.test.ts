// Expected values computed with PyTorch 1.13's torch.nn.functional on the same inputs.
import { describe, expect, it } from "vitest";
import { tensor, functional as F } from "../../../src/index.js";
import { checkGrad, expectClose, input } from "../ops/check-op.js";

const logits = tensor([[1, 2, 3], [1, 0, -1], [0.5, 0.5, 2]]);
const labels = tensor([2, 0, 1], { dtype: "int32" });
const p = tensor([0.9, 0.2, 0.6]);
const y = tensor([1, 0, 1]);

describe("classification losses", () => {
  it("crossEntropy takes logits and int32 class indices", () => {
    expectClose(F.crossEntropy(logits, labels), 0.894731);
    expectClose(F.crossEntropy(logits, labels, { reduction: "none" }), [0.407606, 0.407606, 1.868981]);
    expectClose(F.crossEntropy(logits, labels, { reduction: "sum" }), 2.684193);
  });
  it("crossEntropy supports class weights, ignoreIndex, label smoothing and soft targets", () => {
    expectClose(F.crossEntropy(logits, labels, { weight: tensor([1, 2, 0.5]) }), 1.242678);
    expectClose(F.crossEntropy(logits, tensor([2, -100, 1], { dtype: "int32" })), 1.138294);
    expectClose(F.crossEntropy(logits, labels, { labelSmoothing: 0.1 }), 0.944731);
    expectClose(F.crossEntropy(logits, labels, { weight: tensor([1, 2, 0.5]), labelSmoothing: 0.2 }), 1.292136);
    expectClose(F.crossEntropy(logits, tensor([[0, 0, 1], [0.5, 0.5, 0], [0.2, 0.3, 0.5]])), 0.811398);
  });
  it("nllLoss of logSoftmax equals crossEntropy", () => {
    expectClose(F.nllLoss(F.logSoftmax(logits, 1), labels), 0.894731);
  });
  it("crossEntropy and nllLoss pass gradcheck, also on [N, C, L] inputs", () => {
    checkGrad((l) => F.crossEntropy(l, labels), [[3, 3]]);
    checkGrad((l) => F.crossEntropy(l, tensor([[0, 2], [1, 1]], { dtype: "int32" }), { labelSmoothing: 0.1 }), [[2, 3, 2]]);
    checkGrad((l) => F.nllLoss(l, labels, { weight: tensor([1, 2, 0.5], { dtype: "float64" }) }), [[3, 3]]);
  });
  it("binary cross-entropy on probabilities and on logits", () => {
    expectClose(F.binaryCrossEntropy(p, y), 0.279777);
    expectClose(F.bceWithLogits(tensor([2, -1, 0.3]), y), 0.331515);
    expectClose(F.bceWithLogits(tensor([2, -1, 0.3]), y, { posWeight: tensor([2, 2, 2]) }), 0.558609);
    expectClose(F.bceWithLogits(tensor([200, -200]), tensor([1, 0])), 0);
    checkGrad((q) => F.bce(q.sigmoid(), tensor([1, 0, 1], { dtype: "float64" })), [[3]]);
    checkGrad((z) => F.bceWithLogits(z, tensor([1, 0, 1], { dtype: "float64" })), [[3]]);
  });
  it("hinge, margin ranking and multi-margin losses", () => {
    expectClose(F.hingeEmbeddingLoss(tensor([0.3, 2, 0.5]), tensor([1, -1, -1])), 0.266667);
    expectClose(F.marginRankingLoss(tensor([1, 2, 3]), tensor([2, 2, 1]), tensor([1, -1, 1]), { margin: 0.5 }), 0.666667);
    expectClose(F.multiMarginLoss(logits, labels), 0.388889);
    checkGrad((l) => F.multiMarginLoss(l, labels), [[3, 3]]);
  });
});

describe("regression losses", () => {
  it("mseLoss and l1Loss match PyTorch", () => {
    expectClose(F.mseLoss(p, y), 0.07);
    expectClose(F.l1Loss(p, y), 0.233333);
    expectClose(F.mseLoss(p, y, { reduction: "sum" }), 0.21);
    expectClose(F.mseLoss(p, y, { reduction: "none" }), [0.01, 0.04, 0.16]);
  });
  it("huber and smooth L1", () => {
    expectClose(F.huberLoss(tensor([0, 2, 5]), tensor([0.5, 0, 0]), { delta: 1.5 }), 2.791667);
    expectClose(F.smoothL1Loss(tensor([0, 2, 5]), tensor([0.5, 0, 0]), { beta: 1.5 }), 1.861111);
  });
  it("pass gradcheck", () => {
    const t = input([2, 3]);
    checkGrad((q) => F.mseLoss(q, t.detach()), [[2, 3]]);
    checkGrad((q) => F.huberLoss(q, t.detach()), [[2, 3]]);
  });
});

describe("loss argument errors", () => {
  it("name the loss and both shapes", () => {
    expect(() => F.mseLoss(tensor([[1], [2]]), tensor([1, 2]))).toThrow("mseLoss: input and target shapes differ: input=[2,1] target=[2]");
    expect(() => F.crossEntropy(logits, tensor([2.5, 0, 1]))).toThrow("crossEntropy: expected integer class indices as target (int64, as tensor([0, 2]) makes), got dtype float32: input=[3,3] target=[3]; convert with target.long()");
    expect(F.crossEntropy(logits, tensor([2, 0, 1])).item()).toBeCloseTo(F.crossEntropy(logits, tensor([2, 0, 1], { dtype: "int32" })).item(), 6);
    expect(() => F.crossEntropy(logits, tensor([2, 0], { dtype: "int32" }))).toThrow("crossEntropy: expected input [N, C, …] and target [N, …]: input=[3,3] target=[2]");
    expect(() => F.crossEntropy(logits, tensor([3, 0, 1], { dtype: "int32" }))).toThrow("crossEntropy: target contains a class index outside [0, 3) (input [3,3])");
    expect(() => F.mseLoss(p, y, { reduction: "avg" as "mean" })).toThrow('mseLoss: reduction must be "mean", "sum" or "none", got "avg"');
  });
});
