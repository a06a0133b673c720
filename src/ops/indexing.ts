/**
 * Index-driven ops: gather / scatterAdd along a dim, indexSelect / indexAdd of slices,
 * maskedFill, and `index()` — the PyTorch `x[...]` subscript spelled as a method.
 */
import { Tensor, backendOf, tensorFromData } from "../tensor/tensor.js";
import { broadcastShapes, formatShape, normDim } from "../tensor/shape.js";
import { asIndex, filled, empty, record, sameBackend, type TensorLike } from "./op.js";
import { expand, narrow, reshape, select, slice, unsqueeze } from "./movement.js";
import { where } from "./elementwise.js";

/** out[i][j] = x[index[i][j]][j] for dim 0 (and so on), like PyTorch's `gather`. */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  index = asIndex("gather", index);
  sameBackend("gather", x, index);
  const d = normDim(dim, x.ndim, "gather", x.shape);
  if (index.ndim !== x.ndim || index.shape.some((s, i) => i !== d && s > x.shape[i])) {
    throw new Error(`gather: index shape ${formatShape(index.shape)} does not fit input shape ${formatShape(x.shape)} along dim ${d}`);
  }
  const out = empty(index.shape, x.dtype, x.device);
  backendOf(out).gather(out.buf, x, d, index);
  return record(out, "Gather", [x], (g) => [scatterAdd(filled(x.shape, 0, g.dtype, g.device), d, index, g)], []);
}

/** A copy of `x` with `src` added at `index` along `dim` (PyTorch's out-of-place scatter_add). */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  index = asIndex("scatterAdd", index);
  const d = normDim(dim, x.ndim, "scatterAdd", x.shape);
  if (index.ndim !== x.ndim || src.ndim !== x.ndim || index.shape.some((s, i) => s > src.shape[i] || (i !== d && s > x.shape[i]))) {
    throw new Error(`scatterAdd: index ${formatShape(index.shape)} does not fit input ${formatShape(x.shape)} and src ${formatShape(src.shape)}`);
  }
  const out = empty(x.shape, x.dtype, x.device);
  const be = backendOf(out);
  be.map("copy", out, [x]);
  const srcView = index.shape.every((s, i) => s === src.shape[i]) ? src : index.shape.reduce((t, s, i) => narrow(t, i, 0, s), src);
  be.scatterAdd(out.buf, x.shape, d, index, srcView);
  return record(out, "ScatterAdd", [x, src], (g) => [x.requiresGrad ? g : null, src.requiresGrad ? gather(g, d, index) : null], []);
}

/** Selects entries of `dim` listed in 1-D int32 `index`. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  index = asIndex("indexSelect", index);
  if (index.ndim > 1) throw new Error(`indexSelect: index must be 0-D or 1-D, got shape ${formatShape(index.shape)}`);
  const d = normDim(dim, x.ndim, "indexSelect", x.shape);
  const shape = x.shape.slice();
  shape[d] = index.numel();
  const out = empty(shape, x.dtype, x.device);
  backendOf(out).indexSelect(out.buf, x, d, index);
  return record(out, "IndexSelect", [x], (g) => [indexAdd(filled(x.shape, 0, g.dtype, g.device), d, index, g)], []);
}

/** A copy of `x` with slices of `src` added at `index` along `dim`. */
export function indexAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  index = asIndex("indexAdd", index);
  const d = normDim(dim, x.ndim, "indexAdd", x.shape);
  const out = empty(x.shape, x.dtype, x.device);
  const be = backendOf(out);
  be.map("copy", out, [x]);
  be.indexAdd(out.buf, x.shape, d, index, src);
  return record(out, "IndexAdd", [x, src], (g) => [x.requiresGrad ? g : null, src.requiresGrad ? indexSelect(g, d, index) : null], []);
}

/** `value` where `mask` is true, else `x`. */
export function maskedFill(x: Tensor, mask: Tensor, value: TensorLike): Tensor {
  if (mask.dtype !== "bool") throw new Error(`maskedFill: mask must be a bool tensor, got dtype ${mask.dtype}`);
  return where(mask, value, x);
}

/** The elements of `x` where the (broadcast) bool `mask` is true, as a 1-D tensor. */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  if (mask.dtype !== "bool") throw new Error(`maskedSelect: mask must be a bool tensor, got dtype ${mask.dtype}`);
  const shape = broadcastShapes(x.shape, mask.shape, "maskedSelect");
  const m = expand(mask, shape).dataSync();
  const picks: number[] = [];
  for (let i = 0; i < m.length; i++) if (m[i]) picks.push(i);
  const flat = reshape(expand(x, shape), [-1]);
  return indexSelect(flat, 0, tensorFromData(picks, [picks.length], "int32", x.device));
}

/**
 * One subscript item of `index()`: a number selects (drops the dim); ":" keeps a dim;
 * "a:b" or "a:b:s" slices; "..." fills the remaining dims; `null` (PyTorch's None) or "None"
 * inserts a new dim;
 * a 1-D int32 tensor picks entries (indexSelect).
 */
export type IndexItem = number | string | null | Tensor;

/** PyTorch's `x[i, 1:3, ..., idx]` as `x.index(i, "1:3", "...", idx)`. */
export function index(x: Tensor, ...items: IndexItem[]): Tensor {
  const ellipsis = items.filter((it) => it === "...").length;
  if (ellipsis > 1) throw new Error("index: an index can only have a single ellipsis ('...')");
  const consumes = items.filter((it) => it !== "..." && it !== "None" && it !== null).length;
  if (consumes > x.ndim) throw new Error(`index: too many indices (${consumes}) for tensor of shape ${formatShape(x.shape)}`);
  let y = x;
  let dim = 0;
  for (const it of items) {
    if (it === "...") dim += x.ndim - consumes;
    else if (it === "None" || it === null) y = unsqueeze(y, dim++);
    else if (it === ":") dim++;
    else if (typeof it === "number") y = select(y, dim, it);
    else if (typeof it === "string") {
      const m = /^\s*(-?\d+)?\s*:\s*(-?\d+)?\s*(?::\s*(\d+)?\s*)?$/.exec(it);
      if (!m) throw new Error(`index: cannot parse slice "${it}"; use "start:end:step"`);
      y = slice(y, dim++, m[1] ? Number(m[1]) : 0, m[2] ? Number(m[2]) : null, m[3] ? Number(m[3]) : 1);
    } else if (it instanceof Tensor) {
      if (it.dtype === "bool") {
        if (items.length !== 1) throw new Error("index: a bool mask must be the only index item; use maskedSelect()");
        return maskedSelect(y, it);
      }
      if (it.ndim > 1) {
        const flat = indexSelect(y, dim, reshape(it, [-1]));
        const shape = [...y.shape.slice(0, dim), ...it.shape, ...y.shape.slice(dim + 1)];
        y = reshape(flat, shape);
        dim += it.ndim;
      } else if (it.ndim === 0) {
        y = select(y, dim, it.item());
      } else y = indexSelect(y, dim++, it);
    } else throw new Error(`index: unsupported index item ${String(it)}`);
  }
  return y;
}

