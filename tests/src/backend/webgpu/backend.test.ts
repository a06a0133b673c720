// The webgpu backend's own behaviour: synchronous reads in plain code, the cpu fallback with a
// notice when there is no adapter, memory accounting, grids past 65,535 workgroups, kernels
// that fall back to the host, and a process that exits by itself when done.
import { expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { arange, memory, ones, randn, setBackend, getBackend, tensor, tidy, webgpuInfo, nn } from "../../../../src/index.js";
import type { Tensor } from "../../../../src/index.js";
import { gruCell, lstmCell } from "../../../../src/ops/fused.js";
import { cat } from "../../../../src/ops/join.js";
import { describeGpu, gpu, gpuRequired } from "./gpu-env.js";

const dist = new URL("../../../../dist/gradnote.mjs", import.meta.url).pathname;

function node(code: string, env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { env, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

it("setBackend('webgpu') without an adapter stays on cpu and says why in one line", () => {
  const env = { ...process.env, GRADNOTE_WEBGPU_SWIFTSHADER: "0", VK_ICD_FILENAMES: "/nonexistent.json", LD_LIBRARY_PATH: "" };
  const r = node(`import { setBackend, getBackend, webgpuInfo } from ${JSON.stringify(dist)};
setBackend("webgpu"); console.log(getBackend()); console.log(webgpuInfo().available);`, env);
  expect(r.status).toBe(0);
  expect(r.stdout.trim().split("\n")).toEqual(["cpu", "false"]);
  const notice = r.stderr.split("\n").filter((l) => l.startsWith("gradnote:"));
  expect(notice).toHaveLength(1);
  expect(notice[0]).toMatch(/^gradnote: webgpu backend unavailable: .*adapter.*; using "cpu" instead$/);
});

describeGpu("webgpu backend", () => {
  it("reports its adapter", () => {
    expect(gpu.available, `${gpu.reason} (required: ${gpuRequired})`).toBe(true);
    expect(gpu.adapter).toMatch(/\w/);
  });

  it("reads values synchronously: item, toArray and printing work as on cpu", () => {
    setBackend("webgpu");
    expect(getBackend()).toBe("webgpu");
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.device).toBe("webgpu");
    expect(x.sum().item()).toBe(21);
    expect(x.t().toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(String(x.mul(2))).toBe(String(x.to("cpu").mul(2)));
    expect(x.argmax(1).toArray()).toEqual([2, 2]);
    expect(x.gt(2).toArray()).toEqual([[false, false, true], [true, true, true]]);
  });

  it("counts device bytes in memory() and frees them on dispose and tidy", () => {
    setBackend("webgpu");
    const before = memory();
    const a = ones([1000]);
    expect(memory().numBytes - before.numBytes).toBe(4000);
    a.dispose();
    expect(memory().numBytes).toBe(before.numBytes);
    const kept = tidy(() => ones([10]).add(1).mul(3));
    expect(kept.sum().item()).toBe(60);
    const withKept = memory().numBytes;
    expect(withKept - before.numBytes).toBeLessThanOrEqual(44); // the result (+ a cached scalar)
    kept.dispose();
    expect(withKept - memory().numBytes).toBe(40);
  });

  it("launches past 65,535 workgroups by folding the grid", () => {
    setBackend("webgpu");
    const n = 65_536 * 64 + 100;
    const x = arange(n).add(1);
    const d = x.dataSync();
    expect([d[0], d[n - 1], d[65_535 * 64 + 7]]).toEqual([1, n, 65_535 * 64 + 8]);
    x.dispose();
  });

  it("runs kernels past its limits on the host instead of failing (matmul with 5 batch dims)", () => {
    setBackend("webgpu");
    const a = randn([1, 2, 1, 2, 1, 3, 4]), b = randn([1, 2, 1, 2, 1, 4, 2]);
    const y = a.matmul(b);
    const ref = a.to("cpu-ref").matmul(b.to("cpu-ref"));
    expect(y.device).toBe("webgpu");
    y.to("cpu-ref").sub(ref).abs().toArray().flat(6).forEach((v: number) => expect(v).toBeLessThan(1e-5));
    expect(webgpuInfo().fallbacks!.matmul).toBeGreaterThan(0);
  });

  it("runs adaptive average pooling forward and backward as WGSL, matching cpu-ref", () => {
    setBackend("cpu-ref");
    const x0 = randn([2, 3, 7, 5]), g0 = randn([2, 3, 5, 4]);
    setBackend("webgpu");
    const before = { ...webgpuInfo().fallbacks };
    // a dense input, and a narrowed + transposed view of it (the kernel reads dense copies)
    const views: Array<[(x: Tensor) => Tensor, [number, number]]> = [[(x) => x, [3, 4]], [(x) => x.narrow(2, 1, 6).transpose(2, 3), [5, 2]]];
    for (const [view, size] of views) {
      const pool = new nn.AdaptiveAvgPool2d(size);
      const xg = x0.to("webgpu").requiresGrad_(), xc = x0.detach().requiresGrad_();
      const yg = pool.forward(view(xg)), yc = pool.forward(view(xc));
      expect(yg.device).toBe("webgpu");
      const g = g0.narrow(2, 0, size[0]).narrow(3, 0, size[1]);
      yg.mul(g.to("webgpu")).sum().backward();
      yc.mul(g).sum().backward();
      yg.to("cpu-ref").sub(yc).abs().toArray().flat(3).forEach((v: number) => expect(v).toBeLessThan(1e-5));
      xg.grad!.to("cpu-ref").sub(xc.grad!).abs().toArray().flat(3).forEach((v: number) => expect(v).toBeLessThan(1e-5));
    }
    expect(webgpuInfo().fallbacks).toEqual(before);
  });

  it("runs the LSTM cell as one fused kernel each way, matching the composed ops on cpu-ref", () => {
    setBackend("cpu-ref");
    // Wide pre-activations (|x| up to ~20) exercise the saturated ends of sigmoid and tanh.
    const gx0 = randn([5, 4 * 7]).mul(6), gh0 = randn([5, 4 * 7]).mul(4), c0 = randn([5, 7]), w0 = randn([5, 14]);
    setBackend("webgpu");
    const run = (device: string) => {
      const [gx, gh, c] = [gx0, gh0, c0].map((t) => t.to(device).detach().requiresGrad_());
      const [h2, c2] = lstmCell(gx, gh, c);
      const out = cat([h2, c2], 1);
      out.mul(w0.to(device)).sum().backward();
      return [out, gx.grad!, gh.grad!, c.grad!].map((t) => t.to("cpu-ref"));
    };
    const gpuOut = run("webgpu"), cpuOut = run("cpu-ref");
    gpuOut.forEach((t, k) => t.sub(cpuOut[k]).abs().toArray().flat(2).forEach((v: number) => expect(v).toBeLessThan(2e-5)));
  });

  it("runs the GRU cell as one fused kernel each way, matching the composed ops on cpu-ref", () => {
    setBackend("cpu-ref");
    const gi0 = randn([6, 3 * 5]).mul(5), gh0 = randn([6, 3 * 5]).mul(5), h0 = randn([6, 5]), w0 = randn([6, 5]);
    setBackend("webgpu");
    const before = { ...webgpuInfo().fallbacks };
    const run = (device: string) => {
      const [gi, gh, h] = [gi0, gh0, h0].map((t) => t.to(device).detach().requiresGrad_());
      const out = gruCell(gi, gh, h);
      if (device === "webgpu") expect(out.gradFn!.name).toBe("GruCellBackward0");
      out.mul(w0.to(device)).sum().backward();
      return [out, gi.grad!, gh.grad!, h.grad!].map((t) => t.to("cpu-ref"));
    };
    const gpuOut = run("webgpu"), cpuOut = run("cpu-ref");
    gpuOut.forEach((t, k) => t.sub(cpuOut[k]).abs().toArray().flat(2).forEach((v: number) => expect(v).toBeLessThan(2e-5)));
    expect(webgpuInfo().fallbacks).toEqual(before);
  });

  it("lets a script that used the device exit by itself, without process.exit", () => {
    const r = node(`import { setBackend, randn, nn, optim } from ${JSON.stringify(dist)};
setBackend("webgpu");
const m = new nn.Linear(4, 2); const opt = new optim.Adam(m.parameters());
for (let i = 0; i < 5; i++) { opt.zeroGrad(); m.forward(randn([8, 4])).square().mean().backward(); opt.step(); }
console.log("done", m.weight.sum().item().toFixed(3).length > 0);`, process.env);
    expect(r.stderr).not.toMatch(/unavailable/);
    expect(r.stdout.trim()).toBe("done true");
    expect(r.status).toBe(0);
  });
});
