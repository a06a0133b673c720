/**
 * Shape and layout ops, mostly views that share storage: reshape/view, flatten, squeeze,
 * unsqueeze, permute, transpose, expand, narrow/slice/select, plus the copying contiguous,
 * clone, detach, cast and cross-backend `to`. Joining and splitting live in join.ts.
 */
import { Tensor, backendOf, emptyTensor, tensorFromData, viewOf } from "../tensor/tensor.js";
import { contiguousStrides, formatShape, inferShape, isContiguous, normDim, sameShape, sizeOf } from "../tensor/shape.js";
import { integerValues, isFloating, isIntegral, type DType } from "../tensor/dtype.js";
import { empty, filled, needsGrad1, record } from "./op.js";
import { sumTo } from "./reduce.js";
import { backendNamed, dtypeMissing } from "../backend/backend.js";
import { RegionGrad } from "../autograd/node.js";
import { isGradEnabled } from "../autograd/grad-mode.js";

/** A contiguous copy (or `x` itself when already contiguous). */
export function contiguous(x: Tensor): Tensor {
  if (x.isContiguous()) return x;
  return clone(x);
}

/** A contiguous copy that shares nothing with `x`; gradients flow through. */
export function clone(x: Tensor): Tensor {
  const out = empty(x.shape, x.dtype, x.device);
  backendOf(out).map("copy", out, [x]);
  return record(out, "Clone", [x], (g) => [g], []);
}

/**
 * A tensor cut off from the graph (shares storage and the version counter, requiresGrad
 * false). Not an autograd view: an in-place change through it is counted, never recorded.
 */
export function detach(x: Tensor): Tensor {
  return new Tensor(x.store, x.shape, x.dtype, x.strides, x.offset, x.versionCounter, null);
}

/** Converts to `dtype` (copy); float→float conversions keep gradients. */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const be = backendNamed(x.device);
  if (!be.dtypes.includes(dtype)) throw dtypeMissing(be, dtype, `to(${dtype})`);
  if (isIntegral(dtype) && (isFloating(x.dtype) || (dtype === "int32" && x.dtype === "int64"))) {
    // Truncate toward zero as PyTorch does, but refuse what the integer type cannot hold
    // (NaN, ±inf, beyond its range) instead of wrapping.
    return tensorFromData(integerValues(`to(${dtype})`, x.dataSync(), dtype), x.shape, dtype, x.device);
  }
  const out = empty(x.shape, dtype, x.device);
  backendOf(out).map("copy", out, [x]);
  if (isFloating(dtype) && isFloating(x.dtype)) record(out, "ToCopy", [x], (g) => [cast(g, x.dtype)], []);
  return out;
}

/** Copies to the backend called `name`; gradients flow back to the source backend. */
export function toBackend(x: Tensor, name: string): Tensor {
  if (x.device === name) return x;
  const target = backendNamed(name);
  if (!target.dtypes.includes(x.dtype)) throw dtypeMissing(target, x.dtype, `to("${name}")`);
  const out = emptyTensor(x.shape, x.dtype, target.name);
  target.write(out.buf, x.dataSync());
  return record(out, "ToCopy", [x], (g) => [toBackend(g, x.device)], []);
}

/** A view with a new shape (one dim may be -1); the input must be contiguous. */
export function view(x: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape(shape, x.numel(), "view", x.shape);
  if (!x.isContiguous()) {
    throw new Error(`view: size is not compatible with input tensor's size and stride (shape ${formatShape(x.shape)}); use reshape() instead`);
  }
  const out = viewOf(x, target, contiguousStrides(target), x.offset);
  if (!needsGrad1(x)) return out;
  return record(out, "View", [x], (g) => [reshape(g, x.shape)], []);
}

/** Same data, new shape (one dim may be -1): a view when contiguous, else a copy. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape(shape, x.numel(), "reshape", x.shape);
  if (sameShape(target, x.shape)) return x;
  return view(contiguous(x), target);
}

/** Merges dims `startDim..endDim` into one. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normDim(startDim, x.ndim, "flatten", x.shape);
  const e = normDim(endDim, x.ndim, "flatten", x.shape);
  if (s > e) throw new Error(`flatten: startDim ${startDim} comes after endDim ${endDim} (shape ${formatShape(x.shape)})`);
  const shape = [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

/** Removes size-1 dims (only `dim` when given). */
export function squeeze(x: Tensor, dim?: number): Tensor {
  let keep: number[];
  if (dim === undefined) keep = x.shape.map((_, i) => i).filter((i) => x.shape[i] !== 1);
  else {
    const d = normDim(dim, x.ndim, "squeeze", x.shape);
    keep = x.shape.map((_, i) => i).filter((i) => i !== d || x.shape[i] !== 1);
  }
  const out = viewOf(x, keep.map((i) => x.shape[i]), keep.map((i) => x.strides[i]), x.offset);
  if (!needsGrad1(x)) return out;
  return record(out, "Squeeze", [x], (g) => [reshape(g, x.shape)], []);
}

/** Inserts a size-1 dim at `dim` (negative counts from the end of the result). */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normDim(dim, x.ndim + 1, "unsqueeze", x.shape);
  const shape = [...x.shape.slice(0, d), 1, ...x.shape.slice(d)];
  const stride = d < x.ndim ? x.strides[d] * x.shape[d] : 1;
  const strides = [...x.strides.slice(0, d), stride, ...x.strides.slice(d)];
  const out = viewOf(x, shape, strides, x.offset);
  if (!needsGrad1(x)) return out;
  return record(out, "Unsqueeze", [x], (g) => [reshape(g, x.shape)], []);
}

/** Reorders dims: result dim i is input dim `dims[i]`. A view. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.ndim) {
    throw new Error(`permute: number of dims ${dims.length} does not match tensor shape ${formatShape(x.shape)}`);
  }
  const nd = dims.length;
  const p = new Array<number>(nd);
  const shape = new Array<number>(nd);
  const strides = new Array<number>(nd);
  for (let i = 0; i < nd; i++) p[i] = normDim(dims[i], nd, "permute", x.shape);
  for (let i = 0; i < nd; i++) {
    const d = p[i];
    for (let j = 0; j < i; j++) if (p[j] === d) throw new Error(`permute: repeated dim in [${dims.join(",")}]`);
    shape[i] = x.shape[d];
    strides[i] = x.strides[d];
  }
  // Frozen here, so the view keeps these arrays instead of copying them.
  const out = viewOf(x, Object.freeze(shape), Object.freeze(strides), x.offset);
  if (!needsGrad1(x)) return out;
  const inverse = new Array<number>(nd);
  for (let i = 0; i < nd; i++) inverse[p[i]] = i;
  return record(out, "Permute", [x], (g) => [permute(g, inverse)], []);
}

/** Swaps two dims. A view. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const a = normDim(dim0, x.ndim, "transpose", x.shape);
  const b = normDim(dim1, x.ndim, "transpose", x.shape);
  const dims = new Array<number>(x.ndim);
  for (let i = 0; i < dims.length; i++) dims[i] = i;
  dims[a] = b;
  dims[b] = a;
  return permute(x, dims);
}

/** Transpose of a matrix (≤ 2-D, like PyTorch's `t()`). */
export function t(x: Tensor): Tensor {
  if (x.ndim > 2) throw new Error(`t: expects a tensor with <= 2 dimensions, got shape ${formatShape(x.shape)}; use transpose()`);
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}

/** Broadcasts to `shape` without copying (-1 keeps a dim). Gradients sum back. */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  if (shape.length < x.ndim) {
    throw new Error(`expand: the number of sizes (${shape.length}) must be >= the number of dims of shape ${formatShape(x.shape)}`);
  }
  const lead = shape.length - x.ndim;
  const outShape: number[] = [];
  const strides: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    const src = i >= lead ? x.shape[i - lead] : 1;
    const want = shape[i] === -1 && i >= lead ? src : shape[i];
    if (src !== want && src !== 1) {
      throw new Error(`expand: cannot expand shape ${formatShape(x.shape)} to ${formatShape(shape)}`);
    }
    outShape.push(want);
    strides.push(i < lead || (src === 1 && want !== 1) ? 0 : x.strides[i - lead]);
  }
  if (sameShape(outShape, x.shape)) return x;
  const out = viewOf(x, outShape, strides, x.offset);
  if (!needsGrad1(x)) return out;
  return record(out, "Expand", [x], (g) => [sumTo(g, x.shape)], []);
}

/**
 * Slicing's adjoint: `g` in a zero tensor of `shape`, at the region a view of it describes.
 * Without createGraph, a part the engine adds into the base's gradient (autograd/node.ts).
 */
function embedInto(g: Tensor, shape: readonly number[], region: (z: Tensor) => Tensor): Tensor | RegionGrad {
  if (!isGradEnabled()) return new RegionGrad(g, shape, region);
  const z = filled(shape, 0, g.dtype, g.device);
  const r = region(z);
  backendOf(z).map("copy", r, [g]);
  // Recorded under createGraph (its gradient is the same region of the incoming gradient), so
  // second derivatives flow through slices, narrow and select.
  return record(z, "Embed", [g], (gz) => [region(gz)], []);
}

/** Elements `start..end-1` (step `step`) along `dim`, as a view. Negative indices count from the end. */
export function slice(x: Tensor, dim: number, start = 0, end?: number | null, step = 1): Tensor {
  const d = normDim(dim, x.ndim, "slice", x.shape);
  if (!Number.isInteger(step) || step <= 0) throw new Error(`slice: step must be a positive integer, got ${step}`);
  const n = x.shape[d];
  const clampIdx = (i: number): number => Math.min(n, Math.max(0, i < 0 ? i + n : i));
  const s = clampIdx(start);
  const e = Math.max(s, clampIdx(end ?? n));
  const len = Math.ceil((e - s) / step);
  const shape = x.shape.slice();
  shape[d] = len;
  const strides = x.strides.slice();
  strides[d] = x.strides[d] * step;
  const out = viewOf(x, shape, strides, x.offset + s * x.strides[d]);
  return record(out, "Slice", [x], (g) => [embedInto(g, x.shape, (z) => slice(z, d, s, e, step))], []);
}

/** `length` elements from `start` along `dim` (PyTorch's narrow), as a view. */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normDim(dim, x.ndim, "narrow", x.shape);
  const s = start < 0 ? start + x.shape[d] : start;
  if (s < 0 || length < 0 || s + length > x.shape[d]) {
    throw new Error(`narrow: start ${start} + length ${length} exceeds dimension ${d} of shape ${formatShape(x.shape)}`);
  }
  return slice(x, d, s, s + length);
}

/** The layout select() made last: a one-entry cache keyed by the (frozen, shared) shape and strides arrays. */
let selected: { inShape: readonly number[]; inStrides: readonly number[]; dim: number; shape: readonly number[]; strides: readonly number[] } = {
  inShape: [], inStrides: [], dim: -1, shape: [], strides: [],
};

/** The sub-tensor at `index` along `dim`, dropping that dim. A view. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  const d = normDim(dim, x.ndim, "select", x.shape);
  const n = x.shape[d];
  if (!Number.isInteger(index) || index < -n || index >= n) {
    throw new Error(`select: index ${index} is out of range for dim ${d} of shape ${formatShape(x.shape)}`);
  }
  const i = index < 0 ? index + n : index;
  if (x.shape !== selected.inShape || x.strides !== selected.inStrides || d !== selected.dim) {
    const nd = x.shape.length;
    const shape = new Array<number>(nd - 1);
    const strides = new Array<number>(nd - 1);
    for (let k = 0, j = 0; k < nd; k++) {
      if (k === d) continue;
      shape[j] = x.shape[k];
      strides[j++] = x.strides[k];
    }
    // Frozen, so views share these arrays instead of copying them; remembered for the next
    // select of the same layout (t[i] in a loop, iterating over rows).
    selected = { inShape: x.shape, inStrides: x.strides, dim: d, shape: Object.freeze(shape), strides: Object.freeze(strides) };
  }
  const out = viewOf(x, selected.shape, selected.strides, x.offset + i * x.strides[d]);
  if (!needsGrad1(x)) return out;
  return record(out, "Select", [x], (g) => [embedInto(g, x.shape, (z) => select(z, d, i))], []);
}

/** Tiles `x` `reps[i]` times along each dim (copies, like PyTorch's repeat). */
export function repeat(x: Tensor, reps: readonly number[]): Tensor {
  if (reps.length < x.ndim) {
    throw new Error(`repeat: number of repeat dims (${reps.length}) can not be smaller than the number of dims of shape ${formatShape(x.shape)}`);
  }
  const lead = reps.length - x.ndim;
  const src = [...new Array<number>(lead).fill(1), ...x.shape];
  let y = reshape(x, src.flatMap((d) => [1, d]));
  y = expand(y, src.flatMap((d, i) => [reps[i], d]));
  return reshape(contiguous(y), src.map((d, i) => d * reps[i]));
}

/** True when `x` is laid out row-major (re-exported for ops that need dense inputs). */
export { isContiguous };
