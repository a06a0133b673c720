/**
 * Transposed convolution layers (PyTorch's ConvTranspose1d / ConvTranspose2d): weight
 * [inChannels, outChannels/groups, …kernel], PyTorch's default initialisation, and the
 * functional `convTranspose1d/2d` in src/ops/conv-transpose.ts for the arithmetic.
 */
import type { Tensor } from "../tensor/tensor.js";
import { convTranspose1d, convTranspose2d } from "../ops/conv-transpose.js";
import { formatShape } from "../tensor/shape.js";
import { Module } from "./module.js";
import { defaultLayerInit } from "./init.js";
import { checkPositiveInt, layerArgs, newParameter } from "./layer-util.js";

type Pair = number | [number, number];

/** Arguments of ConvTranspose2d, by PyTorch's names (camelCase), defaults in brackets. */
export interface ConvTransposeArgs<P = Pair> {
  inChannels: number;
  outChannels: number;
  kernelSize: P;
  /** Step of the corresponding convolution [1]. */
  stride?: P;
  /** `dilation·(kernelSize − 1) − padding` zeros are added to both sides of the input [0]. */
  padding?: P;
  /** Extra size added to one side of each output dim [0]. */
  outputPadding?: P;
  /** Blocked connections from input to output channels [1]. */
  groups?: number;
  /** Learn an additive bias [true]. */
  bias?: boolean;
  /** Spacing between kernel elements [1]. */
  dilation?: P;
}

/** The options after the three positional arguments. */
export type ConvTransposeOptions<P = Pair> = Omit<ConvTransposeArgs<P>, "inChannels" | "outChannels" | "kernelSize">;

const POSITIONAL = ["inChannels", "outChannels", "kernelSize", "stride", "padding", "outputPadding", "groups", "bias", "dilation"] as const;
const UNSUPPORTED = {
  paddingMode: "only zero padding is supported",
  device: "move the model with model.to(device)",
  dtype: "convert the model with model.double() / model.to(dtype)",
};

abstract class ConvTransposeNd extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number[];
  readonly stride: Pair;
  readonly padding: Pair;
  readonly outputPadding: Pair;
  readonly groups: number;
  readonly dilation: Pair;
  weight: Tensor;
  bias: Tensor | null;

  constructor(name: string, a: ConvTransposeArgs<Pair>, kernel: number[]) {
    super();
    checkPositiveInt(name, "inChannels", a.inChannels);
    checkPositiveInt(name, "outChannels", a.outChannels);
    kernel.forEach((k) => checkPositiveInt(name, "kernelSize", k));
    this.groups = a.groups ?? 1;
    checkPositiveInt(name, "groups", this.groups);
    if (a.inChannels % this.groups !== 0 || a.outChannels % this.groups !== 0) {
      throw new Error(`${name}: inChannels (${a.inChannels}) and outChannels (${a.outChannels}) must both be divisible by groups (${this.groups})`);
    }
    this.inChannels = a.inChannels;
    this.outChannels = a.outChannels;
    this.kernelSize = kernel;
    this.stride = a.stride ?? 1;
    this.padding = a.padding ?? 0;
    this.outputPadding = a.outputPadding ?? 0;
    this.dilation = a.dilation ?? 1;
    this.weight = newParameter([a.inChannels, a.outChannels / this.groups, ...kernel]);
    this.bias = a.bias === false ? null : newParameter([a.outChannels]);
    this.resetParameters();
  }

  /** Re-draws the weights with PyTorch's default initialisation (fan-in from weight dim 1). */
  resetParameters(): void {
    defaultLayerInit(this.weight, this.bias);
  }

  override extraRepr(): string {
    // PyTorch stores every size as a tuple of the layer's dimensionality: `stride=(2, 2)`, `(3,)`.
    const nd = this.kernelSize.length;
    const tup = (v: Pair) => {
      const t = typeof v === "number" ? new Array<number>(nd).fill(v) : [...v];
      return nd === 1 ? `(${t[0]},)` : `(${t.join(", ")})`;
    };
    const nz = (v: Pair, d: number) => (typeof v === "number" ? v !== d : v.some((x) => x !== d));
    let s = `${this.inChannels}, ${this.outChannels}, kernelSize=${tup(this.kernelSize as [number, number])}, stride=${tup(this.stride)}`;
    if (nz(this.padding, 0)) s += `, padding=${tup(this.padding)}`;
    if (nz(this.outputPadding, 0)) s += `, outputPadding=${tup(this.outputPadding)}`;
    if (nz(this.dilation, 1)) s += `, dilation=${tup(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ", bias=false";
    return s;
  }
}

/**
 * 2-D transposed convolution over [N, C, H, W] (or [C, H, W]), the layer that upsamples in
 * decoders and GAN generators: `new nn.ConvTranspose2d(16, 8, 4, { stride: 2, padding: 1 })`
 * or `new nn.ConvTranspose2d({ inChannels: 16, outChannels: 8, kernelSize: 4, stride: 2 })`.
 */
export class ConvTranspose2d extends ConvTransposeNd {
  constructor(args: ConvTransposeArgs);
  constructor(inChannels: number, outChannels: number, kernelSize: Pair, options?: ConvTransposeOptions);
  constructor(...args: unknown[]) {
    const a = layerArgs<ConvTransposeArgs>("ConvTranspose2d", args, POSITIONAL, 3, UNSUPPORTED);
    const k = typeof a.kernelSize === "number" ? [a.kernelSize, a.kernelSize] : [...a.kernelSize];
    super("ConvTranspose2d", a, k);
  }
  /**
   * `outputSize` ([H, W], or the full [N, C, H, W]) picks the output padding that gives that
   * size, as PyTorch's `forward(input, output_size)` does (a strided layer can produce several).
   */
  override forward(x: Tensor, outputSize?: readonly number[]): Tensor {
    if ((x.ndim !== 4 && x.ndim !== 3) || x.shape[x.ndim - 3] !== this.inChannels) {
      throw new Error(`ConvTranspose2d: expected input [N, ${this.inChannels}, H, W] or [${this.inChannels}, H, W], got ${formatShape(x.shape)}`);
    }
    const outputPadding = outputSize === undefined ? this.outputPadding : this.outputPaddingFor(x, outputSize);
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride, padding: this.padding, outputPadding, groups: this.groups, dilation: this.dilation,
    });
  }

  private outputPaddingFor(x: Tensor, outputSize: readonly number[]): [number, number] {
    const want = outputSize.slice(-2);
    if (!Array.isArray(outputSize) || want.length !== 2 || !want.every(Number.isInteger)) {
      throw new Error(`ConvTranspose2d: outputSize must be [H, W] or [N, C, H, W], got ${JSON.stringify(outputSize)}`);
    }
    const two = (v: Pair): [number, number] => (typeof v === "number" ? [v, v] : [v[0], v[1]]);
    const [s, p, d] = [two(this.stride), two(this.padding), two(this.dilation)];
    const inHW = x.shape.slice(-2);
    const min = inHW.map((n, i) => (n - 1) * s[i] - 2 * p[i] + d[i] * (this.kernelSize[i] - 1) + 1);
    const max = min.map((m, i) => m + s[i] - 1);
    if (want.some((w, i) => w < min[i] || w > max[i])) {
      throw new Error(`ConvTranspose2d: requested an output size of [${want.join(", ")}], but valid sizes range from [${min.join(", ")}] to [${max.join(", ")}] (for an input of [${inHW.join(", ")}])`);
    }
    return [want[0] - min[0], want[1] - min[1]];
  }
}

/** 1-D transposed convolution over [N, C, L] (or [C, L]). */
export class ConvTranspose1d extends ConvTransposeNd {
  constructor(args: ConvTransposeArgs<number>);
  constructor(inChannels: number, outChannels: number, kernelSize: number, options?: ConvTransposeOptions<number>);
  constructor(...args: unknown[]) {
    const a = layerArgs<ConvTransposeArgs<number>>("ConvTranspose1d", args, POSITIONAL, 3, UNSUPPORTED);
    super("ConvTranspose1d", a, [a.kernelSize]);
  }
  override forward(x: Tensor): Tensor {
    if ((x.ndim !== 3 && x.ndim !== 2) || x.shape[x.ndim - 2] !== this.inChannels) {
      throw new Error(`ConvTranspose1d: expected input [N, ${this.inChannels}, L] or [${this.inChannels}, L], got ${formatShape(x.shape)}`);
    }
    return convTranspose1d(x, this.weight, this.bias, {
      stride: this.stride as number, padding: this.padding as number, outputPadding: this.outputPadding as number, groups: this.groups, dilation: this.dilation as number,
    });
  }
}
