/**
 * Fused paths of the pool backend in WASM SIMD: the Adam update (one pass over parameter,
 * gradient and state instead of a float64 JS loop at about 8 ns an element, cut among the
 * pool's threads when the arrays are shared) and the LSTM cell (gate activations and state
 * update in one kernel, forward and backward). Callers fall back to their own code on `false`.
 */
import { wasmKernels } from "./wasm.js";
import { nativeKernels } from "./native.js";
import { parallelism, runJobs, runNativeParts, splitPolicy, workersKeepUp } from "./pool.js";
import type { Job } from "./parts.js";

/** Scalars of one Adam/AdamW step (see src/optim/adam.ts). */
export interface AdamScalars {
  b1: number; b2: number; stepSize: number; bc2Sqrt: number; eps: number; decay: number; l2: number; sign: number;
}

/** Elements per chunk copied into WASM memory: four arrays of it stay in L1/L2. */
const CHUNK = 4096;

/** Runs the Adam rule over p, g, m, v (all float32, same length) on this thread. */
export function adamPart(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, s: AdamScalars): void {
  const nat = nativeKernels();
  if (nat) return nat.adam(p, g, m, v, s.b1, s.b2, s.stepSize, s.bc2Sqrt, s.eps, s.decay, s.l2, s.sign);
  const w = wasmKernels();
  if (!w) throw new Error("adam: WASM kernels are not loaded");
  const f = w.reserve(4 * CHUNK * 4);
  const P = w.base >> 2, G = P + CHUNK, M = G + CHUNK, V = M + CHUNK;
  for (let off = 0; off < p.length; off += CHUNK) {
    const end = Math.min(p.length, off + CHUNK), len = end - off;
    f.set(p.subarray(off, end), P);
    f.set(g.subarray(off, end), G);
    f.set(m.subarray(off, end), M);
    f.set(v.subarray(off, end), V);
    w.exports.adam_f32(P * 4, G * 4, M * 4, V * 4, len, s.b1, s.b2, s.stepSize, s.bc2Sqrt, s.eps, s.decay, s.l2, s.sign);
    p.set(f.subarray(P, P + len), off);
    m.set(f.subarray(M, M + len), off);
    v.set(f.subarray(V, V + len), off);
  }
}

const shared = (a: ArrayBufferView): boolean => a.buffer instanceof SharedArrayBuffer;

/**
 * One fused Adam step in place; returns false (nothing done) unless every array is float32
 * and the WASM kernels are loaded.
 */
export function fusedAdam(p: ArrayBufferView, g: ArrayBufferView, m: ArrayBufferView, v: ArrayBufferView, s: AdamScalars): boolean {
  if (!(p instanceof Float32Array && g instanceof Float32Array && m instanceof Float32Array && v instanceof Float32Array)) return false;
  if (!nativeKernels() && !wasmKernels()) return false;
  const n = p.length;
  const inline = n < splitPolicy.minUpdate || (n < 16 * splitPolicy.minUpdate && !workersKeepUp());
  const parts = inline ? 1 : Math.min(parallelism(), Math.max(1, Math.floor(n / 4096)));
  const nat = nativeKernels();
  if (nat && parts >= 2 && g.length === n && m.length === n && v.length === n) {
    // Native parts on every thread, by address (any memory, shared or not; no messages).
    const P = nat.address(p), G = nat.address(g), M = nat.address(m), V = nat.address(v);
    const scalars = [s.b1, s.b2, s.stepSize, s.bc2Sqrt, s.eps, s.decay, s.l2, s.sign];
    runNativeParts(parts, (d, o, i) => {
      const a = Math.floor((n * i) / parts), b = Math.floor((n * (i + 1)) / parts);
      d[o] = 2;
      d[o + 1] = P + 4 * a;
      d[o + 2] = G + 4 * a;
      d[o + 3] = M + 4 * a;
      d[o + 4] = V + 4 * a;
      d[o + 5] = b - a;
      for (let j = 0; j < 8; j++) d[o + 6 + j] = scalars[j];
    }, (d, slot) => nat.runPart(d, slot));
    return true;
  }
  if (parts < 2 || !shared(p) || !shared(g) || !shared(m) || !shared(v)) {
    adamPart(p, g, m, v, s);
    return true;
  }
  const jobs: Job[] = [];
  for (let i = 0; i < parts; i++) {
    const a = Math.floor((n * i) / parts), b = Math.floor((n * (i + 1)) / parts);
    jobs.push({ kind: "adam", p: p.subarray(a, b), g: g.subarray(a, b), m: m.subarray(a, b), v: v.subarray(a, b), s });
  }
  runJobs(jobs);
  return true;
}

/** A float32 array and where a tensor starts in it. */
interface Dense32 {
  data: Float32Array;
  offset: number;
}

/** LSTM cell forward in WASM: hc [B, 2H] = (h', c') from gates gx + gh [B, 4H] and c [B, H]. */
export function lstmCellWasm(hc: Float32Array, gx: Dense32, gh: Dense32, c: Dense32, B: number, H: number): boolean {
  if (cellNative(8, B, H, [[gx, 4 * H], [gh, 4 * H], [c, H], [{ data: hc, offset: 0 }, 2 * H]])) return true;
  const w = wasmKernels();
  if (!w) return false;
  const f = w.reserve(B * 12 * H * 4);
  const GX = w.base >> 2, GH = GX + 4 * B * H, C = GH + 4 * B * H, O = C + B * H;
  f.set(gx.data.subarray(gx.offset, gx.offset + 4 * B * H), GX);
  f.set(gh.data.subarray(gh.offset, gh.offset + 4 * B * H), GH);
  f.set(c.data.subarray(c.offset, c.offset + B * H), C);
  w.exports.lstm_fwd(B, H, GX * 4, GH * 4, C * 4, O * 4);
  hc.set(f.subarray(O, O + 2 * B * H));
  return true;
}

/** LSTM cell backward in WASM: dgates [B, 4H] (for gx and gh alike) and dc [B, H] from ghc [B, 2H]. */
export function lstmCellBackwardWasm(dgates: Float32Array, dc: Float32Array, gx: Dense32, gh: Dense32, c: Dense32, ghc: Dense32, B: number, H: number): boolean {
  if (cellNative(9, B, H, [[gx, 4 * H], [gh, 4 * H], [c, H], [ghc, 2 * H], [{ data: dgates, offset: 0 }, 4 * H], [{ data: dc, offset: 0 }, H]])) return true;
  const w = wasmKernels();
  if (!w) return false;
  const f = w.reserve(B * 16 * H * 4);
  const GX = w.base >> 2, GH = GX + 4 * B * H, C = GH + 4 * B * H, D = C + B * H, DG = D + 2 * B * H, DC = DG + 4 * B * H;
  f.set(gx.data.subarray(gx.offset, gx.offset + 4 * B * H), GX);
  f.set(gh.data.subarray(gh.offset, gh.offset + 4 * B * H), GH);
  f.set(c.data.subarray(c.offset, c.offset + B * H), C);
  f.set(ghc.data.subarray(ghc.offset, ghc.offset + 2 * B * H), D);
  w.exports.lstm_bwd(B, H, GX * 4, GH * 4, C * 4, D * 4, DG * 4, DC * 4);
  dgates.set(f.subarray(DG, DG + 4 * B * H));
  dc.set(f.subarray(DC, DC + B * H));
  return true;
}

/** GRU cell forward in WASM: out [B, H] = h' from gi, gh [B, 3H] (r, z, n) and h [B, H]. */
export function gruCellWasm(out: Float32Array, gi: Dense32, gh: Dense32, h: Dense32, B: number, H: number): boolean {
  if (cellNative(10, B, H, [[gi, 3 * H], [gh, 3 * H], [h, H], [{ data: out, offset: 0 }, H]])) return true;
  const w = wasmKernels();
  if (!w) return false;
  const f = w.reserve(B * 8 * H * 4 + 64);
  const GI = w.base >> 2, GH = GI + 3 * B * H, HP = GH + 3 * B * H, O = HP + B * H;
  f.set(gi.data.subarray(gi.offset, gi.offset + 3 * B * H), GI);
  f.set(gh.data.subarray(gh.offset, gh.offset + 3 * B * H), GH);
  f.set(h.data.subarray(h.offset, h.offset + B * H), HP);
  w.exports.gru_fwd(B, H, GI * 4, GH * 4, HP * 4, O * 4);
  out.set(f.subarray(O, O + B * H));
  return true;
}

/** GRU cell backward in WASM: dgi, dgh [B, 3H] and dh [B, H] from grad [B, H]. */
export function gruCellBackwardWasm(dgi: Float32Array, dgh: Float32Array, dh: Float32Array, gi: Dense32, gh: Dense32, h: Dense32, grad: Dense32, B: number, H: number): boolean {
  if (cellNative(11, B, H, [[gi, 3 * H], [gh, 3 * H], [h, H], [grad, H], [{ data: dgi, offset: 0 }, 3 * H], [{ data: dgh, offset: 0 }, 3 * H], [{ data: dh, offset: 0 }, H]])) return true;
  const w = wasmKernels();
  if (!w) return false;
  const f = w.reserve(B * 15 * H * 4 + 64);
  const GI = w.base >> 2, GH = GI + 3 * B * H, HP = GH + 3 * B * H, G = HP + B * H, DI = G + B * H, DS = DI + 3 * B * H, DH = DS + 3 * B * H;
  f.set(gi.data.subarray(gi.offset, gi.offset + 3 * B * H), GI);
  f.set(gh.data.subarray(gh.offset, gh.offset + 3 * B * H), GH);
  f.set(h.data.subarray(h.offset, h.offset + B * H), HP);
  f.set(grad.data.subarray(grad.offset, grad.offset + B * H), G);
  w.exports.gru_bwd(B, H, GI * 4, GH * 4, HP * 4, G * 4, DI * 4, DS * 4, DH * 4);
  dgi.set(f.subarray(DI, DI + 3 * B * H));
  dgh.set(f.subarray(DS, DS + 3 * B * H));
  dh.set(f.subarray(DH, DH + B * H));
  return true;
}

/**
 * A recurrent cell kernel (kind 8-11 of native/binding.c) on the native kernels, rows of the batch
 * cut among threads when large: `arrays` are the kernel's arguments in order, each with the floats
 * it holds per batch row. False when the native kernels are absent.
 */
/**
 * Batch rows × hidden size per part when a recurrent cell is cut among threads: a cell of fewer
 * elements (about 40 µs of work on 8 lanes) stays on the calling thread.
 */
const CELL_SPLIT = 8192;

export function cellNative(kind: 8 | 9 | 10 | 11 | 12 | 13, B: number, H: number, arrays: readonly [Dense32, number][]): boolean {
  const nat = nativeKernels();
  if (!nat) return false;
  // Extents checked once here: the parts trust the addresses.
  for (const [a, per] of arrays) if (a.offset < 0 || a.offset + B * per > a.data.length) return false;
  const at = arrays.map(([a]) => nat.address(a.data) + 4 * a.offset);
  const p = parallelism();
  // A cell costs several exp/tanh evaluations per element: worth splitting from a few thousand elements.
  const min = Math.min(CELL_SPLIT, splitPolicy.minElements);
  // While the workers lag (a busy machine), cells under 16x the threshold stay on this thread.
  const parts = p < 2 || B * H < 2 * min || (B * H < 16 * min && !workersKeepUp()) ? 1 : Math.min(p, B, Math.floor((B * H) / min));
  runNativeParts(parts, (d, o, i) => {
    const s = Math.floor((B * i) / parts), e = Math.floor((B * (i + 1)) / parts);
    d[o] = kind;
    d[o + 1] = e - s;
    d[o + 2] = H;
    arrays.forEach(([, per], k) => (d[o + 3 + k] = at[k] + 4 * s * per));
  }, (d, slot) => nat.runPart(d, slot));
  return true;
}
