/**
 * WGSL builders for index-driven kernels: gather / scatterAdd along a dim and indexSelect /
 * indexAdd of slices (embeddings and their gradients). Indices are dense int32; adds
 * scatter with float atomics. Out-of-range indices are skipped (a GPU cannot throw).
 */
import { LINEAR_GROUP, atomicAddF32, grid1d, paramsDecl, storageType, type Program } from "./common.js";
import type { DType } from "../../../tensor/dtype.js";

/** Kernels of this family. */
export type IndexKind = "gather" | "scatterAdd" | "indexSelect" | "indexAdd";

/**
 * gather: words [count, dim, size(dim), xOff, iOff, shape(nd) of index, x strides(nd)].
 * scatterAdd: [count, dim, size(dim), sOff, iOff, shape(nd) of index, out strides(nd)].
 * indexSelect / indexAdd: [count, len, inner, size, xOff/sOff, iOff].
 */
export function indexKernel(kind: IndexKind, dtype: DType, nd: number, count: number): Program {
  const T = storageType(dtype);
  const atomic = kind === "scatterAdd" || kind === "indexAdd";
  const head = `@group(0) @binding(0) var<storage, read_write> O: array<${atomic ? "atomic<u32>" : T}>;
@group(0) @binding(1) var<storage, read> X: array<${T}>;
@group(0) @binding(2) var<storage, read> I: array<i32>;
${paramsDecl(3)}
${atomic ? atomicAddF32("O") : ""}`;
  let body: string;
  if (kind === "gather" || kind === "scatterAdd") {
    const lines = [`var rem: u32 = t; var off: i32 = 0; let dim = pu(1u); let k = I[pi(4u) + i32(t)];`,
      `if (k < 0 || k >= pi(2u)) { return; }`];
    for (let d = nd - 1; d >= 0; d--) {
      lines.push(`{ let s = pu(${5 + d}u); let c = i32(rem % s); rem = rem / s; off = off + select(c, k, dim == ${d}u) * pi(${5 + nd + d}u); }`);
    }
    lines.push(kind === "gather" ? "O[t] = X[pi(3u) + off];" : "atomicAddF(off, X[pi(3u) + i32(t)]);");
    body = lines.join("\n  ");
  } else {
    body = `let len = pu(1u); let inner = pu(2u); let size = pi(3u);
  let i = t % inner; let j = (t / inner) % len; let a = t / (inner * len);
  let k = I[pi(5u) + i32(j)];
  if (k < 0 || k >= size) { return; }
  let at = (i32(a) * size + k) * i32(inner) + i32(i);
  ${kind === "indexSelect" ? "O[t] = X[pi(4u) + at];" : "atomicAddF(at, X[pi(4u) + i32(t)]);"}`;
  }
  const code = `${head}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let t = ${LINEAR_GROUP} * 64u + li;
  if (t >= pu(0u)) { return; }
  ${body}
}`;
  return { cacheKey: `idx:${kind}:${T}:${nd}`, code, dispatch: grid1d(Math.ceil(count / 64)) };
}
