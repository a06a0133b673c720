/**
 * Normalisation layers: BatchNorm1d, BatchNorm2d (batch statistics in training, running
 * statistics in eval, PyTorch's momentum update) and LayerNorm. Composed from core ops.
 */
import type { Tensor } from "../tensor/tensor.js";
import { add, mul, sub, div, sqrt, reciprocal } from "../ops/elementwise.js";
import { add_, mul_ } from "../ops/inplace.js";
import { backendNamed } from "../backend/backend.js";
import { tidy } from "../tensor/memory.js";
import { mean, variance } from "../ops/reduce.js";
import { reshape, cast } from "../ops/movement.js";
import { noGrad } from "../autograd/grad-mode.js";
import { formatShape } from "../tensor/shape.js";
import { Module } from "./module.js";
import { constant } from "./init.js";
import { checkPositiveInt, layerArgs, newBuffer, newParameter } from "./layer-util.js";
import { DEVICE_DTYPE } from "./linear.js";

/** Every argument of BatchNorm1d/2d by name. */
export interface BatchNormArgs extends BatchNormOptions {
  numFeatures: number;
}

function bnArgs(layer: string, args: unknown[]): BatchNormArgs {
  return layerArgs<BatchNormArgs>(layer, args, ["numFeatures", "eps", "momentum", "affine", "trackRunningStats"], 1, DEVICE_DTYPE);
}
import { copyInto, fromData, valuesOf } from "./tensor-util.js";

/** Options of the batch-norm layers, PyTorch's defaults in brackets. */
export interface BatchNormOptions {
  /** Added to the variance [1e-5]. */
  eps?: number;
  /** Weight of the newest batch in the running statistics [0.1]; null = cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel scale and shift [true]. */
  affine?: boolean;
  /** Keep running mean/variance for eval mode [true]. */
  trackRunningStats?: boolean;
}

abstract class BatchNormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Tensor | null;
  bias: Tensor | null;
  // Buffer names follow PyTorch so state dicts load in both directions.
  declare running_mean: Tensor | null;
  declare running_var: Tensor | null;
  declare num_batches_tracked: Tensor | null;

  constructor(numFeatures: number, opts: BatchNormOptions) {
    super();
    checkPositiveInt(this.constructor.name, "numFeatures", numFeatures);
    this.numFeatures = numFeatures;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    this.affine = opts.affine ?? true;
    this.trackRunningStats = opts.trackRunningStats ?? true;
    this.weight = this.affine ? constant(newParameter([numFeatures]), 1) : null;
    this.bias = this.affine ? constant(newParameter([numFeatures]), 0) : null;
    this.registerBuffer("running_mean", this.trackRunningStats ? newBuffer([numFeatures], 0) : null);
    this.registerBuffer("running_var", this.trackRunningStats ? newBuffer([numFeatures], 1) : null);
    this.registerBuffer("num_batches_tracked", this.trackRunningStats ? fromData([0], [], "int32") : null);
  }

  /** PyTorch's `running_mean`, by its camelCase name. */
  get runningMean(): Tensor | null {
    return this.running_mean;
  }
  /** PyTorch's `running_var`, by its camelCase name. */
  get runningVar(): Tensor | null {
    return this.running_var;
  }

  protected abstract checkInput(x: Tensor): void;

  override forward(x: Tensor): Tensor {
    this.checkInput(x);
    const dims = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2)];
    const bshape = x.shape.map((d, i) => (i === 1 ? d : 1));
    const useBatch = this.training || !this.trackRunningStats;
    let m: Tensor;
    let v: Tensor;
    if (useBatch) {
      m = mean(x, dims, true);
      v = variance(x, dims, true, { correction: 0 });
      if (this.training && this.trackRunningStats) this.updateRunningStats(m, v, x.numel() / this.numFeatures);
    } else {
      m = reshape(this.running_mean!, bshape);
      v = reshape(this.running_var!, bshape);
    }
    let y = div(sub(x, m), sqrt(add(v, this.eps)));
    if (this.weight && this.bias) y = add(mul(y, reshape(this.weight, bshape)), reshape(this.bias, bshape));
    return y;
  }

  private updateRunningStats(m: Tensor, v: Tensor, n: number): void {
    const onDevice = [this.num_batches_tracked!, this.running_mean!, this.running_var!].every((t) => t.device === m.device);
    if (onDevice && backendNamed(m.device).onDevice) return noGrad(() => tidy(() => this.updateOnDevice(m, v, n)));
    noGrad(() => {
      const nbt = this.num_batches_tracked!;
      const count = nbt.item() + 1;
      copyInto(nbt, [count]);
      const mom = this.momentum === null ? 1 / count : this.momentum;
      const bm = valuesOf(m);
      const bv = valuesOf(v);
      const rm = Float64Array.from(valuesOf(this.running_mean!));
      const rv = Float64Array.from(valuesOf(this.running_var!));
      const unbias = n > 1 ? n / (n - 1) : 1;
      for (let c = 0; c < rm.length; c++) {
        rm[c] = (1 - mom) * rm[c] + mom * bm[c];
        rv[c] = (1 - mom) * rv[c] + mom * bv[c] * unbias;
      }
      copyInto(this.running_mean!, rm);
      copyInto(this.running_var!, rv);
    });
  }

  /**
   * The running-statistics update as in-place device ops, so training on a device backend
   * reads nothing back per step (the host path above stays the reference on cpu backends).
   * momentum null (cumulative average) weighs the batch by 1/num_batches_tracked on device.
   */
  private updateOnDevice(m: Tensor, v: Tensor, n: number): void {
    const nbt = this.num_batches_tracked!, rm = this.running_mean!, rv = this.running_var!;
    add_(nbt, 1);
    const bm = cast(reshape(m, [this.numFeatures]), rm.dtype);
    const bv = cast(mul(reshape(v, [this.numFeatures]), n > 1 ? n / (n - 1) : 1), rv.dtype);
    if (this.momentum !== null) {
      for (const [r, b] of [[rm, bm], [rv, bv]] as const) {
        mul_(r, 1 - this.momentum);
        add_(r, b, this.momentum);
      }
      return;
    }
    const w = reciprocal(cast(nbt, rm.dtype));
    add_(rm, mul(sub(bm, rm), w));
    add_(rv, mul(sub(bv, rv), w));
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}

/** Batch normalisation over [N, C] or [N, C, L] inputs, per channel C. */
export class BatchNorm1d extends BatchNormBase {
  constructor(args: BatchNormArgs);
  constructor(numFeatures: number, options?: BatchNormOptions);
  constructor(...args: unknown[]) {
    const a = bnArgs("BatchNorm1d", args);
    super(a.numFeatures, a);
  }
  protected checkInput(x: Tensor): void {
    if ((x.ndim !== 2 && x.ndim !== 3) || x.shape[1] !== this.numFeatures) {
      throw new Error(`BatchNorm1d: expected input [N, ${this.numFeatures}] or [N, ${this.numFeatures}, L], got ${formatShape(x.shape)}`);
    }
    if (this.training && x.numel() / this.numFeatures <= 1) {
      throw new Error(`BatchNorm1d: expected more than 1 value per channel when training, got input size ${formatShape(x.shape)}`);
    }
  }
}

/** Batch normalisation over [N, C, H, W] inputs, per channel C. */
export class BatchNorm2d extends BatchNormBase {
  constructor(args: BatchNormArgs);
  constructor(numFeatures: number, options?: BatchNormOptions);
  constructor(...args: unknown[]) {
    const a = bnArgs("BatchNorm2d", args);
    super(a.numFeatures, a);
  }
  protected checkInput(x: Tensor): void {
    if (x.ndim !== 4 || x.shape[1] !== this.numFeatures) {
      throw new Error(`BatchNorm2d: expected input [N, ${this.numFeatures}, H, W], got ${formatShape(x.shape)}`);
    }
    if (this.training && x.numel() / this.numFeatures <= 1) {
      throw new Error(`BatchNorm2d: expected more than 1 value per channel when training, got input size ${formatShape(x.shape)}`);
    }
  }
}

/**
 * Layer normalisation over the last dims given by `normalizedShape` (biased variance),
 * with a learned elementwise scale and shift.
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Tensor | null;
  bias: Tensor | null;

  constructor(args: { normalizedShape: number | number[]; eps?: number; elementwiseAffine?: boolean; bias?: boolean });
  constructor(normalizedShape: number | number[], options?: { eps?: number; elementwiseAffine?: boolean; bias?: boolean });
  constructor(...args: unknown[]) {
    super();
    const { normalizedShape, ...opts } = layerArgs<{ normalizedShape: number | number[]; eps?: number; elementwiseAffine?: boolean; bias?: boolean }>(
      "LayerNorm", args, ["normalizedShape", "eps", "elementwiseAffine", "bias"], 1, DEVICE_DTYPE);
    this.normalizedShape = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
    this.normalizedShape.forEach((d) => checkPositiveInt("LayerNorm", "normalizedShape", d));
    this.eps = opts.eps ?? 1e-5;
    this.elementwiseAffine = opts.elementwiseAffine ?? true;
    this.weight = this.elementwiseAffine ? constant(newParameter(this.normalizedShape), 1) : null;
    this.bias = this.elementwiseAffine && opts.bias !== false ? constant(newParameter(this.normalizedShape), 0) : null;
  }

  override forward(x: Tensor): Tensor {
    const k = this.normalizedShape.length;
    const tail = x.shape.slice(x.ndim - k);
    if (x.ndim < k || tail.some((d, i) => d !== this.normalizedShape[i])) {
      throw new Error(`LayerNorm: expected input ending in ${formatShape(this.normalizedShape)}, got ${formatShape(x.shape)}`);
    }
    const dims = Array.from({ length: k }, (_, i) => x.ndim - k + i);
    const m = mean(x, dims, true);
    const v = variance(x, dims, true, { correction: 0 });
    let y = div(sub(x, m), sqrt(add(v, this.eps)));
    if (this.weight) y = mul(y, this.weight);
    if (this.bias) y = add(y, this.bias);
    return y;
  }

  override extraRepr(): string {
    return `${formatShape(this.normalizedShape)}, eps=${this.eps}, elementwiseAffine=${this.elementwiseAffine}`;
  }
}
