/**
 * Tensor methods for arithmetic, math functions, comparisons and reductions. Each forwards
 * to a function in src/ops/; the interface block below gives them types and TSDoc.
 */
import type { Tensor } from "./tensor.js";
import type { TensorLike } from "../ops/op.js";
import * as ew from "../ops/elementwise.js";
import * as red from "../ops/reduce.js";
import * as mm from "../ops/matmul.js";
import { softmax, logSoftmax } from "../functional/activations.js";

declare module "./tensor.js" {
  interface Tensor {
    /** this + alpha·other (broadcasting). */
    add(other: TensorLike, alpha?: number): Tensor;
    /** this − alpha·other. */
    sub(other: TensorLike, alpha?: number): Tensor;
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
    /** Softmax along `dim`. */
    softmax(dim: number): Tensor;
    /** Log-softmax along `dim`. */
    logSoftmax(dim: number): Tensor;
    /** Limits to [min, max]; either may be null. */
    clamp(min?: TensorLike | null, max?: TensorLike | null): Tensor;
    /** Alias of clamp. */
    clip(min?: TensorLike | null, max?: TensorLike | null): Tensor;
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
    /** Sum over `dim` (all dims when omitted); `keepdim` keeps reduced dims as size 1. */
    sum(dim?: red.Dims, keepdim?: boolean): Tensor;
    mean(dim?: red.Dims, keepdim?: boolean): Tensor;
    prod(dim?: red.Dims, keepdim?: boolean): Tensor;
    /** Maximum over `dim` (all when omitted), values only; with a tensor argument, the elementwise maximum. */
    max(dim?: red.Dims | Tensor, keepdim?: boolean): Tensor;
    /** Minimum over `dim` (all when omitted), values only; with a tensor argument, the elementwise minimum. */
    min(dim?: red.Dims | Tensor, keepdim?: boolean): Tensor;
    /** Maximum and its index along `dim`, like PyTorch's `x.max(dim)` tuple. */
    maxWithIndices(dim: number, keepdim?: boolean): [Tensor, Tensor];
    /** Minimum and its index along `dim`. */
    minWithIndices(dim: number, keepdim?: boolean): [Tensor, Tensor];
    /** Index of the maximum along `dim` (flat index when omitted), int32. */
    argmax(dim?: number | null, keepdim?: boolean): Tensor;
    argmin(dim?: number | null, keepdim?: boolean): Tensor;
    /** Variance (Bessel-corrected unless `{ correction: 0 }`). */
    var(dim?: red.Dims, keepdim?: boolean, options?: red.VarOptions): Tensor;
    std(dim?: red.Dims, keepdim?: boolean, options?: red.VarOptions): Tensor;
    logsumexp(dim?: red.Dims, keepdim?: boolean): Tensor;
    all(dim?: red.Dims, keepdim?: boolean): Tensor;
    any(dim?: red.Dims, keepdim?: boolean): Tensor;
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
  proto.add = function (o, alpha = 1) { return ew.add(this, alpha === 1 ? o : scaled(o, alpha)); };
  proto.sub = function (o, alpha = 1) { return ew.sub(this, alpha === 1 ? o : scaled(o, alpha)); };
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
  proto.softmax = function (dim) { return softmax(this, dim); };
  proto.logSoftmax = function (dim) { return logSoftmax(this, dim); };
  proto.clamp = function (lo, hi) { return ew.clamp(this, lo, hi); };
  proto.clip = function (lo, hi) { return ew.clamp(this, lo, hi); };
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
  proto.sum = function (dim, keepdim) { return red.sum(this, dim, keepdim); };
  proto.mean = function (dim, keepdim) { return red.mean(this, dim, keepdim); };
  proto.prod = function (dim, keepdim) { return red.prod(this, dim, keepdim); };
  proto.max = function (dim, keepdim) {
    return isTensor(dim) ? ew.maximum(this, dim) : red.max(this, dim, keepdim);
  };
  proto.min = function (dim, keepdim) {
    return isTensor(dim) ? ew.minimum(this, dim) : red.min(this, dim, keepdim);
  };
  proto.maxWithIndices = function (dim, keepdim = false) {
    return [red.max(this, dim, keepdim), red.argmax(this, dim, keepdim)];
  };
  proto.minWithIndices = function (dim, keepdim = false) {
    return [red.min(this, dim, keepdim), red.argmin(this, dim, keepdim)];
  };
  proto.argmax = function (dim, keepdim) { return red.argmax(this, dim, keepdim); };
  proto.argmin = function (dim, keepdim) { return red.argmin(this, dim, keepdim); };
  proto.var = function (dim, keepdim, options) { return red.variance(this, dim, keepdim, options); };
  proto.std = function (dim, keepdim, options) { return red.std(this, dim, keepdim, options); };
  proto.logsumexp = function (dim, keepdim) { return red.logsumexp(this, dim, keepdim); };
  proto.all = function (dim, keepdim) { return red.all(this, dim, keepdim); };
  proto.any = function (dim, keepdim) { return red.any(this, dim, keepdim); };
  proto.matmul = function (o) { return mm.matmul(this, o); };
  proto.mm = function (o) { return mm.mm(this, o); };
  proto.dot = function (o) { return mm.dot(this, o); };
}

function scaled(o: TensorLike, alpha: number): TensorLike {
  return typeof o === "object" ? ew.mul(o, alpha) : Number(o) * alpha;
}

function isTensor(v: unknown): v is Tensor {
  return typeof v === "object" && v !== null && !Array.isArray(v) && "strides" in v;
}
