/**
 * The public, PyTorch-shaped reductions: positional arguments or a trailing options object
 * (`x.sum(1, { keepdim: true })`, `x.std({ dim: 1, correction: 0 })`), and max/min(dim)
 * returning (values, indices). The kernels and gradients live in reduce.ts, whose positional
 * functions internal code keeps calling.
 */
import type { Tensor } from "../tensor/tensor.js";
import { checkDType, type DType } from "../tensor/dtype.js";
import { formatShape, normDim } from "../tensor/shape.js";
import * as red from "./reduce.js";
import { isOptionsObject, trailingOptions } from "./options.js";
import { div, eq, isnan, logicalAnd, logicalOr, maximum, minimum, mul } from "./elementwise.js";
import { cast, reshape, unsqueeze } from "./movement.js";
import { scatterAdd } from "./indexing.js";
import { filled, record } from "./op.js";
import { ValuesIndices } from "./return-types.js";

/** Keyword options shared by reductions (PyTorch's `dim=`, `keepdim=`). */
export interface ReduceOptions {
  /** Dim or dims to reduce (all when omitted). */
  dim?: red.Dims;
  /** Keep reduced dims as size 1. */
  keepdim?: boolean;
}

/** Options of sum/mean/prod: also `dtype`, the dtype the input is cast to first. */
export interface SumOptions extends ReduceOptions {
  dtype?: DType;
}

/** Options of var/std: also `correction` (default 1) or the older `unbiased` flag. */
export interface VarOptions extends ReduceOptions, red.VarOptions {}

/** Options of max/min/argmax/argmin along one dim. */
export interface DimOptions {
  dim?: number | null;
  keepdim?: boolean;
}

const REDUCE_KEYS = ["dim", "keepdim"] as const;
const SUM_KEYS = ["dim", "keepdim", "dtype"] as const;
const VAR_KEYS = ["dim", "keepdim", "correction", "unbiased"] as const;

/**
 * Reads `(dim?, keepdim?, options?)` where a trailing plain object carries keyword options.
 * A value given both positionally and as an option throws, as a repeated keyword does in Python.
 */
export function reduceArgs<O extends ReduceOptions | DimOptions>(op: string, args: readonly unknown[], allowed: readonly (keyof O & string)[]): O {
  // No arguments: no options to check (the common `x.sum()`).
  if (args.length === 0) return {} as O;
  const { positional: list, options: opts } = trailingOptions(op, args, allowed);
  if (list.length > 2) throw new Error(`${op}: too many positional arguments; write ${op}(dim, keepdim) or ${op}({ ${allowed.join(", ")} })`);
  const [dim, keepdim] = list;
  if (dim !== undefined) {
    if (opts.dim !== undefined) throw new Error(`${op}: dim given twice (as an argument and as an option)`);
    opts.dim = dim;
  }
  if (keepdim !== undefined) {
    if (opts.keepdim !== undefined) throw new Error(`${op}: keepdim given twice (as an argument and as an option)`);
    opts.keepdim = keepdim;
  }
  const d = opts.dim;
  const intList = Array.isArray(d) && d.every((v) => Number.isInteger(v));
  if (d !== undefined && d !== null && !Number.isInteger(d) && !intList) {
    throw new Error(`${op}: dim must be an integer or a list of integers, got ${describe(d)}`);
  }
  if (opts.keepdim !== undefined && typeof opts.keepdim !== "boolean") {
    throw new Error(`${op}: keepdim must be true or false, got ${describe(opts.keepdim)}`);
  }
  return opts as O;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `[${v.map((e) => describe(e)).join(", ")}]`;
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

function withDtype(op: string, x: Tensor, dtype: DType | undefined): Tensor {
  return dtype === undefined ? x : cast(x, checkDType(dtype, op));
}

/** Sum over `dim` (all dims when omitted): `sum(x, 1, true)` or `sum(x, { dim: 1, keepdim: true, dtype })`. */
export function sum(x: Tensor, options?: SumOptions): Tensor;
export function sum(x: Tensor, dim: red.Dims, keepdim?: boolean | SumOptions, options?: SumOptions): Tensor;
export function sum(x: Tensor, ...args: unknown[]): Tensor {
  return sumOf(x, args);
}
/** @internal `sum` with its arguments as an array (for the Tensor method). */
export function sumOf(x: Tensor, args: readonly unknown[]): Tensor {
  const o = reduceArgs<SumOptions>("sum", args, SUM_KEYS);
  return red.sum(withDtype("sum", x, o.dtype), o.dim, o.keepdim ?? false);
}

/** Mean over `dim` (all when omitted); floating inputs, or give `{ dtype: "float32" }`. */
export function mean(x: Tensor, options?: SumOptions): Tensor;
export function mean(x: Tensor, dim: red.Dims, keepdim?: boolean | SumOptions, options?: SumOptions): Tensor;
export function mean(x: Tensor, ...args: unknown[]): Tensor {
  return meanOf(x, args);
}
/** @internal `mean` with its arguments as an array (for the Tensor method). */
export function meanOf(x: Tensor, args: readonly unknown[]): Tensor {
  const o = reduceArgs<SumOptions>("mean", args, SUM_KEYS);
  return red.mean(withDtype("mean", x, o.dtype), o.dim, o.keepdim ?? false);
}

/** Product over `dim` (all when omitted). */
export function prod(x: Tensor, options?: SumOptions): Tensor;
export function prod(x: Tensor, dim: red.Dims, keepdim?: boolean | SumOptions, options?: SumOptions): Tensor;
export function prod(x: Tensor, ...args: unknown[]): Tensor {
  return prodOf(x, args);
}
/** @internal `prod` with its arguments as an array (for the Tensor method). */
export function prodOf(x: Tensor, args: readonly unknown[]): Tensor {
  const o = reduceArgs<SumOptions>("prod", args, SUM_KEYS);
  return red.prod(withDtype("prod", x, o.dtype), o.dim, o.keepdim ?? false);
}

/**
 * var/std arguments. PyTorch reads a second positional boolean as `unbiased` (`x.std(1, false)`),
 * gradnote's older form as `keepdim` (`x.std(1, true, { correction: 0 })`): a lone positional
 * boolean is therefore refused, three positionals follow PyTorch (dim, unbiased, keepdim).
 */
function varArgs(op: string, args: readonly unknown[]): VarOptions {
  const list = args.slice();
  while (list.length > 0 && list[list.length - 1] === undefined) list.pop();
  if (list.length === 3 && typeof list[1] === "boolean" && typeof list[2] === "boolean") {
    return { ...reduceArgs<VarOptions>(op, [list[0], list[2]], VAR_KEYS), unbiased: list[1] };
  }
  if (list.length === 2 && typeof list[1] === "boolean") {
    throw new Error(
      `${op}: a positional true/false after dim is ambiguous (PyTorch reads ${op}(dim, unbiased, keepdim)); ` +
        `write ${op}(dim, { keepdim: ${list[1]} }) or ${op}(dim, { unbiased: ${list[1]} })`,
    );
  }
  const o = reduceArgs<VarOptions>(op, list, VAR_KEYS);
  if (o.unbiased !== undefined && o.correction !== undefined) {
    throw new Error(`${op}: give either correction or unbiased, not both`);
  }
  return o;
}

/** Variance over `dim` with Bessel's correction unless `{ correction: 0 }` / `{ unbiased: false }`. */
export function variance(x: Tensor, options?: VarOptions): Tensor;
export function variance(x: Tensor, dim: red.Dims, keepdim?: boolean | VarOptions, options?: VarOptions): Tensor;
export function variance(x: Tensor, dim: red.Dims, unbiased: boolean, keepdim: boolean): Tensor;
export function variance(x: Tensor, ...args: unknown[]): Tensor {
  return varianceOf(x, args);
}
/** @internal `variance` with its arguments as an array (for the Tensor method). */
export function varianceOf(x: Tensor, args: readonly unknown[]): Tensor {
  const o = varArgs("var", args);
  return red.variance(x, o.dim, o.keepdim ?? false, { correction: o.correction, unbiased: o.unbiased });
}

/** Standard deviation: the square root of `variance`, with the same arguments. */
export function std(x: Tensor, options?: VarOptions): Tensor;
export function std(x: Tensor, dim: red.Dims, keepdim?: boolean | VarOptions, options?: VarOptions): Tensor;
export function std(x: Tensor, dim: red.Dims, unbiased: boolean, keepdim: boolean): Tensor;
export function std(x: Tensor, ...args: unknown[]): Tensor {
  return stdOf(x, args);
}
/** @internal `std` with its arguments as an array (for the Tensor method). */
export function stdOf(x: Tensor, args: readonly unknown[]): Tensor {
  const o = varArgs("std", args);
  return red.std(x, o.dim, o.keepdim ?? false, { correction: o.correction, unbiased: o.unbiased });
}

/** log(sum(exp(x))) over `dim`, computed stably. */
export function logsumexp(x: Tensor, options?: ReduceOptions): Tensor;
export function logsumexp(x: Tensor, dim: red.Dims, keepdim?: boolean | ReduceOptions): Tensor;
export function logsumexp(x: Tensor, ...args: unknown[]): Tensor {
  return logsumexpOf(x, args);
}
/** @internal `logsumexp` with its arguments as an array (for the Tensor method). */
export function logsumexpOf(x: Tensor, args: readonly unknown[]): Tensor {
  const o = reduceArgs<ReduceOptions>("logsumexp", args, REDUCE_KEYS);
  return red.logsumexp(x, o.dim, o.keepdim ?? false);
}

/** True where every element over `dim` is non-zero. */
export function all(x: Tensor, options?: ReduceOptions): Tensor;
export function all(x: Tensor, dim: red.Dims, keepdim?: boolean | ReduceOptions): Tensor;
export function all(x: Tensor, ...args: unknown[]): Tensor {
  return allOf(x, args);
}
/** @internal `all` with its arguments as an array (for the Tensor method). */
export function allOf(x: Tensor, args: readonly unknown[]): Tensor {
  const o = reduceArgs<ReduceOptions>("all", args, REDUCE_KEYS);
  return red.all(x, o.dim, o.keepdim ?? false);
}

/** True where some element over `dim` is non-zero. */
export function any(x: Tensor, options?: ReduceOptions): Tensor;
export function any(x: Tensor, dim: red.Dims, keepdim?: boolean | ReduceOptions): Tensor;
export function any(x: Tensor, ...args: unknown[]): Tensor {
  return anyOf(x, args);
}
/** @internal `any` with its arguments as an array (for the Tensor method). */
export function anyOf(x: Tensor, args: readonly unknown[]): Tensor {
  const o = reduceArgs<ReduceOptions>("any", args, REDUCE_KEYS);
  return red.any(x, o.dim, o.keepdim ?? false);
}

/** Maximum over `dim` (all dims when omitted), values only, ties sharing the gradient (PyTorch's amax). */
export function amax(x: Tensor, options?: ReduceOptions): Tensor;
export function amax(x: Tensor, dim: red.Dims, keepdim?: boolean | ReduceOptions): Tensor;
export function amax(x: Tensor, ...args: unknown[]): Tensor {
  return amaxOf(x, args);
}
/** @internal `amax` with its arguments as an array (for the Tensor method). */
export function amaxOf(x: Tensor, args: readonly unknown[]): Tensor {
  const o = reduceArgs<ReduceOptions>("amax", args, REDUCE_KEYS);
  return red.max(x, o.dim, o.keepdim ?? false);
}

/** Minimum over `dim` (all dims when omitted), values only (PyTorch's amin). */
export function amin(x: Tensor, options?: ReduceOptions): Tensor;
export function amin(x: Tensor, dim: red.Dims, keepdim?: boolean | ReduceOptions): Tensor;
export function amin(x: Tensor, ...args: unknown[]): Tensor {
  return aminOf(x, args);
}
/** @internal `amin` with its arguments as an array (for the Tensor method). */
export function aminOf(x: Tensor, args: readonly unknown[]): Tensor {
  const o = reduceArgs<ReduceOptions>("amin", args, REDUCE_KEYS);
  return red.min(x, o.dim, o.keepdim ?? false);
}

function singleDim(op: string, args: readonly unknown[]): DimOptions {
  const o = reduceArgs<DimOptions>(op, args, REDUCE_KEYS);
  if (Array.isArray(o.dim)) {
    throw new Error(`${op}: dim must be a single integer, got [${o.dim.join(", ")}]; use ${op === "max" || op === "min" ? "a" + op : op}(x, dims) over several dims`);
  }
  return o;
}

/** Index of the maximum along `dim` (flat index when omitted); the first one wins ties. */
export function argmax(x: Tensor, options?: DimOptions): Tensor;
export function argmax(x: Tensor, dim?: number | null, keepdim?: boolean | DimOptions): Tensor;
export function argmax(x: Tensor, ...args: unknown[]): Tensor {
  return argmaxOf(x, args);
}
/** @internal `argmax` with its arguments as an array (for the Tensor method). */
export function argmaxOf(x: Tensor, args: readonly unknown[]): Tensor {
  const o = singleDim("argmax", args);
  return red.argmax(x, o.dim, o.keepdim ?? false);
}

/** Index of the minimum along `dim` (flat index when omitted). */
export function argmin(x: Tensor, options?: DimOptions): Tensor;
export function argmin(x: Tensor, dim?: number | null, keepdim?: boolean | DimOptions): Tensor;
export function argmin(x: Tensor, ...args: unknown[]): Tensor {
  return argminOf(x, args);
}
/** @internal `argmin` with its arguments as an array (for the Tensor method). */
export function argminOf(x: Tensor, args: readonly unknown[]): Tensor {
  const o = singleDim("argmin", args);
  return red.argmin(x, o.dim, o.keepdim ?? false);
}

/**
 * max(dim) / min(dim): the values and their indices (first on ties). The gradient flows to
 * the returned index only, as in PyTorch; the full reduction max() shares it among ties.
 */
function extremeAlong(op: "max" | "min", x: Tensor, dim: number, keepdim: boolean): ValuesIndices {
  if (x.ndim === 0) {
    const r = extremeAlong(op, reshape(x, [1]), 0, false);
    return new ValuesIndices(op, r.values, r.indices);
  }
  const d = normDim(dim, x.ndim, op, x.shape);
  if (x.shape[d] === 0) throw new Error(`${op}: cannot reduce over a zero-size dimension ${d} (shape ${formatShape(x.shape)})`);
  const values = red.reduceRaw(op, x, [d], keepdim, x.dtype, op);
  const indices = op === "max" ? red.argmax(x, d, keepdim) : red.argmin(x, d, keepdim);
  record(values, op === "max" ? "MaxBackward0" : "MinBackward0", [x], (g) => {
    const idx = keepdim ? indices : unsqueeze(indices, d);
    const gk = keepdim ? g : unsqueeze(g, d);
    return [scatterAdd(filled(x.shape, 0, g.dtype, g.device), d, idx, gk)];
  }, [indices]);
  return new ValuesIndices(op, values, indices);
}

/**
 * max() / min() over every element: ties share the gradient evenly, and a NaN result sends it
 * to the NaN elements (PyTorch's evenly_distribute_backward), never NaN everywhere.
 */
function extremeAll(op: "max" | "min", x: Tensor): Tensor {
  const axes = x.shape.map((_, d) => d);
  const y = red.reduceRaw(op, x, axes, false, x.dtype, op);
  return record(y, op === "max" ? "MaxBackward1" : "MinBackward1", [x], (g) => {
    const mask = logicalOr(eq(x, y), logicalAnd(isnan(x), isnan(y)));
    return [div(mul(g, mask), red.sum(mask))];
  }, [x, y]);
}

function extremeApi(op: "max" | "min", x: Tensor, args: readonly unknown[]): Tensor | ValuesIndices {
  const first = args[0];
  if (typeof first === "object" && first !== null && !Array.isArray(first) && !isOptionsObject(first)) {
    // max(x, other): the elementwise maximum, as torch.max(input, other).
    if (args.length > 1) throw new Error(`${op}: ${op}(other) takes no further arguments`);
    return op === "max" ? maximum(x, first as Tensor) : minimum(x, first as Tensor);
  }
  const o = singleDim(op, args);
  if (o.dim === undefined || o.dim === null) {
    if (o.keepdim !== undefined) throw new Error(`${op}: keepdim needs a dim; write ${op}(dim, { keepdim: ${o.keepdim} }) or a${op}(x, { keepdim }) over all dims`);
    return extremeAll(op, x);
  }
  return extremeAlong(op, x, o.dim, o.keepdim ?? false);
}

/**
 * PyTorch's max: `max(x)` is the largest element (a 0-d tensor); `max(x, dim, keepdim?)` or
 * `max(x, { dim, keepdim })` gives `(values, indices)` (destructure it or read `.values`);
 * `max(x, other)` is the elementwise maximum. Several dims at once: `amax`.
 */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, other: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean | DimOptions): ValuesIndices;
export function max(x: Tensor, options: DimOptions & { dim: number }): ValuesIndices;
export function max(x: Tensor, ...args: unknown[]): Tensor | ValuesIndices {
  return maxOf(x, args);
}
/** @internal `max` with its arguments as an array (for the Tensor method). */
export function maxOf(x: Tensor, args: readonly unknown[]): Tensor | ValuesIndices {
  return extremeApi("max", x, args);
}

/** PyTorch's min: like `max` (values and indices along a dim; a 0-d tensor over all). */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, other: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean | DimOptions): ValuesIndices;
export function min(x: Tensor, options: DimOptions & { dim: number }): ValuesIndices;
export function min(x: Tensor, ...args: unknown[]): Tensor | ValuesIndices {
  return minOf(x, args);
}
/** @internal `min` with its arguments as an array (for the Tensor method). */
export function minOf(x: Tensor, args: readonly unknown[]): Tensor | ValuesIndices {
  return extremeApi("min", x, args);
}

