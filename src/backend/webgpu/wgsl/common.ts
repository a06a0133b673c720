/**
 * What every WGSL builder shares: the Program shape ({ cacheKey, code, dispatch }), storage
 * types per dtype, the packed uniform parameter block, and grids reshaped past 65,535 groups.
 * Builders for one kernel family each live in a sibling file.
 */
import type { DType } from "../../../tensor/dtype.js";

/** A compiled-on-demand kernel: the key is derived from exactly the inputs of `code`. */
export interface Program {
  cacheKey: string;
  code: string;
  /** Workgroups in x, y, z. */
  dispatch: [number, number, number];
}

/** Largest workgroup count per grid dimension in WebGPU. */
export const MAX_GROUPS = 65535;
/** Uniform slot: 64 u32 words (256 bytes, the uniform offset alignment). */
export const PARAM_WORDS = 64;

/** WGSL element type that stores `dtype` (the backend refuses float64: WGSL has no f64). */
export function storageType(dtype: DType): "f32" | "i32" | "u32" {
  return dtype === "int32" || dtype === "int64" ? "i32" : dtype === "bool" ? "u32" : "f32";
}

/** A 1-D launch of `groups` workgroups folded into x·y so neither passes the limit. */
export function grid1d(groups: number): [number, number, number] {
  if (groups <= MAX_GROUPS) return [Math.max(1, groups), 1, 1];
  const y = Math.ceil(groups / MAX_GROUPS);
  return [Math.ceil(groups / y), y, 1];
}

/** Linear workgroup id for kernels launched with grid1d (use with `@builtin(workgroup_id) wg, @builtin(num_workgroups) nw`). */
export const LINEAR_GROUP = "(wg.y * nw.x + wg.x)";

/** Declarations every kernel uses: the parameter block and accessors. */
export function paramsDecl(binding: number): string {
  return `@group(0) @binding(${binding}) var<uniform> P: array<vec4<u32>, ${PARAM_WORDS / 4}>;
fn pu(i: u32) -> u32 { return P[i >> 2u][i & 3u]; }
fn pi(i: u32) -> i32 { return bitcast<i32>(P[i >> 2u][i & 3u]); }
fn pf(i: u32) -> f32 { return bitcast<f32>(P[i >> 2u][i & 3u]); }
fn infF() -> f32 { var b = 0x7f800000u; return bitcast<f32>(b); }
fn nanF() -> f32 { var b = 0x7fc00000u; return bitcast<f32>(b); }`;
}

/** Builds a parameter block of u32 words; floats and negative ints are stored bit-exact. */
export class Params {
  readonly words = new Uint32Array(PARAM_WORDS);
  private readonly f = new Float32Array(this.words.buffer);
  private readonly i = new Int32Array(this.words.buffer);
  private n = 0;
  /** Appends an integer (may be negative); returns its word index. */
  int(v: number): number {
    if (this.n >= PARAM_WORDS) throw new Error("webgpu: too many kernel parameters");
    this.i[this.n] = v;
    return this.n++;
  }
  /** Appends a float; returns its word index. */
  float(v: number): number {
    if (this.n >= PARAM_WORDS) throw new Error("webgpu: too many kernel parameters");
    this.f[this.n] = v;
    return this.n++;
  }
  /** Appends integers; returns the first index. */
  ints(vs: readonly number[]): number {
    const at = this.n;
    for (const v of vs) this.int(v);
    return at;
  }
}

/**
 * WGSL that turns the linear index `lin` into per-operand element offsets for a strided
 * walk over `nd` dims: shape at word `shapeAt`, operand k's strides at `strideAt[k]`,
 * offsets at `offAt[k]`. Declares `var o{k}: i32` for each operand.
 */
export function unravel(lin: string, nd: number, shapeAt: number, strideAt: readonly number[], offAt: readonly number[]): string {
  const lines = strideAt.map((_, k) => `var o${k}: i32 = pi(${offAt[k]}u);`);
  lines.push(`var rem: u32 = ${lin};`);
  for (let d = nd - 1; d >= 0; d--) {
    lines.push(`{ let s = pu(${shapeAt + d}u); let c = i32(rem % s); rem = rem / s;`);
    for (let k = 0; k < strideAt.length; k++) lines.push(`  o${k} = o${k} + c * pi(${strideAt[k] + d}u);`);
    lines.push("}");
  }
  return lines.join("\n  ");
}

/** Float atomic add on a u32-typed atomic array (compare-exchange loop; WGSL has no f32 atomics). */
export function atomicAddF32(arr: string): string {
  return `fn atomicAddF(i: i32, v: f32) {
  var old = atomicLoad(&${arr}[i]);
  loop {
    let r = atomicCompareExchangeWeak(&${arr}[i], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
    old = r.old_value;
  }
}`;
}
