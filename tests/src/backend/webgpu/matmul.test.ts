// Matmul on the webgpu device, chosen by shape (naive / 64×64 tiled / vec4 register-tiled),
// against the cpu-ref backend on odd sizes, transposed and strided views and batches; and the
// pipeline cache key that tells the kernels apart.
import { expect, it, vi } from "vitest";
import { functional as F, manualSeed, randn, setBackend, matmul as mm } from "../../../../src/index.js";
import { backendNamed } from "../../../../src/backend/backend.js";
import type { Tensor } from "../../../../src/index.js";
import { matmul, matmulVariant, type MatmulSpec } from "../../../../src/backend/webgpu/wgsl/matmul.js";
import { describeGpu } from "./gpu-env.js";

function expectClose(gpu: Tensor, ref: Tensor): void {
  const g = gpu.dataSync(), r = ref.dataSync();
  expect(g.length).toBe(r.length);
  let worst = 0;
  for (let i = 0; i < r.length; i++) worst = Math.max(worst, Math.abs(g[i] - r[i]) / (1 + Math.abs(r[i])));
  expect(worst).toBeLessThan(1e-4);
}

it("chooses the kernel by shape", () => {
  const spec = (m: number, n: number, k: number): MatmulSpec => ({ m, n, k, batches: 1, bnd: 0 });
  expect(matmulVariant(spec(8, 8, 8))).toBe("naive");
  expect(matmulVariant(spec(1, 4096, 512))).toBe("naive"); // skinny
  expect(matmulVariant(spec(64, 96, 20))).toBe("tiled");
  expect(matmulVariant(spec(512, 512, 512))).toBe("vec4");
});

it("gives different code different cache keys, and equal code equal keys", () => {
  const byKey = new Map<string, string>();
  const epilogues = [{}, { bias: true }, { bias: true, activation: "relu" }, { bias: true, activation: "tanh" }, { activation: "sigmoid" }, { aAlongK: true }, { bAlongK: true }, { aAlongK: true, bAlongK: true, bias: true }] as const;
  for (const m of [4, 40, 130, 600]) for (const n of [3, 70, 200]) for (const k of [5, 64]) for (const bnd of [0, 1, 3]) for (const e of epilogues) {
    const p = matmul({ m, n, k, batches: 2, bnd, ...e });
    const seen = byKey.get(p.cacheKey);
    if (seen !== undefined) expect(seen).toBe(p.code);
    byKey.set(p.cacheKey, p.code);
  }
  expect(new Set(byKey.values()).size).toBe(byKey.size);
  expect([...byKey.keys()].some((k) => k.includes("vec4"))).toBe(true);
});

describeGpu("matmul on webgpu", () => {
  const shapes: Array<[string, number[], number[]]> = [
    ["odd sizes on the vec4 kernel", [131, 67], [67, 133]],
    ["exact 64-multiples on the vec4 kernel", [128, 64], [64, 192]],
    ["K not a multiple of 16", [150, 37], [37, 140]],
    ["the tiled kernel", [70, 20], [20, 90]],
    ["batched and broadcast", [3, 129, 40], [40, 130]],
  ];
  for (const [name, as, bs] of shapes) {
    it(`${name} match cpu-ref`, () => {
      setBackend("cpu-ref");
      manualSeed(11);
      const a = randn(as), b = randn(bs);
      expectClose(mm(a.to("webgpu"), b.to("webgpu")), mm(a, b));
    });
  }

  it("transposed and strided views match cpu-ref on the vec4 kernel", () => {
    setBackend("cpu-ref");
    manualSeed(12);
    const a = randn([67, 131]), b = randn([133, 67]), c = randn([140, 300]);
    const [ga, gb, gc] = [a.to("webgpu"), b.to("webgpu"), c.to("webgpu")];
    expectClose(mm(ga.t(), gb.t()), mm(a.t(), b.t()));
    // narrowed views: offsets into c with row strides longer than the row
    expectClose(mm(gc.t().narrow(0, 1, 150), gc.narrow(1, 3, 140)), mm(c.t().narrow(0, 1, 150), c.narrow(1, 3, 140)));
  });

  it("stages every operand layout coalesced on the tiled and vec4 kernels (a and b, plain or transposed)", () => {
    setBackend("cpu-ref");
    manualSeed(15);
    for (const [m, k, n] of [[70, 21, 90], [131, 37, 133]]) {
      const a = randn([m, k]), at = randn([k, m]), b = randn([k, n]), bt = randn([n, k]);
      const g = (t: Tensor) => t.to("webgpu");
      for (const [x, y, xg, yg] of [[a, b, g(a), g(b)], [at.t(), b, g(at).t(), g(b)], [a, bt.t(), g(a), g(bt).t()], [at.t(), bt.t(), g(at).t(), g(bt).t()]]) {
        expectClose(mm(xg, yg), mm(x, y));
      }
    }
  });

  for (const [name, rows, inF, outF] of [["naive", 5, 7, 3], ["tiled", 70, 20, 90], ["vec4", 131, 40, 129]] as const) {
    it(`fuses the bias of a linear layer into the ${name} kernel, forward and backward as on cpu-ref`, () => {
      setBackend("cpu-ref");
      manualSeed(13);
      const x = randn([rows, inF]), w = randn([outF, inF]), b = randn([outF * 2]);
      const leaves = (dev: string) => [x, w, b].map((t) => t.to(dev).detach().requiresGrad_());
      const [xc, wc, bc] = leaves("cpu-ref"), [xg, wg, bg] = leaves("webgpu");
      const be = backendNamed("webgpu");
      const fused = vi.spyOn(be, "addmm");
      // the bias is a strided view (every other element)
      const yg = F.linear(xg, wg, bg.reshape([outF, 2]).select(1, 1));
      expect(fused).toHaveReturnedWith(true);
      fused.mockRestore();
      const yc = F.linear(xc, wc, bc.reshape([outF, 2]).select(1, 1));
      expectClose(yg, yc);
      yg.square().sum().backward();
      yc.square().sum().backward();
      expectClose(xg.grad!, xc.grad!);
      expectClose(wg.grad!, wc.grad!);
      expectClose(bg.grad!, bc.grad!);
    });
  }

  for (const act of ["relu", "tanh", "sigmoid"] as const) {
    it(`fuses ${act} after the bias (vec4 kernel), forward and backward as the composed ops on cpu-ref`, () => {
      setBackend("cpu-ref");
      manualSeed(14);
      const x = randn([130, 33]), w = randn([140, 33]).mul(0.3), b = randn([140]);
      const leaves = (dev: string) => [x, w, b].map((t) => t.to(dev).detach().requiresGrad_());
      const [xc, wc, bc] = leaves("cpu-ref"), [xg, wg, bg] = leaves("webgpu");
      const fused = vi.spyOn(backendNamed("webgpu"), "addmmActivation");
      const yg = F.linear(xg, wg, bg, { activation: act });
      expect(fused).toHaveReturnedWith(true);
      fused.mockRestore();
      const yc = F.linear(xc, wc, bc)[act]();
      expectClose(yg, yc);
      const gy = randn([130, 140]);
      yg.mul(gy.to("webgpu")).sum().backward();
      yc.mul(gy.to("cpu-ref")).sum().backward();
      expectClose(xg.grad!, xc.grad!);
      expectClose(wg.grad!, wc.grad!);
      expectClose(bg.grad!, bc.grad!);
    });
  }

  it("applies the activation on backends without the fused kernel (cpu-ref)", () => {
    setBackend("cpu-ref");
    const x = randn([4, 3]), w = randn([5, 3]), b = randn([5]);
    expectClose(F.linear(x, w, b, { activation: "tanh" }), F.linear(x, w, b).tanh());
    expectClose(F.linear(x, w, null, { activation: "relu" }), F.linear(x, w).relu());
  });
});
