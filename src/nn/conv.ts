/**
 * Convolution and pooling layers: Conv1d, Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d.
 * The arithmetic is the core's functional conv and pooling; these classes hold weights and options.
 */
import type { Tensor } from "../tensor/tensor.js";
import * as F from "../functional/index.js";
import { formatShape } from "../tensor/shape.js";
import { Module } from "./module.js";
import { defaultLayerInit } from "./init.js";
import { checkPositiveInt, newParameter, pairRepr } from "./layer-util.js";

type Pair = number | [number, number];

/** Options of Conv1d/Conv2d, PyTorch's defaults in brackets. */
export interface ConvLayerOptions<P = Pair> {
  /** Step of the window [1]. */
  stride?: P;
  /** Zeros added on each side [0], or "valid" (none) / "same" (output size = input size). */
  padding?: P | "same" | "valid";
  /** Spacing between kernel elements [1]. */
  dilation?: P;
  /** Blocked connections from input to output channels [1]. */
  groups?: number;
  /** Learn an additive bias [true]. */
  bias?: boolean;
}

abstract class ConvNd extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number[];
  readonly stride: Pair;
  readonly padding: Pair | "same" | "valid";
  readonly dilation: Pair;
  readonly groups: number;
  weight: Tensor;
  bias: Tensor | null;

  constructor(name: string, inC: number, outC: number, kernel: number[], opts: ConvLayerOptions<Pair>) {
    super();
    checkPositiveInt(name, "inChannels", inC);
    checkPositiveInt(name, "outChannels", outC);
    kernel.forEach((k) => checkPositiveInt(name, "kernelSize", k));
    this.groups = opts.groups ?? 1;
    if (inC % this.groups !== 0 || outC % this.groups !== 0) {
      throw new Error(`${name}: inChannels (${inC}) and outChannels (${outC}) must both be divisible by groups (${this.groups})`);
    }
    this.inChannels = inC;
    this.outChannels = outC;
    this.kernelSize = kernel;
    this.stride = opts.stride ?? 1;
    this.padding = opts.padding ?? 0;
    this.dilation = opts.dilation ?? 1;
    this.weight = newParameter([outC, inC / this.groups, ...kernel]);
    this.bias = opts.bias === false ? null : newParameter([outC]);
    this.resetParameters();
  }

  /** Re-draws the weights with PyTorch's default initialisation. */
  resetParameters(): void {
    defaultLayerInit(this.weight, this.bias);
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernelSize=${pairRepr(this.kernelSize)}, stride=${pairRepr(this.stride)}`;
    if (this.padding !== 0) s += `, padding=${typeof this.padding === "string" ? this.padding : pairRepr(this.padding)}`;
    if (this.dilation !== 1) s += `, dilation=${pairRepr(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ", bias=false";
    return s;
  }
}

/** 2-D convolution over [N, C, H, W] (or [C, H, W]): `new nn.Conv2d(3, 10, 5, { padding: 2 })`. */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Pair, opts: ConvLayerOptions = {}) {
    const k = typeof kernelSize === "number" ? [kernelSize, kernelSize] : [...kernelSize];
    super("Conv2d", inChannels, outChannels, k, opts);
  }
  override forward(x: Tensor): Tensor {
    if ((x.ndim !== 4 && x.ndim !== 3) || x.shape[x.ndim - 3] !== this.inChannels) {
      throw new Error(`Conv2d: expected input [N, ${this.inChannels}, H, W] or [${this.inChannels}, H, W], got ${formatShape(x.shape)}`);
    }
    return F.conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
}

/** 1-D convolution over [N, C, L] (or [C, L]). */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number, opts: ConvLayerOptions<number> = {}) {
    super("Conv1d", inChannels, outChannels, [kernelSize], opts);
  }
  override forward(x: Tensor): Tensor {
    if ((x.ndim !== 3 && x.ndim !== 2) || x.shape[x.ndim - 2] !== this.inChannels) {
      throw new Error(`Conv1d: expected input [N, ${this.inChannels}, L] or [${this.inChannels}, L], got ${formatShape(x.shape)}`);
    }
    return F.conv1d(x, this.weight, this.bias, {
      stride: this.stride as number, padding: this.padding as number, dilation: this.dilation as number, groups: this.groups,
    });
  }
}

/** Options of the pooling layers. */
export interface PoolOptions {
  /** Step of the window [kernelSize]. */
  stride?: Pair | null;
  /** Implicit padding on each side [0] (−∞ for max, 0 for average). */
  padding?: Pair;
}

/** Max over each window: `new nn.MaxPool2d(2)` halves H and W. */
export class MaxPool2d extends Module {
  readonly stride: Pair;
  readonly padding: Pair;
  constructor(readonly kernelSize: Pair, opts: PoolOptions & { dilation?: Pair } = {}) {
    super();
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
  }
  override forward(x: Tensor): Tensor {
    return F.maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding });
  }
  override extraRepr(): string {
    return `kernelSize=${pairRepr(this.kernelSize)}, stride=${pairRepr(this.stride)}, padding=${pairRepr(this.padding)}`;
  }
}

/** Mean over each window (padding counted as zeros, PyTorch's default). */
export class AvgPool2d extends Module {
  readonly stride: Pair;
  readonly padding: Pair;
  constructor(readonly kernelSize: Pair, opts: PoolOptions = {}) {
    super();
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
  }
  override forward(x: Tensor): Tensor {
    return F.avgPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding });
  }
  override extraRepr(): string {
    return `kernelSize=${pairRepr(this.kernelSize)}, stride=${pairRepr(this.stride)}, padding=${pairRepr(this.padding)}`;
  }
}

/** Average pooling to a fixed output size; `new nn.AdaptiveAvgPool2d(1)` is global average pooling. */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: Pair) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.adaptiveAvgPool2d(x, this.outputSize);
  }
  override extraRepr(): string {
    return `outputSize=${pairRepr(this.outputSize)}`;
  }
}
