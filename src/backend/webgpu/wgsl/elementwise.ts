/**
 * WGSL builder for the elementwise family (unary, binary, ternary maps over strided views,
 * broadcasting already resolved to zero strides). One thread per output element; shapes,
 * strides and offsets are uniforms, so one pipeline serves every shape of a given rank.
 */
import type { MapOp } from "../../backend.js";
import type { DType } from "../../../tensor/dtype.js";
import { LINEAR_GROUP, grid1d, paramsDecl, storageType, unravel, type Program } from "./common.js";

/** f32 expressions of `a`, `b`, `c` and the scalar `p`, matching the cpu backend's table. */
const F32: Record<MapOp, string> = {
  copy: "a", neg: "-a", exp: "expSafe(a)", log: "logSafe(a)", sqrt: "sqrt(a)", rsqrt: "1.0 / sqrt(a)", abs: "abs(a)",
  sin: "sinCos(a, 0)", cos: "sinCos(a, 1)", tanh: "tanhSafe(a)", sigmoid: "1.0 / (1.0 + expSafe(-a))",
  relu: "select(0.0, a, a > 0.0 || isNan(a))", sign: "select(sign(a), 0.0, isNan(a))", floor: "floor(a)", ceil: "ceil(a)", round: "round(a)",
  reciprocal: "1.0 / a", square: "a * a", erf: "erfApprox(a)", log1p: "log1pSafe(a)", expm1: "expm1Safe(a)",
  softplus: "select(log1pSafe(expSafe(a)), a, a > 20.0)", leakyRelu: "select(a * p, a, a > 0.0)",
  elu: "select(p * expm1Safe(a), a, a > 0.0)", powScalar: "powSafe(a, p)", rpowScalar: "powSafe(p, a)",
  step: "select(select(select(a, p, a == 0.0), 0.0, a < 0.0), 1.0, a > 0.0)", logicalNot: "select(1.0, 0.0, a != 0.0)",
  fill: "p", isnan: "select(0.0, 1.0, isNan(a))",
  add: "a + b", sub: "a - b", mul: "a * b", div: "a / b", pow: "powSafe(a, b)",
  maximum: "select(b, a, a > b || isNan(a))", minimum: "select(b, a, a < b || isNan(a))",
  eq: "select(0.0, 1.0, a == b && !isNan(a))", ne: "select(0.0, 1.0, a != b || isNan(a) || isNan(b))", lt: "select(0.0, 1.0, a < b)",
  le: "select(0.0, 1.0, a <= b)", gt: "select(0.0, 1.0, a > b)", ge: "select(0.0, 1.0, a >= b)",
  logicalAnd: "select(0.0, 1.0, a != 0.0 && b != 0.0)", logicalOr: "select(0.0, 1.0, a != 0.0 || b != 0.0)",
  logicalXor: "select(0.0, 1.0, (a != 0.0) != (b != 0.0))", remainder: "remainderPy(a, b)", atan2: "atan2(a, b)",
  addScaled: "a + p * b", reluGrad: "select(0.0, a, b > 0.0 || isNan(b))", where: "select(c, b, a != 0.0)", clamp: "select(select(a, c, a > c), select(b, c, b > c), a < b)",
};

/** Ops computed exactly in i32 when every operand is an integer (others go through f32). */
const I32: Partial<Record<MapOp, string>> = {
  copy: "a", neg: "-a", abs: "abs(a)", square: "a * a", fill: "i32(p)",
  add: "a + b", sub: "a - b", mul: "a * b", maximum: "max(a, b)", minimum: "min(a, b)",
  where: "select(c, b, a != 0)", clamp: "select(select(a, c, a > c), select(b, c, b > c), a < b)",
  eq: "i32(a == b)", ne: "i32(a != b)", lt: "i32(a < b)", le: "i32(a <= b)", gt: "i32(a > b)", ge: "i32(a >= b)",
};

const HELPERS = `
fn isNan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
// Software GPUs (SwiftShader) lose ~2e-4 in sin/cos: reduce to ±π/4 by quadrant (Cody–Waite)
// and evaluate short Taylor polynomials instead.
fn sinCos(x: f32, shift: i32) -> f32 {
  // Beyond 2^13 the two-term reduction loses every digit: use the builtin, which stays in [-1, 1].
  if (abs(x) > 8192.0) { return select(sin(x), cos(x), shift == 1); }
  let k = round(x * 0.63661977);
  let r = (x - k * 1.5703125) - k * 4.8382679e-4;
  let r2 = r * r;
  let s = r * (1.0 + r2 * (-0.16666667 + r2 * (0.0083333333 + r2 * (-1.9841270e-4 + r2 * 2.7557319e-6))));
  let c = 1.0 + r2 * (-0.5 + r2 * (0.041666667 + r2 * (-0.0013888889 + r2 * 2.4801587e-5)));
  let q = (i32(k) + shift) & 3;
  if (q == 0) { return s; }
  if (q == 1) { return c; }
  if (q == 2) { return -s; }
  return -c;
}
fn tanhSafe(x: f32) -> f32 { let t = exp(-2.0 * abs(x)); return sign(x) * (1.0 - t) / (1.0 + t); }
fn log1pSafe(x: f32) -> f32 { let u = 1.0 + x; if (u == 1.0 || x == infF()) { return x; } return logSafe(u) * x / (u - 1.0); }
// SwiftShader's exp(NaN) is inf and log(0) is -88 (its log of the smallest normal); IEEE wants NaN and -inf.
fn expSafe(x: f32) -> f32 { return select(exp(x), x, isNan(x)); }
fn logSafe(x: f32) -> f32 {
  if (x == 0.0) { return -infF(); }
  if (x < 0.0 || isNan(x)) { return nanF(); }
  return log(x);
}
fn expm1Safe(x: f32) -> f32 { if (abs(x) < 1e-4) { return x + 0.5 * x * x + x * x * x / 6.0; } return expSafe(x) - 1.0; }
// fmod, then shifted to the sign of b (PyTorch's remainder); fmod(a, ±inf) is a.
fn remainderPy(a: f32, b: f32) -> f32 {
  var m = a - b * trunc(a / b);
  if (abs(b) == infF() && abs(a) != infF()) { m = a; }
  if (m != 0.0 && ((b < 0.0) != (m < 0.0))) { m = m + b; }
  return m;
}
fn erfApprox(x: f32) -> f32 {
  let t = 1.0 / (1.0 + 0.3275911 * abs(x));
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * expSafe(-x * x);
  return sign(x) * y;
}
fn powSafe(x: f32, y: f32) -> f32 {
  if (y == 0.0) { return 1.0; }
  if (y == 1.0) { return x; }
  if (y == 2.0) { return x * x; }
  if (x == 0.0) { return select(0.0, infF(), y < 0.0); }
  if (x > 0.0) { return exp2(y * log2(x)); }
  if (floor(y) != y) { return nanF(); }
  let r = exp2(y * log2(-x));
  return select(r, -r, floor(y * 0.5) * 2.0 != y);
}`;

/** Parameters that decide the generated code (and therefore the cache key). */
export interface ElementwiseSpec {
  op: MapOp;
  outDtype: DType;
  inDtypes: readonly DType[];
  /** Binding slot each input reads (0 = the output buffer itself, for in-place ops). */
  slots: readonly number[];
  /** Rank after coalescing. */
  nd: number;
  /** Element count. */
  n: number;
}

/** Builds the kernel; parameter words: [n, p, offsets(1+k), shape(nd), strides per operand(nd each)]. */
export function elementwise(spec: ElementwiseSpec): Program {
  const { op, outDtype, inDtypes, slots, nd } = spec;
  const k = inDtypes.length;
  const isInt = (d: DType): boolean => d === "int32" || d === "int64";
  const intMath = isInt(outDtype) && inDtypes.every((d) => isInt(d) || d === "bool") && I32[op] !== undefined;
  const cacheKey = `ew:${op}:${outDtype}:${inDtypes.join(",")}:${slots.join(",")}:${nd}:${intMath}`;
  const nSlots = Math.max(0, ...slots) + 1;
  const decl = [`@group(0) @binding(0) var<storage, read_write> B0: array<${storageType(outDtype)}>;`];
  for (let s = 1; s < nSlots; s++) {
    const i = slots.indexOf(s);
    decl.push(`@group(0) @binding(${s}) var<storage, read> B${s}: array<${storageType(inDtypes[i])}>;`);
  }
  const offAt = Array.from({ length: k + 1 }, (_, i) => 2 + i);
  const shapeAt = 3 + k;
  const strideAt = offAt.map((_, i) => shapeAt + nd + i * nd);
  const names = ["a", "b", "c"];
  const loads = inDtypes.map((_, i) => `let ${names[i]} = ${intMath ? "i32" : "f32"}(B${slots[i]}[o${i + 1}]);`);
  const expr = intMath ? I32[op]! : F32[op];
  const outT = storageType(outDtype);
  const store = intMath ? `${outT}(${expr})` : outT === "f32" ? expr : outT === "i32" ? `i32(${expr})` : `u32((${expr}) != 0.0)`;
  const code = `${decl.join("\n")}
${paramsDecl(nSlots)}
${HELPERS}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let lin = ${LINEAR_GROUP} * 64u + li;
  if (lin >= pu(0u)) { return; }
  let p = pf(1u);
  ${unravel("lin", nd, shapeAt, strideAt, offAt)}
  ${loads.join("\n  ")}
  B0[o0] = ${store};
}`;
  return { cacheKey, code, dispatch: grid1d(Math.ceil(spec.n / 64)) };
}
