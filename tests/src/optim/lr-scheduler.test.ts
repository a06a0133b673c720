// Learning-rate schedulers against PyTorch's sequences. REF was generated once by
// tests/src/optim/gen_scheduler_reference.py (Debian python3-torch 1.13): lr after each of 12 steps, from lr 0.1.
import { describe, expect, it } from "vitest";
import { tensor, optim } from "../../../src/index.js";

const REF = {
  step: [0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125, 0.00625],
  exponential: [0.09, 0.081, 0.0729, 0.06561, 0.059049, 0.0531441, 0.04782969, 0.043046721, 0.0387420489, 0.03486784401, 0.031381059609, 0.0282429536481],
  cosine: [0.091405764746873, 0.068905764746873, 0.041094235253127, 0.018594235253127, 0.01, 0.018594235253127, 0.041094235253127, 0.068905764746873, 0.091405764746873, 0.1, 0.091405764746873, 0.068905764746873],
  plateau: [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125],
  plateauMaxCooldown: [0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.01, 0.001, 0.001, 0.001, 0.001, 0.0005],
};

function sgd(): optim.Optimizer {
  const p = tensor([0], { requiresGrad: true });
  p.grad = tensor([0]);
  return new optim.SGD([p], { lr: 0.1 });
}

function run(make: (o: optim.Optimizer) => { step(m?: number): void }, metrics?: number[]): number[] {
  const opt = sgd();
  const s = make(opt);
  const lrs: number[] = [];
  for (let e = 0; e < 12; e++) {
    opt.step();
    s.step(metrics?.[e]);
    lrs.push(opt.paramGroups[0].lr);
  }
  return lrs;
}

function close(got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
}

describe("lrScheduler", () => {
  const S = optim.lrScheduler;
  it("StepLR multiplies by gamma every stepSize epochs", () => {
    close(run((o) => new S.StepLR(o, 3, 0.5)), REF.step);
  });
  it("ExponentialLR multiplies by gamma every epoch", () => {
    close(run((o) => new S.ExponentialLR(o, 0.9)), REF.exponential);
  });
  it("CosineAnnealingLR follows PyTorch's recursive cosine, including past TMax", () => {
    close(run((o) => new S.CosineAnnealingLR(o, 5, 0.01)), REF.cosine);
  });
  it("ReduceLROnPlateau halves the lr after `patience` bad epochs", () => {
    const metrics = [5, 4, 4, 4, 4, 3, 3.5, 3.2, 3.1, 3.0, 3.0, 3.0];
    close(run((o) => new S.ReduceLROnPlateau(o, { patience: 2, factor: 0.5 }), metrics), REF.plateau);
  });
  it("ReduceLROnPlateau in max mode honours cooldown and minLr", () => {
    const metrics = [1, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3];
    const make = (o: optim.Optimizer) => new S.ReduceLROnPlateau(o, { mode: "max", patience: 1, factor: 0.1, cooldown: 2, minLr: 0.0005 });
    close(run(make, metrics), REF.plateauMaxCooldown);
  });
  it("records initialLr and reports getLastLr", () => {
    const opt = sgd();
    const s = new S.StepLR(opt, 1, 0.5);
    expect(opt.paramGroups[0].initialLr).toBe(0.1);
    s.step();
    expect(s.getLastLr()).toEqual([0.05]);
  });
  it("rejects bad arguments", () => {
    expect(() => new S.StepLR(sgd(), 0)).toThrow(/StepLR: stepSize must be a positive integer, got 0/);
    expect(() => new S.ReduceLROnPlateau(sgd(), { factor: 1.5 })).toThrow(/factor should be < 1.0/);
  });
});
