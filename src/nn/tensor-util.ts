/**
 * Small raw-data helpers the nn, data and io code share: in-place copies into parameters
 * and tensors built from typed arrays. Ops with gradients belong in src/ops/, not here.
 */
import { Tensor, tensorFromData } from "../tensor/tensor.js";
import { backendNamed } from "../backend/backend.js";
import { denseValues } from "../optim/raw.js";
import { formatShape, sizeOf } from "../tensor/shape.js";
import type { DType } from "../tensor/dtype.js";

/**
 * Overwrites the elements of contiguous tensor `dst` with those of `src` (same number of
 * elements, converted to dst's dtype). No autograd: used for init and loading weights.
 */
export function copyInto(dst: Tensor, src: Tensor | ArrayLike<number>): void {
  if (!dst.isContiguous()) throw new Error(`copyInto: destination of shape ${formatShape(dst.shape)} is not contiguous`);
  const values = src instanceof Tensor ? denseValues(src).data : src;
  const n = dst.numel();
  if (values.length !== n) {
    const what = src instanceof Tensor ? formatShape(src.shape) : `${values.length} values`;
    throw new Error(`copyInto: cannot copy ${what} into shape ${formatShape(dst.shape)}`);
  }
  backendNamed(dst.buf.backend).write(dst.buf, values, dst.offset);
}

/** A new tensor of `shape` and `dtype` holding `data` (copied). */
export function fromData(data: ArrayLike<number>, shape: readonly number[], dtype: DType = "float32"): Tensor {
  if (data.length !== sizeOf(shape)) {
    throw new Error(`fromData: ${data.length} values do not fill shape ${formatShape(shape)}`);
  }
  return tensorFromData(data, shape, dtype);
}

/** A tensor's elements as a dense row-major array, zero-copy on the cpu backend (read-only use). */
export function valuesOf(t: Tensor): ArrayLike<number> {
  return denseValues(t).data;
}
