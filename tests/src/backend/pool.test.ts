// The worker-pool cpu backend against the reference backend ("cpu-ref"): every op family with
// splits forced onto several threads (odd sizes, non-contiguous views, broadcasting), forward
// and backward; errors inside parts; thread control; WASM fallbacks; clean process exit.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFileSync } from "node:child_process";
import { Tensor, grad, randn, manualSeed, getBackend, backends, setNumThreads, getNumThreads, shutdownPool, cpuInfo, functional as F, nn, optim, tensor } from "../../../src/index.js";
import { splitPolicy } from "../../../src/backend/pool/pool-backend.js";
import { poolStats, runJobs } from "../../../src/backend/pool/pool.js";
import { gruCell, lstmCell } from "../../../src/ops/fused.js";
import { cat } from "../../../src/ops/join.js";

type Case = [name: string, shapes: () => Tensor[], fn: (...xs: Tensor[]) => Tensor];

const cases: Case[] = [
  ["add with broadcasting over odd sizes", () => [randn([7, 13, 5]), randn([13, 1])], (a, b) => a.add(b)],
  ["mul of a transposed view", () => [randn([9, 11]).t(), randn([11, 9])], (a, b) => a.mul(b)],
  ["sub and div by a scalar tensor", () => [randn([3, 37]), randn([])], (a, b) => a.sub(b).div(b.abs().add(1))],
  ["relu of a strided slice", () => [randn([5, 22]).slice(1, 0, null, 2)], (a) => a.relu()],
  ["tanh and sigmoid", () => [randn([6, 35])], (a) => a.tanh().add(a.sigmoid())],
  ["sum over the middle axis", () => [randn([5, 9, 7])], (a) => a.sum(1)],
  ["mean over the last axis of a permuted view", () => [randn([7, 5, 9]).permute([2, 0, 1])], (a) => a.mean(-1)],
  ["softmax rows", () => [randn([13, 17])], (a) => a.softmax(1)],
  ["matmul split by batch", () => [randn([5, 7, 9]), randn([5, 9, 3])], (a, b) => a.matmul(b)],
  ["matmul split by rows", () => [randn([37, 19]), randn([19, 5])], (a, b) => a.matmul(b)],
  ["matmul split by columns", () => [randn([3, 19]), randn([19, 41])], (a, b) => a.matmul(b)],
  ["matmul of transposed operands", () => [randn([19, 37]), randn([41, 19])], (a, b) => a.t().matmul(b.t())],
  ["matmul with a broadcast batch", () => [randn([3, 1, 6, 5]), randn([4, 5, 7])], (a, b) => a.matmul(b)],
  ["linear (weight transposed inside)", () => [randn([11, 13]), randn([7, 13]), randn([7])], (x, w, b) => F.linear(x, w, b)],
  ["conv2d with stride, padding, dilation and bias", () => [randn([5, 3, 9, 8]), randn([4, 3, 3, 2]), randn([4])],
    (x, w, b) => F.conv2d(x, w, b, { stride: [2, 1], padding: 1, dilation: [1, 2] })],
  // Stride 1 takes the "wide" column layout (rows span the padded width): padding, dilation,
  // a rectangular kernel and LeNet's two layer shapes.
  ["conv2d stride 1 with padding 2 (LeNet conv1)", () => [randn([5, 1, 12, 11]), randn([6, 1, 5, 5]), randn([6])], (x, w, b) => F.conv2d(x, w, b, { padding: 2 })],
  ["conv2d stride 1, no padding (LeNet conv2)", () => [randn([5, 6, 14, 14]), randn([16, 6, 5, 5]), randn([16])], (x, w, b) => F.conv2d(x, w, b)],
  ["conv2d stride 1 with dilation and uneven padding", () => [randn([4, 3, 9, 10]), randn([5, 3, 3, 2])], (x, w) => F.conv2d(x, w, null, { padding: [2, 1], dilation: [2, 3] })],
  ["conv2d of a non-contiguous input", () => [randn([9, 8, 3, 5]).permute([2, 3, 0, 1]), randn([2, 5, 3, 3])], (x, w) => F.conv2d(x, w)],
  ["conv2d with groups (unfold path)", () => [randn([3, 4, 7, 7]), randn([6, 2, 3, 3])], (x, w) => F.conv2d(x, w, null, { groups: 2 })],
  ["maxPool2d 2x2 and 3x3/2 with padding", () => [randn([3, 5, 9, 11])], (x) => F.maxPool2d(x, 2).sum().add(F.maxPool2d(x, 3, { stride: 2, padding: 1 }).sum())],
  ["avgPool2d", () => [randn([3, 5, 9, 11])], (x) => F.avgPool2d(x, 3, { stride: 2 })],
  ["LSTM cell (fused kernel vs composed ops)", () => [randn([5, 4 * 7]).mul(2), randn([5, 4 * 7]), randn([5, 7])], (gx, gh, c) => lstmCellPair(gx, gh, c)],
  ["GRU cell (fused kernel vs composed ops)", () => [randn([5, 3 * 7]).mul(2), randn([5, 3 * 7]).mul(2), randn([5, 7])], (gi, gh, h) => gruCell(gi, gh, h)],
  ["exp, sigmoid and tanh over wide ranges", () => [randn([9, 301]).mul(30)], (a) => a.div(10).exp().add(a.sigmoid()).add(a.tanh())],
  ["cross-entropy", () => [randn([9, 7])], (x) => F.crossEntropy(x, tensor([0, 1, 2, 3, 4, 5, 6, 0, 1], { dtype: "int32" }).to(x.device))],
];

/** h' and c' of one LSTM cell side by side, so both outputs and their gradients are compared. */
function lstmCellPair(gx: Tensor, gh: Tensor, c: Tensor): Tensor {
  const [h2, c2] = lstmCell(gx, gh, c);
  return cat([h2, c2], 1);
}

/** Runs fn on the pool and on cpu-ref with equal inputs; compares outputs and input gradients. */
function compare(make: () => Tensor[], fn: (...xs: Tensor[]) => Tensor, tol = 2e-5): void {
  const base = make();
  const pool = base.map((t) => t.detach().requiresGrad_());
  const ref = base.map((t) => t.detach().to("cpu-ref").requiresGrad_());
  const yp = fn(...pool), yr = fn(...ref);
  expect(yp.device).toBe("cpu");
  expect(yr.device).toBe("cpu-ref");
  expectNear(yp, yr, tol);
  const w = randn(yp.shape);
  yp.mul(w).sum().backward();
  yr.mul(w.to("cpu-ref")).sum().backward();
  pool.forEach((p, i) => expectNear(p.grad!, ref[i].grad!, tol));
}

function expectNear(a: Tensor, b: Tensor, tol: number): void {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync(), y = b.dataSync();
  let scale = 1;
  for (const v of y) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(y[i])) expect(x[i]).toBeNaN();
    else expect(Math.abs(x[i] - y[i]), `element ${i}: ${x[i]} vs ${y[i]}`).toBeLessThanOrEqual(tol * scale);
  }
}

describe("cpu pool backend", () => {
  const saved = { ...splitPolicy };
  beforeAll(() => {
    // Three threads: the caller and two workers, so parts are odd-sized and really concurrent.
    setNumThreads(3);
  });
  afterAll(() => {
    Object.assign(splitPolicy, saved);
    shutdownPool();
  });

  it("is the default backend, with the plain reference kept as cpu-ref", () => {
    expect(getBackend()).toBe("cpu");
    expect(backends()).toContain("cpu-ref");
    expect(["relaxed", "simd", "scalar", "js"]).toContain(cpuInfo().kernels);
    expect(getNumThreads()).toBe(3);
  });

  it("runs the WASM SIMD kernels with fused multiply-adds (shipped in the package, so with or without clang)", () => {
    // GRADNOTE_WASM=simd|scalar|off runs these suites on the fallbacks on purpose.
    if (!process.env.GRADNOTE_WASM) expect(cpuInfo().kernels).toBe("relaxed");
  });

  describe("with every op split across threads", () => {
    beforeAll(async () => {
      splitPolicy.minElements = 1;
      splitPolicy.minMacs = 1;
      splitPolicy.minNativeMacs = 1;
      splitPolicy.minShared = 1;
      splitPolicy.minUpdate = 1;
      // Workers start on the first split op; wait until one has run a part.
      const a = randn([256, 256]);
      for (let i = 0; i < 200 && poolStats().byWorkers === 0; i++) {
        a.matmul(a);
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(poolStats().byWorkers).toBeGreaterThan(0);
    });
    afterAll(() => Object.assign(splitPolicy, saved));

    for (const [name, make, fn] of cases) {
      it(`${name} matches the reference, forward and backward`, () => {
        manualSeed(7);
        const before = poolStats().ops;
        compare(make, fn);
        expect(poolStats().ops).toBeGreaterThan(before);
      });
    }

    it("an Adam step on shared parameters matches the reference update", () => {
      manualSeed(3);
      const make = (backend: string): nn.Linear => {
        manualSeed(3);
        return new nn.Linear(300, 70).to(backend) as nn.Linear;
      };
      const mp = make("cpu"), mr = make("cpu-ref");
      const op = new optim.Adam(mp.parameters(), { lr: 0.01 }), or = new optim.Adam(mr.parameters(), { lr: 0.01 });
      const x = randn([8, 300]);
      for (let s = 0; s < 3; s++) {
        op.zeroGrad();
        or.zeroGrad();
        mp.forward(x).square().mean().backward();
        mr.forward(x.to("cpu-ref")).square().mean().backward();
        op.step();
        or.step();
      }
      // The fused update computes in float32 (as PyTorch does), the reference in float64.
      expectNear(mp.weight, mr.weight.to("cpu"), 1e-4);
      expectNear(mp.bias!, mr.bias!.to("cpu"), 1e-4);
    });
  });

  it("fused cross-entropy: ignored rows, sum reduction and second derivatives match the composed loss", () => {
    manualSeed(5);
    const x0 = randn([6, 5], { dtype: "float64" });
    const labels = [1, -100, 4, 0, -100, 2];
    const t = tensor(labels, { dtype: "int32" });
    // The same loss from elementwise ops and reductions only (all twice differentiable).
    const oneHot = tensor(labels.map((c) => [0, 1, 2, 3, 4].map((j) => (j === c ? 1 : 0))), { dtype: "float64" }).to("cpu-ref");
    const valid = tensor(labels.map((c) => (c === -100 ? 0 : 1)), { dtype: "float64" }).to("cpu-ref");
    const composed = (x: Tensor, reduction: "mean" | "sum"): Tensor => {
      const per = x.exp().sum(1).log().sub(x.mul(oneHot).sum(1)).mul(valid).sum();
      return reduction === "mean" ? per.div(4) : per;
    };
    for (const reduction of ["mean", "sum"] as const) {
      const run = (backend: string): Tensor[] => {
        const x = x0.to(backend).detach().requiresGrad_();
        const loss = backend === "cpu" ? F.crossEntropy(x, t, { reduction }) : composed(x, reduction);
        const [g] = grad(loss, [x], { createGraph: true, retainGraph: true });
        g!.mul(g!).sum().backward();
        return [loss, g!, x.grad!];
      };
      const [lp, gp, hp] = run("cpu"), [lr, gr, hr] = run("cpu-ref");
      expectNear(lp, lr, 1e-12);
      expectNear(gp, gr, 1e-12);
      expectNear(hp, hr, 1e-12);
    }
    expect(() => F.crossEntropy(randn([2, 3]), tensor([0, 3], { dtype: "int32" }))).toThrow("crossEntropy: target contains a class index outside [0, 3)");
  });

  it("fused LSTM cell: second derivatives match the composed cell", () => {
    manualSeed(9);
    const ins = [randn([3, 8]), randn([3, 8]), randn([3, 2])];
    const run = (backend: string): Tensor[] => {
      const [gx, gh, c] = ins.map((t) => t.to(backend).detach().requiresGrad_());
      const [h2, c2] = lstmCell(gx, gh, c);
      const y = h2.mul(h2).sum().add(c2.mul(3).sum());
      const gs = grad(y, [gx, gh, c], { createGraph: true, retainGraph: true }) as Tensor[];
      gs.reduce((acc, g) => acc.add(g.mul(g).sum()), gs[0].mul(0).sum()).backward();
      return [...gs, gx.grad!, gh.grad!, c.grad!];
    };
    const p = run("cpu"), r = run("cpu-ref");
    p.forEach((t, i) => expectNear(t, r[i], 1e-4));
  });

  it("fused GRU cell: second derivatives match the composed cell", () => {
    manualSeed(10);
    const ins = [randn([3, 6]).mul(2), randn([3, 6]).mul(2), randn([3, 2])];
    const run = (backend: string): Tensor[] => {
      const [gi, gh, h] = ins.map((t) => t.to(backend).detach().requiresGrad_());
      const out = gruCell(gi, gh, h);
      expect(out.gradFn!.name).toBe(backend === "cpu" ? "GruCellBackward0" : "AddBackward0");
      const gs = grad(out.mul(out).sum(), [gi, gh, h], { createGraph: true }) as Tensor[];
      gs.reduce((acc, g) => acc.add(g.mul(g).sum()), gs[0].mul(0).sum()).backward();
      return [...gs, gi.grad!, gh.grad!, h.grad!];
    };
    const p = run("cpu"), r = run("cpu-ref");
    p.forEach((t, i) => expectNear(t, r[i], 1e-4));
  });

  it("reports an error raised inside a part and stays usable", () => {
    expect(() => runJobs([{ kind: "fail", message: "boom on the caller" }, { kind: "fail", message: "boom in a worker" }, { kind: "fail", message: "boom in a worker" }]))
      .toThrow(/^boom/);
    const a = randn([300, 200]);
    const b = randn([200, 100]);
    expectNear(a.matmul(b), a.to("cpu-ref").matmul(b.to("cpu-ref")), 1e-5);
  });

  it("bad input gives the op's error and leaves the pool working", () => {
    expect(() => randn([300, 200]).matmul(randn([201, 5]))).toThrow("matmul: inner dimensions differ: a=[300,200] b=[201,5]");
    expect(() => F.conv2d(randn([2, 3, 8, 8]), randn([4, 2, 3, 3]))).toThrow(/conv2d: input channels 3/);
    const x = randn([600, 600]);
    expectNear(x.relu().sum(0), x.to("cpu-ref").relu().sum(0), 1e-5);
  });

  it("sums over leading dims (a bias gradient) equal the reference for any row count and layout", () => {
    for (const [rows, cols] of [[1, 9], [3, 8], [4, 16], [7, 33], [32, 512], [33, 10]]) {
      const x = randn([rows, cols]);
      expectNear(x.sum(0), x.to("cpu-ref").sum(0), 1e-6);
      const y = randn([2, rows, cols + 3]).slice(2, 1, cols + 1);
      expectNear(y.sum([0, 1]), y.to("cpu-ref").sum([0, 1]), 1e-6);
    }
  });

  it("setNumThreads validates, restarts the pool and keeps results equal", () => {
    expect(() => setNumThreads(0)).toThrow("setNumThreads: expected a positive integer, got 0");
    const a = randn([129, 257]), b = randn([257, 65]);
    const want = a.to("cpu-ref").matmul(b.to("cpu-ref"));
    for (const n of [1, 2, 4, 3]) {
      setNumThreads(n);
      expectNear(a.matmul(b), want, 1e-5);
    }
    shutdownPool();
    expectNear(a.matmul(b), want, 1e-5);
  });
});

describe("cpu pool backend in a child process", () => {
  const run = (code: string, env: Record<string, string> = {}): string =>
    execFileSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8", timeout: 60_000, env: { ...process.env, ...env } }).trim();
  const script = `
    import { randn, cpuInfo } from "${new URL("../../../dist/gradnote.mjs", import.meta.url).href}";
    const a = randn([300, 301]), b = randn([301, 150]);
    const c = a.matmul(b).dataSync(), r = a.to("cpu-ref").matmul(b.to("cpu-ref")).dataSync();
    let err = 0; for (let i = 0; i < c.length; i++) err = Math.max(err, Math.abs(c[i] - r[i]));
    console.log(JSON.stringify({ kernels: cpuInfo().kernels, native: cpuInfo().native, workers: cpuInfo().workers, ok: err < 1e-3 }));`;

  it("exits on its own after using the workers (they never hold the process)", () => {
    const out = JSON.parse(run(script, { GRADNOTE_THREADS: "2" }));
    expect(out.ok).toBe(true);
    expect(out.workers).toBe(1);
  });

  it("falls back to SIMD without fused multiply-add, scalar WASM and JS kernels with the same results", () => {
    // GRADNOTE_NATIVE=off: the products run in WASM (or JS), not in the native AVX2 kernels.
    expect(JSON.parse(run(script, { GRADNOTE_NATIVE: "off" }))).toMatchObject({ kernels: "relaxed", native: "", ok: true });
    expect(JSON.parse(run(script, { GRADNOTE_NATIVE: "off", GRADNOTE_WASM: "simd" }))).toMatchObject({ kernels: "simd", ok: true });
    expect(JSON.parse(run(script, { GRADNOTE_NATIVE: "off", GRADNOTE_WASM: "scalar" }))).toMatchObject({ kernels: "scalar", ok: true });
    expect(JSON.parse(run(script, { GRADNOTE_NATIVE: "off", GRADNOTE_WASM: "off" }))).toMatchObject({ kernels: "js", ok: true });
  });
});
