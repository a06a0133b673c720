/**
 * Stochastic gradient descent with PyTorch's momentum, dampening, Nesterov and weight-decay
 * rules (torch.optim.SGD). The momentum buffer starts as a copy of the first gradient.
 */
import type { FloatArray } from "./raw.js";
import { Optimizer, checkNonNegative, optimizerOptions, type DeviceUpdate, type ParamGroup, type ParamState, type ParamsInput } from "./optimizer.js";

/** Options of SGD, PyTorch's defaults in brackets. */
export interface SGDOptions {
  /**
   * Learning rate.
   * @default 1e-3
   */
  lr?: number;
  /**
   * Momentum factor.
   * @default 0
   */
  momentum?: number;
  /**
   * Dampening for momentum.
   * @default 0
   */
  dampening?: number;
  /**
   * L2 penalty added to the gradient.
   * @default 0
   */
  weightDecay?: number;
  /**
   * Nesterov momentum (needs momentum > 0 and dampening 0).
   * @default false
   */
  nesterov?: boolean;
  /**
   * Maximize the objective instead of minimizing.
   * @default false
   */
  maximize?: boolean;
}

type SGDDefaults = Required<SGDOptions>;

/**
 * SGD: `g = grad + weightDecay·p`; with momentum `b = momentum·b + (1 − dampening)·g`
 * (b = g on the first step), `g = nesterov ? g + momentum·b : b`; then `p -= lr·g`.
 */
export class SGD extends Optimizer<SGDDefaults> {
  constructor(params: ParamsInput, options: SGDOptions | number = {}) {
    const opts = optimizerOptions("SGD", options, ["lr", "momentum", "dampening", "weightDecay", "nesterov", "maximize"]);
    const d: SGDDefaults = {
      lr: opts.lr ?? 1e-3,
      momentum: opts.momentum ?? 0,
      dampening: opts.dampening ?? 0,
      weightDecay: opts.weightDecay ?? 0,
      nesterov: opts.nesterov ?? false,
      maximize: opts.maximize ?? false,
    };
    checkNonNegative("SGD", "momentum", d.momentum);
    checkNonNegative("SGD", "weight_decay", d.weightDecay);
    if (d.nesterov && (d.momentum <= 0 || d.dampening !== 0)) {
      throw new Error("SGD: Nesterov momentum requires a momentum and zero dampening");
    }
    super(params, d, "SGD");
  }

  protected override deviceUpdate(group: ParamGroup, st: ParamState): DeviceUpdate {
    const sign = group.maximize ? -1 : 1;
    const mu = group.momentum as number;
    const wd = group.weightDecay as number;
    if (mu === 0) return { rule: "sgd", hyper: { lrSign: group.lr * sign, wdOverSign: wd * sign }, state: [] };
    return {
      rule: "sgdMomentum", state: ["momentumBuffer"],
      hyper: { lr: group.lr, sign, wd, mu, damp: group.dampening as number, nesterov: group.nesterov ? 1 : 0, first: st.momentumBuffer === undefined ? 1 : 0 },
    };
  }

  protected update(p: FloatArray, grad: FloatArray, st: ParamState, group: ParamGroup): void {
    const lr = group.lr;
    const mu = group.momentum as number;
    const damp = group.dampening as number;
    const wd = group.weightDecay as number;
    const nesterov = group.nesterov as boolean;
    const sign = group.maximize ? -1 : 1;
    const n = p.length;
    if (mu === 0) {
      for (let i = 0; i < n; i++) p[i] -= lr * (sign * grad[i] + wd * p[i]);
      return;
    }
    let buf = st.momentumBuffer as FloatArray | undefined;
    const first = buf === undefined;
    if (first) buf = st.momentumBuffer = this.zerosLike(p);
    const b = buf as FloatArray;
    for (let i = 0; i < n; i++) {
      const g = sign * grad[i] + wd * p[i];
      const bi = first ? g : mu * b[i] + (1 - damp) * g;
      b[i] = bi;
      p[i] -= lr * (nesterov ? g + mu * bi : bi);
    }
  }
}
