// LeNet-5 trained for one epoch on Fashion-MNIST (Adam lr 2e-3, batch 64, standardised pixels)
// on the cpu pool backend must reach ≥ 85% test accuracy (issue 4). PyTorch with this recipe:
// 86.2–86.4% (seeds 0, 1; python3-torch); with lr 1e-3 it lands at 84.0–84.4%, hence 2e-3.
// Skipped, with the reason in its name, only when dataset-fashion-mnist is absent.
import { describe, expect, it } from "vitest";
import { data, getBackend, manualSeed, nn } from "../../../src/index.js";
import { testAccuracy, trainOneEpoch } from "./fashion-helpers.js";

const have = data.hasFashionMNIST();

describe("Fashion-MNIST LeNet-5", () => {
  it.skipIf(!have)(
    `reaches ≥ 85% test accuracy after one epoch${have ? "" : " (skipped: install dataset-fashion-mnist)"}`,
    () => {
      expect(getBackend()).toBe("cpu");
      manualSeed(0);
      const train = data.fashionMNIST({ train: true, normalize: true });
      const test = data.fashionMNIST({ train: false, normalize: true });
      const model = new nn.Sequential(
        new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
        new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(),
        new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10),
      );
      trainOneEpoch(model, train, 2e-3);
      const acc = testAccuracy(model, test);
      console.log(`Fashion-MNIST LeNet-5, one epoch: test accuracy ${(acc * 100).toFixed(2)}%`);
      expect(acc).toBeGreaterThanOrEqual(0.85);
    },
    900_000,
  );
});
