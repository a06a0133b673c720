/**
 * Matrix products of the pool backend over a range of batches, rows and columns, so that one
 * product can be shared among threads. float32 goes to the native AVX2 sgemm where it is built
 * (native.ts: in place, no copies), else to the WASM sgemm (operands are copied into the
 * thread's WASM memory keeping their unit-stride dim; the packers absorb transposes); other
 * dtypes, or neither build, use the reference JS loop.
 */
import { mm2d } from "../cpu/matmul.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { wasmKernels } from "./wasm.js";
import { nativeKernels } from "./native.js";
import { SLOT, runNativeParts } from "./pool.js";

/** A strided window onto a typed array (what a job carries between threads). */
export interface ArrView {
  data: TypedArray;
  shape: readonly number[];
  strides: readonly number[];
  offset: number;
}

/** Copies a rows × cols strided matrix into f at dst; returns its [row, col] strides there. */
function copyIn(f: Float32Array, dst: number, S: Float32Array, off: number, rs: number, cs: number, rows: number, cols: number): [number, number] {
  if (cs === 1 && (rs === cols || rows === 1)) {
    f.set(S.subarray(off, off + rows * cols), dst);
    return [cols, 1];
  }
  if (rs === 1 && (cs === rows || cols === 1)) {
    f.set(S.subarray(off, off + rows * cols), dst);
    return [1, rows];
  }
  if (cs === 1 && rs !== 0) {
    for (let i = 0; i < rows; i++) f.set(S.subarray(off + i * rs, off + i * rs + cols), dst + i * cols);
    return [cols, 1];
  }
  if (rs === 1 && cs !== 0) {
    for (let j = 0; j < cols; j++) f.set(S.subarray(off + j * cs, off + j * cs + rows), dst + j * rows);
    return [1, rows];
  }
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) f[dst + i * cols + j] = S[off + i * rs + j * cs];
  return [cols, 1];
}

/**
 * C[cOff…] (row stride ldc) = A[m, k] · B[k, n] (+ bias[n] on every row) for strided float32
 * operands, in WASM. The bias is the product's starting value, so it costs no extra pass.
 */
function sgemmWasm(
  C: Float32Array, cOff: number, ldc: number, A: Float32Array, aOff: number, ars: number, acs: number,
  B: Float32Array, bOff: number, brs: number, bcs: number, m: number, k: number, n: number,
  bias: Float32Array | null, biasOff: number,
): boolean {
  const w = wasmKernels();
  if (!w) return false;
  const f = w.reserve((m * k + k * n + m * n) * 4);
  const pa = w.base >> 2, pb = pa + m * k, pc = pb + k * n;
  const [rsa, csa] = copyIn(f, pa, A, aOff, ars, acs, m, k);
  const [rsb, csb] = copyIn(f, pb, B, bOff, brs, bcs, k, n);
  if (bias) {
    const row = bias.subarray(biasOff, biasOff + n);
    for (let i = 0; i < m; i++) f.set(row, pc + i * n);
  }
  w.exports.sgemm(m, n, k, pa * 4, rsa, csa, pb * 4, rsb, csb, pc * 4, n, bias ? 1 : 0);
  if (ldc === n) C.set(f.subarray(pc, pc + m * n), cOff);
  else for (let i = 0; i < m; i++) C.set(f.subarray(pc + i * n, pc + (i + 1) * n), cOff + i * ldc);
  return true;
}

/** True when columns of a product may be split among threads (only the native and WASM paths can). */
export function canSplitColumns(dtype: string): boolean {
  return dtype === "float32" && (nativeKernels() !== null || wasmKernels() !== null);
}

/**
 * out [...batch, m, n] (contiguous) = a @ b (+ bias [n], dense) over batches [t0, t1), rows
 * [r0, r1), columns [c0, c1). Batch dims of a and b are already broadcast to the same shape.
 */
export function matmulPart(out: TypedArray, a: ArrView, b: ArrView, t0: number, t1: number, r0: number, r1: number, c0: number, c1: number, bias: ArrView | null = null): void {
  const nd = a.shape.length;
  const m = a.shape[nd - 2], k = a.shape[nd - 1], n = b.shape[nd - 1];
  const ars = a.strides[nd - 2], acs = a.strides[nd - 1], brs = b.strides[nd - 2], bcs = b.strides[nd - 1];
  const f32 = out instanceof Float32Array && a.data instanceof Float32Array && b.data instanceof Float32Array;
  for (let t = t0; t < t1; t++) {
    // Unravel batch index t into offsets of a and b.
    let aOff = a.offset, bOff = b.offset, rest = t;
    for (let d = nd - 3; d >= 0; d--) {
      const size = a.shape[d], i = rest % size;
      rest = (rest - i) / size;
      aOff += i * a.strides[d];
      bOff += i * b.strides[d];
    }
    const cOff = t * m * n + r0 * n + c0;
    const bias32 = bias && bias.data instanceof Float32Array ? bias.data : null;
    const nat = f32 && (!bias || bias32) ? nativeKernels() : null;
    if (nat) {
      // In place on the tensors' memory: no copies in or out.
      nat.sgemm(out as Float32Array, cOff, n, a.data as Float32Array, aOff + r0 * ars, ars, acs, b.data as Float32Array, bOff + c0 * bcs, brs, bcs, r1 - r0, k, c1 - c0, bias32, bias ? bias.offset + c0 : 0, 0);
      continue;
    }
    if (f32 && (!bias || bias32) && sgemmWasm(out, cOff, n, a.data as Float32Array, aOff + r0 * ars, ars, acs, b.data as Float32Array, bOff + c0 * bcs, brs, bcs, r1 - r0, k, c1 - c0, bias32, bias ? bias.offset + c0 : 0)) continue;
    if (c0 !== 0 || c1 !== n) throw new Error("matmul: a column split needs the WASM kernels");
    mm2d(out, cOff, a.data, aOff + r0 * ars, ars, acs, b.data, bOff, brs, bcs, r1 - r0, k, n);
    if (bias) for (let i = 0; i < r1 - r0; i++) for (let j = 0; j < n; j++) out[cOff + i * n + j] += bias.data[bias.offset + j];
  }
}

/** A part of a product: batches [t0, t1), rows [r0, r1), columns [c0, c1). */
export type GemmRange = [t0: number, t1: number, r0: number, r1: number, c0: number, c1: number];

/** The one stride of the flattened batch index over dims [0, nd - 2), or null when they do not collapse. */
function batchStride(v: ArrView, nd: number): number | null {
  let stride: number | null = null, span = 1;
  for (let d = nd - 3; d >= 0; d--) {
    if (v.shape[d] === 1) continue;
    if (stride === null) stride = v.strides[d];
    else if (v.strides[d] !== stride * span) return null;
    span *= v.shape[d];
  }
  return stride ?? 0;
}

/** Whether every element at off + Σ iᵢ·strideᵢ (iᵢ < countᵢ) lies inside `a`. */
function within(a: TypedArray, off: number, dims: readonly (readonly [number, number])[]): boolean {
  let lo = off, hi = off;
  for (const [count, stride] of dims) {
    if (count === 0) return true;
    if (stride > 0) hi += (count - 1) * stride;
    else lo += (count - 1) * stride;
  }
  return lo >= 0 && hi < a.length;
}

/**
 * out [batch, m, n] (contiguous) = a @ b (+ bias) as `ranges` parts run by the native kernels on
 * the pool's threads, in place (no copies, no messages: pool.ts runNativeParts). False when the
 * native kernels are absent, the dtype is not float32, or the batch dims do not collapse to one
 * stride; the caller then splits the product as jobs.
 */
export function matmulNative(out: TypedArray, a: ArrView, b: ArrView, bias: ArrView | null, ranges: readonly GemmRange[]): boolean {
  const nat = nativeKernels();
  if (!nat || !(out instanceof Float32Array && a.data instanceof Float32Array && b.data instanceof Float32Array) || (bias && !(bias.data instanceof Float32Array))) return false;
  const nd = a.shape.length;
  const m = a.shape[nd - 2], k = a.shape[nd - 1], n = b.shape[nd - 1];
  let batch = 1;
  for (let d = 0; d < nd - 2; d++) batch *= a.shape[d];
  const sa = batchStride(a, nd), sb = batchStride(b, nd);
  if (sa === null || sb === null) return false;
  const ars = a.strides[nd - 2], acs = a.strides[nd - 1], brs = b.strides[nd - 2], bcs = b.strides[nd - 1];
  // Checked here once for the whole product: the workers trust the addresses.
  if (out.length < batch * m * n || !within(a.data, a.offset, [[batch, sa], [m, ars], [k, acs]]) || !within(b.data, b.offset, [[batch, sb], [k, brs], [n, bcs]]) || (bias && !within(bias.data, bias.offset, [[n, 1]]))) {
    throw new Error(`matmul: operands of shapes [${a.shape}] and [${b.shape}] do not fit their storage`);
  }
  const A = nat.address(a.data), B = nat.address(b.data), C = nat.address(out), BIAS = bias ? nat.address(bias.data) : 0;
  runNativeParts(ranges.length, (d, o, i) => {
    const [t0, t1, r0, r1, c0, c1] = ranges[i];
    d[o] = 1;
    d[o + 1] = C + 4 * (t0 * m * n + r0 * n + c0);
    d[o + 2] = n;
    d[o + 3] = A + 4 * (a.offset + t0 * sa + r0 * ars);
    d[o + 4] = ars;
    d[o + 5] = acs;
    d[o + 6] = B + 4 * (b.offset + t0 * sb + c0 * bcs);
    d[o + 7] = brs;
    d[o + 8] = bcs;
    d[o + 9] = r1 - r0;
    d[o + 10] = k;
    d[o + 11] = c1 - c0;
    d[o + 12] = bias ? BIAS + 4 * (bias.offset + c0) : 0;
    d[o + 13] = 0;
    d[o + 14] = t1 - t0;
    d[o + 15] = sa;
    d[o + 16] = sb;
    d[o + 17] = m * n;
    for (let j = 18; j < SLOT; j++) d[o + j] = 0;
  }, (d, slot) => nat.runPart(d, slot));
  return true;
}
