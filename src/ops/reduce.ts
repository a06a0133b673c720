/**
 * Reductions with dims and keepdim: sum, mean, prod, max, min, argmax, argmin, var, std,
 * logsumexp, all, any, plus sumTo (the gradient of broadcasting).
 */
import type { ReduceOp } from "../backend/backend.js";
import { Tensor, backendOf } from "../tensor/tensor.js";
import { formatShape, normDims, sameShape, sizeOf } from "../tensor/shape.js";
import { isFloating, type DType } from "../tensor/dtype.js";
import { empty, needsGrad1, record, floatInput } from "./op.js";
import { div, eq, mul, sub, square, sqrt, exp, log, add, ne, abs, where, logicalAnd } from "./elementwise.js";
import { cast, expand, reshape } from "./movement.js";
import { torchNamed } from "../autograd/torch-name.js";

/** Dims argument of reductions: one dim, several, or all when omitted. */
export type Dims = number | readonly number[] | null | undefined;

function keptShape(shape: readonly number[], axes: readonly number[], keepdim: boolean): number[] {
  const out: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (!axes.includes(d)) out.push(shape[d]);
    else if (keepdim) out.push(1);
  }
  return out;
}

/** Runs a reduce kernel without autograd. */
export function reduceRaw(op: ReduceOp, x: Tensor, axes: readonly number[], keepdim: boolean, dtype: DType, name: string): Tensor {
  if ((op !== "sum" && op !== "prod") && axes.some((d) => x.shape[d] === 0)) {
    throw new Error(`${name}: cannot reduce over a zero-size dimension (shape ${formatShape(x.shape)})`);
  }
  const out = empty(keptShape(x.shape, axes, keepdim), dtype, x.device);
  backendOf(out).reduce(op, out.buf, x, axes);
  return out;
}

/** Sum over `dims` (all when omitted); bool/int32 sums are int32. */
export function sum(x: Tensor, dims?: Dims, keepdim = false): Tensor {
  const axes = normDims(dims, x.ndim, "sum", x.shape);
  const dtype = isFloating(x.dtype) ? x.dtype : "int64";
  const y = reduceRaw("sum", x, axes, keepdim, dtype, "sum");
  if (!needsGrad1(x)) return y;
  // PyTorch: x.sum() is SumBackward0, x.sum(dim) SumBackward1.
  return record(y, dims === undefined || dims === null ? "Sum" : "SumBackward1", [x], (g) => [expand(reshape(g, keptShape(x.shape, axes, true)), x.shape)], []);
}

/** Mean over `dims` (all when omitted). */
export function mean(x: Tensor, dims?: Dims, keepdim = false): Tensor {
  x = floatInput("mean", x);
  const axes = normDims(dims, x.ndim, "mean", x.shape);
  const n = axes.reduce((p, d) => p * x.shape[d], 1);
  // One node named as PyTorch's (x.mean() MeanBackward0, x.mean(dim) MeanBackward1), not the
  // Sum + Div it is computed with.
  const y = div(reduceRaw("sum", x, axes, keepdim, x.dtype, "mean"), n);
  return record(y, dims === undefined || dims === null ? "Mean" : "MeanBackward1", [x], (g) => [div(expand(reshape(g, keptShape(x.shape, axes, true)), x.shape), n)], []);
}

/** Product over `dims`. */
export function prod(x: Tensor, dims?: Dims, keepdim = false): Tensor {
  const axes = normDims(dims, x.ndim, "prod", x.shape);
  const y = reduceRaw("prod", x, axes, keepdim, isFloating(x.dtype) ? x.dtype : "int64", "prod");
  return record(y, "Prod", [x], (g) => {
    // As PyTorch's prod_backward: prod / x_i in a group without zeros; with one zero, the
    // product of the others at the zero and 0 elsewhere; with two or more, 0 everywhere.
    const kept = keptShape(x.shape, axes, true);
    const yk = reshape(y, kept);
    const gk = reshape(g, kept);
    // Written as products that stay differentiable, so double backward sees that the
    // gradient beside a zero depends on that zero.
    const zero = eq(x, 0);
    const zeros = sum(cast(zero, x.dtype), axes, true);
    const nonZero = where(zero, 1, x);
    const pnz = prod(nonZero, axes, true);
    const zeroProd = prod(where(zero, x, 1), axes, true);
    const others = where(zero, where(eq(zeros, 1), pnz, 0), mul(div(pnz, nonZero), zeroProd));
    return [where(eq(zeros, 0), div(mul(gk, yk), nonZero), mul(gk, others))];
  }, [x, y]);
}

function extreme(op: "max" | "min", x: Tensor, dims: Dims, keepdim: boolean): Tensor {
  const axes = normDims(dims, x.ndim, op, x.shape);
  const y = reduceRaw(op, x, axes, keepdim, x.dtype, op);
  return record(y, op === "max" ? "Max" : "Min", [x], (g) => {
    // Ties share the gradient evenly, like PyTorch's amax/amin.
    const kept = keptShape(x.shape, axes, true);
    const mask = eq(x, reshape(y, kept));
    const count = sum(mask, axes, true);
    return [div(mul(reshape(g, kept), mask), count)];
  });
}

/** Maximum over `dims` (all when omitted); like PyTorch's amax (values only). */
export function max(x: Tensor, dims?: Dims, keepdim = false): Tensor {
  return extreme("max", x, dims, keepdim);
}

/** Minimum over `dims` (all when omitted); like PyTorch's amin (values only). */
export function min(x: Tensor, dims?: Dims, keepdim = false): Tensor {
  return extreme("min", x, dims, keepdim);
}

/** Index of the maximum along `dim` (flat index when omitted), as int32. First index wins ties. */
export function argmax(x: Tensor, dim?: number | null, keepdim = false): Tensor {
  const axes = dim === undefined || dim === null ? normDims(null, x.ndim, "argmax") : normDims(dim, x.ndim, "argmax", x.shape);
  return reduceRaw("argmax", x, axes, keepdim && dim !== undefined && dim !== null, "int64", "argmax");
}

/** Index of the minimum along `dim` (flat index when omitted), as int32. */
export function argmin(x: Tensor, dim?: number | null, keepdim = false): Tensor {
  const axes = dim === undefined || dim === null ? normDims(null, x.ndim, "argmin") : normDims(dim, x.ndim, "argmin", x.shape);
  return reduceRaw("argmin", x, axes, keepdim && dim !== undefined && dim !== null, "int64", "argmin");
}

/** Options of var/std: `correction` (default 1, Bessel) or the older `unbiased` flag. */
export interface VarOptions {
  correction?: number;
  unbiased?: boolean;
}

/** Variance over `dims` with Bessel's correction by default, like PyTorch. */
export function variance(x: Tensor, dims?: Dims, keepdim = false, options: VarOptions = {}): Tensor {
  x = floatInput("var", x);
  const axes = normDims(dims, x.ndim, "var", x.shape);
  const correction = options.correction ?? (options.unbiased === false ? 0 : 1);
  const n = axes.reduce((p, d) => p * x.shape[d], 1);
  const centered = sub(x, mean(x, axes, true));
  return torchNamed(div(sum(square(centered), axes, keepdim), Math.max(0, n - correction)), "Var", [x]);
}

/** Standard deviation: sqrt of `variance`. */
export function std(x: Tensor, dims?: Dims, keepdim = false, options: VarOptions = {}): Tensor {
  // PyTorch's std_backward masks result == 0: a constant row has gradient 0, not 0·∞ = NaN.
  const v = variance(x, dims, keepdim, options);
  const zero = eq(v, 0);
  return torchNamed(where(zero, 0, sqrt(where(zero, 1, v))), "Std", [x]);
}

/** log(sum(exp(x))) over `dims`, computed stably. */
export function logsumexp(x: Tensor, dims?: Dims, keepdim = false): Tensor {
  const axes = normDims(dims, x.ndim, "logsumexp", x.shape);
  const max = reduceRaw("max", x, axes, true, x.dtype, "logsumexp");
  // m is recorded by no op, so it is a constant shift: it changes neither value nor gradient.
  // An infinite max shifts by 0 instead (as PyTorch): an all −inf row gives −inf, not NaN.
  const m = where(eq(abs(max), Infinity), 0, max);
  const s = log(sum(exp(sub(x, m)), axes, true));
  const out = add(s, m);
  return torchNamed(keepdim ? out : reshape(out, keptShape(x.shape, axes, false)), "Logsumexp", [x]);
}

/** True when every element is non-zero (over `dims`). */
export function all(x: Tensor, dims?: Dims, keepdim = false): Tensor {
  const axes = normDims(dims, x.ndim, "all", x.shape);
  return eq(reduceRaw("min", ne(x, 0), axes, keepdim, "int32", "all"), 1);
}

/** True when some element is non-zero (over `dims`). */
export function any(x: Tensor, dims?: Dims, keepdim = false): Tensor {
  const axes = normDims(dims, x.ndim, "any", x.shape);
  return eq(reduceRaw("max", ne(x, 0), axes, keepdim, "int32", "any"), 1);
}

/** Sums a broadcast gradient back down to `shape` (the adjoint of broadcasting). */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const axes: number[] = [];
  for (let d = 0; d < g.ndim; d++) {
    if (d < lead || (shape[d - lead] === 1 && g.shape[d] !== 1)) axes.push(d);
  }
  const s = sum(g, axes, true);
  return sizeOf(s.shape) === sizeOf(shape) ? reshape(s, shape) : s;
}
