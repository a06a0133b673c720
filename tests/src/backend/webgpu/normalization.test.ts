// BatchNorm training on the webgpu device against cpu-ref: outputs, gradients and the running
// statistics (momentum and cumulative average) agree over several steps, and the running
// update reads nothing back from the device.
import { expect, it, vi } from "vitest";
import { manualSeed, nn, randn, setBackend } from "../../../../src/index.js";
import type { Tensor } from "../../../../src/index.js";
import { backendNamed } from "../../../../src/backend/backend.js";
import { describeGpu } from "./gpu-env.js";

function close(a: Tensor, b: Tensor, tol = 1e-4): void {
  const x = a.dataSync(), y = b.dataSync();
  expect(x.length).toBe(y.length);
  for (let i = 0; i < y.length; i++) expect(Math.abs(x[i] - y[i]), `element ${i}`).toBeLessThan(tol * (1 + Math.abs(y[i])));
}

describeGpu("batch norm on webgpu", () => {
  const cases: Array<[string, () => nn.Module, number[]]> = [
    ["BatchNorm2d with momentum", () => new nn.BatchNorm2d(3), [4, 3, 5, 5]],
    ["BatchNorm2d with a cumulative average (momentum null)", () => new nn.BatchNorm2d(3, { momentum: null }), [4, 3, 2, 3]],
    ["BatchNorm1d over [N, C, L]", () => new nn.BatchNorm1d(4, { momentum: 0.3 }), [6, 4, 3]],
  ];
  for (const [name, make, shape] of cases) {
    it(`${name} trains like on cpu-ref, without reading back per step`, () => {
      setBackend("cpu-ref");
      manualSeed(5);
      const xs = Array.from({ length: 5 }, (_, s) => randn(shape).mul(s + 1).add(s));
      const run = (device: string, inputs: Tensor[]): { ys: Tensor[]; bn: nn.Module } => {
        setBackend(device);
        const bn = make();
        const ys: Tensor[] = [];
        for (const x0 of inputs) {
          const x = x0.detach().requiresGrad_();
          const y = bn.forward(x);
          y.mul(y).sum().backward();
          ys.push(y.detach(), x.grad!);
        }
        return { ys, bn };
      };
      const ref = run("cpu-ref", xs);
      const onGpu = xs.map((x) => x.to("webgpu"));
      const be = backendNamed("webgpu");
      const reads = vi.spyOn(be, "readSync");
      const gpu = run("webgpu", onGpu);
      expect(reads).not.toHaveBeenCalled();
      reads.mockRestore();
      gpu.ys.forEach((y, i) => close(y, ref.ys[i]));
      const sr = ref.bn.stateDict(), sg = gpu.bn.stateDict();
      for (const k of ["running_mean", "running_var", "num_batches_tracked", "weight"]) close(sg[k], sr[k]);
      expect(sg.num_batches_tracked.item()).toBe(5);
    });
  }
});
