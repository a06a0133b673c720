/**
 * Adam and AdamW with PyTorch's bias correction, eps placement, amsgrad variant and
 * decoupled weight decay (torch.optim.Adam / torch.optim.AdamW).
 */
import type { FloatArray } from "./raw.js";
import { Optimizer, checkNonNegative, optimizerOptions, type DeviceUpdate, type ParamGroup, type ParamState, type ParamsInput } from "./optimizer.js";

/** Options of Adam and AdamW, PyTorch's defaults in brackets. */
export interface AdamOptions {
  /**
   * Learning rate.
   * @default 0.001
   */
  lr?: number;
  /**
   * Decay rates of the first and second moment.
   * @default [0.9, 0.999]
   */
  betas?: [number, number];
  /**
   * Added to the denominator.
   * @default 1e-8
   */
  eps?: number;
  /**
   * Adam: L2 penalty added to the gradient; AdamW: decoupled decay (AdamW's default is 0.01).
   * @default 0
   */
  weightDecay?: number;
  /**
   * Use the running maximum of the second moment.
   * @default false
   */
  amsgrad?: boolean;
  /**
   * Maximize the objective instead of minimizing.
   * @default false
   */
  maximize?: boolean;
}

type AdamDefaults = Required<AdamOptions>;

function adamDefaults(op: string, opts: AdamOptions, weightDecay: number): AdamDefaults {
  const d: AdamDefaults = {
    lr: opts.lr ?? 1e-3,
    betas: opts.betas ?? [0.9, 0.999],
    eps: opts.eps ?? 1e-8,
    weightDecay: opts.weightDecay ?? weightDecay,
    amsgrad: opts.amsgrad ?? false,
    maximize: opts.maximize ?? false,
  };
  checkNonNegative(op, "epsilon", d.eps);
  checkNonNegative(op, "weight_decay", d.weightDecay);
  for (const [i, b] of d.betas.entries()) {
    if (!(b >= 0 && b < 1)) throw new Error(`${op}: invalid beta parameter at index ${i}: ${b}`);
  }
  return d;
}

/** The shared moment update; `decoupled` selects AdamW's `p *= 1 − lr·wd` over Adam's L2 term. */
function adamUpdate(p: FloatArray, grad: FloatArray, st: ParamState, group: ParamGroup, decoupled: boolean, zeros: () => FloatArray): void {
  const amsgrad = group.amsgrad as boolean;
  if (st.expAvg === undefined) {
    st.step = 0;
    st.expAvg = zeros();
    st.expAvgSq = zeros();
    if (amsgrad) st.maxExpAvgSq = zeros();
  }
  const step = (st.step = (st.step as number) + 1);
  const m = st.expAvg as FloatArray;
  const v = st.expAvgSq as FloatArray;
  const vmax = st.maxExpAvgSq as FloatArray | undefined;
  const [b1, b2] = group.betas as [number, number];
  const lr = group.lr;
  const eps = group.eps as number;
  const wd = group.weightDecay as number;
  const sign = group.maximize ? -1 : 1;
  const stepSize = lr / (1 - b1 ** step);
  const bc2Sqrt = Math.sqrt(1 - b2 ** step);
  const decay = decoupled ? 1 - lr * wd : 1;
  const l2 = decoupled ? 0 : wd;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] * decay;
    const g = sign * grad[i] + l2 * pi;
    const mi = (m[i] = b1 * m[i] + (1 - b1) * g);
    let vi = (v[i] = b2 * v[i] + (1 - b2) * g * g);
    if (vmax && amsgrad) vi = vmax[i] = Math.max(vmax[i], vi);
    p[i] = pi - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
  }
}

/**
 * The fused form of adamUpdate that a backend may run (Backend.optimizerStep: webgpu on the
 * device, the cpu pool in WASM SIMD); amsgrad adds the running maximum as a third buffer.
 */
function adamDevice(st: ParamState, group: ParamGroup, decoupled: boolean): DeviceUpdate {
  const amsgrad = group.amsgrad as boolean;
  const step = (st.step = ((st.step as number | undefined) ?? 0) + 1);
  const [b1, b2] = group.betas as [number, number];
  const lr = group.lr;
  const wd = group.weightDecay as number;
  return {
    rule: amsgrad ? "adamAmsgrad" : "adam", state: amsgrad ? ["expAvg", "expAvgSq", "maxExpAvgSq"] : ["expAvg", "expAvgSq"],
    hyper: {
      sign: group.maximize ? -1 : 1, l2: decoupled ? 0 : wd, decay: decoupled ? 1 - lr * wd : 1, b1, b2,
      stepSize: lr / (1 - b1 ** step), bc2Sqrt: Math.sqrt(1 - b2 ** step), eps: group.eps as number,
    },
  };
}

/**
 * Adam: `m = β1·m + (1−β1)g`, `v = β2·v + (1−β2)g²`,
 * `p -= lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + eps)`; weightDecay adds `wd·p` to the gradient.
 */
export class Adam extends Optimizer<AdamDefaults> {
  constructor(params: ParamsInput, options: AdamOptions | number = {}) {
    const opts = optimizerOptions("Adam", options, ["lr", "betas", "eps", "weightDecay", "amsgrad", "maximize"]);
    super(params, adamDefaults("Adam", opts, 0), "Adam");
  }
  protected override deviceUpdate(group: ParamGroup, st: ParamState): DeviceUpdate {
    return adamDevice(st, group, false);
  }
  protected update(p: FloatArray, grad: FloatArray, st: ParamState, group: ParamGroup): void {
    adamUpdate(p, grad, st, group, false, () => this.zerosLike(p));
  }
}

/** AdamW: Adam with decoupled weight decay, `p *= 1 − lr·weightDecay` before the Adam step. */
export class AdamW extends Optimizer<AdamDefaults> {
  constructor(params: ParamsInput, options: AdamOptions | number = {}) {
    const opts = optimizerOptions("AdamW", options, ["lr", "betas", "eps", "weightDecay", "amsgrad", "maximize"]);
    super(params, adamDefaults("AdamW", opts, 1e-2), "AdamW");
  }
  protected override deviceUpdate(group: ParamGroup, st: ParamState): DeviceUpdate {
    return adamDevice(st, group, true);
  }
  protected update(p: FloatArray, grad: FloatArray, st: ParamState, group: ParamGroup): void {
    adamUpdate(p, grad, st, group, true, () => this.zerosLike(p));
  }
}
