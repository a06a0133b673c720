// Training runs that must converge: XOR by a 2-layer MLP (100% accuracy), logistic regression,
// and an MLP on the moons set. Small and seeded, so they are quick and repeatable.
import { describe, expect, it } from "vitest";
import { data, manualSeed, nn, optim, tensor, noGrad, zeros } from "../../../src/index.js";
import type { Tensor } from "../../../src/index.js";

function accuracy(pred: Tensor, y: Tensor): number {
  const p = pred.dataSync();
  const t = y.dataSync();
  let ok = 0;
  for (let i = 0; i < t.length; i++) if (p[i] === t[i]) ok++;
  return ok / t.length;
}

describe("training converges", () => {
  it("a 2-layer MLP learns XOR to 100% accuracy (SGD with momentum, BCELoss)", () => {
    manualSeed(0);
    const [X, y] = data.xor();
    const model = new nn.Sequential(new nn.Linear(2, 4), new nn.Tanh(), new nn.Linear(4, 1), new nn.Sigmoid());
    const opt = new optim.SGD(model.parameters(), { lr: 0.5, momentum: 0.9 });
    const lossFn = new nn.BCELoss();
    let loss = Infinity;
    for (let epoch = 0; epoch < 500; epoch++) {
      opt.zeroGrad();
      const l = lossFn(model(X), y);
      l.backward();
      opt.step();
      loss = l.item();
    }
    expect(loss).toBeLessThan(0.05);
    const pred = noGrad(() => model(X).gt(0.5).int());
    expect(accuracy(pred, y.int())).toBe(1);
  });

  it("logistic regression separates two blobs and recovers a sensible boundary", () => {
    manualSeed(1);
    const [X, y] = data.makeBlobs(200, { centers: [[-2, -2], [2, 2]], clusterStd: 1.0, seed: 3 });
    const model = new nn.Linear(2, 1);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const lossFn = new nn.BCEWithLogitsLoss();
    const target = y.float().reshape([200, 1]);
    const loader = new data.DataLoader(new data.TensorDataset(X, target), { batchSize: 20, shuffle: true, seed: 0 });
    const first = lossFn(model(X), target).item();
    for (let epoch = 0; epoch < 30; epoch++) {
      for (const [xb, yb] of loader) {
        opt.zeroGrad();
        lossFn(model(xb), yb).backward();
        opt.step();
      }
    }
    const last = lossFn(model(X), target).item();
    expect(last).toBeLessThan(first / 3);
    const pred = noGrad(() => model(X).gt(0).int().reshape([200]));
    expect(accuracy(pred, y)).toBeGreaterThanOrEqual(0.95);
  });

  it("an MLP with Adam and CrossEntropyLoss fits the moons set", () => {
    manualSeed(2);
    const [X, y] = data.makeMoons(200, { noise: 0.1, seed: 4 });
    const model = new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Linear(16, 2));
    const opt = new optim.Adam(model.parameters(), { lr: 0.05 });
    const lossFn = new nn.CrossEntropyLoss();
    for (let epoch = 0; epoch < 200; epoch++) {
      opt.zeroGrad();
      lossFn(model(X), y).backward();
      opt.step();
    }
    expect(accuracy(model(X).argmax(1), y)).toBeGreaterThanOrEqual(0.97);
  });

  it("a perceptron with a Step output reproduces AND after the perceptron rule", () => {
    const [X, y] = data.logicGate("and");
    const w = zeros([1, 2]);
    let b = 0;
    const step = new nn.Step();
    for (let epoch = 0; epoch < 10; epoch++) {
      for (let i = 0; i < 4; i++) {
        const xi = X.select(0, i);
        const out = step(xi.mul(w.reshape([2])).sum().add(b)).item();
        const err = (y.toArray() as number[][])[i][0] - out;
        w.add_(xi.reshape([1, 2]).mul(0.5 * err));
        b += 0.5 * err;
      }
    }
    expect(step(X.matmul(w.t()).add(b)).toArray()).toEqual(y.toArray());
  });
});
