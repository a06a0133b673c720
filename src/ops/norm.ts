/**
 * Vector norms over dims (PyTorch's `torch.norm` / `Tensor.norm` with p = 2, "fro", 1, inf,
 * -inf, 0 or any number), with PyTorch's gradients: 0 where the norm is 0, ties of the inf-norm
 * sharing evenly. Matrix norms ("nuc", spectral) are not implemented and say so.
 */
import type { Tensor } from "../tensor/tensor.js";
import { checkDType, isFloating, type DType } from "../tensor/dtype.js";
import { formatShape, normDims } from "../tensor/shape.js";
import { noGrad } from "../autograd/grad-mode.js";
import { record } from "./op.js";
import { abs, div, eq, mul, ne, pow, powScalar, sign, sqrt, where } from "./elementwise.js";
import { cast, reshape } from "./movement.js";
import { reduceRaw, sum, type Dims } from "./reduce.js";
import { trailingOptions } from "./options.js";

/** The order of a norm: a number (Infinity for the max-norm) or "fro". */
export type NormOrder = number | "fro" | "nuc";

/** Options of norm (PyTorch's keywords). */
export interface NormOptions {
  /** Order (default "fro", the 2-norm of all elements reduced). */
  p?: NormOrder;
  /** Dim or dims to reduce (all when omitted). */
  dim?: Dims;
  keepdim?: boolean;
  /** Cast the input to this dtype first. */
  dtype?: DType;
}

const KEYS = ["p", "dim", "keepdim", "dtype"] as const;

function normArgs(args: readonly unknown[]): NormOptions {
  const { positional: list, options: o } = trailingOptions("norm", args, KEYS);
  if (list.length > 3) throw new Error("norm: too many positional arguments; write norm(p, dim, keepdim) or norm({ p, dim, keepdim, dtype })");
  list.forEach((v, i) => {
    if (v === undefined || v === null) return;
    if (o[KEYS[i]] !== undefined) throw new Error(`norm: ${KEYS[i]} given twice (as an argument and as an option)`);
    o[KEYS[i]] = v;
  });
  const p = o.p;
  if (p !== undefined && p !== null && typeof p !== "number" && p !== "fro" && p !== "nuc") {
    throw new Error(`norm: p must be a number, Infinity, -Infinity or "fro", got ${JSON.stringify(p)}`);
  }
  if (o.keepdim !== undefined && typeof o.keepdim !== "boolean") throw new Error(`norm: keepdim must be true or false, got ${JSON.stringify(o.keepdim)}`);
  return o as NormOptions;
}

function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((s, d) => (axes.includes(d) ? 1 : s));
}

/**
 * The p-norm of `x` over `dim` (all elements when omitted): `norm(x)` (2-norm), `norm(x, 1)`,
 * `norm(x, Infinity, 1)`, `norm(x, { p: 2, dim: 1, keepdim: true })`.
 */
export function norm(x: Tensor, options?: NormOptions): Tensor;
export function norm(x: Tensor, p?: NormOrder | null, dim?: Dims | NormOptions, keepdim?: boolean | NormOptions, options?: NormOptions): Tensor;
export function norm(x: Tensor, ...args: unknown[]): Tensor {
  return normOf(x, args);
}
/** @internal `norm` with its arguments as an array (for the Tensor method). */
export function normOf(x: Tensor, args: readonly unknown[]): Tensor {
  const o = normArgs(args);
  if (o.p === "nuc") throw new Error(`norm: the nuclear norm (p "nuc") is not implemented; only vector norms (p a number or "fro") over dims`);
  const input = o.dtype !== undefined ? cast(x, checkDType(o.dtype, "norm")) : x;
  if (!isFloating(input.dtype)) {
    throw new Error(`norm: expected a floating point tensor, got dtype ${input.dtype} (shape ${formatShape(input.shape)}); use x.float().norm() or { dtype: "float32" }`);
  }
  const p = o.p === undefined || o.p === null || o.p === "fro" ? 2 : o.p;
  if (Number.isNaN(p)) throw new Error("norm: p must not be NaN");
  const axes = normDims(o.dim ?? null, input.ndim, "norm", input.shape);
  const keepdim = o.keepdim ?? false;
  const y = noGrad(() => vectorNorm(input, p, axes, keepdim));
  return record(y, "NormBackward1", [input], (g) => [normGrad(input, y, g, p, axes)], [input, y]);
}

function vectorNorm(x: Tensor, p: number, axes: number[], keepdim: boolean): Tensor {
  const a = abs(x);
  if (p === Infinity) return reduceRaw("max", a, axes, keepdim, x.dtype, "norm");
  if (p === -Infinity) return reduceRaw("min", a, axes, keepdim, x.dtype, "norm");
  if (p === 0) return sum(cast(ne(x, 0), x.dtype), axes, keepdim);
  if (p === 1) return sum(a, axes, keepdim);
  if (p === 2) return sqrt(sum(mul(x, x), axes, keepdim));
  return pow(sum(powScalar(a, p), axes, keepdim), 1 / p);
}

function normGrad(x: Tensor, y: Tensor, g: Tensor, p: number, axes: number[]): Tensor | null {
  const kept = keptShape(x.shape, axes);
  const nk = reshape(y, kept);
  const gk = reshape(g, kept);
  if (p === 0) return null;
  if (p === 1) return mul(sign(x), gk);
  // Where the norm is 0 every x in its group is 0, so x / 1 gives PyTorch's zero gradient.
  if (p === 2) return mul(x, div(gk, where(eq(nk, 0), 1, nk)));
  if (!Number.isFinite(p)) {
    const mask = cast(eq(abs(x), nk), x.dtype);
    return mul(sign(x), div(mul(mask, gk), sum(mask, axes, true)));
  }
  const scaled = div(mul(sign(x), powScalar(abs(x), p - 1)), powScalar(nk, p - 1));
  return where(eq(x, 0), 0, mul(scaled, gk));
}
