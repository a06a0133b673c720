/**
 * WGSL builder for batched matmul over strided operands: out [batch, m, n] (contiguous) =
 * a [batch, m, k] · b [batch, k, n], the kernel chosen by shape (matmulVariant):
 * - naive: one thread per output, for small or skinny products;
 * - tiled: a 16×16 workgroup computes a 64×64 tile, 4×4 outputs per thread, staging 16-wide
 *   K slices of a and b in scalar workgroup arrays;
 * - vec4: the same 64×64 tile for large products, but the staged slices are vec4<f32> (four
 *   rows of a, four columns of b per word) so the inner loop does two vec4 loads and four
 *   vec4 FMAs per K step, and tiles wholly inside the matrices skip the bounds checks.
 */
import type { LinearActivation } from "../../backend.js";
import { paramsDecl, type Program } from "./common.js";

/** Parameters that decide the code. */
export interface MatmulSpec {
  m: number;
  n: number;
  k: number;
  batches: number;
  /** Batch rank (≤ 4). */
  bnd: number;
  /** Fused linear layer: a bias vector (binding 3) is added to every row of the product. */
  bias?: boolean;
  /** Applied to every output after the bias (fused linear layer + activation). */
  activation?: LinearActivation;
  /**
   * Operand layouts, for coalesced staging: a is contiguous along k (row-major a), b is
   * contiguous along k (a transposed weight, as in a linear layer). Neighbouring threads then
   * read neighbouring addresses of global memory whichever way the operands are laid out.
   */
  aAlongK?: boolean;
  bAlongK?: boolean;
}

/** WGSL of each fused activation of `x` (same formulas as the elementwise kernels). */
const ACTIVATION: Record<LinearActivation, string> = {
  relu: "select(0.0, x, x > 0.0 || x != x)",
  tanh: "sign(x) * (1.0 - exp(-2.0 * abs(x))) / (1.0 + exp(-2.0 * abs(x)))",
  sigmoid: "1.0 / (1.0 + exp(-x))",
};

/** Batch dims at most this many (more fall back to cpu). */
export const MATMUL_MAX_BATCH_DIMS = 4;

/** The kernels matmul chooses between. */
export type MatmulVariant = "naive" | "tiled" | "vec4";

/** Which kernel a product of this shape runs on. */
export function matmulVariant(spec: MatmulSpec): MatmulVariant {
  if (spec.m * spec.n < 4096 || spec.m < 16 || spec.n < 16) return "naive";
  if (spec.m >= 128 && spec.n >= 128 && spec.k >= 32) return "vec4";
  return "tiled";
}

/**
 * Words: [M, N, K, aOff, bOff, ars, acs, brs, bcs, batchShape(4), aBatchStr(4), bBatchStr(4)],
 * then with a bias [biasOff, biasStride].
 */
export function matmul(spec: MatmulSpec): Program {
  const variant = matmulVariant(spec);
  // Tile sizes are constants of the code; they are in the key so a change to them cannot reuse a stale pipeline.
  const layout = `a${spec.aAlongK ? "k" : "m"}b${spec.bAlongK ? "k" : "n"}`;
  const cacheKey = `mm:${variant}${variant === "naive" ? ":8x8" : ":64x64x16"}:${spec.bnd}:bias${spec.bias ? 1 : 0}:act${spec.activation ?? "none"}:${variant === "naive" ? "" : layout}`;
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
${spec.bias ? "@group(0) @binding(3) var<storage, read> Bias: array<f32>;" : ""}
${paramsDecl(spec.bias ? 4 : 3)}
fn epi(col: u32, v: f32) -> f32 {
  let x = ${spec.bias ? "v + Bias[pi(21u) + i32(col) * pi(22u)]" : "v"};
  return ${spec.activation ? ACTIVATION[spec.activation] : "x"};
}`;
  if (variant === "naive") {
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
  C[co + row * N + col] = epi(col, acc);
}`;
    return { cacheKey, code, dispatch: [Math.ceil(spec.n / 8), Math.ceil(spec.m / 8), spec.batches] };
  }
  if (variant === "vec4") return { cacheKey, code: vec4Code(head, batchBase, spec), dispatch: [Math.ceil(spec.n / 64), Math.ceil(spec.m / 64), spec.batches] };
  // Staging: thread li loads element e = li + 256·i of each 16×64 slice; consecutive threads
  // walk the operand's contiguous dimension (k or the row/column index).
  const aIdx = spec.aAlongK ? "let r = e / 16u; let kk = e % 16u;" : "let r = e % 64u; let kk = e / 64u;";
  const bIdx = spec.bAlongK ? "let c = e / 16u; let kb = e % 16u;" : "let kb = e / 64u; let c = e % 64u;";
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
      ${aIdx}
      var va: f32 = 0.0;
      if (row0 + r < M && t + kk < K) { va = A[ao + i32(row0 + r) * ars + i32(t + kk) * acs]; }
      As[kk][r] = va;
      ${bIdx}
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
      if (c < N) { C[co + r * N + c] = epi(c, acc[i][j]); }
    }
  }
}`;
  return { cacheKey, code, dispatch: [Math.ceil(spec.n / 64), Math.ceil(spec.m / 64), spec.batches] };
}

/**
 * The vec4 kernel. Thread (ty, tx) owns rows 4ty..4ty+3 and columns 4tx..4tx+3 of the 64×64
 * tile. Per 16-wide K slice each of the 256 threads stages one vec4 of a (rows 4q..4q+3 at one
 * k) and one of b (columns 4q..4q+3), so As[kk][ty] and Bs[kk][tx] are single loads. Which
 * thread takes which (k, q) follows the operand's layout: along k for an operand contiguous in
 * k, along q otherwise, so that a warp's loads fall on consecutive addresses.
 */
function vec4Code(head: string, batchBase: string, spec: MatmulSpec): string {
  const [kA, qA] = spec.aAlongK ? ["li % 16u", "li / 16u"] : ["li / 16u", "li % 16u"];
  const [kB, qB] = spec.bAlongK ? ["li % 16u", "li / 16u"] : ["li / 16u", "li % 16u"];
  return `${head}
var<workgroup> As: array<array<vec4<f32>, 16>, 16>;
var<workgroup> Bs: array<array<vec4<f32>, 16>, 16>;
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let z = wg.z;
  ${batchBase}
  let row0 = wg.y * 64u; let col0 = wg.x * 64u;
  let inside = row0 + 64u <= M && col0 + 64u <= N;
  let kkA = ${kA}; let qA = ${qA}; let kkB = ${kB}; let qB = ${qB};
  let ar = i32(row0 + qA * 4u); let bc = i32(col0 + qB * 4u);
  var acc: array<vec4<f32>, 4>;
  for (var t: u32 = 0u; t < K; t = t + 16u) {
    let ka = i32(t + kkA); let kb = i32(t + kkB);
    if (inside && t + 16u <= K) {
      let a0 = ao + ar * ars + ka * acs;
      As[kkA][qA] = vec4<f32>(A[a0], A[a0 + ars], A[a0 + 2 * ars], A[a0 + 3 * ars]);
      let b0 = bo + kb * brs + bc * bcs;
      Bs[kkB][qB] = vec4<f32>(B[b0], B[b0 + bcs], B[b0 + 2 * bcs], B[b0 + 3 * bcs]);
    } else {
      var va = vec4<f32>(0.0);
      var vb = vec4<f32>(0.0);
      for (var e: u32 = 0u; e < 4u; e = e + 1u) {
        let r = row0 + qA * 4u + e;
        if (r < M && t + kkA < K) { va[e] = A[ao + i32(r) * ars + ka * acs]; }
        let c = col0 + qB * 4u + e;
        if (c < N && t + kkB < K) { vb[e] = B[bo + kb * brs + i32(c) * bcs]; }
      }
      As[kkA][qA] = va;
      Bs[kkB][qB] = vb;
    }
    workgroupBarrier();
    for (var p: u32 = 0u; p < 16u; p = p + 1u) {
      let a = As[p][lid.y];
      let b = Bs[p][lid.x];
      acc[0] = fma(vec4<f32>(a.x), b, acc[0]);
      acc[1] = fma(vec4<f32>(a.y), b, acc[1]);
      acc[2] = fma(vec4<f32>(a.z), b, acc[2]);
      acc[3] = fma(vec4<f32>(a.w), b, acc[3]);
    }
    workgroupBarrier();
  }
  for (var i: u32 = 0u; i < 4u; i = i + 1u) {
    let r = row0 + lid.y * 4u + i;
    if (r >= M) { continue; }
    let base = co + r * N + col0 + lid.x * 4u;
    let row = acc[i];
    for (var j: u32 = 0u; j < 4u; j = j + 1u) {
      let c = col0 + lid.x * 4u + j;
      if (c < N) { C[base + j] = epi(c, row[j]); }
    }
  }
}`;
}
