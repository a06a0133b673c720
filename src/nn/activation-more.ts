/**
 * The rest of PyTorch's common activation modules (SiLU, Hardtanh, ReLU6, SELU, Softsign,
 * LogSigmoid, Softmin) and SmoothL1Loss, as thin wrappers over nn.functional, so that ported
 * model definitions find them. The first activation modules live in activation.ts.
 */
import type { Tensor } from "../tensor/tensor.js";
import * as F from "../functional/index.js";
import { Module } from "./module.js";
import { layerArgs } from "./layer-util.js";
import { checkChoice, checkKwargs } from "../functional/choice.js";
import type { Reduction } from "./loss.js";

/** PyTorch's `inplace=True` has no gradnote equivalent: layers return new tensors. */
function inplaceArgs(layer: string, args: readonly unknown[]): void {
  const a = layerArgs<{ inplace?: boolean }>(layer, args, ["inplace"], 0);
  if (a.inplace) throw new Error(`${layer}: option inplace=true is not supported (gradnote layers return a new tensor); leave it out`);
}

/** x · sigmoid(x) (swish). */
export class SiLU extends Module {
  constructor(...args: [inplace?: boolean] | [{ inplace?: boolean }]) {
    super();
    inplaceArgs("SiLU", args);
  }
  override forward(x: Tensor): Tensor {
    return F.silu(x);
  }
}

/** clamp(x, minVal, maxVal) with gradient 0 at the bounds: `new nn.Hardtanh(-2, 2)` or `({ minVal, maxVal })`. */
export class Hardtanh extends Module {
  readonly minVal: number;
  readonly maxVal: number;
  constructor(...args: [minVal?: number, maxVal?: number, inplace?: boolean] | [{ minVal?: number; maxVal?: number; inplace?: boolean }]) {
    super();
    const a = layerArgs<{ minVal?: number; maxVal?: number; inplace?: boolean }>("Hardtanh", args, ["minVal", "maxVal", "inplace"], 0);
    if (a.inplace) throw new Error("Hardtanh: option inplace=true is not supported (gradnote layers return a new tensor); leave it out");
    this.minVal = a.minVal ?? -1;
    this.maxVal = a.maxVal ?? 1;
    if (!(this.maxVal > this.minVal)) throw new Error(`Hardtanh: maxVal (${this.maxVal}) must be greater than minVal (${this.minVal})`);
  }
  override forward(x: Tensor): Tensor {
    return F.hardtanh(x, this.minVal, this.maxVal);
  }
  override extraRepr(): string {
    return `minVal=${this.minVal}, maxVal=${this.maxVal}`;
  }
}

/** min(max(0, x), 6). */
export class ReLU6 extends Module {
  constructor(...args: [inplace?: boolean] | [{ inplace?: boolean }]) {
    super();
    inplaceArgs("ReLU6", args);
  }
  override forward(x: Tensor): Tensor {
    return F.relu6(x);
  }
}

/** Scaled ELU with PyTorch's constants. */
export class SELU extends Module {
  constructor(...args: [inplace?: boolean] | [{ inplace?: boolean }]) {
    super();
    inplaceArgs("SELU", args);
  }
  override forward(x: Tensor): Tensor {
    return F.selu(x);
  }
}

/** x / (1 + |x|). */
export class Softsign extends Module {
  override forward(x: Tensor): Tensor {
    return F.softsign(x);
  }
}

/** log(sigmoid(x)), finite for any finite x. */
export class LogSigmoid extends Module {
  override forward(x: Tensor): Tensor {
    return F.logSigmoid(x);
  }
}

/** softmax(−x) along `dim`: `new nn.Softmin(1)` or `({ dim: 1 })`. */
export class Softmin extends Module {
  readonly dim: number;
  constructor(...args: [dim: number] | [{ dim: number }]) {
    super();
    this.dim = layerArgs<{ dim: number }>("Softmin", args, ["dim"], 1).dim;
  }
  override forward(x: Tensor): Tensor {
    return F.softmin(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Smooth L1: ½d²/beta below `beta` (1.0), |d| − ½beta above: `new nn.SmoothL1Loss({ beta: 0.5 })`. */
export class SmoothL1Loss extends Module {
  readonly reduction: Reduction;
  readonly beta: number;
  constructor(opts: { reduction?: Reduction; beta?: number } = {}) {
    super();
    checkKwargs("SmoothL1Loss", opts, ["reduction", "beta"]);
    this.reduction = checkChoice("SmoothL1Loss", "reduction", opts.reduction ?? "mean", ["mean", "sum", "none"] as const);
    this.beta = opts.beta ?? 1.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
  override extraRepr(): string {
    return [this.reduction === "mean" ? "" : `reduction=${this.reduction}`, this.beta === 1 ? "" : `beta=${this.beta}`].filter(Boolean).join(", ");
  }
}
