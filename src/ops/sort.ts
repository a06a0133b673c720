/**
 * Ordering ops: sort, argsort and topk along one dim, returning (values, indices) like PyTorch.
 * The order is found on the host (stable; NaN counts as the largest value, as in PyTorch) and
 * the values are gathered on the tensor's backend; the gradient scatters back to the indices.
 */
import { Tensor, tensorFromData } from "../tensor/tensor.js";
import { formatShape, normDim } from "../tensor/shape.js";
import { noGrad } from "../autograd/grad-mode.js";
import { filled, record } from "./op.js";
import { gather, scatterAdd } from "./indexing.js";
import { contiguous, narrow, reshape } from "./movement.js";
import { trailingOptions } from "./options.js";
import { ValuesIndices, indexDType } from "./return-types.js";

/** Options of sort/argsort (PyTorch's keywords). */
export interface SortOptions {
  /** Dim to sort along (default -1, the last). */
  dim?: number;
  /** Largest first (default false). */
  descending?: boolean;
  /** Keep the order of equal elements (gradnote's sort is always stable; accepted for ports). */
  stable?: boolean;
}

/** Options of topk. */
export interface TopkOptions {
  /** Dim to select along (default -1). */
  dim?: number;
  /** The k largest (default true) or the k smallest. */
  largest?: boolean;
  /** Return them in order (gradnote always does; accepted for ports). */
  sorted?: boolean;
}

/** Positional `(dim, flag)` or a trailing options object, as `sort(x, 1, true)` / `sort(x, { dim: 1 })`. */
function positional<O extends object>(op: string, args: readonly unknown[], names: readonly (keyof O & string)[]): O {
  const { positional: list, options: opts } = trailingOptions(op, args, names);
  if (list.length > names.length) throw new Error(`${op}: too many positional arguments; accepted: ${names.join(", ")}`);
  list.forEach((v, i) => {
    if (v === undefined) return;
    if (opts[names[i]] !== undefined) throw new Error(`${op}: ${names[i]} given twice (as an argument and as an option)`);
    opts[names[i]] = v;
  });
  for (const [key, v] of Object.entries(opts)) {
    if (v === undefined) continue;
    const ok = key === "dim" ? Number.isInteger(v) : typeof v === "boolean";
    if (!ok) throw new Error(`${op}: ${key} must be ${key === "dim" ? "an integer" : "true or false"}, got ${JSON.stringify(v)}`);
  }
  return opts as O;
}

/** Stable order of the elements along `d` (flat positions along that dim), NaN largest. */
function orderAlong(x: Tensor, d: number, descending: boolean): Int32Array {
  const data = x.dataSync();
  const n = x.shape[d];
  const inner = x.shape.slice(d + 1).reduce((p, s) => p * s, 1);
  const outer = x.shape.slice(0, d).reduce((p, s) => p * s, 1);
  const out = new Int32Array(data.length);
  const ks = Array.from({ length: n }, (_, k) => k);
  const sign = descending ? -1 : 1;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      const at = (k: number): number => data[base + k * inner];
      const order = ks.slice().sort((a, b) => {
        const va = at(a), vb = at(b);
        const na = Number.isNaN(va), nb = Number.isNaN(vb);
        if (na || nb) return na === nb ? 0 : (na ? 1 : -1) * sign;
        return va === vb ? 0 : (va < vb ? -1 : 1) * sign;
      });
      for (let k = 0; k < n; k++) out[base + k * inner] = order[k];
    }
  }
  return out;
}

/** Values of `x` at `indices` along `d`, with a gradient that scatters back (named `name`). */
function pick(name: string, x: Tensor, d: number, indices: Tensor): Tensor {
  const values = noGrad(() => gather(x, d, indices));
  return record(values, name, [x], (g) => [scatterAdd(filled(x.shape, 0, g.dtype, g.device), d, indices, g)], [indices]);
}

function sortedIndices(x: Tensor, d: number, descending: boolean): Tensor {
  return tensorFromData(orderAlong(x, d, descending), x.shape, indexDType(), x.device);
}

/** Runs `fn` on a 0-d tensor seen as 1-D (dim -1 or 0), and turns the results back into 0-d. */
function scalarCase(op: string, x: Tensor, dim: number, fn: (flat: Tensor) => ValuesIndices): ValuesIndices {
  normDim(dim, 0, op, x.shape);
  const r = fn(reshape(x, [1]));
  return new ValuesIndices(op, reshape(r.values, []), reshape(r.indices, []));
}

/**
 * Sorts along `dim` (default -1), ascending unless `descending`: returns `(values, indices)`,
 * `const [v, i] = sort(x, { descending: true })`. Stable; NaN sorts as the largest value.
 */
export function sort(x: Tensor, options?: SortOptions): ValuesIndices;
export function sort(x: Tensor, dim?: number, descending?: boolean | SortOptions, options?: SortOptions): ValuesIndices;
export function sort(x: Tensor, ...args: unknown[]): ValuesIndices {
  return sortOf(x, args);
}
/** @internal `sort` with its arguments as an array (for the Tensor method). */
export function sortOf(x: Tensor, args: readonly unknown[]): ValuesIndices {
  const o = positional<SortOptions>("sort", args, ["dim", "descending", "stable"]);
  const dim = o.dim ?? -1;
  if (x.ndim === 0) return scalarCase("sort", x, dim, (flat) => sort(flat, 0, o.descending));
  const d = normDim(dim, x.ndim, "sort", x.shape);
  const indices = sortedIndices(x, d, o.descending ?? false);
  return new ValuesIndices("sort", pick("SortBackward0", x, d, indices), indices);
}

/** The indices that sort `x` along `dim` (sort's second result). */
export function argsort(x: Tensor, options?: SortOptions): Tensor;
export function argsort(x: Tensor, dim?: number, descending?: boolean | SortOptions, options?: SortOptions): Tensor;
export function argsort(x: Tensor, ...args: unknown[]): Tensor {
  return argsortOf(x, args);
}
/** @internal `argsort` with its arguments as an array (for the Tensor method). */
export function argsortOf(x: Tensor, args: readonly unknown[]): Tensor {
  const o = positional<SortOptions>("argsort", args, ["dim", "descending", "stable"]);
  const dim = o.dim ?? -1;
  if (x.ndim === 0) return reshape(argsort(reshape(x, [1]), normDim(dim, 0, "argsort", x.shape), o.descending), []);
  return sortedIndices(x, normDim(dim, x.ndim, "argsort", x.shape), o.descending ?? false);
}

/**
 * The `k` largest (or, with `largest: false`, smallest) elements along `dim` (default -1) and
 * their indices, in order: `const [values, indices] = topk(x, 3)`.
 */
export function topk(x: Tensor, k: number, options?: TopkOptions): ValuesIndices;
export function topk(x: Tensor, k: number, dim?: number, largest?: boolean, sorted?: boolean | TopkOptions, options?: TopkOptions): ValuesIndices;
export function topk(x: Tensor, k: number, ...args: unknown[]): ValuesIndices {
  return topkOf(x, k, args);
}
/** @internal `topk` with its arguments as an array (for the Tensor method). */
export function topkOf(x: Tensor, k: number, args: readonly unknown[]): ValuesIndices {
  const o = positional<TopkOptions>("topk", args, ["dim", "largest", "sorted"]);
  const dim = o.dim ?? -1;
  if (x.ndim === 0) return scalarCase("topk", x, dim, (flat) => topk(flat, k, 0, o.largest));
  const d = normDim(dim, x.ndim, "topk", x.shape);
  if (!Number.isInteger(k) || k < 0 || k > x.shape[d]) {
    throw new Error(`topk: k (${k}) out of range for dim ${dim} of size ${x.shape[d]} (shape ${formatShape(x.shape)})`);
  }
  const indices = contiguous(narrow(sortedIndices(x, d, o.largest ?? true), d, 0, k));
  return new ValuesIndices("topk", pick("TopkBackward0", x, d, indices), indices);
}
