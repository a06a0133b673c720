/**
 * Convolution and pooling layers: Conv1d, Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d.
 * The arithmetic is the core's functional conv and pooling; these classes hold weights and options.
 */
import type { Tensor } from "../tensor/tensor.js";
import * as F from "../functional/index.js";
import { formatShape } from "../tensor/shape.js";
import { Module } from "./module.js";
import { defaultLayerInit } from "./init.js";
import { checkPositiveInt, layerArgs, maxPoolArgs, newParameter, pairRepr } from "./layer-util.js";
import { DEVICE_DTYPE } from "./linear.js";
import { checkChoice } from "../functional/choice.js";

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
  /** Only "zeros" (PyTorch's default) is supported. */
  paddingMode?: "zeros";
}

/** Every argument of Conv1d/Conv2d by name: `new nn.Conv2d({ inChannels: 1, outChannels: 8, kernelSize: 3 })`. */
export interface ConvLayerArgs<P = Pair> extends ConvLayerOptions<P> {
  inChannels: number;
  outChannels: number;
  kernelSize: P;
}

const CONV_NAMES = ["inChannels", "outChannels", "kernelSize", "stride", "padding", "dilation", "groups", "bias", "paddingMode"] as const;

function convArgs<P>(layer: string, args: unknown[]): ConvLayerArgs<P> {
  const a = layerArgs<ConvLayerArgs<P>>(layer, args, CONV_NAMES, 3, DEVICE_DTYPE);
  if (a.paddingMode !== undefined) checkChoice(layer, "paddingMode", a.paddingMode, ["zeros"]);
  return a;
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
  constructor(args: ConvLayerArgs);
  constructor(inChannels: number, outChannels: number, kernelSize: Pair, options?: ConvLayerOptions);
  constructor(inChannels: number, outChannels: number, kernelSize: Pair, stride?: Pair, padding?: Pair | "same" | "valid", dilation?: Pair, groups?: number, bias?: boolean);
  constructor(...args: unknown[]) {
    const a = convArgs<Pair>("Conv2d", args);
    const k = typeof a.kernelSize === "number" ? [a.kernelSize, a.kernelSize] : [...a.kernelSize];
    super("Conv2d", a.inChannels, a.outChannels, k, a);
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
  constructor(args: ConvLayerArgs<number>);
  constructor(inChannels: number, outChannels: number, kernelSize: number, options?: ConvLayerOptions<number>);
  constructor(inChannels: number, outChannels: number, kernelSize: number, stride?: number, padding?: number | "same" | "valid", dilation?: number, groups?: number, bias?: boolean);
  constructor(...args: unknown[]) {
    const a = convArgs<number>("Conv1d", args);
    super("Conv1d", a.inChannels, a.outChannels, [a.kernelSize], a);
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

/** Options of the pooling layers, PyTorch's defaults in brackets. */
export interface PoolOptions {
  /** Step of the window [kernelSize]. */
  stride?: Pair | null;
  /** Implicit padding on each side [0] (−∞ for max, 0 for average). */
  padding?: Pair;
  /** Use ceil instead of floor for the output size [false]. */
  ceilMode?: boolean;
}

/** Every argument of MaxPool2d by name, PyTorch's defaults in brackets. */
export interface MaxPoolArgs extends PoolOptions {
  kernelSize: Pair;
  /** Spacing between window elements [1]. */
  dilation?: Pair;
}

/** Every argument of AvgPool2d by name, PyTorch's defaults in brackets. */
export interface AvgPoolArgs extends PoolOptions {
  kernelSize: Pair;
  /** Count the zero padding in the divisor [true]. */
  countIncludePad?: boolean;
}

/** Max over each window: `new nn.MaxPool2d(2)` halves H and W. */
export class MaxPool2d extends Module {
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly dilation: Pair;
  readonly ceilMode: boolean;
  constructor(args: MaxPoolArgs);
  constructor(kernelSize: Pair, options?: Omit<MaxPoolArgs, "kernelSize">);
  /** PyTorch's positional order: (kernelSize, stride, padding, dilation, returnIndices, ceilMode). */
  constructor(kernelSize: Pair, stride?: Pair | null, padding?: Pair, dilation?: Pair, returnIndices?: false, ceilMode?: boolean);
  constructor(...args: unknown[]) {
    super();
    const a = maxPoolArgs<Pair>("MaxPool2d", args, "F.maxPool2d");
    this.kernelSize = a.kernelSize;
    this.stride = a.stride;
    this.padding = a.padding;
    this.dilation = a.dilation;
    this.ceilMode = a.ceilMode;
  }
  override forward(x: Tensor): Tensor {
    return F.maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode });
  }
  override extraRepr(): string {
    return `kernelSize=${pairRepr(this.kernelSize)}, stride=${pairRepr(this.stride)}, padding=${pairRepr(this.padding)}, dilation=${pairRepr(this.dilation)}, ceilMode=${this.ceilMode}`;
  }
}

/** Mean over each window (padding counted as zeros, PyTorch's default). */
export class AvgPool2d extends Module {
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  constructor(args: AvgPoolArgs);
  constructor(kernelSize: Pair, options?: Omit<AvgPoolArgs, "kernelSize">);
  /** PyTorch's positional order: (kernelSize, stride, padding, ceilMode, countIncludePad). */
  constructor(kernelSize: Pair, stride?: Pair | null, padding?: Pair, ceilMode?: boolean, countIncludePad?: boolean);
  constructor(...args: unknown[]) {
    super();
    const a = layerArgs<AvgPoolArgs>("AvgPool2d", args, ["kernelSize", "stride", "padding", "ceilMode", "countIncludePad"], 1, {
      divisorOverride: "divide the output yourself: F.avgPool2d(x, k).mul(k * k / d)",
    });
    this.kernelSize = a.kernelSize;
    this.stride = a.stride ?? a.kernelSize;
    this.padding = a.padding ?? 0;
    this.ceilMode = a.ceilMode ?? false;
    this.countIncludePad = a.countIncludePad ?? true;
  }
  override forward(x: Tensor): Tensor {
    return F.avgPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad });
  }
  override extraRepr(): string {
    return `kernelSize=${pairRepr(this.kernelSize)}, stride=${pairRepr(this.stride)}, padding=${pairRepr(this.padding)}`;
  }
}

/** Average pooling to a fixed output size; `new nn.AdaptiveAvgPool2d(1)` is global average pooling. */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: Pair;
  constructor(args: { outputSize: Pair });
  constructor(outputSize: Pair);
  constructor(...args: unknown[]) {
    super();
    this.outputSize = layerArgs<{ outputSize: Pair }>("AdaptiveAvgPool2d", args, ["outputSize"], 1).outputSize;
  }
  override forward(x: Tensor): Tensor {
    return F.adaptiveAvgPool2d(x, this.outputSize);
  }
  override extraRepr(): string {
    return `outputSize=${pairRepr(this.outputSize)}`;
  }
}
