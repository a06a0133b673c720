// convTranspose1d/2d, fold, pad modes, interpolate and klDiv against real PyTorch: values and
// gradients of sum(y * fill) from tests/src/nn/fixtures/issue9.json (gen_issue9_reference.py, torch 1.13).
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { functional as F, nn, tensor, zeros } from "../../../src/index.js";
import type { Tensor } from "../../../src/index.js";
import { expectClose, fill } from "../nn/fixture-util.js";

interface Case { name: string; x: number[]; yShape: number[]; y: number[]; gx: number[]; [k: string]: unknown }
const REF = JSON.parse(readFileSync(new URL("../nn/fixtures/issue9.json", import.meta.url), "utf8"));

/** Runs `f` on fill(x, 1), compares y and the gradient of sum(y * fill(y.shape, 7)). */
function check(c: Case, f: (x: Tensor) => Tensor, extra: Array<[Tensor, number[]]> = []): Tensor {
  const x = fill(c.x, 1, 1, true);
  const y = f(x);
  expect([...y.shape]).toEqual(c.yShape);
  expectClose(y.dataSync(), c.y);
  y.mul(fill(c.yShape, 7)).sum().backward();
  expectClose(x.grad!.dataSync(), c.gx);
  for (const [t, g] of extra) expectClose(t.grad!.dataSync(), g);
  return y;
}

describe("F.convTranspose2d / convTranspose1d (PyTorch reference)", () => {
  for (const c of REF.convTranspose as (Case & { w: number[]; opts: Record<string, unknown>; gw: number[]; gb: number[] })[]) {
    it(`matches conv_transpose2d: ${c.name} ${JSON.stringify(c.opts)}`, () => {
      const w = fill(c.w, 2, 1, true);
      const b = fill([c.yShape[1]], 3, 1, true);
      const o = c.opts as { stride?: number; padding?: number; output_padding?: number; groups?: number; dilation?: number };
      check(c, (x) => F.convTranspose2d(x, w, b, { stride: o.stride, padding: o.padding, outputPadding: o.output_padding, groups: o.groups, dilation: o.dilation }), [[w, c.gw], [b, c.gb]]);
    });
  }

  it("matches conv_transpose1d with stride, padding and outputPadding", () => {
    const r = REF.convTranspose1d;
    const w = fill([3, 2, 3], 2, 1, true);
    const b = fill([2], 3, 1, true);
    check({ name: "1d", x: [2, 3, 5], ...r }, (x) => F.convTranspose1d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }), [[w, r.gw], [b, r.gb]]);
  });

  it("float32 (the pool's kernels) agrees with the float64 reference", () => {
    const c = REF.convTranspose[0];
    const x = fill(c.x, 1).float();
    x.requiresGrad = true;
    const w = fill(c.w, 2).float();
    const y = F.convTranspose2d(x, w, fill([c.yShape[1]], 3).float(), { stride: 2, padding: 1, outputPadding: 1 });
    expectClose(y.dataSync(), c.y, 1e-5);
    y.mul(fill(c.yShape, 7).float()).sum().backward();
    expectClose(x.grad!.dataSync(), c.gx, 1e-5);
    const up = F.interpolate(fill([1, 2, 3, 4], 1).float(), { size: [5, 7], mode: "bilinear" });
    expectClose(up.dataSync(), REF.interpolate.find((r: Case) => r.name === "bilinear").y, 1e-6);
  });

  it("nn.ConvTranspose2d holds weight [in, out/groups, kh, kw], prints like PyTorch and takes keyword form", () => {
    const m = new nn.ConvTranspose2d(16, 8, 4, { stride: 2, padding: 1 });
    expect([...m.weight.shape]).toEqual([16, 8, 4, 4]);
    expect(m.toString()).toBe("ConvTranspose2d(16, 8, kernelSize=(4, 4), stride=(2, 2), padding=(1, 1))");
    const k = new nn.ConvTranspose2d({ inChannels: 4, outChannels: 6, kernelSize: 3, groups: 2, bias: false });
    expect([...k.weight.shape]).toEqual([4, 3, 3, 3]);
    expect(k.bias).toBeNull();
    expect([...m(zeros([1, 16, 5, 5])).shape]).toEqual([1, 8, 10, 10]);
    expect([...m(zeros([16, 5, 5])).shape]).toEqual([8, 10, 10]);
    expect(() => new nn.ConvTranspose2d(4, 4, 3, { paddingMode: "reflect" } as never)).toThrow(/ConvTranspose2d: option "paddingMode" is not supported/);
    expect(() => new nn.ConvTranspose2d(4, 4, 3, { outputpadding: 1 } as never)).toThrow(/unknown option "outputpadding".*did you mean "outputPadding"/);
  });

  it("ConvTranspose2d.forward(x, outputSize) picks the output padding, as PyTorch", () => {
    const m = new nn.ConvTranspose2d(2, 3, 3, { stride: 2, padding: 1 });
    const x = fill([1, 2, 5, 5], 1).float();
    expect([...m(x).shape]).toEqual([1, 3, 9, 9]);
    const y = m(x, [10, 10]);
    expect([...y.shape]).toEqual([1, 3, 10, 10]);
    const explicit = F.convTranspose2d(x, m.weight, m.bias, { stride: 2, padding: 1, outputPadding: 1 });
    expectClose(y.dataSync(), Array.from(explicit.dataSync()), 0);
    expect([...m(x, [1, 3, 9, 10]).shape]).toEqual([1, 3, 9, 10]);
    expect(() => m(x, [11, 9])).toThrow("ConvTranspose2d: requested an output size of [11, 9], but valid sizes range from [9, 9] to [10, 10] (for an input of [5, 5])");
  });

  it("F.interpolate also takes PyTorch's positional order (size, scaleFactor, mode, alignCorners)", () => {
    const x = fill([1, 2, 3, 4], 1);
    expectClose(F.interpolate(x, [5, 7], null, "bilinear", true).dataSync(), REF.interpolate.find((r: Case) => r.name === "bilinearAlign").y);
    expectClose(F.interpolate(x, null, 2).dataSync(), REF.interpolate.find((r: Case) => r.name === "nearestScale2").y);
  });

  it("refuses an output padding not smaller than stride or dilation, and mismatched channels", () => {
    const w = zeros([2, 3, 3, 3]);
    expect(() => F.convTranspose2d(zeros([1, 2, 4, 4]), w, null, { stride: 2, outputPadding: 2 })).toThrow(/outputPadding must be smaller than either stride or dilation/);
    expect(() => F.convTranspose2d(zeros([1, 3, 4, 4]), w)).toThrow(/input channels 3 != weight.shape\[0\] \(2\)/);
  });

  it("fold is the adjoint of unfold and sums overlaps", () => {
    const x = fill([1, 2, 4, 5], 3);
    const cols = F.unfold(x, [2, 3], { stride: 1, padding: 1 });
    const ones = F.fold(F.unfold(tensor(new Array(40).fill(1)).reshape([1, 2, 4, 5]), [2, 3], { padding: 1 }), [4, 5], [2, 3], { padding: 1 });
    // <unfold(x), c> = <x, fold(c)> with c = cols itself.
    const lhs = cols.mul(cols).sum().item();
    const rhs = x.mul(F.fold(cols, [4, 5], [2, 3], { padding: 1 })).sum().item();
    expect(lhs).toBeCloseTo(rhs, 10);
    expect(ones.dataSync()[0]).toBe(4); // the corner pixel is covered by 2·2 windows
    expect(() => F.fold(cols, [4, 6], [2, 3], { padding: 1 })).toThrow(/fold: expected input's dimension 2 to match the calculated number of sliding blocks 5 \* 6 = 30/);
  });
});

describe("F.pad modes (PyTorch reference, last dim first)", () => {
  for (const c of REF.pad as (Case & { pad: number[]; mode: "reflect"; value: number | null })[]) {
    it(`matches F.pad ${c.name} ${JSON.stringify(c.pad)}`, () => {
      check(c, (x) => (c.value !== null ? F.pad(x, c.pad, { mode: c.mode, value: c.value }) : F.pad(x, c.pad, c.mode)));
    });
  }

  it("takes a fill value in the third place, and refuses unknown modes, keys and too much reflection", () => {
    expect(F.pad(tensor([1, 2]), [1, 0], 9).toArray()).toEqual([9, 1, 2]);
    expect(() => F.pad(tensor([[1, 2]]), [1, 1], "symmetric" as never)).toThrow('pad: option mode="symmetric" is not supported; accepted: "constant", "reflect", "replicate", "circular"');
    expect(() => F.pad(tensor([[1, 2]]), [1, 1], { mode: "reflect", fill: 1 } as never)).toThrow(/pad: unknown option "fill"; accepted: mode, value/);
    expect(() => F.pad(tensor([[1, 2]]), [2, 0], "reflect")).toThrow(/padding size should be less than the corresponding input dimension.*\(2, 0\) at dimension 1 of input \[1, ?2\]/);
    expect(() => F.pad(tensor([[1, 2]]), [1, 1], { mode: "reflect", value: 3 })).toThrow(/doesn't take in value/);
  });
});

describe("F.interpolate (PyTorch reference)", () => {
  for (const c of REF.interpolate as (Case & { opts: Record<string, unknown> })[]) {
    it(`matches F.interpolate ${c.name} ${JSON.stringify(c.opts)}`, () => {
      const o = c.opts as { size?: number | number[]; scale_factor?: number; mode?: "nearest"; align_corners?: boolean };
      check(c, (x) => F.interpolate(x, { size: o.size, scaleFactor: o.scale_factor, mode: o.mode, alignCorners: o.align_corners }));
    });
  }

  it("nn.Upsample wraps interpolate and prints like PyTorch", () => {
    const up = new nn.Upsample({ scaleFactor: 2, mode: "bilinear" });
    expect(up.toString()).toBe("Upsample(scaleFactor=2.0, mode=bilinear)");
    const x = fill([1, 2, 3, 4], 1);
    expectClose(up(x).dataSync(), Array.from(F.interpolate(x, { scaleFactor: 2, mode: "bilinear" }).dataSync()), 0);
    expect([...new nn.Upsample(null, 3)(x).shape]).toEqual([1, 2, 9, 12]);
    expect([...new nn.UpsamplingBilinear2d({ size: [5, 7] })(x).shape]).toEqual([1, 2, 5, 7]);
    expect(() => new nn.Upsample()).toThrow(/either size or scaleFactor should be defined/);
  });

  it("names what is wrong: mode, alignCorners with nearest, dims, size and scale together", () => {
    const x = zeros([1, 1, 2, 2]);
    expect(() => F.interpolate(x, { size: 3, mode: "bicubic" as never })).toThrow('interpolate: option mode="bicubic" is not supported; accepted: "nearest", "nearest-exact", "linear", "bilinear", "trilinear"');
    expect(() => F.interpolate(x, { size: 3, alignCorners: true })).toThrow(/alignCorners can only be set with the interpolating modes/);
    expect(() => F.interpolate(x, { size: 3, mode: "linear" })).toThrow(/got 4D input, but linear mode needs 3D input/);
    expect(() => F.interpolate(x, { size: 3, scaleFactor: 2 })).toThrow(/only one of size or scaleFactor/);
    expect(() => F.interpolate(x, { scale: 2 } as never)).toThrow(/unknown option "scale"; accepted: size, scaleFactor/);
  });
});

describe("F.klDiv (PyTorch reference)", () => {
  const inp = () => F.logSoftmax(fill([3, 4], 1, 3), 1).detach();
  for (const [key, r] of Object.entries(REF.klDiv as Record<string, { loss: number[]; grad: number[] }>)) {
    it(`matches F.kl_div ${key}`, () => {
      const [reduction, log] = key.split("_") as ["mean" | "batchmean" | "sum" | "none", string | undefined];
      const x = inp();
      x.requiresGrad = true;
      let t: Tensor;
      if (log) t = F.logSoftmax(fill([3, 4], 5, 3), 1).detach();
      else {
        const v = Array.from(F.softmax(fill([3, 4], 5, 3), 1).dataSync());
        v[1] = 0;
        t = tensor(v, { dtype: "float64" }).reshape([3, 4]);
      }
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      const l = F.klDiv(x, t, { reduction, logTarget: log !== undefined });
      warn.mockRestore();
      expectClose(l.dataSync(), r.loss);
      (reduction === "none" ? l.mul(fill([3, 4], 9)) : l).sum().backward();
      expectClose(x.grad!.dataSync(), r.grad);
    });
  }

  it("nn.KLDivLoss takes batchmean, and unknown reductions or keys throw", () => {
    const x = inp();
    const t = F.softmax(fill([3, 4], 5, 3), 1);
    expect(new nn.KLDivLoss({ reduction: "batchmean" })(x, t).item()).toBeCloseTo(F.klDiv(x, t, { reduction: "sum" }).item() / 3, 12);
    expect(() => F.klDiv(x, t, { reduction: "avg" as never })).toThrow('klDiv: option reduction="avg" is not supported; accepted: "mean", "batchmean", "sum", "none"');
    expect(() => F.klDiv(x, t, { log_target: true } as never)).toThrow(/unknown option "log_target".*did you mean "logTarget"/);
    expect(() => new nn.KLDivLoss({ sizeAverage: false } as never)).toThrow(/KLDivLoss: option "sizeAverage" is not supported \(deprecated in PyTorch; use reduction\)/);
  });
});
