/**
 * The per-coordinate adaptive optimizers taught before Adam: Adagrad, Adadelta, RMSprop,
 * each with PyTorch's update rule, defaults and state (accumulators start at zero).
 */
import type { FloatArray } from "./raw.js";
import { Optimizer, checkNonNegative, optimizerOptions, type DeviceUpdate, type ParamGroup, type ParamState, type ParamsInput } from "./optimizer.js";

/** Options of Adagrad, PyTorch's defaults in brackets. */
export interface AdagradOptions {
  /** Learning rate [1e-2]. */
  lr?: number;
  /** Learning-rate decay per step [0]. */
  lrDecay?: number;
  /** L2 penalty [0]. */
  weightDecay?: number;
  /** Starting value of the sum of squared gradients [0]. */
  initialAccumulatorValue?: number;
  /** Added to the denominator [1e-10]. */
  eps?: number;
  maximize?: boolean;
}

/** Adagrad: `sum += g²`; `p -= lr / (1 + (t−1)·lrDecay) · g / (√sum + eps)`. */
export class Adagrad extends Optimizer<Required<AdagradOptions>> {
  constructor(params: ParamsInput, options: AdagradOptions | number = {}) {
    const opts = optimizerOptions("Adagrad", options, ["lr", "lrDecay", "weightDecay", "initialAccumulatorValue", "eps", "maximize"]);
    const d = {
      lr: opts.lr ?? 1e-2,
      lrDecay: opts.lrDecay ?? 0,
      weightDecay: opts.weightDecay ?? 0,
      initialAccumulatorValue: opts.initialAccumulatorValue ?? 0,
      eps: opts.eps ?? 1e-10,
      maximize: opts.maximize ?? false,
    };
    checkNonNegative("Adagrad", "lr_decay", d.lrDecay);
    checkNonNegative("Adagrad", "weight_decay", d.weightDecay);
    checkNonNegative("Adagrad", "initial_accumulator_value", d.initialAccumulatorValue);
    checkNonNegative("Adagrad", "epsilon", d.eps);
    super(params, d, "Adagrad");
  }

  protected override deviceUpdate(group: ParamGroup, st: ParamState): DeviceUpdate {
    const first = st.sum === undefined ? 1 : 0;
    const step = (st.step = ((st.step as number | undefined) ?? 0) + 1);
    return {
      rule: "adagrad", state: ["sum"],
      hyper: {
        sign: group.maximize ? -1 : 1, wd: group.weightDecay as number, clr: group.lr / (1 + (step - 1) * (group.lrDecay as number)),
        eps: group.eps as number, init: group.initialAccumulatorValue as number, first,
      },
    };
  }

  protected update(p: FloatArray, grad: FloatArray, st: ParamState, group: ParamGroup): void {
    if (st.sum === undefined) {
      st.step = 0;
      st.sum = this.zerosLike(p).fill(group.initialAccumulatorValue as number);
    }
    const step = (st.step = (st.step as number) + 1);
    const sum = st.sum as FloatArray;
    const clr = group.lr / (1 + (step - 1) * (group.lrDecay as number));
    const wd = group.weightDecay as number;
    const eps = group.eps as number;
    const sign = group.maximize ? -1 : 1;
    for (let i = 0; i < p.length; i++) {
      const g = sign * grad[i] + wd * p[i];
      const s = (sum[i] += g * g);
      p[i] -= (clr * g) / (Math.sqrt(s) + eps);
    }
  }
}

/** Options of Adadelta, PyTorch's defaults in brackets. */
export interface AdadeltaOptions {
  /** Scale applied to the delta [1.0]. */
  lr?: number;
  /** Decay of the running averages [0.9]. */
  rho?: number;
  /** Added inside the square roots [1e-6]. */
  eps?: number;
  /** L2 penalty [0]. */
  weightDecay?: number;
  maximize?: boolean;
}

/**
 * Adadelta: `v = ρv + (1−ρ)g²`; `Δ = √(u + eps) / √(v + eps) · g`; `u = ρu + (1−ρ)Δ²`;
 * `p -= lr·Δ`, both averages starting at zero.
 */
export class Adadelta extends Optimizer<Required<AdadeltaOptions>> {
  constructor(params: ParamsInput, options: AdadeltaOptions | number = {}) {
    const opts = optimizerOptions("Adadelta", options, ["lr", "rho", "eps", "weightDecay", "maximize"]);
    const d = {
      lr: opts.lr ?? 1.0,
      rho: opts.rho ?? 0.9,
      eps: opts.eps ?? 1e-6,
      weightDecay: opts.weightDecay ?? 0,
      maximize: opts.maximize ?? false,
    };
    if (!(d.rho >= 0 && d.rho <= 1)) throw new Error(`Adadelta: invalid rho value: ${d.rho}`);
    checkNonNegative("Adadelta", "epsilon", d.eps);
    checkNonNegative("Adadelta", "weight_decay", d.weightDecay);
    super(params, d, "Adadelta");
  }

  protected override deviceUpdate(group: ParamGroup, st: ParamState): DeviceUpdate {
    st.step = ((st.step as number | undefined) ?? 0) + 1;
    return {
      rule: "adadelta", state: ["squareAvg", "accDelta"],
      hyper: { sign: group.maximize ? -1 : 1, wd: group.weightDecay as number, lr: group.lr, rho: group.rho as number, eps: group.eps as number },
    };
  }

  protected update(p: FloatArray, grad: FloatArray, st: ParamState, group: ParamGroup): void {
    if (st.squareAvg === undefined) {
      st.step = 0;
      st.squareAvg = this.zerosLike(p);
      st.accDelta = this.zerosLike(p);
    }
    st.step = (st.step as number) + 1;
    const v = st.squareAvg as FloatArray;
    const u = st.accDelta as FloatArray;
    const rho = group.rho as number;
    const eps = group.eps as number;
    const wd = group.weightDecay as number;
    const lr = group.lr;
    const sign = group.maximize ? -1 : 1;
    for (let i = 0; i < p.length; i++) {
      const g = sign * grad[i] + wd * p[i];
      const vi = (v[i] = rho * v[i] + (1 - rho) * g * g);
      const delta = (Math.sqrt(u[i] + eps) / Math.sqrt(vi + eps)) * g;
      u[i] = rho * u[i] + (1 - rho) * delta * delta;
      p[i] -= lr * delta;
    }
  }
}

/** Options of RMSprop, PyTorch's defaults in brackets. */
export interface RMSpropOptions {
  /** Learning rate [1e-2]. */
  lr?: number;
  /** Smoothing constant of the squared-gradient average [0.99]. */
  alpha?: number;
  /** Added to the denominator [1e-8]. */
  eps?: number;
  /** L2 penalty [0]. */
  weightDecay?: number;
  /** Momentum factor [0]. */
  momentum?: number;
  /** Normalise by the variance estimate instead of the raw second moment [false]. */
  centered?: boolean;
  maximize?: boolean;
}

/**
 * RMSprop: `v = αv + (1−α)g²`; `avg = √(v − ḡ²) + eps` if centered (ḡ = αḡ + (1−α)g) else
 * `√v + eps`; with momentum `b = μb + g/avg`, `p -= lr·b`, otherwise `p -= lr·g/avg`.
 */
export class RMSprop extends Optimizer<Required<RMSpropOptions>> {
  constructor(params: ParamsInput, options: RMSpropOptions | number = {}) {
    const opts = optimizerOptions("RMSprop", options, ["lr", "alpha", "eps", "weightDecay", "momentum", "centered", "maximize"]);
    const d = {
      lr: opts.lr ?? 1e-2,
      alpha: opts.alpha ?? 0.99,
      eps: opts.eps ?? 1e-8,
      weightDecay: opts.weightDecay ?? 0,
      momentum: opts.momentum ?? 0,
      centered: opts.centered ?? false,
      maximize: opts.maximize ?? false,
    };
    checkNonNegative("RMSprop", "alpha", d.alpha);
    checkNonNegative("RMSprop", "epsilon", d.eps);
    checkNonNegative("RMSprop", "momentum", d.momentum);
    checkNonNegative("RMSprop", "weight_decay", d.weightDecay);
    super(params, d, "RMSprop");
  }

  /** State buffers in the order the fused kernel binds them: squareAvg, momentumBuffer?, gradAvg?. */
  protected override deviceUpdate(group: ParamGroup, st: ParamState): DeviceUpdate {
    st.step = ((st.step as number | undefined) ?? 0) + 1;
    const mu = group.momentum as number;
    const centered = group.centered as boolean;
    const state = ["squareAvg"];
    if (mu > 0) state.push("momentumBuffer");
    if (centered) state.push("gradAvg");
    return {
      rule: "rmsprop", state,
      hyper: {
        sign: group.maximize ? -1 : 1, wd: group.weightDecay as number, lr: group.lr, alpha: group.alpha as number,
        eps: group.eps as number, mu, centered: centered ? 1 : 0,
      },
    };
  }

  protected update(p: FloatArray, grad: FloatArray, st: ParamState, group: ParamGroup): void {
    const mu = group.momentum as number;
    const centered = group.centered as boolean;
    if (st.squareAvg === undefined) {
      st.step = 0;
      st.squareAvg = this.zerosLike(p);
      if (mu > 0) st.momentumBuffer = this.zerosLike(p);
      if (centered) st.gradAvg = this.zerosLike(p);
    }
    st.step = (st.step as number) + 1;
    const v = st.squareAvg as FloatArray;
    const ga = st.gradAvg as FloatArray | undefined;
    const b = st.momentumBuffer as FloatArray | undefined;
    const alpha = group.alpha as number;
    const eps = group.eps as number;
    const wd = group.weightDecay as number;
    const lr = group.lr;
    const sign = group.maximize ? -1 : 1;
    for (let i = 0; i < p.length; i++) {
      const g = sign * grad[i] + wd * p[i];
      const vi = (v[i] = alpha * v[i] + (1 - alpha) * g * g);
      let avg: number;
      if (ga) {
        const gi = (ga[i] = alpha * ga[i] + (1 - alpha) * g);
        avg = Math.sqrt(vi - gi * gi) + eps;
      } else {
        avg = Math.sqrt(vi) + eps;
      }
      if (b && mu > 0) {
        const bi = (b[i] = mu * b[i] + g / avg);
        p[i] -= lr * bi;
      } else {
        p[i] -= (lr * g) / avg;
      }
    }
  }
}
