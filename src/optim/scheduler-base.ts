/**
 * The base of the epoch-driven learning-rate schedulers (PyTorch's LRScheduler) and the argument
 * helper they share. The schedulers themselves live in lr-scheduler.ts and one-cycle.ts.
 */
import type { Optimizer } from "./optimizer.js";
import { layerArgs } from "../nn/layer-util.js";

/** A scheduler's arguments after the optimizer: positional in PyTorch's order, or one options object. */
export function schedArgs<T extends object>(op: string, args: readonly unknown[], names: readonly (keyof T & string)[], required: number): T {
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
