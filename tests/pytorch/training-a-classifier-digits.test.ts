// Port of PyTorch's "Training a Classifier" (beginner/blitz/cifar10_tutorial) to the 8×8 digits,
// line for line in camelCase, with gradnote's display helpers where the tutorial calls
// matplotlib: imshow(make_grid(images)) → showImages, plus showFilters(conv1.weight),
// showActivations(net, images) and plot.line(losses). Adapted: Digits8x8 (1 channel, 8×8) split
// 1497/300 instead of CIFAR-10, so the Net's kernel sizes (3, padding 1) and fc1's input
// (16·2·2) change; losses are printed every 100 mini-batches; 8 epochs instead of 2.
// CHECKED against torch 1.13 on the same data and recipe (batch 4, SGD lr 0.001 momentum 0.9,
// seeds 0-2): the running loss starts at ~2.30 and ends at 0.25-0.34; test accuracy 90-93%
// (here: ≥ 80%); every class is predicted; each display call sends a MIME bundle with a PNG
// (and Plotly JSON for the plot) to the kernel.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { nn, optim, datasets, transforms, showImages, showFilters, showActivations, plot, display } from "../../src/index.js";
import { DataLoader, randomSplit } from "../../src/data/index.js";
import type { Tensor } from "../../src/index.js";
import { decodePng } from "../src/display/helpers.js";

const F = nn.functional;
const dir = mkdtempSync(join(tmpdir(), "gradnote-classifier-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Stands in for the kernel's display hook and keeps every MIME bundle sent to it. */
function recordingKernel(): { bundles: Record<string, unknown>[]; restore(): void } {
  const key = Symbol.for("gradnote.kernel");
  const g = globalThis as Record<symbol, unknown>;
  const before = g[key];
  const bundles: Record<string, unknown>[] = [];
  const handle = { displayId: "recorded", update() {}, updateBundle() {} };
  const bundle = (data: Record<string, unknown>) => (bundles.push(data), handle);
  const show = (value: Record<symbol, () => Record<string, unknown>>) => bundle(value[Symbol.for("Jupyter.display")]());
  g[key] = { display: Object.assign(show, { bundle }), clearOutput() {}, input: async () => "" };
  return { bundles, restore: () => void (g[key] = before) };
}
let kernel: ReturnType<typeof recordingKernel>;
beforeEach(() => void (kernel = recordingKernel()));
afterEach(() => kernel.restore());

describe("Training a Classifier (8×8 digits)", () => {
  it("loads, shows, trains, saves, reloads and tests a small CNN", () => {
    const printed: string[] = [];
    const print = (...s: unknown[]) => void printed.push(s.join(" "));
    torch.manualSeed(0);

    const transform = new transforms.Compose([
      new transforms.ToTensor(),
      new transforms.Normalize([0.5], [0.5]),
    ]);

    const batchSize = 4;

    const digits = new datasets.Digits8x8({ root: "./data", download: true, transform: transform });
    const [trainset, testset] = randomSplit(digits, [1497, 300]);
    const trainloader = new DataLoader(trainset, { batchSize: batchSize, shuffle: true, numWorkers: 2 });
    const testloader = new DataLoader(testset, { batchSize: batchSize, shuffle: false, numWorkers: 2 });

    const classes = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    // functions to show an image: showImages replaces imshow(torchvision.utils.make_grid(images))

    // get some random training images
    const dataiter = trainloader[Symbol.iterator]();
    let [images, labels] = dataiter.next().value as [Tensor, Tensor];

    // show images
    showImages(images.div(2).add(0.5), { normalize: "none" }); // unnormalize
    // print labels
    print(Array.from({ length: batchSize }, (_, j) => classes[labels[j].item()].padEnd(5)).join(" "));
    expect(images.shape).toEqual([4, 1, 8, 8]);
    expect(images.min().item()).toBeGreaterThanOrEqual(-1);
    expect(images.max().item()).toBeLessThanOrEqual(1);

    class Net extends nn.Module {
      conv1: nn.Conv2d;
      pool: nn.MaxPool2d;
      conv2: nn.Conv2d;
      fc1: nn.Linear;
      fc2: nn.Linear;
      fc3: nn.Linear;
      constructor() {
        super();
        this.conv1 = new nn.Conv2d(1, 6, 3, { padding: 1 });
        this.pool = new nn.MaxPool2d(2, 2);
        this.conv2 = new nn.Conv2d(6, 16, 3, { padding: 1 });
        this.fc1 = new nn.Linear(16 * 2 * 2, 120);
        this.fc2 = new nn.Linear(120, 84);
        this.fc3 = new nn.Linear(84, 10);
      }

      override forward(x: Tensor): Tensor {
        x = this.pool(F.relu(this.conv1(x)));
        x = this.pool(F.relu(this.conv2(x)));
        x = torch.flatten(x, 1); // flatten all dimensions except batch
        x = F.relu(this.fc1(x));
        x = F.relu(this.fc2(x));
        x = this.fc3(x);
        return x;
      }
    }

    let net = new Net();

    const criterion = new nn.CrossEntropyLoss();
    const optimizer = new optim.SGD(net.parameters(), { lr: 0.001, momentum: 0.9 });

    const losses: number[] = [];
    for (let epoch = 0; epoch < 8; epoch++) { // loop over the dataset multiple times
      let runningLoss = 0.0;
      for (const [i, data] of trainloader.entries()) {
        // get the inputs; data is a list of [inputs, labels]
        const [inputs, labels] = data as [Tensor, Tensor];

        // zero the parameter gradients
        optimizer.zeroGrad();

        // forward + backward + optimize
        const outputs = net(inputs);
        const loss = criterion(outputs, labels);
        loss.backward();
        optimizer.step();

        // print statistics
        runningLoss += loss.item();
        if (i % 100 === 99) { // print every 100 mini-batches
          print(`[${epoch + 1}, ${String(i + 1).padStart(5)}] loss: ${(runningLoss / 100).toFixed(3)}`);
          losses.push(runningLoss / 100);
          runningLoss = 0.0;
        }
      }
    }
    print("Finished Training");
    expect(printed).toContain("Finished Training");
    expect(losses[0]).toBeGreaterThan(2.0); // PyTorch: 2.30
    expect(losses.at(-1)!).toBeLessThan(0.7); // PyTorch: 0.25-0.34

    const PATH = join(dir, "digits_net.safetensors");
    torch.save(net.stateDict(), PATH);

    const testIter = testloader[Symbol.iterator]();
    [images, labels] = testIter.next().value as [Tensor, Tensor];

    // print images
    showImages(images.div(2).add(0.5), { normalize: "none", labels: labels });
    print("GroundTruth: ", Array.from({ length: 4 }, (_, j) => classes[labels[j].item()].padEnd(5)).join(" "));

    net = new Net();
    net.loadStateDict(torch.load(PATH, { weightsOnly: true }));

    const outputs = net(images);

    const [_, predicted] = torch.max(outputs, 1);

    print("Predicted: ", Array.from({ length: 4 }, (_, j) => classes[predicted[j].item()].padEnd(5)).join(" "));

    let correct = 0;
    let total = 0;
    // since we're not training, we don't need to calculate the gradients for our outputs
    torch.noGrad(() => {
      for (const data of testloader) {
        const [images, labels] = data as [Tensor, Tensor];
        // calculate outputs by running images through the network
        const outputs = net(images);
        // the class with the highest energy is what we choose as prediction
        const [_, predicted] = torch.max(outputs.data, 1);
        total += labels.size(0);
        correct += predicted.eq(labels).sum().item();
      }
    });

    print(`Accuracy of the network on the 300 test images: ${Math.floor((100 * correct) / total)} %`);
    expect(total).toBe(300);
    expect(correct / total).toBeGreaterThan(0.8); // PyTorch: 90-93%

    // prepare to count predictions for each class
    const correctPred = Object.fromEntries(classes.map((classname) => [classname, 0]));
    const totalPred = Object.fromEntries(classes.map((classname) => [classname, 0]));

    // again no gradients needed
    torch.noGrad(() => {
      for (const data of testloader) {
        const [images, labels] = data as [Tensor, Tensor];
        const outputs = net(images);
        const [_, predictions] = torch.max(outputs, 1);
        // collect the correct predictions for each class
        // zip(labels, predictions); `label == prediction` is label.eq(prediction) (=== compares
        // objects) and a list is indexed by label.item() (a tensor key would be its text).
        for (const [k, label] of [...labels].entries()) {
          const prediction = predictions[k];
          if (label.eq(prediction).item()) {
            correctPred[classes[label.item()]] += 1;
          }
          totalPred[classes[label.item()]] += 1;
        }
      }
    });

    // print accuracy for each class
    for (const [classname, correctCount] of Object.entries(correctPred)) {
      const accuracy = (100 * correctCount) / totalPred[classname];
      print(`Accuracy for class: ${classname.padEnd(5)} is ${accuracy.toFixed(1)} %`);
    }
    expect(Object.values(totalPred).reduce((a, b) => a + b)).toBe(300);
    expect(Object.values(correctPred).filter((c) => c > 0).length).toBeGreaterThanOrEqual(9);

    // The display helpers a notebook adds: filters, activations, the loss curve.
    showFilters(net.conv1.weight);
    showActivations(net, images.index("0:1"));
    display(plot.line(losses, { title: "running loss", xlabel: "x100 mini-batches" }));

    const bundles = kernel.bundles;
    expect(bundles).toHaveLength(5);
    const [train4, test4, filters, acts, curve] = bundles;
    expect(decodePng(Buffer.from(train4["image/png"] as string, "base64")).width).toBeGreaterThan(4 * 8);
    expect(test4["text/plain"]).toMatch(/^<4 images 8x8> labels: /);
    expect(test4["text/html"]).toContain("<figcaption");
    expect(filters["text/plain"]).toBe("<6 filters 3x3>");
    expect(decodePng(Buffer.from(filters["image/png"] as string, "base64")).height).toBeGreaterThan(3);
    // One line per layer: conv1 → [1, 6, 8, 8], pool → [1, 6, 4, 4], …, fc3 → [1, 10].
    expect(acts["text/plain"]).toMatch(/conv1 +Conv2d +\[1, 6, 8, 8\]/);
    expect(acts["text/plain"]).toMatch(/fc3 +Linear +\[1, 10\]/);
    expect(acts["text/html"]).toContain("data:image/png;base64,");
    expect(Object.keys(curve)).toContain("application/vnd.plotly.v1+json");
  });
});
