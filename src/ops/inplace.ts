/**
 * In-place updates (`add_`, `mul_`, `copy_`, `zero_`, `clamp_`, `uniform_`, …) with PyTorch's
 * autograd rules: every write bumps the tensor's version counter (shared by its views), so a
 * backward that needs the old values throws instead of computing a wrong gradient; in grad
 * mode an in-place op on a tensor in the graph is recorded (the tensor takes the op's grad_fn,
 * a view's base takes CopySlices); a leaf that requires grad refuses in-place ops outside noGrad.
 */
import type { MapOp } from "../backend/backend.js";
import { Node, notePrior } from "../autograd/node.js";
import { Tensor, backendOf, tensorFromData } from "../tensor/tensor.js";
import { broadcastShapes, broadcastStrides, formatShape, sameShape, sizeOf } from "../tensor/shape.js";
import { isFloating, promote, type DType } from "../tensor/dtype.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { asTensor, filled, type TensorLike } from "./op.js";
import { add, mul, div, clamp, where } from "./elementwise.js";
import { cast, clone, contiguous, expand } from "./movement.js";
import { defaultGenerator, type Generator } from "../random.js";

/** Records that `x`'s data changed in place (its views share the counter). */
export function bumpVersion(x: Tensor): void {
  x.versionCounter.value++;
}

function refuseLeaf(op: string, x: Tensor): void {
  if (!isGradEnabled()) return;
  const hint = "Parameter updates belong inside noGrad(() => …), as optimizers do; to change a copy, clone() it first";
  if (x.requiresGrad && x.isLeaf) {
    throw new Error(`${op}: a leaf Variable that requires grad is being used in an in-place operation (shape ${formatShape(x.shape)}). ${hint}`);
  }
  const base = x.viewBase;
  if (base && base.requiresGrad && base.isLeaf) {
    throw new Error(`${op}: a view of a leaf Variable that requires grad is being used in an in-place operation (shape ${formatShape(x.shape)}). ${hint}`);
  }
}

const JS_INT_HINT =
  "; note that tensor([1.0, 2.0]) is int64 in JavaScript (1.0 === 1): create it with { dtype: float32 } or convert with .float()";

function castable(op: string, from: DType, to: DType): void {
  if (promote(from, to) !== to) {
    throw new Error(`${op}: result type ${from} can't be cast to the desired output type ${to}${isFloating(from) && !isFloating(to) ? JS_INT_HINT : ""}`);
  }
}

/** Throws unless every input broadcasts to x's shape on x's backend. */
function checkInto(name: string, x: Tensor, inputs: readonly Tensor[]): void {
  for (const t of inputs) {
    const b = broadcastShapes(x.shape, t.shape, name);
    if (!sameShape(b, x.shape)) {
      throw new Error(`${name}: output with shape ${formatShape(x.shape)} doesn't match the broadcast shape ${formatShape(b)}`);
    }
    if (t.device !== x.device) throw new Error(`${name}: tensors are on different backends: ${x.device} and ${t.device}`);
  }
  if (x.strides.some((s, i) => s === 0 && x.shape[i] > 1)) {
    throw new Error(
      `${name}: unsupported operation: more than one element of the written-to tensor (shape ${formatShape(x.shape)}) ` +
        "refers to a single memory location (an expand()ed view); clone() it first",
    );
  }
}

/** Runs a map kernel writing into x (no autograd). */
function kernelInto(op: MapOp, x: Tensor, inputs: readonly Tensor[], param = 0): void {
  const views = inputs.map((t) => ({ buf: t.buf, shape: x.shape, strides: broadcastStrides(t.shape, t.strides, x.shape), offset: t.offset }));
  backendOf(x).map(op, x, views, param);
}

/**
 * A second handle on x's current graph position (x itself is about to take a new grad_fn);
 * nodes recorded earlier with x as input are pointed at it (see notePrior).
 */
function priorSelf(x: Tensor): Tensor {
  const prior = new Tensor(x.store, x.shape, x.dtype, x.strides, x.offset, x.versionCounter, x.viewBase);
  if (x.gradFn) prior.setGradFn(x.gradFn);
  else if (x.requiresGrad) prior.requiresGrad = true;
  notePrior(x, prior);
  return prior;
}

/**
 * The in-place op shared by every `op_`: validates, then either runs the kernel (nothing to
 * record) or, when the graph is involved, computes `outOfPlace(old x)` with recording, writes
 * the result into x's memory and rewires the graph as PyTorch does.
 */
function inPlace(name: string, x: Tensor, inputs: readonly Tensor[], kernel: () => void, outOfPlace: (old: Tensor) => Tensor): Tensor {
  checkInto(name, x, inputs);
  refuseLeaf(name, x);
  const base = x.viewBase;
  const tracked = isGradEnabled() && (x.requiresGrad || (base?.requiresGrad ?? false) || inputs.some((t) => t.requiresGrad));
  if (!tracked) {
    kernel();
    bumpVersion(x);
    return x;
  }
  // The old values are copied first: x's memory is overwritten below, and the op's backward
  // may read them (mul_ by a tensor that requires grad, relu_, …).
  const old = clone(priorSelf(x));
  let r = outOfPlace(old);
  if (r.dtype !== x.dtype) r = cast(r, x.dtype);
  if (!sameShape(r.shape, x.shape)) r = contiguous(expand(r, x.shape));
  kernelInto("copy", x, [r]);
  bumpVersion(x);
  if (!base) {
    // A result that depends on nothing differentiable (copy_ of a constant) still cuts x's
    // old graph off: the old values get no gradient.
    x.setGradFn(r.gradFn ?? new Node(`${name[0].toUpperCase()}${name.slice(1, -1)}`, [old], () => [null], []));
    return x;
  }
  copySlices(name, base, x, r);
  return x;
}

/** Offsets of x's elements inside its base, as a view geometry over a contiguous base-shaped tensor. */
function regionOf(base: Tensor, x: Tensor, g: Tensor): Tensor {
  const gc = contiguous(g);
  return new Tensor(gc.store, x.shape, gc.dtype, x.strides, x.offset - base.offset, gc.versionCounter, gc);
}

/**
 * After an in-place write into view `x` of `base`, base's graph becomes CopySlices(old base,
 * result): the gradient of the written region goes to the result, the rest to the old base;
 * x itself becomes a view of the new base (AsStridedBackward0).
 */
function copySlices(name: string, base: Tensor, x: Tensor, r: Tensor): void {
  if (!base.isContiguous() || base.offset !== 0) {
    throw new Error(`${name}: in-place change of a view of a non-contiguous tensor (shape ${formatShape(base.shape)}) under autograd; call contiguous() or clone() on the tensor first`);
  }
  const oldBase = priorSelf(base);
  const maskOut = (g: Tensor): Tensor => {
    const keep = filled(base.shape, 1, g.dtype, g.device);
    kernelInto("fill", regionOf(base, x, keep), [], 0);
    return mul(g, keep);
  };
  const region = (g: Tensor): Tensor => contiguous(regionOf(base, x, g));
  const embed = (g: Tensor): Tensor => {
    const z = filled(base.shape, 0, g.dtype, g.device);
    kernelInto("copy", regionOf(base, x, z), [g]);
    return z;
  };
  base.setGradFn(new Node("CopySlices", [oldBase, r], (g) => [oldBase.requiresGrad ? maskOut(g) : null, region(g)], []));
  x.setGradFn(new Node("AsStridedBackward0", [base], (g) => [embed(g)], []));
}

/** x += alpha · other. */
export function add_(x: Tensor, other: TensorLike, alpha = 1): Tensor {
  const o = asTensor(other, x);
  castable("add_", o.dtype, x.dtype);
  return inPlace("add_", x, [o], () => kernelInto("addScaled", x, [x, o], alpha), (s) => add(s, alpha === 1 ? o : mul(o, alpha)));
}

/** x -= alpha · other. */
export function sub_(x: Tensor, other: TensorLike, alpha = 1): Tensor {
  const o = asTensor(other, x);
  castable("sub_", o.dtype, x.dtype);
  return inPlace("sub_", x, [o], () => kernelInto("addScaled", x, [x, o], -alpha), (s) => add(s, mul(o, -alpha)));
}

/** x *= other. */
export function mul_(x: Tensor, other: TensorLike): Tensor {
  const o = asTensor(other, x);
  castable("mul_", o.dtype, x.dtype);
  return inPlace("mul_", x, [o], () => kernelInto("mul", x, [x, o]), (s) => mul(s, o));
}

/** x /= other (x must be floating). */
export function div_(x: Tensor, other: TensorLike): Tensor {
  if (!isFloating(x.dtype)) throw new Error(`div_: result type float can't be cast to the desired output type ${x.dtype}${JS_INT_HINT}`);
  const o = asTensor(other, x);
  return inPlace("div_", x, [o], () => kernelInto("div", x, [x, o]), (s) => div(s, o));
}

/** Copies `src` (broadcast, converted) into x. */
export function copy_(x: Tensor, src: TensorLike): Tensor {
  let s = asTensor(src, x);
  const b = broadcastShapes(x.shape, s.shape, "copy_");
  if (!sameShape(b, x.shape)) throw new Error(`copy_: source shape ${formatShape(s.shape)} does not broadcast to ${formatShape(x.shape)}`);
  if (s.device !== x.device) s = tensorFromData(s.dataSync(), s.shape, s.dtype, x.device);
  const from = s;
  return inPlace("copy_", x, [from], () => kernelInto("copy", x, [from]), () => add(from, 0));
}

/** Sets every element to `value`. */
export function fill_(x: Tensor, value: number): Tensor {
  return inPlace("fill_", x, [], () => kernelInto("fill", x, [x], value), (s) => add(mul(s, 0), value));
}

/** Sets every element to 0. */
export const zero_ = (x: Tensor): Tensor => fill_(x, 0);

/** Clamps x in place to [min, max]. */
export function clamp_(x: Tensor, min?: number | null, max?: number | null): Tensor {
  const lo = asTensor(min ?? -Infinity, x), hi = asTensor(max ?? Infinity, x);
  return inPlace("clamp_", x, [], () => kernelInto("clamp", x, [x, lo, hi]), (s) => clamp(s, min, max));
}

/** x += value · t1 · t2. */
export function addcmul_(x: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  const p = mul(t1, t2);
  return inPlace("addcmul_", x, [p], () => kernelInto("addScaled", x, [x, p], value), (s) => add(s, mul(p, value)));
}

/** x += value · t1 / t2. */
export function addcdiv_(x: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  const q = div(t1, t2);
  return inPlace("addcdiv_", x, [q], () => kernelInto("addScaled", x, [x, q], value), (s) => add(s, mul(q, value)));
}

function fillRandom(x: Tensor, sample: () => number): Tensor {
  const data = new Float64Array(sizeOf(x.shape));
  for (let i = 0; i < data.length; i++) data[i] = sample();
  return copy_(x, tensorFromData(data, x.shape, x.dtype, x.device));
}

/** Fills x with uniform samples from [low, high). */
export function uniform_(x: Tensor, low = 0, high = 1, generator: Generator = defaultGenerator): Tensor {
  refuseLeaf("uniform_", x);
  return fillRandom(x, () => low + (high - low) * generator.random());
}

/** Fills x with normal samples of the given mean and std. */
export function normal_(x: Tensor, mean = 0, std = 1, generator: Generator = defaultGenerator): Tensor {
  refuseLeaf("normal_", x);
  return fillRandom(x, () => mean + std * generator.normal());
}

/** Sets x to `value` where the bool `mask` (broadcast to x) is true. */
export function maskedFill_(x: Tensor, mask: Tensor, value: TensorLike): Tensor {
  if (mask.dtype !== "bool") throw new Error(`maskedFill_: mask must be a bool tensor, got dtype ${mask.dtype} (shape ${formatShape(mask.shape)})`);
  const v = asTensor(value, x);
  castable("maskedFill_", v.dtype, x.dtype);
  return inPlace("maskedFill_", x, [mask, v], () => kernelInto("where", x, [mask, v, x]), (s) => where(mask, v, s));
}
