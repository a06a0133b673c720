/**
 * WGSL builder for batched matmul over strided operands: out [batch, m, n] (contiguous) =
 * a [batch, m, k] · b [batch, k, n]. Register-tiled: a 16×16 workgroup computes a 64×64 tile,
 * 4×4 outputs per thread, staging 16-wide K slices of a and b in workgroup memory.
 * Small or skinny products use a plain one-thread-per-output kernel.
 */
import { paramsDecl, type Program } from "./common.js";

/** Parameters that decide the code. */
export interface MatmulSpec {
  m: number;
  n: number;
  k: number;
  batches: number;
  /** Batch rank (≤ 4). */
  bnd: number;
}

/** Batch dims at most this many (more fall back to cpu). */
export const MATMUL_MAX_BATCH_DIMS = 4;

/** Words: [M, N, K, aOff, bOff, ars, acs, brs, bcs, batchShape(4), aBatchStr(4), bBatchStr(4)]. */
export function matmul(spec: MatmulSpec): Program {
  const small = spec.m * spec.n < 4096 || spec.m < 16 || spec.n < 16;
  const variant = small ? "naive" : "tiled";
  const cacheKey = `mm:${variant}:${spec.bnd}`;
  const batchBase = `
  var ao: i32 = pi(3u);
  var bo: i32 = pi(4u);
  var rem: u32 = z;
  for (var d: i32 = ${spec.bnd - 1}; d >= 0; d = d - 1) {
    let s = pu(9u + u32(d)); let c = i32(rem % s); rem = rem / s;
    ao = ao + c * pi(13u + u32(d)); bo = bo + c * pi(17u + u32(d));
  }
  let M = pu(0u); let N = pu(1u); let K = pu(2u);
  let ars = pi(5u); let acs = pi(6u); let brs = pi(7u); let bcs = pi(8u);
  let co = z * M * N;`;
  const head = `@group(0) @binding(0) var<storage, read_write> C: array<f32>;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
${paramsDecl(3)}`;
  if (small) {
    const code = `${head}
@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(workgroup_id) wg: vec3<u32>) {
  let z = wg.z;
  ${batchBase}
  let row = g.y; let col = g.x;
  if (row >= M || col >= N) { return; }
  var acc: f32 = 0.0;
  for (var p: u32 = 0u; p < K; p = p + 1u) {
    acc = acc + A[ao + i32(row) * ars + i32(p) * acs] * B[bo + i32(p) * brs + i32(col) * bcs];
  }
  C[co + row * N + col] = acc;
}`;
    return { cacheKey, code, dispatch: [Math.ceil(spec.n / 8), Math.ceil(spec.m / 8), spec.batches] };
  }
  const code = `${head}
var<workgroup> As: array<array<f32, 64>, 16>;
var<workgroup> Bs: array<array<f32, 64>, 16>;
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let z = wg.z;
  ${batchBase}
  let row0 = wg.y * 64u; let col0 = wg.x * 64u;
  var acc: array<array<f32, 4>, 4>;
  for (var t: u32 = 0u; t < K; t = t + 16u) {
    for (var i: u32 = 0u; i < 4u; i = i + 1u) {
      let e = li + i * 256u;
      let r = e / 16u; let kk = e % 16u;
      var va: f32 = 0.0;
      if (row0 + r < M && t + kk < K) { va = A[ao + i32(row0 + r) * ars + i32(t + kk) * acs]; }
      As[kk][r] = va;
      let kb = e / 64u; let c = e % 64u;
      var vb: f32 = 0.0;
      if (t + kb < K && col0 + c < N) { vb = B[bo + i32(t + kb) * brs + i32(col0 + c) * bcs]; }
      Bs[kb][c] = vb;
    }
    workgroupBarrier();
    for (var kk: u32 = 0u; kk < 16u; kk = kk + 1u) {
      var av: array<f32, 4>;
      var bv: array<f32, 4>;
      for (var i: u32 = 0u; i < 4u; i = i + 1u) { av[i] = As[kk][lid.y * 4u + i]; bv[i] = Bs[kk][lid.x * 4u + i]; }
      for (var i: u32 = 0u; i < 4u; i = i + 1u) {
        for (var j: u32 = 0u; j < 4u; j = j + 1u) { acc[i][j] = acc[i][j] + av[i] * bv[j]; }
      }
    }
    workgroupBarrier();
  }
  for (var i: u32 = 0u; i < 4u; i = i + 1u) {
    let r = row0 + lid.y * 4u + i;
    if (r >= M) { continue; }
    for (var j: u32 = 0u; j < 4u; j = j + 1u) {
      let c = col0 + lid.x * 4u + j;
      if (c < N) { C[co + r * N + c] = acc[i][j]; }
    }
  }
}`;
  return { cacheKey, code, dispatch: [Math.ceil(spec.n / 64), Math.ceil(spec.m / 64), spec.batches] };
}
