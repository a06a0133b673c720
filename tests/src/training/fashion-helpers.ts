// Shared by the Fashion-MNIST training suites: one epoch of Adam on shuffled batches of 64, and
// test-set accuracy in batches of 1000.
import { data, nn, noGrad, optim } from "../../../src/index.js";

/** Trains `model` for one epoch (Adam, batch 64, shuffled with seed 0). */
export function trainOneEpoch(model: nn.Module, train: data.TensorDataset, lr: number): void {
  const opt = new optim.Adam(model.parameters(), { lr });
  const lossFn = new nn.CrossEntropyLoss();
  for (const [xb, yb] of new data.DataLoader(train, { batchSize: 64, shuffle: true, seed: 0 })) {
    opt.zeroGrad();
    lossFn(model.forward(xb), yb).backward();
    opt.step();
  }
}

/** Fraction of `test` that `model` (put in eval mode) classifies correctly. */
export function testAccuracy(model: nn.Module, test: data.TensorDataset): number {
  model.eval();
  let ok = 0;
  noGrad(() => {
    for (const [xb, yb] of new data.DataLoader(test, { batchSize: 1000 })) {
      const p = model.forward(xb).argmax(1).dataSync();
      const t = yb.dataSync();
      for (let i = 0; i < t.length; i++) if (p[i] === t[i]) ok++;
    }
  });
  return ok / test.length;
}
