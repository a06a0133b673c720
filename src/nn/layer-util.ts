/**
 * Helpers the layer files share: fresh parameters, option normalisation and
 * shape checks with errors that name the layer and the shapes.
 */
import { Tensor, emptyTensor } from "../tensor/tensor.js";
import { formatShape } from "../tensor/shape.js";
import { Parameter } from "./module.js";
import { copyInto } from "./tensor-util.js";

/** A new float32 parameter of `shape` (values set by the layer's initialiser). */
export function newParameter(shape: readonly number[]): Tensor {
  return Parameter(emptyTensor(shape, "float32"));
}

/** A new float32 tensor of `shape` for a buffer (running statistics). */
export function newBuffer(shape: readonly number[], fill = 0): Tensor {
  const t = emptyTensor(shape, "float32");
  if (fill !== 0) copyInto(t, new Float32Array(t.numel()).fill(fill));
  return t;
}

/** Throws unless `n` is a positive integer; `what` names the layer argument. */
export function checkPositiveInt(layer: string, what: string, n: number): void {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${layer}: ${what} must be a positive integer, got ${n}`);
}

/** Throws unless the input's last dimension is `size`. */
export function checkLastDim(layer: string, x: Tensor, size: number, what: string): void {
  if (!(x instanceof Tensor)) throw new Error(`${layer}: expected a Tensor input, got ${x === null ? "null" : typeof x}`);
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== size) {
    throw new Error(`${layer}: expected input with last dimension ${size} (${what}), got shape ${formatShape(x.shape)}`);
  }
}

/** `n` or `[a, b]` written the way PyTorch's reprs write them. */
export function pairRepr(v: number | readonly number[]): string {
  return typeof v === "number" ? String(v) : `(${v.join(", ")})`;
}
