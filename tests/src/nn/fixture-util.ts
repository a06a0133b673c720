// Shared by the nn tests: the fill formula of gen_reference.py and a runner that rebuilds a
// PyTorch reference case (fixtures/modules.json) on a gradnote module in float64.
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { fromArray, noGrad, nn } from "../../../src/index.js";
import type { Tensor } from "../../../src/index.js";

export interface Case {
  names: string[];
  xShape: number[];
  xScale: number;
  y: number[];
  yShape: number[];
  xGrad: number[];
  grads: Record<string, number[]>;
  buffers: Record<string, number[]>;
  h?: number[][];
  hShape?: number[];
  grad?: number[];
}

export const CASES: Record<string, Case> = JSON.parse(
  readFileSync(new URL("./fixtures/modules.json", import.meta.url), "utf8"),
);

/** 0.5·sin(1.3·i + seed)·scale, the generator script's fill. */
export function fillValues(n: number, seed: number, scale = 1): number[] {
  return Array.from({ length: n }, (_, i) => scale * 0.5 * Math.sin(1.3 * i + seed));
}

export function fill(shape: number[], seed: number, scale = 1, requiresGrad = false): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const t = fromArray(fillValues(n, seed, scale), shape, { dtype: "float64" });
  if (requiresGrad) t.requiresGrad = true;
  return t;
}

export function expectClose(got: ArrayLike<number>, want: number[], tol = 1e-9): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (Math.abs(got[i] - want[i]) > tol * (1 + Math.abs(want[i]))) {
      throw new Error(`element ${i}: got ${got[i]}, want ${want[i]} (tol ${tol})`);
    }
  }
}

/** Fills `m` like the reference, runs forward + backward of the weighted sum, compares all. */
export function checkCase(name: string, m: nn.Module, opts: { train?: boolean; forwards?: number; extra?: unknown } = {}): void {
  const c = CASES[name];
  m.double();
  m.train(opts.train ?? true);
  const named = [...m.namedParameters()];
  expect(named.map(([k]) => k)).toEqual(c.names);
  noGrad(() => named.forEach(([, p], i) => p.copy_(fill([...p.shape], i + 1))));
  for (let i = 0; i < (opts.forwards ?? 1) - 1; i++) m.forward(fill(c.xShape, 10, c.xScale));
  const x = fill(c.xShape, 10, c.xScale, true);
  const out = opts.extra === undefined ? m.forward(x) : m.forward(x, opts.extra);
  let y: Tensor;
  let loss: Tensor;
  if (Array.isArray(out)) {
    y = out[0];
    const hs: Tensor[] = Array.isArray(out[1]) ? out[1] : [out[1]];
    loss = y.mul(fill([...y.shape], 20)).sum();
    hs.forEach((h, k) => {
      loss = loss.add(h.mul(fill([...h.shape], 21 + k)).sum());
      expect([...h.shape]).toEqual(c.hShape);
      expectClose(h.dataSync(), c.h![k]);
    });
  } else {
    y = out;
    loss = y.mul(fill([...y.shape], 20)).sum();
  }
  expect([...y.shape]).toEqual(c.yShape);
  expectClose(y.dataSync(), c.y);
  loss.backward();
  expectClose(x.grad!.dataSync(), c.xGrad);
  for (const [k, p] of named) expectClose(p.grad!.dataSync(), c.grads[k]);
  const bufs = Object.fromEntries(m.namedBuffers());
  for (const [k, v] of Object.entries(c.buffers)) expectClose(bufs[k].dataSync(), v);
}
