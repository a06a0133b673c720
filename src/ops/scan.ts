/**
 * Prefix scans along a dim: cumsum and cumprod, with their gradients. Scans are composed of
 * log2(n) shifted adds/multiplies (Hillis–Steele), so they run on every backend; the backward
 * passes are scans too, written with differentiable ops so double backward works.
 */
import type { Tensor } from "../tensor/tensor.js";
import { checkDType, isFloating, type DType } from "../tensor/dtype.js";
import { normDim } from "../tensor/shape.js";
import { noGrad } from "../autograd/grad-mode.js";
import { filled, record } from "./op.js";
import { add, mul } from "./elementwise.js";
import { cast, narrow, reshape } from "./movement.js";
import { cat } from "./join.js";
import { trailingOptions } from "./options.js";
import { indexDType } from "./return-types.js";

/** Options of cumsum/cumprod (PyTorch's keywords). */
export interface ScanOptions {
  /** The dim to scan along (required). */
  dim?: number;
  /** Cast the input to this dtype first. */
  dtype?: DType;
}

/**
 * `t` moved `s` places along `d`, toward higher indices (`later` false: result[i] = t[i-s]) or
 * lower ones (`later` true: result[i] = t[i+s]), with `fill` where nothing moves in.
 */
function shifted(t: Tensor, d: number, s: number, fill: number, later: boolean): Tensor {
  const n = t.shape[d];
  const padShape = t.shape.slice();
  padShape[d] = Math.min(s, n);
  const pad = filled(padShape, fill, t.dtype, t.device);
  if (s >= n) return pad;
  return later ? cat([narrow(t, d, s, n - s), pad], d) : cat([pad, narrow(t, d, 0, n - s)], d);
}

/** Inclusive scan with `op` (identity `id`) along `d`; `reverse` scans from the end. */
function scan(t: Tensor, d: number, op: "add" | "mul", reverse: boolean): Tensor {
  const f = op === "add" ? add : mul;
  let y = t;
  for (let s = 1; s < t.shape[d]; s *= 2) y = f(y, shifted(y, d, s, op === "add" ? 0 : 1, reverse));
  return y;
}

/**
 * R with R[i] = b[i] + a[i]·R[i+1] (R past the end = 0), scanned from the end in log2(n)
 * steps of affine-map composition. It is cumprod's backward without dividing by x, so zeros
 * in x get the right gradient (as PyTorch's formula does).
 */
function affineScanFromEnd(a: Tensor, b: Tensor, d: number): Tensor {
  for (let s = 1; s < b.shape[d]; s *= 2) {
    b = add(b, mul(a, shifted(b, d, s, 0, true)));
    a = mul(a, shifted(a, d, s, 0, true));
  }
  return b;
}

function scanArgs(op: string, x: Tensor, args: readonly unknown[]): { d: number; input: Tensor } {
  const { positional: list, options } = trailingOptions(op, args, ["dim", "dtype"]);
  const o = options as ScanOptions;
  if (list.length > 1) throw new Error(`${op}: too many positional arguments; write ${op}(dim, { dtype })`);
  if (list.length === 1) {
    if (o.dim !== undefined) throw new Error(`${op}: dim given twice (as an argument and as an option)`);
    o.dim = list[0] as number;
  }
  if (o.dim === undefined || !Number.isInteger(o.dim)) {
    throw new Error(`${op}: dim must be an integer (PyTorch's ${op} has no default dim), got ${JSON.stringify(o.dim) ?? "undefined"}`);
  }
  const d = normDim(o.dim, x.ndim, op, x.shape);
  // Integer and bool inputs accumulate in the index dtype, as PyTorch's do in int64.
  const dtype = o.dtype !== undefined ? checkDType(o.dtype, op) : isFloating(x.dtype) ? x.dtype : indexDType();
  return { d, input: cast(x, dtype) };
}

/** Running sum along `dim`: `cumsum(x, 1)` or `cumsum(x, { dim: 1, dtype })`. */
export function cumsum(x: Tensor, dim: number, options?: ScanOptions): Tensor;
export function cumsum(x: Tensor, options: ScanOptions): Tensor;
export function cumsum(x: Tensor, ...args: unknown[]): Tensor {
  return cumsumOf(x, args);
}
/** @internal `cumsum` with its arguments as an array (for the Tensor method). */
export function cumsumOf(x: Tensor, args: readonly unknown[]): Tensor {
  const { d, input } = scanArgs("cumsum", x, args);
  if (input.ndim === 0) return reshape(cumsum(reshape(input, [1]), 0), []);
  const y = noGrad(() => scan(input, d, "add", false));
  return record(y, "CumsumBackward0", [input], (g) => [scan(g, d, "add", true)], []);
}

/** Running product along `dim`: `cumprod(x, 1)`; zeros in `x` get PyTorch's gradient. */
export function cumprod(x: Tensor, dim: number, options?: ScanOptions): Tensor;
export function cumprod(x: Tensor, options: ScanOptions): Tensor;
export function cumprod(x: Tensor, ...args: unknown[]): Tensor {
  return cumprodOf(x, args);
}
/** @internal `cumprod` with its arguments as an array (for the Tensor method). */
export function cumprodOf(x: Tensor, args: readonly unknown[]): Tensor {
  const { d, input } = scanArgs("cumprod", x, args);
  if (input.ndim === 0) return reshape(cumprod(reshape(input, [1]), 0), []);
  const y = noGrad(() => scan(input, d, "mul", false));
  return record(y, "CumprodBackward0", [input], (g) => {
    // d y[j] / d x[i] = (prod of x before i) · (prod of x[i+1..j]); summed against g[j].
    const before = shifted(y, d, 1, 1, false);
    return [mul(before, affineScanFromEnd(shifted(input, d, 1, 0, true), g, d))];
  }, [input, y]);
}
