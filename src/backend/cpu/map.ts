/**
 * Elementwise kernels of the cpu backend. Each op is an expression over `a`, `b`, `c` and the
 * scalar `p`; a strided loop is generated once per (op, arity) so the expression is inlined
 * and the loop stays monomorphic. Broadcasting is already resolved into strides by the caller.
 */
import type { MapOp, View } from "../backend.js";
import { coalesce, typeCode, viewData } from "./buffer.js";
import type { TypedArray } from "../../tensor/dtype.js";

const EXPR: Record<MapOp, string> = {
  copy: "a",
  neg: "-a",
  exp: "Math.exp(a)",
  log: "Math.log(a)",
  sqrt: "Math.sqrt(a)",
  rsqrt: "1 / Math.sqrt(a)",
  abs: "Math.abs(a)",
  sin: "Math.sin(a)",
  cos: "Math.cos(a)",
  tanh: "Math.tanh(a)",
  sigmoid: "1 / (1 + Math.exp(-a))",
  relu: "(a > 0 || a !== a) ? a : 0",
  sign: "a > 0 ? 1 : a < 0 ? -1 : a === a ? a : 0",
  floor: "Math.floor(a)",
  ceil: "Math.ceil(a)",
  round: "roundEven(a)",
  reciprocal: "1 / a",
  square: "a * a",
  erf: "erf(a)",
  log1p: "Math.log1p(a)",
  expm1: "Math.expm1(a)",
  softplus: "a > 20 ? a : Math.log1p(Math.exp(a))",
  leakyRelu: "a > 0 ? a : a * p",
  elu: "a > 0 ? a : p * Math.expm1(a)",
  powScalar: "Math.pow(a, p)",
  rpowScalar: "Math.pow(p, a)",
  step: "a > 0 ? 1 : a < 0 ? 0 : (a === 0 ? p : a)",
  logicalNot: "a ? 0 : 1",
  fill: "p",
  isnan: "a !== a ? 1 : 0",
  add: "a + b",
  sub: "a - b",
  mul: "a * b",
  div: "a / b",
  pow: "Math.pow(a, b)",
  maximum: "(a > b || a !== a) ? a : b",
  minimum: "(a < b || a !== a) ? a : b",
  eq: "a === b ? 1 : 0",
  ne: "a !== b ? 1 : 0",
  lt: "a < b ? 1 : 0",
  le: "a <= b ? 1 : 0",
  gt: "a > b ? 1 : 0",
  ge: "a >= b ? 1 : 0",
  logicalAnd: "(a && b) ? 1 : 0",
  logicalOr: "(a || b) ? 1 : 0",
  logicalXor: "(!a !== !b) ? 1 : 0",
  remainder: "remainderPy(a, b)",
  atan2: "Math.atan2(a, b)",
  addScaled: "a + p * b",
  reluGrad: "(b > 0 || b !== b) ? a : 0",
  where: "a ? b : c",
  clamp: "a < b ? (b > c ? c : b) : (a > c ? c : a)",
};

/** a mod b with the sign of b, as PyTorch's `remainder` (fmod, then shifted): 5 mod ∞ is 5. */
function remainderPy(a: number, b: number): number {
  const m = a % b;
  return m !== 0 && (b < 0) !== (m < 0) ? m + b : m;
}

/** Rounds half to even, like PyTorch's `round`. */
function roundEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Error function to near double precision: Maclaurin series below 3, continued fraction above. */
function erf(x: number): number {
  const ax = Math.abs(x);
  // The series cancels for larger |x| (terms near 60 at 2.8): 1 + erf(−2.8) lost 11 digits.
  // From 1.5 the continued fraction below is exact to 1e-15 with 80 terms.
  if (ax < 1.5) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = exp(-x²)/√π / (x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated from the tail.
  let k = ax;
  for (let n = 80; n >= 1; n--) k = ax + n / 2 / k;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / k;
  return x >= 0 ? 1 - erfc : erfc - 1;
}

type Kernel = (o: TypedArray, oOff: number, oStr: number[], arrays: TypedArray[], offs: number[], strs: number[][], shape: number[], p: number) => void;

const cache = new Map<string, Kernel>();

function build(op: MapOp, arity: number): Kernel {
  const names = ["a", "b", "c"].slice(0, arity);
  const up = names.map((n) => n.toUpperCase());
  const lines: string[] = [];
  // No inputs ("fill"): no array declarations (an empty `const ;` would not parse).
  if (arity > 0) lines.push(`const ${up.map((u, i) => `${u} = arrays[${i}]`).join(", ")};`);
  lines.push("const nd = shape.length;");
  lines.push(`if (nd === 0) { ${names.map((n, i) => `const ${n} = ${up[i]}[offs[${i}]];`).join(" ")} o[oOff] = ${EXPR[op]}; return; }`);
  lines.push("const n = shape[nd - 1], os = oStr[nd - 1];");
  lines.push(names.map((n, i) => `const ${n}s = strs[${i}][nd - 1];`).join(" "));
  lines.push("let rows = 1; for (let d = 0; d < nd - 1; d++) rows *= shape[d];");
  lines.push("const idx = nd > 1 ? new Array(nd).fill(0) : null;");
  lines.push(`let ob = oOff${names.map((n, i) => `, ${n}b = offs[${i}]`).join("")};`);
  lines.push("for (let r = 0; r < rows; r++) {");
  lines.push(`  let oi = ob${names.map((n) => `, ${n}i = ${n}b`).join("")};`);
  lines.push("  for (let j = 0; j < n; j++) {");
  lines.push(`    ${names.map((n, i) => `const ${n} = ${up[i]}[${n}i];`).join(" ")}`);
  lines.push(`    o[oi] = ${EXPR[op]};`);
  lines.push(`    oi += os;${names.map((n) => ` ${n}i += ${n}s;`).join("")}`);
  lines.push("  }");
  lines.push("  for (let d = nd - 2; d >= 0; d--) {");
  lines.push(`    idx[d]++; ob += oStr[d];${names.map((n, i) => ` ${n}b += strs[${i}][d];`).join("")}`);
  lines.push("    if (idx[d] < shape[d]) break;");
  lines.push(`    idx[d] = 0; ob -= oStr[d] * shape[d];${names.map((n, i) => ` ${n}b -= strs[${i}][d] * shape[d];`).join("")}`);
  lines.push("  }");
  lines.push("}");
  const body = lines.join("\n");
  // Generated once per (op, arity); the expression comes from the fixed table above.
  const factory = new Function("erf", "roundEven", "remainderPy", `return function ${op}Kernel(o, oOff, oStr, arrays, offs, strs, shape, p) {\n${body}\n};`);
  return factory(erf, roundEven, remainderPy) as Kernel;
}

/** Kernels by op, then by the operands' type codes packed in base 8 (out first). */
const byCode = new Map<MapOp, Kernel[]>();

/** Runs elementwise `op` writing through `out` (any view) from inputs broadcast to out's shape. */
export function runMap(op: MapOp, out: View, inputs: readonly View[], param = 0): void {
  for (const d of out.shape) if (d === 0) return;
  const outData = viewData(out);
  const arity = inputs.length;
  const arrays = new Array<TypedArray>(arity);
  const offs = new Array<number>(arity);
  const strides = new Array<readonly number[]>(arity + 1);
  strides[0] = out.strides;
  let code = typeCode(outData);
  let known = code !== 0;
  for (let i = 0; i < arity; i++) {
    const v = inputs[i];
    const a = viewData(v);
    arrays[i] = a;
    offs[i] = v.offset;
    strides[i + 1] = v.strides;
    const k = typeCode(a);
    known &&= k !== 0;
    code = code * 8 + k;
  }
  // One kernel per (op, array types): element access stays monomorphic, which is several
  // times faster than one kernel shared by Float32Array, Float64Array, … call sites.
  let kernel: Kernel | undefined;
  if (known) {
    let table = byCode.get(op);
    if (!table) byCode.set(op, (table = []));
    kernel = table[code];
    if (!kernel) table[code] = kernel = build(op, arity);
  } else {
    let key = `${op}/${outData.constructor.name}`;
    for (const a of arrays) key += `/${a.constructor.name}`;
    kernel = cache.get(key);
    if (!kernel) {
      kernel = build(op, arity);
      cache.set(key, kernel);
    }
  }
  const flat = out.shape.length > 0 && isDense(out) ? flatStrides(out.strides, inputs) : null;
  if (flat) {
    // Every input walks out's dense layout or stays on one element (a broadcast scalar): one
    // flat loop, without coalescing.
    let n = 1;
    for (const d of out.shape) n *= d;
    kernel(outData, out.offset, UNIT, arrays, offs, flat, [n], param);
    return;
  }
  const c = coalesce(out.shape, strides);
  const inStrides = c.strides;
  const oStr = inStrides.shift() as number[];
  kernel(outData, out.offset, oStr, arrays, offs, inStrides, c.shape, param);
}

const UNIT = [1];
const ZERO = [0];

/** True when `v` is laid out row-major without gaps. */
function isDense(v: View): boolean {
  const shape = v.shape, st = v.strides;
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && st[i] !== s) return false;
    s *= shape[i];
  }
  return true;
}

/**
 * The 1-D strides of each input for a flat walk of a dense output whose strides are `st`:
 * [1] for an input with out's strides, [0] for one whose strides are all 0;
 * null when some input is laid out otherwise.
 */
function flatStrides(st: readonly number[], inputs: readonly View[]): number[][] | null {
  const out = new Array<number[]>(inputs.length);
  for (let k = 0; k < inputs.length; k++) {
    const vs = inputs[k].strides;
    if (vs === st) {
      out[k] = UNIT;
      continue;
    }
    let same = vs.length === st.length, zero = true;
    for (let i = 0; i < vs.length; i++) {
      if (vs[i] !== st[i]) same = false;
      if (vs[i] !== 0) zero = false;
    }
    if (!same && !zero) return null;
    out[k] = same ? UNIT : ZERO;
  }
  return out;
}
