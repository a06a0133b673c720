/**
 * Joining and splitting: cat, stack, split, chunk, unbind. Splits are views; joins copy
 * each input into its slot of one new tensor.
 */
import { Tensor, backendOf } from "../tensor/tensor.js";
import { formatShape, normDim } from "../tensor/shape.js";
import { isFloating, promote } from "../tensor/dtype.js";
import { empty, record, sameBackend } from "./op.js";
import { narrow, select, unsqueeze } from "./movement.js";
import { checkOptions, isOptionsObject } from "./options.js";

/** The dim of a join or split: a number, or PyTorch's keyword as `{ dim }` (`cat(ts, { dim: 1 })`). */
export type DimArg = number | { dim?: number };

function dimOf(op: string, dim: DimArg | undefined): number {
  if (dim === undefined) return 0;
  if (typeof dim === "number") return dim;
  if (isOptionsObject(dim)) return checkOptions(op, dim, ["dim"]).dim ?? 0;
  throw new Error(`${op}: dim must be a number or { dim }, got ${dim === null ? "null" : typeof dim}`);
}

/** Concatenates tensors along `dim`; all other dims must match. */
export function cat(tensors: readonly Tensor[], dimArg: DimArg = 0): Tensor {
  const dim = dimOf("cat", dimArg);
  if (tensors.length === 0) throw new Error("cat: expected a non-empty list of tensors");
  const first = tensors[0];
  if (first.ndim === 0) throw new Error("cat: zero-dimensional tensor cannot be concatenated");
  const d = normDim(dim, first.ndim, "cat", first.shape);
  sameBackend("cat", ...tensors);
  let total = 0;
  let dtype = first.dtype;
  for (const t of tensors) {
    const ok = t.ndim === first.ndim && t.shape.every((s, i) => i === d || s === first.shape[i]);
    if (!ok) {
      throw new Error(`cat: sizes of tensors must match except in dimension ${d}: ${tensors.map((x) => formatShape(x.shape)).join(" ")}`);
    }
    total += t.shape[d];
    dtype = promote(dtype, t.dtype);
  }
  const shape = first.shape.slice();
  shape[d] = total;
  const out = empty(shape, dtype, first.device);
  const be = backendOf(out);
  let at = 0;
  for (const t of tensors) {
    const n = t.shape[d];
    const strides = out.strides;
    const region = { buf: out.buf, shape: t.shape, strides, offset: at * strides[d] };
    be.map("copy", region, [t]);
    at += n;
  }
  if (!isFloating(dtype)) return out;
  return record(out, "Cat", tensors, (g) => {
    let start = 0;
    return tensors.map((t) => {
      const part = narrow(g, d, start, t.shape[d]);
      start += t.shape[d];
      return t.requiresGrad ? part : null;
    });
  }, []);
}

/** Stacks equal-shaped tensors along a new dim. */
export function stack(tensors: readonly Tensor[], dimArg: DimArg = 0): Tensor {
  const dim = dimOf("stack", dimArg);
  if (tensors.length === 0) throw new Error("stack: expected a non-empty list of tensors");
  const first = tensors[0];
  for (const t of tensors) {
    if (t.ndim !== first.ndim || !t.shape.every((s, i) => s === first.shape[i])) {
      throw new Error(`stack: expects each tensor to be equal size: ${tensors.map((x) => formatShape(x.shape)).join(" ")}`);
    }
  }
  const d = normDim(dim, first.ndim + 1, "stack", first.shape);
  return cat(tensors.map((t) => unsqueeze(t, d)), d);
}

/**
 * Splits into views along `dim`: chunks of `size` (last may be smaller), or one chunk per
 * entry of a size list, like PyTorch's `split`.
 */
export function split(x: Tensor, sizes: number | readonly number[], dim: DimArg = 0): Tensor[] {
  const d = normDim(dimOf("split", dim), x.ndim, "split", x.shape);
  const n = x.shape[d];
  let list: number[];
  if (typeof sizes === "number") {
    if (!Number.isInteger(sizes) || sizes <= 0) throw new Error(`split: split size must be a positive integer, got ${sizes}`);
    list = [];
    for (let s = 0; s < n; s += sizes) list.push(Math.min(sizes, n - s));
  } else {
    list = sizes.slice();
    const total = list.reduce((a, b) => a + b, 0);
    if (total !== n) throw new Error(`split: sizes [${list.join(",")}] do not sum to ${n} (dim ${d} of shape ${formatShape(x.shape)})`);
  }
  let start = 0;
  return list.map((len) => {
    const part = narrow(x, d, start, len);
    start += len;
    return part;
  });
}

/** Splits into `chunks` nearly equal views along `dim`, like PyTorch's `chunk`. */
export function chunk(x: Tensor, chunks: number, dim: DimArg = 0): Tensor[] {
  const d = normDim(dimOf("chunk", dim), x.ndim, "chunk", x.shape);
  if (!Number.isInteger(chunks) || chunks <= 0) throw new Error(`chunk: number of chunks must be a positive integer, got ${chunks}`);
  return split(x, Math.max(1, Math.ceil(x.shape[d] / chunks)), d);
}

/** Removes `dim`, returning the slices along it. */
export function unbind(x: Tensor, dim: DimArg = 0): Tensor[] {
  const d = normDim(dimOf("unbind", dim), x.ndim, "unbind", x.shape);
  return Array.from({ length: x.shape[d] }, (_, i) => select(x, d, i));
}
