// Sequential folds `Linear, activation` pairs into one call only when both layers say they can
// (Linear.fusedForward, the activation's fusableActivation), never by class identity: a
// subclass or a patched instance with another forward runs as written. Whether the fused call
// is one kernel is the backend's choice (Backend.addmmActivation on the pool; none on cpu-ref).
import { afterEach, describe, expect, it, vi } from "vitest";
import { nn, manualSeed, randn, relu, type Tensor } from "../../../src/index.js";
import { backendNamed } from "../../../src/backend/backend.js";
import type { LinearActivation } from "../../../src/backend/backend.js";
import { expectClose } from "../ops/check-op.js";

/** Runs `seq` on the pool backend, counting calls to its fused linear+activation kernel. */
function fusedCalls(seq: nn.Sequential, x: Tensor): { y: Tensor; calls: number } {
  const spy = vi.spyOn(backendNamed("cpu"), "addmmActivation");
  const y = seq.forward(x);
  const calls = spy.mock.calls.length;
  spy.mockRestore();
  return { y, calls };
}

function layers(): { lin: nn.Linear; x: Tensor; plain: Tensor } {
  manualSeed(5);
  const lin = new nn.Linear(3, 4);
  const x = randn([2, 3]);
  return { lin, x, plain: lin.forward(x) };
}

describe("Sequential asks layers whether they fuse", () => {
  afterEach(() => vi.restoreAllMocks());

  it("Linear then ReLU runs as one fused kernel on the pool, with the same values", () => {
    const { lin, x, plain } = layers();
    const { y, calls } = fusedCalls(new nn.Sequential(lin, new nn.ReLU()), x);
    expect(calls).toBe(1);
    expectClose(y, relu(plain).toArray() as number[][], 1e-6);
  });

  it("a ReLU subclass that changes forward is not fused: its own forward runs", () => {
    class DoubledReLU extends nn.ReLU {
      override forward(x: Tensor): Tensor {
        return super.forward(x).mul(2);
      }
    }
    const { lin, x, plain } = layers();
    const act = new DoubledReLU();
    expect(act.fusableActivation).toBeNull();
    const { y, calls } = fusedCalls(new nn.Sequential(lin, act), x);
    expect(calls).toBe(0);
    expectClose(y, relu(plain).mul(2).toArray() as number[][], 1e-6);
  });

  it("a ReLU instance whose forward was replaced is not fused", () => {
    const { lin, x, plain } = layers();
    const act = new nn.ReLU();
    act.forward = (t: Tensor) => t.neg();
    const { y, calls } = fusedCalls(new nn.Sequential(lin, act), x);
    expect(calls).toBe(0);
    expectClose(y, plain.neg().toArray() as number[][], 1e-6);
  });

  it("a patched ReLU.prototype.forward is not fused (the fused form was captured at load)", () => {
    const { lin, x, plain } = layers();
    const original = nn.ReLU.prototype.forward;
    nn.ReLU.prototype.forward = function (t: Tensor) {
      return t.abs();
    };
    try {
      const { y, calls } = fusedCalls(new nn.Sequential(lin, new nn.ReLU()), x);
      expect(calls).toBe(0);
      expectClose(y, plain.abs().toArray() as number[][], 1e-6);
    } finally {
      nn.ReLU.prototype.forward = original;
    }
  });

  it("a subclass that keeps the forward (a name, a repr) is still fused", () => {
    class MyReLU extends nn.ReLU {
      override extraRepr(): string {
        return "mine";
      }
    }
    class MyLinear extends nn.Linear {}
    manualSeed(5);
    const lin = new MyLinear(3, 4);
    const x = randn([2, 3]);
    const { y, calls } = fusedCalls(new nn.Sequential(lin, new MyReLU()), x);
    expect(calls).toBe(1);
    expectClose(y, relu(lin.forward(x)).toArray() as number[][], 1e-6);
  });

  it("a Linear subclass that changes forward is not fused", () => {
    class ScaledLinear extends nn.Linear {
      override forward(x: Tensor): Tensor {
        return super.forward(x).mul(3);
      }
    }
    manualSeed(5);
    const lin = new ScaledLinear(3, 4);
    const x = randn([2, 3]);
    const { y, calls } = fusedCalls(new nn.Sequential(lin, new nn.Tanh()), x);
    expect(calls).toBe(0);
    expectClose(y, lin.forward(x).tanh().toArray() as number[][], 1e-6);
  });

  it("a user module can opt in by naming its activation", () => {
    class Squash extends nn.Module {
      readonly fusableActivation: LinearActivation = "sigmoid";
      override forward(x: Tensor): Tensor {
        return x.sigmoid();
      }
    }
    const { lin, x, plain } = layers();
    const { y, calls } = fusedCalls(new nn.Sequential(lin, new Squash()), x);
    expect(calls).toBe(1);
    expectClose(y, plain.sigmoid().toArray() as number[][], 1e-6);
  });

  it("layers with forward hooks are not fused (the hook sees the Linear's own output)", () => {
    const { lin, x, plain } = layers();
    const seen: Tensor[] = [];
    lin.registerForwardHook((_m, _i, out) => void seen.push(out as Tensor));
    const seq = new nn.Sequential(lin, new nn.ReLU());
    const { calls } = fusedCalls(seq, x);
    expect(calls).toBe(0);
    expect(seen.length).toBe(1);
    expectClose(seen[0], plain.toArray() as number[][], 1e-6);
  });

  it("on cpu-ref the same Sequential composes plain ops (no fused kernel to take)", () => {
    const { lin, x, plain } = layers();
    const seq = new nn.Sequential(lin, new nn.ReLU()).to("cpu-ref");
    const y = seq.forward(x.to("cpu-ref"));
    expect(y.device).toBe("cpu-ref");
    expectClose(y.to("cpu"), relu(plain).toArray() as number[][], 1e-6);
  });
});
