// Shared helpers for op tests: random float64 inputs (contiguous or strided views), one
// checkOp() that compares a forward value and runs gradcheck, and closeness assertions.
import { expect } from "vitest";
import { Tensor, randn, gradcheck, manualSeed, backends, registerBackend } from "../../../src/index.js";
import { createCpuBackend } from "../../../src/backend/cpu/cpu-backend.js";
import { backendNamed } from "../../../src/backend/backend.js";

// A second backend (the cpu kernels under another name, with their own buffers) so every op
// test also proves that ops dispatch on the inputs' backend rather than assuming "cpu".
if (!backends().includes("cpu-mirror")) registerBackend("cpu-mirror", () => createCpuBackend("cpu-mirror"));

/**
 * Backends every forward check is repeated on. Device backends (webgpu) need an adapter and
 * are slow to start on a CPU, so only suites that ask (GRADNOTE_SWEEP_WEBGPU=1, set by
 * tests/src/backend/webgpu/ops.test.ts) include them.
 */
export function sweepBackends(): string[] {
  return backends().filter((b) => b !== "cpu" && (b !== "webgpu" || process.env.GRADNOTE_SWEEP_WEBGPU === "1"));
}

/**
 * `t` moved to backend `name`; float64 becomes float32 on a backend without float64 (webgpu),
 * explicitly here, since the backend itself refuses float64 rather than narrowing it.
 */
export function onBackend(t: Tensor, name: string): Tensor {
  const narrow = t.dtype === "float64" && !backendNamed(name).dtypes.includes("float64");
  return (narrow ? t.float() : t).to(name);
}

/** Layouts an input can take: dense, a transposed (permuted) view, or a strided slice. */
export type Layout = "contiguous" | "permuted" | "strided";

/** A float64 leaf of `shape` that requires grad, laid out as `layout`. */
export function input(shape: readonly number[], layoutIn: Layout = "contiguous", scale = 1): Tensor {
  // A 1-D tensor has no other order: it gets the strided layout instead.
  const layout = layoutIn === "permuted" && shape.length < 2 ? "strided" : layoutIn;
  let t: Tensor;
  if (layout === "permuted" && shape.length >= 2) {
    const rev = shape.slice().reverse();
    t = randn(rev, { dtype: "float64" }).mul(scale).permute(rev.map((_, i) => rev.length - 1 - i));
  } else if (layout === "strided" && shape.length >= 1) {
    const wide = shape.slice();
    wide[wide.length - 1] *= 2;
    t = randn(wide, { dtype: "float64" }).mul(scale).slice(-1, 0, null, 2);
  } else {
    t = randn(shape, { dtype: "float64" }).mul(scale);
  }
  // Permuting dims of size 1 changes nothing: such shapes get the strided layout.
  if (layout === "permuted" && t.isContiguous()) return input(shape, "strided", scale);
  const leaf = t.detach().requiresGrad_();
  if (layout !== "contiguous" && leaf.ndim >= 1 && leaf.numel() > 1) expect(leaf.isContiguous()).toBe(false);
  return leaf;
}

/** Runs gradcheck on `fn` for fresh inputs of `shapes` in each layout. */
export function checkGrad(fn: (...xs: Tensor[]) => Tensor | Tensor[], shapes: readonly (readonly number[])[], options: { layouts?: Layout[]; scale?: number; seed?: number; transform?: (t: Tensor) => Tensor } = {}): void {
  manualSeed(options.seed ?? 1);
  for (const layout of options.layouts ?? ["contiguous", "permuted", "strided"]) {
    const xs = shapes.map((s) => {
      const x = input(s, layout, options.scale ?? 1);
      return options.transform ? prepared(x, options.transform) : x;
    });
    expect(gradcheck(fn, xs)).toBe(true);
  }
}

/** Applies a value transform in place without changing the layout (e.g. make inputs positive). */
function prepared(x: Tensor, transform: (t: Tensor) => Tensor): Tensor {
  const y = transform(x.detach());
  x.requiresGrad = false;
  x.copy_(y);
  x.requiresGrad = true;
  return x;
}

/** Asserts that `t` holds `expected` (nested arrays) within `tol`. */
export function expectClose(t: Tensor, expected: unknown, tol = 1e-4): void {
  const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [Number(v)]);
  const shapeOf = (v: unknown): number[] => (Array.isArray(v) ? [v.length, ...shapeOf(v[0])] : []);
  expect(t.shape).toEqual(shapeOf(expected));
  const got = flat(t.toArray());
  const want = flat(expected);
  got.forEach((g, i) => {
    if (Number.isNaN(want[i])) expect(g).toBeNaN();
    else if (!Number.isFinite(want[i])) expect(g).toBe(want[i]);
    else expect(Math.abs(g - want[i]), `element ${i}: got ${g}, want ${want[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i])));
  });
}

/**
 * The shared op check: forward on `inputs` equals `expected` (hand-checked values), and
 * gradcheck passes on random float64 inputs of the same shapes in every layout.
 */
export function checkOp(fn: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], expected: unknown, options: { grad?: boolean; transform?: (t: Tensor) => Tensor; tol?: number; otherBackends?: boolean } = {}): void {
  expectClose(fn(...inputs), expected, options.tol);
  // fn may close over cpu tensors (masks, indices); such tests opt out of the backend sweep.
  for (const name of options.otherBackends === false ? [] : sweepBackends()) {
    const out = fn(...inputs.map((t) => onBackend(t, name)));
    expect(out.device).toBe(name);
    expectClose(out, expected, options.tol);
  }
  if (options.grad !== false) {
    if (options.otherBackends !== false) checkBackwardParity(fn, inputs, Math.max(options.tol ?? 1e-4, 1e-3));
    checkGrad(fn, inputs.map((t) => t.shape), { transform: options.transform });
  }
}

const isFloat = (t: Tensor) => t.dtype === "float32" || t.dtype === "float64";

/**
 * Backward on every swept backend equals backward on the default one: the same upstream
 * gradient flows into the same inputs (float inputs become leaves; others pass through).
 */
export function checkBackwardParity(fn: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], tol: number): void {
  const leaves = (name?: string) => inputs.map((t) => {
    const moved = name ? onBackend(t.detach(), name) : t.detach();
    return isFloat(t) ? moved.requiresGrad_() : moved;
  });
  const base = leaves();
  const out = fn(...base);
  if (!isFloat(out) || !out.requiresGrad) return;
  manualSeed(7);
  const upstream = randn(out.shape, { dtype: out.dtype });
  out.backward(upstream);
  for (const name of sweepBackends()) {
    const xs = leaves(name);
    fn(...xs).backward(onBackend(upstream, name));
    xs.forEach((x, i) => {
      const want = base[i].grad;
      if (!want) return;
      expect(x.grad, `${name}: input ${i} got no gradient`).not.toBeNull();
      expectClose(x.grad!.to("cpu"), want.toArray(), tol);
    });
  }
}
