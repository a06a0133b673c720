/**
 * Other nn.functional pieces: dropout, oneHot, embedding, normalize, cosineSimilarity,
 * pairwiseDistance, layerNorm and batchNorm (the modules in src/nn/ hold their parameters
 * and running statistics and call these).
 */
import { Tensor } from "../tensor/tensor.js";
import { formatShape } from "../tensor/shape.js";
import * as ew from "../ops/elementwise.js";
import { mean, sum, variance, reduceRaw } from "../ops/reduce.js";
import { indexSelect } from "../ops/indexing.js";
import { norm } from "../ops/norm.js";
import { reshape, cast, detach } from "../ops/movement.js";
import { asIndex, floatInput } from "../ops/op.js";
import { arange, randLike } from "../tensor/creation.js";
import { noGrad } from "../autograd/grad-mode.js";
import { add_, mul_ } from "../ops/inplace.js";
import type { Generator } from "../random.js";
import { checkKwargs } from "./choice.js";

/** Options of dropout (PyTorch's keyword arguments). */
export interface DropoutOptions {
  /** Probability of zeroing an element [0.5]. */
  p?: number;
  /** Apply dropout (true) or return the input (false) [true]. */
  training?: boolean;
  /** PyTorch's in-place flag; only false is accepted. */
  inplace?: boolean;
  /** Random source (default: the global generator). */
  generator?: Generator;
}

/**
 * Zeroes each element with probability `p` and scales the rest by 1/(1 − p) when `training`;
 * identity otherwise (PyTorch's inverted dropout).
 */
export function dropout(x: Tensor, p: number | DropoutOptions = 0.5, training = true, options: { generator?: Generator } = {}): Tensor {
  if (typeof p === "object") {
    const o = checkKwargs("dropout", p, ["p", "training", "inplace", "generator"]);
    if (o.inplace) throw new Error("dropout: option inplace=true is not supported (gradnote's functional ops return a new tensor); write x = F.dropout(x, { p, training })");
    return dropout(x, o.p ?? 0.5, o.training ?? true, { generator: o.generator });
  }
  checkKwargs("dropout", options, ["generator"]);
  if (!(p >= 0 && p <= 1)) throw new Error(`dropout: probability has to be between 0 and 1, but got ${p}`);
  if (!training || p === 0) return x;
  x = floatInput("dropout", x);
  if (p === 1) return ew.mul(x, 0);
  const keep = ew.lt(randLike(x, { generator: options.generator }), 1 - p);
  return ew.mul(x, ew.div(cast(keep, x.dtype), 1 - p));
}

function allDims(t: Tensor): number[] {
  return [...t.shape.keys()];
}

/** One-hot int64 encoding [..., numClasses] of integer class indices; -1 means max + 1 classes. */
export function oneHot(labels: Tensor, numClasses: number | { numClasses?: number } = -1): Tensor {
  if (typeof numClasses === "object") numClasses = checkKwargs("oneHot", numClasses, ["numClasses"]).numClasses ?? -1;
  labels = asIndex("oneHot", labels, "labels");
  const n = labels.numel();
  const lo = n ? reduceRaw("min", labels, allDims(labels), false, "int32", "oneHot").item() : 0;
  const hi = n ? reduceRaw("max", labels, allDims(labels), false, "int32", "oneHot").item() : -1;
  const classes = numClasses === -1 ? hi + 1 : numClasses;
  if (lo < 0) throw new Error(`oneHot: class values must be non-negative, got ${lo}`);
  if (hi >= classes) throw new Error(`oneHot: class value ${hi} is too large for numClasses ${classes}`);
  const hot = ew.eq(reshape(labels, [...labels.shape, 1]), arange(classes, { device: labels.device }));
  return cast(hot, "int64");
}

/** Rows of `weight` [num, dim] picked by int32 `input` of any shape → [...input.shape, dim]. */
export function embedding(input: Tensor, weight: Tensor, options: { paddingIdx?: number | null } = {}): Tensor {
  const o = checkKwargs("embedding", options, ["paddingIdx"], {
    maxNorm: "renormalise the weight yourself under noGrad", normType: "renormalise the weight yourself under noGrad",
    scaleGradByFreq: "not implemented in gradnote", sparse: "gradients are always dense in gradnote",
  });
  input = asIndex("embedding", input, "input");
  if (weight.ndim !== 2) throw new Error(`embedding: weight must be 2-D [num, dim], got ${formatShape(weight.shape)}`);
  const rows = reshape(indexSelect(weight, 0, reshape(input, [-1])), [...input.shape, weight.shape[1]]);
  if (o.paddingIdx === undefined || o.paddingIdx === null) return rows;
  const n = weight.shape[0];
  if (!Number.isInteger(o.paddingIdx) || o.paddingIdx < -n || o.paddingIdx >= n) throw new Error(`embedding: paddingIdx ${o.paddingIdx} must be within the ${n} rows of weight`);
  // The padding row contributes its value but receives no gradient, as in PyTorch.
  const pad = o.paddingIdx < 0 ? o.paddingIdx + n : o.paddingIdx;
  return ew.where(reshape(ew.eq(input, pad), [...input.shape, 1]), detach(rows), rows);
}

/** x / max(‖x‖_p, eps) along `dim` (default p 2, dim 1); or `normalize(x, { p, dim, eps })`. */
export function normalize(x: Tensor, p: number | { p?: number; dim?: number; eps?: number } = 2, dim = 1, eps = 1e-12): Tensor {
  if (typeof p === "object") {
    const o = checkKwargs("normalize", p, ["p", "dim", "eps"]);
    return normalize(x, o.p ?? 2, o.dim ?? 1, o.eps ?? 1e-12);
  }
  return ew.div(x, ew.clamp(pNorm(x, p, dim), eps));
}

/**
 * ‖x‖_p along `dim` (kept) through `norm`, so p = ±inf and 0 mean what they mean in PyTorch
 * (the Σ|x|^p composite read p = inf as 1), with its gradient: 0 where the norm is 0.
 */
function pNorm(x: Tensor, p: number, dim: number): Tensor {
  // Integer input computes in float32, as the other float-only ops (norm itself refuses it).
  return norm(floatInput("norm", x), { p, dim, keepdim: true });
}

/** max(n, eps) in value with the gradient of n, as PyTorch clamps norms under no_grad. */
function clampValue(n: Tensor, eps: number): Tensor {
  const fixed = detach(n);
  return ew.add(ew.clamp(fixed, eps), ew.sub(n, fixed));
}

/** Cosine similarity along `dim` (default 1); or `cosineSimilarity(a, b, { dim, eps })`. */
export function cosineSimilarity(x1: Tensor, x2: Tensor, dim: number | { dim?: number; eps?: number } = 1, eps = 1e-8): Tensor {
  if (typeof dim === "object") {
    const o = checkKwargs("cosineSimilarity", dim, ["dim", "eps"]);
    return cosineSimilarity(x1, x2, o.dim ?? 1, o.eps ?? 1e-8);
  }
  // PyTorch's formula: each side divided by its norm clamped at eps, then the dot product.
  const u1 = ew.div(x1, clampValue(pNorm(x1, 2, dim), eps));
  const u2 = ew.div(x2, clampValue(pNorm(x2, 2, dim), eps));
  return sum(ew.mul(u1, u2), dim);
}

/** ‖x1 − x2 + eps‖_p along the last dim; or `pairwiseDistance(a, b, { p, eps })`. */
export function pairwiseDistance(x1: Tensor, x2: Tensor, p: number | { p?: number; eps?: number } = 2, eps = 1e-6): Tensor {
  if (typeof p === "object") {
    const o = checkKwargs("pairwiseDistance", p, ["p", "eps"], { keepdim: "the distance has the last dim removed" });
    return pairwiseDistance(x1, x2, o.p ?? 2, o.eps ?? 1e-6);
  }
  // PyTorch: norm(x1 − x2 + eps, p, −1); `norm` handles p = ±inf and 0.
  return norm(ew.add(ew.sub(x1, x2), eps), { p, dim: -1 });
}

/** Layer normalisation over the trailing `normalizedShape` dims, with optional affine weight/bias. */
export function layerNorm(x: Tensor, normalizedShape: readonly number[], weight?: Tensor | null | { weight?: Tensor | null; bias?: Tensor | null; eps?: number }, bias?: Tensor | null, eps = 1e-5): Tensor {
  if (weight !== null && weight !== undefined && !(weight instanceof Tensor)) {
    const o = checkKwargs("layerNorm", weight, ["weight", "bias", "eps"]);
    return layerNorm(x, normalizedShape, o.weight, o.bias, o.eps ?? 1e-5);
  }
  x = floatInput("layerNorm", x);
  const k = normalizedShape.length;
  const tail = x.shape.slice(x.ndim - k);
  if (k > x.ndim || tail.some((s, i) => s !== normalizedShape[i])) {
    throw new Error(`layerNorm: normalizedShape ${formatShape(normalizedShape)} does not match the trailing dims of input ${formatShape(x.shape)}`);
  }
  const dims = normalizedShape.map((_, i) => x.ndim - k + i);
  const mu = mean(x, dims, true);
  const v = variance(x, dims, true, { correction: 0 });
  let y = ew.mul(ew.sub(x, mu), ew.rsqrt(ew.add(v, eps)));
  if (weight) y = ew.mul(y, weight);
  if (bias) y = ew.add(y, bias);
  return y;
}

/** Options of batchNorm. */
export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Use batch statistics (and update the running ones) instead of the running ones. */
  training?: boolean;
  momentum?: number;
  eps?: number;
}

/**
 * Batch normalisation over dim 1 of [N, C, …]. In training, batch statistics are used and the
 * running mean/var (if given) are updated in place with `momentum` (unbiased variance), as in PyTorch.
 */
export function batchNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, options: BatchNormOptions = {}): Tensor {
  checkKwargs("batchNorm", options, ["weight", "bias", "training", "momentum", "eps"]);
  x = floatInput("batchNorm", x);
  if (x.ndim < 2) throw new Error(`batchNorm: expected input [N, C, …], got ${formatShape(x.shape)}`);
  const C = x.shape[1];
  const shape = [1, C, ...new Array<number>(x.ndim - 2).fill(1)];
  const dims = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2)];
  const eps = options.eps ?? 1e-5;
  const training = options.training ?? true;
  for (const [name, t] of [["runningMean", runningMean], ["runningVar", runningVar], ["weight", options.weight], ["bias", options.bias]] as const) {
    if (t && (t.ndim !== 1 || t.shape[0] !== C)) throw new Error(`batchNorm: ${name} shape ${formatShape(t.shape)} does not match ${C} channels of input ${formatShape(x.shape)}`);
  }
  let mu: Tensor;
  let v: Tensor;
  if (training) {
    const n = dims.reduce((p, d) => p * x.shape[d], 1);
    if (n <= 1) throw new Error(`batchNorm: expected more than 1 value per channel when training, got input ${formatShape(x.shape)}`);
    mu = mean(x, dims, true);
    v = variance(x, dims, true, { correction: 0 });
    const m = options.momentum ?? 0.1;
    noGrad(() => {
      if (runningMean) add_(mul_(runningMean, 1 - m), reshape(mu, [C]), m);
      if (runningVar) add_(mul_(runningVar, 1 - m), ew.mul(reshape(v, [C]), n / (n - 1)), m);
    });
  } else {
    if (!runningMean || !runningVar) throw new Error("batchNorm: running statistics are required when training is false");
    mu = reshape(runningMean, shape);
    v = reshape(runningVar, shape);
  }
  let y = ew.mul(ew.sub(x, mu), ew.rsqrt(ew.add(v, eps)));
  if (options.weight) y = ew.mul(y, reshape(options.weight, shape));
  if (options.bias) y = ew.add(y, reshape(options.bias, shape));
  return y;
}
