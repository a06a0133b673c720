/**
 * Loss modules with PyTorch's names and options (MSELoss, L1Loss, CrossEntropyLoss, NLLLoss,
 * BCELoss, BCEWithLogitsLoss, HingeEmbeddingLoss, MarginRankingLoss, …). Each stores its
 * options and calls the functional form: `criterion.forward(output, target)`.
 */
import { Tensor as TensorClass, type Tensor } from "../tensor/tensor.js";
import * as F from "../functional/index.js";
import { Module } from "./module.js";
import { checkChoice, checkKwargs } from "../functional/choice.js";

/** How a loss combines per-element values: average (default), total, or none. */
export type Reduction = "mean" | "sum" | "none";

const DEPRECATED = { sizeAverage: "deprecated in PyTorch; use reduction", reduce: "deprecated in PyTorch; use reduction" };

abstract class Loss extends Module {
  readonly reduction: Reduction;
  /** `keys`: the options besides `reduction` this loss takes (others throw, naming the accepted ones). */
  constructor(opts: { reduction?: Reduction } = {}, keys: readonly string[] = [], reductions: readonly string[] = ["mean", "sum", "none"]) {
    super();
    checkKwargs(this.constructor.name, opts, [...keys, "reduction"] as never[], DEPRECATED);
    this.reduction = checkChoice(this.constructor.name, "reduction", opts.reduction ?? "mean", reductions) as Reduction;
  }
  override extraRepr(): string {
    return this.reduction === "mean" ? "" : `reduction=${this.reduction}`;
  }
}

/** Mean squared error: mean((input − target)²). */
export class MSELoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, { reduction: this.reduction });
  }
}

/** Mean absolute error: mean(|input − target|). */
export class L1Loss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.l1Loss(input, target, { reduction: this.reduction });
  }
}

/** Huber loss: quadratic below `delta` (1.0), linear above. */
export class HuberLoss extends Loss {
  readonly delta: number;
  constructor(opts: { reduction?: Reduction; delta?: number } = {}) {
    super(opts, ["delta"]);
    this.delta = opts.delta ?? 1.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/** Options of the class-index losses. */
export interface ClassLossOptions {
  reduction?: Reduction;
  /** Per-class weight [C]. */
  weight?: Tensor | null;
  /** Targets with this value are skipped [-100]. */
  ignoreIndex?: number;
}

/**
 * Cross-entropy of raw logits [N, C] (or [N, C, …]) against int32 class indices [N] — softmax
 * and negative log-likelihood in one stable step, like PyTorch.
 */
export class CrossEntropyLoss extends Loss {
  readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  constructor(opts: (ClassLossOptions & { labelSmoothing?: number }) | Tensor = {}) {
    // PyTorch's first positional argument is the class weight: `nn.CrossEntropyLoss(w)`.
    if (opts instanceof TensorClass) opts = { weight: opts };
    super(opts, ["weight", "ignoreIndex", "labelSmoothing"]);
    this.weight = opts.weight ?? null;
    this.ignoreIndex = opts.ignoreIndex ?? -100;
    this.labelSmoothing = opts.labelSmoothing ?? 0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropy(input, target, {
      reduction: this.reduction, weight: this.weight, ignoreIndex: this.ignoreIndex, labelSmoothing: this.labelSmoothing,
    });
  }
}

/** Negative log-likelihood of log-probabilities [N, C] (from LogSoftmax) against class indices. */
export class NLLLoss extends Loss {
  readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  constructor(opts: ClassLossOptions | Tensor = {}) {
    if (opts instanceof TensorClass) opts = { weight: opts };
    super(opts, ["weight", "ignoreIndex"]);
    this.weight = opts.weight ?? null;
    this.ignoreIndex = opts.ignoreIndex ?? -100;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, { reduction: this.reduction, weight: this.weight, ignoreIndex: this.ignoreIndex });
  }
}

/** Binary cross-entropy of probabilities in (0, 1) against 0/1 float targets. */
export class BCELoss extends Loss {
  readonly weight: Tensor | null;
  constructor(opts: { reduction?: Reduction; weight?: Tensor | null } | Tensor = {}) {
    if (opts instanceof TensorClass) opts = { weight: opts };
    super(opts, ["weight"]);
    this.weight = opts.weight ?? null;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropy(input, target, { reduction: this.reduction, weight: this.weight });
  }
}

/** Sigmoid + binary cross-entropy in one numerically stable step (takes logits). */
export class BCEWithLogitsLoss extends Loss {
  readonly weight: Tensor | null;
  readonly posWeight: Tensor | null;
  constructor(opts: { reduction?: Reduction; weight?: Tensor | null; posWeight?: Tensor | null } = {}) {
    super(opts, ["weight", "posWeight"]);
    this.weight = opts.weight ?? null;
    this.posWeight = opts.posWeight ?? null;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropyWithLogits(input, target, { reduction: this.reduction, weight: this.weight, posWeight: this.posWeight });
  }
}

/** x where target = 1, max(0, margin − x) where target = −1 (margin 1). */
export class HingeEmbeddingLoss extends Loss {
  readonly margin: number;
  constructor(opts: { reduction?: Reduction; margin?: number } = {}) {
    super(opts, ["margin"]);
    this.margin = opts.margin ?? 1.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.hingeEmbeddingLoss(input, target, { reduction: this.reduction, margin: this.margin });
  }
}

/** max(0, −y·(x1 − x2) + margin) for y = ±1 (margin 0). */
export class MarginRankingLoss extends Loss {
  readonly margin: number;
  constructor(opts: { reduction?: Reduction; margin?: number } = {}) {
    super(opts, ["margin"]);
    this.margin = opts.margin ?? 0;
  }
  override forward(x1: Tensor, x2: Tensor, target: Tensor): Tensor {
    return F.marginRankingLoss(x1, x2, target, { reduction: this.reduction, margin: this.margin });
  }
}

/** Multi-class hinge (max-margin) loss over scores [N, C] and class indices [N]. */
export class MultiMarginLoss extends Loss {
  readonly p: 1 | 2;
  readonly margin: number;
  readonly weight: Tensor | null;
  constructor(opts: { reduction?: Reduction; p?: 1 | 2; margin?: number; weight?: Tensor | null } = {}) {
    super(opts, ["p", "margin", "weight"]);
    this.p = opts.p ?? 1;
    this.margin = opts.margin ?? 1;
    this.weight = opts.weight ?? null;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.multiMarginLoss(input, target, { reduction: this.reduction, p: this.p, margin: this.margin, weight: this.weight });
  }
}

/**
 * Kullback–Leibler divergence of log-probabilities `input` from `target` probabilities (or
 * log-probabilities with `logTarget`); use `reduction: "batchmean"` for the true KL per sample.
 */
export class KLDivLoss extends Module {
  readonly reduction: "mean" | "batchmean" | "sum" | "none";
  readonly logTarget: boolean;
  constructor(opts: { reduction?: "mean" | "batchmean" | "sum" | "none"; logTarget?: boolean } = {}) {
    super();
    checkKwargs("KLDivLoss", opts, ["reduction", "logTarget"], DEPRECATED);
    this.reduction = checkChoice("KLDivLoss", "reduction", opts.reduction ?? "mean", ["mean", "batchmean", "sum", "none"] as const);
    this.logTarget = opts.logTarget ?? false;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
  override extraRepr(): string {
    return this.reduction === "mean" && !this.logTarget ? "" : `reduction=${this.reduction}${this.logTarget ? ", logTarget=true" : ""}`;
  }
}
