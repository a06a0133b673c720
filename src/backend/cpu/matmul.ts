/**
 * Matrix multiplication kernel of the cpu backend: batched, any strides. The inner loop is
 * i-k-j over contiguous rows of b, so it streams memory in order (a strided b is first copied
 * into a dense block); the fast backend of a later issue replaces this.
 */
import type { DataBuffer, View } from "../backend.js";
import { cpuData, viewData } from "./buffer.js";
import type { TypedArray } from "../../tensor/dtype.js";

/** C[m, n] (row-major at cOff) = A · B for strided 2-D operands; the fallback of faster backends. */
export function mm2d(
  C: TypedArray, cOff: number, A: TypedArray, aOff: number, ars: number, acs: number,
  B: TypedArray, bOff: number, brs: number, bcs: number, m: number, k: number, n: number,
): void {
  if (bcs === 1) {
    // Four rows of b per pass: a quarter of the loads and stores of c.
    const k4 = k - (k % 4);
    for (let i = 0; i < m; i++) {
      const crow = cOff + i * n;
      for (let j = 0; j < n; j++) C[crow + j] = 0;
      const arow = aOff + i * ars;
      for (let p = 0; p < k4; p += 4) {
        const a0 = A[arow + p * acs], a1 = A[arow + (p + 1) * acs], a2 = A[arow + (p + 2) * acs], a3 = A[arow + (p + 3) * acs];
        if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
        const b0 = bOff + p * brs, b1 = b0 + brs, b2 = b1 + brs, b3 = b2 + brs;
        for (let j = 0; j < n; j++) C[crow + j] += a0 * B[b0 + j] + a1 * B[b1 + j] + a2 * B[b2 + j] + a3 * B[b3 + j];
      }
      for (let p = k4; p < k; p++) {
        const av = A[arow + p * acs];
        if (av === 0) continue;
        const brow = bOff + p * brs;
        for (let j = 0; j < n; j++) C[crow + j] += av * B[brow + j];
      }
    }
  } else {
    // Copy b into a contiguous block so the i-k-j loop can stream it.
    const Bc = new (B.constructor as new (size: number) => TypedArray)(k * n);
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) Bc[p * n + j] = B[bOff + p * brs + j * bcs];
    mm2d(C, cOff, A, aOff, ars, acs, Bc, 0, n, 1, m, k, n);
  }
}

/** out [...batch, m, n] = a [...batch, m, k] @ b [...batch, k, n]; batch dims of a and b already broadcast. */
export function runMatmul(out: DataBuffer, a: View, b: View): void {
  const nd = a.shape.length;
  const m = a.shape[nd - 2], k = a.shape[nd - 1], n = b.shape[nd - 1];
  const A = viewData(a), B = viewData(b), C = cpuData(out);
  const batchShape = a.shape.slice(0, nd - 2);
  let batches = 1;
  for (const d of batchShape) batches *= d;
  const idx = new Array(batchShape.length).fill(0);
  let aBase = a.offset, bBase = b.offset;
  for (let t = 0; t < batches; t++) {
    mm2d(C, t * m * n, A, aBase, a.strides[nd - 2], a.strides[nd - 1], B, bBase, b.strides[nd - 2], b.strides[nd - 1], m, k, n);
    for (let d = batchShape.length - 1; d >= 0; d--) {
      idx[d]++;
      aBase += a.strides[d];
      bBase += b.strides[d];
      if (idx[d] < batchShape[d]) break;
      idx[d] = 0;
      aBase -= a.strides[d] * batchShape[d];
      bBase -= b.strides[d] * batchShape[d];
    }
  }
}
