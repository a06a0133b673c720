// Port of PyTorch's "Quickstart" (beginner/basics/quickstart_tutorial) on Fashion-MNIST, line for
// line in camelCase: datasets.FashionMNIST + ToTensor, DataLoader(batch 64), NeuralNetwork
// (Flatten + Linear/ReLU stack), train/test loops with CrossEntropyLoss and SGD lr 1e-3, saving
// and loading the stateDict, and predicting one test image. Two lines are added to keep it
// fast: Subset to the first 6,000 training / 1,000 test images (what the bundled copy holds
// when Debian's dataset-fashion-mnist is absent) and 2 epochs instead of 5.
// CHECKED against torch 1.13 on the same 6,000/1,000 images (seeds 0-2): the batch shapes and
// int64 labels; test accuracy rises from chance (3-9%) to 20-29% after 2 epochs and the average
// test loss falls (2.30 → 2.27-2.28); the reloaded model gives the same predictions; predict
// prints `Predicted: "…", Actual: "Ankle boot"` for test image 0.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { nn } from "../../src/index.js";
import { DataLoader, Subset, type Dataset } from "../../src/data/index.js";
import type { VisionSample } from "../../src/data/vision-datasets.js";
import { datasets } from "../../src/index.js";
import { ToTensor } from "../../src/data/vision-transforms.js";
import type { Tensor } from "../../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "gradnote-quickstart-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("Quickstart (Fashion-MNIST)", () => {
  it("trains, tests, saves, loads and predicts as the tutorial does", () => {
    const printed: string[] = [];
    const print = (s: string) => void printed.push(s);
    torch.manualSeed(0);

    // Download training data from open datasets.
    let trainingData: Dataset<VisionSample> = new datasets.FashionMNIST({
      root: "data",
      train: true,
      download: true,
      transform: new ToTensor(),
    });

    // Download test data from open datasets.
    let testData: Dataset<VisionSample> = new datasets.FashionMNIST({
      root: "data",
      train: false,
      download: true,
      transform: new ToTensor(),
    });
    // Added: the bundled subset's size, whichever copy was found.
    trainingData = new Subset(trainingData, [...Array(6000).keys()]);
    testData = new Subset(testData, [...Array(1000).keys()]);

    const batchSize = 64;

    // Create data loaders.
    const trainDataloader = new DataLoader(trainingData, { batchSize: batchSize });
    const testDataloader = new DataLoader(testData, { batchSize: batchSize });

    for (const [X, y] of testDataloader) {
      print(`Shape of X [N, C, H, W]: ${X.shape}`);
      print(`Shape of y: ${y.shape} ${y.dtype}`);
      break;
    }
    expect(printed).toEqual(["Shape of X [N, C, H, W]: 64,1,28,28", "Shape of y: 64 int64"]);

    // The tutorial picks `torch.accelerator.isAvailable() ? torch.accelerator.currentAccelerator()!.type
    // : "cpu"` (which ports as written); this test pins the cpu (webgpu has its own suites).
    const device = "cpu";
    print(`Using ${device} device`);

    // Define model
    class NeuralNetwork extends nn.Module {
      flatten: nn.Flatten;
      linearReluStack: nn.Sequential;
      constructor() {
        super();
        this.flatten = new nn.Flatten();
        this.linearReluStack = new nn.Sequential(
          new nn.Linear(28 * 28, 512),
          new nn.ReLU(),
          new nn.Linear(512, 512),
          new nn.ReLU(),
          new nn.Linear(512, 10),
        );
      }

      override forward(x: Tensor): Tensor {
        x = this.flatten(x);
        const logits = this.linearReluStack(x);
        return logits;
      }
    }

    let model = new NeuralNetwork().to(device);
    print(`${model}`);
    expect(`${model}`).toContain("(linearReluStack): Sequential(");
    expect(`${model}`).toContain("(0): Linear(inFeatures=784, outFeatures=512, bias=true)"); // reprs use the camelCase names

    const lossFn = new nn.CrossEntropyLoss();
    const optimizer = new torch.optim.SGD(model.parameters(), { lr: 1e-3 });

    function train(dataloader: DataLoader<VisionSample>, model: nn.Module, lossFn: nn.CrossEntropyLoss, optimizer: torch.optim.SGD): void {
      const size = dataloader.dataset.length;
      model.train();
      for (let [batch, [X, y]] of dataloader.entries()) {
        [X, y] = [X.to(device), y.to(device)];
        // Compute prediction error
        const pred = model(X);
        const loss = lossFn(pred, y);

        // Backpropagation
        loss.backward();
        optimizer.step();
        optimizer.zeroGrad();

        if (batch % 100 === 0) {
          const [lossValue, current] = [loss.item(), (batch + 1) * X.length];
          print(`loss: ${lossValue.toFixed(6).padStart(7)}  [${String(current).padStart(5)}/${String(size).padStart(5)}]`);
        }
      }
    }

    const results: { accuracy: number; loss: number }[] = [];
    function test(dataloader: DataLoader<VisionSample>, model: nn.Module, lossFn: nn.CrossEntropyLoss): void {
      const size = dataloader.dataset.length;
      const numBatches = dataloader.length;
      model.eval();
      let [testLoss, correct] = [0, 0];
      torch.noGrad(() => {
        for (let [X, y] of dataloader) {
          [X, y] = [X.to(device), y.to(device)];
          const pred = model(X);
          testLoss += lossFn(pred, y).item();
          correct += pred.argmax(1).eq(y).type(torch.float).sum().item();
        }
      });
      testLoss /= numBatches;
      correct /= size;
      print(`Test Error: \n Accuracy: ${(100 * correct).toFixed(1)}%, Avg loss: ${testLoss.toFixed(6).padStart(8)} \n`);
      results.push({ accuracy: correct, loss: testLoss });
    }

    test(testDataloader, model, lossFn); // added: the untrained model's numbers
    const epochs = 2;
    for (let t = 0; t < epochs; t++) {
      print(`Epoch ${t + 1}\n-------------------------------`);
      train(trainDataloader, model, lossFn, optimizer);
      test(testDataloader, model, lossFn);
    }
    print("Done!");

    expect(printed.some((l) => /^loss: +2\.\d{6} +\[ +64\/ 6000\]$/.test(l))).toBe(true);
    expect(results[0].accuracy).toBeLessThan(0.2); // chance is 10%
    expect(results[2].accuracy).toBeGreaterThan(0.15);
    expect(results[2].accuracy).toBeGreaterThan(results[0].accuracy);
    expect(results[2].loss).toBeLessThan(results[0].loss);
    expect(results[2].loss).toBeGreaterThan(2.2); // PyTorch: 2.27-2.28 after 2 epochs

    const path = join(dir, "model.pth");
    torch.save(model.stateDict(), path);
    print("Saved PyTorch Model State to model.pth");
    const before = model(testData.get(0)[0]);

    model = new NeuralNetwork().to(device);
    model.loadStateDict(torch.load(path, { weightsOnly: true }));
    expect(model(testData.get(0)[0]).equal(before)).toBe(true);

    const classes = [
      "T-shirt/top",
      "Trouser",
      "Pullover",
      "Dress",
      "Coat",
      "Sandal",
      "Shirt",
      "Sneaker",
      "Bag",
      "Ankle boot",
    ];

    model.eval();
    let [x, y] = [testData[0][0], testData[0][1]];
    torch.noGrad(() => {
      x = x.to(device);
      const pred = model(x);
      const [predicted, actual] = [classes[pred[0].argmax(0).item()], classes[y]];
      print(`Predicted: "${predicted}", Actual: "${actual}"`);
    });
    expect(printed.at(-1)).toMatch(/^Predicted: "[^"]+", Actual: "Ankle boot"$/);
  });
});
