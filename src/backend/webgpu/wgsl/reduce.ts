/**
 * WGSL builder for reductions (sum, prod, max, min, argmax, argmin) over any set of axes of a
 * strided view. One 64-thread workgroup per output element: threads stride over the reduced
 * block, then combine in workgroup memory (first index wins ties, like the cpu backend).
 */
import type { ReduceOp } from "../../backend.js";
import type { DType } from "../../../tensor/dtype.js";
import { LINEAR_GROUP, grid1d, paramsDecl, storageType, unravel, type Program } from "./common.js";

const NEG_INF = "(-infF())";
const POS_INF = "infF()";
const INIT: Record<ReduceOp, string> = {
  sum: "0.0", prod: "1.0", max: NEG_INF, min: POS_INF, argmax: NEG_INF, argmin: POS_INF,
};
/** Does value `v` at index `k` replace accumulator (`acc`, `at`)? (NaN propagates like the cpu backend.) */
const BETTER: Record<"max" | "min", string> = {
  max: "(v > acc || (isNan(v) && !isNan(acc)) || (v == acc && k < at))",
  min: "(v < acc || (isNan(v) && !isNan(acc)) || (v == acc && k < at))",
};

/** Parameters that decide the code. */
export interface ReduceSpec {
  op: ReduceOp;
  outDtype: DType;
  inDtype: DType;
  keptNd: number;
  redNd: number;
  nOut: number;
}

/** Words: [nOut, nRed, offset, keptShape, keptStrides, redShape, redStrides]. */
export function reduce(spec: ReduceSpec): Program {
  const { op, outDtype, inDtype, keptNd, redNd } = spec;
  const cacheKey = `red:${op}:${outDtype}:${inDtype}:${keptNd}:${redNd}`;
  const keptShape = 3, keptStr = keptShape + keptNd, redShape = keptStr + keptNd, redStr = redShape + redNd;
  const arg = op === "argmax" || op === "argmin";
  const cmp = op === "max" || op === "argmax" ? BETTER.max : op === "min" || op === "argmin" ? BETTER.min : "";
  const step = op === "sum" ? "acc = acc + v;" : op === "prod" ? "acc = acc * v;" : `if (${cmp}) { acc = v; at = k; }`;
  const combine = op === "sum" ? "sa[li] = sa[li] + sa[li + s];" : op === "prod" ? "sa[li] = sa[li] * sa[li + s];"
    : `{ let v = sa[li + s]; let k = sk[li + s]; let acc = sa[li]; let at = sk[li]; if (${cmp}) { sa[li] = v; sk[li] = k; } }`;
  const outT = storageType(outDtype);
  const result = arg ? `${outT}(sk[0])` : outT === "f32" ? "sa[0]" : outT === "i32" ? "i32(sa[0])" : "u32(sa[0] != 0.0)";
  const code = `@group(0) @binding(0) var<storage, read_write> O: array<${outT}>;
@group(0) @binding(1) var<storage, read> X: array<${storageType(inDtype)}>;
${paramsDecl(2)}
fn isNan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
var<workgroup> sa: array<f32, 64>;
var<workgroup> sk: array<u32, 64>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let out = ${LINEAR_GROUP};
  if (out >= pu(0u)) { return; }
  let nRed = pu(1u);
  ${unravel("out", keptNd, keptShape, [keptStr], [2])}
  let base = o0;
  var acc: f32 = ${INIT[op]};
  var at: u32 = 0xffffffffu;
  for (var k: u32 = li; k < nRed; k = k + 64u) {
    ${unravel("k", redNd, redShape, [redStr], [2]).replace(/o0/g, "r0")}
    let v = f32(X[base + r0 - pi(2u)]);
    ${step}
  }
  sa[li] = acc;
  sk[li] = at;
  workgroupBarrier();
  for (var s: u32 = 32u; s > 0u; s = s >> 1u) {
    if (li < s) { ${combine} }
    workgroupBarrier();
  }
  if (li == 0u) { O[out] = ${result}; }
}`;
  return { cacheKey, code, dispatch: grid1d(spec.nOut) };
}
