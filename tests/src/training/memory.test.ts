// Memory: 10,000 training steps of an MLP must keep RSS growth under 50 MB (a generous bound
// that catches a leaked tape or tensor per step; no timing is asserted). The MLP is narrower
// than the Fashion-MNIST one so the test stays quick on a 2-core CI machine.
import { describe, expect, it } from "vitest";
import { manualSeed, nn, optim, randn, randint } from "../../../src/index.js";

describe("memory", () => {
  it("10,000 MLP training steps keep RSS growth under 50 MB", () => {
    manualSeed(0);
    const model = new nn.Sequential(new nn.Linear(64, 32), new nn.ReLU(), new nn.Linear(32, 10));
    const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
    const lossFn = new nn.CrossEntropyLoss();
    const xs = Array.from({ length: 8 }, () => randn([16, 64]));
    const ys = Array.from({ length: 8 }, () => randint(0, 10, [16]));
    const step = (i: number) => {
      opt.zeroGrad();
      const loss = lossFn(model(xs[i % 8]), ys[i % 8]);
      loss.backward();
      opt.step();
      return loss;
    };
    for (let i = 0; i < 500; i++) step(i);
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const before = process.memoryUsage().rss;
    let last = 0;
    for (let i = 0; i < 10_000; i++) last = step(i).item();
    gc?.();
    const growth = (process.memoryUsage().rss - before) / 2 ** 20;
    expect(Number.isFinite(last)).toBe(true);
    expect(growth).toBeLessThan(50);
  }, 300_000);
});
