/**
 * 1-D pooling modules (MaxPool1d, AvgPool1d, AdaptiveAvgPool1d) over [n, c, l], with PyTorch's
 * positional order or options by name; thin wrappers over F.maxPool1d / avgPool1d /
 * adaptiveAvgPool1d. The 2-D ones live in conv.ts.
 */
import type { Tensor } from "../tensor/tensor.js";
import * as F from "../functional/index.js";
import { Module } from "./module.js";
import { layerArgs, maxPoolArgs } from "./layer-util.js";

/** Every argument of MaxPool1d by name, PyTorch's defaults in brackets. */
export interface MaxPool1dArgs {
  kernelSize: number;
  /** [kernelSize] */
  stride?: number | null;
  /** Implicit −inf padding per side [0]. */
  padding?: number;
  /** Spacing between window elements [1]. */
  dilation?: number;
  /** Ceil instead of floor for the output length [false]. */
  ceilMode?: boolean;
}

/** Max over each window of the last dim: `new nn.MaxPool1d(2)` halves L. */
export class MaxPool1d extends Module {
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
  readonly ceilMode: boolean;
  constructor(args: MaxPool1dArgs);
  constructor(kernelSize: number, options?: Omit<MaxPool1dArgs, "kernelSize">);
  /** PyTorch's positional order: (kernelSize, stride, padding, dilation, returnIndices, ceilMode). */
  constructor(kernelSize: number, stride?: number | null, padding?: number, dilation?: number, returnIndices?: false, ceilMode?: boolean);
  constructor(...args: unknown[]) {
    super();
    const a = maxPoolArgs<number>("MaxPool1d", args, "F.maxPool1d");
    this.kernelSize = a.kernelSize;
    this.stride = a.stride;
    this.padding = a.padding;
    this.dilation = a.dilation;
    this.ceilMode = a.ceilMode;
  }
  override forward(x: Tensor): Tensor {
    return F.maxPool1d(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode });
  }
  override extraRepr(): string {
    return `kernelSize=${this.kernelSize}, stride=${this.stride}, padding=${this.padding}, dilation=${this.dilation}, ceilMode=${this.ceilMode}`;
  }
}

/** Every argument of AvgPool1d by name, PyTorch's defaults in brackets. */
export interface AvgPool1dArgs {
  kernelSize: number;
  /** [kernelSize] */
  stride?: number | null;
  /** Zero padding per side [0]. */
  padding?: number;
  /** Ceil instead of floor for the output length [false]. */
  ceilMode?: boolean;
  /** Count the zero padding in the divisor [true]. */
  countIncludePad?: boolean;
}

/** Mean over each window of the last dim: `new nn.AvgPool1d(3, 2)`. */
export class AvgPool1d extends Module {
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  constructor(args: AvgPool1dArgs);
  constructor(kernelSize: number, options?: Omit<AvgPool1dArgs, "kernelSize">);
  /** PyTorch's positional order: (kernelSize, stride, padding, ceilMode, countIncludePad). */
  constructor(kernelSize: number, stride?: number | null, padding?: number, ceilMode?: boolean, countIncludePad?: boolean);
  constructor(...args: unknown[]) {
    super();
    const a = layerArgs<AvgPool1dArgs>("AvgPool1d", args, ["kernelSize", "stride", "padding", "ceilMode", "countIncludePad"], 1);
    this.kernelSize = a.kernelSize;
    this.stride = a.stride ?? a.kernelSize;
    this.padding = a.padding ?? 0;
    this.ceilMode = a.ceilMode ?? false;
    this.countIncludePad = a.countIncludePad ?? true;
  }
  override forward(x: Tensor): Tensor {
    return F.avgPool1d(x, this.kernelSize, { stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad });
  }
  override extraRepr(): string {
    return `kernelSize=${this.kernelSize}, stride=${this.stride}, padding=${this.padding}`;
  }
}

/** Mean over `outputSize` adaptive windows of the last dim: `new nn.AdaptiveAvgPool1d(1)` is global pooling. */
export class AdaptiveAvgPool1d extends Module {
  readonly outputSize: number;
  constructor(...args: [outputSize: number] | [{ outputSize: number }]) {
    super();
    this.outputSize = layerArgs<{ outputSize: number }>("AdaptiveAvgPool1d", args, ["outputSize"], 1).outputSize;
  }
  override forward(x: Tensor): Tensor {
    return F.adaptiveAvgPool1d(x, this.outputSize);
  }
  override extraRepr(): string {
    return `outputSize=${this.outputSize}`;
  }
}
