// Loss modules against PyTorch values and input gradients (fixtures/modules.json, generated once
// by tests/src/nn/gen_reference.py with python3-torch 1.13).
import { describe, expect, it } from "vitest";
import { nn, tensor } from "../../../src/index.js";
import type { Tensor } from "../../../src/index.js";
import { CASES, expectClose, fill } from "./fixture-util.js";

function check(name: string, loss: nn.Module, x: Tensor, ...rest: Tensor[]): void {
  const c = CASES[name];
  x.requiresGrad = true;
  const out: Tensor = loss.forward(x, ...rest);
  expect(out.shape).toEqual(c.yShape);
  expectClose(out.dataSync(), c.y);
  (out.ndim > 0 ? out.mul(fill([...out.shape], 20)).sum() : out).backward();
  expectClose(x.grad!.dataSync(), c.xGrad);
}

const labels = () => tensor([0, 2, 1, 2], { dtype: "int32" });
const logits = () => fill([4, 3], 10, 2);
const binT = () => fill([2, 3], 40).gt(0).to("float64");
const pm1 = () => fill([2, 3], 41).gt(0).to("float64").mul(2).sub(1);

describe("loss modules match PyTorch (float64)", () => {
  it("MSELoss", () => check("mse", new nn.MSELoss(), fill([2, 3], 10, 2), fill([2, 3], 40)));
  it("MSELoss sum", () => check("mse_sum", new nn.MSELoss({ reduction: "sum" }), fill([2, 3], 10, 2), fill([2, 3], 40)));
  it("L1Loss none", () => check("l1_none", new nn.L1Loss({ reduction: "none" }), fill([2, 3], 10, 2), fill([2, 3], 40)));
  it("CrossEntropyLoss", () => check("cross_entropy", new nn.CrossEntropyLoss(), logits(), labels()));
  it("CrossEntropyLoss with weight and label smoothing", () =>
    check("cross_entropy_weight_smooth", new nn.CrossEntropyLoss({ weight: tensor([1, 2, 0.5], { dtype: "float64" }), labelSmoothing: 0.1 }), logits(), labels()));
  it("CrossEntropyLoss with ignoreIndex", () => check("cross_entropy_ignore", new nn.CrossEntropyLoss({ ignoreIndex: 2 }), logits(), labels()));
  it("NLLLoss", () => check("nll", new nn.NLLLoss(), logits().logSoftmax(1).detach(), labels()));
  it("BCELoss", () => check("bce", new nn.BCELoss(), fill([2, 3], 10, 2).sigmoid().detach(), binT()));
  it("BCEWithLogitsLoss with posWeight", () =>
    check("bce_with_logits_pos_weight", new nn.BCEWithLogitsLoss({ posWeight: tensor([1, 2, 3], { dtype: "float64" }) }), fill([2, 3], 10, 2), binT()));
  it("HingeEmbeddingLoss", () => check("hinge_embedding", new nn.HingeEmbeddingLoss({ margin: 0.5 }), fill([2, 3], 10, 2), pm1()));
  it("MarginRankingLoss", () => check("margin_ranking", new nn.MarginRankingLoss({ margin: 0.2 }), fill([2, 3], 10, 2), fill([2, 3], 40), pm1()));
  it("MultiMarginLoss", () => check("multi_margin", new nn.MultiMarginLoss(), logits(), labels()));
  it("HuberLoss", () => check("huber", new nn.HuberLoss({ delta: 0.5 }), fill([2, 3], 10, 2), fill([2, 3], 40)));
});

describe("loss module behaviour", () => {
  it("CrossEntropyLoss takes logits and int32 class indices, like PyTorch", () => {
    const l = new nn.CrossEntropyLoss().forward(tensor([[2, 0, 0], [0, 0, 2]]), tensor([0, 2], { dtype: "int32" }));
    expect(l.item()).toBeCloseTo(-Math.log(Math.exp(2) / (Math.exp(2) + 2)), 5);
  });
  it("errors name the loss and the shapes", () => {
    expect(() => new nn.MSELoss().forward(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(/mseLoss: input and target shapes differ: input=\[2\] target=\[3\]/);
    expect(() => new nn.CrossEntropyLoss().forward(tensor([[1, 2]]), tensor([0.5]))).toThrow(/crossEntropy: .*input=\[1,2\] target=\[1\]/);
  });
  it("shows its options in the summary", () => {
    expect(new nn.MSELoss({ reduction: "sum" }).toString()).toBe("MSELoss(reduction=sum)");
    expect(new nn.CrossEntropyLoss().toString()).toBe("CrossEntropyLoss()");
  });
});
