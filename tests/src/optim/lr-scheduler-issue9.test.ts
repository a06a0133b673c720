// MultiStepLR, LambdaLR and OneCycleLR against PyTorch's sequences (lr, and momentum/beta1 for
// OneCycleLR) from tests/src/nn/fixtures/issue9.json (gen_issue9_reference.py, torch 1.13).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { optim, tensor } from "../../../src/index.js";

const REF = JSON.parse(readFileSync(new URL("../nn/fixtures/issue9.json", import.meta.url), "utf8")).sched;
const S = optim.lrScheduler;

function param() {
  const p = tensor([0], { dtype: "float32", requiresGrad: true });
  p.grad = tensor([0], { dtype: "float32" });
  return p;
}

/** lr (and momentum) after construction and after each of `steps` optimizer+scheduler steps. */
function run(opt: optim.Optimizer, make: (o: optim.Optimizer) => { step(): void }, steps: number, mom?: (g: optim.ParamGroup) => number) {
  const s = make(opt);
  const lr = [opt.paramGroups[0].lr];
  const momentum = mom ? [mom(opt.paramGroups[0])] : undefined;
  for (let i = 0; i < steps; i++) {
    opt.step();
    s.step();
    lr.push(opt.paramGroups[0].lr);
    momentum?.push(mom!(opt.paramGroups[0]));
  }
  return { lr, momentum };
}

function close(got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => expect(v, `step ${i}`).toBeCloseTo(want[i], 12));
}

describe("lrScheduler (issue 9 additions, PyTorch reference)", () => {
  it("MultiStepLR multiplies by gamma at each milestone, twice for a repeated one", () => {
    close(run(new optim.SGD([param()], { lr: 0.1 }), (o) => new S.MultiStepLR(o, [2, 5, 5, 8], 0.5), 12).lr, REF.multiStep.lr);
  });

  it("LambdaLR sets lr = initial lr · lambda(epoch)", () => {
    close(run(new optim.SGD([param()], { lr: 0.1 }), (o) => new S.LambdaLR(o, (e) => 0.9 ** e + 0.01 * e), 12).lr, REF.lambda.lr);
  });

  it("OneCycleLR with SGD: PyTorch's defaults (pctStart 0.3, cos, divFactor 25, finalDivFactor 1e4) cycle lr and momentum", () => {
    const r = run(new optim.SGD([param()], { lr: 0.1, momentum: 0.9 }), (o) => new S.OneCycleLR(o, { maxLr: 0.5, totalSteps: 12 }), 12, (g) => g.momentum as number);
    close(r.lr, REF.oneCycleSgd.lr);
    close(r.momentum!, REF.oneCycleSgd.momentum);
  });

  it("OneCycleLR with Adam: three phases, linear annealing, epochs × stepsPerEpoch, cycles beta1", () => {
    const r = run(new optim.Adam([param()], { lr: 0.1 }), (o) => new S.OneCycleLR(o, {
      maxLr: 0.01, epochs: 2, stepsPerEpoch: 5, threePhase: true, annealStrategy: "linear", pctStart: 0.25,
    }), 10, (g) => (g.betas as number[])[0]);
    close(r.lr, REF.oneCycleAdam3.lr);
    close(r.momentum!, REF.oneCycleAdam3.momentum);
  });

  it("OneCycleLR without momentum cycling works with Adagrad", () => {
    close(run(new optim.Adagrad([param()], { lr: 0.1 }), (o) => new S.OneCycleLR(o, { maxLr: 1, totalSteps: 7, cycleMomentum: false, divFactor: 10, finalDivFactor: 100 }), 7).lr, REF.oneCycleNoMom.lr);
  });

  it("names what is wrong", () => {
    const sgd = () => new optim.SGD([param()], { lr: 0.1 });
    expect(() => new S.OneCycleLR(sgd(), { maxLr: 1 })).toThrow("OneCycleLR: you must define either totalSteps OR (epochs AND stepsPerEpoch)");
    expect(() => new S.OneCycleLR(sgd(), { maxLr: 1, totalSteps: 5, pct_start: 0.2 } as never)).toThrow(/unknown option "pct_start".*did you mean "pctStart"/);
    expect(() => new S.OneCycleLR(new optim.Adagrad([param()], { lr: 0.1 }), { maxLr: 1, totalSteps: 5 })).toThrow(/Adagrad must support momentum \(or betas\) with the cycleMomentum option enabled/);
    expect(() => new S.OneCycleLR(sgd(), { maxLr: 1, totalSteps: 5, annealStrategy: "exp" as never })).toThrow('OneCycleLR: option annealStrategy="exp" is not supported; accepted: "cos", "linear"');
    const o = sgd();
    const s = new S.OneCycleLR(o, { maxLr: 1, totalSteps: 2 });
    s.step();
    s.step();
    expect(() => s.step()).toThrow("OneCycleLR: tried to step 4 times; the specified number of total steps is 2");
    expect(() => new S.LambdaLR(sgd(), [(e: number) => e, (e: number) => e])).toThrow("LambdaLR: expected 1 lrLambdas (one per param group), but got 2");
    expect(() => new S.MultiStepLR(sgd(), 3 as never)).toThrow(/milestones must be an array of integer epochs/);
  });

  it("every scheduler also takes its arguments by name, as PyTorch's keywords", () => {
    const sgd = () => new optim.SGD([param()], { lr: 0.1 });
    const lrs = (make: (o: optim.Optimizer) => { step(): void }) => run(sgd(), make, 6).lr;
    expect(lrs((o) => new S.StepLR(o, { stepSize: 2, gamma: 0.5 }))).toEqual(lrs((o) => new S.StepLR(o, 2, 0.5)));
    expect(lrs((o) => new S.MultiStepLR(o, { milestones: [1, 3], gamma: 0.5 }))).toEqual(lrs((o) => new S.MultiStepLR(o, [1, 3], 0.5)));
    expect(lrs((o) => new S.ExponentialLR(o, { gamma: 0.9 }))).toEqual(lrs((o) => new S.ExponentialLR(o, 0.9)));
    expect(lrs((o) => new S.CosineAnnealingLR(o, { TMax: 4, etaMin: 0.01 }))).toEqual(lrs((o) => new S.CosineAnnealingLR(o, 4, 0.01)));
    expect(lrs((o) => new S.LambdaLR(o, { lrLambda: (e) => 1 / (e + 1) }))).toEqual(lrs((o) => new S.LambdaLR(o, (e) => 1 / (e + 1))));
    expect(() => new S.StepLR(sgd(), { step_size: 2 } as never)).toThrow(/StepLR: unknown option "step_size".*did you mean "stepSize"/);
    expect(() => new S.StepLR(sgd(), { gamma: 0.5 } as never)).toThrow('StepLR: missing required argument "stepSize"; write new optim.lrScheduler.StepLR(stepSize) or new optim.lrScheduler.StepLR({ stepSize })');
    expect(() => new S.ReduceLROnPlateau(sgd(), { patience: 2, min_lr: 0.01 } as never)).toThrow(/ReduceLROnPlateau: unknown option "min_lr".*did you mean "minLr"/);
    const plateau = new S.ReduceLROnPlateau(sgd(), { patience: 0 });
    plateau.step(tensor([1], { dtype: "float32" }).sum());
    plateau.step(tensor([2], { dtype: "float32" }).sum());
    expect(plateau.getLastLr()[0]).toBeCloseTo(0.01, 12);
  });
});
