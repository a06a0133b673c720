/**
 * Learning-rate schedulers with PyTorch's names and recurrences (torch.optim.lr_scheduler):
 * StepLR, ExponentialLR, CosineAnnealingLR, ReduceLROnPlateau. They only rewrite
 * `optimizer.paramGroups[i].lr`; the update rules live in the optimizers.
 */
import type { Optimizer } from "./optimizer.js";

/**
 * Base of the epoch-driven schedulers. Like PyTorch, constructing one records each group's
 * `initialLr` and performs the first `step()` (epoch 0), so call `step()` once per epoch
 * after `optimizer.step()`. Subclasses set their fields, then call `initialStep()`.
 */
export abstract class LRScheduler {
  /** The optimizer whose learning rates are scheduled. */
  readonly optimizer: Optimizer;
  /** The epoch counter; -1 before the constructor's initial step. */
  lastEpoch: number;
  /** Each group's learning rate when the scheduler was created. */
  readonly baseLrs: number[];
  protected stepCount = 0;
  private lastLr: number[] = [];

  constructor(optimizer: Optimizer, lastEpoch = -1) {
    this.optimizer = optimizer;
    for (const g of optimizer.paramGroups) {
      if (lastEpoch === -1) g.initialLr = g.lr;
      else if (g.initialLr === undefined) {
        throw new Error(`${this.constructor.name}: lastEpoch=${lastEpoch} needs "initialLr" in every param group`);
      }
    }
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /** Subclasses call this at the end of their constructor: PyTorch's initial step to epoch 0. */
  protected initialStep(): void {
    this.step();
  }

  /** Learning rates for the epoch in `lastEpoch`, computed from the current ones. */
  protected abstract getLr(): number[];

  /** Advances one epoch and writes the new learning rates into the optimizer. */
  step(): void {
    this.stepCount++;
    this.lastEpoch++;
    const lrs = this.getLr();
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = lrs[i]));
    this.lastLr = lrs;
  }

  /** The learning rates set by the latest `step()`, one per param group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  protected currentLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}

/** Multiplies the learning rate by `gamma` every `stepSize` epochs. */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;
  constructor(optimizer: Optimizer, stepSize: number, gamma = 0.1, lastEpoch = -1) {
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

/** Multiplies the learning rate by `gamma` every epoch. */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;
  constructor(optimizer: Optimizer, gamma: number, lastEpoch = -1) {
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
  constructor(optimizer: Optimizer, TMax: number, etaMin = 0, lastEpoch = -1) {
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
  step(metric: number): void {
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
