/**
 * Storage of the cpu reference backend: a typed array per buffer.
 * Kernels are in the sibling files; this file only knows how to hold and unwrap data.
 */
import type { DataBuffer, View } from "../backend.js";
import { allocTyped, type DType, type TypedArray } from "../../tensor/dtype.js";

/**
 * A cpu buffer: a plain typed array that the garbage collector frees. Other backends that keep
 * data in JS memory (a worker pool on SharedArrayBuffers) can reuse it under their own name.
 */
export class CpuBuffer implements DataBuffer {
  readonly data: TypedArray;
  constructor(readonly dtype: DType, readonly size: number, data?: TypedArray, readonly backend: string = "cpu") {
    this.data = data ?? allocTyped(dtype, size);
  }
}

/** The typed array behind a buffer that must belong to the cpu backend. */
export function cpuData(buf: DataBuffer): TypedArray {
  if (buf instanceof CpuBuffer) return buf.data;
  throw new Error(`cpu: buffer belongs to backend "${buf.backend}"`);
}

/** The typed array behind a view's buffer. */
export function viewData(v: View): TypedArray {
  return cpuData(v.buf);
}

/** A small code per typed-array type (0 for a type not listed), for kernel caches' keys. */
export function typeCode(a: TypedArray): number {
  if (a instanceof Float32Array) return 1;
  if (a instanceof Float64Array) return 2;
  if (a instanceof Int32Array) return 3;
  if (a instanceof Uint8Array) return 4;
  return 0;
}

/**
 * Merges adjacent dims that every operand walks contiguously and drops size-1 dims, so
 * most kernels run one flat loop. Returns the reduced shape and one stride list per operand.
 */
export function coalesce(shape: readonly number[], strides: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const m = strides.length;
  const outStrides: number[][] = new Array(m);
  for (let k = 0; k < m; k++) outStrides[k] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = outShape.length - 1;
    let merges = last >= 0;
    for (let k = 0; merges && k < m; k++) merges = outStrides[k][last] === strides[k][d] * shape[d];
    if (merges) {
      outShape[last] *= shape[d];
      for (let k = 0; k < strides.length; k++) outStrides[k][last] = strides[k][d];
    } else {
      outShape.push(shape[d]);
      for (let k = 0; k < strides.length; k++) outStrides[k].push(strides[k][d]);
    }
  }
  return { shape: outShape, strides: outStrides };
}

/** Copies the elements of a strided view of `src` into a new dense row-major array of its type. */
export function gatherStrided(src: TypedArray, v: { shape: readonly number[]; strides: readonly number[]; offset: number }): TypedArray {
  let size = 1;
  for (const d of v.shape) size *= d;
  const out = new (src.constructor as new (n: number) => TypedArray)(size);
  const nd = v.shape.length;
  if (size === 0) return out;
  // Row by row over the last dim: one block copy where its elements lie contiguous (a narrow()
  // of columns) and are many enough, else element by element.
  const last = nd > 0 ? v.shape[nd - 1] : 1, step = nd > 0 ? v.strides[nd - 1] : 0;
  const block = step === 1 && last >= 16;
  const idx = new Array<number>(Math.max(0, nd - 1)).fill(0);
  let off = v.offset;
  for (let r = 0; r < size; r += last) {
    if (block) out.set(src.subarray(off, off + last), r);
    else for (let j = 0; j < last; j++) out[r + j] = src[off + j * step];
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      off += v.strides[d];
      if (idx[d] < v.shape[d]) break;
      idx[d] = 0;
      off -= v.strides[d] * v.shape[d];
    }
  }
  return out;
}

/** The data of a view as a row-major array plus start offset, copying only when strided. */
export function denseData(v: View): { data: TypedArray; offset: number } {
  let s = 1;
  let dense = true;
  for (let i = v.shape.length - 1; i >= 0; i--) {
    if (v.shape[i] !== 1 && v.strides[i] !== s) {
      dense = false;
      break;
    }
    s *= v.shape[i];
  }
  if (dense) return { data: viewData(v), offset: v.offset };
  return { data: gatherStrided(viewData(v), v), offset: 0 };
}
