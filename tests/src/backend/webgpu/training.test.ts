// Training on the webgpu device against the cpu reference with the same seed: the XOR MLP and
// a small CNN reach the same accuracy with matching loss curves, and a 10,000-step loop keeps
// device memory bounded. Losses are read back only every 50 steps (training needs none).
import { expect, it } from "vitest";
import { data, manualSeed, memory, nn, noGrad, optim, setBackend, tidy, randn, randint, tensor, webgpuInfo } from "../../../../src/index.js";
import type { Tensor } from "../../../../src/index.js";
import { describeGpu } from "./gpu-env.js";

function accuracy(pred: Tensor, y: Tensor): number {
  const p = pred.dataSync(), t = y.dataSync();
  let ok = 0;
  for (let i = 0; i < t.length; i++) if (p[i] === t[i]) ok++;
  return ok / t.length;
}

/** Runs `steps` optimizer steps of `loss()` inside tidy; returns the loss read back every `every` steps. */
function fit(opt: { zeroGrad(): void; step(): void }, loss: () => Tensor, steps: number, every: number): number[] {
  const curve: number[] = [];
  for (let s = 0; s < steps; s++) {
    tidy(() => {
      opt.zeroGrad();
      const l = loss();
      l.backward();
      opt.step();
      if (s % every === 0) curve.push(l.item());
    });
  }
  return curve;
}

function trainXor(backend: string): { curve: number[]; acc: number } {
  setBackend(backend);
  manualSeed(0);
  const [X0, y0] = data.xor();
  const X = X0.to(backend), y = y0.to(backend);
  const model = new nn.Sequential(new nn.Linear(2, 4), new nn.Tanh(), new nn.Linear(4, 1), new nn.Sigmoid());
  const opt = new optim.SGD(model.parameters(), { lr: 0.5, momentum: 0.9 });
  const lossFn = new nn.BCELoss();
  const curve = fit(opt, () => lossFn(model(X), y), 400, 50);
  const acc = noGrad(() => accuracy(model(X).gt(0.5).int(), y.int()));
  return { curve, acc };
}

function trainCnn(backend: string): { curve: number[]; acc: number } {
  setBackend("cpu-ref");
  manualSeed(3);
  // Two classes of 8×8 images: a bright vertical or horizontal bar, with noise.
  const n = 32;
  const labels = randint(0, 2, [n]);
  const lab = labels.dataSync();
  const img = randn([n, 1, 8, 8]).mul(0.3);
  const px = img.dataSync();
  for (let i = 0; i < n; i++) for (let k = 0; k < 8; k++) px[i * 64 + (lab[i] ? 3 * 8 + k : k * 8 + 3)] += 2;
  setBackend(backend);
  manualSeed(4);
  const x = fromArr(px, [n, 1, 8, 8], backend);
  const y = labels.to(backend);
  const model = new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(4, 4, 3), new nn.ReLU(), new nn.AvgPool2d(2), new nn.Flatten(), new nn.Linear(4, 2),
  );
  const opt = new optim.Adam(model.parameters(), { lr: 0.02 });
  const lossFn = new nn.CrossEntropyLoss();
  const curve = fit(opt, () => lossFn(model(x), y), 60, 10);
  const acc = noGrad(() => accuracy(model(x).argmax(1), y));
  return { curve, acc };
}

/** A one-layer LSTM learns to say whether a ±1 sequence has more +1s than −1s. */
function trainLstm(backend: string): { curve: number[]; acc: number } {
  setBackend("cpu-ref");
  manualSeed(5);
  const n = 24, L = 6;
  const seq = randint(0, 2, [n, L, 1]).float().mul(2).sub(1);
  const s = seq.dataSync();
  const lab: number[] = [];
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let t = 0; t < L; t++) sum += s[i * L + t];
    lab.push(sum > 0 ? 1 : 0);
  }
  setBackend(backend);
  manualSeed(6);
  const x = fromArr(s, [n, L, 1], backend);
  const y = tensor(lab, { dtype: "int32", device: backend });
  const lstm = new nn.LSTM(1, 8, { batchFirst: true });
  const head = new nn.Linear(8, 2);
  const opt = new optim.Adam([...lstm.parameters(), ...head.parameters()], { lr: 0.05 });
  const lossFn = new nn.CrossEntropyLoss();
  const logits = () => {
    const [, [h]] = lstm(x);
    return head(h.squeeze(0));
  };
  const curve = fit(opt, () => lossFn(logits(), y), 80, 10);
  const acc = noGrad(() => accuracy(logits().argmax(1), y));
  return { curve, acc };
}

function fromArr(px: ArrayLike<number>, shape: number[], backend: string): Tensor {
  return tensor(Array.from(px), { device: backend }).reshape(shape);
}

describeGpu("training on webgpu", () => {
  it("the XOR MLP learns to 100% like on cpu, with the same loss curve", () => {
    const cpu = trainXor("cpu-ref");
    const gpu = trainXor("webgpu");
    expect(gpu.acc).toBe(1);
    expect(gpu.acc).toBe(cpu.acc);
    gpu.curve.forEach((l, i) => expect(Math.abs(l - cpu.curve[i])).toBeLessThan(1e-3 + 1e-2 * cpu.curve[i]));
  });

  it("a small CNN (conv, relu, max/avg pool, linear, Adam, cross-entropy) trains like on cpu", () => {
    const cpu = trainCnn("cpu-ref");
    const gpu = trainCnn("webgpu");
    expect(cpu.acc).toBe(1);
    expect(gpu.acc).toBe(cpu.acc);
    gpu.curve.forEach((l, i) => expect(Math.abs(l - cpu.curve[i])).toBeLessThan(1e-3 + 2e-2 * cpu.curve[i]));
    // conv, pooling, cross-entropy and Adam ran as WGSL kernels: nothing fell back to the host
    expect(webgpuInfo().fallbacks).toEqual({});
  });

  it("an LSTM (fused cell kernels forward and backward) trains like on cpu", () => {
    const cpu = trainLstm("cpu-ref");
    const gpu = trainLstm("webgpu");
    expect(cpu.acc).toBeGreaterThanOrEqual(0.9);
    expect(gpu.acc).toBe(cpu.acc);
    gpu.curve.forEach((l, i) => expect(Math.abs(l - cpu.curve[i])).toBeLessThan(1e-3 + 2e-2 * cpu.curve[i]));
    expect(webgpuInfo().fallbacks).toEqual({});
  });

  it("a 10,000-step loop keeps device memory bounded", () => {
    setBackend("webgpu");
    manualSeed(1);
    const before = memory().numTensors;
    const model = new nn.Linear(8, 1);
    const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
    const x = randn([16, 8]), y = randn([16, 1]);
    let at1000 = memory();
    let buffersAt1000 = 0;
    for (let s = 0; s < 10_000; s++) {
      tidy(() => {
        opt.zeroGrad();
        nn.functional.mseLoss(model.forward(x), y).backward();
        opt.step();
      });
      if (s === 1000) {
        at1000 = memory();
        buffersAt1000 = webgpuInfo().device!.buffers;
      }
    }
    const end = memory();
    expect(end.numBytes).toBe(at1000.numBytes);
    expect(end.numTensors).toBe(at1000.numTensors);
    expect(end.numTensors - before).toBeLessThan(10); // weights, grads, momentum, x, y
    // the worker's pool holds what it has cached, not one buffer per step (earlier tests in this
    // file may still hold buffers the GC has not finalised: compare with step 1000, not zero)
    expect(webgpuInfo().device!.buffers - buffersAt1000).toBeLessThan(10);
  }, 180_000);
});
