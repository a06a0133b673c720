/**
 * Elementwise ops with broadcasting, forward and backward side by side: unary math,
 * activations' primitives, binary arithmetic, comparisons, logical ops, where and clamp.
 * Composite activations (gelu, softmax) live in src/functional/.
 */
import type { MapOp, UnaryOp, BinaryOp, View } from "../backend/backend.js";
import { Tensor, emptyOn } from "../tensor/tensor.js";
import { backendNamed } from "../backend/backend.js";
import { broadcastShapes, broadcastStrides, sameShape } from "../tensor/shape.js";
import { isFloating, promote, toFloating, type DType } from "../tensor/dtype.js";
import { asTensor, needsGrad1, needsGrad2, record, sameBackend, scalarTensor, type TensorLike } from "./op.js";
import { sumTo } from "./reduce.js";

/** Runs a map kernel into a fresh tensor of `shape`, broadcasting every input to it. */
export function mapNew(op: MapOp, inputs: readonly Tensor[], shape: readonly number[], dtype: DType, param = 0): Tensor {
  const name = inputs[0].device;
  for (let i = 1; i < inputs.length; i++) if (inputs[i].device !== name) sameBackend(op, ...inputs);
  const be = backendNamed(name);
  const out = emptyOn(be, shape, dtype);
  const views = new Array<View>(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const t = inputs[i];
    // An input of the output's shape is its own view (no broadcast strides to compute).
    views[i] = sameShape(t.shape, shape) ? t : { buf: t.buf, shape, strides: broadcastStrides(t.shape, t.strides, shape), offset: t.offset };
  }
  be.map(op, out, views, param);
  return out;
}

/** Plain unary map without autograd. */
export function mapUnary(op: UnaryOp, x: Tensor, dtype: DType = x.dtype, param = 0): Tensor {
  return mapNew(op, [x], x.shape, dtype, param);
}

/** Plain binary map with broadcasting, without autograd. */
export function mapBinary(op: BinaryOp, a: Tensor, b: Tensor, dtype: DType, param = 0): Tensor {
  return mapNew(op, [a, b], broadcastPair(a.shape, b.shape, op), dtype, param);
}

/**
 * broadcastShapes of two tensors' shapes, returning an operand's own (frozen) shape array
 * when the result equals it, so the result tensor shares it instead of copying.
 */
function broadcastPair(a: readonly number[], b: readonly number[], op: string): readonly number[] {
  if (sameShape(a, b)) return a;
  const s = broadcastShapes(a, b, op);
  return sameShape(s, a) ? a : sameShape(s, b) ? b : s;
}

const unaryGrad: Partial<Record<UnaryOp, (g: Tensor, x: Tensor, y: Tensor, p: number) => Tensor>> = {
  neg: (g) => neg(g),
  exp: (g, _x, y) => mul(g, y),
  log: (g, x) => div(g, x),
  sqrt: (g, _x, y) => div(g, mul(y, 2)),
  rsqrt: (g, _x, y) => mul(g, mul(pow(y, 3), -0.5)),
  abs: (g, x) => mul(g, sign(x)),
  sin: (g, x) => mul(g, cos(x)),
  cos: (g, x) => neg(mul(g, sin(x))),
  tanh: (g, _x, y) => mul(g, rsub(square(y), 1)),
  sigmoid: (g, _x, y) => mul(g, mul(y, rsub(y, 1))),
  relu: (g, x) => reluGrad(g, x),
  reciprocal: (g, _x, y) => neg(mul(g, square(y))),
  square: (g, x) => mul(g, mul(x, 2)),
  erf: (g, x) => mul(g, mul(exp(neg(square(x))), 2 / Math.sqrt(Math.PI))),
  log1p: (g, x) => div(g, add(x, 1)),
  expm1: (g, _x, y) => mul(g, add(y, 1)),
  // Linear above the threshold, like PyTorch's softplus_backward (exactly 1 there, not sigmoid(x)).
  softplus: (g, x) => mul(g, where(gt(x, 20), 1, sigmoid(x))),
  leakyRelu: (g, x, _y, p) => mul(g, where(gt(x, 0), scalarTensor(1, g.dtype, g.device), scalarTensor(p, g.dtype, g.device))),
  // PyTorch's elu_backward tests x <= 0, so a NaN input takes the linear side's 1.
  // Its second derivative is alpha·e^x only for x < 0 (elu_double_backward): y is held at 0 for x = 0.
  elu: (g, x, y, p) => mul(g, where(le(x, 0), add(where(lt(x, 0), y, 0), p), scalarTensor(1, g.dtype, g.device))),
  powScalar: (g, x, _y, p) => (p === 0 ? mul(g, 0) : mul(g, mul(powScalar(x, p - 1), p))),
  rpowScalar: (g, _x, y, p) => mul(g, mul(y, Math.log(p))),
  copy: (g) => g,
  sign: (g) => mul(g, 0),
  floor: (g) => mul(g, 0),
  ceil: (g) => mul(g, 0),
  round: (g) => mul(g, 0),
};

const readsNothing = new Set<UnaryOp>(["neg", "copy", "sign", "floor", "ceil", "round"]);
const readsOutput = new Set<UnaryOp>(["exp", "sqrt", "rsqrt", "tanh", "sigmoid", "reciprocal", "expm1", "rpowScalar"]);

/** The tensors a unary op's backward reads, for the version check. */
function unarySaves(op: UnaryOp, x: Tensor, y: Tensor): Tensor[] {
  if (readsNothing.has(op)) return [];
  if (readsOutput.has(op)) return [y];
  return op === "elu" ? [x, y] : [x];
}

/** The `grad_fn` name of an op: `mul` → `Mul` (shown as `MulBackward0`). */
// grad_fn names as PyTorch prints them: x ** 2 is PowBackward0, x ** y and 2 ** x PowBackward1.
const TORCH_NAMES: Record<string, string> = { powScalar: "PowBackward0", square: "PowBackward0", pow: "PowBackward1", rpowScalar: "PowBackward1" };
const opNames = new Map<string, string>();
const opName = (op: string): string => {
  let name = opNames.get(op);
  if (name === undefined) opNames.set(op, (name = TORCH_NAMES[op] ?? op[0].toUpperCase() + op.slice(1)));
  return name;
};

/** A differentiable unary op; integer inputs to float functions produce float32. */
export function unary(op: UnaryOp, x: Tensor, param = 0, keepIntegers = false): Tensor {
  const dtype = keepIntegers ? x.dtype : toFloating(x.dtype);
  const y = mapUnary(op, x, dtype, param);
  const grad = unaryGrad[op];
  if (grad && isFloating(dtype) && needsGrad1(x)) record(y, opName(op), [x], (g) => [grad(g, x, y, param)], unarySaves(op, x, y));
  return y;
}

export const neg = (x: Tensor): Tensor => unary("neg", x, 0, true);
export const exp = (x: Tensor): Tensor => unary("exp", x);
export const log = (x: Tensor): Tensor => unary("log", x);
export const sqrt = (x: Tensor): Tensor => unary("sqrt", x);
export const rsqrt = (x: Tensor): Tensor => unary("rsqrt", x);
export const abs = (x: Tensor): Tensor => unary("abs", x, 0, true);
export const sin = (x: Tensor): Tensor => unary("sin", x);
export const cos = (x: Tensor): Tensor => unary("cos", x);
export const tanh = (x: Tensor): Tensor => unary("tanh", x);
export const sigmoid = (x: Tensor): Tensor => unary("sigmoid", x);
export const relu = (x: Tensor): Tensor => unary("relu", x, 0, true);
export const sign = (x: Tensor): Tensor => unary("sign", x, 0, true);
export const floor = (x: Tensor): Tensor => unary("floor", x, 0, true);
export const ceil = (x: Tensor): Tensor => unary("ceil", x, 0, true);
export const round = (x: Tensor): Tensor => unary("round", x, 0, true);
export const reciprocal = (x: Tensor): Tensor => unary("reciprocal", x);
export const square = (x: Tensor): Tensor => unary("square", x, 0, true);
export const erf = (x: Tensor): Tensor => unary("erf", x);
export const log1p = (x: Tensor): Tensor => unary("log1p", x);
export const expm1 = (x: Tensor): Tensor => unary("expm1", x);
export const softplusPrimitive = (x: Tensor): Tensor => unary("softplus", x);
export const leakyRelu = (x: Tensor, slope = 0.01): Tensor => unary("leakyRelu", x, slope);
export const elu = (x: Tensor, alpha = 1): Tensor => unary("elu", x, alpha);
/** x ** p for a number p. */
export const powScalar = (x: Tensor, p: number): Tensor => unary("powScalar", x, p, Number.isInteger(p) && p >= 0);
/** Heaviside step: 1 where x > 0, 0 where x < 0, `valueAtZero` at 0. Not differentiable. */
export const step = (x: Tensor, valueAtZero = 1): Tensor => mapUnary("step", x, toFloating(x.dtype), valueAtZero);
/** True where x is NaN. */
export const isnan = (x: Tensor): Tensor => mapUnary("isnan", x, "bool");
/** Logical not, as a bool tensor. */
export const logicalNot = (x: Tensor): Tensor => mapUnary("logicalNot", x, "bool");

type BinaryGrad = (g: Tensor, a: Tensor, b: Tensor, y: Tensor) => [Tensor | null, Tensor | null];

const binaryGrad: Partial<Record<BinaryOp, BinaryGrad>> = {
  add: (g) => [g, g],
  sub: (g) => [g, neg(g)],
  mul: (g, a, b) => [mul(g, b), mul(g, a)],
  // −g·((a / b) / b) as PyTorch: b² underflows (1e-30² in float32) where a / b / b does not.
  div: (g, a, b) => [div(g, b), neg(mul(g, div(div(a, b), b)))],
  pow: (g, a, b, y) => [
    // An exponent of 0 has derivative 0 in the base, even at a = 0 (PyTorch's pow_backward_self).
    where(eq(b, 0), 0, mul(g, mul(b, pow(a, sub(b, 1))))),
    where(logicalAndT(eq(a, 0), ge(b, 0)), 0, mul(g, mul(y, log(a)))),
  ],
  // PyTorch: ties split the gradient in halves; the smaller (larger) side gets none; with a
  // NaN operand (no order) both sides get all of it.
  maximum: (g, a, b) => extremeShares(g, a, b, lt(a, b), gt(a, b)),
  minimum: (g, a, b) => extremeShares(g, a, b, gt(a, b), lt(a, b)),
  atan2: (g, a, b) => {
    const r = add(square(a), square(b));
    return [mul(g, div(b, r)), neg(mul(g, div(a, r)))];
  },
  remainder: (g, a, b) => [g, neg(mul(g, floor(div(a, b))))],
  // Linear in g with a constant mask; nothing flows to the mask's source.
  reluGrad: (g, _a, b) => [reluGrad(g, b), null],
};

function extremeShares(g: Tensor, a: Tensor, b: Tensor, aLoses: Tensor, bLoses: Tensor): [Tensor, Tensor] {
  const half = mul(eq(a, b), 0.5);
  return [mul(g, rsub(add(aLoses, half), 1)), mul(g, rsub(add(bLoses, half), 1))];
}

const arithmeticDType = (op: BinaryOp, a: DType, b: DType): DType => {
  const d = promote(a, b);
  if (op === "div" || op === "atan2") return toFloating(d);
  if (d === "bool" && (op === "add" || op === "sub" || op === "mul" || op === "pow" || op === "remainder")) return "int64";
  return d;
};

/**
 * The tensors a binary op's backward reads, for the version check — as PyTorch saves them:
 * mul keeps `a` only when `b` needs a gradient (d/db = g·a) and `b` only when `a` does, so
 * `y.copy_(y.mul(3))` is allowed while `a.mul(w)` guards `a`.
 */
function binarySaves(op: BinaryOp, a: Tensor, b: Tensor, y: Tensor): Tensor[] {
  if (op === "add" || op === "sub") return [];
  if (op === "mul") return [...(b.requiresGrad ? [a] : []), ...(a.requiresGrad ? [b] : [])];
  if (op === "div") return b.requiresGrad ? [a, b] : [b];
  return op === "pow" ? [a, b, y] : [a, b];
}

/** A differentiable broadcasting binary op. */
export function binary(op: BinaryOp, aIn: TensorLike, bIn: TensorLike): Tensor {
  const a = aIn instanceof Tensor ? aIn : asTensor(aIn, bIn as Tensor);
  const b = asTensor(bIn, a);
  const dtype = arithmeticDType(op, a.dtype, b.dtype);
  const y = mapBinary(op, a, b, dtype);
  const grad = binaryGrad[op];
  if (grad && isFloating(dtype) && needsGrad2(a, b)) {
    record(y, opName(op), [a, b], (g) => {
      const [ga, gb] = grad(g, a, b, y);
      return [a.requiresGrad && ga ? sumTo(ga, a.shape) : null, b.requiresGrad && gb ? sumTo(gb, b.shape) : null];
    }, binarySaves(op, a, b, y));
  }
  return y;
}

export const add = (a: TensorLike, b: TensorLike): Tensor => binary("add", a, b);
/** g · [x > 0] in one pass (relu's backward); differentiable in g. */
export const reluGrad = (g: Tensor, x: Tensor): Tensor => binary("reluGrad", g, x);
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary("sub", a, b);
/** b - a (for "1 - x" written from the tensor side). */
export const rsub = (a: TensorLike, b: TensorLike): Tensor => binary("sub", b, a);
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary("mul", a, b);
export const div = (a: TensorLike, b: TensorLike): Tensor => binary("div", a, b);
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binary("maximum", a, b);
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binary("minimum", a, b);
export const atan2 = (a: TensorLike, b: TensorLike): Tensor => binary("atan2", a, b);
export const remainder = (a: TensorLike, b: TensorLike): Tensor => binary("remainder", a, b);

/** a ** b; a number exponent uses the faster scalar kernel. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  if (a instanceof Tensor && typeof b === "number") return powScalar(a, b);
  return binary("pow", a, b);
}

function compare(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const at = a instanceof Tensor ? a : asTensor(a, b as Tensor);
  return mapBinary(op, at, asTensor(b, at), "bool");
}

export const eq = (a: TensorLike, b: TensorLike): Tensor => compare("eq", a, b);
export const ne = (a: TensorLike, b: TensorLike): Tensor => compare("ne", a, b);
export const lt = (a: TensorLike, b: TensorLike): Tensor => compare("lt", a, b);
export const le = (a: TensorLike, b: TensorLike): Tensor => compare("le", a, b);
export const gt = (a: TensorLike, b: TensorLike): Tensor => compare("gt", a, b);
export const ge = (a: TensorLike, b: TensorLike): Tensor => compare("ge", a, b);
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => compare("logicalAnd", a, b);
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => compare("logicalOr", a, b);
export const logicalXor = (a: TensorLike, b: TensorLike): Tensor => compare("logicalXor", a, b);
const logicalAndT = logicalAnd;

/** Elementwise choice: `a` where `cond` is true, else `b` (all broadcast together). */
export function where(cond: Tensor, aIn: TensorLike, bIn: TensorLike): Tensor {
  const ref = aIn instanceof Tensor ? aIn : bIn instanceof Tensor ? bIn : null;
  // Two Python scalars promote as in PyTorch: ints → int64, any float → float32, bools → bool.
  const both = [aIn, bIn] as unknown[];
  const scalarType: DType = both.every((v) => typeof v === "boolean") ? "bool" : both.every((v) => typeof v === "boolean" || Number.isInteger(v)) ? "int64" : "float32";
  const a = ref ? asTensor(aIn, ref) : scalarTensor(Number(aIn), scalarType, cond.device);
  const b = ref ? asTensor(bIn, a) : scalarTensor(Number(bIn), scalarType, cond.device);
  const dtype = promote(a.dtype, b.dtype);
  const shape = broadcastShapes(broadcastShapes(cond.shape, a.shape, "where"), b.shape, "where");
  const y = mapNew("where", [cond, a, b], shape, dtype);
  if (isFloating(dtype)) {
    record(y, "Where", [a, b], (g) => [
      a.requiresGrad ? sumTo(where(cond, g, 0), a.shape) : null,
      b.requiresGrad ? sumTo(where(cond, 0, g), b.shape) : null,
    ], [cond]);
  }
  return y;
}

/** Limits x to [min, max]; either bound may be omitted (null/undefined). Gradient flows where not clamped. */
export function clamp(x: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor {
  if ((min === undefined || min === null) && (max === undefined || max === null)) {
    throw new Error("clamp: at least one of min or max must be given");
  }
  const lo = asTensor(min ?? -Infinity, x);
  const hi = asTensor(max ?? Infinity, x);
  const dtype = promote(x.dtype, promote(lo.dtype, hi.dtype));
  const shape = broadcastShapes(broadcastShapes(x.shape, lo.shape, "clamp"), hi.shape, "clamp");
  const y = mapNew("clamp", [x, lo, hi], shape, dtype);
  if (isFloating(dtype)) {
    // PyTorch's clamp_backward: x passes the gradient on [min, max] (bounds included); when
    // min > max the output is max, so max takes it.
    record(y, "Clamp", [x, lo, hi], (g) => [
      x.requiresGrad ? sumTo(mul(g, logicalAnd(ge(x, lo), le(x, hi))), x.shape) : null,
      lo.requiresGrad ? sumTo(mul(g, logicalAnd(lt(x, lo), lt(lo, hi))), lo.shape) : null,
      hi.requiresGrad ? sumTo(mul(g, logicalOr(gt(x, hi), gt(lo, hi))), hi.shape) : null,
    ]);
  }
  return y;
}
