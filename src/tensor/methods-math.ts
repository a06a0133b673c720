/**
 * Tensor methods for arithmetic, math functions, comparisons and reductions. Each forwards
 * to a function in src/ops/; the interface block below gives them types and TSDoc.
 */
import type { Tensor } from "./tensor.js";
import type { TensorLike } from "../ops/op.js";
import * as ew from "../ops/elementwise.js";
import type * as red from "../ops/reduce.js";
import * as api from "../ops/reduce-api.js";
import { checkOptions, isOptionsObject } from "../ops/options.js";
import type { ValuesIndices } from "../ops/return-types.js";
import * as mm from "../ops/matmul.js";
import { softmax, logSoftmax, type SoftmaxOptions } from "../functional/activations.js";

declare module "./tensor.js" {
  interface Tensor {
    /** this + alpha·other (broadcasting). */
    add(other: TensorLike, alpha?: number | { alpha?: number }): Tensor;
    /** this − alpha·other. */
    sub(other: TensorLike, alpha?: number | { alpha?: number }): Tensor;
    /** this · other. */
    mul(other: TensorLike): Tensor;
    /** this / other (true division: integer inputs give float32). */
    div(other: TensorLike): Tensor;
    /** this ** exponent. */
    pow(exponent: TensorLike): Tensor;
    /** Python-style remainder (sign of the divisor). */
    remainder(other: TensorLike): Tensor;
    /** Elementwise maximum with `other`. */
    maximum(other: TensorLike): Tensor;
    /** Elementwise minimum with `other`. */
    minimum(other: TensorLike): Tensor;
    atan2(other: TensorLike): Tensor;
    neg(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    log1p(): Tensor;
    expm1(): Tensor;
    sqrt(): Tensor;
    rsqrt(): Tensor;
    abs(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    tanh(): Tensor;
    sigmoid(): Tensor;
    relu(): Tensor;
    sign(): Tensor;
    floor(): Tensor;
    ceil(): Tensor;
    /** Rounds half to even, like PyTorch. */
    round(): Tensor;
    reciprocal(): Tensor;
    square(): Tensor;
    erf(): Tensor;
    /** Softmax along `dim`: `x.softmax(1)` or `x.softmax({ dim: 1, dtype })`. */
    softmax(dim: number, options?: SoftmaxOptions): Tensor;
    softmax(options: SoftmaxOptions): Tensor;
    /** Log-softmax along `dim`. */
    logSoftmax(dim: number, options?: SoftmaxOptions): Tensor;
    logSoftmax(options: SoftmaxOptions): Tensor;
    /** Limits to [min, max]; either may be null. */
    clamp(min?: TensorLike | null, max?: TensorLike | null): Tensor;
    /** `x.clamp({ min: 0 })`, PyTorch's `x.clamp(min=0)`. */
    clamp(options: ClampOptions): Tensor;
    /** Alias of clamp. */
    clip(min?: TensorLike | null, max?: TensorLike | null): Tensor;
    clip(options: ClampOptions): Tensor;
    /** this where `condition`, else `other` (PyTorch's `x.where(cond, y)`). */
    where(condition: Tensor, other: TensorLike): Tensor;
    /** Comparisons return bool tensors. */
    eq(other: TensorLike): Tensor;
    ne(other: TensorLike): Tensor;
    lt(other: TensorLike): Tensor;
    le(other: TensorLike): Tensor;
    gt(other: TensorLike): Tensor;
    ge(other: TensorLike): Tensor;
    logicalAnd(other: TensorLike): Tensor;
    logicalOr(other: TensorLike): Tensor;
    logicalXor(other: TensorLike): Tensor;
    logicalNot(): Tensor;
    isnan(): Tensor;
    /**
     * Sum over `dim` (all dims when omitted); `keepdim` keeps reduced dims as size 1:
     * `x.sum(1, true)`, `x.sum(1, { keepdim: true })`, `x.sum({ dim: 1, dtype: "float64" })`.
     */
    sum(options?: api.SumOptions): Tensor;
    sum(dim: red.Dims, keepdim?: boolean | api.SumOptions, options?: api.SumOptions): Tensor;
    /** Mean over `dim` (all when omitted), positional or `{ dim, keepdim, dtype }`. */
    mean(options?: api.SumOptions): Tensor;
    mean(dim: red.Dims, keepdim?: boolean | api.SumOptions, options?: api.SumOptions): Tensor;
    /** Product over `dim` (all when omitted). */
    prod(options?: api.SumOptions): Tensor;
    prod(dim: red.Dims, keepdim?: boolean | api.SumOptions, options?: api.SumOptions): Tensor;
    /**
     * PyTorch's max: `x.max()` is the largest element (0-D); `x.max(dim)` / `x.max({ dim, keepdim })`
     * gives `(values, indices)` — `const [v, i] = x.max(1)` or `x.max(1).values`; the gradient
     * goes to the returned index. `x.max(other)` is the elementwise maximum. Several dims: `amax`.
     */
    max(): Tensor;
    max(other: Tensor): Tensor;
    max(dim: number, keepdim?: boolean | api.DimOptions): ValuesIndices;
    max(options: api.DimOptions & { dim: number }): ValuesIndices;
    /** PyTorch's min: like `max` (`(values, indices)` along a dim, a 0-D tensor over all). */
    min(): Tensor;
    min(other: Tensor): Tensor;
    min(dim: number, keepdim?: boolean | api.DimOptions): ValuesIndices;
    min(options: api.DimOptions & { dim: number }): ValuesIndices;
    /** @deprecated use `x.max(dim)`, which returns (values, indices) as in PyTorch. */
    maxWithIndices(dim: number, keepdim?: boolean): [Tensor, Tensor];
    /** @deprecated use `x.min(dim)`. */
    minWithIndices(dim: number, keepdim?: boolean): [Tensor, Tensor];
    /** Index of the maximum along `dim` (flat index when omitted); first on ties. */
    argmax(options?: api.DimOptions): Tensor;
    argmax(dim?: number | null, keepdim?: boolean | api.DimOptions): Tensor;
    argmin(options?: api.DimOptions): Tensor;
    argmin(dim?: number | null, keepdim?: boolean | api.DimOptions): Tensor;
    /**
     * Variance, Bessel-corrected unless `{ correction: 0 }` / `{ unbiased: false }`:
     * `x.var(1, { keepdim: true })`, `x.var({ dim: 1, correction: 0 })`, or PyTorch's
     * positional `x.var(dim, unbiased, keepdim)`.
     */
    var(options?: api.VarOptions): Tensor;
    var(dim: red.Dims, keepdim?: boolean | api.VarOptions, options?: api.VarOptions): Tensor;
    var(dim: red.Dims, unbiased: boolean, keepdim: boolean): Tensor;
    /** Standard deviation; same arguments as `var`. */
    std(options?: api.VarOptions): Tensor;
    std(dim: red.Dims, keepdim?: boolean | api.VarOptions, options?: api.VarOptions): Tensor;
    std(dim: red.Dims, unbiased: boolean, keepdim: boolean): Tensor;
    logsumexp(options?: api.ReduceOptions): Tensor;
    logsumexp(dim: red.Dims, keepdim?: boolean | api.ReduceOptions): Tensor;
    all(options?: api.ReduceOptions): Tensor;
    all(dim: red.Dims, keepdim?: boolean | api.ReduceOptions): Tensor;
    any(options?: api.ReduceOptions): Tensor;
    any(dim: red.Dims, keepdim?: boolean | api.ReduceOptions): Tensor;
    /** Matrix product with PyTorch's broadcasting rules. */
    matmul(other: Tensor): Tensor;
    /** 2-D matrix product. */
    mm(other: Tensor): Tensor;
    /** 1-D dot product. */
    dot(other: Tensor): Tensor;
  }
}

/** Attaches the math methods to the Tensor prototype. */
export function installMathMethods(proto: Tensor): void {
  proto.add = function (o, alphaIn) {
    const alpha = alphaOf("add", alphaIn);
    return ew.add(this, alpha === 1 ? o : scaled(o, alpha));
  };
  proto.sub = function (o, alphaIn) {
    const alpha = alphaOf("sub", alphaIn);
    return ew.sub(this, alpha === 1 ? o : scaled(o, alpha));
  };
  proto.mul = function (o) { return ew.mul(this, o); };
  proto.div = function (o) { return ew.div(this, o); };
  proto.pow = function (o) { return ew.pow(this, o); };
  proto.remainder = function (o) { return ew.remainder(this, o); };
  proto.maximum = function (o) { return ew.maximum(this, o); };
  proto.minimum = function (o) { return ew.minimum(this, o); };
  proto.atan2 = function (o) { return ew.atan2(this, o); };
  proto.neg = function () { return ew.neg(this); };
  proto.exp = function () { return ew.exp(this); };
  proto.log = function () { return ew.log(this); };
  proto.log1p = function () { return ew.log1p(this); };
  proto.expm1 = function () { return ew.expm1(this); };
  proto.sqrt = function () { return ew.sqrt(this); };
  proto.rsqrt = function () { return ew.rsqrt(this); };
  proto.abs = function () { return ew.abs(this); };
  proto.sin = function () { return ew.sin(this); };
  proto.cos = function () { return ew.cos(this); };
  proto.tanh = function () { return ew.tanh(this); };
  proto.sigmoid = function () { return ew.sigmoid(this); };
  proto.relu = function () { return ew.relu(this); };
  proto.sign = function () { return ew.sign(this); };
  proto.floor = function () { return ew.floor(this); };
  proto.ceil = function () { return ew.ceil(this); };
  proto.round = function () { return ew.round(this); };
  proto.reciprocal = function () { return ew.reciprocal(this); };
  proto.square = function () { return ew.square(this); };
  proto.erf = function () { return ew.erf(this); };
  proto.softmax = function (dim: number | SoftmaxOptions, options?: SoftmaxOptions) { return softmax(this, dim, options); };
  proto.logSoftmax = function (dim: number | SoftmaxOptions, options?: SoftmaxOptions) { return logSoftmax(this, dim, options); };
  proto.clamp = function (lo?: TensorLike | null | ClampOptions, hi?: TensorLike | null) { return ew.clamp(this, ...clampArgs("clamp", lo, hi)); };
  proto.clip = function (lo?: TensorLike | null | ClampOptions, hi?: TensorLike | null) { return ew.clamp(this, ...clampArgs("clip", lo, hi)); };
  proto.where = function (cond, other) { return ew.where(cond, this, other); };
  proto.eq = function (o) { return ew.eq(this, o); };
  proto.ne = function (o) { return ew.ne(this, o); };
  proto.lt = function (o) { return ew.lt(this, o); };
  proto.le = function (o) { return ew.le(this, o); };
  proto.gt = function (o) { return ew.gt(this, o); };
  proto.ge = function (o) { return ew.ge(this, o); };
  proto.logicalAnd = function (o) { return ew.logicalAnd(this, o); };
  proto.logicalOr = function (o) { return ew.logicalOr(this, o); };
  proto.logicalXor = function (o) { return ew.logicalXor(this, o); };
  proto.logicalNot = function () { return ew.logicalNot(this); };
  proto.isnan = function () { return ew.isnan(this); };
  proto.sum = function (...args: unknown[]) { return api.sumOf(this, args); };
  proto.mean = function (...args: unknown[]) { return api.meanOf(this, args); };
  proto.prod = function (...args: unknown[]) { return api.prodOf(this, args); };
  proto.max = function (this: Tensor, ...args: unknown[]) { return api.maxOf(this, args); } as Tensor["max"];
  proto.min = function (this: Tensor, ...args: unknown[]) { return api.minOf(this, args); } as Tensor["min"];
  proto.maxWithIndices = function (dim, keepdim = false) {
    const r = api.max(this, dim, keepdim);
    return [r.values, r.indices];
  };
  proto.minWithIndices = function (dim, keepdim = false) {
    const r = api.min(this, dim, keepdim);
    return [r.values, r.indices];
  };
  proto.argmax = function (...args: unknown[]) { return api.argmaxOf(this, args); };
  proto.argmin = function (...args: unknown[]) { return api.argminOf(this, args); };
  proto.var = function (...args: unknown[]) { return api.varianceOf(this, args); };
  proto.std = function (...args: unknown[]) { return api.stdOf(this, args); };
  proto.logsumexp = function (...args: unknown[]) { return api.logsumexpOf(this, args); };
  proto.all = function (...args: unknown[]) { return api.allOf(this, args); };
  proto.any = function (...args: unknown[]) { return api.anyOf(this, args); };
  proto.matmul = function (o) { return mm.matmul(this, o); };
  proto.mm = function (o) { return mm.mm(this, o); };
  proto.dot = function (o) { return mm.dot(this, o); };
}

function scaled(o: TensorLike, alpha: number): TensorLike {
  return typeof o === "object" ? ew.mul(o, alpha) : Number(o) * alpha;
}

/** Keyword options of clamp/clip (PyTorch's `min=`, `max=`). */
export interface ClampOptions {
  min?: TensorLike | null;
  max?: TensorLike | null;
}

function clampArgs(op: string, lo: TensorLike | null | ClampOptions | undefined, hi: TensorLike | null | undefined): [TensorLike | null | undefined, TensorLike | null | undefined] {
  if (!isOptionsObject(lo)) return [lo as TensorLike | null | undefined, hi];
  if (hi !== undefined) throw new Error(`${op}: give min and max either positionally or as { min, max }, not both`);
  const o = checkOptions<ClampOptions>(op, lo, ["min", "max"]);
  return [o.min, o.max];
}

function alphaOf(op: string, alpha: number | { alpha?: number } | undefined): number {
  if (alpha === undefined) return 1;
  if (isOptionsObject(alpha)) return checkOptions<{ alpha?: number }>(op, alpha, ["alpha"]).alpha ?? 1;
  if (typeof alpha !== "number") throw new Error(`${op}: alpha must be a number, got ${typeof alpha}`);
  return alpha;
}
