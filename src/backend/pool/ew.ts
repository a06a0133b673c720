/**
 * Elementwise float32 ops of the pool backend in WASM SIMD (wasm/ew.c): arithmetic, relu,
 * comparisons and mask products over operands that are dense or broadcast scalars along their
 * last coalesced dim; exp, sigmoid and tanh use Cephes-style float32 approximations (about
 * 1 ulp, like libm's expf/tanhf). Branch-free vector code matters here: the JS loops' data-dependent
 * branches (relu, comparisons on random values) mispredict about half the time. Anything else
 * returns false and the caller runs the reference kernel.
 */
import type { MapOp } from "../backend.js";
import { coalesce } from "../cpu/buffer.js";
import { wasmKernels } from "./wasm.js";
import { nativeKernels } from "./native.js";
import { parallelism, runNativeParts, workersKeepUp } from "./pool.js";
import type { ArrView } from "./gemm.js";

const EW: Partial<Record<MapOp, number>> = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5, relu: 6, neg: 7, square: 8, exp: 9, sigmoid: 10, tanh: 11, reluGrad: 12 };
const CMP: Partial<Record<MapOp, number>> = { gt: 0, ge: 1, lt: 2, le: 3, eq: 4, ne: 5 };
const UNARY = new Set<MapOp>(["relu", "neg", "square", "exp", "sigmoid", "tanh"]);
/** Elements per chunk staged through WASM memory. */
const CHUNK = 4096;
/**
 * Below these sizes the JS kernel's lower setup cost wins: early for branchy or transcendental
 * ops (relu, comparisons, exp…), late for plain arithmetic, which JS already runs well.
 */
const MIN_ELEMENTS = 256;
const MIN_ARITHMETIC = 256;
/** Below this many output elements mapWasm never runs (callers may skip straight to JS). */
export const MAP_WASM_MIN = Math.min(MIN_ELEMENTS, MIN_ARITHMETIC);
const ARITHMETIC = new Set<MapOp>(["add", "sub", "mul", "div", "neg", "square"]);

type Kind = "ew" | "cmp" | "mask";

function kindOf(op: MapOp, out: ArrView, inputs: readonly ArrView[]): Kind | null {
  const f32 = (v: ArrView): boolean => v.data instanceof Float32Array;
  if (UNARY.has(op)) return inputs.length === 1 && f32(out) && f32(inputs[0]) ? "ew" : null;
  if (inputs.length !== 2) return null;
  if (EW[op] !== undefined && f32(out)) {
    if (f32(inputs[0]) && f32(inputs[1])) return "ew";
    if (op === "mul" && f32(inputs[0]) && inputs[1].data instanceof Uint8Array) return "mask";
    return null;
  }
  if (CMP[op] !== undefined && out.data instanceof Uint8Array && f32(inputs[0]) && f32(inputs[1])) return "cmp";
  return null;
}

/** Runs `op` in WASM when operands allow; false means "not handled, nothing written". */
export function mapWasm(op: MapOp, out: ArrView, inputs: readonly ArrView[]): boolean {
  const kind = kindOf(op, out, inputs);
  if (!kind) return false;
  let total = 1;
  for (const d of out.shape) total *= d;
  if (total < (kind === "ew" && ARITHMETIC.has(op) ? MIN_ARITHMETIC : MIN_ELEMENTS)) return false;
  const w = wasmKernels();
  if (!w) return false;
  const c = coalesce(out.shape, [out.strides, ...inputs.map((v) => v.strides)]);
  const nd = c.shape.length;
  if (nd === 0) return false;
  const len = c.shape[nd - 1];
  if (c.strides[0][nd - 1] !== 1) return false;
  for (let k = 1; k < c.strides.length; k++) if (c.strides[k][nd - 1] > 1) return false;
  if (len < 16) return false;

  const f = w.reserve(3 * CHUNK * 4);
  const u8 = w.u8;
  const A = w.base >> 2, B = A + CHUNK, O = B + CHUNK;
  const sa = c.strides[1][nd - 1], sb = inputs.length > 1 ? c.strides[2][nd - 1] : 0;
  const a = inputs[0].data as Float32Array, b = inputs.length > 1 ? inputs[1].data : null;
  const o = out.data;
  const code = kind === "cmp" ? CMP[op]! : EW[op] ?? 0;
  const rows = total / len;
  const idx = new Array<number>(nd).fill(0);
  let oOff = out.offset, aOff = inputs[0].offset, bOff = inputs.length > 1 ? inputs[1].offset : 0;
  for (let r = 0; r < rows; r++) {
    for (let s = 0; s < len; s += CHUNK) {
      const n = Math.min(CHUNK, len - s);
      if (sa) f.set(a.subarray(aOff + s, aOff + s + n), A);
      else f[A] = a[aOff];
      if (b) {
        if (kind === "mask") {
          if (sb) u8.set((b as Uint8Array).subarray(bOff + s, bOff + s + n), B * 4);
          else u8[B * 4] = b[bOff];
        } else if (sb) f.set((b as Float32Array).subarray(bOff + s, bOff + s + n), B);
        else f[B] = b[bOff];
      }
      if (kind === "ew") w.exports.ew_f32(code, n, O * 4, A * 4, sa, B * 4, b ? sb : 0);
      else if (kind === "cmp") w.exports.cmp_f32(code, n, O * 4, A * 4, sa, B * 4, sb);
      else w.exports.mul_mask_f32(n, O * 4, A * 4, sa, B * 4, sb);
      if (kind === "cmp") (o as Uint8Array).set(u8.subarray(O * 4, O * 4 + n), oOff + s);
      else (o as Float32Array).set(f.subarray(O, O + n), oOff + s);
    }
    // Advance the outer (row) index.
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      oOff += c.strides[0][d];
      aOff += c.strides[1][d];
      if (inputs.length > 1) bOff += c.strides[2][d];
      if (idx[d] < c.shape[d]) break;
      idx[d] = 0;
      oOff -= c.strides[0][d] * c.shape[d];
      aOff -= c.strides[1][d] * c.shape[d];
      if (inputs.length > 1) bOff -= c.strides[2][d] * c.shape[d];
    }
  }
  return true;
}

/**
 * Runs `op` in the native kernels (native/ew.c: the same opcodes and scalar definitions, on the
 * tensors' own memory) when the operands coalesce to at most rows × len with a dense or broadcast
 * last dim; large ops are cut among the pool's threads (by rows, or along one long row). False
 * means "not handled, nothing written".
 */
export function mapNative(op: MapOp, out: ArrView, inputs: readonly ArrView[], minSplit: number): boolean {
  const nat = nativeKernels();
  if (!nat) return false;
  const kind = kindOf(op, out, inputs);
  if (!kind) return false;
  const c = coalesce(out.shape, [out.strides, ...inputs.map((v) => v.strides)]);
  const nd = c.shape.length;
  if (nd === 0 || nd > 2) return false;
  const len = c.shape[nd - 1], rows = nd === 2 ? c.shape[0] : 1;
  if (c.strides[0][nd - 1] !== 1) return false;
  for (let k = 1; k < c.strides.length; k++) if (c.strides[k][nd - 1] > 1 || c.strides[k][nd - 1] < 0) return false;
  const b = inputs.length > 1 ? inputs[1] : inputs[0];
  const rs = (k: number) => (nd === 2 ? c.strides[k][0] : 0);
  const sa = c.strides[1][nd - 1], sb = inputs.length > 1 ? c.strides[2][nd - 1] : sa;
  const os = rs(0), as = rs(1), bs = inputs.length > 1 ? rs(2) : as;
  // Extents checked once here: the parts trust the addresses.
  const fits = (v: ArrView, rowStride: number, inner: number) => {
    const lo = v.offset + Math.min(0, (rows - 1) * rowStride), hi = v.offset + Math.max(0, (rows - 1) * rowStride) + (len - 1) * inner;
    return lo >= 0 && hi < v.data.length;
  };
  if (!fits(out, os, 1) || !fits(inputs[0], as, sa) || !fits(b, bs, sb)) return false;
  const O = nat.address(out.data) + out.data.BYTES_PER_ELEMENT * out.offset;
  const A = nat.address(inputs[0].data) + 4 * inputs[0].offset;
  const Bsz = b.data.BYTES_PER_ELEMENT, B = nat.address(b.data) + Bsz * b.offset;
  const Osz = out.data.BYTES_PER_ELEMENT;
  const kindCode = kind === "ew" ? 0 : kind === "cmp" ? 1 : 2, code = kind === "cmp" ? CMP[op]! : EW[op] ?? 0;
  const total = rows * len, p = parallelism();
  // Parts: whole rows when there are enough of them, else slices of the one long row.
  const byRows = rows >= p;
  // While the workers lag (a busy machine), ops under 16x the threshold stay on this thread.
  const inline = total < minSplit || p < 2 || (total < 16 * minSplit && !workersKeepUp());
  const parts = inline ? 1 : byRows ? p : rows === 1 ? Math.min(p, Math.floor(len / 1024)) || 1 : 1;
  runNativeParts(parts, (d, o, i) => {
    const [s, e] = byRows || parts === 1 ? [Math.floor((rows * i) / parts), Math.floor((rows * (i + 1)) / parts)] : [0, 1];
    const [l0, l1] = byRows || parts === 1 ? [0, len] : [Math.floor((len * i) / parts / 16) * 16, i === parts - 1 ? len : Math.floor((len * (i + 1)) / parts / 16) * 16];
    d[o] = 5;
    d[o + 1] = kindCode;
    d[o + 2] = code;
    d[o + 3] = e - s;
    d[o + 4] = l1 - l0;
    d[o + 5] = O + Osz * (s * os + l0);
    d[o + 6] = os;
    d[o + 7] = A + 4 * (s * as + l0 * sa);
    d[o + 8] = sa;
    d[o + 9] = as;
    d[o + 10] = B + Bsz * (s * bs + l0 * sb);
    d[o + 11] = sb;
    d[o + 12] = bs;
  }, (d, slot) => nat.runPart(d, slot));
  return true;
}
