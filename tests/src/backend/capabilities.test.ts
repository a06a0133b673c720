// Backend seams: every fast path is a capability the backend offers (Backend's optional
// methods), chosen inside that backend; "cpu-ref" offers none and runs the plain composite ops.
// The pool's WASM entry points are wrapped in spies to prove cpu-ref never reaches them, and the
// same workload on cpu-ref and on the pool agrees within float32 tolerance.
import { afterEach, describe, expect, it, vi } from "vitest";

vi.mock("../../../src/backend/pool/wasm.js", async (importOriginal) => {
  const mod = await importOriginal<typeof import("../../../src/backend/pool/wasm.js")>();
  return { ...mod, wasmKernels: vi.fn(mod.wasmKernels) };
});
vi.mock("../../../src/backend/pool/fused.js", async (importOriginal) => {
  const mod = await importOriginal<typeof import("../../../src/backend/pool/fused.js")>();
  return Object.fromEntries(Object.entries(mod).map(([k, v]) => [k, typeof v === "function" ? vi.fn(v as (...a: unknown[]) => unknown) : v]));
});

import { nn, optim, randn, manualSeed, tensor, zeros } from "../../../src/index.js";
import { backendNamed, type Backend } from "../../../src/backend/backend.js";
import { wasmKernels } from "../../../src/backend/pool/wasm.js";
import * as fused from "../../../src/backend/pool/fused.js";
import { maxDiff, runWorkload } from "./workload.js";

/** The optional methods of Backend: each one is a fast path a backend may offer. */
const CAPABILITIES = [
  "addmm", "addmmActivation", "conv2d", "conv2dBackward", "lstmCell", "lstmCellBackward",
  "gruCell", "gruCellBackward", "crossEntropy", "optimizerStep",
] as const satisfies readonly (keyof Backend)[];

const spied = () => [wasmKernels, ...Object.values(fused).filter((f) => typeof f === "function")] as unknown as ReturnType<typeof vi.fn>[];
const calls = () => spied().reduce((n, f) => n + f.mock.calls.length, 0);

describe("cpu-ref is a true reference backend", () => {
  afterEach(() => vi.restoreAllMocks());

  it("offers no capability and keeps its values on the host", () => {
    const ref = backendNamed("cpu-ref");
    expect(CAPABILITIES.filter((c) => ref[c] !== undefined)).toEqual([]);
    expect(ref.onDevice).toBe(false);
    // The pool offers the fast paths, including Adam's fused step.
    expect(CAPABILITIES.filter((c) => backendNamed("cpu")[c] === undefined)).toEqual([]);
  });

  it("a full training workload on cpu-ref never reaches the pool's WASM or fused kernels", () => {
    for (const f of spied()) f.mockClear();
    runWorkload("cpu-ref");
    expect(calls()).toBe(0);
    // The spies are live: the same workload on the pool goes through them.
    runWorkload("cpu");
    expect(calls()).toBeGreaterThan(0);
    expect((fused.fusedAdam as unknown as ReturnType<typeof vi.fn>).mock.calls.length).toBeGreaterThan(0);
  });

  it("cpu-ref and the pool agree on losses and updated weights (float32 tolerance)", () => {
    const ref = runWorkload("cpu-ref", 3);
    const pool = runWorkload("cpu", 3);
    expect(ref.losses[2]).toBeLessThan(ref.losses[0]);
    expect(maxDiff(ref, pool)).toBeLessThan(1e-4);
  });
});

describe("optimizerStep is the backend's choice", () => {
  afterEach(() => vi.restoreAllMocks());

  const adamOn = (device: string, opts: { dtype?: "float32" | "float64"; amsgrad?: boolean } = {}) => {
    manualSeed(3);
    const p = randn([5, 7], { dtype: opts.dtype ?? "float32" }).to(device).requiresGrad_();
    const opt = new optim.Adam([p], { lr: 0.1, amsgrad: opts.amsgrad ?? false, weightDecay: 0.01 });
    for (let i = 0; i < 3; i++) {
      opt.zeroGrad();
      p.mul(p).sum().backward();
      opt.step();
    }
    return { p, state: opt.state.get(p)! };
  };

  it("Adam on the pool runs the pool's fused step; its state lives in pool tensors", () => {
    const spy = vi.spyOn(backendNamed("cpu"), "optimizerStep");
    const { p, state } = adamOn("cpu");
    expect(spy).toHaveBeenCalledTimes(3);
    expect(spy.mock.results.every((r) => r.value === true)).toBe(true);
    expect((state.expAvg as { device?: string }).device).toBe("cpu");
    // Same numbers as the plain update on cpu-ref.
    const ref = adamOn("cpu-ref");
    expect(ref.state.expAvg).toBeInstanceOf(Float32Array);
    const a = p.dataSync(), b = ref.p.dataSync();
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(b[i]))));
  });

  it("a declined step (float64, amsgrad) leaves the state clean for the host update", () => {
    for (const opts of [{ dtype: "float64" as const }, { amsgrad: true }]) {
      const spy = vi.spyOn(backendNamed("cpu"), "optimizerStep");
      const { p, state } = adamOn("cpu", opts);
      expect(spy.mock.results.every((r) => r.value === false)).toBe(true);
      expect(state.step).toBe(3);
      expect(Object.values(state).some((v) => typeof v === "object" && !ArrayBuffer.isView(v))).toBe(false);
      const ref = adamOn("cpu-ref", opts);
      const a = p.dataSync(), b = ref.p.dataSync();
      a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-6));
      spy.mockRestore();
    }
  });

  it("stateDict of pool-held Adam state loads into a fresh optimizer and continues identically", () => {
    const run = (restore: boolean) => {
      manualSeed(4);
      const p = randn([64]).requiresGrad_();
      let opt = new optim.Adam([p], { lr: 0.05 });
      for (let i = 0; i < 4; i++) {
        if (i === 2 && restore) {
          const next = new optim.Adam([p], { lr: 0.05 });
          next.loadStateDict(opt.stateDict());
          opt = next;
        }
        opt.zeroGrad();
        p.mul(p).sum().backward();
        opt.step();
      }
      return p.dataSync();
    };
    const a = run(false), b = run(true);
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-6));
  });
});

describe("BatchNorm and the losses ask Backend.onDevice, not gcManaged", () => {
  it("a class index out of range is an error on every host backend", () => {
    for (const dev of ["cpu", "cpu-ref"]) {
      const logits = zeros([2, 3]).to(dev);
      const bad = tensor([0, 3], { dtype: "int32" }).to(dev);
      expect(() => nn.functional.crossEntropy(logits, bad)).toThrow("crossEntropy: target contains a class index outside [0, 3)");
    }
  });
});
