/**
 * Kullback–Leibler divergence loss with PyTorch's conventions (`F.kl_div`): the input holds
 * log-probabilities, the target probabilities (or log-probabilities with `logTarget`), and
 * "batchmean" is the reduction that matches the mathematical definition.
 */
import type { Tensor } from "../tensor/tensor.js";
import { formatShape } from "../tensor/shape.js";
import { isFloating } from "../tensor/dtype.js";
import * as ew from "../ops/elementwise.js";
import { mean, sum } from "../ops/reduce.js";
import { checkOptions } from "../ops/options.js";
import { checkChoice } from "./choice.js";

/** Options of klDiv (PyTorch's keyword arguments). */
export interface KLDivOptions {
  /** "mean" [default] averages over every element; "batchmean" sums and divides by the batch size; "sum"; "none". */
  reduction?: "mean" | "batchmean" | "sum" | "none";
  /** The target is given as log-probabilities [false]. */
  logTarget?: boolean;
}

let warnedMean = false;

/**
 * Pointwise KL divergence `target · (log target − input)` (0 where target is 0), or
 * `exp(target) · (target − input)` with `logTarget`, reduced as PyTorch's `F.kl_div`.
 * `input` must already be log-probabilities (e.g. `F.logSoftmax(x, 1)`).
 */
export function klDiv(input: Tensor, target: Tensor, options: KLDivOptions = {}): Tensor {
  const o = checkOptions("klDiv", options, ["reduction", "logTarget"]);
  const reduction = checkChoice("klDiv", "reduction", o.reduction ?? "mean", ["mean", "batchmean", "sum", "none"] as const);
  if (!isFloating(input.dtype) || !isFloating(target.dtype)) {
    throw new Error(`klDiv: expected floating point input and target, got ${input.dtype} ${formatShape(input.shape)} and ${target.dtype} ${formatShape(target.shape)}`);
  }
  let l: Tensor;
  if (o.logTarget) l = ew.mul(ew.exp(target), ew.sub(target, input));
  else {
    // xlogy(t, t): the log reads 1 where t is 0, so neither the value nor the gradient is NaN there.
    const tlogt = ew.mul(target, ew.log(ew.where(ew.eq(target, 0), 1, target)));
    l = ew.sub(tlogt, ew.mul(target, input));
  }
  switch (reduction) {
    case "none": return l;
    case "sum": return sum(l);
    case "batchmean": return input.ndim === 0 ? sum(l) : ew.div(sum(l), input.shape[0]);
    case "mean":
      if (!warnedMean) {
        warnedMean = true;
        console.warn("klDiv: reduction \"mean\" divides the total loss by both the batch size and the support size; \"batchmean\" divides only by the batch size and matches the KL divergence's definition (as PyTorch warns).");
      }
      return mean(l);
  }
}
