/**
 * Learning-rate schedulers with PyTorch's names and recurrences (torch.optim.lr_scheduler):
 * StepLR, MultiStepLR, ExponentialLR, LambdaLR, CosineAnnealingLR, OneCycleLR,
 * ReduceLROnPlateau. They only rewrite the groups' `lr` (OneCycleLR also `momentum` or the
 * first of `betas`); the update rules live in the optimizers.
 */
import type { Optimizer } from "./optimizer.js";
import { Tensor } from "../tensor/tensor.js";
import { checkOptions } from "../ops/options.js";
import { layerArgs } from "../nn/layer-util.js";

/** A scheduler's arguments after the optimizer: positional in PyTorch's order, or one options object. */
function schedArgs<T extends object>(op: string, args: readonly unknown[], names: readonly (keyof T & string)[], required: number): T {
  return layerArgs<T>(op, args, names, required, { verbose: "gradnote schedulers do not print" }, "optim.lrScheduler.");
}

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

/** Options of OneCycleLR (PyTorch's keyword arguments), PyTorch's defaults in brackets. */
export interface OneCycleLROptions {
  /** Peak learning rate, one or one per param group (required). */
  maxLr: number | number[];
  /** Number of steps in the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number | null;
  epochs?: number | null;
  stepsPerEpoch?: number | null;
  /** Fraction of the cycle spent increasing the lr [0.3]. */
  pctStart?: number;
  /** "cos" [default] or "linear". */
  annealStrategy?: "cos" | "linear";
  /** Cycle momentum (or Adam's beta1) inversely to the lr [true]. */
  cycleMomentum?: boolean;
  /** Lowest momentum [0.85], one or one per group. */
  baseMomentum?: number | number[];
  /** Highest momentum [0.95], one or one per group. */
  maxMomentum?: number | number[];
  /** initialLr = maxLr / divFactor [25]. */
  divFactor?: number;
  /** minLr = initialLr / finalDivFactor [1e4]. */
  finalDivFactor?: number;
  /** Three phases (up, down to initialLr, annihilate) instead of two [false]. */
  threePhase?: boolean;
  lastEpoch?: number;
}

interface Phase {
  endStep: number;
  startLr: "initialLr" | "maxLr";
  endLr: "initialLr" | "maxLr" | "minLr";
  startMomentum: "maxMomentum" | "baseMomentum";
  endMomentum: "maxMomentum" | "baseMomentum";
}

/**
 * The 1cycle policy (PyTorch's OneCycleLR): the lr rises from maxLr/divFactor to maxLr over
 * `pctStart` of the steps, then anneals to initialLr/finalDivFactor, while momentum (Adam: beta1)
 * moves the opposite way. Call `step()` after every batch, `totalSteps` times in all.
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  readonly cycleMomentum: boolean;
  readonly annealStrategy: "cos" | "linear";
  private readonly phases: Phase[];
  private readonly useBeta1: boolean;

  constructor(optimizer: Optimizer, options: OneCycleLROptions) {
    const o = checkOptions("OneCycleLR", options, [
      "maxLr", "totalSteps", "epochs", "stepsPerEpoch", "pctStart", "annealStrategy", "cycleMomentum",
      "baseMomentum", "maxMomentum", "divFactor", "finalDivFactor", "threePhase", "lastEpoch",
    ]);
    if (o.maxLr === undefined) throw new Error("OneCycleLR: maxLr is required: new OneCycleLR(optimizer, { maxLr: 0.1, totalSteps: 100 })");
    const posInt = (name: string, v: unknown) => {
      if (!Number.isInteger(v) || (v as number) <= 0) throw new Error(`OneCycleLR: expected positive integer ${name}, but got ${String(v)}`);
    };
    let total: number;
    if (o.totalSteps != null) {
      posInt("totalSteps", o.totalSteps);
      total = o.totalSteps;
    } else if (o.epochs != null && o.stepsPerEpoch != null) {
      posInt("epochs", o.epochs);
      posInt("stepsPerEpoch", o.stepsPerEpoch);
      total = o.epochs * o.stepsPerEpoch;
    } else throw new Error("OneCycleLR: you must define either totalSteps OR (epochs AND stepsPerEpoch)");
    const pct = o.pctStart ?? 0.3;
    if (!(pct >= 0 && pct <= 1)) throw new Error(`OneCycleLR: expected float between 0 and 1 pctStart, but got ${pct}`);
    const anneal = o.annealStrategy ?? "cos";
    if (anneal !== "cos" && anneal !== "linear") throw new Error(`OneCycleLR: option annealStrategy=${JSON.stringify(anneal)} is not supported; accepted: "cos", "linear"`);
    const cycle = o.cycleMomentum ?? true;
    const defaults = optimizer.defaults as Record<string, unknown>;
    if (cycle && !("momentum" in defaults) && !("betas" in defaults)) {
      throw new Error(`OneCycleLR: optimizer ${optimizer.constructor.name} must support momentum (or betas) with the cycleMomentum option enabled; pass { cycleMomentum: false }`);
    }
    const groups = optimizer.paramGroups;
    const perGroup = (name: string, v: number | number[]): number[] => {
      if (Array.isArray(v)) {
        if (v.length !== groups.length) throw new Error(`OneCycleLR: expected ${groups.length} values for ${name}, got ${v.length}`);
        return [...v];
      }
      return groups.map(() => v);
    };
    const lastEpoch = o.lastEpoch ?? -1;
    const maxLrs = perGroup("maxLr", o.maxLr);
    const div = o.divFactor ?? 25;
    const finalDiv = o.finalDivFactor ?? 1e4;
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.maxLr = maxLrs[i];
        g.minLr = maxLrs[i] / div / finalDiv;
      });
    }
    const useBeta1 = "betas" in defaults;
    if (cycle && lastEpoch === -1) {
      const maxM = perGroup("maxMomentum", o.maxMomentum ?? 0.95);
      const baseM = perGroup("baseMomentum", o.baseMomentum ?? 0.85);
      groups.forEach((g, i) => {
        if (useBeta1) g.betas = [maxM[i], ...(g.betas as number[]).slice(1)];
        else g.momentum = maxM[i];
        g.maxMomentum = maxM[i];
        g.baseMomentum = baseM[i];
      });
    }
    super(optimizer, lastEpoch);
    if (lastEpoch === -1) {
      // PyTorch sets initial_lr before the base class (which keeps it): the cycle starts at maxLr / divFactor.
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i] / div;
        this.baseLrs[i] = g.initialLr;
      });
    }
    this.totalSteps = total;
    this.cycleMomentum = cycle;
    this.annealStrategy = anneal;
    this.useBeta1 = useBeta1;
    this.phases = o.threePhase
      ? [
        { endStep: pct * total - 1, startLr: "initialLr", endLr: "maxLr", startMomentum: "maxMomentum", endMomentum: "baseMomentum" },
        { endStep: 2 * pct * total - 2, startLr: "maxLr", endLr: "initialLr", startMomentum: "baseMomentum", endMomentum: "maxMomentum" },
        { endStep: total - 1, startLr: "initialLr", endLr: "minLr", startMomentum: "maxMomentum", endMomentum: "maxMomentum" },
      ]
      : [
        { endStep: pct * total - 1, startLr: "initialLr", endLr: "maxLr", startMomentum: "maxMomentum", endMomentum: "baseMomentum" },
        { endStep: total - 1, startLr: "maxLr", endLr: "minLr", startMomentum: "baseMomentum", endMomentum: "maxMomentum" },
      ];
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === "linear") return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  protected getLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps) {
      throw new Error(`OneCycleLR: tried to step ${step + 1} times; the specified number of total steps is ${this.totalSteps}`);
    }
    return this.optimizer.paramGroups.map((g) => {
      let start = 0;
      let lr = 0;
      let momentum = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const ph = this.phases[i];
        if (step <= ph.endStep || i === this.phases.length - 1) {
          const pct = (step - start) / (ph.endStep - start);
          lr = this.anneal(g[ph.startLr] as number, g[ph.endLr] as number, pct);
          if (this.cycleMomentum) momentum = this.anneal(g[ph.startMomentum] as number, g[ph.endMomentum] as number, pct);
          break;
        }
        start = ph.endStep;
      }
      if (this.cycleMomentum) {
        if (this.useBeta1) g.betas = [momentum, ...(g.betas as number[]).slice(1)];
        else g.momentum = momentum;
      }
      return lr;
    });
  }
}
