/**
 * Turning what users pass to display helpers (tensors, nested arrays, typed arrays) into plain
 * numbers, rounded so figures stay small in saved notebooks. No drawing here.
 */
import { Tensor } from "../tensor/tensor.js";
import { noGrad } from "../autograd/grad-mode.js";

/** Anything a plot accepts as a list of numbers. */
export type Numbers = Tensor | ArrayLike<number>;
/** Anything a plot accepts as a matrix (rows of numbers). */
export type Matrix = Tensor | ArrayLike<number>[];

/** Rounds to 6 significant digits (what a chart can show), keeping integers and non-finite values. */
export function round(v: number): number {
  return Number.isFinite(v) && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v;
}

/** A tensor's shape and row-major values as float64, read without recording autograd. */
export function readTensor(t: Tensor): { shape: number[]; data: Float64Array } {
  const raw = noGrad(() => t.detach().dataSync());
  return { shape: [...t.shape], data: Float64Array.from(raw as ArrayLike<number>) };
}

/** A 1-D list of numbers; a tensor must have one non-trivial dimension. */
export function toNumbers(x: Numbers, what = "values"): number[] {
  if (x instanceof Tensor) {
    const { shape, data } = readTensor(x);
    if (shape.filter((d) => d !== 1).length > 1) throw new Error(`${what}: expected a 1-D tensor, got shape [${shape.join(", ")}]`);
    return Array.from(data, round);
  }
  if (x == null || typeof (x as ArrayLike<number>).length !== "number") throw new Error(`${what}: expected an array or a tensor, got ${typeof x}`);
  return Array.from(x as ArrayLike<number>, (v) => round(Number(v)));
}

/** Rows of numbers; a tensor must be 2-D, arrays must be rectangular. */
export function toMatrix(x: Matrix, what = "matrix"): number[][] {
  if (x instanceof Tensor) {
    const { shape, data } = readTensor(x);
    if (shape.length !== 2) throw new Error(`${what}: expected a 2-D tensor, got shape [${shape.join(", ")}]`);
    return Array.from({ length: shape[0] }, (_, i) => Array.from(data.subarray(i * shape[1], (i + 1) * shape[1]), round));
  }
  const rows = Array.from(x, (r) => Array.from(r, (v) => round(Number(v))));
  if (rows.some((r) => r.length !== rows[0].length)) throw new Error(`${what}: rows have different lengths (${rows.map((r) => r.length).join(", ")})`);
  return rows;
}

/** Minimum and maximum of the finite values (0..1 when there are none). */
export function finiteRange(values: Iterable<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** HTML-escapes text for element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
