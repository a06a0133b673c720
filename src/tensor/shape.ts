/**
 * Shape and stride arithmetic shared by tensors, ops and backends: broadcasting,
 * contiguous strides, dim normalisation, and the one `formatShape()` used in errors.
 */

/** Formats a shape for error messages: `[2,3]`. Every error that names a shape uses this. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

/** Number of elements of a shape (1 for a scalar shape `[]`). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a contiguous tensor of `shape`. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** True when `strides` are the row-major strides of `shape` (size-1 dims may have any stride). */
export function isContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== s) return false;
    s *= shape[i];
  }
  return true;
}

/** Normalises a possibly negative dim against `ndim`; throws naming `op` when out of range. */
export function normDim(dim: number, ndim: number, op: string, shape?: readonly number[]): number {
  const lo = ndim === 0 ? -1 : -ndim;
  const hi = ndim === 0 ? 0 : ndim - 1;
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    const where = shape ? ` for shape ${formatShape(shape)}` : "";
    throw new Error(`${op}: dim ${dim} out of range [${lo}, ${hi}]${where}`);
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

/** Normalises a dim list (or all dims when undefined), sorted and de-duplicated. */
export function normDims(dims: number | readonly number[] | undefined | null, ndim: number, op: string, shape?: readonly number[]): number[] {
  if (dims === undefined || dims === null) {
    const all = new Array<number>(ndim);
    for (let i = 0; i < ndim; i++) all[i] = i;
    return all;
  }
  const list = typeof dims === "number" ? [dims] : dims;
  const out = list.map((d) => normDim(d, ndim, op, shape));
  if (new Set(out).size !== out.length) throw new Error(`${op}: dim ${JSON.stringify(list)} repeats a dim`);
  return out.sort((a, b) => a - b);
}

/** Broadcasts two shapes with NumPy/PyTorch rules; throws naming `op` and both shapes. */
export function broadcastShapes(a: readonly number[], b: readonly number[], op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`${op}: shapes cannot be broadcast: a=${formatShape(a)} b=${formatShape(b)}`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides that read a tensor of `shape`/`strides` as if it had `target` shape (0 on broadcast dims). */
export function broadcastStrides(shape: readonly number[], strides: readonly number[], target: readonly number[]): number[] {
  const out = new Array<number>(target.length).fill(0);
  const lead = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) {
    out[lead + i] = shape[i] === 1 && target[lead + i] !== 1 ? 0 : strides[i];
  }
  return out;
}

/** True when two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Resolves a single -1 in a reshape target against `size`; throws naming `op` on mismatch. */
export function inferShape(target: readonly number[], size: number, op: string, from: readonly number[]): number[] {
  let unknown = -1;
  let known = 1;
  for (let i = 0; i < target.length; i++) {
    const d = target[i];
    if (d === -1) {
      if (unknown >= 0) throw new Error(`${op}: only one dimension can be -1, got ${formatShape(target)}`);
      unknown = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new Error(`${op}: invalid dimension ${d} in ${formatShape(target)}`);
    } else known *= d;
  }
  const out = target.slice();
  if (unknown >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new Error(`${op}: shape ${formatShape(target)} is invalid for input of shape ${formatShape(from)}`);
    }
    out[unknown] = size / known;
  } else if (known !== size) {
    throw new Error(`${op}: shape ${formatShape(target)} is invalid for input of shape ${formatShape(from)}`);
  }
  return out;
}
