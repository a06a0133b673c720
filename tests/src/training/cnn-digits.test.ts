// A small CNN must reach ≥ 95% test accuracy on handwritten digits: scikit-learn's 8×8 digits
// (python3-sklearn's copy or the bundled one), or with GRADNOTE_TEST_DIGITS=mnist the 28×28
// MNIST digits (average-pooled to 14×14 to keep the run short).
import { describe, expect, it } from "vitest";
import { data, manualSeed, nn, noGrad, optim } from "../../../src/index.js";
import type { Tensor } from "../../../src/index.js";

function evaluate(model: nn.Module, loader: data.DataLoader): number {
  model.eval();
  let ok = 0;
  let n = 0;
  noGrad(() => {
    for (const [xb, yb] of loader) {
      const p = model(xb).argmax(1).dataSync();
      const t = yb.dataSync();
      for (let i = 0; i < t.length; i++) if (p[i] === t[i]) ok++;
      n += t.length;
    }
  });
  model.train();
  return ok / n;
}

describe("CNN on digits", () => {
  // GRADNOTE_TEST_DIGITS=mnist checks the MNIST path instead.
  const have8x8 = process.env.GRADNOTE_TEST_DIGITS !== "mnist";
  it(`reaches ≥ 95% test accuracy (${have8x8 ? "sklearn 8×8 digits" : "MNIST digits, 14×14"})`, () => {
    manualSeed(0);
    let train: data.Dataset<Tensor[]>;
    let test: data.Dataset<Tensor[]>;
    let model: nn.Module;
    let epochs: number;
    if (have8x8) {
      [train, test] = data.randomSplit(data.digits8x8(), [0.8, 0.2], { seed: 0 });
      model = new nn.Sequential(
        new nn.Conv2d(1, 16, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
        new nn.Conv2d(16, 32, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
        new nn.Flatten(), new nn.Linear(32 * 2 * 2, 10),
      );
      epochs = 8;
    } else {
      train = data.mnistDigits({ train: true });
      test = data.mnistDigits({ train: false });
      model = new nn.Sequential(
        new nn.AvgPool2d(2),
        new nn.Conv2d(1, 16, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
        new nn.Conv2d(16, 32, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
        new nn.Flatten(), new nn.Linear(32 * 3 * 3, 10),
      );
      epochs = 6;
    }
    const loader = new data.DataLoader(train, { batchSize: 32, shuffle: true, seed: 1 });
    const opt = new optim.Adam(model.parameters(), { lr: 3e-3 });
    const lossFn = new nn.CrossEntropyLoss();
    for (let e = 0; e < epochs; e++) {
      for (const [xb, yb] of loader) {
        opt.zeroGrad();
        lossFn(model(xb), yb).backward();
        opt.step();
      }
    }
    const acc = evaluate(model, new data.DataLoader(test, { batchSize: 256 }));
    expect(acc).toBeGreaterThanOrEqual(0.95);
  }, 240_000);
});
