/**
 * Constant padding (PyTorch's `F.pad` in "constant" mode): pairs of (before, after) amounts
 * starting from the last dim. Negative amounts crop.
 */
import { Tensor, backendOf } from "../tensor/tensor.js";
import { formatShape } from "../tensor/shape.js";
import { filled, record } from "./op.js";
import { slice } from "./movement.js";

/** Pads the last dims of `x`: `padding = [left, right, top, bottom, …]`, filled with `value`. */
export function pad(x: Tensor, padding: readonly number[], value = 0): Tensor {
  if (padding.length % 2 !== 0 || padding.length / 2 > x.ndim || !padding.every(Number.isInteger)) {
    throw new Error(`pad: padding length must be even and cover at most ${x.ndim} dims, got [${padding.join(",")}] for shape ${formatShape(x.shape)}`);
  }
  const shape = x.shape.slice();
  const before = new Array<number>(x.ndim).fill(0);
  for (let i = 0; i < padding.length / 2; i++) {
    const d = x.ndim - 1 - i;
    before[d] = padding[2 * i];
    shape[d] += padding[2 * i] + padding[2 * i + 1];
    if (shape[d] < 0) throw new Error(`pad: padding [${padding.join(",")}] makes dim ${d} of shape ${formatShape(x.shape)} negative`);
  }
  const out = filled(shape, value, x.dtype, x.device);
  // Source and destination windows (negative padding crops the source).
  let src = x;
  let dst = out;
  for (let d = 0; d < x.ndim; d++) {
    const b = before[d];
    const after = shape[d] - x.shape[d] - b;
    src = slice(src, d, Math.max(0, -b), x.shape[d] - Math.max(0, -after));
    dst = slice(dst, d, Math.max(0, b), shape[d] - Math.max(0, after));
  }
  backendOf(out).map("copy", dst, [src]);
  return record(out, "ConstantPad", [x], (g) => {
    let gx = g;
    for (let d = 0; d < x.ndim; d++) {
      const b = before[d];
      gx = slice(gx, d, Math.max(0, b), shape[d] - Math.max(0, shape[d] - x.shape[d] - b));
    }
    return [pad(gx, padding.map((p) => Math.max(0, -p)))];
  });
}
