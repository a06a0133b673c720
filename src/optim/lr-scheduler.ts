/**
 * Learning-rate schedulers with PyTorch's names and recurrences (torch.optim.lr_scheduler):
 * StepLR, MultiStepLR, ExponentialLR, LambdaLR, CosineAnnealingLR, OneCycleLR,
 * ReduceLROnPlateau. They only rewrite the groups' `lr` (OneCycleLR also `momentum` or the
 * first of `betas`); the update rules live in the optimizers.
 */
import type { Optimizer } from "./optimizer.js";
import { Tensor } from "../tensor/tensor.js";
import { checkOptions } from "../ops/options.js";
import { LRScheduler, schedArgs } from "./scheduler-base.js";

export { LRScheduler } from "./scheduler-base.js";
export { OneCycleLR, type OneCycleLROptions } from "./one-cycle.js";

/** Multiplies the learning rate by `gamma` every `stepSize` epochs. */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;
  constructor(optimizer: Optimizer, options: { stepSize: number; gamma?: number; lastEpoch?: number });
  constructor(optimizer: Optimizer, stepSize: number, gamma?: number, lastEpoch?: number);
  constructor(optimizer: Optimizer, ...args: unknown[]) {
    const { stepSize, gamma = 0.1, lastEpoch = -1 } = schedArgs<{ stepSize: number; gamma?: number; lastEpoch?: number }>("StepLR", args, ["stepSize", "gamma", "lastEpoch"], 1);
    if (!Number.isInteger(stepSize) || stepSize <= 0) throw new Error(`StepLR: stepSize must be a positive integer, got ${stepSize}`);
    super(optimizer, lastEpoch);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep();
  }
  protected getLr(): number[] {
    const lrs = this.currentLrs();
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
}

/** Multiplies the learning rate by `gamma` at each epoch listed in `milestones` (repeats multiply again). */
export class MultiStepLR extends LRScheduler {
  readonly milestones: number[];
  readonly gamma: number;
  constructor(optimizer: Optimizer, options: { milestones: readonly number[]; gamma?: number; lastEpoch?: number });
  constructor(optimizer: Optimizer, milestones: readonly number[], gamma?: number, lastEpoch?: number);
  constructor(optimizer: Optimizer, ...args: unknown[]) {
    const { milestones, gamma = 0.1, lastEpoch = -1 } = schedArgs<{ milestones: readonly number[]; gamma?: number; lastEpoch?: number }>("MultiStepLR", args, ["milestones", "gamma", "lastEpoch"], 1);
    if (!Array.isArray(milestones) || !milestones.every((m) => Number.isInteger(m))) {
      throw new Error(`MultiStepLR: milestones must be an array of integer epochs, got ${JSON.stringify(milestones)}`);
    }
    super(optimizer, lastEpoch);
    this.milestones = [...milestones].sort((a, b) => a - b);
    this.gamma = gamma;
    this.initialStep();
  }
  protected getLr(): number[] {
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    const lrs = this.currentLrs();
    return hits === 0 ? lrs : lrs.map((lr) => lr * this.gamma ** hits);
  }
}

/** A function of the epoch giving the lr multiplier. */
export type LrLambda = (epoch: number) => number;

/**
 * Sets each group's lr to its initial lr times `lrLambda(epoch)`; one function, or one per
 * param group: `new LambdaLR(opt, (epoch) => 0.95 ** epoch)`.
 */
export class LambdaLR extends LRScheduler {
  readonly lrLambdas: ((epoch: number) => number)[];
  constructor(optimizer: Optimizer, options: { lrLambda: LrLambda | readonly LrLambda[]; lastEpoch?: number });
  constructor(optimizer: Optimizer, lrLambda: LrLambda | readonly LrLambda[], lastEpoch?: number);
  constructor(optimizer: Optimizer, ...args: unknown[]) {
    const { lrLambda, lastEpoch = -1 } = schedArgs<{ lrLambda: LrLambda | readonly LrLambda[]; lastEpoch?: number }>("LambdaLR", args, ["lrLambda", "lastEpoch"], 1);
    const n = optimizer.paramGroups.length;
    const fns = Array.isArray(lrLambda) ? [...lrLambda] : new Array(n).fill(lrLambda);
    if (fns.length !== n) throw new Error(`LambdaLR: expected ${n} lrLambdas (one per param group), but got ${fns.length}`);
    fns.forEach((f, i) => {
      if (typeof f !== "function") throw new Error(`LambdaLR: lrLambda${Array.isArray(lrLambda) ? `[${i}]` : ""} must be a function of the epoch, got ${typeof f}`);
    });
    super(optimizer, lastEpoch);
    this.lrLambdas = fns;
    this.initialStep();
  }
  protected getLr(): number[] {
    return this.baseLrs.map((lr, i) => {
      const f = this.lrLambdas[i](this.lastEpoch);
      if (typeof f !== "number" || Number.isNaN(f)) throw new Error(`LambdaLR: lrLambda(${this.lastEpoch}) returned ${String(f)}, expected a number`);
      return lr * f;
    });
  }
}

/** Multiplies the learning rate by `gamma` every epoch. */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;
  constructor(optimizer: Optimizer, options: { gamma: number; lastEpoch?: number });
  constructor(optimizer: Optimizer, gamma: number, lastEpoch?: number);
  constructor(optimizer: Optimizer, ...args: unknown[]) {
    const { gamma, lastEpoch = -1 } = schedArgs<{ gamma: number; lastEpoch?: number }>("ExponentialLR", args, ["gamma", "lastEpoch"], 1);
    super(optimizer, lastEpoch);
    this.gamma = gamma;
    this.initialStep();
  }
  protected getLr(): number[] {
    const lrs = this.currentLrs();
    if (this.lastEpoch === 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
}

/**
 * Cosine annealing from each base lr down to `etaMin` over `TMax` epochs, using PyTorch's
 * recursive form (so it composes with other changes to the lr), restarting the cosine
 * upwards after `TMax` as PyTorch does.
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly TMax: number;
  readonly etaMin: number;
  constructor(optimizer: Optimizer, options: { TMax: number; etaMin?: number; lastEpoch?: number });
  constructor(optimizer: Optimizer, TMax: number, etaMin?: number, lastEpoch?: number);
  constructor(optimizer: Optimizer, ...args: unknown[]) {
    const { TMax, etaMin = 0, lastEpoch = -1 } = schedArgs<{ TMax: number; etaMin?: number; lastEpoch?: number }>("CosineAnnealingLR", args, ["TMax", "etaMin", "lastEpoch"], 1);
    super(optimizer, lastEpoch);
    this.TMax = TMax;
    this.etaMin = etaMin;
    this.initialStep();
  }
  protected getLr(): number[] {
    const lrs = this.currentLrs();
    const e = this.lastEpoch;
    const T = this.TMax;
    if (e === 0) return lrs;
    const etaMin = this.etaMin;
    if ((e - 1 - T) % (2 * T) === 0) {
      return lrs.map((lr, i) => lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    return lrs.map(
      (lr) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (lr - etaMin) + etaMin,
    );
  }
}

/** Options of ReduceLROnPlateau, PyTorch's defaults in brackets. */
export interface ReduceLROnPlateauOptions {
  /** "min" [default] reduces when the metric stops decreasing; "max" when it stops increasing. */
  mode?: "min" | "max";
  /** Factor to multiply the lr by [0.1]. */
  factor?: number;
  /** Epochs with no improvement before reducing [10]. */
  patience?: number;
  /** Minimum change that counts as improvement [1e-4]. */
  threshold?: number;
  /** "rel" [default]: relative to best; "abs": absolute. */
  thresholdMode?: "rel" | "abs";
  /** Epochs to wait after a reduction before counting again [0]. */
  cooldown?: number;
  /** Lower bound on the lr, one number or one per group [0]. */
  minLr?: number | number[];
  /** Reductions smaller than this are skipped [1e-8]. */
  eps?: number;
}

/** Reduces the learning rate when a metric has stopped improving; call `step(metric)`. */
export class ReduceLROnPlateau {
  readonly optimizer: Optimizer;
  readonly mode: "min" | "max";
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: "rel" | "abs";
  readonly cooldown: number;
  readonly minLrs: number[];
  readonly eps: number;
  /** Best metric value seen so far. */
  best: number;
  /** Epochs since the last improvement. */
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;

  constructor(optimizer: Optimizer, opts: ReduceLROnPlateauOptions = {}) {
    checkOptions("ReduceLROnPlateau", opts, ["mode", "factor", "patience", "threshold", "thresholdMode", "cooldown", "minLr", "eps"]);
    this.optimizer = optimizer;
    this.mode = opts.mode ?? "min";
    this.factor = opts.factor ?? 0.1;
    if (this.factor >= 1) throw new Error(`ReduceLROnPlateau: factor should be < 1.0, got ${this.factor}`);
    this.patience = opts.patience ?? 10;
    this.threshold = opts.threshold ?? 1e-4;
    this.thresholdMode = opts.thresholdMode ?? "rel";
    this.cooldown = opts.cooldown ?? 0;
    const m = opts.minLr ?? 0;
    this.minLrs = Array.isArray(m) ? [...m] : optimizer.paramGroups.map(() => m);
    if (this.minLrs.length !== optimizer.paramGroups.length) {
      throw new Error(`ReduceLROnPlateau: expected ${optimizer.paramGroups.length} minLr values, got ${this.minLrs.length}`);
    }
    this.eps = opts.eps ?? 1e-8;
    this.best = this.mode === "min" ? Infinity : -Infinity;
  }

  private isBetter(a: number): boolean {
    const { best, threshold } = this;
    if (this.mode === "min") return this.thresholdMode === "rel" ? a < best * (1 - threshold) : a < best - threshold;
    return this.thresholdMode === "rel" ? a > best * (threshold + 1) : a > best + threshold;
  }

  /** Records this epoch's metric and reduces the lr after `patience` epochs without improvement. */
  step(metric: number): void;
  step(metric: Tensor): void;
  step(metric: number | Tensor): void {
    if (metric instanceof Tensor) metric = metric.item();
    if (typeof metric !== "number") throw new Error(`ReduceLROnPlateau.step: expected the metric to watch (a number or a one-element Tensor), got ${typeof metric}`);
    this.lastEpoch++;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const newLr = Math.max(g.lr * this.factor, this.minLrs[i]);
        if (g.lr - newLr > this.eps) g.lr = newLr;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
  }

  /** The current learning rates, one per param group. */
  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}
