/**
 * Raw access to a parameter's data and gradient as flat typed arrays, so optimizers update
 * weights in place without going through the autograd tape. On the cpu backend with a
 * contiguous parameter this is zero-copy; elsewhere it reads, and `commit()` writes back.
 */
import type { Tensor } from "../tensor/tensor.js";
import { backendNamed } from "../backend/backend.js";
import { CpuBuffer, gatherStrided } from "../backend/cpu/buffer.js";
import { isContiguous, sizeOf, formatShape } from "../tensor/shape.js";
import type { TypedArray } from "../tensor/dtype.js";

/** The floating-point arrays parameters are stored in. */
export type FloatArray = Float32Array | Float64Array;

/** A parameter's values and gradient as flat row-major arrays; call `commit()` after writing. */
export interface RawParam {
  data: FloatArray;
  grad: FloatArray;
  commit(): void;
}

interface Strided {
  buf: Tensor["buf"];
  shape: readonly number[];
  strides: readonly number[];
  offset: number;
}


/** The dense values of a view: a zero-copy subarray when possible. */
export function denseValues(v: Strided): { data: TypedArray; shared: boolean } {
  const size = sizeOf(v.shape);
  const contiguous = isContiguous(v.shape, v.strides);
  if (v.buf instanceof CpuBuffer) {
    if (contiguous) return { data: v.buf.data.subarray(v.offset, v.offset + size), shared: true };
    return { data: gatherStrided(v.buf.data, v), shared: false };
  }
  const all = backendNamed(v.buf.backend).readSync(v.buf);
  return { data: contiguous ? all.slice(v.offset, v.offset + size) : gatherStrided(all, v), shared: false };
}

/** Raw, writable arrays for parameter `p` and its gradient; `op` names the caller in errors. */
export function rawParam(p: Tensor, op: string): RawParam {
  const g = p.grad;
  if (!g) throw new Error(`${op}: parameter of shape ${formatShape(p.shape)} has no gradient`);
  if (g.shape.length !== p.shape.length || g.shape.some((d, i) => d !== p.shape[i])) {
    throw new Error(`${op}: gradient shape ${formatShape(g.shape)} differs from parameter shape ${formatShape(p.shape)}`);
  }
  const pv = denseValues(p);
  let gv = denseValues(g).data;
  if (gv.constructor !== pv.data.constructor) gv = (pv.data instanceof Float64Array ? Float64Array : Float32Array).from(gv);
  const data = pv.data as FloatArray;
  const commit = pv.shared
    ? () => {}
    : () => {
        if (!isContiguous(p.shape, p.strides)) {
          throw new Error(`${op}: cannot update a non-contiguous parameter of shape ${formatShape(p.shape)} on backend "${p.buf.backend}"`);
        }
        backendNamed(p.buf.backend).write(p.buf, data, p.offset);
      };
  return { data, grad: gv as FloatArray, commit };
}
