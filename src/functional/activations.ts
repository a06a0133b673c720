/**
 * Activation functions of nn.functional: step, sigmoid, tanh, relu, leakyRelu, elu, selu, gelu,
 * silu, softplus, logSigmoid, softsign, hardtanh, relu6, and the numerically stable softmax / logSoftmax.
 * Built from the primitives in src/ops/elementwise.ts; modules wrapping them live in src/nn/.
 */
import { Tensor } from "../tensor/tensor.js";
import { normDim } from "../tensor/shape.js";
import * as ew from "../ops/elementwise.js";
import { reduceRaw, logsumexp, sum } from "../ops/reduce.js";
import { floatInput } from "../ops/op.js";
import { cast, detach } from "../ops/movement.js";
import type { DType } from "../tensor/dtype.js";
import { checkChoice, checkKwargs } from "./choice.js";
import { torchNamed } from "../autograd/torch-name.js";

/** PyTorch's `inplace` keyword: accepted as false; true says what to write instead. */
export interface InplaceOption {
  inplace?: boolean;
}

function noInplace(op: string, inplace: unknown): void {
  if (inplace !== undefined && inplace !== false) {
    throw new Error(`${op}: option inplace=${String(inplace)} is not supported (gradnote's functional ops return a new tensor); write x = F.${op}(x, …)`);
  }
}

/** An optional trailing `{ inplace }` object of an activation without other options. */
function inplaceOnly(op: string, options: InplaceOption | undefined): void {
  if (options !== undefined) noInplace(op, checkKwargs(op, options, ["inplace"]).inplace);
}

/** A scalar argument given positionally or as the key `name` of an options object (PyTorch's keyword). */
function scalarArg<O extends object>(op: string, v: number | O | undefined, name: keyof O & string, keys: readonly (keyof O & string)[], fallback: number): [number, O] {
  if (v === undefined || typeof v === "number") return [v ?? fallback, {} as O];
  const o = checkKwargs(op, v, keys);
  const got = (o as Record<string, unknown>)[name];
  if (got !== undefined && typeof got !== "number") throw new Error(`${op}: ${name} must be a number, got ${typeof got}`);
  return [(got as number | undefined) ?? fallback, o];
}

/** Heaviside step: 1 for x > 0, 0 for x < 0, `valueAtZero` (default 1) at 0. Carries no gradient. */
export function step(x: Tensor, valueAtZero = 1): Tensor {
  return ew.step(x, valueAtZero);
}

/** 1 / (1 + e^-x). */
export const sigmoid = (x: Tensor): Tensor => ew.sigmoid(x);
/** Hyperbolic tangent. */
export const tanh = (x: Tensor): Tensor => ew.tanh(x);
/** max(0, x). */
export function relu(x: Tensor, options?: InplaceOption): Tensor {
  if (options !== undefined) inplaceOnly("relu", options);
  return ew.relu(x);
}
/** min(max(0, x), 6); the gradient is 0 at 0 and 6, as in PyTorch (hardtanh's rule). */
export function relu6(x: Tensor, options?: InplaceOption): Tensor {
  if (options !== undefined) inplaceOnly("relu6", options);
  return hardtanh(x, 0, 6);
}
/** x for x > 0, negativeSlope·x otherwise (default slope 0.01, like PyTorch); or `{ negativeSlope }`. */
export function leakyRelu(x: Tensor, negativeSlope: number | { negativeSlope?: number; inplace?: boolean } = 0.01, inplace?: boolean): Tensor {
  const [slope, o] = scalarArg("leakyRelu", negativeSlope, "negativeSlope", ["negativeSlope", "inplace"], 0.01);
  noInplace("leakyRelu", inplace ?? o.inplace);
  return ew.leakyRelu(x, slope);
}
/** x for x > 0, alpha·(e^x − 1) otherwise; or `{ alpha }`. */
export function elu(x: Tensor, alpha: number | { alpha?: number; inplace?: boolean } = 1, inplace?: boolean): Tensor {
  const [a, o] = scalarArg("elu", alpha, "alpha", ["alpha", "inplace"], 1);
  noInplace("elu", inplace ?? o.inplace);
  return ew.elu(x, a);
}
/** Scaled ELU with PyTorch's constants. */
export function selu(x: Tensor, options?: InplaceOption): Tensor {
  if (options !== undefined) inplaceOnly("selu", options);
  return torchNamed(ew.mul(ew.elu(x, 1.6732632423543772), 1.0507009873554805), "Elu", [x]);
}
/**
 * clamp(x, minVal, maxVal), with PyTorch's gradient: it passes strictly inside (minVal, maxVal)
 * and is 0 at the bounds (where `clamp` passes it). Also `hardtanh(x, { minVal, maxVal })`.
 */
export function hardtanh(x: Tensor, minVal: number | { minVal?: number; maxVal?: number; inplace?: boolean } = -1, maxVal = 1): Tensor {
  if (typeof minVal === "object") {
    const o = checkKwargs("hardtanh", minVal, ["minVal", "maxVal", "inplace"]);
    noInplace("hardtanh", o.inplace);
    return hardtanh(x, o.minVal ?? -1, o.maxVal ?? 1);
  }
  // PyTorch zeroes the gradient where x <= min or x >= max, so a NaN input passes it.
  const inside = ew.logicalNot(ew.logicalOr(ew.le(x, minVal), ew.ge(x, maxVal)));
  return torchNamed(ew.where(inside, x, ew.clamp(detach(x), minVal, maxVal)), "Hardtanh", [x]);
}
/** x · sigmoid(x) (a.k.a. swish). */
export function silu(x: Tensor, options?: InplaceOption): Tensor {
  if (options !== undefined) inplaceOnly("silu", options);
  return torchNamed(ew.mul(x, ew.sigmoid(x)), "Silu", [x]);
}
/** x / (1 + |x|). */
export const softsign = (x: Tensor): Tensor => ew.div(x, ew.add(ew.abs(x), 1));

/**
 * Gaussian error linear unit: x·Φ(x) exactly, or the tanh approximation with
 * `F.gelu(x, { approximate: "tanh" })`, like PyTorch.
 */
export function gelu(x: Tensor, approximate: "none" | "tanh" | { approximate?: "none" | "tanh" } = "none"): Tensor {
  const a = typeof approximate === "object" ? (checkKwargs("gelu", approximate, ["approximate"]).approximate ?? "none") : approximate;
  if (checkChoice("gelu", "approximate", a, ["none", "tanh"] as const) === "tanh") {
    const inner = ew.mul(ew.add(x, ew.mul(ew.powScalar(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
    return torchNamed(ew.mul(ew.mul(x, 0.5), ew.add(ew.tanh(inner), 1)), "Gelu", [x]);
  }
  return torchNamed(ew.mul(ew.mul(x, 0.5), ew.add(ew.erf(ew.mul(x, Math.SQRT1_2)), 1)), "Gelu", [x]);
}

/**
 * log(1 + e^(beta·x)) / beta, linear above `threshold` (PyTorch's defaults beta 1, threshold 20);
 * or `softplus(x, { beta, threshold })`.
 */
export function softplus(x: Tensor, beta: number | { beta?: number; threshold?: number } = 1, threshold = 20): Tensor {
  if (typeof beta === "object") {
    const o = checkKwargs("softplus", beta, ["beta", "threshold"]);
    return softplus(x, o.beta ?? 1, o.threshold ?? 20);
  }
  if (beta === 1 && threshold === 20) return ew.softplusPrimitive(x);
  // The stable primitive on beta·x: log1p(exp(beta·x)) would overflow in the branch `where`
  // does not take and turn the gradient into NaN.
  const bx = ew.mul(x, beta);
  return torchNamed(ew.where(ew.gt(bx, threshold), x, ew.div(ew.softplusPrimitive(bx), beta)), "Softplus", [x]);
}

/** log(sigmoid(x)) = −softplus(−x), finite for any finite x (PyTorch's `F.logsigmoid`). */
export function logSigmoid(x: Tensor): Tensor {
  x = floatInput("logSigmoid", x);
  return torchNamed(ew.neg(ew.softplusPrimitive(ew.neg(x))), "LogSigmoid", [x]);
}

/** Options of softmax, logSoftmax and softmin (PyTorch's keyword arguments). */
export interface SoftmaxOptions {
  /** The dim to normalise along (required, as PyTorch's implicit choice is deprecated). */
  dim?: number;
  /** Cast the input to this dtype first (e.g. "float64"). */
  dtype?: DType;
}

/** `(x, 1)`, `(x, { dim: 1 })` or `(x, 1, { dtype })` → the (cast) input and the dim. */
function softmaxArgs(op: string, x: Tensor, dim: number | SoftmaxOptions | undefined, options: SoftmaxOptions | undefined): [Tensor, number] {
  const o = checkKwargs(op, typeof dim === "object" && dim !== null ? dim : options, ["dim", "dtype"], { _stacklevel: "an internal PyTorch argument" });
  if (typeof dim === "number" && o.dim !== undefined) throw new Error(`${op}: got dim twice (${dim} and { dim: ${o.dim} })`);
  const d = typeof dim === "number" ? dim : o.dim;
  if (d === undefined || d === null) throw new Error(`${op}: dim is required (PyTorch's implicit dim choice is deprecated); write F.${op}(x, { dim: 1 })`);
  if (!(x instanceof Tensor)) throw new Error(`${op}: expected a Tensor, got ${x === null ? "null" : typeof x}`);
  return [o.dtype ? cast(x, o.dtype) : x, d];
}

/** exp(x) / sum(exp(x)) along `dim`, shifted by the max for stability: `F.softmax(x, 1)` or `F.softmax(x, { dim: 1 })`. */
export function softmax(x: Tensor, dim: number | SoftmaxOptions, options?: SoftmaxOptions): Tensor {
  let d: number;
  if (typeof dim !== "number" || options !== undefined) [x, d] = softmaxArgs("softmax", x, dim, options);
  else d = dim;
  x = floatInput("softmax", x);
  d = normDim(d, x.ndim, "softmax", x.shape);
  // The max is not recorded on the tape: shifting by a constant changes neither value nor gradient.
  const m = reduceRaw("max", x, [d], true, x.dtype, "softmax");
  const e = ew.exp(ew.sub(x, m));
  return torchNamed(ew.div(e, sum(e, d, true)), "Softmax", [x]);
}

/** log(softmax(x)) along `dim`, computed as x − logsumexp(x); `dim` may be given as `{ dim }`. */
export function logSoftmax(x: Tensor, dim: number | SoftmaxOptions, options?: SoftmaxOptions): Tensor {
  let d: number;
  if (typeof dim !== "number" || options !== undefined) [x, d] = softmaxArgs("logSoftmax", x, dim, options);
  else d = dim;
  x = floatInput("logSoftmax", x);
  d = normDim(d, x.ndim, "logSoftmax", x.shape);
  // Shifted by the row max as PyTorch's kernel (not logsumexp, which shifts an infinite max by
  // 0): a row holding +inf or only −inf is NaN throughout, as in PyTorch.
  const s = ew.sub(x, reduceRaw("max", x, [d], true, x.dtype, "logSoftmax"));
  return torchNamed(ew.sub(s, ew.log(sum(ew.exp(s), d, true))), "LogSoftmax", [x]);
}

/** exp(−x) normalised along `dim` (softmin). */
export function softmin(x: Tensor, dim: number | SoftmaxOptions, options?: SoftmaxOptions): Tensor {
  const [xc, d] = softmaxArgs("softmin", x, dim, options);
  return softmax(ew.neg(xc), d);
}
