/**
 * Loss functions of nn.functional with PyTorch's formulas, defaults and `reduction`
 * ("mean" | "sum" | "none"): mseLoss, l1Loss, smoothL1Loss, huberLoss, crossEntropy, nllLoss,
 * binaryCrossEntropy, binaryCrossEntropyWithLogits, hingeEmbeddingLoss, marginRankingLoss,
 * multiMarginLoss. Loss modules wrapping these live in src/nn/.
 */
import { backendNamed } from "../backend/backend.js";
import { Tensor } from "../tensor/tensor.js";
import { formatShape, sameShape } from "../tensor/shape.js";
import { isFloating } from "../tensor/dtype.js";
import { floatInput } from "../ops/op.js";
import * as ew from "../ops/elementwise.js";
import { mean, sum, reduceRaw } from "../ops/reduce.js";
import { gather } from "../ops/indexing.js";
import { cast, detach, reshape, squeeze, unsqueeze } from "../ops/movement.js";
import { record } from "../ops/op.js";
import { arange } from "../tensor/creation.js";
import { logSoftmax } from "./activations.js";
import { fusedCrossEntropy } from "../ops/fused.js";
import { checkKwargs } from "./choice.js";
import { torchNamed } from "../autograd/torch-name.js";

/** PyTorch's deprecated loss keywords, refused with the replacement. */
const DEPRECATED = { sizeAverage: "deprecated in PyTorch; use reduction", reduce: "deprecated in PyTorch; use reduction" };

/** How a loss combines per-element values. */
export type Reduction = "mean" | "sum" | "none";

/** Options every loss accepts. */
export interface LossOptions {
  reduction?: Reduction;
}

// grad_fn names of the losses PyTorch computes as one op (l1Loss and hingeEmbeddingLoss are
// composites there too and keep the name of their last step).
const TORCH_LOSS_NAMES: Record<string, string> = {
  mseLoss: "MseLoss", huberLoss: "HuberLoss", smoothL1Loss: "SmoothL1Loss", binaryCrossEntropy: "BinaryCrossEntropy",
  binaryCrossEntropyWithLogits: "BinaryCrossEntropyWithLogits", multiMarginLoss: "MultiMarginLoss", nllLoss: "NllLoss",
};

function reduce(op: string, l: Tensor, reduction: Reduction | undefined): Tensor {
  let r: Tensor;
  switch (reduction ?? "mean") {
    case "mean":
      r = mean(l);
      break;
    case "sum":
      r = sum(l);
      break;
    case "none":
      r = l;
      break;
    default:
      throw new Error(`${op}: reduction must be "mean", "sum" or "none", got ${JSON.stringify(reduction)}`);
  }
  // l is always computed by the loss itself, so its node is the loss's own to rename.
  const name = TORCH_LOSS_NAMES[op];
  return name ? torchNamed(r, name, []) : r;
}

function sameShapes(op: string, input: Tensor, target: Tensor): void {
  if (!sameShape(input.shape, target.shape)) {
    throw new Error(`${op}: input and target shapes differ: input=${formatShape(input.shape)} target=${formatShape(target.shape)}`);
  }
}

/** Mean squared error (input − target)². */
export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkKwargs("mseLoss", options, ["reduction"], DEPRECATED);
  sameShapes("mseLoss", input, target);
  return reduce("mseLoss", ew.square(ew.sub(input, target)), options.reduction);
}

/** Mean absolute error |input − target|. */
export function l1Loss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkKwargs("l1Loss", options, ["reduction"], DEPRECATED);
  sameShapes("l1Loss", input, target);
  return reduce("l1Loss", ew.abs(ew.sub(input, target)), options.reduction);
}

/** Huber loss: ½d² for |d| < delta, delta·(|d| − ½delta) otherwise. */
export function huberLoss(input: Tensor, target: Tensor, options: LossOptions & { delta?: number } = {}): Tensor {
  checkKwargs("huberLoss", options, ["reduction", "delta"], DEPRECATED);
  sameShapes("huberLoss", input, target);
  const delta = options.delta ?? 1;
  const d = ew.abs(ew.sub(input, target));
  // The quadratic branch squares only the values it keeps: d² of an infinite d in the branch
  // `where` does not take would turn the gradient into NaN (PyTorch's is ±delta there).
  // The signed difference is squared (not |d|), so the second derivative at 0 is 1 as in PyTorch.
  const small = ew.lt(d, delta);
  const ds = ew.where(small, ew.sub(input, target), 0);
  const l = ew.where(small, ew.mul(ew.square(ds), 0.5), ew.mul(ew.sub(d, 0.5 * delta), delta));
  return reduce("huberLoss", l, options.reduction);
}

/** Smooth L1: ½d²/beta for |d| < beta, |d| − ½beta otherwise. */
export function smoothL1Loss(input: Tensor, target: Tensor, options: LossOptions & { beta?: number } = {}): Tensor {
  checkKwargs("smoothL1Loss", options, ["reduction", "beta"], DEPRECATED);
  sameShapes("smoothL1Loss", input, target);
  const beta = options.beta ?? 1;
  const d = ew.abs(ew.sub(input, target));
  if (beta === 0) return reduce("smoothL1Loss", d, options.reduction);
  // As huberLoss: square only the kept values, so an infinite d keeps a finite gradient.
  const small = ew.lt(d, beta);
  const ds = ew.where(small, ew.sub(input, target), 0);
  const l = ew.where(small, ew.div(ew.mul(ew.square(ds), 0.5), beta), ew.sub(d, 0.5 * beta));
  return reduce("smoothL1Loss", l, options.reduction);
}

/** Options of nllLoss and crossEntropy. */
export interface NllOptions extends LossOptions {
  /** Per-class weight [C]. */
  weight?: Tensor | null;
  /** Targets equal to this are skipped (default -100). */
  ignoreIndex?: number;
}

/** Options of crossEntropy. */
export interface CrossEntropyOptions extends NllOptions {
  /** Mixes the target with the uniform distribution (0 = off). */
  labelSmoothing?: number;
}

function checkClassTarget(op: string, input: Tensor, target: Tensor): void {
  if (target.dtype !== "int32" && target.dtype !== "int64") {
    const probs = isFloating(target.dtype) && target.ndim === input.ndim ? " (class probabilities need the same shape as input)" : "";
    throw new Error(`${op}: expected integer class indices as target (int64, as tensor([0, 2]) makes), got dtype ${target.dtype}${probs}: input=${formatShape(input.shape)} target=${formatShape(target.shape)}; convert with target.long()`);
  }
  const ok = input.ndim >= 1 && (input.ndim === 1 ? target.ndim === 0 : target.ndim === input.ndim - 1 &&
    target.shape[0] === input.shape[0] && target.shape.slice(1).every((s, i) => s === input.shape[i + 2]));
  if (!ok) throw new Error(`${op}: expected input [N, C, …] and target [N, …]: input=${formatShape(input.shape)} target=${formatShape(target.shape)}`);
}

interface ClassTerms {
  /** −logp[target] · weight, 0 where ignored. */
  terms: Tensor;
  /** Per-item weight: weight[target], 0 where ignored. */
  wt: Tensor;
}

function classTerms(op: string, logp: Tensor, target: Tensor, options: NllOptions): ClassTerms {
  const C = logp.shape[1];
  const valid = ew.ne(target, options.ignoreIndex ?? -100);
  const bad = ew.logicalAnd(valid, ew.logicalOr(ew.lt(target, 0), ew.ge(target, C)));
  // On device backends this check would read back every step; there a bad index is skipped.
  if (!backendNamed(bad.device).onDevice && reduceRaw("max", bad, [...bad.shape.keys()], false, "bool", op).item()) {
    throw new Error(`${op}: target contains a class index outside [0, ${C}) (input ${formatShape(logp.shape)})`);
  }
  const safe = cast(ew.where(valid, target, 0), "int32");
  const picked = squeeze(gather(logp, 1, unsqueeze(safe, 1)), 1);
  let wt: Tensor = cast(valid, logp.dtype);
  if (options.weight) {
    if (options.weight.ndim !== 1 || options.weight.shape[0] !== C) {
      throw new Error(`${op}: weight shape ${formatShape(options.weight.shape)} does not match ${C} classes (input ${formatShape(logp.shape)})`);
    }
    wt = ew.mul(wt, reshape(gather(options.weight, 0, reshape(safe, [-1])), safe.shape));
  }
  return { terms: ew.neg(ew.mul(picked, wt)), wt };
}

/** Negative log-likelihood of log-probabilities input [N, C, …] at int32 class indices target [N, …]. */
export function nllLoss(input: Tensor, target: Tensor, options: NllOptions = {}): Tensor {
  checkKwargs("nllLoss", options, ["weight", "ignoreIndex", "reduction"], DEPRECATED);
  checkClassTarget("nllLoss", input, target);
  if (input.ndim === 1) return nllLoss(unsqueeze(input, 0), unsqueeze(target, 0), options);
  const { terms, wt } = classTerms("nllLoss", input, target, options);
  const reduction = options.reduction ?? "mean";
  return reduction === "mean" ? torchNamed(weightedMean(terms, wt), "NllLoss", [input]) : reduce("nllLoss", terms, reduction);
}

/**
 * Σ terms / Σ weights. When every target is ignored the weights sum to 0: the value is NaN
 * (0/0) as in PyTorch, and the gradient 0 (dividing by 0 would make it NaN).
 */
function weightedMean(terms: Tensor, wt: Tensor): Tensor {
  const total = sum(wt);
  const none = ew.eq(total, 0);
  return ew.add(ew.div(sum(terms), ew.where(none, 1, total)), ew.where(none, NaN, 0));
}

function classWeightView(weight: Tensor, ndim: number): Tensor {
  return reshape(weight, [weight.shape[0], ...new Array<number>(Math.max(0, ndim - 2)).fill(1)]);
}

/**
 * Cross-entropy of logits input [N, C, …] against int32 class indices [N, …] (or class
 * probabilities shaped like input), like PyTorch's `F.cross_entropy`.
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  checkKwargs("crossEntropy", options, ["weight", "ignoreIndex", "reduction", "labelSmoothing"], DEPRECATED);
  input = floatInput("crossEntropy", input);
  if (input.ndim === 1) {
    return crossEntropy(unsqueeze(input, 0), target.ndim === 0 || isFloating(target.dtype) ? unsqueeze(target, 0) : target, options);
  }
  const eps = options.labelSmoothing ?? 0;
  const reduction = options.reduction ?? "mean";
  // The common case in one kernel where the backend has one (ops/fused.ts).
  if (!options.weight && eps <= 0 && (reduction === "mean" || reduction === "sum") && !isFloating(target.dtype)) {
    checkClassTarget("crossEntropy", input, target);
    const fused = fusedCrossEntropy(input, target, reduction, options.ignoreIndex ?? -100);
    // PyTorch's cross_entropy is log_softmax + nll_loss: its grad_fn prints NllLossBackward0.
    if (fused) return torchNamed(fused, "NllLoss", [input]);
  }
  const logp = logSoftmax(input, 1);
  const C = input.shape[1];
  if (isFloating(target.dtype)) {
    // A float target must hold class probabilities shaped like the input; anything else is
    // almost always class labels that were left as float32.
    if (!sameShape(input.shape, target.shape)) checkClassTarget("crossEntropy", input, target);
    const t = eps > 0 ? ew.add(ew.mul(target, 1 - eps), eps / C) : target;
    let terms = ew.mul(logp, t);
    if (options.weight) terms = ew.mul(terms, classWeightView(options.weight, input.ndim));
    const l = ew.neg(sum(terms, 1));
    return reduction === "mean" ? ew.div(sum(l), l.numel()) : reduce("crossEntropy", l, reduction);
  }
  checkClassTarget("crossEntropy", input, target);
  const { terms, wt } = classTerms("crossEntropy", logp, target, options);
  let nll = reduction === "mean" ? weightedMean(terms, wt) : reduce("crossEntropy", terms, reduction);
  if (eps <= 0) return torchNamed(nll, "NllLoss", [input]);
  // Label smoothing: (1 − eps)·nll + eps·(Σ_c −logp_c·w_c)/C per item.
  let smooth = ew.neg(logp);
  if (options.weight) smooth = ew.mul(smooth, classWeightView(options.weight, input.ndim));
  const perItem = ew.mul(ew.div(sum(smooth, 1), C), ew.ne(target, options.ignoreIndex ?? -100));
  const smoothRed = reduction === "mean" ? weightedMean(perItem, wt) : reduce("crossEntropy", perItem, reduction);
  nll = ew.add(ew.mul(nll, 1 - eps), ew.mul(smoothRed, eps));
  return nll;
}

/** Binary cross-entropy of probabilities (logs clamped at −100, as PyTorch does). */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: LossOptions & { weight?: Tensor | null } = {}): Tensor {
  checkKwargs("binaryCrossEntropy", options, ["weight", "reduction"], DEPRECATED);
  sameShapes("binaryCrossEntropy", input, target);
  let l = bceTerms(input, target);
  if (options.weight) l = ew.mul(l, options.weight);
  return reduce("binaryCrossEntropy", l, options.reduction);
}

/**
 * −(t·log x + (1 − t)·log(1 − x)) with the logs clamped at −100, and PyTorch's gradients:
 * (x − t) / max(x(1 − x), 1e-12) for x, so a probability of exactly 0 or 1 gives a large finite
 * gradient (a clamped composite would give 0 or NaN there).
 */
function bceTerms(x: Tensor, t: Tensor): Tensor {
  const logs = (xv: Tensor) => [ew.clamp(ew.log(xv), -100), ew.clamp(ew.log(ew.rsub(xv, 1)), -100)];
  const [logp, log1mp] = logs(detach(x));
  const y = ew.neg(ew.add(ew.mul(detach(t), logp), ew.mul(ew.rsub(detach(t), 1), log1mp)));
  return record(y, "BinaryCrossEntropyBackward0", [x, t], (g) => {
    const gx = x.requiresGrad ? ew.div(ew.mul(g, ew.sub(x, t)), ew.clamp(ew.mul(ew.rsub(x, 1), x), BCE_EPS)) : null;
    const [lp, l1mp] = t.requiresGrad ? logs(x) : [];
    return [gx, t.requiresGrad ? ew.mul(g, ew.sub(l1mp, lp)) : null];
  }, [x, t]);
}

/** PyTorch's EPSILON in the BCE gradient is a C float: 1e-12 rounded to float32. */
const BCE_EPS = Math.fround(1e-12);

/** Binary cross-entropy on logits, stable for large |x|; `posWeight` scales positive examples. */
export function binaryCrossEntropyWithLogits(
  input: Tensor, target: Tensor, options: LossOptions & { weight?: Tensor | null; posWeight?: Tensor | null } = {},
): Tensor {
  checkKwargs("binaryCrossEntropyWithLogits", options, ["weight", "reduction", "posWeight"], DEPRECATED);
  sameShapes("binaryCrossEntropyWithLogits", input, target);
  // −log σ(x) = softplus(−x): stable, and its gradient σ(x) − 1 is exact at x = 0 (a
  // composite of |x| and relu would have a kink there).
  const logSigNeg = ew.softplusPrimitive(ew.neg(input));
  let l: Tensor;
  if (options.posWeight) {
    const coef = ew.add(ew.mul(ew.sub(options.posWeight, 1), target), 1);
    l = ew.add(ew.mul(ew.rsub(target, 1), input), ew.mul(coef, logSigNeg));
  } else {
    l = ew.add(ew.mul(ew.rsub(target, 1), input), logSigNeg);
  }
  if (options.weight) l = ew.mul(l, options.weight);
  return reduce("binaryCrossEntropyWithLogits", l, options.reduction);
}

/** Short names used in lectures. */
export const bce = binaryCrossEntropy;
export const bceWithLogits = binaryCrossEntropyWithLogits;

/** x where y = 1, max(0, margin − x) where y = −1 (PyTorch's hinge_embedding_loss). */
export function hingeEmbeddingLoss(input: Tensor, target: Tensor, options: LossOptions & { margin?: number } = {}): Tensor {
  checkKwargs("hingeEmbeddingLoss", options, ["margin", "reduction"], DEPRECATED);
  sameShapes("hingeEmbeddingLoss", input, target);
  const margin = options.margin ?? 1;
  // PyTorch's formula; clamp (not relu) passes the gradient at margin − x = 0, as clamp_min does.
  const l = ew.add(ew.where(ew.ne(target, 1), ew.clamp(ew.rsub(input, margin), 0), 0), ew.where(ew.ne(target, -1), input, 0));
  return reduce("hingeEmbeddingLoss", l, options.reduction);
}

/** max(0, −y·(x1 − x2) + margin). */
export function marginRankingLoss(x1: Tensor, x2: Tensor, target: Tensor, options: LossOptions & { margin?: number } = {}): Tensor {
  checkKwargs("marginRankingLoss", options, ["margin", "reduction"], DEPRECATED);
  sameShapes("marginRankingLoss", x1, x2);
  sameShapes("marginRankingLoss", x1, target);
  // clamp_min as PyTorch: the gradient passes where the hinge is exactly 0.
  const l = ew.clamp(ew.add(ew.neg(ew.mul(target, ew.sub(x1, x2))), options.margin ?? 0), 0);
  return reduce("marginRankingLoss", l, options.reduction);
}

/** Multi-class hinge: Σ_{j≠y} max(0, margin − x[y] + x[j])^p / C (PyTorch's multi_margin_loss). */
export function multiMarginLoss(input: Tensor, target: Tensor, options: LossOptions & { p?: 1 | 2; margin?: number; weight?: Tensor | null } = {}): Tensor {
  checkKwargs("multiMarginLoss", options, ["p", "margin", "weight", "reduction"], DEPRECATED);
  if (input.ndim !== 2) throw new Error(`multiMarginLoss: expected input [N, C], got ${formatShape(input.shape)}`);
  checkClassTarget("multiMarginLoss", input, target);
  const C = input.shape[1];
  const idx = unsqueeze(target, 1);
  const xy = gather(input, 1, idx);
  let m = ew.relu(ew.add(ew.sub(input, xy), options.margin ?? 1));
  if ((options.p ?? 1) === 2) m = ew.square(m);
  if (options.weight) m = ew.mul(m, unsqueeze(gather(options.weight, 0, target), 1));
  const notTarget = ew.ne(idx, reshape(arange(C, { device: input.device }), [1, C]));
  const l = ew.div(sum(ew.mul(m, notTarget), 1), C);
  return reduce("multiMarginLoss", l, options.reduction);
}
