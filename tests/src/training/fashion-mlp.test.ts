// Fashion-MNIST MLP (784-128-10, Adam lr 1e-3, batch 64) must reach ≥ 84% test accuracy after
// one epoch. Skipped, with the reason in its name, only when dataset-fashion-mnist is absent.
// Pixels are standardised (torchvision's Normalize): PyTorch itself lands at 83–84% on raw [0, 1]
// pixels and 85% standardised with this recipe (checked over 4 seeds with python3-torch 1.13).
import { describe, expect, it } from "vitest";
import { data, manualSeed, nn } from "../../../src/index.js";
import { testAccuracy, trainOneEpoch } from "./fashion-helpers.js";

const have = data.hasFashionMNIST();

describe("Fashion-MNIST MLP", () => {
  it.skipIf(!have)(
    `reaches ≥ 84% test accuracy after one epoch${have ? "" : " (skipped: install dataset-fashion-mnist)"}`,
    () => {
      manualSeed(0);
      const train = data.fashionMNIST({ train: true, flatten: true, normalize: true });
      const test = data.fashionMNIST({ train: false, flatten: true, normalize: true });
      const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
      trainOneEpoch(model, train, 1e-3);
      const acc = testAccuracy(model, test);
      console.log(`Fashion-MNIST MLP, one epoch: test accuracy ${(acc * 100).toFixed(2)}%`);
      expect(acc).toBeGreaterThanOrEqual(0.84);
    },
    600_000,
  );
});
