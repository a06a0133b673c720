/**
 * Fused conv2d for the pool backend (groups = 1, float32): each sample's im2col, GEMM, bias
 * and both backward products run inside WASM (wasm/conv.c), so the column matrix never
 * becomes a tensor. Samples are cut among threads; weight and bias gradients are summed
 * from one partial per part.
 */
import type { Window2d } from "../backend.js";
import { wasmKernels, type WasmKernels } from "./wasm.js";

/** Geometry of one conv2d (the C struct `Geo`, in order). */
export interface ConvGeo extends Window2d {
  c: number; h: number; w: number; o: number;
}

const GEO_FIELDS = ["c", "h", "w", "o", "kh", "kw", "sh", "sw", "ph", "pw", "dh", "dw", "oh", "ow"] as const;

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
  y: number;
  gw: number;
  gb: number;
}

/** Lays out scratch: geometry, weights, bias, one sample's input, columns, output, gradients (floats). */
function layout(w: WasmKernels, g: ConvGeo): Layout {
  const K = g.c * g.kh * g.kw, L = g.oh * g.ow, chw = g.c * g.h * g.w;
  const at = (w.base >> 2) + 16;
  const wt = at, bias = wt + g.o * K, x = bias + g.o, cols = x + chw, y = cols + Math.max(K, g.o) * L, gw = y + g.o * L, gb = gw + g.o * K;
  const end = gb + g.o;
  const f = w.reserve((end - (w.base >> 2)) * 4 + 64);
  const geo = new Int32Array(f.buffer, w.base, 16);
  GEO_FIELDS.forEach((k, i) => (geo[i] = g[k]));
  return { f, geo: w.base, wt: wt, bias, x, cols, y, gw, gb };
}

function kernels(): WasmKernels {
  const w = wasmKernels();
  if (!w) throw new Error("conv2d: WASM kernels are not loaded");
  return w;
}

/** y[n0:n1] = conv(x[n0:n1], wt) + bias; y is the whole contiguous output. */
export function convForwardPart(y: Float32Array, x: Dense, wt: Dense, bias: Dense | null, g: ConvGeo, n0: number, n1: number): void {
  const w = kernels();
  const s = layout(w, g);
  const K = g.c * g.kh * g.kw, L = g.oh * g.ow, chw = g.c * g.h * g.w;
  s.f.set(wt.data.subarray(wt.offset, wt.offset + g.o * K), s.wt);
  if (bias) s.f.set(bias.data.subarray(bias.offset, bias.offset + g.o), s.bias);
  for (let n = n0; n < n1; n++) {
    s.f.set(x.data.subarray(x.offset + n * chw, x.offset + (n + 1) * chw), s.x);
    w.exports.conv_fwd(s.geo, s.x * 4, s.wt * 4, bias ? s.bias * 4 : 0, s.cols * 4, s.y * 4);
    y.set(s.f.subarray(s.y, s.y + g.o * L), n * g.o * L);
  }
}

/**
 * Backward over samples [n0, n1): gx rows written in place (whole contiguous tensor), weight
 * and bias gradients of these samples written to gwPart / gbPart (overwritten, not added).
 */
export function convBackwardPart(gy: Dense, x: Dense, wt: Dense, g: ConvGeo, n0: number, n1: number,
  gx: Float32Array | null, gwPart: Float32Array | null, gbPart: Float32Array | null): void {
  const w = kernels();
  const s = layout(w, g);
  const K = g.c * g.kh * g.kw, L = g.oh * g.ow, chw = g.c * g.h * g.w;
  s.f.set(wt.data.subarray(wt.offset, wt.offset + g.o * K), s.wt);
  s.f.fill(0, s.gw, s.gb + g.o);
  for (let n = n0; n < n1; n++) {
    if (gwPart) s.f.set(x.data.subarray(x.offset + n * chw, x.offset + (n + 1) * chw), s.x);
    // The output gradient goes where y sits; gx (when wanted) is produced in the x slot.
    s.f.set(gy.data.subarray(gy.offset + n * g.o * L, gy.offset + (n + 1) * g.o * L), s.y);
    if (gwPart) w.exports.conv_bwd(s.geo, s.x * 4, s.wt * 4, s.y * 4, s.gw * 4, gbPart ? s.gb * 4 : 0, 0, s.cols * 4);
    else if (gbPart) w.exports.conv_bwd(s.geo, 0, s.wt * 4, s.y * 4, 0, s.gb * 4, 0, s.cols * 4);
    if (gx) {
      w.exports.conv_bwd(s.geo, 0, s.wt * 4, s.y * 4, 0, 0, s.x * 4, s.cols * 4);
      gx.set(s.f.subarray(s.x, s.x + chw), n * chw);
    }
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
  const f = w.reserve((plane + 2 * per) * 4 + 64);
  const X = w.base >> 2, O = X + plane, I = O + per;
  const i32 = new Int32Array(f.buffer);
  for (let p = 0; p < n * c; p++) {
    f.set(x.data.subarray(x.offset + p * plane, x.offset + (p + 1) * plane), X);
    w.exports.maxpool_plane(X * 4, h, wd, win.kh, win.kw, win.sh, win.sw, win.ph, win.pw, win.dh, win.dw, win.oh, win.ow, O * 4, I * 4);
    out.set(f.subarray(O, O + per), p * per);
    indices.set(i32.subarray(I, I + per), p * per);
  }
  return true;
}
