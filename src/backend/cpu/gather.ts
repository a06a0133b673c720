/**
 * Indexing kernels of the cpu backend: gather/scatterAdd along a dim and
 * indexSelect/indexAdd of whole slices. Indices are int32; out-of-range indices throw.
 */
import type { DataBuffer, View } from "../backend.js";
import { cpuData, denseData } from "./buffer.js";
import { formatShape } from "../../tensor/shape.js";

function checkIndex(op: string, i: number, size: number, dim: number): void {
  if (i < 0 || i >= size) throw new Error(`${op}: index ${i} is out of bounds for dim ${dim} with size ${size}`);
}

/** Visits every position of `shape`, passing the running multi-index and its flat position. */
function forEachIndex(shape: readonly number[], fn: (idx: number[], flat: number) => void): void {
  let size = 1;
  for (const d of shape) size *= d;
  const idx = new Array(shape.length).fill(0);
  for (let f = 0; f < size; f++) {
    fn(idx, f);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

export function gather(out: DataBuffer, x: View, dim: number, index: View): void {
  const O = cpuData(out);
  const I = denseData(index);
  const X = cpuData(x.buf);
  forEachIndex(index.shape, (idx, f) => {
    const k = I.data[I.offset + f];
    checkIndex("gather", k, x.shape[dim], dim);
    let off = x.offset;
    for (let d = 0; d < idx.length; d++) off += (d === dim ? k : idx[d]) * x.strides[d];
    O[f] = X[off];
  });
}

export function scatterAdd(out: DataBuffer, shape: readonly number[], dim: number, index: View, src: View): void {
  const O = cpuData(out);
  const I = denseData(index);
  const S = denseData(src);
  const strides = new Array(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  forEachIndex(index.shape, (idx, f) => {
    const k = I.data[I.offset + f];
    checkIndex("scatterAdd", k, shape[dim], dim);
    let off = 0;
    for (let d = 0; d < idx.length; d++) off += (d === dim ? k : idx[d]) * strides[d];
    O[off] += S.data[S.offset + f];
  });
}

function split(shape: readonly number[], dim: number): [number, number] {
  let outer = 1, inner = 1;
  for (let d = 0; d < dim; d++) outer *= shape[d];
  for (let d = dim + 1; d < shape.length; d++) inner *= shape[d];
  return [outer, inner];
}

export function indexSelect(out: DataBuffer, x: View, dim: number, index: View): void {
  const O = cpuData(out);
  const I = denseData(index);
  const X = denseData(x);
  const [outer, inner] = split(x.shape, dim);
  const size = x.shape[dim];
  const len = index.shape.length === 0 ? 1 : index.shape[0];
  let o = 0;
  for (let a = 0; a < outer; a++) {
    for (let j = 0; j < len; j++) {
      const k = I.data[I.offset + j];
      if (k < 0 || k >= size) {
        throw new Error(`indexSelect: index ${k} is out of bounds for dim ${dim} with size ${size} (input ${formatShape(x.shape)})`);
      }
      const base = X.offset + (a * size + k) * inner;
      for (let i = 0; i < inner; i++) O[o++] = X.data[base + i];
    }
  }
}

export function indexAdd(out: DataBuffer, shape: readonly number[], dim: number, index: View, src: View): void {
  const O = cpuData(out);
  const I = denseData(index);
  const S = denseData(src);
  const [outer, inner] = split(shape, dim);
  const size = shape[dim];
  const len = index.shape.length === 0 ? 1 : index.shape[0];
  let s = S.offset;
  for (let a = 0; a < outer; a++) {
    for (let j = 0; j < len; j++) {
      const k = I.data[I.offset + j];
      checkIndex("indexAdd", k, size, dim);
      const base = (a * size + k) * inner;
      for (let i = 0; i < inner; i++) O[base + i] += S.data[s++];
    }
  }
}
