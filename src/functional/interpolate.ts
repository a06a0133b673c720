/**
 * Resampling (PyTorch's `F.interpolate`): nearest, nearest-exact and (bi/tri)linear, with
 * PyTorch's source-index formulas for `alignCorners` and `scaleFactor`. Each spatial dim is
 * resampled in turn by gathering rows, so gradients come from indexSelect's.
 */
import { Tensor, tensorFromData } from "../tensor/tensor.js";
import { formatShape } from "../tensor/shape.js";
import { isFloating } from "../tensor/dtype.js";
import * as ew from "../ops/elementwise.js";
import { indexSelect } from "../ops/indexing.js";
import { checkOptions, isOptionsObject } from "../ops/options.js";
import { checkChoice } from "./choice.js";

/** A resampling mode of `interpolate`. */
export type InterpolateMode = "nearest" | "nearest-exact" | "linear" | "bilinear" | "trilinear";

/** Options of interpolate (PyTorch's keyword arguments); give `size` or `scaleFactor`. */
export interface InterpolateOptions {
  /** Output spatial size: one number for every spatial dim, or one per dim. */
  size?: number | readonly number[];
  /** Multiplier of the spatial size: one number, or one per dim (output = floor(input·scale)). */
  scaleFactor?: number | readonly number[];
  /** "nearest" [default], "nearest-exact", "linear" (3-D input), "bilinear" (4-D), "trilinear" (5-D). */
  mode?: InterpolateMode;
  /** Linear modes: align the corner pixels' centres of input and output [false]. */
  alignCorners?: boolean | null;
  /** Compute the sampling scale from the output size rather than from `scaleFactor` [false]. */
  recomputeScaleFactor?: boolean | null;
}

const MODES = ["nearest", "nearest-exact", "linear", "bilinear", "trilinear"] as const;
const LINEAR_DIMS: Record<string, number> = { linear: 1, bilinear: 2, trilinear: 3 };

function perDim(op: string, name: string, v: number | readonly number[], k: number, x: Tensor): number[] {
  const list = typeof v === "number" ? new Array<number>(k).fill(v) : [...v];
  if (list.length !== k) {
    throw new Error(`${op}: ${name} must be one number or ${k} numbers for input ${formatShape(x.shape)} (${k} spatial dims), got [${list.join(", ")}]`);
  }
  return list;
}

/**
 * Resizes the spatial dims (all dims after [N, C]) of `input` to `size`, or by `scaleFactor`,
 * like PyTorch's `F.interpolate`:
 *
 * ```ts
 * F.interpolate(x, { scaleFactor: 2, mode: "bilinear", alignCorners: false })
 * ```
 */
export function interpolate(input: Tensor, options?: InterpolateOptions): Tensor;
export function interpolate(
  input: Tensor, size?: number | readonly number[] | null, scaleFactor?: number | readonly number[] | null, mode?: InterpolateMode, alignCorners?: boolean | null,
): Tensor;
export function interpolate(input: Tensor, ...args: unknown[]): Tensor {
  // PyTorch's positional order (size, scaleFactor, mode, alignCorners) or one options object.
  const options: InterpolateOptions | undefined = isOptionsObject(args[0]) || args.length === 0 ? (args[0] as InterpolateOptions | undefined) : (() => {
    if (args.length > 4) throw new Error(`interpolate: takes at most 4 arguments after the input (size, scaleFactor, mode, alignCorners), got ${args.length}`);
    const [size, scaleFactor, mode, alignCorners] = args as [InterpolateOptions["size"], InterpolateOptions["scaleFactor"], InterpolateMode, boolean];
    return { ...(size != null ? { size } : {}), ...(scaleFactor != null ? { scaleFactor } : {}), ...(mode !== undefined ? { mode } : {}), ...(alignCorners != null ? { alignCorners } : {}) };
  })();
  const o = checkOptions<InterpolateOptions>("interpolate", options, ["size", "scaleFactor", "mode", "alignCorners", "recomputeScaleFactor"]);
  const mode = checkChoice("interpolate", "mode", o.mode ?? "nearest", MODES);
  const k = input.ndim - 2;
  if (k < 1 || k > 3) throw new Error(`interpolate: expected a 3-D, 4-D or 5-D input [N, C, …spatial], got ${formatShape(input.shape)}`);
  const linear = mode in LINEAR_DIMS;
  if (linear && LINEAR_DIMS[mode] !== k) {
    throw new Error(`interpolate: got ${input.ndim}D input, but ${mode} mode needs ${LINEAR_DIMS[mode] + 2}D input`);
  }
  if (!linear && o.alignCorners != null) {
    throw new Error(`interpolate: alignCorners can only be set with the interpolating modes: linear | bilinear | trilinear (mode is "${mode}")`);
  }
  if (linear && !isFloating(input.dtype)) throw new Error(`interpolate: ${mode} mode needs a floating point input, got ${input.dtype}`);
  if (o.size != null && o.scaleFactor != null) throw new Error("interpolate: only one of size or scaleFactor should be defined");
  if (o.size == null && o.scaleFactor == null) throw new Error("interpolate: either size or scaleFactor should be defined");
  const inSize = input.shape.slice(2);
  let outSize: number[];
  let scales: (number | null)[] = new Array<number | null>(k).fill(null);
  if (o.size != null) {
    outSize = perDim("interpolate", "size", o.size, k, input);
    if (!outSize.every((s) => Number.isInteger(s) && s > 0)) throw new Error(`interpolate: size must be positive integers, got [${outSize.join(", ")}]`);
  } else {
    const sf = perDim("interpolate", "scaleFactor", o.scaleFactor!, k, input);
    if (!sf.every((s) => s > 0 && Number.isFinite(s))) throw new Error(`interpolate: scaleFactor must be positive, got [${sf.join(", ")}]`);
    outSize = inSize.map((n, i) => Math.floor(n * sf[i]));
    if (outSize.some((s) => s <= 0)) throw new Error(`interpolate: scaleFactor [${sf.join(", ")}] gives an empty output ${formatShape(outSize)} for input ${formatShape(input.shape)}`);
    if (!o.recomputeScaleFactor) scales = sf;
  }
  let y = input;
  for (let i = 0; i < k; i++) {
    const d = i + 2;
    const n = inSize[i];
    const m = outSize[i];
    if (n === m && (scales[i] === null || mode === "nearest")) continue;
    // PyTorch's compute_scales_value: 1/scaleFactor when given, else in/out (in float32 for nearest).
    const scale = scales[i] !== null ? 1 / scales[i]! : n / m;
    if (!linear) {
      const idx = new Int32Array(m);
      const s32 = Math.fround(scale);
      for (let j = 0; j < m; j++) {
        // PyTorch's nearest_idx: exact doubling is j >> 1 whatever the scale.
        const src = mode === "nearest" ? (m === 2 * n ? j >> 1 : Math.floor(Math.fround(j * s32))) : Math.floor(Math.fround((j + 0.5) * s32));
        idx[j] = Math.min(src, n - 1);
      }
      y = indexSelect(y, d, tensorFromData(idx, [m], "int32", input.device));
      continue;
    }
    const lo = new Int32Array(m);
    const hi = new Int32Array(m);
    const w1 = new Float64Array(m);
    const align = o.alignCorners === true;
    const step = align ? (m > 1 ? (n - 1) / (m - 1) : 0) : scale;
    for (let j = 0; j < m; j++) {
      const src = align ? step * j : Math.max(step * (j + 0.5) - 0.5, 0);
      const l = Math.min(Math.floor(src), n - 1);
      lo[j] = l;
      hi[j] = l < n - 1 ? l + 1 : l;
      w1[j] = src - l;
    }
    const bshape = input.shape.map((_, a) => (a === d ? m : 1));
    const wHi = tensorFromData(w1, bshape, input.dtype, input.device);
    const wLo = tensorFromData(w1.map((w) => 1 - w), bshape, input.dtype, input.device);
    const a = indexSelect(y, d, tensorFromData(lo, [m], "int32", input.device));
    const b = indexSelect(y, d, tensorFromData(hi, [m], "int32", input.device));
    y = ew.add(ew.mul(a, wLo), ew.mul(b, wHi));
  }
  return y === input ? ew.mul(input, 1) : y;
}

/** PyTorch's deprecated `F.upsample`: the same as `interpolate`. */
export const upsample = interpolate;
