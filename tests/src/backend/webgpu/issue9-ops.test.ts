// The issue-9 ops on the webgpu device (SwiftShader in CI): convTranspose2d (col2im), bilinear
// interpolate and reflect pad (indexSelect), klDiv, clipGradNorm_ — float32 values and input
// gradients against the float64 PyTorch fixtures in tests/src/nn/fixtures/issue9.json.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { functional as F, nn } from "../../../../src/index.js";
import type { Tensor } from "../../../../src/index.js";
import { expectClose, fill } from "../../nn/fixture-util.js";
import { describeGpu } from "./gpu-env.js";

const REF = JSON.parse(readFileSync(new URL("../../nn/fixtures/issue9.json", import.meta.url), "utf8"));
const gpuFill = (shape: number[], seed: number, grad = false): Tensor => {
  const t = fill(shape, seed).float().to("webgpu");
  if (grad) t.requiresGrad = true;
  return t;
};

describeGpu("issue 9 ops on webgpu", () => {
  it("convTranspose2d with stride, padding and outputPadding: values and gradients", () => {
    const c = REF.convTranspose[0];
    const x = gpuFill(c.x, 1, true);
    const w = gpuFill(c.w, 2, true);
    const y = F.convTranspose2d(x, w, gpuFill([c.yShape[1]], 3), { stride: 2, padding: 1, outputPadding: 1 });
    expect(y.device).toBe("webgpu");
    expectClose(y.dataSync(), c.y, 1e-5);
    y.mul(gpuFill(c.yShape, 7)).sum().backward();
    expectClose(x.grad!.dataSync(), c.gx, 1e-5);
    expectClose(w.grad!.dataSync(), c.gw, 1e-4);
  });

  it("bilinear interpolate and reflect pad: values and gradients", () => {
    for (const [c, f] of [
      [REF.interpolate.find((r: { name: string }) => r.name === "bilinear"), (x: Tensor) => F.interpolate(x, { size: [5, 7], mode: "bilinear" })],
      [REF.pad.find((r: { name: string }) => r.name === "reflect4d"), (x: Tensor) => F.pad(x, [1, 2, 2, 1], "reflect")],
    ] as const) {
      const x = gpuFill(c.x, 1, true);
      const y = f(x);
      expectClose(y.dataSync(), c.y, 1e-5);
      y.mul(gpuFill(c.yShape, 7)).sum().backward();
      expectClose(x.grad!.dataSync(), c.gx, 1e-5);
    }
  });

  it("klDiv batchmean and clipGradNorm_", () => {
    const inp = F.logSoftmax(gpuFill([3, 4], 1).mul(3), 1);
    const tgt = F.logSoftmax(gpuFill([3, 4], 5).mul(3), 1);
    expectClose(F.klDiv(inp, tgt, { reduction: "batchmean", logTarget: true }).dataSync(), REF.klDiv.batchmean_log.loss, 1e-5);
    const a = gpuFill([3, 2], 1, true);
    const b = gpuFill([4], 2, true);
    a.grad = gpuFill([3, 2], 3).mul(2);
    b.grad = gpuFill([4], 4).mul(2);
    const total = nn.utils.clipGradNorm_([a, b], 0.5);
    expect(total.item()).toBeCloseTo(REF.clip.norm[0].total, 5);
    expectClose(a.grad!.dataSync(), REF.clip.norm[0].a, 1e-5);
  });

  it("buffers (persistent or not) move with the module", () => {
    class Net extends nn.Module {
      bn = new nn.BatchNorm1d(3);
      constructor() {
        super();
        this.registerBuffer("mask", fill([3], 1).float(), false);
      }
    }
    const net = new Net().to("cuda");
    expect(net.buffers().map((b) => b.device)).toEqual(["webgpu", "webgpu", "webgpu", "webgpu"]);
    expect(net.parameters().every((p) => p.device === "webgpu")).toBe(true);
    net.bn(gpuFill([4, 3], 2));
    expect(net.bn.runningMean!.device).toBe("webgpu");
  });
});
