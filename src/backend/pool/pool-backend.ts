/**
 * The default `cpu` backend: the reference kernels' semantics, run by a pool of threads over
 * SharedArrayBuffer storage, with float32 hot paths in WASM SIMD (gemm.ts, conv-fused.ts,
 * ew.ts, fused.ts) and the fused kernels of the Backend interface (addmm, conv2d, lstmCell,
 * gruCell, crossEntropy, optimizerStep for Adam). Large ops are cut into a few parts per thread (parts.ts, pool.ts); small ops
 * run inline on the calling thread, where a split would cost more than it saves. Splitting
 * never changes results: every part computes whole output elements with the same arithmetic.
 */
import type { Backend, DataBuffer, LinearActivation, MapOp, OptimizerUpdate, ReduceOp, View, Window2d } from "../backend.js";
import { CpuBuffer, coalesce, cpuData, denseData } from "../cpu/buffer.js";
import { createCpuBackend } from "../cpu/cpu-backend.js";
import type { DType, TypedArray } from "../../tensor/dtype.js";
import { canSplitColumns, matmulNative, matmulPart, type ArrView, type GemmRange } from "./gemm.js";
import { runJob, type Job } from "./parts.js";
import { parallelism, runJobs, runNativeParts, splitPolicy, workersKeepUp } from "./pool.js";
import { wasmKernels } from "./wasm.js";
import { nativeKernels, sharedBuffer } from "./native.js";
import { MAP_WASM_MIN, mapNative, mapWasm } from "./ew.js";
import { cellNative, fusedAdam, gruCellBackwardWasm, gruCellWasm, lstmCellBackwardWasm, lstmCellWasm } from "./fused.js";
import { crossEntropyRows } from "./loss.js";
import { GEO_FIELDS, convBackwardPart, type ConvGeo, type Dense } from "./conv-fused.js";

export { splitPolicy };

const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, int64: 8, bool: 1 };

/** A typed array of `dtype` over the first `size` elements of `sab`. */
function viewOf(dtype: DType, sab: SharedArrayBuffer, size: number): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(sab, 0, size);
    case "float64":
    case "int64":
      return new Float64Array(sab, 0, size);
    case "int32":
      return new Int32Array(sab, 0, size);
    case "bool":
      return new Uint8Array(sab, 0, size);
  }
}

function sharedArray(dtype: DType, size: number, zero = true): TypedArray {
  return viewOf(dtype, sharedBuffer(Math.max(1, size) * BYTES[dtype], zero), size);
}

/**
 * Shared scratch for an op's temporaries (a split product's small output, conv weight-gradient
 * partials), kept between ops: a fresh SharedArrayBuffer costs a page fault per 4 KiB on first
 * touch, several times an ordinary allocation. Ops run one at a time and finish before they
 * return, so one buffer per use is never handed out twice at once.
 */
const scratchBuffers = new Map<string, SharedArrayBuffer>();

function scratch(use: string, dtype: DType, size: number): TypedArray {
  const bytes = Math.max(1, size) * BYTES[dtype];
  let sab = scratchBuffers.get(use);
  if (!sab || sab.byteLength < bytes) {
    sab = new SharedArrayBuffer(Math.max(bytes, (sab?.byteLength ?? 0) * 2));
    scratchBuffers.set(use, sab);
  }
  return viewOf(dtype, sab, size);
}

function isShared(a: TypedArray): boolean {
  return a.buffer instanceof SharedArrayBuffer;
}

function arr(v: View): ArrView {
  return { data: cpuData(v.buf), shape: v.shape, strides: v.strides, offset: v.offset };
}

/** [start, end) of part i when `total` items are cut into `parts`, boundaries aligned to `align`. */
function range(total: number, parts: number, i: number, align = 1): [number, number] {
  const units = Math.ceil(total / align);
  const s = Math.floor((units * i) / parts) * align, e = Math.floor((units * (i + 1)) / parts) * align;
  return [Math.min(s, total), Math.min(e, total)];
}

/**
 * Number of parts for `items` independent items, or 1 when the op should stay inline (too
 * little work, or an output the workers cannot see; null when parts write elsewhere).
 */
function partsFor(items: number, work: number, min: number, out: TypedArray | null): number {
  const p = parallelism();
  if (p < 2 || work < min || items < 2 || (out && !isShared(out))) return 1;
  return Math.min(p, items);
}

/** Copies a strided block whose last dim is dense in both arrays, one `set` per row. */
function copyRows(o: TypedArray, oOff: number, os: readonly number[], src: TypedArray, sOff: number, ss: readonly number[], shape: readonly number[]): void {
  const nd = shape.length, len = shape[nd - 1];
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) rows *= shape[d];
  const idx = new Array<number>(nd).fill(0);
  for (let r = 0; r < rows; r++) {
    o.set(src.subarray(sOff, sOff + len) as never, oOff);
    for (let d = nd - 2; d >= 0; d--) {
      oOff += os[d];
      sOff += ss[d];
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
      oOff -= os[d] * shape[d];
      sOff -= ss[d] * shape[d];
    }
  }
}

/** float64 accumulators of columnSums, grown as needed and reused. */
let columnAcc = new Float64Array(1024);

/**
 * Sums over leading axes into contiguous trailing ones (a bias gradient: [batch, n] → [n]) as
 * whole-row additions in row order, instead of one strided walk down each column. Accumulates
 * in float64 like the reference kernel. False when the layout is not of that form.
 */
function columnSums(o: TypedArray, x: View, axes: readonly number[]): boolean {
  const X = cpuData(x.buf);
  if (!(X instanceof Float32Array || X instanceof Float64Array) || o.constructor !== X.constructor) return false;
  const nd = x.shape.length;
  let lead = 0;
  while (lead < nd && axes.includes(lead)) lead++;
  if (lead === 0 || lead === nd) return false;
  for (let i = lead; i < nd; i++) if (axes.includes(i)) return false;
  const kept = coalesce(x.shape.slice(lead), [x.strides.slice(lead)]);
  if (kept.shape.length !== 1 || kept.strides[0][0] !== 1) return false;
  const red = coalesce(x.shape.slice(0, lead), [x.strides.slice(0, lead)]);
  if (red.shape.length !== 1) return false;
  const cols = kept.shape[0], rows = red.shape[0], rs = red.strides[0][0];
  if (cols < 8) return false;
  // Native from a few thousand elements (below that, the call costs more than the JS loop).
  const nat = X instanceof Float32Array && rows * cols >= 2048 ? nativeKernels() : null;
  if (nat) {
    nat.colsum(o as Float32Array, X as Float32Array, x.offset, rows, cols, rs);
    return true;
  }
  if (columnAcc.length < cols) columnAcc = new Float64Array(cols);
  const acc = columnAcc;
  acc.fill(0, 0, cols);
  // Four rows per pass over the accumulators: their loads and stores, not the adds, are the cost.
  let r = 0, off = x.offset;
  for (; r + 4 <= rows; r += 4, off += 4 * rs) {
    const o1 = off + rs, o2 = o1 + rs, o3 = o2 + rs;
    for (let j = 0; j < cols; j++) acc[j] += X[off + j] + X[o1 + j] + (X[o2 + j] + X[o3 + j]);
  }
  for (; r < rows; r++, off += rs) for (let j = 0; j < cols; j++) acc[j] += X[off + j];
  for (let j = 0; j < cols; j++) o[j] = acc[j];
  return true;
}

/** Slices dim 0 of a view to [s, e). */
function slice0(v: ArrView, s: number, e: number): ArrView {
  return { data: v.data, shape: [e - s, ...v.shape.slice(1)], strides: v.strides, offset: v.offset + s * v.strides[0] };
}

function size(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Creates the worker-pool cpu backend. */
export function createPoolBackend(name = "cpu"): Backend {
  const ref = createCpuBackend(name);

  function map(op: MapOp, out: View, inputs: readonly View[], param = 0): void {
    const n = size(out.shape);
    // Too small for WASM or threads: the reference kernel, without this function's layout work.
    if (n < MAP_WASM_MIN && n < splitPolicy.minElements) return ref.map(op, out, inputs, param);
    const o = cpuData(out.buf);
    const c = coalesce(out.shape, [out.strides, ...inputs.map((v) => v.strides)]);
    if (op === "fill" && c.shape.length <= 1 && (c.shape.length === 0 || c.strides[0][0] === 1)) {
      o.fill(param, out.offset, out.offset + n);
      return;
    }
    if (op === "copy" && c.shape.length >= 1 && c.strides[0][c.shape.length - 1] === 1 && c.strides[1][c.shape.length - 1] === 1) {
      // A copy between arrays of one type whose last coalesced dim is dense on both sides is a
      // memcpy per row (a whole-array memcpy when everything coalesces): stack and cat of
      // strided views, or making a transposed batch contiguous row by row.
      const src = cpuData(inputs[0].buf);
      const nd = c.shape.length, len = c.shape[nd - 1];
      if (src.constructor === o.constructor && (nd === 1 || len >= 16)) {
        copyRows(o, out.offset, c.strides[0], src, inputs[0].offset, c.strides[1], c.shape);
        return;
      }
    }
    if (mapNative(op, arr(out), inputs.map(arr), splitPolicy.minElements)) return;
    if (n < splitPolicy.minElements || parallelism() < 2 || !isShared(o)) {
      if (mapWasm(op, arr(out), inputs.map(arr))) return;
      return ref.map(op, out, inputs, param);
    }
    let d = 0;
    for (let i = 1; i < c.shape.length; i++) if (c.shape[i] > c.shape[d]) d = i;
    const parts = Math.min(parallelism(), c.shape[d] ?? 1);
    if (parts < 2) return ref.map(op, out, inputs, param);
    const all = [out, ...inputs];
    const jobs: Job[] = [];
    for (let p = 0; p < parts; p++) {
      const [s, e] = range(c.shape[d], parts, p);
      const views = all.map((v, k): ArrView => {
        const shape = c.shape.slice();
        shape[d] = e - s;
        return { data: cpuData(v.buf), shape, strides: c.strides[k], offset: v.offset + s * c.strides[k][d] };
      });
      jobs.push({ kind: "map", op, out: views[0], inputs: views.slice(1), param });
    }
    runJobs(jobs);
  }

  function reduce(op: ReduceOp, out: DataBuffer, x: View, axes: readonly number[]): void {
    const o = cpuData(out);
    let d = -1;
    for (let i = 0; i < x.shape.length; i++) {
      if (!axes.includes(i) && x.shape[i] > 1) {
        d = i;
        break;
      }
    }
    const parts = d < 0 ? 1 : partsFor(x.shape[d], size(x.shape), splitPolicy.minElements, o);
    if (parts < 2) {
      if (op === "sum" && columnSums(o, x, axes)) return;
      return ref.reduce(op, out, x, axes);
    }
    const per = o.length / x.shape[d];
    const jobs: Job[] = [];
    for (let p = 0; p < parts; p++) {
      const [s, e] = range(x.shape[d], parts, p);
      const shape = x.shape.slice();
      shape[d] = e - s;
      jobs.push({ kind: "reduce", op, out: o.subarray(s * per, e * per), x: { data: cpuData(x.buf), shape, strides: x.strides, offset: x.offset + s * x.strides[d] }, axes: axes.slice() });
    }
    runJobs(jobs);
  }

  /** out = a @ b, plus `bias` (dense, length n) on every row when given. */
  function matmul(out: DataBuffer, a: View, b: View, biasView: View | null = null): void {
    const o = cpuData(out);
    let bias: ArrView | null = null;
    if (biasView) {
      const d = denseData(biasView);
      bias = { data: d.data, shape: biasView.shape, strides: [1], offset: d.offset };
    }
    const nd = a.shape.length;
    const m = a.shape[nd - 2], k = a.shape[nd - 1], n = b.shape[nd - 1];
    const batch = size(a.shape.slice(0, nd - 2));
    const A = arr(a), B = arr(b);
    // Fewer parts than other ops: every part re-packs the operand it does not split.
    const P = Math.max(1, Math.round(parallelism() / 3));
    const macs = batch * m * n * k;
    // While the workers lag (other load on the machine), only products 16x the threshold (4x
    // the native one) split.
    const native = nativeKernels() !== null;
    const min = native && out.dtype === "float32" ? splitPolicy.minNativeMacs : splitPolicy.minMacs;
    if (P < 2 || o.length === 0 || macs < min || (macs < (min === splitPolicy.minMacs ? 16 : 4) * min && !workersKeepUp())) {
      matmulPart(o, A, B, 0, batch, 0, m, 0, n, bias);
      return;
    }
    // Whole batches, else rows (panels of 6 for the native kernel, 4 for WASM), else columns.
    const ranges: GemmRange[] = [];
    if (batch >= P) {
      for (let p = 0; p < P; p++) {
        const [s, e] = range(batch, P, p);
        ranges.push([s, e, 0, m, 0, n]);
      }
    } else if (m >= n || !canSplitColumns(out.dtype)) {
      const align = native ? 6 : 4, parts = Math.min(P, Math.ceil(m / align));
      for (let p = 0; p < parts; p++) {
        const [s, e] = range(m, parts, p, align);
        if (e > s) ranges.push([0, batch, s, e, 0, n]);
      }
    } else {
      const align = native ? 16 : 8, parts = Math.min(P, Math.ceil(n / align));
      for (let p = 0; p < parts; p++) {
        const [s, e] = range(n, parts, p, align);
        if (e > s) ranges.push([0, batch, 0, m, s, e]);
      }
    }
    if (matmulNative(o, A, B, bias, ranges)) return;
    // Parts write into shared memory; a small output gets a shared scratch copied back after.
    const target = isShared(o) ? o : scratch("matmul", out.dtype, o.length);
    runJobs(ranges.map(([t0, t1, r0, r1, c0, c1]): Job => ({ kind: "matmul", out: target, a: A, b: B, t0, t1, r0, r1, c0, c1, bias })));
    if (target !== o) o.set(target as never);
  }

  /** Cuts an op over [n, …] tensors along n: `make(s, e)` builds the job for samples [s, e). */
  function byBatch(n: number, work: number, out: TypedArray, make: (s: number, e: number) => Job): boolean {
    const parts = partsFor(n, work, splitPolicy.minElements, out);
    if (parts < 2) return false;
    const jobs: Job[] = [];
    for (let p = 0; p < parts; p++) {
      const [s, e] = range(n, parts, p);
      jobs.push(make(s, e));
    }
    runJobs(jobs);
    return true;
  }

  function dense32(v: View): Dense {
    const d = denseData(v);
    return { data: d.data as Float32Array, offset: d.offset };
  }

  function geometry(x: View, weight: View, win: Window2d): ConvGeo {
    return { ...win, c: x.shape[1], h: x.shape[2], w: x.shape[3], o: weight.shape[0] };
  }

  /**
   * conv2d forward (grads null: y = conv(x) + bias) or backward (y is gy; grads receive gx, and gw
   * and gb summed over one partial per part) in the native kernels, samples cut among threads,
   * by address: no copies. False when the native kernels are absent.
   */
  function convNative(g: ConvGeo, n: number, macs: number, x: Dense, wt: Dense, bias: Dense | null, y: Float32Array | Dense, grads: { gx: Float32Array | null; gw: Float32Array | null; gb: Float32Array | null } | null): boolean {
    const nat = nativeKernels();
    if (!nat) return false;
    const p = parallelism();
    const parts = p < 2 || macs < splitPolicy.minMacs || (macs < 16 * splitPolicy.minMacs && !workersKeepUp()) ? 1 : Math.min(p, n);
    const K = g.c * g.kh * g.kw, chw = g.c * g.h * g.w, out = g.o * g.oh * g.ow;
    const Y = y instanceof Float32Array ? { data: y, offset: 0 } : y;
    // Extents checked once here: the parts trust the addresses.
    const fits = (d: Dense | null, len: number) => !d || (d.offset >= 0 && d.offset + len <= d.data.length);
    if (!fits(x, n * chw) || !fits(wt, g.o * K) || !fits(bias, g.o) || !fits(Y, n * out) || (grads?.gx && grads.gx.length < n * chw) || (grads?.gw && grads.gw.length < g.o * K) || (grads?.gb && grads.gb.length < g.o)) {
      throw new Error(`conv2d: a tensor does not fit its storage (n=${n}, ${JSON.stringify(g)})`);
    }
    const at = (d: Dense | null) => (d ? nat.address(d.data) + 4 * d.offset : 0);
    const XA = at(x), WA = at(wt), BA = at(bias), YA = at(Y);
    const per = g.o * K + g.o;
    // One weight/bias partial per part after the first, summed below: parts never write the same element.
    const partial = grads && parts > 1 && (grads.gw || grads.gb) ? scratch("conv-partials", "float32", (parts - 1) * per) as Float32Array : null;
    const PA = partial ? nat.address(partial) : 0;
    const GXA = grads?.gx ? nat.address(grads.gx) : 0, GWA = grads?.gw ? nat.address(grads.gw) : 0, GBA = grads?.gb ? nat.address(grads.gb) : 0;
    runNativeParts(parts, (d, o, i) => {
      const [s, e] = range(n, parts, i);
      d[o] = grads ? 4 : 3;
      for (let f = 0; f < GEO_FIELDS.length; f++) d[o + 1 + f] = g[GEO_FIELDS[f]];
      d[o + 15] = e - s;
      d[o + 16] = XA + 4 * s * chw;
      d[o + 17] = WA;
      if (!grads) {
        d[o + 18] = BA;
        d[o + 19] = YA + 4 * s * out;
        return;
      }
      d[o + 18] = YA + 4 * s * out;
      const slot = PA + 4 * (i - 1) * per;
      d[o + 19] = !grads.gw ? 0 : i === 0 ? GWA : slot;
      d[o + 20] = !grads.gb ? 0 : i === 0 ? GBA : slot + 4 * g.o * K;
      d[o + 21] = GXA ? GXA + 4 * s * chw : 0;
    }, (d, slot) => nat.runPart(d, slot));
    if (partial) {
      const { gw, gb } = grads!;
      for (let q = 0; q < parts - 1; q++) {
        if (gw) for (let i = 0, b = q * per; i < g.o * K; i++) gw[i] += partial[b + i];
        if (gb) for (let i = 0, b = q * per + g.o * K; i < g.o; i++) gb[i] += partial[b + i];
      }
    }
    return true;
  }

  /** Parts for an op over `planes` independent planes of `work` elements in all (1 when small). */
  function planeParts(planes: number, work: number): number {
    const p = parallelism(), min = splitPolicy.minElements;
    // While the workers lag (a busy machine), ops under 16x the threshold stay on this thread.
    return p < 2 || work < min || (work < 16 * min && !workersKeepUp()) ? 1 : Math.min(p, planes);
  }

  /** Max pooling of float32 x [n, c, h, w] in the native kernels, planes cut among threads. */
  function maxPoolNative(o: TypedArray, ix: TypedArray, x: View, win: Window2d): boolean {
    const nat = nativeKernels();
    if (!nat || !(o instanceof Float32Array) || !(ix instanceof Int32Array) || x.buf.dtype !== "float32" || x.shape.length !== 4) return false;
    const [n, c, h, w] = x.shape, planes = n * c, per = win.oh * win.ow;
    const X = dense32(x);
    if (X.offset < 0 || X.offset + planes * h * w > X.data.length || o.length < planes * per || ix.length < planes * per) return false;
    const XA = nat.address(X.data) + 4 * X.offset, OA = nat.address(o), IA = nat.address(ix);
    const geo = [h, w, win.kh, win.kw, win.sh, win.sw, win.ph, win.pw, win.dh, win.dw, win.oh, win.ow];
    const parts = planeParts(planes, planes * h * w);
    runNativeParts(parts, (d, off, i) => {
      const [s, e] = range(planes, parts, i);
      d[off] = 6;
      d[off + 1] = e - s;
      d[off + 2] = XA + 4 * s * h * w;
      d[off + 3] = OA + 4 * s * per;
      d[off + 4] = IA + 4 * s * per;
      for (let k = 0; k < 12; k++) d[off + 5 + k] = geo[k];
    }, (d, slot) => nat.runPart(d, slot));
    return true;
  }

  /** Max pooling's backward (gradients scattered to the argmax of each window) in the native kernels. */
  function maxPoolBackwardNative(o: TypedArray, grad: View, indices: View, shape: readonly number[]): boolean {
    const nat = nativeKernels();
    if (!nat || !(o instanceof Float32Array) || grad.buf.dtype !== "float32" || indices.buf.dtype !== "int32" || shape.length !== 4) return false;
    const [n, c, h, w] = shape, planes = n * c, hw = h * w, per = grad.shape[2] * grad.shape[3];
    const G = dense32(grad), I = denseData(indices);
    if (!(I.data instanceof Int32Array) || G.offset + planes * per > G.data.length || I.offset + planes * per > I.data.length || o.length < planes * hw) return false;
    // Indices come from maxPool2d and are in range; checked anyway, as a scatter trusts them.
    for (let k = 0; k < planes * per; k++) {
      const v = I.data[I.offset + k];
      if (!(v >= 0 && v < hw)) return false;
    }
    const GA = nat.address(G.data) + 4 * G.offset, IA = nat.address(I.data) + 4 * I.offset, OA = nat.address(o);
    const parts = planeParts(planes, planes * hw);
    runNativeParts(parts, (d, off, i) => {
      const [s, e] = range(planes, parts, i);
      d[off] = 7;
      d[off + 1] = e - s;
      d[off + 2] = hw;
      d[off + 3] = per;
      d[off + 4] = GA + 4 * s * per;
      d[off + 5] = IA + 4 * s * per;
      d[off + 6] = OA + 4 * s * hw;
    }, (d, slot) => nat.runPart(d, slot));
    return true;
  }

  function conv2d(out: DataBuffer, x: View, weight: View, bias: View | null, win: Window2d): boolean {
    if (out.dtype !== "float32" || x.buf.dtype !== "float32" || weight.buf.dtype !== "float32" || (!wasmKernels() && !nativeKernels())) return false;
    const g = geometry(x, weight, win), n = x.shape[0];
    const y = cpuData(out) as Float32Array;
    const X = dense32(x), W = dense32(weight), B = bias ? dense32(bias) : null;
    const macs = n * g.o * g.c * g.kh * g.kw * g.oh * g.ow;
    if (convNative(g, n, macs, X, W, B, y, null)) return true;
    const parts = partsFor(n, macs, splitPolicy.minMacs, y);
    const jobs: Job[] = [];
    for (let p = 0; p < parts; p++) {
      const [s, e] = range(n, parts, p);
      jobs.push({ kind: "convForward", y, x: X, wt: W, bias: B, geo: g, n0: s, n1: e });
    }
    runJobs(jobs);
    return true;
  }

  function conv2dBackward(grad: View, x: View, weight: View, win: Window2d, gx: DataBuffer | null, gw: DataBuffer | null, gb: DataBuffer | null): void {
    const g = geometry(x, weight, win), n = x.shape[0];
    const GY = dense32(grad), X = dense32(x), W = dense32(weight);
    const GX = gx ? (cpuData(gx) as Float32Array) : null;
    const GW = gw ? (cpuData(gw) as Float32Array) : null, GB = gb ? (cpuData(gb) as Float32Array) : null;
    const macs = n * g.o * g.c * g.kh * g.kw * g.oh * g.ow;
    if (convNative(g, n, macs, X, W, null, GY, { gx: GX, gw: GW, gb: GB })) return;
    const parts = partsFor(n, macs, splitPolicy.minMacs, GX);
    if (parts < 2) return convBackwardPart(GY, X, W, g, 0, n, GX, GW, GB);
    const wk = g.o * g.c * g.kh * g.kw, per = wk + g.o;
    // One weight/bias partial per part, summed here: parts never write the same element.
    const partial = scratch("conv-partials", "float32", parts * per) as Float32Array;
    const jobs: Job[] = [];
    for (let p = 0; p < parts; p++) {
      const [s, e] = range(n, parts, p);
      const slot = partial.subarray(p * per, (p + 1) * per);
      jobs.push({ kind: "convBackward", gy: GY, x: X, wt: W, geo: g, n0: s, n1: e, gx: GX, gw: GW ? slot.subarray(0, wk) : null, gb: GB ? slot.subarray(wk) : null });
    }
    runJobs(jobs);
    for (let p = 0; p < parts; p++) {
      if (GW) for (let i = 0; i < wk; i++) GW[i] = p === 0 ? partial[i] : GW[i] + partial[p * per + i];
      if (GB) for (let i = 0; i < g.o; i++) GB[i] = p === 0 ? partial[wk + i] : GB[i] + partial[p * per + wk + i];
    }
  }

  function lstmCell(hc: DataBuffer, gx: View, gh: View, c: View, saved: DataBuffer | null = null): boolean | "saved" {
    if (hc.dtype !== "float32" || gx.buf.dtype !== "float32" || gh.buf.dtype !== "float32" || c.buf.dtype !== "float32") return false;
    const [B, H4] = gx.shape;
    const H = H4 / 4, out = { data: cpuData(hc) as Float32Array, offset: 0 };
    // Training on the native kernels: the forward keeps σi, σf, tanh g, σo, tanh c' for the backward.
    if (saved?.dtype === "float32" && cellNative(12, B, H, [[dense32(gx), 4 * H], [dense32(gh), 4 * H], [dense32(c), H], [out, 2 * H], [{ data: cpuData(saved) as Float32Array, offset: 0 }, 5 * H]])) {
      return "saved";
    }
    return lstmCellWasm(out.data, dense32(gx), dense32(gh), dense32(c), B, H);
  }

  function lstmCellBackward(dgates: DataBuffer, dc: DataBuffer, gx: View, gh: View, c: View, grad: View, saved: DataBuffer | null = null): void {
    const [B, H4] = gx.shape;
    const H = H4 / 4, at = (b: DataBuffer) => ({ data: cpuData(b) as Float32Array, offset: 0 });
    if (saved && cellNative(13, B, H, [[dense32(c), H], [at(saved), 5 * H], [dense32(grad), 2 * H], [at(dgates), 4 * H], [at(dc), H]])) return;
    if (!lstmCellBackwardWasm(cpuData(dgates) as Float32Array, cpuData(dc) as Float32Array, dense32(gx), dense32(gh), dense32(c), dense32(grad), B, H4 / 4)) {
      throw new Error("lstmCell: WASM kernels are not loaded");
    }
  }

  /** Adam/AdamW on float32: one native AVX2 (else WASM SIMD) pass over p, g, m, v (split among the threads). */
  function optimizerStep(u: OptimizerUpdate, param: View, grad: View, state: readonly DataBuffer[]): boolean {
    if (u.rule !== "adam" || state.length !== 2 || ![param.buf, grad.buf, ...state].every((b) => b.dtype === "float32") || (!nativeKernels() && !wasmKernels())) return false;
    const n = size(param.shape);
    const dense = (buf: DataBuffer, offset: number): Float32Array => (cpuData(buf) as Float32Array).subarray(offset, offset + n);
    const h = u.hyper;
    return fusedAdam(dense(param.buf, param.offset), dense(grad.buf, grad.offset), dense(state[0], 0), dense(state[1], 0), {
      b1: h.b1, b2: h.b2, stepSize: h.stepSize, bc2Sqrt: h.bc2Sqrt, eps: h.eps, decay: h.decay, l2: h.l2, sign: h.sign,
    });
  }

  return {
    ...ref,
    optimizerStep,
    addmm(out: DataBuffer, bias: View, a: View, b: View): boolean {
      matmul(out, a, b, bias);
      return true;
    },
    addmmActivation(out: DataBuffer, bias: View, a: View, b: View, activation: LinearActivation): boolean {
      matmul(out, a, b, bias);
      // The activation in place over the product (WASM for relu/tanh/sigmoid).
      const v: View = { buf: out, shape: [out.size], strides: [1], offset: 0 };
      map(activation, v, [v]);
      return true;
    },
    crossEntropy: crossEntropyRows,
    lstmCell,
    lstmCellBackward,
    gruCell(out: DataBuffer, gi: View, gh: View, h: View): boolean {
      if (![out, gi.buf, gh.buf, h.buf].every((b) => b.dtype === "float32")) return false;
      const [B, H3] = gi.shape;
      return gruCellWasm(cpuData(out) as Float32Array, dense32(gi), dense32(gh), dense32(h), B, H3 / 3);
    },
    gruCellBackward(dgi: DataBuffer, dgh: DataBuffer, dh: DataBuffer, gi: View, gh: View, h: View, grad: View): void {
      const [B, H3] = gi.shape;
      if (!gruCellBackwardWasm(cpuData(dgi) as Float32Array, cpuData(dgh) as Float32Array, cpuData(dh) as Float32Array, dense32(gi), dense32(gh), dense32(h), dense32(grad), B, H3 / 3)) {
        throw new Error("gruCell: WASM kernels are not loaded");
      }
    },
    conv2d,
    conv2dBackward,
    alloc(dtype: DType, n: number, uninit = false): DataBuffer {
      if (n < splitPolicy.minShared) return new CpuBuffer(dtype, n, undefined, name);
      // An output its kernel fills may reuse a recycled block as it is (no memset of it first).
      return new CpuBuffer(dtype, n, sharedArray(dtype, n, !uninit), name);
    },
    map,
    reduce,
    matmul,
    im2col(out: DataBuffer, x: View, win: Window2d): void {
      const o = cpuData(out), n = x.shape[0], per = o.length / Math.max(1, n);
      if (!byBatch(n, o.length, o, (s, e) => ({ kind: "im2col", out: o.subarray(s * per, e * per), x: slice0(arr(x), s, e), win }))) ref.im2col(out, x, win);
    },
    col2im(out: DataBuffer, cols: View, shape: readonly number[], win: Window2d): void {
      const o = cpuData(out), n = shape[0], per = o.length / Math.max(1, n);
      const make = (s: number, e: number): Job => ({ kind: "col2im", out: o.subarray(s * per, e * per), cols: slice0(arr(cols), s, e), shape: [e - s, ...shape.slice(1)], win });
      if (!byBatch(n, size(cols.shape), o, make)) ref.col2im(out, cols, shape, win);
    },
    maxPool2d(out: DataBuffer, indices: DataBuffer, x: View, win: Window2d): void {
      const o = cpuData(out), ix = cpuData(indices), n = x.shape[0], per = o.length / Math.max(1, n);
      if (maxPoolNative(o, ix, x, win)) return;
      const make = (s: number, e: number): Job => ({ kind: "maxPool2d", out: o.subarray(s * per, e * per), indices: ix.subarray(s * per, e * per), x: slice0(arr(x), s, e), win });
      if (isShared(ix) && byBatch(n, size(x.shape), o, make)) return;
      runJob({ kind: "maxPool2d", out: o, indices: ix, x: arr(x), win });
    },
    maxPool2dBackward(out: DataBuffer, grad: View, indices: View, shape: readonly number[]): void {
      const o = cpuData(out), n = shape[0], per = o.length / Math.max(1, n);
      if (maxPoolBackwardNative(o, grad, indices, shape)) return;
      const make = (s: number, e: number): Job => ({ kind: "maxPool2dBackward", out: o.subarray(s * per, e * per), grad: slice0(arr(grad), s, e), indices: slice0(arr(indices), s, e), shape: [e - s, ...shape.slice(1)] });
      if (!byBatch(n, o.length, o, make)) ref.maxPool2dBackward(out, grad, indices, shape);
    },
    avgPool2d(out: DataBuffer, x: View, win: Window2d): void {
      const o = cpuData(out), n = x.shape[0], per = o.length / Math.max(1, n);
      if (!byBatch(n, size(x.shape), o, (s, e) => ({ kind: "avgPool2d", out: o.subarray(s * per, e * per), x: slice0(arr(x), s, e), win }))) ref.avgPool2d(out, x, win);
    },
    avgPool2dBackward(out: DataBuffer, grad: View, shape: readonly number[], win: Window2d): void {
      const o = cpuData(out), n = shape[0], per = o.length / Math.max(1, n);
      const make = (s: number, e: number): Job => ({ kind: "avgPool2dBackward", out: o.subarray(s * per, e * per), grad: slice0(arr(grad), s, e), shape: [e - s, ...shape.slice(1)], win });
      if (!byBatch(n, o.length, o, make)) ref.avgPool2dBackward(out, grad, shape, win);
    },
  };
}
