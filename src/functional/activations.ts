/**
 * Activation functions of nn.functional: step, sigmoid, tanh, relu, leakyRelu, elu, selu, gelu,
 * silu, softplus, softsign, hardtanh, relu6, and the numerically stable softmax / logSoftmax.
 * Built from the primitives in src/ops/elementwise.ts; modules wrapping them live in src/nn/.
 */
import { Tensor } from "../tensor/tensor.js";
import { normDim } from "../tensor/shape.js";
import * as ew from "../ops/elementwise.js";
import { reduceRaw, logsumexp, sum } from "../ops/reduce.js";
import { requireFloat } from "../ops/op.js";

/** Heaviside step: 1 for x > 0, 0 for x < 0, `valueAtZero` (default 1) at 0. Carries no gradient. */
export function step(x: Tensor, valueAtZero = 1): Tensor {
  return ew.step(x, valueAtZero);
}

/** 1 / (1 + e^-x). */
export const sigmoid = (x: Tensor): Tensor => ew.sigmoid(x);
/** Hyperbolic tangent. */
export const tanh = (x: Tensor): Tensor => ew.tanh(x);
/** max(0, x). */
export const relu = (x: Tensor): Tensor => ew.relu(x);
/** min(max(0, x), 6). */
export const relu6 = (x: Tensor): Tensor => ew.clamp(x, 0, 6);
/** x for x > 0, negativeSlope·x otherwise (default slope 0.01, like PyTorch). */
export const leakyRelu = (x: Tensor, negativeSlope = 0.01): Tensor => ew.leakyRelu(x, negativeSlope);
/** x for x > 0, alpha·(e^x − 1) otherwise. */
export const elu = (x: Tensor, alpha = 1): Tensor => ew.elu(x, alpha);
/** Scaled ELU with PyTorch's constants. */
export const selu = (x: Tensor): Tensor => ew.mul(ew.elu(x, 1.6732632423543772), 1.0507009873554805);
/** clamp(x, minVal, maxVal). */
export const hardtanh = (x: Tensor, minVal = -1, maxVal = 1): Tensor => ew.clamp(x, minVal, maxVal);
/** x · sigmoid(x) (a.k.a. swish). */
export const silu = (x: Tensor): Tensor => ew.mul(x, ew.sigmoid(x));
/** x / (1 + |x|). */
export const softsign = (x: Tensor): Tensor => ew.div(x, ew.add(ew.abs(x), 1));

/**
 * Gaussian error linear unit: x·Φ(x) exactly, or the tanh approximation with
 * `approximate: "tanh"`, like PyTorch.
 */
export function gelu(x: Tensor, approximate: "none" | "tanh" = "none"): Tensor {
  if (approximate === "tanh") {
    const inner = ew.mul(ew.add(x, ew.mul(ew.powScalar(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
    return ew.mul(ew.mul(x, 0.5), ew.add(ew.tanh(inner), 1));
  }
  return ew.mul(ew.mul(x, 0.5), ew.add(ew.erf(ew.mul(x, Math.SQRT1_2)), 1));
}

/** log(1 + e^(beta·x)) / beta, linear above `threshold` (PyTorch's defaults beta 1, threshold 20). */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  if (beta === 1 && threshold === 20) return ew.softplusPrimitive(x);
  const bx = ew.mul(x, beta);
  return ew.where(ew.gt(bx, threshold), x, ew.div(ew.log1p(ew.exp(bx)), beta));
}

/** exp(x) / sum(exp(x)) along `dim`, shifted by the max for stability. */
export function softmax(x: Tensor, dim: number): Tensor {
  requireFloat("softmax", x);
  const d = normDim(dim, x.ndim, "softmax", x.shape);
  // The max is not recorded on the tape: shifting by a constant changes neither value nor gradient.
  const m = reduceRaw("max", x, [d], true, x.dtype, "softmax");
  const e = ew.exp(ew.sub(x, m));
  return ew.div(e, sum(e, d, true));
}

/** log(softmax(x)) along `dim`, computed as x − logsumexp(x). */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  requireFloat("logSoftmax", x);
  const d = normDim(dim, x.ndim, "logSoftmax", x.shape);
  return ew.sub(x, logsumexp(x, d, true));
}

/** exp(−x) normalised along `dim` (softmin). */
export const softmin = (x: Tensor, dim: number): Tensor => softmax(ew.neg(x), dim);
