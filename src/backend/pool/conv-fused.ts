/**
 * Fused conv2d for the pool backend (groups = 1, float32): each sample's im2col, GEMM, bias
 * and both backward products run inside WASM (wasm/conv.c), so the column matrix never
 * becomes a tensor. Samples are cut among threads; weight and bias gradients are summed
 * from one partial per part. Max pooling's forward lives here too (wasm/ew.c).
 */
import type { Window2d } from "../backend.js";
import { wasmKernels, type WasmKernels } from "./wasm.js";

/** Geometry of one conv2d (the C struct `Geo`, in order). */
export interface ConvGeo extends Window2d {
  c: number; h: number; w: number; o: number;
}

export const GEO_FIELDS = ["c", "h", "w", "o", "kh", "kw", "sh", "sw", "ph", "pw", "dh", "dw", "oh", "ow"] as const;

/** A dense float32 array and where a tensor starts in it. */
export interface Dense {
  data: Float32Array;
  offset: number;
}

interface Layout {
  f: Float32Array;
  geo: number;
  wt: number;
  bias: number;
  x: number;
  cols: number;
  yt: number;
  y: number;
  gw: number;
  gb: number;
  gx: number;
  /** Samples per kernel call. */
  S: number;
}

/** Input floats per max-pooling call (256 KB). */
const POOL_CHUNK = 1 << 16;

/** Floats of column matrix per kernel call (256 KB): a few samples, and still within L2. */
const COLS_BUDGET = 1 << 16;

/**
 * Lays out scratch for S samples at a time: geometry, weights, bias, inputs, columns, the
 * [o, S·L] product, outputs (or output gradients), weight/bias gradients, input gradients.
 */
function layout(w: WasmKernels, g: ConvGeo, samples: number): Layout {
  const K = g.c * g.kh * g.kw, L = g.oh * g.ow, chw = g.c * g.h * g.w;
  // Stride-1 convolutions run "wide" (wasm/conv.c): output rows span the padded input width,
  // and the padded inputs sit after the column matrix.
  const wide = g.sh === 1 && g.sw === 1;
  const wp = g.w + 2 * g.pw, Lw = wide ? g.oh * wp : L;
  const S = Math.max(1, Math.min(samples, Math.floor(COLS_BUDGET / (Math.max(K, g.o) * Lw))));
  const padded = wide ? S * g.c * (g.h + 2 * g.ph) * wp + (g.kw - 1) * g.dw + 4 : 0;
  const at = (w.base >> 2) + 16;
  const wt = at, bias = wt + g.o * K, x = bias + g.o, cols = x + S * chw, yt = cols + Math.max(K, g.o) * S * Lw + padded;
  const y = yt + g.o * S * Lw, gw = y + S * g.o * L, gb = gw + g.o * K, gx = gb + g.o;
  const end = gx + S * chw;
  const f = w.reserve((end - (w.base >> 2)) * 4 + 64);
  const geo = new Int32Array(f.buffer, w.base, 16);
  GEO_FIELDS.forEach((k, i) => (geo[i] = g[k]));
  return { f, geo: w.base, wt, bias, x, cols, yt, y, gw, gb, gx, S };
}

function kernels(): WasmKernels {
  const w = wasmKernels();
  if (!w) throw new Error("conv2d: WASM kernels are not loaded");
  return w;
}

/** y[n0:n1] = conv(x[n0:n1], wt) + bias; y is the whole contiguous output. */
export function convForwardPart(y: Float32Array, x: Dense, wt: Dense, bias: Dense | null, g: ConvGeo, n0: number, n1: number): void {
  const w = kernels();
  const s = layout(w, g, n1 - n0);
  const K = g.c * g.kh * g.kw, L = g.oh * g.ow, chw = g.c * g.h * g.w, out = g.o * L;
  s.f.set(wt.data.subarray(wt.offset, wt.offset + g.o * K), s.wt);
  if (bias) s.f.set(bias.data.subarray(bias.offset, bias.offset + g.o), s.bias);
  for (let n = n0; n < n1; n += s.S) {
    const S = Math.min(s.S, n1 - n);
    s.f.set(x.data.subarray(x.offset + n * chw, x.offset + (n + S) * chw), s.x);
    w.exports.conv_fwd(s.geo, S, s.x * 4, s.wt * 4, bias ? s.bias * 4 : 0, s.cols * 4, s.yt * 4, s.y * 4);
    y.set(s.f.subarray(s.y, s.y + S * out), n * out);
  }
}

/**
 * Backward over samples [n0, n1): gx rows written in place (whole contiguous tensor), weight
 * and bias gradients of these samples written to gwPart / gbPart (overwritten, not added).
 */
export function convBackwardPart(gy: Dense, x: Dense, wt: Dense, g: ConvGeo, n0: number, n1: number,
  gx: Float32Array | null, gwPart: Float32Array | null, gbPart: Float32Array | null): void {
  const w = kernels();
  const s = layout(w, g, n1 - n0);
  const K = g.c * g.kh * g.kw, L = g.oh * g.ow, chw = g.c * g.h * g.w, out = g.o * L;
  s.f.set(wt.data.subarray(wt.offset, wt.offset + g.o * K), s.wt);
  s.f.fill(0, s.gw, s.gb + g.o);
  for (let n = n0; n < n1; n += s.S) {
    const S = Math.min(s.S, n1 - n);
    if (gwPart) s.f.set(x.data.subarray(x.offset + n * chw, x.offset + (n + S) * chw), s.x);
    s.f.set(gy.data.subarray(gy.offset + n * out, gy.offset + (n + S) * out), s.y);
    w.exports.conv_bwd(s.geo, S, gwPart ? s.x * 4 : 0, s.wt * 4, s.y * 4, gwPart ? s.gw * 4 : 0, gbPart ? s.gb * 4 : 0,
      gx ? s.gx * 4 : 0, s.cols * 4, s.yt * 4);
    if (gx) gx.set(s.f.subarray(s.gx, s.gx + S * chw), n * chw);
  }
  if (gwPart) gwPart.set(s.f.subarray(s.gw, s.gw + g.o * K));
  if (gbPart) gbPart.set(s.f.subarray(s.gb, s.gb + g.o));
}

/**
 * Max pooling of x [n, c, h, w] (float32) plane by plane in WASM: the window comparisons are
 * branch-free selects there, where the JS loop mispredicts on random data. Same tie and NaN
 * rules as the reference kernel. Returns false when the WASM kernels are missing.
 */
export function maxPoolWasm(out: Float32Array, indices: Int32Array, x: Dense, shape: readonly number[], win: Window2d): boolean {
  const w = wasmKernels();
  if (!w) return false;
  const [n, c, h, wd] = shape;
  const plane = h * wd, per = win.oh * win.ow;
  // Planes go through WASM memory in chunks of about POOL_CHUNK input floats, one call each.
  const P = Math.max(1, Math.min(n * c, Math.floor(POOL_CHUNK / plane)));
  const f = w.reserve(P * (plane + 2 * per) * 4 + 64);
  const X = w.base >> 2, O = X + P * plane, I = O + P * per;
  const i32 = new Int32Array(f.buffer);
  for (let p = 0; p < n * c; p += P) {
    const k = Math.min(P, n * c - p);
    f.set(x.data.subarray(x.offset + p * plane, x.offset + (p + k) * plane), X);
    w.exports.maxpool_planes(k, X * 4, h, wd, win.kh, win.kw, win.sh, win.sw, win.ph, win.pw, win.dh, win.dw, win.oh, win.ow, O * 4, I * 4);
    out.set(f.subarray(O, O + k * per), p * per);
    indices.set(i32.subarray(I, I + k * per), p * per);
  }
  return true;
}
