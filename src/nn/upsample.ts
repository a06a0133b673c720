/**
 * Upsampling layers: Upsample (PyTorch's nn.Upsample, any mode of F.interpolate) and the fixed
 * 2-D forms UpsamplingNearest2d / UpsamplingBilinear2d (bilinear with alignCorners true).
 * The arithmetic is F.interpolate in src/functional/interpolate.ts.
 */
import type { Tensor } from "../tensor/tensor.js";
import { interpolate, type InterpolateMode } from "../functional/interpolate.js";
import { Module } from "./module.js";
import { layerArgs } from "./layer-util.js";

/** Arguments of Upsample, by PyTorch's names (camelCase); give `size` or `scaleFactor`. */
export interface UpsampleArgs {
  size?: number | number[] | null;
  scaleFactor?: number | number[] | null;
  /** "nearest" [default], "nearest-exact", "linear", "bilinear", "trilinear". */
  mode?: InterpolateMode;
  alignCorners?: boolean | null;
  recomputeScaleFactor?: boolean | null;
}

const NAMES = ["size", "scaleFactor", "mode", "alignCorners", "recomputeScaleFactor"] as const;

function show(v: number | number[]): string {
  // PyTorch stores a scale factor as a float: `scale_factor=2.0`.
  const f = (x: number) => (Number.isInteger(x) ? x.toFixed(1) : String(x));
  return Array.isArray(v) ? `(${v.map(f).join(", ")})` : f(v);
}

/**
 * Upsamples [N, C, L], [N, C, H, W] or [N, C, D, H, W] inputs to `size` or by `scaleFactor`:
 * `new nn.Upsample({ scaleFactor: 2, mode: "bilinear" })` (or positionally, PyTorch's order
 * size, scaleFactor, mode, alignCorners).
 */
export class Upsample extends Module {
  readonly size: number | number[] | null;
  readonly scaleFactor: number | number[] | null;
  readonly mode: InterpolateMode;
  readonly alignCorners: boolean | null;
  readonly recomputeScaleFactor: boolean | null;

  constructor(args?: UpsampleArgs);
  constructor(size?: number | number[] | null, scaleFactor?: number | number[] | null, mode?: InterpolateMode, alignCorners?: boolean | null);
  constructor(...args: unknown[]) {
    super();
    const a = layerArgs<UpsampleArgs>(this.constructor.name, args, NAMES, 0);
    this.size = a.size ?? null;
    this.scaleFactor = a.scaleFactor ?? null;
    this.mode = a.mode ?? "nearest";
    this.alignCorners = a.alignCorners ?? null;
    this.recomputeScaleFactor = a.recomputeScaleFactor ?? null;
    if (this.size === null && this.scaleFactor === null) throw new Error(`${this.constructor.name}: either size or scaleFactor should be defined`);
  }

  override forward(x: Tensor): Tensor {
    return interpolate(x, {
      ...(this.size !== null ? { size: this.size } : { scaleFactor: this.scaleFactor! }),
      mode: this.mode, alignCorners: this.alignCorners, recomputeScaleFactor: this.recomputeScaleFactor,
    });
  }

  override extraRepr(): string {
    const what = this.scaleFactor !== null ? `scaleFactor=${show(this.scaleFactor)}` : `size=${Array.isArray(this.size) ? `(${this.size.join(", ")})` : this.size}`;
    return `${what}, mode=${this.mode}`;
  }
}

/** 2-D nearest-neighbour upsampling (PyTorch's UpsamplingNearest2d). */
export class UpsamplingNearest2d extends Upsample {
  constructor(args?: { size?: number | number[] | null; scaleFactor?: number | number[] | null });
  constructor(size?: number | number[] | null, scaleFactor?: number | number[] | null);
  constructor(...args: unknown[]) {
    const a = layerArgs<UpsampleArgs>("UpsamplingNearest2d", args, ["size", "scaleFactor"], 0);
    super({ ...a, mode: "nearest" });
  }
}

/** 2-D bilinear upsampling with aligned corners (PyTorch's UpsamplingBilinear2d). */
export class UpsamplingBilinear2d extends Upsample {
  constructor(args?: { size?: number | number[] | null; scaleFactor?: number | number[] | null });
  constructor(size?: number | number[] | null, scaleFactor?: number | number[] | null);
  constructor(...args: unknown[]) {
    const a = layerArgs<UpsampleArgs>("UpsamplingBilinear2d", args, ["size", "scaleFactor"], 0);
    super({ ...a, mode: "bilinear", alignCorners: true });
  }
}
