// Fused optimizer updates on the webgpu device against the cpu-ref host path: every rule
// (Adagrad, Adadelta, RMSprop with momentum/centered, Adam/AdamW amsgrad, SGD) follows the same
// trajectory over several steps, and none of it reads values back or falls back to the host.
import { expect, it } from "vitest";
import { optim, randn, manualSeed, setBackend, tensor, tidy, webgpuInfo } from "../../../../src/index.js";
import type { Tensor } from "../../../../src/index.js";
import { describeGpu } from "./gpu-env.js";

type Make = (params: Tensor[]) => { step(): unknown; zeroGrad(): void };

/** Parameters after each of `steps` steps of `make` on `device`, from the same start. */
function trajectory(device: string, make: Make, steps = 6): number[][] {
  setBackend("cpu-ref");
  manualSeed(7);
  const start = randn([3, 5]).dataSync();
  const target = randn([3, 5]).dataSync();
  setBackend(device);
  const p = tensor(Array.from(start), { device, requiresGrad: true });
  const t = tensor(Array.from(target), { device });
  const opt = make([p]);
  const out: number[][] = [];
  for (let s = 0; s < steps; s++) {
    tidy(() => {
      opt.zeroGrad();
      // a loss whose gradient changes sign and size between steps
      p.sub(t).square().mul(p.tanh().add(1.5)).sum().backward();
      opt.step();
    });
    out.push(Array.from(p.dataSync()));
  }
  return out;
}

const cases: Array<[string, Make]> = [
  ["Adagrad", (ps) => new optim.Adagrad(ps, { lr: 0.1 })],
  ["Adagrad with lrDecay, weight decay, initial accumulator, maximize", (ps) => new optim.Adagrad(ps, { lr: 0.1, lrDecay: 0.1, weightDecay: 0.05, initialAccumulatorValue: 0.3, maximize: true })],
  ["Adadelta", (ps) => new optim.Adadelta(ps, { lr: 1 })],
  ["Adadelta with weight decay", (ps) => new optim.Adadelta(ps, { lr: 0.5, rho: 0.8, weightDecay: 0.1 })],
  ["RMSprop", (ps) => new optim.RMSprop(ps, { lr: 0.01 })],
  ["RMSprop with momentum", (ps) => new optim.RMSprop(ps, { lr: 0.01, momentum: 0.9, weightDecay: 0.01 })],
  ["RMSprop centered", (ps) => new optim.RMSprop(ps, { lr: 0.01, centered: true })],
  ["RMSprop centered with momentum", (ps) => new optim.RMSprop(ps, { lr: 0.01, centered: true, momentum: 0.5, alpha: 0.9 })],
  ["Adam amsgrad", (ps) => new optim.Adam(ps, { lr: 0.05, amsgrad: true, weightDecay: 0.01 })],
  ["AdamW amsgrad", (ps) => new optim.AdamW(ps, { lr: 0.05, amsgrad: true })],
  ["Adam", (ps) => new optim.Adam(ps, { lr: 0.05 })],
  ["SGD with Nesterov momentum", (ps) => new optim.SGD(ps, { lr: 0.05, momentum: 0.9, nesterov: true })],
];

describeGpu("optimizers on webgpu", () => {
  for (const [name, make] of cases) {
    it(`${name} follows the cpu-ref trajectory on device`, () => {
      const before = webgpuInfo().fallbacks ?? {};
      const ref = trajectory("cpu-ref", make);
      const gpu = trajectory("webgpu", make);
      ref.forEach((row, s) => row.forEach((v, i) => expect(Math.abs(gpu[s][i] - v), `step ${s} element ${i}`).toBeLessThan(1e-4 + 1e-4 * Math.abs(v))));
      expect(webgpuInfo().fallbacks ?? {}).toEqual(before);
    });
  }

  it("keeps the optimizer state on the device, readable through stateDict()", () => {
    setBackend("webgpu");
    const p = tensor([1, -2, 3], { requiresGrad: true });
    const opt = new optim.RMSprop([p], { lr: 0.1, momentum: 0.9, centered: true });
    p.square().sum().backward();
    opt.step();
    const st = opt.state.get(p)!;
    expect(Object.keys(st).sort()).toEqual(["gradAvg", "momentumBuffer", "squareAvg", "step"]);
    expect((st.squareAvg as Tensor).device).toBe("webgpu");
    const sq = Array.from(opt.stateDict().state[0].squareAvg as Float32Array);
    [4, 16, 36].forEach((g2, i) => expect(sq[i]).toBeCloseTo(0.01 * g2, 5));
  });
});
