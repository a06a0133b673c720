/**
 * OneCycleLR (PyTorch's 1cycle policy): the lr rises to maxLr and anneals far below its start
 * while momentum (Adam: beta1) moves the opposite way; stepped once per batch.
 */
import type { Optimizer } from "./optimizer.js";
import { checkOptions } from "../ops/options.js";
import { LRScheduler } from "./scheduler-base.js";

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
