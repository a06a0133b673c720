/**
 * Fully connected and shape layers: Linear, Identity, Flatten, Unflatten.
 * Convolutions and pooling are in conv.ts; activations in activation.ts.
 */
import { Tensor } from "../tensor/tensor.js";
import { linear } from "../ops/matmul.js";
import type { LinearActivation } from "../backend/backend.js";
import { runsOwnForward, type AbsorbsActivation } from "./fusion.js";
import { flatten, reshape } from "../ops/movement.js";
import { formatShape } from "../tensor/shape.js";
import { Module } from "./module.js";
import { defaultLayerInit } from "./init.js";
import { checkLastDim, checkPositiveInt, layerArgs, newParameter } from "./layer-util.js";

/** Arguments of Linear by PyTorch's names (camelCase). */
export interface LinearArgs {
  inFeatures: number;
  outFeatures: number;
  /** Learn an additive bias [true]. */
  bias?: boolean;
}

/** PyTorch keywords that gradnote layers do not take, with what to write instead. */
export const DEVICE_DTYPE = {
  device: "move the model with model.to(device)",
  dtype: "convert the model with model.double() or model.to(dtype)",
};

/**
 * y = x Wᵀ + b, with weight [outFeatures, inFeatures] and bias [outFeatures], both drawn
 * from U(−1/√inFeatures, 1/√inFeatures) like PyTorch.
 */
export class Linear extends Module implements AbsorbsActivation {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Tensor;
  bias: Tensor | null;

  constructor(inFeatures: number, outFeatures: number, options?: { bias?: boolean });
  constructor(inFeatures: number, outFeatures: number, bias?: boolean);
  constructor(args: LinearArgs);
  constructor(...args: unknown[]) {
    super();
    const { inFeatures, outFeatures, bias } = layerArgs<LinearArgs>("Linear", args, ["inFeatures", "outFeatures", "bias"], 2, DEVICE_DTYPE);
    checkPositiveInt("Linear", "inFeatures", inFeatures);
    checkPositiveInt("Linear", "outFeatures", outFeatures);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = newParameter([outFeatures, inFeatures]);
    this.bias = bias === false ? null : newParameter([outFeatures]);
    this.resetParameters();
  }

  /** Re-draws the weights with PyTorch's default initialisation. */
  resetParameters(): void {
    defaultLayerInit(this.weight, this.bias);
  }

  override forward(x: Tensor): Tensor {
    checkLastDim("Linear", x, this.inFeatures, "inFeatures");
    return linear(x, this.weight, this.bias);
  }

  /**
   * This layer then `act` in one call, as Sequential asks for `Linear, ReLU` pairs (a backend
   * with a fused kernel runs matmul, bias and activation in one pass). Null when the result
   * could differ from calling them in turn: no bias, an overridden forward (a subclass or a
   * patched instance), or an input that is not a [.., inFeatures] tensor.
   */
  fusedForward(x: unknown, act: LinearActivation): Tensor | null {
    if (!runsOwnForward(this, LINEAR_FORWARD) || this.bias === null) return null;
    if (!(x instanceof Tensor) || x.ndim < 2 || x.shape[x.ndim - 1] !== this.inFeatures) return null;
    return linear(x, this.weight, this.bias, { activation: act });
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

/** Linear's own forward, captured at load (a later patch of the prototype is not fused). */
const LINEAR_FORWARD = Linear.prototype.forward;

/** Returns its input unchanged (a placeholder layer). */
export class Identity extends Module {
  override forward(x: Tensor): Tensor {
    return x;
  }
}

/** Flattens dims `startDim`..`endDim` (default 1..-1, keeping the batch dim). */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;
  constructor(...args: [startDim?: number, endDim?: number] | [{ startDim?: number; endDim?: number }]) {
    super();
    const a = layerArgs<{ startDim?: number; endDim?: number }>("Flatten", args, ["startDim", "endDim"], 0);
    this.startDim = a.startDim ?? 1;
    this.endDim = a.endDim ?? -1;
  }
  override forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

/** Expands dimension `dim` into `sizes` (the inverse of Flatten). */
export class Unflatten extends Module {
  readonly dim: number;
  readonly sizes: number[];
  constructor(args: { dim: number; unflattenedSize: number[] });
  constructor(dim: number, unflattenedSize: number[]);
  constructor(...args: unknown[]) {
    super();
    const a = layerArgs<{ dim: number; unflattenedSize: number[] }>("Unflatten", args, ["dim", "unflattenedSize"], 2);
    if (!Array.isArray(a.unflattenedSize) || !a.unflattenedSize.every((v) => Number.isInteger(v) && v > 0)) {
      throw new Error(`Unflatten: unflattenedSize must be an array of positive sizes, got ${JSON.stringify(a.unflattenedSize)}`);
    }
    this.dim = a.dim;
    this.sizes = [...a.unflattenedSize];
  }

  /** PyTorch's name for `sizes`. */
  get unflattenedSize(): number[] {
    return this.sizes;
  }
  override forward(x: Tensor): Tensor {
    const d = this.dim < 0 ? this.dim + x.ndim : this.dim;
    const n = this.sizes.reduce((a, b) => a * b, 1);
    if (d < 0 || d >= x.ndim || x.shape[d] !== n) {
      throw new Error(`Unflatten: cannot unflatten dim ${this.dim} of shape ${formatShape(x.shape)} into ${formatShape(this.sizes)}`);
    }
    return reshape(x, [...x.shape.slice(0, d), ...this.sizes, ...x.shape.slice(d + 1)]);
  }
  override extraRepr(): string {
    return `dim=${this.dim}, sizes=${formatShape(this.sizes)}`;
  }
}
